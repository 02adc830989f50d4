/*
 * map.c - loading and looking up the endpoint map (see map.h and
 * docs/map-format.md).
 *
 * Loading keeps every record with its needs as raw text, because a file may
 * name scopes that a later file declares (the embedded files load in name
 * order, and actions/ sorts before scopes.map). ts_map_finish then resolves
 * names, drops records overridden by a later one with the same key, and
 * sorts each kind for binary search.
 */
#include "map_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Tokens of one line                                                  */

enum { TS_MAX_TOKENS = 64 };

typedef struct ts_line {
	const char *file;
	int lineno;
	bool indented;
	int ntok;
	const char *tok[TS_MAX_TOKENS];
	int col[TS_MAX_TOKENS];
} ts_line;

/* Splits one line into tokens, unquoting "..." tokens into the arena. */
static int ts_tokenize(ts_map *m, ts_line *ln, const char *s, size_t len,
		       ts_error *err)
{
	size_t i = 0;
	ln->ntok = 0;
	ln->indented = len > 0 && (s[0] == ' ' || s[0] == '\t');
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i >= len || s[i] == '#')
			break;
		if (ln->ntok == TS_MAX_TOKENS)
			return ts_fail(err, ln->lineno, (int)i + 1, "too many tokens");
		ln->col[ln->ntok] = (int)i + 1;
		if (s[i] == '"') {
			ts_buf b;
			ts_buf_init(&b, &m->arena);
			size_t j = i + 1;
			for (; j < len && s[j] != '"'; j++) {
				if (s[j] == '\\' && j + 1 < len &&
				    (s[j + 1] == '"' || s[j + 1] == '\\'))
					j++;
				ts_buf_add(&b, s + j, 1);
			}
			if (j >= len)
				return ts_fail(err, ln->lineno, (int)i + 1,
					       "unterminated quoted token");
			ln->tok[ln->ntok++] = ts_buf_cstr(&b);
			i = j + 1;
		} else {
			size_t j = i;
			while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\r')
				j++;
			ln->tok[ln->ntok++] = ts_strndup(&m->arena, s + i, j - i);
			i = j;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static int ts_line_fail(const ts_line *ln, int t, ts_error *err, const char *what)
{
	int col = t < ln->ntok ? ln->col[t] : 1;
	return ts_fail(err, ln->lineno, col, "%s", what);
}

static ts_pending ts_defer_needs(const ts_line *ln, int t)
{
	ts_pending p = {ln->tok[t], ln->file, ln->lineno, ln->col[t]};
	return p;
}

static ts_origin ts_origin_of(const ts_line *ln, const char *source)
{
	ts_origin o = {ln->file, ln->lineno, source};
	return o;
}

static int ts_rec_scope(ts_map *m, const ts_line *ln, ts_error *err)
{
	if (ln->ntok != 3)
		return ts_line_fail(ln, 0, err, "scope takes NAME LEVELS");
	const char *lv = ln->tok[2];
	ts_scope_def d = {ln->tok[1], strstr(lv, "read") != NULL,
			  strstr(lv, "write") != NULL};
	if (!d.read && !d.write)
		return ts_line_fail(ln, 2, err, "levels must be read/write, read or write");
	for (size_t i = 0; i < m->scopes.n; i++)
		if (!strcmp(m->scopes.v[i].name, d.name)) {
			m->scopes.v[i] = d;
			return 0;
		}
	if (m->scopes.n == TS_MAX_SCOPES)
		return ts_line_fail(ln, 1, err, "too many scopes");
	*TS_PUSH(m, m->scopes) = d;
	return 0;
}

static int ts_rec_never(ts_map *m, const ts_line *ln, ts_error *err)
{
	if (ln->ntok != 3)
		return ts_line_fail(ln, 0, err, "never takes KEY \"ADVICE\"");
	for (size_t i = 0; i < m->nevers.n; i++)
		if (!strcmp(m->nevers.v[i].name, ln->tok[1])) {
			m->nevers.v[i].advice = ln->tok[2];
			return 0;
		}
	ts_never_def *d = TS_PUSH(m, m->nevers);
	d->name = ln->tok[1];
	d->advice = ln->tok[2];
	return 0;
}

static int ts_rec_rest(ts_map *m, const ts_line *ln, const char *src,
		       ts_error *err)
{
	if (ln->ntok != 4 && ln->ntok != 5)
		return ts_line_fail(ln, 0, err, "rest takes VERB PATH NEEDS [DOC]");
	if (ln->tok[2][0] != '/')
		return ts_line_fail(ln, 2, err, "a rest PATH starts with /");
	for (const char *c = ln->tok[1]; *c; c++)
		if (!isupper((unsigned char)*c))
			return ts_line_fail(ln, 1, err, "a rest VERB is upper case");
	ts_seq_rest *r = TS_PUSH(m, m->rest);
	r->e.verb = ln->tok[1];
	r->e.path = ln->tok[2];
	r->e.doc = ln->ntok == 5 ? ln->tok[4] : NULL;
	r->e.origin = ts_origin_of(ln, src);
	r->seq = m->seq++;
	r->needs = ts_defer_needs(ln, 3);
	return 0;
}

static int ts_rec_named(ts_map *m, void *vecp, const ts_line *ln,
			const char *key, int needs_tok, const char *src)
{
	TS_VEC(ts_seq_named) *vec = vecp;
	ts_seq_named *r = TS_PUSH(m, *vec);
	r->e.key = key;
	r->e.origin = ts_origin_of(ln, src);
	r->seq = m->seq++;
	r->needs = ts_defer_needs(ln, needs_tok);
	return 0;
}

static int ts_rec_graphql(ts_map *m, const ts_line *ln, const char *src,
			  ts_error *err)
{
	if (ln->ntok != 4 || (strcmp(ln->tok[1], "query") &&
			      strcmp(ln->tok[1], "mutation")))
		return ts_line_fail(ln, 0, err,
				    "graphql takes query|mutation NAME NEEDS");
	const char *key = ts_sprintf(&m->arena, "%s %s", ln->tok[1], ln->tok[2]);
	return ts_rec_named(m, &m->graphql, ln, key, 3, src);
}

/* Normalises "pr  merge --auto" to single spaces so lookups are exact. */
static const char *ts_norm_words(ts_map *m, const char *s)
{
	ts_buf b;
	ts_buf_init(&b, &m->arena);
	for (const char *p = s; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t')
			q++;
		if (q > p) {
			if (b.len)
				ts_buf_add(&b, " ", 1);
			ts_buf_add(&b, p, (size_t)(q - p));
		}
		p = q;
	}
	return ts_buf_cstr(&b);
}

static int ts_rec_gh(ts_map *m, const ts_line *ln, const char *src,
		     ts_error *err)
{
	if (ln->ntok != 3)
		return ts_line_fail(ln, 0, err, "gh takes \"WORDS [FLAG]\" NEEDS");
	return ts_rec_named(m, &m->gh, ln, ts_norm_words(m, ln->tok[1]), 2, src);
}

static int ts_rec_simple(ts_map *m, void *vec, const ts_line *ln,
			 const char *src, ts_error *err, const char *usage)
{
	if (ln->ntok != 3)
		return ts_line_fail(ln, 0, err, usage);
	return ts_rec_named(m, vec, ln, ln->tok[1], 2, src);
}

static int ts_rec_octokit(ts_map *m, const ts_line *ln, const char *src,
			  ts_error *err)
{
	if (ln->ntok != 4 || ln->tok[3][0] != '/')
		return ts_line_fail(ln, 0, err,
				    "octokit takes NAMESPACE.METHOD VERB PATH");
	ts_seq_octokit *r = TS_PUSH(m, m->octokit);
	r->e.method = ln->tok[1];
	r->e.verb = ln->tok[2];
	r->e.path = ln->tok[3];
	r->e.origin = ts_origin_of(ln, src);
	r->seq = m->seq++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static int ts_parse_major(const char *s, int *out)
{
	if (*s == 'v' || *s == 'V')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	*out = atoi(s);
	return 0;
}

static int ts_attr_versions(ts_action_build *a, const ts_line *ln, ts_error *err)
{
	const char *v = ln->ntok == 2 ? ln->tok[1] : "";
	const char *dash = strchr(v, '-');
	if (!dash || ts_parse_major(v, &a->e.vmin) < 0)
		return ts_line_fail(ln, 1, err, "versions takes FROM-TO, e.g. v1-v3 or v4-");
	a->e.vmax = -1;
	if (dash[1] && ts_parse_major(dash + 1, &a->e.vmax) < 0)
		return ts_line_fail(ln, 1, err, "versions takes FROM-TO, e.g. v1-v3 or v4-");
	return 0;
}

static ts_action_input *ts_action_input_get(ts_map *m, ts_action_build *a,
					    const char *name)
{
	for (size_t i = 0; i < a->e.ninputs; i++)
		if (!strcmp(a->inputs[i].name, name))
			return &a->inputs[i];
	a->inputs = ts_grow(&m->arena, a->inputs, &a->cap_inputs,
			    a->e.ninputs + 1, sizeof(*a->inputs));
	ts_action_input *in = &a->inputs[a->e.ninputs++];
	memset(in, 0, sizeof(*in));
	in->name = name;
	return in;
}

static int ts_parse_cond(ts_map *m, const ts_line *ln, int t, ts_cond *c,
			 ts_error *err)
{
	const char *s = ln->tok[t] + 3;        /* past "if:" */
	const char *op;
	memset(c, 0, sizeof(*c));
	if (*s == '@') {
		c->op = TS_COND_FACT;
		c->input = s + 1;
	} else if ((op = strstr(s, "=="))) {
		c->op = TS_COND_EQ;
		c->input = ts_strndup(&m->arena, s, (size_t)(op - s));
		c->value = op + 2;
	} else if ((op = strstr(s, "!="))) {
		c->op = TS_COND_NE;
		c->input = ts_strndup(&m->arena, s, (size_t)(op - s));
		c->value = op + 2;
	} else if ((op = strchr(s, '~'))) {
		c->op = TS_COND_MATCH;
		c->input = ts_strndup(&m->arena, s, (size_t)(op - s));
		c->value = op + 1;
		int ec;
		PCRE2_SIZE eo;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)c->value,
					       PCRE2_ZERO_TERMINATED,
					       PCRE2_CASELESS | PCRE2_UTF, &ec,
					       &eo, NULL);
		if (!re)
			return ts_fail(err, ln->lineno, ln->col[t] + 3 + (int)(op - s) + 1 + (int)eo,
				       "bad pattern in condition");
		*TS_PUSH(m, m->regexes) = re;
		c->re = re;
	} else if (*s == '!') {
		c->op = TS_COND_UNSET;
		c->input = s + 1;
	} else {
		c->op = TS_COND_SET;
		c->input = s;
	}
	if (!*c->input)
		return ts_line_fail(ln, t, err, "condition names no input");
	return 0;
}

