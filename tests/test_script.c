/*
 * test_script.c - actions/github-script steps through the real stages
 * (load -> parse -> workflow_read -> infer with the builtin map -> plan):
 * what the `script:` does with the `github` client it is handed.
 *
 * Covers octokit methods (github.rest.X.y and the older github.X.y) with
 * the issues/pull-requests choice made by the trigger; github.request with
 * a literal route (query string ignored); github.paginate; github.graphql
 * mutations; core.getIDToken (OIDC); the `github` client passed to a
 * required module, a route built at run time and unknown methods (job
 * unresolved); a PAT in `github-token` (nothing needed from GITHUB_TOKEN);
 * the token written into the script; comments and strings that only look
 * like calls; and the line each reason points at.
 */
#include "testlib.h"

static const ts_plan_opts NO_COMMENTS = {false, true};

/* A workflow on `trigger` with one github-script step (v7) whose `with:`
 * holds `extra` lines (already indented) and the script lines. */
static const char *wf(const char *trigger, const char *extra, const char *script)
{
	ts_buf b;
	ts_buf_init(&b, tl_arena());
	ts_buf_addf(&b,
		    "on: %s\n"
		    "jobs:\n"
		    "  s:\n"
		    "    runs-on: ubuntu-latest\n"
		    "    steps:\n"
		    "      - uses: actions/github-script@v7\n"
		    "        with:\n"
		    "%s"
		    "          script: |\n",
		    trigger, extra);
	/* indent every script line by 12 spaces */
	for (const char *p = script; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		ts_buf_adds(&b, "            ");
		ts_buf_add(&b, p, n);
		p += n;
	}
	return ts_buf_cstr(&b);
}

static void run_script(tl_run *r, const char *trigger, const char *extra,
		       const char *script)
{
	tl_run_opts(r, tl_builtin(), wf(trigger, extra, script), &NO_COMMENTS);
	if (r->verify_rc != 0)
		fail_msg("verify: %s", r->err.msg);
}

/* Asserts the job is resolved with exactly these grants. */
static void assert_grants(tl_run *r, const char *grants)
{
	if (!r->inf.jobs[0].resolved) {
		const ts_job_needs *jn = &r->inf.jobs[0];
		fail_msg("unresolved: %s", jn->nnotes ? jn->notes[0].text : "?");
	}
	assert_string_equal(tl_grants(r, 0), grants);
}

static void assert_unresolved(tl_run *r, const char *why)
{
	assert_false(r->inf.jobs[0].resolved);
	assert_true(tl_has_note(r, 0, TS_NOTE_UNRESOLVED, why));
	assert_int_equal(r->plan.jobs[0].action, TS_JOB_UNRESOLVED);
	assert_int_equal(r->plan.nins, 0);
}

/* ------------------------------------------------------------------ */
/* Calls the map knows                                                 */

static void create_comment_on_pull_request_needs_pull_requests_write(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "pull_request", "",
		   "await github.rest.issues.createComment({\n"
		   "  ...context.repo,\n"
		   "  issue_number: context.issue.number,\n"
		   "  body: 'thanks!'\n"
		   "});\n");
	assert_grants(&r, "pull-requests:write");
	assert_string_equal(tl_ins(&r, 1),
			    "    permissions:\n      pull-requests: write\n");
}

static void create_comment_on_an_issue_needs_issues_write(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "issues", "",
		   "await github.rest.issues.createComment({...context.repo,\n"
		   "  issue_number: context.issue.number, body: 'hi'});\n");
	assert_grants(&r, "issues:write");
}

static void list_workflow_runs_needs_actions_read(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const runs = await github.rest.actions.listWorkflowRuns({\n"
		   "  owner: context.repo.owner, repo: context.repo.repo,\n"
		   "  workflow_id: 'ci.yml' });\n"
		   "console.log(runs.data.total_count);\n");
	assert_grants(&r, "actions:read");
}

static void request_repository_dispatch_needs_contents_write(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "await github.request('POST /repos/{owner}/{repo}/dispatches', {\n"
		   "  owner: 'o', repo: 'r', event_type: 'go' });\n");
	assert_grants(&r, "contents:write");
}

