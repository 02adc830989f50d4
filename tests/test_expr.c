/*
 * test_expr.c - ts_expr_eval / ts_expr_subst: does a value carry
 * GITHUB_TOKEN, another secret, a known text, or something unknowable?
 *
 * Covers secrets.GITHUB_TOKEN and github.token in any case; other secrets;
 * `||` with the token on either side; env.X through the step -> job ->
 * workflow chain; inputs.X with and without known inputs; the github.X
 * values that are the same for every run; step outputs that are App
 * tokens; unknown contexts; functions; mixed text with several `${{ }}`.
 */
#include "testlib.h"

#include "infer/expr.h"

static ts_expr_ctx ctx0(void)
{
	ts_expr_ctx x;
	memset(&x, 0, sizeof(x));
	x.arena = tl_arena();
	return x;
}

static ts_value eval(const ts_expr_ctx *x, const char *e)
{
	return ts_expr_eval(x, e, strlen(e));
}

static ts_value subst(const ts_expr_ctx *x, const char *t)
{
	return ts_expr_subst(x, t, strlen(t));
}

static void assert_kind(const ts_expr_ctx *x, const char *e, ts_val_kind k)
{
	ts_value v = eval(x, e);
	if (v.kind != k)
		fail_msg("'%s': kind %d, expected %d", e, v.kind, k);
}

static void assert_text(const ts_expr_ctx *x, const char *e, const char *text)
{
	ts_value v = eval(x, e);
	if (v.kind != TS_VAL_TEXT)
		fail_msg("'%s': kind %d, expected TEXT", e, v.kind);
	assert_string_equal(v.text, text);
}

/* ------------------------------------------------------------------ */
/* The token                                                           */

static void github_token_in_any_case(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "secrets.GITHUB_TOKEN", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "  Secrets.github_token  ", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "github.token", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "GitHub.TOKEN", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "secrets['GITHUB_TOKEN']", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "secrets[\"github_token\"]", TS_VAL_GITHUB_TOKEN);
	ts_value v = eval(&x, " github.token ");
	assert_string_equal(v.text, "github.token");
}

static void names_that_only_start_like_the_token_are_not_it(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "secrets.GITHUB_TOKEN_2", TS_VAL_SECRET);
	assert_kind(&x, "github.tokens", TS_VAL_UNKNOWN);
	assert_kind(&x, "mygithub.token", TS_VAL_UNKNOWN);
	assert_kind(&x, "steps.github.token", TS_VAL_UNKNOWN);
}

static void other_secrets_are_secret(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	ts_value v = eval(&x, "secrets.PAT");
	assert_int_equal(v.kind, TS_VAL_SECRET);
	assert_string_equal(v.text, "secrets.PAT");
	assert_kind(&x, "SECRETS.release_token", TS_VAL_SECRET);
	assert_kind(&x, "secrets.A || secrets.B", TS_VAL_SECRET);
}

static void or_with_the_token_on_either_side_is_the_token(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "secrets.PAT || github.token", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "secrets.PAT || secrets.GITHUB_TOKEN", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "github.token || secrets.PAT", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "github.event_name == 'push' && secrets.PAT", TS_VAL_SECRET);
}

static void or_with_an_unknown_operand_cannot_be_proven(void **state)
{
	(void)state;
	/* The value is one of the operands: when PAT is unset it is the input,
	 * which may well be the token. "Never a guess": not SECRET. */
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "secrets.PAT || inputs.token", TS_VAL_UNKNOWN);
	assert_kind(&x, "secrets.PAT || steps.get.outputs.token", TS_VAL_UNKNOWN);
}

static void functions_are_not_evaluated(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "format('token {0}', secrets.GITHUB_TOKEN)", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "format('{0}', secrets.PAT)", TS_VAL_SECRET);
	assert_kind(&x, "format('{0}', matrix.os)", TS_VAL_UNKNOWN);
	assert_kind(&x, "fromJSON(steps.x.outputs.y).token", TS_VAL_UNKNOWN);
}

