/*
 * graphql.c - see graphql.h. A tokenizer for GraphQL's lexical grammar
 * (names, punctuators, strings, comments) and a walk that tracks brace
 * depth: at depth 1 inside an operation, a name followed by `:` is an alias
 * and the next name is the field.
 */
#include "graphql.h"

#include <ctype.h>
#include <string.h>

typedef struct ts_gql_lex {
	const char *s;
	size_t len, i;
} ts_gql_lex;

static bool ts_gql_name_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

/* Next token: a name (returns its length, sets *tok), or a single
 * punctuator (returns 0, *tok points at it), or -1 at the end. */
static long ts_gql_next(ts_gql_lex *lx, const char **tok)
{
	while (lx->i < lx->len) {
		char c = lx->s[lx->i];
		if (isspace((unsigned char)c) || c == ',') {
			lx->i++;
		} else if (c == '#') {
			while (lx->i < lx->len && lx->s[lx->i] != '\n')
				lx->i++;
		} else if (c == '"') {
			bool block = lx->i + 2 < lx->len && !strncmp(lx->s + lx->i, "\"\"\"", 3);
			lx->i += block ? 3 : 1;
			while (lx->i < lx->len) {
				if (block && lx->i + 2 < lx->len && !strncmp(lx->s + lx->i, "\"\"\"", 3)) {
					lx->i += 3;
					break;
				}
				if (!block && lx->s[lx->i] == '\\') {
					lx->i += 2;
					continue;
				}
				if (!block && lx->s[lx->i] == '"') {
					lx->i++;
					break;
				}
				lx->i++;
			}
		} else if (ts_gql_name_char(c, true)) {
			size_t st = lx->i;
			while (lx->i < lx->len && ts_gql_name_char(lx->s[lx->i], false))
				lx->i++;
			*tok = lx->s + st;
			return (long)(lx->i - st);
		} else {
			*tok = lx->s + lx->i++;
			return 0;
		}
	}
	return -1;
}

static void ts_gql_add(ts_arena *a, ts_gql_field **out, size_t *n, size_t *cap,
		       bool mutation, const char *name, size_t len)
{
	*out = ts_grow(a, *out, cap, *n + 1, sizeof(**out));
	(*out)[*n].mutation = mutation;
	(*out)[*n].name = ts_strndup(a, name, len);
	(*n)++;
}

int ts_graphql_fields(ts_arena *a, const char *text, size_t len,
		      ts_gql_field **out, size_t *n)
{
	ts_gql_lex lx = {text, len, 0};
	size_t cap = 0;
	int depth = 0, parens = 0;
	bool mutation = false, fragment = false, directive = false;
	const char *tok;
	long tl;
	*out = NULL;
	*n = 0;
	while ((tl = ts_gql_next(&lx, &tok)) >= 0) {
		if (tl == 0) {
			char c = *tok;
			if (c == '(')
				parens++;
			else if (c == ')')
				parens--;
			else if (parens > 0)
				continue;
			else if (c == '{')
				depth++;
			else if (c == '}' && --depth == 0)
				fragment = false;
			else if (c == '.' && depth == 1 && !fragment)
				return -1;                 /* ...Fragment at the top */
			directive = c == '@';
			continue;
		}
		if (parens > 0 || depth < 0)
			continue;
		if (depth == 0) {
			/* Only the keyword that opens a definition sets its kind: the
			 * names after it (a fragment's name, `on`, the type) do not. */
			if (tl == 8 && !strncmp(tok, "fragment", 8))
				fragment = true;
			else if (tl == 8 && !strncmp(tok, "mutation", 8))
				mutation = true, fragment = false;
			else if ((tl == 5 && !strncmp(tok, "query", 5)) ||
				 (tl == 12 && !strncmp(tok, "subscription", 12)))
				mutation = false, fragment = false;
			continue;
		}
		if (depth != 1 || fragment || directive) {
			directive = false;
			continue;
		}
		/* `alias: field`: a name followed by a colon is an alias. */
		size_t save = lx.i;
		const char *t2;
		long l2 = ts_gql_next(&lx, &t2);
		if (!(l2 == 0 && *t2 == ':'))
			ts_gql_add(a, out, n, &cap, mutation, tok, (size_t)tl);
		lx.i = save;
	}
	return depth == 0 && parens == 0 && *n > 0 ? 0 : -1;
}