static void request_route_query_string_is_ignored(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const { data } = await github.request(\"GET /repos/{owner}/{repo}/issues?state=open&per_page=100\");\n");
	assert_grants(&r, "issues:read");
}

static void paginate_with_a_method_and_old_style_methods(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const all = await github.paginate(github.rest.issues.listForRepo, {...context.repo});\n"
		   "await github.actions.listWorkflowRuns({...context.repo, workflow_id: 1});\n");
	assert_grants(&r, "actions:read,issues:read");
}

static void graphql_add_comment_mutation(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "await github.graphql(`\n"
		   "  mutation($id: ID!, $body: String!) {\n"
		   "    addComment(input: {subjectId: $id, body: $body}) { clientMutationId }\n"
		   "  }`, { id: 'x', body: 'y' });\n");
	assert_grants(&r, "issues:write");
}

static void graphql_add_comment_on_pull_request(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "pull_request_target", "",
		   "await github.graphql('mutation($id: ID!) { addComment(input: {subjectId: $id, body: \"y\"}) { clientMutationId } }',\n"
		   "  { id: context.payload.pull_request.node_id });\n");
	assert_grants(&r, "pull-requests:write");
}

static void get_id_token_needs_id_token_write(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const jwt = await core.getIDToken('sts.amazonaws.com');\n"
		   "core.setSecret(jwt);\n");
	assert_grants(&r, "id-token:write");
	assert_string_equal(tl_ins(&r, 1), "    permissions:\n      id-token: write\n");
}

static void several_calls_are_united_in_scope_order(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "pull_request", "",
		   "await github.rest.issues.createComment({...context.repo, issue_number: context.issue.number, body: 'x'});\n"
		   "await github.rest.actions.listWorkflowRuns({...context.repo, workflow_id: 1});\n"
		   "await github.request('POST /repos/{owner}/{repo}/dispatches', {event_type: 'x'});\n");
	assert_grants(&r, "actions:read,contents:write,pull-requests:write");
}

static void reason_points_at_the_script_line(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "// first line\n"
		   "\n"
		   "await github.rest.actions.listWorkflowRuns({...context.repo, workflow_id: 1});\n");
	assert_grants(&r, "actions:read");
	/* `script: |` is on line 8, its first content line is 9 */
	assert_int_equal(r.inf.jobs[0].grants[0].why.line, 11);
	assert_string_equal(r.inf.jobs[0].grants[0].why.what,
			    "github.rest.actions.listWorkflowRuns");
}

static void comments_strings_and_regexes_are_not_calls(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "// await github.rest.repos.delete({...context.repo});\n"
		   "/* github.request('DELETE /repos/{owner}/{repo}') */\n"
		   "const s = 'github.rest.repos.delete()';\n"
		   "const t = \"github\";\n"
		   "const re = /github.rest.x/;\n"
		   "console.log(s, t, re, `${1 + 1} github`);\n");
	assert_grants(&r, "");
	assert_string_equal(tl_ins(&r, 1), "    permissions: {}\n");
}

static void regex_after_return_does_not_hide_calls(void **state)
{
	(void)state;
	/* `/'/` after `return` is a regular expression, not a division: its
	 * quote must not start a string that swallows the call below */
	tl_run r;
	run_script(&r, "push", "",
		   "function quoted(s) { return /'/.test(s); }\n"
		   "await github.rest.actions.listWorkflowRuns({...context.repo, workflow_id: 1});\n"
		   "core.info(quoted('x') ? 'yes' : 'no');\n");
	assert_grants(&r, "actions:read");
}

/* ------------------------------------------------------------------ */
/* What cannot be proven                                               */

static void github_passed_to_a_required_module_is_unresolved(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const run = require('./.github/scripts/label.js');\n"
		   "await run({github, context, core});\n");
	assert_unresolved(&r, "github-script");
}

static void route_built_at_run_time_is_unresolved(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const route = 'POST /repos/' + process.env.REPO + '/dispatches';\n"
		   "await github.request(route);\n");
	assert_unresolved(&r, "a route built at run time");
	run_script(&r, "push", "",
		   "await github.request(`POST /repos/${context.repo.owner}/x/dispatches`);\n");
	assert_unresolved(&r, "a route built at run time");
}

