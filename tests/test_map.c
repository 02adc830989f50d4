/*
 * test_map.c - the endpoint map: loading small inline maps (ts_map_load +
 * ts_map_finish) and looking things up.
 *
 * Covers every record kind; the needs syntax (`-`, `a:read`,
 * `a:write+b:read`, `a|b`, `|` binding tighter than `+`, never keys);
 * errors as FILE:LINE:COL for unknown names, bad levels, a missing source,
 * bad attributes and conditions; a later record overriding an earlier one
 * (also across files, as --map does); REST template matching (multi-segment
 * {path}/{ref}, the most specific template winning, a concrete `{x}`
 * matching only parameters); action version ranges and refs that are not
 * versions; gh flag records; and a few facts of the builtin map.
 */
#include "testlib.h"

#include "infer/job.h"   /* ts_use_parse: how a `uses:` ref becomes a major */

/* The scopes and nevers every inline map here starts with. */
#define BASE \
	"source t \"unit test\"\n" \
	"scope contents read/write\n" \
	"scope issues read/write\n" \
	"scope pull-requests read/write\n" \
	"scope id-token write\n" \
	"scope models read\n" \
	"never administration \"use an App token\"\n"

enum { CONTENTS, ISSUES, PRS, IDTOKEN, MODELS };

static const ts_map *map_ok(const char *text)
{
	ts_error err = {0, 0, ""};
	const ts_map *m = tl_map_text(text, &err);
	if (!m)
		fail_msg("map: %s", err.msg);
	return m;
}

/* Asserts loading (or finishing) fails with exactly `msg` at its start. */
static void assert_map_error(const char *text, const char *msg)
{
	ts_error err = {0, 0, ""};
	assert_null(tl_map_text(text, &err));
	if (strncmp(err.msg, msg, strlen(msg)))
		fail_msg("expected '%s...', got '%s'", msg, err.msg);
}

static void assert_alt(const ts_alt *a, int scope, ts_level level, bool never)
{
	assert_int_equal(a->scope, scope);
	assert_int_equal(a->level, level);
	assert_int_equal(a->never, never);
}

static const ts_needs *rest_needs(const ts_map *m, const char *verb, const char *path)
{
	const ts_rest_entry *e = ts_map_rest(m, verb, path, strlen(path));
	if (!e)
		fail_msg("no rest entry for %s %s", verb, path);
	return &e->needs;
}

/* The template a concrete path resolves to, or NULL. */
static const char *rest_template(const ts_map *m, const char *verb, const char *path)
{
	const ts_rest_entry *e = ts_map_rest(m, verb, path, strlen(path));
	return e ? e->path : NULL;
}

/* ------------------------------------------------------------------ */
/* Records                                                             */

static void every_record_kind_loads(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE
		"rest GET /repos/{owner}/{repo}/issues issues:read issues/issues#list\n"
		"graphql mutation addComment issues:write|pull-requests:write\n"
		"graphql query repository -\n"
		"gh \"pr merge\" pull-requests:write\n"
		"octokit issues.listForRepo GET /repos/{owner}/{repo}/issues\n"
		"fact oidc id-token:write\n"
		"tool goreleaser contents:write\n"
		"action owner/thing\n"
		"  token github-token default\n"
		"  need issues:write\n");
	ts_map_stats st;
	ts_map_stats_get(m, &st);
	assert_int_equal(st.scopes, 5);
	assert_int_equal(st.nevers, 1);
	assert_int_equal(st.rest, 1);
	assert_int_equal(st.graphql, 2);
	assert_int_equal(st.gh, 1);
	assert_int_equal(st.octokit, 1);
	assert_int_equal(st.facts, 1);
	assert_int_equal(st.tools, 1);
	assert_int_equal(st.actions, 1);

	const ts_rest_entry *r = ts_map_rest(m, "GET", "/repos/o/r/issues", 17);
	assert_non_null(r);
	assert_string_equal(r->verb, "GET");
	assert_string_equal(r->path, "/repos/{owner}/{repo}/issues");
	assert_string_equal(r->doc, "issues/issues#list");
	assert_string_equal(r->origin.file, "t.map");
	assert_int_equal(r->origin.line, 8);
	assert_string_equal(r->origin.source, "t unit test");

	assert_non_null(ts_map_graphql(m, true, "addComment", 10));
	assert_null(ts_map_graphql(m, false, "addComment", 10));
	assert_int_equal(ts_map_graphql(m, false, "repository", 10)->needs.nreqs, 0);
	assert_non_null(ts_map_gh(m, "pr merge"));
	const ts_octokit_entry *o = ts_map_octokit(m, "issues.listForRepo", 18);
	assert_non_null(o);
	assert_string_equal(o->verb, "GET");
	assert_string_equal(o->path, "/repos/{owner}/{repo}/issues");
	assert_null(ts_map_octokit(m, "issues.listFor", 14));
	assert_non_null(ts_map_fact(m, "oidc"));
	assert_null(ts_map_fact(m, "oid"));
	assert_non_null(ts_map_tool(m, "goreleaser", 10));
	assert_null(ts_map_tool(m, "goreleaserx", 11));

	const ts_action_entry *a = ts_map_action(m, "Owner/Thing", 11, 3);
	assert_non_null(a);
	assert_string_equal(a->name, "owner/thing");
	assert_int_equal(a->ninputs, 1);
	assert_string_equal(a->inputs[0].name, "github-token");
	assert_true(a->inputs[0].token);
	assert_true(a->inputs[0].token_default);
	assert_int_equal(a->nrules, 1);
	assert_int_equal(a->rules[0].kind, TS_RULE_NEED);
	assert_alt(&a->rules[0].needs.reqs[0].alts[0], ISSUES, TS_LEVEL_WRITE, false);
}

