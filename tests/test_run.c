/* test_run.c - what run: scripts do with GITHUB_TOKEN, against a small
 * inline map (so the tests do not move with the shipped data), and a few
 * against the shipped maps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "infer/run.h"
#include "memo.h"

static const char MAP[] =
	"source test \"inline test map\"\n"
	"scope actions read/write\n"
	"scope checks read/write\n"
	"scope contents read/write\n"
	"scope id-token write\n"
	"scope issues read/write\n"
	"scope packages read/write\n"
	"scope pull-requests read/write\n"
	"scope statuses read/write\n"
	"never administration \"use an App token\"\n"
	"rest GET /repos/{owner}/{repo} -\n"
	"rest GET /repos/{owner}/{repo}/issues issues:read\n"
	"rest POST /repos/{owner}/{repo}/issues issues:write\n"
	"rest POST /repos/{owner}/{repo}/issues/{issue_number}/comments issues:write|pull-requests:write\n"
	"rest POST /repos/{owner}/{repo}/issues/{issue_number}/labels issues:write|pull-requests:write\n"
	"rest GET /repos/{owner}/{repo}/pulls/{pull_number} pull-requests:read\n"
	"rest GET /repos/{owner}/{repo}/pulls/{pull_number}/files pull-requests:read\n"
	"rest PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge contents:write\n"
	"rest POST /repos/{owner}/{repo}/releases/{release_id}/assets contents:write\n"
	"rest GET /repos/{owner}/{repo}/contents/{path} contents:read\n"
	"rest PUT /repos/{owner}/{repo}/contents/{path} contents:write\n"
	"rest POST /repos/{owner}/{repo}/git/refs contents:write\n"
	"rest GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number} actions:read\n"
	"rest POST /repos/{owner}/{repo}/dispatches contents:write\n"
	"rest POST /repos/{owner}/{repo}/statuses/{sha} statuses:write\n"
	"graphql mutation addComment issues:write|pull-requests:write\n"
	"graphql mutation mergePullRequest contents:write+pull-requests:read\n"
	"graphql query repository -\n"
	"graphql query viewer -\n"
	"gh \"pr merge\" contents:write+pull-requests:read\n"
	"gh \"pr merge --auto\" pull-requests:write\n"
	"gh \"pr merge -d\" contents:write\n"
	"gh \"pr merge --delete-branch\" contents:write\n"
	"gh \"pr comment\" pull-requests:write\n"
	"gh \"pr list\" pull-requests:read\n"
	"gh \"issue close\" issues:write\n"
	"gh \"release create\" contents:write\n"
	"gh \"workflow run\" actions:write\n"
	"gh \"auth status\" -\n"
	"gh \"repo deploy-key add\" administration:write\n"
	"gh \"api\" -\n"
	"fact git-fetch contents:read\n"
	"fact git-push contents:write\n"
	"fact oidc id-token:write\n"
	"fact registry-pull packages:read\n"
	"fact registry-push packages:write\n"
	"tool jq -\n"
	"tool cat -\n"
	"tool base64 -\n"
	"tool make -\n"
	"tool goreleaser contents:write\n"
	"tool semantic-release contents:write+issues:write+pull-requests:write\n";

typedef struct fixture {
	ts_map *map;
	ts_arena arena;
} fixture;

static int setup(void **state)
{
	static fixture f;
	ts_error err;
	memset(&f, 0, sizeof(f));
	f.map = ts_map_new();
	if (ts_map_load(f.map, "test.map", MAP, strlen(MAP), &err) ||
	    ts_map_finish(f.map, &err)) {
		fprintf(stderr, "test.map:%d:%d: %s\n", err.line, err.col, err.msg);
		return -1;
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	ts_map_free(f->map);
	ts_arena_free(&f->arena);
	return 0;
}

/* Where the step runs: env at three levels ("NAME=VALUE", values may hold
 * ${{ }}), the shell, and what the job knows. */
typedef struct where {
	const char *wf[4], *job[4], *step[4];
	const char *shell;
	bool creds, pr;
	ts_memo *parsed;        /* or NULL */
} where;

static ts_env make_env(fixture *f, const char *const *defs, const ts_env *parent)
{
	ts_env e = {parent, NULL, 0};
	size_t n = 0;
	while (n < 4 && defs[n])
		n++;
	ts_var *vars = ts_alloc_array(&f->arena, n ? n : 1, sizeof(*vars));
	ts_expr_ctx x = {&f->arena, parent, NULL, NULL};
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(defs[i], '=');
		vars[i].name = ts_strndup(&f->arena, defs[i], (size_t)(eq - defs[i]));
		vars[i].value = ts_expr_subst(&x, eq + 1, strlen(eq + 1));
	}
	e.vars = vars;
	e.nvars = n;
	return e;
}

static ts_findings analyze_in(fixture *f, const ts_map *m, const char *script,
			      const where *w)
{
	ts_env *wf = ts_alloc(&f->arena, sizeof(*wf));
	ts_env *job = ts_alloc(&f->arena, sizeof(*job));
	ts_env *step = ts_alloc(&f->arena, sizeof(*step));
	*wf = make_env(f, w->wf, NULL);
	*job = make_env(f, w->job, wf);
	*step = make_env(f, w->step, job);
	ts_expr_ctx *x = ts_alloc(&f->arena, sizeof(*x));
	x->arena = &f->arena;
	x->env = step;
	ts_run_ctx rc = {
		.map = m, .arena = &f->arena, .expr = x, .script = script,
		.len = strlen(script), .line = 10, .shell = w->shell,
		.git_credentials = w->creds, .pull_request = w->pr, .parsed = w->parsed,
	};
	ts_findings out = {NULL, 0, 0};
	assert_int_equal(ts_run_analyze(&rc, &out), 0);
	return out;
}

