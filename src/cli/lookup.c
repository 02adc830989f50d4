/*
 * lookup.c - `tokenscope lookup`: what one call needs, for the moment a run
 * fails with "Resource not accessible by integration".
 *
 *   tokenscope lookup 'POST /repos/o/r/issues/12/comments'
 *   tokenscope lookup https://api.github.com/repos/o/r/actions/runners/registration-token
 *   tokenscope lookup gh pr merge --auto
 *   tokenscope lookup mutation addComment
 *   tokenscope lookup github.rest.issues.createComment
 *   tokenscope lookup actions/checkout@v4
 */
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ts_verbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

/* Prints needs as "a: write and (b: read or c: read)". Returns true when
 * some requirement can only be met by permissions GITHUB_TOKEN never has. */
static bool ts_print_needs(const ts_map *m, const ts_needs *n)
{
	bool impossible = false;
	if (n->nreqs == 0) {
		printf("  needs: nothing beyond metadata: read (every token has it)\n");
		return false;
	}
	printf("  needs: ");
	for (unsigned i = 0; i < n->nreqs; i++) {
		const ts_req *r = &n->reqs[i];
		bool grantable = false;
		printf("%s%s", i ? " and " : "", r->nalts > 1 ? "(" : "");
		for (unsigned k = 0; k < r->nalts; k++) {
			const ts_alt *a = &r->alts[k];
			printf("%s%s: %s", k ? " or " : "",
			       a->never ? ts_map_never_name(m, a->scope) : ts_map_scope_name(m, a->scope),
			       ts_level_name((ts_level)a->level));
			grantable |= !a->never;
		}
		printf("%s", r->nalts > 1 ? ")" : "");
		impossible |= !grantable;
	}
	printf("\n");
	for (unsigned i = 0; i < n->nreqs && impossible; i++) {
		const ts_req *r = &n->reqs[i];
		bool grantable = false;
		for (unsigned k = 0; k < r->nalts; k++)
			grantable |= !r->alts[k].never;
		if (!grantable)
			printf("  GITHUB_TOKEN can never make this call (%s is not a workflow scope).\n"
			       "  Use instead: %s\n", ts_map_never_name(m, r->alts[0].scope),
			       ts_map_never_advice(m, r->alts[0].scope));
	}
	return impossible;
}

static void ts_print_origin(const ts_origin *o)
{
	printf("  source: %s\n  entry: %s:%d\n", o->source ? o->source : "?", o->file, o->line);
}

/* "https://api.github.com/repos/..." -> "/repos/...", also GHES and uploads. */
static const char *ts_url_path(const char *q)
{
	const char *p = strstr(q, "://");
	if (!p)
		return q;
	p = strchr(p + 3, '/');
	if (!p)
		return "/";
	if (!strncmp(p, "/api/v3/", 8))
		p += 7;
	return p;
}

/* Literal segments of a template: with no verb given, a URL such as
 * .../runners/registration-token must not also show GET .../{runner_id}. */
static int ts_literal_segments(const char *tpl)
{
	int n = 0;
	for (const char *p = tpl; *p; p++)
		if (*p == '/' && p[1] && p[1] != '{')
			n++;
	return n;
}

static int ts_lookup_rest(const ts_map *m, const char *verb, const char *path)
{
	enum { NV = sizeof(ts_verbs) / sizeof(ts_verbs[0]) };
	size_t len = strcspn(path, "?#");
	const ts_rest_entry *hit[NV];
	int best = -1, found = 0;
	for (size_t i = 0; i < NV; i++) {
		hit[i] = verb && strcasecmp(verb, ts_verbs[i]) ? NULL
							       : ts_map_rest(m, ts_verbs[i], path, len);
		if (hit[i] && ts_literal_segments(hit[i]->path) > best)
			best = ts_literal_segments(hit[i]->path);
	}
	for (size_t i = 0; i < NV; i++) {
		const ts_rest_entry *e = hit[i];
		if (!e || ts_literal_segments(e->path) < best)
			continue;
		printf("%s %s\n", e->verb, e->path);
		ts_print_needs(m, &e->needs);
		if (e->doc)
			printf("  docs: https://docs.github.com/rest/%s\n", e->doc);
		ts_print_origin(&e->origin);
		found++;
	}
	if (!found)
		fprintf(stderr, "tokenscope: no REST operation matches %s%s%.*s\n",
			verb ? verb : "", verb ? " " : "", (int)len, path);
	return found ? TS_EXIT_OK : TS_EXIT_ERROR;
}