static void unknown_method_and_unknown_route_are_unresolved(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "await github.rest.issues.doSomethingNew({});\n");
	assert_unresolved(&r, "an octokit method the map does not know");
	run_script(&r, "push", "",
		   "await github.request('GET /totally/unknown/route');\n");
	assert_unresolved(&r, "a route the map does not know");
	run_script(&r, "push", "",
		   "await github.graphql('query { ...F } fragment F on Query { viewer { id } }');\n");
	assert_unresolved(&r, "a GraphQL document it cannot read");
}

static void token_written_into_the_script_is_unresolved(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const other = new Octokit({ auth: '${{ github.token }}' });\n");
	assert_unresolved(&r, "the token is written into the script itself");
}

static void expressions_that_inject_data_are_fine(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "",
		   "const n = ${{ github.event.number }};\n"
		   "await github.rest.actions.listWorkflowRuns({...context.repo, workflow_id: n});\n");
	assert_grants(&r, "actions:read");
}

/* ------------------------------------------------------------------ */
/* Another token                                                       */

static void pat_in_github_token_needs_nothing(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "pull_request", "          github-token: ${{ secrets.BOT_PAT }}\n",
		   "await github.rest.issues.createComment({...context.repo,\n"
		   "  issue_number: context.issue.number, body: 'hi'});\n"
		   "await github.rest.repos.delete({...context.repo});\n");
	assert_grants(&r, "");
	assert_string_equal(tl_ins(&r, 1), "    permissions: {}\n");
}

static void explicit_github_token_is_analysed(void **state)
{
	(void)state;
	tl_run r;
	run_script(&r, "push", "          github-token: ${{ secrets.GITHUB_TOKEN }}\n",
		   "await github.rest.actions.listWorkflowRuns({...context.repo, workflow_id: 1});\n");
	assert_grants(&r, "actions:read");
}

static void app_token_from_an_earlier_step_needs_nothing(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  s:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps:\n"
		"      - id: app\n"
		"        uses: actions/create-github-app-token@v1\n"
		"        with:\n"
		"          app-id: ${{ vars.APP_ID }}\n"
		"          private-key: ${{ secrets.APP_KEY }}\n"
		"      - uses: actions/github-script@v7\n"
		"        with:\n"
		"          github-token: ${{ steps.app.outputs.token }}\n"
		"          script: await github.rest.repos.delete({...context.repo})\n";
	tl_run r;
	tl_run_opts(&r, tl_builtin(), t, &NO_COMMENTS);
	assert_grants(&r, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(create_comment_on_pull_request_needs_pull_requests_write),
		TL_TEST(create_comment_on_an_issue_needs_issues_write),
		TL_TEST(list_workflow_runs_needs_actions_read),
		TL_TEST(request_repository_dispatch_needs_contents_write),
		TL_TEST(request_route_query_string_is_ignored),
		TL_TEST(paginate_with_a_method_and_old_style_methods),
		TL_TEST(graphql_add_comment_mutation),
		TL_TEST(graphql_add_comment_on_pull_request),
		TL_TEST(get_id_token_needs_id_token_write),
		TL_TEST(several_calls_are_united_in_scope_order),
		TL_TEST(reason_points_at_the_script_line),
		TL_TEST(comments_strings_and_regexes_are_not_calls),
		TL_TEST(regex_after_return_does_not_hide_calls),
		TL_TEST(github_passed_to_a_required_module_is_unresolved),
		TL_TEST(route_built_at_run_time_is_unresolved),
		TL_TEST(unknown_method_and_unknown_route_are_unresolved),
		TL_TEST(token_written_into_the_script_is_unresolved),
		TL_TEST(expressions_that_inject_data_are_fine),
		TL_TEST(pat_in_github_token_needs_nothing),
		TL_TEST(explicit_github_token_is_analysed),
		TL_TEST(app_token_from_an_earlier_step_needs_nothing),
	};
	return cmocka_run_group_tests_name("script", tests, NULL, tl_builtin_free);
}