static ts_findings analyze(void **state, const char *script, const where *w)
{
	fixture *f = *state;
	return analyze_in(f, f->map, script, w);
}

/* "contents:write+issues:write|pull-requests:write"; "-" for nothing. */
static const char *needs_str(void **state, const ts_map *m, ts_needs n)
{
	fixture *f = *state;
	if (!n.nreqs)
		return "-";
	ts_buf b;
	ts_buf_init(&b, &f->arena);
	for (unsigned r = 0; r < n.nreqs; r++) {
		for (unsigned a = 0; a < n.reqs[r].nalts; a++) {
			const ts_alt *alt = &n.reqs[r].alts[a];
			ts_buf_addf(&b, "%s%s:%s", a ? "|" : r ? "+" : "",
				    alt->never ? ts_map_never_name(m, alt->scope)
					       : ts_map_scope_name(m, alt->scope),
				    ts_level_name((ts_level)alt->level));
		}
	}
	return ts_buf_cstr(&b);
}

static void expect_in(void **state, const ts_map *m, const ts_findings *f,
		      size_t i, ts_find_kind kind, const char *what,
		      const char *needs, int line)
{
	assert_true(i < f->n);
	const ts_finding *x = &f->items[i];
	if (x->kind != kind)
		fprintf(stderr, "finding %zu: %s / %s\n", i, x->what, x->why ? x->why : "");
	assert_int_equal(x->kind, kind);
	assert_string_equal(x->what, what);
	if (needs)
		assert_string_equal(needs_str(state, m, x->needs), needs);
	if (line)
		assert_int_equal(x->line, line);
}

static void expect(void **state, const ts_findings *f, size_t i,
		   ts_find_kind kind, const char *what, const char *needs, int line)
{
	fixture *fx = *state;
	expect_in(state, fx->map, f, i, kind, what, needs, line);
}

/* An UNKNOWN finding whose reason mentions `why`. */
static void expect_unknown(const ts_findings *f, size_t i, const char *why)
{
	assert_true(i < f->n);
	const ts_finding *x = &f->items[i];
	if (x->kind != TS_FIND_UNKNOWN || !x->why || !strstr(x->why, why))
		fprintf(stderr, "finding %zu: kind %d what %s why %s\n", i,
			x->kind, x->what, x->why ? x->why : "(none)");
	assert_int_equal(x->kind, TS_FIND_UNKNOWN);
	assert_non_null(strstr(x->why, why));
}

#define TOKEN "${{ secrets.GITHUB_TOKEN }}"

/* ---------------------------------------------------------------- gh */

static void test_gh_token_levels(void **state)
{
	const char *script = "gh pr merge --auto --squash \"$PR_URL\"";
	where step = {.step = {"GH_TOKEN=" TOKEN}};
	where job = {.job = {"GITHUB_TOKEN=${{ github.token }}"}};
	where wf = {.wf = {"GH_TOKEN=${{ github.token }}"}};
	const where *all[] = {&step, &job, &wf};
	for (int k = 0; k < 3; k++) {
		ts_findings f = analyze(state, script, all[k]);
		assert_int_equal(f.n, 1);
		expect(state, &f, 0, TS_FIND_NEED, "gh pr merge --auto",
		       "contents:write+pull-requests:read+pull-requests:write", 10);
		assert_true(f.items[0].pr_number);
		assert_string_equal(f.items[0].origin.file, "test.map");
		assert_true(f.items[0].origin.line > 0);
	}
}

static void test_gh_other_token(void **state)
{
	const char *script = "gh pr merge --auto 12";
	where pat = {.step = {"GH_TOKEN=${{ secrets.RELEASE_PAT }}"}};
	assert_int_equal(analyze(state, script, &pat).n, 0);
	where none = {0};
	assert_int_equal(analyze(state, script, &none).n, 0);
	/* GH_TOKEN wins over GITHUB_TOKEN */
	where both = {.job = {"GITHUB_TOKEN=" TOKEN}, .step = {"GH_TOKEN=${{ secrets.PAT }}"}};
	assert_int_equal(analyze(state, script, &both).n, 0);
	/* an App token from an earlier step */
	where app = {.step = {"GH_TOKEN=${{ inputs.token }}"}};
	ts_findings f = analyze(state, script, &app);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "cannot be resolved");
	/* a literal that is not the token */
	where lit = {.step = {"GH_TOKEN=ghp_literal"}};
	assert_int_equal(analyze(state, script, &lit).n, 0);
}

static void test_gh_token_from_script(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"echo start\nexport GH_TOKEN=" TOKEN "\ngh issue close 12\n", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "gh issue close", "issues:write", 12);
	f = analyze(state, "GH_TOKEN=${{ github.token }} gh workflow run ci.yml\ngh pr list", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "gh workflow run", "actions:write", 10);
	/* a shell variable is not in gh's environment */
	f = analyze(state, "GH_TOKEN=" TOKEN "\ngh issue close 1", &none);
	assert_int_equal(f.n, 0);
	f = analyze(state, "GH_TOKEN=" TOKEN "\nexport GH_TOKEN\ngh issue close 1", &none);
	assert_int_equal(f.n, 1);
	f = analyze(state, "set -a\nGH_TOKEN=" TOKEN "\ngh issue close 1", &none);
	assert_int_equal(f.n, 1);
	/* unset takes it away again */
	where step = {.step = {"GH_TOKEN=" TOKEN}};
	f = analyze(state, "unset GH_TOKEN\ngh issue close 1", &step);
	assert_int_equal(f.n, 0);
}

