/*
 * expr.c - see expr.h. This is not an expression engine: it classifies the
 * few forms that decide where the token goes, and calls everything else
 * UNKNOWN so that callers never mistake "could not tell" for "no token".
 */
#include "expr.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool ts_is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

static void ts_trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Does a name start at s[i]: not the tail of a longer name or a member
 * (`x.word`)? */
static bool ts_starts_name(const char *s, size_t i)
{
	return i == 0 || (!ts_is_ident(s[i - 1]) && s[i - 1] != '.');
}

/* Does the name before s[i] end there? */
static bool ts_ends_name(const char *s, size_t len, size_t i)
{
	return i == len || !ts_is_ident(s[i]);
}

/* Is `word` (any case) at s[i], not the tail of a longer name or a member
 * (`x.word`)? The first-letter test comes first: this runs on every value
 * of every env. */
static bool ts_word_at(const char *s, size_t i, const char *word, size_t wl)
{
	if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[0]) ||
	    strncasecmp(s + i, word, wl))
		return false;
	return ts_starts_name(s, i);
}

/* Case-insensitive search for `word` as a whole dotted identifier. */
static bool ts_has_ref(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= len; i++)
		if (ts_word_at(s, i, word, wl) && ts_ends_name(s, len, i + wl))
			return true;
	return false;
}

/* `secrets` or `github` as a whole context (toJSON(secrets), format('{0}',
 * github)): both hold the token (secrets.GITHUB_TOKEN, github.token). */
static bool ts_whole_context_at(const char *s, size_t len, size_t r)
{
	while (r < len && s[r] == ' ')
		r++;
	return r == len || (!ts_is_ident(s[r]) && s[r] != '.' && s[r] != '[');
}

/* The ways an expression names the token, all starting with `secrets` or
 * `github` at s[i]. */
static bool ts_token_at(const char *s, size_t len, size_t i)
{
	static const char *const secrets_refs[] = {
		".GITHUB_TOKEN", "['GITHUB_TOKEN']", "[\"GITHUB_TOKEN\"]",
	};
	size_t n = len - i;
	const char *p = s + i;
	if (n >= 6 && !strncasecmp(p, "github", 6))
		return ts_whole_context_at(s, len, i + 6) ||
		       (n >= 12 && !strncasecmp(p + 6, ".token", 6) && ts_ends_name(s, len, i + 12));
	if (n < 7 || strncasecmp(p, "secrets", 7))
		return false;
	if (ts_whole_context_at(s, len, i + 7))
		return true;
	for (size_t k = 0; k < sizeof(secrets_refs) / sizeof(secrets_refs[0]); k++) {
		size_t rl = strlen(secrets_refs[k]);
		if (n >= 7 + rl && !strncasecmp(p + 7, secrets_refs[k], rl) &&
		    ts_ends_name(s, len, i + 7 + rl))
			return true;
	}
	return false;
}

/* One pass over the text: this runs on every value of every env. */
static bool ts_mentions_token(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = (char)(s[i] | 0x20);
		if ((c == 's' || c == 'g') && ts_starts_name(s, i) && ts_token_at(s, len, i))
			return true;
	}
	return false;
}

const ts_var *ts_env_find(const ts_env *env, const char *name, size_t len)
{
	for (; env; env = env->parent)
		for (size_t i = env->nvars; i-- > 0;)
			if (ts_streq(name, len, env->vars[i].name))
				return &env->vars[i];
	return NULL;
}