static int ts_lookup_gh(const ts_map *m, const ts_cli *cli)
{
	/* the longest run of words (without flags) that names a record */
	char key[256] = "";
	size_t w = 1;
	const ts_named_entry *base = NULL;
	char trial[256] = "";
	for (size_t i = 1; i < cli->npaths && cli->paths[i][0] != '-'; i++) {
		snprintf(trial + strlen(trial), sizeof(trial) - strlen(trial), "%s%s",
			 trial[0] ? " " : "", cli->paths[i]);
		const ts_named_entry *e = ts_map_gh(m, trial);
		if (e) {
			base = e;
			snprintf(key, sizeof(key), "%s", trial);
			w = i + 1;
		}
	}
	if (!base) {
		fprintf(stderr, "tokenscope: the map knows no gh command '%s'\n", trial);
		return TS_EXIT_ERROR;
	}
	printf("gh %s\n", key);
	ts_print_needs(m, &base->needs);
	ts_print_origin(&base->origin);
	for (size_t i = w; i < cli->npaths; i++) {
		char fk[300];
		snprintf(fk, sizeof(fk), "%s %s", key, cli->paths[i]);
		const ts_named_entry *f = ts_map_gh(m, fk);
		if (!f)
			continue;
		printf("gh %s adds:\n", fk);
		ts_print_needs(m, &f->needs);
		ts_print_origin(&f->origin);
	}
	return TS_EXIT_OK;
}

static void ts_print_action(const ts_map *m, const ts_action_entry *e)
{
	printf("action %s", e->name);
	if (e->vmin >= 0 && e->vmax >= 0)
		printf(" (v%d to v%d)", e->vmin, e->vmax);
	else if (e->vmin >= 0)
		printf(" (v%d and later)", e->vmin);
	printf("\n");
	for (unsigned i = 0; i < e->ninputs; i++)
		if (e->inputs[i].token)
			printf("  token input: %s%s\n", e->inputs[i].name,
			       e->inputs[i].token_default ? " (defaults to github.token)" : "");
	for (unsigned i = 0; i < e->ntoken_env; i++)
		printf("  token env: %s\n", e->token_env[i]);
	for (unsigned i = 0; i < e->nrules; i++) {
		const ts_rule *r = &e->rules[i];
		static const char *const kinds[] = {"with the token", "always", "unknown",
						    "leaves git credentials", "pushes an image"};
		printf("  rule (%s)", kinds[r->kind]);
		for (unsigned k = 0; k < r->nconds; k++)
			printf(" if %s%s%s%s", r->conds[k].op == TS_COND_FACT ? "@" : "",
			       r->conds[k].op == TS_COND_UNSET ? "!" : "", r->conds[k].input,
			       r->conds[k].value ? "~" : "");
		printf(":\n");
		if (r->kind == TS_RULE_NEED || r->kind == TS_RULE_ALWAYS)
			ts_print_needs(m, &r->needs);
		else if (r->kind == TS_RULE_UNKNOWN)
			printf("  %s\n", r->why);
	}
	if (e->note)
		printf("  note: %s\n", e->note);
	ts_print_origin(&e->origin);
}