static void scopes_in_declared_order_with_their_levels(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE);
	assert_int_equal(ts_map_nscopes(m), 5);
	assert_string_equal(ts_map_scope_name(m, 0), "contents");
	assert_string_equal(ts_map_scope_name(m, IDTOKEN), "id-token");
	assert_int_equal(ts_map_scope_find(m, "pull-requests", 13), PRS);
	assert_int_equal(ts_map_scope_find(m, "pull", 4), -1);
	assert_true(ts_map_scope_allows(m, CONTENTS, TS_LEVEL_READ));
	assert_true(ts_map_scope_allows(m, CONTENTS, TS_LEVEL_WRITE));
	assert_false(ts_map_scope_allows(m, IDTOKEN, TS_LEVEL_READ));
	assert_true(ts_map_scope_allows(m, IDTOKEN, TS_LEVEL_WRITE));
	assert_true(ts_map_scope_allows(m, MODELS, TS_LEVEL_READ));
	assert_false(ts_map_scope_allows(m, MODELS, TS_LEVEL_WRITE));
	assert_false(ts_map_scope_allows(m, 99, TS_LEVEL_READ));
	assert_string_equal(ts_map_never_name(m, 0), "administration");
	assert_string_equal(ts_map_never_advice(m, 0), "use an App token");
}

static void quoted_tokens_unescape(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "never secrets \"say \\\"no\\\" \\\\ twice\"  # comment\n");
	assert_string_equal(ts_map_never_name(m, 1), "secrets");
	assert_string_equal(ts_map_never_advice(m, 1), "say \"no\" \\ twice");
}

static void crlf_map_files_load(void **state)
{
	(void)state;
	const ts_map *m = map_ok("source t x\r\nscope contents read/write\r\n"
				 "fact git-push contents:write\r\n");
	const ts_named_entry *e = ts_map_fact(m, "git-push");
	assert_non_null(e);
	assert_alt(&e->needs.reqs[0].alts[0], CONTENTS, TS_LEVEL_WRITE, false);
}

/* ------------------------------------------------------------------ */
/* Needs syntax                                                        */

static void needs_dash_is_nothing(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "rest GET /meta -\n");
	const ts_needs *n = rest_needs(m, "GET", "/meta");
	assert_int_equal(n->nreqs, 0);
}

static void needs_single_scope(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "rest GET /a contents:read\n");
	const ts_needs *n = rest_needs(m, "GET", "/a");
	assert_int_equal(n->nreqs, 1);
	assert_int_equal(n->reqs[0].nalts, 1);
	assert_alt(&n->reqs[0].alts[0], CONTENTS, TS_LEVEL_READ, false);
}

static void needs_plus_joins_requirements(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "rest POST /a contents:write+issues:read\n");
	const ts_needs *n = rest_needs(m, "POST", "/a");
	assert_int_equal(n->nreqs, 2);
	assert_int_equal(n->reqs[0].nalts, 1);
	assert_alt(&n->reqs[0].alts[0], CONTENTS, TS_LEVEL_WRITE, false);
	assert_int_equal(n->reqs[1].nalts, 1);
	assert_alt(&n->reqs[1].alts[0], ISSUES, TS_LEVEL_READ, false);
}