static void test_gh_flags_and_words(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"gh pr merge -d 5\n"
		"gh -R o/r pr merge --delete-branch --admin=false 5\n"
		"gh pr merge --squash 5\n"
		"gh repo deploy-key add key.pub\n"
		"gh auth status\n"
		"gh --version\n", &w);
	assert_int_equal(f.n, 5);
	expect(state, &f, 0, TS_FIND_NEED, "gh pr merge -d",
	       "contents:write+pull-requests:read+contents:write", 10);
	expect(state, &f, 1, TS_FIND_NEED, "gh pr merge --delete-branch", NULL, 11);
	expect(state, &f, 2, TS_FIND_NEED, "gh pr merge",
	       "contents:write+pull-requests:read", 12);
	expect(state, &f, 3, TS_FIND_NEED, "gh repo deploy-key add", "administration:write", 13);
	expect(state, &f, 4, TS_FIND_NEED, "gh auth status", "-", 14);
	assert_false(f.items[3].pr_number);
}

static void test_gh_unknown_subcommand(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state, "gh copilot suggest 'x'", &w);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "no record");
	assert_string_equal(f.items[0].what, "gh copilot");
	where none = {0};
	assert_int_equal(analyze(state, "gh copilot suggest 'x'", &none).n, 0);
}

static void test_gh_in_substitution_and_launchers(void **state)
{
	where w = {.job = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"PR=$(gh pr list --json number -q '.[0].number')\n"
		"if [ -n \"$PR\" ]; then\n"
		"  gh pr merge --auto \"$PR\"\n"
		"fi\n"
		"echo 7 | xargs -n1 gh issue close\n"
		"sudo -E env FOO=1 timeout 60 gh issue close 8\n"
		"bash -c 'gh issue close 9'\n", &w);
	assert_int_equal(f.n, 5);
	expect(state, &f, 0, TS_FIND_NEED, "gh pr list", "pull-requests:read", 10);
	expect(state, &f, 1, TS_FIND_NEED, "gh pr merge --auto", NULL, 12);
	expect(state, &f, 2, TS_FIND_NEED, "gh issue close", "issues:write", 14);
	expect(state, &f, 3, TS_FIND_NEED, "gh issue close", "issues:write", 15);
	expect(state, &f, 4, TS_FIND_NEED, "gh issue close", "issues:write", 16);
}

/* ---------------------------------------------------------------- gh api */

static void test_gh_api_rest(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN, "RUN_ID=${{ github.run_id }}", "GH_REPO=${{ github.repository }}"}};
	ts_findings f = analyze(state,
		"gh api repos/{owner}/{repo}/issues/${{ github.event.pull_request.number }}/comments -f body=hi\n"
		"gh api -X PUT /repos/:owner/:repo/pulls/3/merge\n"
		"gh api \"repos/$GITHUB_REPOSITORY/actions/runs/$RUN_ID/attempts/1\" --jq .created_at\n"
		"gh api --method=POST \"repos/${GH_REPO}/dispatches\" --input payload.json\n"
		"gh api \"repos/$GITHUB_REPOSITORY/contents/docs/a.md?ref=main\"\n"
		"gh api https://api.github.com/repos/o/r/issues\n"
		"gh api repos/o/r/issues -XPOST -F title=x\n", &w);
	assert_int_equal(f.n, 7);
	expect(state, &f, 0, TS_FIND_NEED,
	       "gh api POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
	       "issues:write|pull-requests:write", 10);
	assert_true(f.items[0].pr_number);
	expect(state, &f, 1, TS_FIND_NEED,
	       "gh api PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", "contents:write", 11);
	assert_true(f.items[1].pr_number);
	expect(state, &f, 2, TS_FIND_NEED,
	       "gh api GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}",
	       "actions:read", 12);
	assert_false(f.items[2].pr_number);
	expect(state, &f, 3, TS_FIND_NEED, "gh api POST /repos/{owner}/{repo}/dispatches",
	       "contents:write", 13);
	expect(state, &f, 4, TS_FIND_NEED, "gh api GET /repos/{owner}/{repo}/contents/{path}",
	       "contents:read", 14);
	expect(state, &f, 5, TS_FIND_NEED, "gh api GET /repos/{owner}/{repo}/issues",
	       "issues:read", 15);
	expect(state, &f, 6, TS_FIND_NEED, "gh api POST /repos/{owner}/{repo}/issues",
	       "issues:write", 16);
}

static void test_gh_api_repo_variable(void **state)
{
	/* REPO holds owner/repo: two segments after /repos/ */
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"REPO=$(jq -r .repository.full_name \"$GITHUB_EVENT_PATH\")\n"
		"gh api \"repos/$REPO/pulls/$PR_NUMBER/files\" --paginate\n", &w);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED,
	       "gh api GET /repos/{owner}/{repo}/pulls/{pull_number}/files", "pull-requests:read", 11);
}

static void test_gh_api_unknown(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"gh api repos/o/r/collaborators/x/permission\n"
		"gh api graphql -F query=@query.graphql\n"
		"gh api graphql -f query='mutation { deleteEverything(input: {}) { ok } }'\n"
		"gh api graphql -f query=\"$(cat q.graphql)\"\n", &w);
	assert_int_equal(f.n, 4);
	expect_unknown(&f, 0, "no REST record");
	expect_unknown(&f, 1, "in a file");
	expect_unknown(&f, 2, "no record for GraphQL mutation deleteEverything");
	expect_unknown(&f, 3, "cannot be read");
}

static void test_gh_api_graphql(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"gh api graphql -f id=\"$ID\" -f query='\n"
		"  mutation($id: ID!) {\n"
		"    addComment(input: {subjectId: $id, body: \"hi\"}) { clientMutationId }\n"
		"  }'\n"
		"gh api graphql --paginate -f query='query($endCursor: String) { viewer { login } repository(owner: \"o\", name: \"r\") { id } }'\n"
		"cat <<EOF | gh api graphql --input -\n"
		"{\"query\": \"mutation { mergePullRequest(input: {pullRequestId: \\\"$ID\\\"}) { clientMutationId } }\"}\n"
		"EOF\n", &w);
	assert_int_equal(f.n, 3);
	expect(state, &f, 0, TS_FIND_NEED, "gh api graphql mutation addComment",
	       "issues:write|pull-requests:write", 10);
	expect(state, &f, 1, TS_FIND_NEED, "gh api graphql query viewer,repository", "-", 14);
	expect(state, &f, 2, TS_FIND_NEED, "gh api graphql mutation mergePullRequest",
	       "contents:write+pull-requests:read", 15);
}