static int ts_lookup_action(const ts_map *m, const char *q)
{
	const char *at = strchr(q, '@');
	size_t len = at ? (size_t)(at - q) : strlen(q);
	int major = -1;
	if (at && (isdigit((unsigned char)at[1]) ||
		   ((at[1] == 'v' || at[1] == 'V') && isdigit((unsigned char)at[2]))))
		major = atoi(at + 1 + !isdigit((unsigned char)at[1]));
	const ts_action_entry *e = ts_map_action(m, q, len, major);
	if (!e) {
		fprintf(stderr, "tokenscope: the map does not describe %s\n", q);
		return TS_EXIT_ERROR;
	}
	ts_print_action(m, e);
	return TS_EXIT_OK;
}

static int ts_lookup_named(const ts_map *m, const ts_named_entry *e, const char *what)
{
	if (!e) {
		fprintf(stderr, "tokenscope: the map does not know %s\n", what);
		return TS_EXIT_ERROR;
	}
	printf("%s\n", e->key);
	ts_print_needs(m, &e->needs);
	ts_print_origin(&e->origin);
	return TS_EXIT_OK;
}

static int ts_lookup_octokit(const ts_map *m, const char *q)
{
	if (!strncmp(q, "github.", 7))
		q += 7;
	if (!strncmp(q, "rest.", 5))
		q += 5;
	const ts_octokit_entry *o = ts_map_octokit(m, q, strlen(q));
	if (!o) {
		fprintf(stderr, "tokenscope: the map knows no octokit method %s\n", q);
		return TS_EXIT_ERROR;
	}
	printf("octokit %s = %s %s\n", o->method, o->verb, o->path);
	return ts_lookup_rest(m, o->verb, o->path);
}

static int ts_map_report(const ts_map *m, bool list)
{
	ts_map_stats s;
	ts_map_stats_get(m, &s);
	if (list) {
		const ts_action_entry *e;
		for (unsigned i = 0; (e = ts_map_action_at(m, i)); i++)
			printf("%s\t%s:%d\n", e->name, e->origin.file, e->origin.line);
		return TS_EXIT_OK;
	}
	printf("map ok: %u scopes, %u never keys, %u rest, %u graphql, %u gh, %u octokit, "
	       "%u facts, %u tools, %u actions\n", s.scopes, s.nevers, s.rest, s.graphql, s.gh,
	       s.octokit, s.facts, s.tools, s.actions);
	return TS_EXIT_OK;
}

static bool ts_is_verb(const char *w)
{
	for (size_t i = 0; i < sizeof(ts_verbs) / sizeof(ts_verbs[0]); i++)
		if (!strcasecmp(w, ts_verbs[i]))
			return true;
	return false;
}

int ts_lookup_main(const ts_cli *cli, const ts_map *m)
{
	if (cli->map_check || cli->list_actions)
		return ts_map_report(m, cli->list_actions);
	const char *first = cli->paths[0];
	char verb[16];
	/* 'POST /repos/...' may come as one word or two */
	if (cli->npaths == 1 && sscanf(first, "%15s", verb) == 1 && ts_is_verb(verb) &&
	    strchr(first, ' '))
		return ts_lookup_rest(m, verb, ts_url_path(first + strlen(verb) + 1 +
							   strspn(first + strlen(verb) + 1, " ")));
	if (ts_is_verb(first) && cli->npaths >= 2)
		return ts_lookup_rest(m, first, ts_url_path(cli->paths[1]));
	if (!strcmp(first, "gh"))
		return ts_lookup_gh(m, cli);
	if ((!strcmp(first, "mutation") || !strcmp(first, "query")) && cli->npaths >= 2)
		return ts_lookup_named(m, ts_map_graphql(m, first[0] == 'm', cli->paths[1],
							 strlen(cli->paths[1])), cli->paths[1]);
	if (strstr(first, "://") || first[0] == '/')
		return ts_lookup_rest(m, NULL, ts_url_path(first));
	if (!strchr(first, '/') && strchr(first, '.'))
		return ts_lookup_octokit(m, first);
	return ts_lookup_action(m, first);
}