/* need/always/unknown/git-credentials: the rule, then its conditions. */
static int ts_attr_rule(ts_map *m, ts_action_build *a, const ts_line *ln,
			ts_rule_kind kind, ts_error *err)
{
	bool bare = kind == TS_RULE_GIT_CREDENTIALS || kind == TS_RULE_PUSHES_IMAGE;
	int first = bare ? 1 : 2;
	if (ln->ntok < first)
		return ts_line_fail(ln, 0, err, "rule needs a value");
	a->rules = ts_grow(&m->arena, a->rules, &a->cap_rules, a->e.nrules + 1,
			   sizeof(*a->rules));
	a->rule_needs = ts_grow(&m->arena, a->rule_needs, &a->cap_rule_needs,
				a->e.nrules + 1, sizeof(*a->rule_needs));
	memset(&a->rule_needs[a->e.nrules], 0, sizeof(*a->rule_needs));
	ts_rule *r = &a->rules[a->e.nrules++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->line = ln->lineno;
	if (kind == TS_RULE_UNKNOWN)
		r->why = ln->tok[1];
	else if (!bare)
		a->rule_needs[a->e.nrules - 1] = ts_defer_needs(ln, 1);
	int nc = ln->ntok - first;
	ts_cond *conds = ts_alloc_array(&m->arena, (size_t)(nc > 0 ? nc : 1), sizeof(*conds));
	for (int i = 0; i < nc; i++) {
		if (strncmp(ln->tok[first + i], "if:", 3))
			return ts_line_fail(ln, first + i, err,
					    "expected a condition (if:...)");
		if (ts_parse_cond(m, ln, first + i, &conds[i], err) < 0)
			return -1;
	}
	r->conds = conds;
	r->nconds = (unsigned)nc;
	return 0;
}

static const char *ts_join_tokens(ts_map *m, const ts_line *ln, int from)
{
	ts_buf b;
	ts_buf_init(&b, &m->arena);
	for (int i = from; i < ln->ntok; i++) {
		if (i > from)
			ts_buf_add(&b, " ", 1);
		ts_buf_adds(&b, ln->tok[i]);
	}
	return ts_buf_cstr(&b);
}

static int ts_attr_token(ts_map *m, ts_action_build *a, const ts_line *ln,
			 ts_error *err)
{
	if (ln->ntok < 2 || ln->ntok > 3 ||
	    (ln->ntok == 3 && strcmp(ln->tok[2], "default")))
		return ts_line_fail(ln, 0, err, "token takes INPUT [default]");
	ts_action_input *in = ts_action_input_get(m, a, ln->tok[1]);
	in->token = true;
	in->token_default = ln->ntok == 3;
	return 0;
}

static int ts_attr(ts_map *m, ts_action_build *a, const ts_line *ln,
		   ts_error *err)
{
	const char *k = ln->tok[0];
	if (!strcmp(k, "source") && ln->ntok >= 2) {
		a->e.origin.source = ts_join_tokens(m, ln, 1);
	} else if (!strcmp(k, "versions")) {
		return ts_attr_versions(a, ln, err);
	} else if (!strcmp(k, "token")) {
		return ts_attr_token(m, a, ln, err);
	} else if (!strcmp(k, "token-env") && ln->ntok == 2) {
		a->env = ts_grow(&m->arena, a->env, &a->cap_env,
				 a->e.ntoken_env + 1, sizeof(*a->env));
		a->env[a->e.ntoken_env++] = ln->tok[1];
	} else if (!strcmp(k, "input") && ln->ntok == 3) {
		ts_action_input_get(m, a, ln->tok[1])->value = ln->tok[2];
	} else if (!strcmp(k, "need")) {
		return ts_attr_rule(m, a, ln, TS_RULE_NEED, err);
	} else if (!strcmp(k, "always")) {
		return ts_attr_rule(m, a, ln, TS_RULE_ALWAYS, err);
	} else if (!strcmp(k, "unknown")) {
		return ts_attr_rule(m, a, ln, TS_RULE_UNKNOWN, err);
	} else if (!strcmp(k, "git-credentials")) {
		return ts_attr_rule(m, a, ln, TS_RULE_GIT_CREDENTIALS, err);
	} else if (!strcmp(k, "pushes-image")) {
		return ts_attr_rule(m, a, ln, TS_RULE_PUSHES_IMAGE, err);
	} else if (!strcmp(k, "token-output") && ln->ntok == 2) {
		a->e.token_output = ln->tok[1];
	} else if (!strcmp(k, "script") && ln->ntok == 3) {
		a->e.script_input = ln->tok[1];
		a->e.script_lang = ln->tok[2];
		if (strcmp(ln->tok[2], "github-script") && strcmp(ln->tok[2], "shell"))
			return ts_line_fail(ln, 2, err,
					    "script language is github-script or shell");
	} else if (!strcmp(k, "note")) {
		a->e.note = ts_join_tokens(m, ln, 1);
	} else {
		return ts_line_fail(ln, 0, err, "unknown or malformed action attribute");
	}
	return 0;
}

static int ts_rec_action(ts_map *m, const ts_line *ln, const char *src,
			 ts_error *err)
{
	if (ln->ntok != 2 || !strchr(ln->tok[1], '/'))
		return ts_line_fail(ln, 0, err, "action takes OWNER/REPO[/PATH]");
	ts_action_build *a = TS_PUSH(m, m->actions);
	memset(a, 0, sizeof(*a));
	char *name = ts_strdup(&m->arena, ln->tok[1]);
	for (char *c = name; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	a->e.name = name;
	a->e.vmin = a->e.vmax = -1;
	a->e.origin = ts_origin_of(ln, src);
	a->seq = m->seq++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/* An action record ends at the next record or the end of the file; by
 * then it must have a source, its own or the file's. */
static int ts_action_done(const ts_action_build *a, ts_error *err)
{
	if (a && !a->e.origin.source)
		return ts_fail(err, a->e.origin.line, 1,
			       "action %s has no source (a `source` attribute or line)",
			       a->e.name);
	return 0;
}

static int ts_record(ts_map *m, const ts_line *ln, const char **src,
		     ts_action_build **cur, ts_error *err)
{
	const char *k = ln->tok[0];
	if (ts_action_done(*cur, err) < 0)
		return -1;
	*cur = NULL;
	if (!strcmp(k, "source")) {
		if (ln->ntok < 3)
			return ts_line_fail(ln, 0, err, "source takes ID TEXT...");
		*src = ts_join_tokens(m, ln, 1);
		return 0;
	}
	if (!strcmp(k, "scope"))
		return ts_rec_scope(m, ln, err);
	if (!strcmp(k, "never"))
		return ts_rec_never(m, ln, err);
	if (!strcmp(k, "action")) {
		/* its own `source` attribute may give the source; checked at the end */
		if (ts_rec_action(m, ln, *src, err) < 0)
			return -1;
		*cur = &m->actions.v[m->actions.n - 1];
		return 0;
	}
	if (!*src)
		return ts_line_fail(ln, 0, err, "record with no source in force");
	if (!strcmp(k, "rest"))
		return ts_rec_rest(m, ln, *src, err);
	if (!strcmp(k, "graphql"))
		return ts_rec_graphql(m, ln, *src, err);
	if (!strcmp(k, "gh"))
		return ts_rec_gh(m, ln, *src, err);
	if (!strcmp(k, "fact"))
		return ts_rec_simple(m, &m->facts, ln, *src, err, "fact takes NAME NEEDS");
	if (!strcmp(k, "tool"))
		return ts_rec_simple(m, &m->tools, ln, *src, err, "tool takes NAME NEEDS");
	if (!strcmp(k, "octokit"))
		return ts_rec_octokit(m, ln, *src, err);
	return ts_line_fail(ln, 0, err, "unknown record kind");
}

int ts_map_load(ts_map *m, const char *file, const char *text, size_t len,
		ts_error *err)
{
	const char *src = NULL;
	ts_action_build *cur = NULL;
	ts_line ln;
	ln.file = ts_strdup(&m->arena, file);
	ln.lineno = 0;
	m->finished = false;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		ln.lineno++;
		if (ts_tokenize(m, &ln, text + pos, end - pos, err) < 0)
			goto fail;
		pos = end + 1;
		if (ln.ntok == 0)
			continue;
		if (ln.indented) {
			if (!cur) {
				ts_line_fail(&ln, 0, err,
					     "indented line outside an action record");
				goto fail;
			}
			if (ts_attr(m, cur, &ln, err) < 0)
				goto fail;
			continue;
		}
		if (ts_record(m, &ln, &src, &cur, err) < 0)
			goto fail;
	}
	if (ts_action_done(cur, err) < 0)
		goto fail;
	return 0;
fail:
	if (err)
		ts_error_prefix(err, "%s:%d:%d: ", file, err->line, err->col);
	return -1;
}

int ts_map_load_file(ts_map *m, const char *path, ts_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return ts_fail(err, 0, 0, "%s: cannot open map file", path);
	ts_buf b;
	ts_buf_init(&b, &m->arena);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ts_buf_add(&b, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad)
		return ts_fail(err, 0, 0, "%s: read error", path);
	return ts_map_load(m, path, ts_buf_cstr(&b), b.len, err);
}

struct ts_embedded_map {
	const char *name;
	const char *text;
	size_t len;
};
extern const struct ts_embedded_map ts_embedded_maps[];

int ts_map_load_builtin(ts_map *m, ts_error *err)
{
	for (const struct ts_embedded_map *e = ts_embedded_maps; e->name; e++)
		if (ts_map_load(m, e->name, e->text, e->len, err) < 0)
			return -1;
	return 0;
}

ts_map *ts_map_new(void)
{
	ts_map *m = calloc(1, sizeof(*m));
	if (!m) {
		fputs("tokenscope: out of memory\n", stderr);
		abort();
	}
	return m;
}

void ts_map_free(ts_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->regexes.n; i++)
		pcre2_code_free(m->regexes.v[i]);
	ts_arena_free(&m->arena);
	free(m);
}