static void needs_bar_joins_alternatives(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "rest POST /a issues:write|pull-requests:write\n");
	const ts_needs *n = rest_needs(m, "POST", "/a");
	assert_int_equal(n->nreqs, 1);
	assert_int_equal(n->reqs[0].nalts, 2);
	assert_alt(&n->reqs[0].alts[0], ISSUES, TS_LEVEL_WRITE, false);
	assert_alt(&n->reqs[0].alts[1], PRS, TS_LEVEL_WRITE, false);
}

static void needs_bar_binds_tighter_than_plus(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE
		"rest POST /a contents:read+issues:write|pull-requests:write\n"
		"rest POST /b issues:write|pull-requests:write+contents:read\n");
	const ts_needs *n = rest_needs(m, "POST", "/a");
	assert_int_equal(n->nreqs, 2);
	assert_int_equal(n->reqs[0].nalts, 1);
	assert_alt(&n->reqs[0].alts[0], CONTENTS, TS_LEVEL_READ, false);
	assert_int_equal(n->reqs[1].nalts, 2);
	assert_alt(&n->reqs[1].alts[0], ISSUES, TS_LEVEL_WRITE, false);
	assert_alt(&n->reqs[1].alts[1], PRS, TS_LEVEL_WRITE, false);
	n = rest_needs(m, "POST", "/b");
	assert_int_equal(n->nreqs, 2);
	assert_int_equal(n->reqs[0].nalts, 2);
	assert_int_equal(n->reqs[1].nalts, 1);
	assert_alt(&n->reqs[1].alts[0], CONTENTS, TS_LEVEL_READ, false);
}

static void needs_never_key_is_marked(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE "rest POST /hooks administration:write\n"
				      "rest POST /mixed administration:write|contents:write\n");
	const ts_needs *n = rest_needs(m, "POST", "/hooks");
	assert_int_equal(n->nreqs, 1);
	assert_alt(&n->reqs[0].alts[0], 0, TS_LEVEL_WRITE, true);
	n = rest_needs(m, "POST", "/mixed");
	assert_alt(&n->reqs[0].alts[0], 0, TS_LEVEL_WRITE, true);
	assert_alt(&n->reqs[0].alts[1], CONTENTS, TS_LEVEL_WRITE, false);
}

static void needs_may_name_scopes_declared_later(void **state)
{
	(void)state;
	/* records keep their needs as text until finish */
	const ts_map *m = map_ok("source t x\nfact f late:read\nscope late read\n");
	assert_alt(&ts_map_fact(m, "f")->needs.reqs[0].alts[0], 0, TS_LEVEL_READ, false);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static void error_unknown_name_has_file_line_col(void **state)
{
	(void)state;
	assert_map_error(BASE "rest GET /a  nope:read\n",
			 "t.map:8:14: 'nope' is neither a scope nor a never key");
	assert_map_error(BASE "fact f contents:read+nope:write\n",
			 "t.map:8:8: 'nope' is neither a scope nor a never key");
}

static void error_bad_level(void **state)
{
	(void)state;
	assert_map_error(BASE "rest GET /a contents:admin\n",
			 "t.map:8:13: level of 'contents:admin' is not read or write");
	assert_map_error(BASE "rest GET /a contents\n",
			 "t.map:8:13: need 'contents' lacks :read or :write");
	assert_map_error(BASE "tool x id-token:read\n",
			 "t.map:8:8: scope 'id-token' has no level read");
	assert_map_error(BASE "scope foo none\n",
			 "t.map:8:11: levels must be read/write, read or write");
}

static void error_missing_source(void **state)
{
	(void)state;
	assert_map_error("scope contents read/write\nrest GET /a contents:read\n",
			 "t.map:2:1: record with no source in force");
	assert_map_error("scope contents read/write\n\naction o/r\n  need -\n",
			 "t.map:3:1: action o/r has no source");
	/* an action's own source attribute is enough */
	const ts_map *m = map_ok("scope contents read/write\naction o/r\n"
				 "  source \"o/r v1 action.yml\"\n  need -\n");
	assert_string_equal(ts_map_action(m, "o/r", 3, 1)->origin.source, "o/r v1 action.yml");
}

static void error_bad_attributes(void **state)
{
	(void)state;
	assert_map_error(BASE "action o/r\n  frobnicate x\n",
			 "t.map:9:3: unknown or malformed action attribute");
	assert_map_error(BASE "  need -\n",
			 "t.map:8:3: indented line outside an action record");
	assert_map_error(BASE "action o/r\n  need contents:read when:x\n",
			 "t.map:9:22: expected a condition (if:...)");
	assert_map_error(BASE "action o/r\n  need contents:read if:registry~(ghcr\n",
			 "t.map:9:39: bad pattern in condition");
	assert_map_error(BASE "action o/r\n  versions 4\n",
			 "t.map:9:12: versions takes FROM-TO");
	assert_map_error(BASE "action o/r\n  token a b\n",
			 "t.map:9:3: token takes INPUT [default]");
	assert_map_error(BASE "action o/r\n  script s python\n",
			 "t.map:9:12: script language is github-script or shell");
	assert_map_error(BASE "action o/r\n  need nope:write\n",
			 "t.map:9:8: 'nope' is neither a scope nor a never key");
}

static void error_bad_records(void **state)
{
	(void)state;
	assert_map_error(BASE "frob x y\n", "t.map:8:1: unknown record kind");
	assert_map_error(BASE "rest get /a -\n", "t.map:8:6: a rest VERB is upper case");
	assert_map_error(BASE "rest GET a -\n", "t.map:8:10: a rest PATH starts with /");
	assert_map_error(BASE "graphql subscription x -\n",
			 "t.map:8:1: graphql takes query|mutation NAME NEEDS");
	assert_map_error(BASE "never x \"unterminated\n", "t.map:8:9: unterminated quoted token");
	assert_map_error(BASE "action justaname\n", "t.map:8:1: action takes OWNER/REPO");
	assert_map_error("source onlyid\n", "t.map:1:1: source takes ID TEXT");
}

static void error_map_without_scopes(void **state)
{
	(void)state;
	assert_map_error("source t x\n", "the map declares no scopes");
}

static void error_from_file_names_the_file(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/extra.map", dir);
	tl_write(path, "source s x\nrest GET /a bogus:read\n", 34);
	ts_map *m = *tl_test_map() = ts_map_new();
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_map_load(m, "base.map", BASE, strlen(BASE), &err), 0);
	assert_int_equal(ts_map_load_file(m, path, &err), 0);
	assert_int_equal(ts_map_finish(m, &err), -1);
	char want[400];
	snprintf(want, sizeof(want), "%s:2:13: 'bogus' is neither", path);
	assert_true(!strncmp(err.msg, want, strlen(want)));
	assert_int_equal(ts_map_load_file(m, "/nonexistent/x.map", &err), -1);
	assert_non_null(strstr(err.msg, "cannot open"));
}