/* ---------------------------------------------------------------- curl */

static void test_curl_rest(void **state)
{
	where w = {.step = {"GITHUB_TOKEN=" TOKEN, "PR_NUMBER=${{ github.event.pull_request.number }}"}};
	ts_findings f = analyze(state,
		"curl -sSfL -X POST \\\n"
		"  -H \"Authorization: token ${GITHUB_TOKEN}\" \\\n"
		"  -H 'Accept: application/vnd.github+json' \\\n"
		"  \"${GITHUB_API_URL}/repos/${GITHUB_REPOSITORY}/issues/${PR_NUMBER}/comments\" \\\n"
		"  -d '{\"body\": \"hello\"}'\n"
		"curl -XPUT -H \"authorization: Bearer " TOKEN "\" ${{ github.api_url }}/repos/${{ github.repository }}/pulls/1/merge\n"
		"curl --header \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/issues?state=open\n"
		"curl -G -d state=open -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/issues\n"
		"curl -I -u \"x:$GITHUB_TOKEN\" https://api.github.com/repos/o/r\n"
		"curl --oauth2-bearer \"$GITHUB_TOKEN\" --data-binary @dist/a.zip \"https://uploads.github.com/repos/o/r/releases/42/assets?name=a.zip\"\n"
		"curl -T a.md -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/contents/docs/a.md\n"
		"curl -F file=@x -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/issues\n", &w);
	assert_int_equal(f.n, 8);
	expect(state, &f, 6, TS_FIND_NEED, "curl PUT /repos/{owner}/{repo}/contents/{path}",
	       "contents:write", 20);
	expect(state, &f, 7, TS_FIND_NEED, "curl POST /repos/{owner}/{repo}/issues",
	       "issues:write", 21);
	expect(state, &f, 0, TS_FIND_NEED,
	       "curl POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
	       "issues:write|pull-requests:write", 10);
	assert_true(f.items[0].pr_number);
	expect(state, &f, 1, TS_FIND_NEED, "curl PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
	       "contents:write", 15);
	expect(state, &f, 2, TS_FIND_NEED, "curl GET /repos/{owner}/{repo}/issues", "issues:read", 16);
	assert_false(f.items[2].pr_number);
	expect(state, &f, 3, TS_FIND_NEED, "curl GET /repos/{owner}/{repo}/issues", "issues:read", 17);
	expect(state, &f, 4, TS_FIND_NEED, "curl HEAD /repos/{owner}/{repo}", "-", 18);
	expect(state, &f, 5, TS_FIND_NEED,
	       "curl POST /repos/{owner}/{repo}/releases/{release_id}/assets", "contents:write", 19);
}

static void test_curl_no_token(void **state)
{
	where w = {.step = {"GITHUB_TOKEN=" TOKEN, "PAT=${{ secrets.PAT }}"}};
	ts_findings f = analyze(state,
		"curl -sSL https://api.github.com/repos/o/r/issues\n"
		"curl -H \"Authorization: token $PAT\" -X POST https://api.github.com/repos/o/r/issues\n"
		"curl -H \"Authorization: token ${{ secrets.BOT_TOKEN }}\" https://api.github.com/repos/o/r/issues\n"
		"curl -fsSL https://example.com/install.sh -o install.sh\n", &w);
	assert_int_equal(f.n, 0);
}

static void test_curl_elsewhere(void **state)
{
	where w = {.step = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"curl -H \"Authorization: Bearer $GITHUB_TOKEN\" https://hooks.example.com/x\n"
		"curl -H \"Authorization: token $GITHUB_TOKEN\" \"$DEPLOY_URL/hook\"\n"
		"curl -H \"Authorization: token $(cat /tmp/token)\" https://api.github.com/repos/o/r/issues\n"
		"curl -H \"Authorization: token $GITHUB_TOKEN\" https://api.github.com/repos/o/r/unknown/thing\n"
		"curl -d \"token=$GITHUB_TOKEN\" https://api.github.com/repos/o/r/issues\n", &w);
	assert_int_equal(f.n, 5);
	expect_unknown(&f, 0, "hooks.example.com");
	expect_unknown(&f, 1, "cannot be resolved");
	expect_unknown(&f, 2, "credential that cannot be resolved");
	expect_unknown(&f, 3, "no REST record");
	expect_unknown(&f, 4, "cannot be resolved");
}

