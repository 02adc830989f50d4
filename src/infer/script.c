/*
 * script.c - what an actions/github-script `script:` does with the
 * authenticated client it is handed as `github`.
 *
 * The script is JavaScript, read here only lexically: comments are skipped,
 * strings are skipped except where a call takes a route or a query, and each
 * use of the identifier `github` must be one of the forms we can map:
 *   github.rest.NS.METHOD(...)      and the older github.NS.METHOD(...)
 *   github.request('VERB /path')    github.paginate(github.rest... | 'VERB /path')
 *   github.graphql(`mutation {...}`)
 * Anything else that touches `github` (passing it to a required module, a
 * route built at run time) leaves the job unresolved. core.getIDToken() is
 * an OIDC request.
 */
#include "graphql.h"
#include "job.h"

#include <ctype.h>
#include <string.h>

typedef struct ts_js {
	ts_jobctx *jc;
	const ts_step *step;
	const char *s;
	size_t len, i;
	int line0;              /* file line of the script's first line */
	bool pr;                /* the script works on a pull request */
	ts_reason base;
} ts_js;

static bool ts_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static int ts_js_line(const ts_js *js, size_t at)
{
	int line = js->line0;
	for (size_t k = 0; k < at && k < js->len; k++)
		line += js->s[k] == '\n';
	return line;
}

static ts_reason ts_js_reason(ts_js *js, size_t at, const char *what)
{
	ts_reason r = js->base;
	r.what = what;
	r.line = js->line0 ? ts_js_line(js, at) : js->base.line;
	return r;
}

static void ts_js_unknown(ts_js *js, size_t at, const char *what, const char *why)
{
	ts_reason r = ts_js_reason(js, at, what);
	ts_job_note(js->jc, TS_NOTE_UNRESOLVED, &r, "github-script: %s", why);
}

/* Skips a string or template literal starting at s[i]; returns the index
 * past it and the contents' span. */
static size_t ts_js_string(const ts_js *js, size_t i, size_t *cs, size_t *ce)
{
	char q = js->s[i++];
	*cs = i;
	while (i < js->len && js->s[i] != q) {
		if (js->s[i] == '\\')
			i++;
		i++;
	}
	*ce = i < js->len ? i : js->len;
	return i < js->len ? i + 1 : js->len;
}

static size_t ts_js_skip_space(const ts_js *js, size_t i)
{
	while (i < js->len && isspace((unsigned char)js->s[i]))
		i++;
	return i;
}

/* A dotted name from i: "github.rest.issues.createComment". */
static size_t ts_js_chain(const ts_js *js, size_t i, size_t *end)
{
	size_t st = i;
	while (i < js->len && (ts_id_char(js->s[i]) || js->s[i] == '.'))
		i++;
	*end = i;
	return i - st;
}

/* ------------------------------------------------------------------ */

static void ts_js_route(ts_js *js, size_t at, const char *route, size_t len)
{
	const ts_map *m = js->jc->ctx->map;
	const char *sp = memchr(route, ' ', len);
	char verb[16];
	if (!sp || (size_t)(sp - route) >= sizeof(verb)) {
		ts_js_unknown(js, at, "github.request", "a route without a verb");
		return;
	}
	size_t vl = (size_t)(sp - route);
	for (size_t k = 0; k < vl; k++)
		verb[k] = (char)toupper((unsigned char)route[k]);
	verb[vl] = '\0';
	const char *path = sp + 1;
	size_t pl = len - vl - 1;
	const char *q = memchr(path, '?', pl);
	if (q)
		pl = (size_t)(q - path);
	const ts_rest_entry *e = ts_map_rest(m, verb, path, pl);
	const char *what = ts_sprintf(js->jc->ctx->arena, "github-script %s %.*s", verb,
				      (int)pl, path);
	if (!e) {
		ts_js_unknown(js, at, what, "a route the map does not know");
		return;
	}
	ts_reason r = ts_js_reason(js, at, what);
	r.origin = e->origin;
	bool pr = js->pr || memmem(path, pl, "/pulls", 6) != NULL;
	ts_job_need(js->jc, &e->needs, pr, &r);
}