/* ------------------------------------------------------------------ */
/* Overrides                                                           */

static void later_record_overrides_earlier(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE
		"rest GET /a contents:read\n"
		"gh \"pr view\" -\n"
		"graphql query viewer -\n"
		"fact git-push contents:read\n"
		"tool goreleaser -\n"
		"octokit x.y GET /a\n"
		"rest GET /a contents:write\n"
		"gh \"pr  view\" pull-requests:read\n"
		"graphql query viewer issues:read\n"
		"fact git-push contents:write\n"
		"tool goreleaser contents:write\n"
		"octokit x.y GET /b\n");
	ts_map_stats st;
	ts_map_stats_get(m, &st);
	assert_int_equal(st.rest, 1);
	assert_int_equal(st.gh, 1);
	assert_int_equal(st.facts, 1);
	const ts_rest_entry *r = ts_map_rest(m, "GET", "/a", 2);
	assert_alt(&r->needs.reqs[0].alts[0], CONTENTS, TS_LEVEL_WRITE, false);
	assert_int_equal(r->origin.line, 14);
	assert_alt(&ts_map_gh(m, "pr view")->needs.reqs[0].alts[0], PRS, TS_LEVEL_READ, false);
	assert_alt(&ts_map_graphql(m, false, "viewer", 6)->needs.reqs[0].alts[0], ISSUES,
		   TS_LEVEL_READ, false);
	assert_alt(&ts_map_fact(m, "git-push")->needs.reqs[0].alts[0], CONTENTS,
		   TS_LEVEL_WRITE, false);
	assert_int_equal(ts_map_tool(m, "goreleaser", 10)->needs.nreqs, 1);
	assert_string_equal(ts_map_octokit(m, "x.y", 3)->path, "/b");
}