static void test_curl_ghes_graphql_wget(void **state)
{
	where w = {.job = {"TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"curl -H \"Authorization: bearer $TOKEN\" https://ghe.example.com/api/v3/repos/o/r/issues\n"
		"curl -X POST -H \"Authorization: bearer $TOKEN\" \\\n"
		"  -d '{\"query\": \"query { repository(owner: \\\"o\\\", name: \\\"r\\\") { id } }\"}' \\\n"
		"  https://api.github.com/graphql\n"
		"wget -q --header=\"Authorization: token $TOKEN\" -O out.json https://api.github.com/repos/o/r/issues\n"
		"wget --header \"Authorization: token $TOKEN\" --post-data '{}' https://api.github.com/repos/o/r/issues\n"
		"wget --user-agent=\"$UA\" https://api.github.com/repos/o/r/issues\n", &w);
	/* --user-agent names no user: an anonymous call, no credential to
	 * resolve, and so no finding at all */
	assert_int_equal(f.n, 4);
	expect(state, &f, 0, TS_FIND_NEED, "curl GET /repos/{owner}/{repo}/issues", "issues:read", 10);
	expect(state, &f, 1, TS_FIND_NEED, "curl graphql query repository", "-", 11);
	expect(state, &f, 2, TS_FIND_NEED, "wget GET /repos/{owner}/{repo}/issues", "issues:read", 14);
	expect(state, &f, 3, TS_FIND_NEED, "wget POST /repos/{owner}/{repo}/issues", "issues:write", 15);
}

/* ---------------------------------------------------------------- git */

static void test_git_push_forms(void **state)
{
	where creds = {.creds = true};
	ts_findings f = analyze(state,
		"git add -A && git commit -m 'bump'\n"
		"git push\n"
		"git push origin HEAD:main\n"
		"git push --tags\n"
		"git push origin :old-branch\n"
		"git -C docs push\n"
		"git push --force-with-lease origin release\n"
		"git tag v1 && git status\n", &creds);
	assert_int_equal(f.n, 6);
	for (int i = 0; i < 6; i++)
		expect(state, &f, (size_t)i, TS_FIND_NEED, "git push", "contents:write", 11 + i);
	where none = {0};
	assert_int_equal(analyze(state, "git push origin main", &none).n, 0);
}

static void test_git_push_urls(void **state)
{
	where creds = {.creds = true};
	ts_findings f = analyze(state,
		"git push https://x-access-token:${{ secrets.PAT }}@github.com/o/r.git HEAD:main\n"
		"git push git@github.com:o/r.git\n", &creds);
	assert_int_equal(f.n, 0);
	where none = {.step = {"TOKEN=" TOKEN}};
	f = analyze(state, "git push \"https://x-access-token:${TOKEN}@github.com/${GITHUB_REPOSITORY}.git\" HEAD:gh-pages\n", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "git push", "contents:write", 10);
	f = analyze(state, "git push https://x:$(cat tok)@github.com/o/r.git\n", &none);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "cannot be resolved");
}

static void test_git_fetch(void **state)
{
	where creds = {.creds = true};
	ts_findings f = analyze(state,
		"git fetch --depth=1 origin main\n"
		"git pull --rebase\n"
		"git clone https://github.com/o/other.git\n"
		"git ls-remote origin\n"
		"git submodule update --init\n", &creds);
	assert_int_equal(f.n, 5);
	expect(state, &f, 0, TS_FIND_NEED, "git fetch", "contents:read", 10);
	expect(state, &f, 1, TS_FIND_NEED, "git pull", "contents:read", 11);
	expect(state, &f, 2, TS_FIND_NEED, "git clone", "contents:read", 12);
	expect(state, &f, 3, TS_FIND_NEED, "git ls-remote", "contents:read", 13);
	expect(state, &f, 4, TS_FIND_NEED, "git submodule update", "contents:read", 14);
	where none = {0};
	assert_int_equal(analyze(state, "git fetch origin\ngit clone https://github.com/o/r", &none).n, 0);
}

static void test_git_stored_credentials(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"git remote set-url origin https://x-access-token:" TOKEN "@github.com/o/r.git\n"
		"git commit -am x\n"
		"git push origin HEAD\n", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "git push", "contents:write", 12);
	/* stored and left for later steps */
	f = analyze(state,
		"git config --global url.\"https://x-access-token:" TOKEN "@github.com/\".insteadOf \"https://github.com/\"\n"
		"go mod download\n", &none);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "later steps");
	assert_int_equal(f.items[0].line, 10);
	/* ... unless the job has those credentials anyway */
	where creds = {.creds = true};
	f = analyze(state, "git remote set-url origin https://x-access-token:" TOKEN "@github.com/o/r.git\n", &creds);
	assert_int_equal(f.n, 0);
}

/* ---------------------------------------------------------------- OIDC */

static void test_oidc(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"echo hi\n"
		"TOK=$(curl -sS -H \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com\" | jq -r .value)\n", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "OIDC token request", "id-token:write", 11);
	where py = {.shell = "python"};
	f = analyze(state, "import os\nurl = os.environ['ACTIONS_ID_TOKEN_REQUEST_URL']\n", &py);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "OIDC token request", "id-token:write", 11);
}

/* ---------------------------------------------------------------- registries */

static void test_docker_login(void **state)
{
	where none = {.step = {"PAT=${{ secrets.DOCKERHUB }}"}};
	ts_findings f = analyze(state,
		"echo \"" TOKEN "\" | docker login ghcr.io -u ${{ github.actor }} --password-stdin\n"
		"docker login docker.pkg.github.com -u x -p " TOKEN "\n"
		"echo \"$PAT\" | docker login -u me --password-stdin\n"
		"docker login -u me -p " TOKEN " registry.example.com\n", &none);
	assert_int_equal(f.n, 3);
	expect(state, &f, 0, TS_FIND_LOGIN, "docker login ghcr.io", "packages:read", 10);
	expect(state, &f, 1, TS_FIND_LOGIN, "docker login docker.pkg.github.com", "packages:read", 11);
	expect_unknown(&f, 2, "not GitHub's");
}