static void ts_js_method(ts_js *js, size_t at, const char *method, size_t len)
{
	const ts_octokit_entry *o = ts_map_octokit(js->jc->ctx->map, method, len);
	const char *what = ts_sprintf(js->jc->ctx->arena, "github.rest.%.*s", (int)len, method);
	if (!o) {
		ts_js_unknown(js, at, what, "an octokit method the map does not know");
		return;
	}
	const ts_rest_entry *e = ts_map_rest(js->jc->ctx->map, o->verb, o->path, strlen(o->path));
	if (!e) {
		ts_js_unknown(js, at, what, "its route is not in the REST map");
		return;
	}
	ts_reason r = ts_js_reason(js, at, what);
	r.origin = e->origin;
	bool pr = js->pr || strstr(o->path, "/pulls") != NULL;
	ts_job_need(js->jc, &e->needs, pr, &r);
}

static void ts_js_graphql(ts_js *js, size_t at, const char *q, size_t len)
{
	ts_gql_field *f;
	size_t n;
	if (ts_graphql_fields(js->jc->ctx->arena, q, len, &f, &n) < 0) {
		ts_js_unknown(js, at, "github.graphql", "a GraphQL document it cannot read");
		return;
	}
	for (size_t k = 0; k < n; k++) {
		const ts_named_entry *e = ts_map_graphql(js->jc->ctx->map, f[k].mutation,
							 f[k].name, strlen(f[k].name));
		const char *what = ts_sprintf(js->jc->ctx->arena, "github.graphql %s %s",
					      f[k].mutation ? "mutation" : "query", f[k].name);
		if (!e) {
			ts_js_unknown(js, at, what, "a GraphQL field the map does not know");
			continue;
		}
		ts_reason r = ts_js_reason(js, at, what);
		r.origin = e->origin;
		ts_job_need(js->jc, &e->needs, js->pr, &r);
	}
}

/* The first argument of a call at s[i] == '(' if it is a plain literal. */
static bool ts_js_literal_arg(const ts_js *js, size_t i, size_t *cs, size_t *ce)
{
	i = ts_js_skip_space(js, i + 1);
	if (i >= js->len)
		return false;
	char c = js->s[i];
	if (c != '\'' && c != '"' && c != '`')
		return false;
	size_t end = ts_js_string(js, i, cs, ce);
	/* A template with ${...} builds its text at run time. */
	if (c == '`' && memmem(js->s + *cs, *ce - *cs, "${", 2))
		return false;
	end = ts_js_skip_space(js, end);
	return end < js->len && (js->s[end] == ',' || js->s[end] == ')');
}

/* One use of `github` at s[at], whose dotted chain ends at `end`. */
static void ts_js_use(ts_js *js, size_t at, size_t end)
{
	const char *c = js->s + at;
	size_t cl = end - at;
	size_t call = ts_js_skip_space(js, end);
	bool is_call = call < js->len && js->s[call] == '(';
	size_t cs, ce;
	if (cl > 12 && !strncmp(c, "github.rest.", 12) && is_call) {
		ts_js_method(js, at, c + 12, cl - 12);
	} else if ((ts_streq(c, cl, "github.request") || ts_streq(c, cl, "github.paginate") ||
		    ts_streq(c, cl, "github.paginate.iterator")) && is_call) {
		if (ts_js_literal_arg(js, call, &cs, &ce))
			ts_js_route(js, at, js->s + cs, ce - cs);
		else if (ts_streq(c, cl, "github.request"))
			ts_js_unknown(js, at, "github.request", "a route built at run time");
		/* paginate(github.rest.X.y, ...): the method is its own use */
	} else if (ts_streq(c, cl, "github.graphql") && is_call) {
		if (ts_js_literal_arg(js, call, &cs, &ce))
			ts_js_graphql(js, at, js->s + cs, ce - cs);
		else
			ts_js_unknown(js, at, "github.graphql", "a query built at run time");
	} else if (cl > 7 && c[6] == '.' && memchr(c + 7, '.', cl - 7) && is_call &&
		   strncmp(c, "github.rest", 11)) {
		ts_js_method(js, at, c + 7, cl - 7);   /* github-script v4 and older */
	} else if (!is_call && call < js->len && js->s[call] == ',' && cl > 12 &&
		   !strncmp(c, "github.rest.", 12)) {
		ts_js_method(js, at, c + 12, cl - 12); /* paginate(github.rest.x.y, ...) */
	} else {
		ts_js_unknown(js, at, ts_strndup(js->jc->ctx->arena, c, cl > 60 ? 60 : cl),
			      "the client is used in a way tokenscope does not map");
	}
}

static void ts_js_oidc(ts_js *js, size_t at)
{
	const ts_named_entry *e = ts_map_fact(js->jc->ctx->map, "oidc");
	if (!e)
		return;
	ts_reason r = ts_js_reason(js, at, "core.getIDToken");
	r.origin = e->origin;
	ts_job_need(js->jc, &e->needs, false, &r);
}