static void to_json_of_all_secrets_carries_the_token(void **state)
{
	(void)state;
	/* the secrets context holds github_token: this value carries it */
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "toJSON(secrets)", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "toJSON( GitHub )", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "format('{0}', github)", TS_VAL_GITHUB_TOKEN);
	assert_kind(&x, "toJSON(github.event)", TS_VAL_UNKNOWN);
	assert_kind(&x, "toJSON(secrets['PAT'])", TS_VAL_SECRET);
}

/* ------------------------------------------------------------------ */
/* Contexts                                                            */

/* An env entry as ts_env_eval makes it, its credential left undecided. */
#define V(n, k, t) {.name = (n), .value = {(k), (t)}}

static void env_walks_the_chain(void **state)
{
	(void)state;
	ts_var wf_vars[] = {V("TOKEN", TS_VAL_GITHUB_TOKEN, "${{ github.token }}"),
			    V("NAME", TS_VAL_TEXT, "wf")};
	ts_var job_vars[] = {V("NAME", TS_VAL_TEXT, "job"), V("X", TS_VAL_TEXT, "a")};
	ts_var step_vars[] = {V("TOKEN", TS_VAL_SECRET, "${{ secrets.PAT }}"),
			      V("X", TS_VAL_TEXT, "first"), V("X", TS_VAL_TEXT, "last")};
	ts_env wf = {NULL, wf_vars, 2}, job = {&wf, job_vars, 2}, step = {&job, step_vars, 3};
	ts_expr_ctx x = ctx0();
	x.env = &job;
	assert_kind(&x, "env.TOKEN", TS_VAL_GITHUB_TOKEN);   /* from the workflow */
	assert_text(&x, "env.NAME", "job");                  /* the job's wins */
	assert_text(&x, "env.X", "a");
	assert_text(&x, "env.UNSET", "");                    /* unset is empty */
	assert_kind(&x, "env.token", TS_VAL_TEXT);           /* env names keep case */
	x.env = &step;
	assert_kind(&x, "env.TOKEN", TS_VAL_SECRET);         /* the step overrides */
	assert_text(&x, "env.X", "last");
	assert_text(&x, "env.NAME", "job");
	assert_ptr_equal(ts_env_find(&step, "NAME", 4), &job_vars[0]);
	assert_null(ts_env_find(&step, "NAM", 3));
	assert_null(ts_env_find(NULL, "X", 1));
}

static void inputs_known_and_unknown(void **state)
{
	(void)state;
	ts_var in_vars[] = {V("token", TS_VAL_GITHUB_TOKEN, "${{ github.token }}"),
			    V("name", TS_VAL_TEXT, "x")};
	ts_env inputs = {NULL, in_vars, 2};
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "inputs.token", TS_VAL_UNKNOWN);     /* inputs not known */
	x.inputs = &inputs;
	assert_kind(&x, "inputs.token", TS_VAL_GITHUB_TOKEN);
	assert_text(&x, "inputs.name", "x");
	assert_text(&x, "inputs.missing", "");
}

static void github_repository_is_owner_slash_repo(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_text(&x, "github.repository", "{owner}/{repo}");
	assert_text(&x, "github.repository_owner", "{owner}");
	assert_text(&x, "GitHub.Server_Url", "https://github.com");
	assert_text(&x, "github.api_url", "https://api.github.com");
	assert_text(&x, "github.graphql_url", "https://api.github.com/graphql");
	assert_kind(&x, "github.event.pull_request.number", TS_VAL_UNKNOWN);
	assert_kind(&x, "github.ref", TS_VAL_UNKNOWN);
}

static void unknown_contexts_are_unknown(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_kind(&x, "matrix.token", TS_VAL_UNKNOWN);
	assert_kind(&x, "steps.app.outputs.token", TS_VAL_UNKNOWN);
	assert_kind(&x, "vars.TOKEN", TS_VAL_UNKNOWN);
	assert_kind(&x, "needs.build.outputs.token", TS_VAL_UNKNOWN);
	ts_value v = eval(&x, "  matrix.os ");
	assert_string_equal(v.text, "matrix.os");
}

static void app_token_step_outputs_are_secret(void **state)
{
	(void)state;
	const char *steps[] = {"app", "gen", NULL};
	ts_expr_ctx x = ctx0();
	x.secret_steps = steps;
	assert_kind(&x, "steps.app.outputs.token", TS_VAL_SECRET);
	assert_kind(&x, "steps.gen.outputs.anything", TS_VAL_SECRET);
	assert_kind(&x, "steps.apps.outputs.token", TS_VAL_UNKNOWN);
	assert_kind(&x, "steps.ap.outputs.token", TS_VAL_UNKNOWN);
}