static void later_file_overrides_earlier_file(void **state)
{
	(void)state;
	ts_map *m = *tl_test_map() = ts_map_new();
	ts_error err = {0, 0, ""};
	const char *base = BASE "rest GET /a contents:read\naction o/r\n  need -\n";
	const char *over = "source mine \"internal\"\n"
			   "rest GET /a issues:read\n"
			   "action O/R\n  need contents:write\n"
			   "scope issues read\n";
	assert_int_equal(ts_map_load(m, "base.map", base, strlen(base), &err), 0);
	assert_int_equal(ts_map_load(m, "over.map", over, strlen(over), &err), 0);
	assert_int_equal(ts_map_finish(m, &err), 0);
	const ts_rest_entry *r = ts_map_rest(m, "GET", "/a", 2);
	assert_string_equal(r->origin.file, "over.map");
	assert_string_equal(r->origin.source, "mine internal");
	assert_alt(&r->needs.reqs[0].alts[0], ISSUES, TS_LEVEL_READ, false);
	const ts_action_entry *a = ts_map_action(m, "o/r", 3, -1);
	assert_string_equal(a->origin.file, "over.map");
	assert_int_equal(a->rules[0].needs.nreqs, 1);
	/* a scope declared again keeps its place and takes the new levels */
	assert_int_equal(ts_map_scope_find(m, "issues", 6), ISSUES);
	assert_false(ts_map_scope_allows(m, ISSUES, TS_LEVEL_WRITE));
	assert_int_equal(ts_map_nscopes(m), 5);
}

/* ------------------------------------------------------------------ */
/* REST templates                                                      */

#define REST_MAP BASE \
	"rest GET /repos/{owner}/{repo}/contents/{path} contents:read\n" \
	"rest GET /repos/{owner}/{repo}/git/ref/{ref} contents:read\n" \
	"rest GET /repos/{owner}/{repo}/git/ref/{ref}/x contents:write\n" \
	"rest GET /repos/{owner}/{repo}/issues/{issue_number} issues:read\n" \
	"rest GET /repos/{owner}/{repo}/issues/comments issues:write\n" \
	"rest GET /repos/{owner}/{repo}/{thing}/comments pull-requests:read\n" \
	"rest GET /repos/{owner}/{repo}/compare/{basehead} contents:read\n" \
	"rest GET /repos/{owner}/{repo}/compare/{a}/{b} pull-requests:write\n" \
	"rest POST /repos/{owner}/{repo}/issues/{issue_number}/comments issues:write\n"

static void rest_multi_segment_parameters(void **state)
{
	(void)state;
	const ts_map *m = map_ok(REST_MAP);
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/contents/README.md"),
			    "/repos/{owner}/{repo}/contents/{path}");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/contents/a/b/c.txt"),
			    "/repos/{owner}/{repo}/contents/{path}");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/git/ref/heads/feature/x"),
			    "/repos/{owner}/{repo}/git/ref/{ref}/x");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/git/ref/heads/main"),
			    "/repos/{owner}/{repo}/git/ref/{ref}");
	/* a multi-segment parameter takes at least one segment */
	assert_null(rest_template(m, "GET", "/repos/o/r/contents"));
	/* a single-segment parameter takes exactly one */
	assert_null(rest_template(m, "POST", "/repos/o/r/issues/1/2/comments"));
}

static void rest_most_specific_template_wins(void **state)
{
	(void)state;
	const ts_map *m = map_ok(REST_MAP);
	/* more literal segments win over a parameter */
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/issues/comments"),
			    "/repos/{owner}/{repo}/issues/comments");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/issues/12"),
			    "/repos/{owner}/{repo}/issues/{issue_number}");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/pulls/comments"),
			    "/repos/{owner}/{repo}/{thing}/comments");
	/* equal literals: fewer multi-segment parameters win */
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/compare/main/dev"),
			    "/repos/{owner}/{repo}/compare/{a}/{b}");
	assert_string_equal(rest_template(m, "GET", "/repos/o/r/compare/main...dev"),
			    "/repos/{owner}/{repo}/compare/{basehead}");
}