static void test_image_push(void **state)
{
	where none = {.step = {"IMAGE=ghcr.io/${{ github.repository }}"}};
	ts_findings f = analyze(state,
		"docker push ghcr.io/o/app:1.0\n"
		"docker image push \"$IMAGE:latest\"\n"
		"docker buildx build --push -t ghcr.io/o/app:2 -t docker.io/o/app:2 .\n"
		"docker buildx imagetools create -t ghcr.io/o/app:3 ghcr.io/o/app:2\n"
		"docker push docker.io/o/app:1.0\n"
		"docker push o/app\n"
		"docker build -t ghcr.io/o/app:4 .\n"
		"docker push \"$UNKNOWN_IMAGE\"\n", &none);
	assert_int_equal(f.n, 5);
	expect(state, &f, 0, TS_FIND_IMAGE_PUSH, "docker push ghcr.io", NULL, 10);
	expect(state, &f, 1, TS_FIND_IMAGE_PUSH, "docker push ghcr.io", NULL, 11);
	expect(state, &f, 2, TS_FIND_IMAGE_PUSH, "docker push ghcr.io", NULL, 12);
	expect(state, &f, 3, TS_FIND_IMAGE_PUSH, "docker push ghcr.io", NULL, 13);
	expect(state, &f, 4, TS_FIND_IMAGE_PUSH, "docker push {UNKNOWN_IMAGE}", NULL, 17);
}

static void test_docker_passes_token(void **state)
{
	where w = {.job = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"docker run --rm -e GITHUB_TOKEN img\n"
		"docker run --rm -e OTHER=1 img\n"
		"docker build --build-arg TOKEN=" TOKEN " .\n"
		"docker buildx build --secret id=GITHUB_TOKEN .\n"
		"docker compose up -d\n", &w);
	assert_int_equal(f.n, 4);
	expect_unknown(&f, 0, "-e GITHUB_TOKEN");
	expect_unknown(&f, 1, "--build-arg");
	expect_unknown(&f, 2, "--secret");
	expect_unknown(&f, 3, "compose");
}

static void test_packages(void **state)
{
	where npm = {.step = {"NODE_AUTH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state, "npm ci\nnpm publish --access public\n", &npm);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "npm ci", "packages:read", 10);
	expect(state, &f, 1, TS_FIND_NEED, "npm publish", "packages:write", 11);
	where pat = {.step = {"NODE_AUTH_TOKEN=${{ secrets.NPM_TOKEN }}"}};
	assert_int_equal(analyze(state, "npm ci\nnpm publish\n", &pat).n, 0);

	where none = {0};
	f = analyze(state,
		"dotnet nuget push bin/*.nupkg --api-key " TOKEN " --source https://nuget.pkg.github.com/o/index.json\n"
		"dotnet nuget push bin/*.nupkg --api-key ${{ secrets.NUGET }} --source https://api.nuget.org/v3/index.json\n"
		"dotnet nuget add source --username o --password " TOKEN " --name github https://nuget.pkg.github.com/o/index.json\n", &none);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "dotnet nuget push", "packages:write", 10);
	expect(state, &f, 1, TS_FIND_LOGIN, "dotnet nuget add source", "packages:read", 12);

	where java = {.job = {"GITHUB_TOKEN=" TOKEN}};
	f = analyze(state, "mvn -B deploy -DskipTests\n./gradlew publish\n", &java);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "mvn deploy", "packages:write", 10);
	expect(state, &f, 1, TS_FIND_NEED, "gradle publish", "packages:write", 11);
}

/* ---------------------------------------------------------------- programs */

static void test_unknown_program(void **state)
{
	where w = {.job = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"cd scripts\n"
		"echo \"releasing\"\n"
		"test -f x && printf '%s\\n' ok\n"
		"export VERSION=1.2\n"
		"jq . package.json | cat\n"
		"make dist\n"
		"./release.sh \"$VERSION\"\n", &w);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "./release.sh");
	expect_unknown(&f, 0, "$GITHUB_TOKEN in its environment");
	assert_int_equal(f.items[0].line, 16);
	where none = {0};
	assert_int_equal(analyze(state, "./release.sh", &none).n, 0);
	/* a shell variable never reaches a program */
	assert_int_equal(analyze(state, "T=" TOKEN "\n./release.sh", &none).n, 0);
	/* an argument does */
	f = analyze(state, "./deploy.sh " TOKEN, &none);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "command line");
	/* a script fetched and run while the token is in the environment */
	f = analyze(state, "curl -fsSL https://example.com/install.sh | bash\n", &w);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "runs bash");
}

static void test_tool_records(void **state)
{
	where w = {.step = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"goreleaser release --clean\n"
		"npx semantic-release@22\n"
		"python -m build\n", &w);
	assert_int_equal(f.n, 3);
	expect(state, &f, 0, TS_FIND_NEED, "goreleaser release", "contents:write", 10);
	expect(state, &f, 1, TS_FIND_NEED, "semantic-release",
	       "contents:write+issues:write+pull-requests:write", 11);
	expect_unknown(&f, 2, "build");
	where maybe = {.step = {"GITHUB_TOKEN=${{ inputs.token }}"}};
	f = analyze(state, "goreleaser release\njq . x\n", &maybe);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "cannot be resolved");
}

static void test_token_written(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"echo \"GH_TOKEN=" TOKEN "\" >> \"$GITHUB_ENV\"\n"
		"echo \"::add-mask::" TOKEN "\"\n"
		"echo " TOKEN " > /dev/null\n"
		"echo \"$(echo " TOKEN " | base64)\" > token.txt\n", &none);
	assert_int_equal(f.n, 2);
	expect_unknown(&f, 0, "GITHUB_ENV");
	expect_unknown(&f, 1, "token.txt");
	assert_int_equal(f.items[1].line, 13);
}

static void test_npmrc(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"echo \"//npm.pkg.github.com/:_authToken=" TOKEN "\" >> ~/.npmrc\n"
		"npm publish\n", &none);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "npm publish", "packages:write", 11);
	f = analyze(state,
		"echo \"//npm.pkg.github.com/:_authToken=" TOKEN "\" >> ~/.npmrc\n"
		"npm ci\n", &none);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "npm ci", "packages:read", 11);
	expect_unknown(&f, 1, "later steps");
}

/* ---------------------------------------------------------------- shells */