static void literals_are_text(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	assert_text(&x, "'hello world'", "hello world");
	assert_text(&x, "42", "42");
	assert_text(&x, "true", "true");
	assert_text(&x, "null", "");
}

static void runner_defaults(void **state)
{
	(void)state;
	assert_string_equal(ts_expr_runner_default("GITHUB_REPOSITORY", 17), "{owner}/{repo}");
	assert_string_equal(ts_expr_runner_default("GITHUB_API_URL", 14), "https://api.github.com");
	assert_string_equal(ts_expr_runner_default("GITHUB_REPOSITORY_OWNER", 23), "{owner}");
	assert_null(ts_expr_runner_default("GITHUB_TOKEN", 12));
	assert_null(ts_expr_runner_default("GITHUB_REPO", 11));
}

/* ------------------------------------------------------------------ */
/* Whole values                                                        */

static void subst_known_text(void **state)
{
	(void)state;
	ts_var vars[] = {V("V", TS_VAL_TEXT, "1.2")};
	ts_env env = {NULL, vars, 1};
	ts_expr_ctx x = ctx0();
	x.env = &env;
	ts_value v = subst(&x, "https://api.github.com/repos/${{ github.repository }}/tags/v${{env.V}}");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "https://api.github.com/repos/{owner}/{repo}/tags/v1.2");
	v = subst(&x, "no expressions at all");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "no expressions at all");
	v = subst(&x, "${{ env.V }}${{ env.V }}");
	assert_string_equal(v.text, "1.21.2");
	v = subst(&x, "");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "");
}

static void subst_token_anywhere_is_the_token(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	const char *t = "Authorization: Bearer ${{ github.token }}";
	ts_value v = subst(&x, t);
	assert_int_equal(v.kind, TS_VAL_GITHUB_TOKEN);
	assert_string_equal(v.text, t);        /* the source text, unchanged */
	v = subst(&x, "${{ secrets.PAT }} ${{ matrix.x }} ${{ secrets.GITHUB_TOKEN }}");
	assert_int_equal(v.kind, TS_VAL_GITHUB_TOKEN);
}

static void subst_secret_before_unknown(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	ts_value v = subst(&x, "x-access-token:${{ secrets.PAT }}@${{ matrix.host }}");
	assert_int_equal(v.kind, TS_VAL_SECRET);
	v = subst(&x, "${{ matrix.token }}");
	assert_int_equal(v.kind, TS_VAL_UNKNOWN);
	assert_string_equal(v.text, "${{ matrix.token }}");
}

static void subst_unterminated_expression_is_unknown(void **state)
{
	(void)state;
	ts_expr_ctx x = ctx0();
	ts_value v = subst(&x, "a ${{ github.repository ");
	assert_int_equal(v.kind, TS_VAL_UNKNOWN);
	v = subst(&x, "cost: $5 {{ not an expression }}");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "cost: $5 {{ not an expression }}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(github_token_in_any_case),
		TL_TEST(names_that_only_start_like_the_token_are_not_it),
		TL_TEST(other_secrets_are_secret),
		TL_TEST(or_with_the_token_on_either_side_is_the_token),
		TL_TEST(or_with_an_unknown_operand_cannot_be_proven),
		TL_TEST(functions_are_not_evaluated),
		TL_TEST(to_json_of_all_secrets_carries_the_token),
		TL_TEST(env_walks_the_chain),
		TL_TEST(inputs_known_and_unknown),
		TL_TEST(github_repository_is_owner_slash_repo),
		TL_TEST(unknown_contexts_are_unknown),
		TL_TEST(app_token_step_outputs_are_secret),
		TL_TEST(literals_are_text),
		TL_TEST(runner_defaults),
		TL_TEST(subst_known_text),
		TL_TEST(subst_token_anywhere_is_the_token),
		TL_TEST(subst_secret_before_unknown),
		TL_TEST(subst_unterminated_expression_is_unknown),
	};
	return cmocka_run_group_tests_name("expr", tests, NULL, NULL);
}