static void rest_concrete_placeholder_matches_only_parameters(void **state)
{
	(void)state;
	const ts_map *m = map_ok(REST_MAP);
	/* `{n}` is a value the caller could not know: never the literal */
	assert_string_equal(rest_template(m, "GET", "/repos/{owner}/{repo}/issues/{n}"),
			    "/repos/{owner}/{repo}/issues/{issue_number}");
	assert_string_equal(rest_template(m, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
			    "/repos/{owner}/{repo}/issues/{issue_number}/comments");
	assert_null(rest_template(m, "GET", "/{x}/o/r/issues/12"));
}

static void rest_verb_and_length_must_match(void **state)
{
	(void)state;
	const ts_map *m = map_ok(REST_MAP);
	assert_null(rest_template(m, "DELETE", "/repos/o/r/issues/12"));
	assert_null(rest_template(m, "GET", "/repos/o/r/issues/12/comments/9"));
	assert_null(rest_template(m, "GET", "/repos/o"));
	/* empty segments do not count */
	assert_string_equal(rest_template(m, "GET", "/repos//o/r/issues/12/"),
			    "/repos/{owner}/{repo}/issues/{issue_number}");
	/* only the given length is read: a query string left outside it */
	const char *q = "/repos/o/r/issues/12?x=1";
	const ts_rest_entry *e = ts_map_rest(m, "GET", q, 20);
	assert_non_null(e);
	assert_string_equal(e->path, "/repos/{owner}/{repo}/issues/{issue_number}");
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

#define ACTION_MAP BASE \
	"action acme/deploy\n  versions v1-v3\n  need contents:read\n" \
	"action acme/deploy\n  versions v4-\n  need contents:write\n" \
	"action acme/deploy\n  versions v2-v2\n  need issues:read\n"

static const char *deploy_scope(const ts_map *m, int major)
{
	const ts_action_entry *e = ts_map_action(m, "ACME/Deploy", 11, major);
	if (!e)
		return NULL;
	const ts_alt *a = &e->rules[0].needs.reqs[0].alts[0];
	return ts_sprintf(tl_arena(), "%s:%s", ts_map_scope_name(m, a->scope),
			  ts_level_name(a->level));
}

static void action_version_ranges(void **state)
{
	(void)state;
	const ts_map *m = map_ok(ACTION_MAP);
	assert_string_equal(deploy_scope(m, 1), "contents:read");
	assert_string_equal(deploy_scope(m, 3), "contents:read");
	assert_string_equal(deploy_scope(m, 4), "contents:write");
	assert_string_equal(deploy_scope(m, 17), "contents:write");
	/* a version below every range is not described */
	assert_null(deploy_scope(m, 0));
	const ts_action_entry *e = ts_map_action(m, "acme/deploy", 11, 5);
	assert_int_equal(e->vmin, 4);
	assert_int_equal(e->vmax, -1);
}

static void action_ref_not_a_version_takes_newest(void **state)
{
	(void)state;
	const ts_map *m = map_ok(ACTION_MAP);
	assert_string_equal(deploy_scope(m, -1), "contents:write");
}

static void action_unversioned_entry_for_every_version(void **state)
{
	(void)state;
	const ts_map *m = map_ok(ACTION_MAP "action acme/deploy\n  need -\n");
	/* a described range still wins for its versions */
	assert_string_equal(deploy_scope(m, 4), "contents:write");
	/* outside every range and for a SHA, the unversioned entry */
	const ts_action_entry *e = ts_map_action(m, "acme/deploy", 11, 0);
	assert_non_null(e);
	assert_int_equal(e->vmin, -1);
	e = ts_map_action(m, "acme/deploy", 11, -1);
	assert_int_equal(e->vmin, -1);
	assert_null(ts_map_action(m, "acme/deplo", 10, 1));
	assert_null(ts_map_action(m, "acme/deployx", 12, 1));
}

static void uses_ref_major_versions(void **state)
{
	(void)state;
	ts_use u;
	ts_use_parse("actions/checkout@v4", &u);
	assert_int_equal(u.major, 4);
	assert_int_equal(u.len, 16);
	assert_string_equal(u.ref, "v4");
	ts_use_parse("actions/checkout@v4.1.7", &u);
	assert_int_equal(u.major, 4);
	ts_use_parse("actions/checkout@3", &u);
	assert_int_equal(u.major, 3);
	ts_use_parse("actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332", &u);
	assert_int_equal(u.major, -1);
	ts_use_parse("actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab", &u);
	assert_int_equal(u.major, -1);     /* starts with a digit: still a SHA */
	ts_use_parse("actions/checkout@main", &u);
	assert_int_equal(u.major, -1);
	ts_use_parse("github/codeql-action/upload-sarif@v3", &u);
	assert_int_equal(u.len, strlen("github/codeql-action/upload-sarif"));
	assert_int_equal(u.major, 3);
	ts_use_parse("./.github/actions/setup", &u);
	assert_true(u.local);
	ts_use_parse("docker://alpine:3", &u);
	assert_true(u.docker);
}

static void action_attributes(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE
		"action docker/login-action\n"
		"  source \"docker/login-action v3\"\n"
		"  token password\n"
		"  token-env GITHUB_TOKEN\n"
		"  input registry docker.io\n"
		"  need packages:read if:registry~^ghcr\\.io\n"
		"  always id-token:write if:@pull-request\n"
		"  unknown \"cannot tell\" if:mode==fancy if:!dry-run\n"
		"  git-credentials if:persist\n"
		"  pushes-image if:push!=false\n"
		"  script code github-script\n"
		"  token-output token\n"
		"  note some words here\n"
		"scope packages read/write\n");
	const ts_action_entry *e = ts_map_action(m, "docker/login-action", 19, 3);
	assert_non_null(e);
	assert_string_equal(e->origin.source, "docker/login-action v3");
	assert_int_equal(e->ninputs, 2);
	assert_string_equal(e->inputs[0].name, "password");
	assert_true(e->inputs[0].token);
	assert_false(e->inputs[0].token_default);
	assert_string_equal(e->inputs[1].name, "registry");
	assert_string_equal(e->inputs[1].value, "docker.io");
	assert_int_equal(e->ntoken_env, 1);
	assert_string_equal(e->token_env[0], "GITHUB_TOKEN");
	assert_int_equal(e->nrules, 5);
	assert_int_equal(e->rules[0].kind, TS_RULE_NEED);
	assert_int_equal(e->rules[0].nconds, 1);
	assert_int_equal(e->rules[0].conds[0].op, TS_COND_MATCH);
	assert_string_equal(e->rules[0].conds[0].input, "registry");
	assert_string_equal(e->rules[0].conds[0].value, "^ghcr\\.io");
	assert_non_null(e->rules[0].conds[0].re);
	assert_alt(&e->rules[0].needs.reqs[0].alts[0], 5, TS_LEVEL_READ, false);
	assert_int_equal(e->rules[1].kind, TS_RULE_ALWAYS);
	assert_int_equal(e->rules[1].conds[0].op, TS_COND_FACT);
	assert_string_equal(e->rules[1].conds[0].input, "pull-request");
	assert_int_equal(e->rules[2].kind, TS_RULE_UNKNOWN);
	assert_string_equal(e->rules[2].why, "cannot tell");
	assert_int_equal(e->rules[2].nconds, 2);
	assert_int_equal(e->rules[2].conds[0].op, TS_COND_EQ);
	assert_string_equal(e->rules[2].conds[0].input, "mode");
	assert_string_equal(e->rules[2].conds[0].value, "fancy");
	assert_int_equal(e->rules[2].conds[1].op, TS_COND_UNSET);
	assert_string_equal(e->rules[2].conds[1].input, "dry-run");
	assert_int_equal(e->rules[3].kind, TS_RULE_GIT_CREDENTIALS);
	assert_int_equal(e->rules[3].conds[0].op, TS_COND_SET);
	assert_int_equal(e->rules[4].kind, TS_RULE_PUSHES_IMAGE);
	assert_int_equal(e->rules[4].conds[0].op, TS_COND_NE);
	assert_string_equal(e->rules[4].conds[0].value, "false");
	assert_string_equal(e->script_input, "code");
	assert_string_equal(e->script_lang, "github-script");
	assert_string_equal(e->token_output, "token");
	assert_string_equal(e->note, "some words here");
	assert_int_equal(e->rules[1].line, 14);
}

/* ------------------------------------------------------------------ */
/* gh                                                                  */

static void gh_flag_records(void **state)
{
	(void)state;
	const ts_map *m = map_ok(BASE
		"gh \"pr merge\" pull-requests:write\n"
		"gh \"pr merge --auto\" contents:write\n"
		"gh \"pr merge -d\" contents:write\n"
		"gh \"pr mergex --y\" -\n"
		"gh \"pr\" -\n"
		"gh \"pr view\" pull-requests:read\n");
	const ts_named_entry *out[4];
	assert_int_equal(ts_map_gh_flags(m, "pr merge", out, 4), 2);
	assert_string_equal(out[0]->key, "pr merge --auto");
	assert_string_equal(out[1]->key, "pr merge -d");
	assert_int_equal(ts_map_gh_flags(m, "pr merge", out, 1), 2);   /* counts past max */
	assert_int_equal(ts_map_gh_flags(m, "pr view", out, 4), 0);
	assert_int_equal(ts_map_gh_flags(m, "pr", out, 4), 0);
	assert_non_null(ts_map_gh(m, "pr merge --auto"));
	assert_null(ts_map_gh(m, "pr merge --squash"));
}

/* ------------------------------------------------------------------ */
/* The builtin map                                                     */

static void builtin_issue_comment_is_issues_or_pull_requests_write(void **state)
{
	(void)state;
	const ts_map *m = tl_builtin();
	const char *p = "/repos/o/r/issues/12/comments";
	const ts_rest_entry *e = ts_map_rest(m, "POST", p, strlen(p));
	assert_non_null(e);
	assert_string_equal(e->path, "/repos/{owner}/{repo}/issues/{issue_number}/comments");
	assert_int_equal(e->needs.nreqs, 1);
	assert_int_equal(e->needs.reqs[0].nalts, 2);
	assert_alt(&e->needs.reqs[0].alts[0], ts_map_scope_find(m, "issues", 6),
		   TS_LEVEL_WRITE, false);
	assert_alt(&e->needs.reqs[0].alts[1], ts_map_scope_find(m, "pull-requests", 13),
		   TS_LEVEL_WRITE, false);
	assert_string_equal(e->origin.file, "endpoint-map/rest.map");
}

static void builtin_registration_token_needs_never_administration(void **state)
{
	(void)state;
	const ts_map *m = tl_builtin();
	const char *p = "/repos/o/r/actions/runners/registration-token";
	const ts_rest_entry *e = ts_map_rest(m, "POST", p, strlen(p));
	assert_non_null(e);
	assert_int_equal(e->needs.nreqs, 1);
	assert_int_equal(e->needs.reqs[0].nalts, 1);
	const ts_alt *a = &e->needs.reqs[0].alts[0];
	assert_true(a->never);
	assert_int_equal(a->level, TS_LEVEL_WRITE);
	assert_string_equal(ts_map_never_name(m, a->scope), "administration");
}

static void builtin_scopes_and_lookups(void **state)
{
	(void)state;
	const ts_map *m = tl_builtin();
	int idt = ts_map_scope_find(m, "id-token", 8);
	assert_true(idt >= 0);
	assert_false(ts_map_scope_allows(m, idt, TS_LEVEL_READ));
	assert_true(ts_map_scope_allows(m, idt, TS_LEVEL_WRITE));
	const ts_named_entry *g = ts_map_graphql(m, true, "addComment", 10);
	assert_non_null(g);
	assert_int_equal(g->needs.reqs[0].nalts, 2);
	const ts_octokit_entry *o = ts_map_octokit(m, "repos.createDispatchEvent", 25);
	assert_non_null(o);
	assert_string_equal(o->path, "/repos/{owner}/{repo}/dispatches");
	assert_non_null(ts_map_action(m, "actions/github-script", 21, 7));
	assert_string_equal(ts_map_action(m, "actions/github-script", 21, 7)->script_lang,
			    "github-script");
	const char *p = "/repos/o/r/contents/docs/a/b.md";
	const ts_rest_entry *e = ts_map_rest(m, "GET", p, strlen(p));
	assert_non_null(e);
	assert_alt(&e->needs.reqs[0].alts[0], ts_map_scope_find(m, "contents", 8),
		   TS_LEVEL_READ, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(every_record_kind_loads),
		TL_TEST(scopes_in_declared_order_with_their_levels),
		TL_TEST(quoted_tokens_unescape),
		TL_TEST(crlf_map_files_load),
		TL_TEST(needs_dash_is_nothing),
		TL_TEST(needs_single_scope),
		TL_TEST(needs_plus_joins_requirements),
		TL_TEST(needs_bar_joins_alternatives),
		TL_TEST(needs_bar_binds_tighter_than_plus),
		TL_TEST(needs_never_key_is_marked),
		TL_TEST(needs_may_name_scopes_declared_later),
		TL_TEST(error_unknown_name_has_file_line_col),
		TL_TEST(error_bad_level),
		TL_TEST(error_missing_source),
		TL_TEST(error_bad_attributes),
		TL_TEST(error_bad_records),
		TL_TEST(error_map_without_scopes),
		TL_TEST(error_from_file_names_the_file),
		TL_TEST(later_record_overrides_earlier),
		TL_TEST(later_file_overrides_earlier_file),
		TL_TEST(rest_multi_segment_parameters),
		TL_TEST(rest_most_specific_template_wins),
		TL_TEST(rest_concrete_placeholder_matches_only_parameters),
		TL_TEST(rest_verb_and_length_must_match),
		TL_TEST(action_version_ranges),
		TL_TEST(action_ref_not_a_version_takes_newest),
		TL_TEST(action_unversioned_entry_for_every_version),
		TL_TEST(uses_ref_major_versions),
		TL_TEST(action_attributes),
		TL_TEST(gh_flag_records),
		TL_TEST(builtin_issue_comment_is_issues_or_pull_requests_write),
		TL_TEST(builtin_registration_token_needs_never_administration),
		TL_TEST(builtin_scopes_and_lookups),
	};
	return cmocka_run_group_tests_name("map", tests, NULL, tl_builtin_free);
}