static void test_other_shells(void **state)
{
	where py = {.shell = "python", .step = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state, "import os\nprint(os.environ['GITHUB_TOKEN'])\n", &py);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "shell: python");
	where py2 = {.shell = "python"};
	assert_int_equal(analyze(state, "print('hi')\n", &py2).n, 0);
	f = analyze(state, "t = '" TOKEN "'\n", &py2);
	assert_int_equal(f.n, 1);
	where cmd = {.shell = "cmd", .job = {"X=1"}};
	assert_int_equal(analyze(state, "echo %X%", &cmd).n, 0);
}

static void test_pwsh(void **state)
{
	where w = {.shell = "pwsh"};
	ts_findings f = analyze(state,
		"$env:GH_TOKEN = \"" TOKEN "\"\n"
		"gh pr merge --auto $env:PR_URL\n"
		"Write-Host \"done\"\n"
		"$headers = @{ Authorization = \"token $env:GH_TOKEN\"; Accept = 'application/vnd.github+json' }\n"
		"Invoke-RestMethod -Method Post -Headers $headers `\n"
		"  -Uri \"$env:GITHUB_API_URL/repos/$env:GITHUB_REPOSITORY/issues\" -Body '{}'\n"
		"irm -Uri https://api.github.com/repos/o/r/issues -Headers @{Authorization=\"Bearer ${{ secrets.PAT }}\"}\n", &w);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "gh pr merge --auto", NULL, 11);
	expect(state, &f, 1, TS_FIND_NEED, "Invoke-RestMethod POST /repos/{owner}/{repo}/issues",
	       "issues:write", 14);
	/* a PowerShell variable is not the environment */
	f = analyze(state, "$GH_TOKEN = \"" TOKEN "\"\ngh issue close 1\n", &w);
	assert_int_equal(f.n, 0);
	where env = {.shell = "pwsh", .job = {"GITHUB_TOKEN=" TOKEN}};
	f = analyze(state, "Write-Host 'x'\nGet-ChildItem\n./build.ps1\n", &env);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "./build.ps1");
}


static void test_heredoc_is_data(void **state)
{
	where w = {.step = {"GH_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"cat <<'EOF' > notes.md\n"
		"Run gh pr merge --auto to merge, then git push\n"
		"EOF\n"
		"cat <<EOF >> \"$GITHUB_STEP_SUMMARY\"\n"
		"gh issue close $N\n"
		"EOF\n", &w);
	assert_int_equal(f.n, 0);
	/* ... unless a shell reads it as its script */
	f = analyze(state, "bash <<'EOF'\ngh issue close 1\nEOF\n", &w);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "gh issue close", "issues:write", 0);
}

static void test_gh_login_stored(void **state)
{
	where none = {0};
	ts_findings f = analyze(state,
		"echo \"" TOKEN "\" | gh auth login --with-token\n"
		"gh pr merge --auto 3\n", &none);
	assert_int_equal(f.n, 2);
	expect(state, &f, 0, TS_FIND_NEED, "gh pr merge --auto", NULL, 11);
	expect_unknown(&f, 1, "gh's login");
	assert_int_equal(f.items[1].line, 10);
	f = analyze(state, "echo \"${{ secrets.PAT }}\" | gh auth login --with-token\ngh pr merge 3\n", &none);
	assert_int_equal(f.n, 0);
}

static void test_code_runners(void **state)
{
	where w = {.job = {"GITHUB_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"perl -0pe 's/a\\n/b/g' notes.md > out.md\n"
		"deno run --allow-net ./tools/lint.js\n"
		"eval \"$(brew shellenv)\"\n"
		"find . -name '*.json' -exec jq . {} \\;\n"
		"find . -name x -exec gh issue close 1 \\; -print\n", &w);
	assert_int_equal(f.n, 5);
	expect_unknown(&f, 0, "runs perl");
	expect_unknown(&f, 1, "runs ./tools/lint.js");
	expect_unknown(&f, 2, "runs brew");      /* the program itself */
	expect_unknown(&f, 3, "cannot be read"); /* and the code it prints */
	expect(state, &f, 4, TS_FIND_NEED, "gh issue close", "issues:write", 14);
	where none = {0};
	f = analyze(state,
		"perl -0pe 's/a/b/' x\neval \"$(ssh-agent -s)\"\nfind . -exec rm {} +\n", &none);
	assert_int_equal(f.n, 0);
}

static void test_token_names(void **state)
{
	/* an App's slug is not a token, though the step is called app-token */
	where slug = {.step = {"BOT=${{ steps.app-token.outputs.app-slug }}[bot]"}};
	assert_int_equal(analyze(state, "./bot.sh \"$BOT\"", &slug).n, 0);
	where tok = {.step = {"T=${{ steps.app-token.outputs.token }}"}};
	ts_findings f = analyze(state, "./bot.sh", &tok);
	assert_int_equal(f.n, 1);
	expect_unknown(&f, 0, "./bot.sh");
	where input = {.step = {"X=${{ inputs.github-token }}"}};
	assert_int_equal(analyze(state, "./bot.sh", &input).n, 1);
}

static void test_refused(void **state)
{
	fixture *fx = *state;
	ts_expr_ctx x = {&fx->arena, NULL, NULL, NULL};
	ts_run_ctx rc = {.map = fx->map, .arena = &fx->arena, .expr = &x, .line = 3};
	ts_findings out = {NULL, 0, 0};
	assert_int_equal(ts_run_analyze(&rc, &out), -1);
	assert_int_equal(out.n, 1);
	expect_unknown(&out, 0, "missing");
}


static void test_more_forms(void **state)
{
	/* GHES: gh reads GH_ENTERPRISE_TOKEN there, not GH_TOKEN */
	where ghes = {.step = {"GH_ENTERPRISE_TOKEN=" TOKEN}};
	ts_findings f = analyze(state,
		"gh api --hostname ghe.example.com repos/o/r/issues\n"
		"gh api repos/o/r/issues\n", &ghes);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "gh api GET /repos/{owner}/{repo}/issues", "issues:read", 10);
	where dotcom = {.step = {"GH_TOKEN=" TOKEN}};
	assert_int_equal(analyze(state, "gh api --hostname ghe.example.com repos/o/r/issues\n", &dotcom).n, 0);

	/* git asks gh for credentials after gh auth setup-git */
	f = analyze(state, "gh auth setup-git\ngit push origin HEAD\n", &dotcom);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "git push", "contents:write", 11);

	where env = {.job = {"GITHUB_TOKEN=" TOKEN}};
	f = analyze(state, "dotnet restore\n", &env);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "dotnet restore", "packages:read", 10);

	f = analyze(state,
		"curl -sS -H \"Authorization: bearer $GITHUB_TOKEN\" --data-binary @- https://api.github.com/graphql <<EOF\n"
		"{\"query\": \"mutation { addComment(input: {subjectId: \\\"$NODE_ID\\\", body: \\\"x\\\"}) { clientMutationId } }\"}\n"
		"EOF\n", &env);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "curl graphql mutation addComment",
	       "issues:write|pull-requests:write", 10);

	where ps = {.shell = "pwsh", .job = {"GITHUB_TOKEN=" TOKEN}};
	f = analyze(state,
		"Invoke-WebRequest -Uri \"https://api.github.com/repos/$env:GITHUB_REPOSITORY/pulls/$env:PR\" "
		"-Headers @{Authorization = \"token $env:GITHUB_TOKEN\"}\n", &ps);
	assert_int_equal(f.n, 1);
	expect(state, &f, 0, TS_FIND_NEED, "Invoke-WebRequest GET /repos/{owner}/{repo}/pulls/{pull_number}",
	       "pull-requests:read", 10);
	assert_true(f.items[0].pr_number);
}