static size_t ts_js_comment(const ts_js *js, size_t i)
{
	if (js->s[i + 1] == '/') {
		while (i < js->len && js->s[i] != '\n')
			i++;
		return i;
	}
	const char *e = memmem(js->s + i + 2, js->len - i - 2, "*/", 2);
	return e ? (size_t)(e - js->s) + 2 : js->len;
}

/* A '/' starts a regular expression where an operand is expected, i.e.
 * after an operator or an opening bracket, not after a value. */
static bool ts_js_regex_start(const ts_js *js, size_t i)
{
	static const char *const keywords[] = {
		"return", "typeof", "case", "in", "of", "delete", "void", "throw",
		"new", "instanceof", "yield", "await", "else", "do",
	};
	while (i > 0 && isspace((unsigned char)js->s[i - 1]))
		i--;
	if (i == 0)
		return true;
	if (strchr("(,=:[!&|?{};+-*%<>~^", js->s[i - 1]))
		return true;
	/* after a keyword an operand is expected: `return /x/.test(s)` */
	size_t st = i;
	while (st > 0 && ts_id_char(js->s[st - 1]))
		st--;
	if (st > 0 && js->s[st - 1] == '.')
		return false;
	for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
		if (ts_streq(js->s + st, i - st, keywords[k]))
			return true;
	return false;
}

static size_t ts_js_regex(const ts_js *js, size_t i)
{
	bool cls = false;
	for (i++; i < js->len && js->s[i] != '\n'; i++) {
		char c = js->s[i];
		if (c == '\\')
			i++;
		else if (c == '[')
			cls = true;
		else if (c == ']')
			cls = false;
		else if (c == '/' && !cls)
			return i + 1;
	}
	return i;
}

static void ts_js_scan(ts_js *js)
{
	size_t i = 0;
	while (i < js->len) {
		char c = js->s[i];
		if (c == '$' && i + 2 < js->len && js->s[i + 1] == '{' && js->s[i + 2] == '{') {
			/* a workflow expression, substituted before the script runs */
			const char *e = memmem(js->s + i, js->len - i, "}}", 2);
			i = e ? (size_t)(e - js->s) + 2 : js->len;
		} else if (c == '/' && i + 1 < js->len && (js->s[i + 1] == '/' || js->s[i + 1] == '*')) {
			i = ts_js_comment(js, i);
		} else if (c == '/' && ts_js_regex_start(js, i)) {
			i = ts_js_regex(js, i);
		} else if (c == '\'' || c == '"' || c == '`') {
			size_t cs, ce;
			i = ts_js_string(js, i, &cs, &ce);
		} else if (ts_id_char(c) && (i == 0 || (!ts_id_char(js->s[i - 1]) && js->s[i - 1] != '.'))) {
			size_t end;
			ts_js_chain(js, i, &end);
			while (end > i && js->s[end - 1] == '.')
				end--;
			size_t wl = 0;
			while (i + wl < end && ts_id_char(js->s[i + wl]))
				wl++;
			if (ts_streq(js->s + i, wl, "github"))
				ts_js_use(js, i, end);
			else if (ts_streq(js->s + i, end - i, "core.getIDToken"))
				ts_js_oidc(js, i);
			i = end > i ? end : i + 1;
		} else {
			i++;
		}
	}
}

void ts_github_script(ts_jobctx *jc, const ts_step *s, const ts_node *script,
		      const ts_reason *why)
{
	if (!script || script->kind != TS_NODE_SCALAR) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "github-script: the script is not text");
		return;
	}
	ts_js js = {jc, s, script->text, script->len, 0, 0, false, *why};
	/* Block scalars start on their first content line; others on theirs. */
	js.line0 = script->line;
	js.pr = memmem(js.s, js.len, "pull_request", 12) != NULL ||
		(jc->pull_request && memmem(js.s, js.len, "context.issue", 13) != NULL);
	if (memmem(js.s, js.len, "${{", 3)) {
		ts_value v = ts_node_value(jc, script, &jc->job_env);
		/* Expressions usually inject data (a PR number); the token
		 * written into the code is another client we cannot follow. */
		if (v.kind == TS_VAL_GITHUB_TOKEN) {
			ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
				    "github-script: the token is written into the script itself");
			return;
		}
	}
	ts_js_scan(&js);
}