const char *ts_expr_runner_default(const char *name, size_t len)
{
	static const char *const pairs[][2] = {
		{"GITHUB_API_URL", "https://api.github.com"},
		{"GITHUB_SERVER_URL", "https://github.com"},
		{"GITHUB_GRAPHQL_URL", "https://api.github.com/graphql"},
		{"GITHUB_REPOSITORY", "{owner}/{repo}"},
		{"GITHUB_REPOSITORY_OWNER", "{owner}"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (ts_streq(name, len, pairs[i][0]))
			return pairs[i][1];
	return NULL;
}

static ts_value ts_val(ts_val_kind k, const char *text)
{
	ts_value v = {k, text};
	return v;
}

/* `github.X` values that are the same for every run of this repository. */
static const char *ts_github_known(const char *s, size_t len)
{
	if (len < 14 || strncasecmp(s, "github.", 7))
		return NULL;    /* the shortest below is github.api_url */
	static const char *const pairs[][2] = {
		{"github.api_url", "https://api.github.com"},
		{"github.server_url", "https://github.com"},
		{"github.graphql_url", "https://api.github.com/graphql"},
		{"github.repository", "{owner}/{repo}"},
		{"github.repository_owner", "{owner}"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (ts_strcaseeq(s, len, pairs[i][0]))
			return pairs[i][1];
	return NULL;
}

static bool ts_is_secret_step(const ts_expr_ctx *ctx, const char *s, size_t len)
{
	/* steps.<id>.outputs.<name> */
	if (len < 7 || strncasecmp(s, "steps.", 6))
		return false;
	const char *id = s + 6;
	const char *dot = memchr(id, '.', len - 6);
	if (!dot || !ctx->secret_steps)
		return false;
	for (const char *const *p = ctx->secret_steps; *p; p++)
		if (ts_streq(id, (size_t)(dot - id), *p))
			return true;
	return false;
}

/* One operand without operators: a context reference or a literal. The
 * whole expression was found not to mention the token (ts_expr_eval), so
 * neither does an operand: what bounds one (a blank, `||`, `&&`, the ends)
 * reads to ts_mentions_token as the ends of the text do. */
static ts_value ts_eval_atom(const ts_expr_ctx *ctx, const char *s, size_t len)
{
	ts_trim(&s, &len);
	if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'')
		return ts_val(TS_VAL_TEXT, ts_strndup(ctx->arena, s + 1, len - 2));
	if (len && (isdigit((unsigned char)s[0]) || ts_streq(s, len, "true") ||
		    ts_streq(s, len, "false")))
		return ts_val(TS_VAL_TEXT, ts_strndup(ctx->arena, s, len));
	if (ts_streq(s, len, "null"))
		return ts_val(TS_VAL_TEXT, "");
	const char *known = ts_github_known(s, len);
	if (known)
		return ts_val(TS_VAL_TEXT, known);
	if (len > 8 && !strncasecmp(s, "secrets.", 8))
		return ts_val(TS_VAL_SECRET, ts_strndup(ctx->arena, s, len));
	if (ts_is_secret_step(ctx, s, len))
		return ts_val(TS_VAL_SECRET, ts_strndup(ctx->arena, s, len));
	if (len > 7 && !strncasecmp(s, "inputs.", 7) && ctx->inputs) {
		const ts_var *v = ts_env_find(ctx->inputs, s + 7, len - 7);
		return v ? v->value : ts_val(TS_VAL_TEXT, "");
	}
	if (len > 4 && !strncasecmp(s, "env.", 4)) {
		const ts_var *v = ts_env_find(ctx->env, s + 4, len - 4);
		/* An env name the workflow does not set is empty, unless an
		 * earlier step wrote it to $GITHUB_ENV, which run analysis flags. */
		return v ? v->value : ts_val(TS_VAL_TEXT, "");
	}
	return ts_val(TS_VAL_UNKNOWN, ts_strndup(ctx->arena, s, len));
}

/* The kind of `a || b`: the value is one operand, so the token wins, then
 * an operand that may be the token (`secrets.PAT || inputs.token` falls back
 * to whatever the input holds), then another secret. */
static ts_val_kind ts_either(ts_val_kind a, ts_val_kind b)
{
	static const int rank[] = {[TS_VAL_TEXT] = 0, [TS_VAL_SECRET] = 1,
				   [TS_VAL_UNKNOWN] = 2, [TS_VAL_GITHUB_TOKEN] = 3};
	return rank[a] >= rank[b] ? a : b;
}

/* The kind of text made of parts (`x-access-token:${{ secrets.PAT }}@host`):
 * the token wins; else a known secret is the credential, whatever unknown
 * text surrounds it. */
static ts_val_kind ts_joined(ts_val_kind a, ts_val_kind b)
{
	static const int rank[] = {[TS_VAL_TEXT] = 0, [TS_VAL_UNKNOWN] = 1,
				   [TS_VAL_SECRET] = 2, [TS_VAL_GITHUB_TOKEN] = 3};
	return rank[a] >= rank[b] ? a : b;
}

/* A comparison or negation is a boolean, never a credential. */
static bool ts_is_boolean(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	if (len && s[0] == '!' && (len < 2 || s[1] != '='))
		return true;
	for (size_t i = 0; i + 1 < len; i++)
		if ((s[i] == '=' || s[i] == '!') && s[i + 1] == '=')
			return true;
	return memchr(s, '<', len) || memchr(s, '>', len);
}

/* Splits on top-level `||` and `&&`: the value is one of the operands, so
 * the token is present if any operand may be it. */
static ts_value ts_eval_or(const ts_expr_ctx *ctx, const char *s, size_t len)
{
	size_t depth = 0, start = 0;
	bool quote = false, split = false;
	ts_value acc = ts_val(TS_VAL_TEXT, "");
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '\0';
		if (quote) {
			quote = c != '\'';
			continue;
		}
		if (c == '\'')
			quote = true;
		else if (c == '(')
			depth++;
		else if (c == ')' && depth)
			depth--;
		bool op = i + 1 < len && depth == 0 &&
			  ((c == '|' && s[i + 1] == '|') || (c == '&' && s[i + 1] == '&'));
		if (!op && i < len)
			continue;
		ts_value v = ts_is_boolean(s + start, i - start)
				     ? ts_val(TS_VAL_TEXT, "")
				     : ts_eval_atom(ctx, s + start, i - start);
		if (!split && i == len)
			return v;
		split = true;
		if (ts_either(acc.kind, v.kind) != acc.kind)
			acc = v;
		start = i + 2;
		i++;
	}
	/* Mixed operands are not a known text. */
	if (acc.kind == TS_VAL_TEXT)
		acc = ts_val(TS_VAL_UNKNOWN, ts_strndup(ctx->arena, s, len));
	return acc;
}

ts_value ts_expr_eval(const ts_expr_ctx *ctx, const char *expr, size_t len)
{
	ts_trim(&expr, &len);
	if (ts_mentions_token(expr, len))
		return ts_val(TS_VAL_GITHUB_TOKEN, ts_strndup(ctx->arena, expr, len));
	bool call = memchr(expr, '(', len) != NULL;
	if (call) {
		/* Functions (format, toJSON, ...) are not evaluated; a secret inside
		 * one still means a non-GITHUB_TOKEN credential. */
		bool secret = ts_has_ref(expr, len, "secrets") ||
			      memmem(expr, len, "secrets.", 8) != NULL;
		return ts_val(secret ? TS_VAL_SECRET : TS_VAL_UNKNOWN,
			      ts_strndup(ctx->arena, expr, len));
	}
	return ts_eval_or(ctx, expr, len);
}

/* The first `pat` (n bytes) in text[0..len), or NULL. For `${{` and `}}`
 * in these short values, a memchr for the first byte (rare in them) costs
 * less than glibc's memmem. */
static const char *ts_find(const char *text, size_t len, const char *pat, size_t n)
{
	for (const char *p = text, *end = text + len;
	     (p = memchr(p, pat[0], (size_t)(end - p))); p++)
		if ((size_t)(end - p) >= n && !memcmp(p + 1, pat + 1, n - 1))
			return p;
	return NULL;
}

ts_value ts_expr_subst(const ts_expr_ctx *ctx, const char *text, size_t len)
{
	const char *open = ts_find(text, len, "${{", 3);
	if (!open)         /* most values: plain text */
		return ts_val(TS_VAL_TEXT, ts_strndup(ctx->arena, text, len));
	ts_buf b;
	ts_buf_init(&b, ctx->arena);
	ts_val_kind kind = TS_VAL_TEXT;
	size_t i = 0;
	while (i < len) {
		if (!open) {
			ts_buf_add(&b, text + i, len - i);
			break;
		}
		size_t o = (size_t)(open - text);
		const char *close = ts_find(text + o + 3, len - o - 3, "}}", 2);
		if (!close) {
			ts_buf_add(&b, text + i, len - i);
			kind = ts_joined(kind, TS_VAL_UNKNOWN);
			break;
		}
		ts_buf_add(&b, text + i, o - i);
		size_t c = (size_t)(close - text);
		ts_value v = ts_expr_eval(ctx, text + o + 3, c - o - 3);
		if (v.kind == TS_VAL_TEXT)
			ts_buf_adds(&b, v.text);
		else
			ts_buf_add(&b, text + o, c + 2 - o);
		kind = ts_joined(kind, v.kind);
		i = c + 2;
		open = ts_find(text + i, len - i, "${{", 3);
	}
	ts_value r = {kind, ts_buf_cstr(&b)};
	if (kind != TS_VAL_TEXT)
		r.text = ts_strndup(ctx->arena, text, len);
	return r;
}