/* ---------------------------------------------------------------- shipped map */

static void test_builtin_map(void **state)
{
	fixture *fx = *state;
	ts_map *m = ts_map_new();
	ts_error err;
	assert_int_equal(ts_map_load_builtin(m, &err), 0);
	assert_int_equal(ts_map_finish(m, &err), 0);
	where w = {.step = {"GH_TOKEN=" TOKEN}, .creds = true};
	ts_findings f = analyze_in(fx, m,
		"gh pr merge --auto --squash \"$PR\"\n"
		"gh api repos/{owner}/{repo}/issues/1/comments -f body=x\n"
		"git push\n", &w);
	assert_int_equal(f.n, 3);
	expect_in(state, m, &f, 0, TS_FIND_NEED, "gh pr merge --auto",
		  "contents:write+pull-requests:read+pull-requests:write", 10);
	expect_in(state, m, &f, 1, TS_FIND_NEED,
		  "gh api POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
		  "issues:write|pull-requests:write", 11);
	expect_in(state, m, &f, 2, TS_FIND_NEED, "git push", "contents:write", 12);
	assert_non_null(strstr(f.items[0].origin.file, "gh.map"));
	ts_map_free(m);
}

/* A script parsed once for a workflow is analysed afresh in each step:
 * the parse is shared, what reaches the commands is not. */
static void test_parse_shared(void **state)
{
	fixture *f = *state;
	const char *script = "./deploy.sh --all\n";
	where plain = {.parsed = ts_memo_new(&f->arena)};
	where token = plain;
	token.step[0] = "GITHUB_TOKEN=${{ github.token }}";
	assert_int_equal(analyze(state, script, &plain).n, 0);
	ts_findings got = analyze(state, script, &token);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.items[0].kind, TS_FIND_UNKNOWN);
	assert_int_equal(got.items[0].line, 10);
	assert_int_equal(analyze(state, script, &plain).n, 0);
	/* the same text in another shell is another parse */
	token.shell = "pwsh";
	got = analyze(state, script, &token);
	assert_int_equal(got.n, 1);
	token.shell = "python";
	assert_int_equal(analyze(state, script, &token).n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gh_token_levels),
		cmocka_unit_test(test_gh_other_token),
		cmocka_unit_test(test_gh_token_from_script),
		cmocka_unit_test(test_gh_flags_and_words),
		cmocka_unit_test(test_gh_unknown_subcommand),
		cmocka_unit_test(test_gh_in_substitution_and_launchers),
		cmocka_unit_test(test_gh_api_rest),
		cmocka_unit_test(test_gh_api_repo_variable),
		cmocka_unit_test(test_gh_api_unknown),
		cmocka_unit_test(test_gh_api_graphql),
		cmocka_unit_test(test_curl_rest),
		cmocka_unit_test(test_curl_no_token),
		cmocka_unit_test(test_curl_elsewhere),
		cmocka_unit_test(test_curl_ghes_graphql_wget),
		cmocka_unit_test(test_git_push_forms),
		cmocka_unit_test(test_git_push_urls),
		cmocka_unit_test(test_git_fetch),
		cmocka_unit_test(test_git_stored_credentials),
		cmocka_unit_test(test_oidc),
		cmocka_unit_test(test_docker_login),
		cmocka_unit_test(test_image_push),
		cmocka_unit_test(test_docker_passes_token),
		cmocka_unit_test(test_packages),
		cmocka_unit_test(test_unknown_program),
		cmocka_unit_test(test_tool_records),
		cmocka_unit_test(test_token_written),
		cmocka_unit_test(test_npmrc),
		cmocka_unit_test(test_other_shells),
		cmocka_unit_test(test_pwsh),
		cmocka_unit_test(test_heredoc_is_data),
		cmocka_unit_test(test_gh_login_stored),
		cmocka_unit_test(test_code_runners),
		cmocka_unit_test(test_token_names),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_more_forms),
		cmocka_unit_test(test_builtin_map),
		cmocka_unit_test(test_parse_shared),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
