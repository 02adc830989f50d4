/*
 * test_plan.c - ts_plan_make: where each job's block goes and what it says,
 * built from workflow text through the real stages (load -> parse ->
 * workflow_read -> infer with the builtin map -> plan; splice and verify
 * run too, and every plan here must verify).
 *
 * Placement: after the whole `runs-on` entry (a trailing comment stays on
 * its line; sequences and block scalars), before `steps:` moved above the
 * comments that introduce it, after a reusable workflow's `uses:`, as the
 * first key; flow jobs inside their braces. Text: the file's indentation
 * unit (2 and 4 spaces), the EOL of the line joined (CRLF), no final
 * newline added, reason comments. Decisions: existing blocks, unsafe and
 * unresolved jobs, inheriting the top-level block; the top-level
 * `permissions: {}` rules (every job must have a block, --no-top-level,
 * an existing top-level block, comments above `jobs:`).
 */
#include "testlib.h"

static const ts_plan_opts NO_COMMENTS = {false, true};
static const ts_plan_opts NO_TOP = {true, true};

static void run_nc(tl_run *r, const char *text)
{
	tl_run_opts(r, tl_builtin(), text, &NO_COMMENTS);
}

/* Asserts insertion k: offset, job, exact text; and that verify passed. */
static void assert_ins(tl_run *r, size_t k, size_t at, int job, const char *text)
{
	if (r->verify_rc != 0)
		fail_msg("verify: %s", r->err.msg);
	assert_true(k < r->plan.nins);
	assert_int_equal(r->plan.ins[k].at, at);
	assert_int_equal(r->plan.ins[k].job, job);
	assert_string_equal(tl_ins(r, k), text);
	assert_int_equal(r->plan.ins[k].len, strlen(text));
}

static int scope(const char *name)
{
	return ts_map_scope_find(tl_builtin(), name, strlen(name));
}

/* ------------------------------------------------------------------ */
/* Block jobs                                                          */

static void block_job_after_runs_on_with_reason_comment(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: ubuntu-latest  # the runner\n"
		"    steps:\n"
		"      - uses: actions/checkout@v4\n";
	tl_run r;
	tl_run_text(&r, t);
	assert_int_equal(r.plan.nins, 2);
	assert_true(r.plan.top);
	assert_ins(&r, 0, tl_offset(t, "jobs:"), -1,
		   "permissions: {}  # each job sets its own\n");
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0,
		   "    permissions:\n"
		   "      contents: read  # actions/checkout (step 1, line 6)\n");
	assert_string_equal(r.plan.ins[1].job_id, "build");
	assert_false(r.plan.ins[1].flow);
	assert_int_equal(r.plan.ins[1].level[scope("contents")], TS_LEVEL_READ);
	assert_int_equal(r.plan.ins[1].level[scope("issues")], TS_LEVEL_NONE);
	assert_int_equal(r.plan.njobs, 1);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_WRITE);
	assert_int_equal(r.plan.jobs[0].insertion, 1);
}

static void reason_names_the_step_and_counts_more(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - name: Checkout\n"
		"        uses: actions/checkout@v4\n"
		"      - uses: actions/checkout@v4\n"
		"        with: {path: other}\n";
	tl_run r;
	tl_run_text(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0,
		   "    permissions:\n"
		   "      contents: read  # actions/checkout (\"Checkout\", line 7) and 1 more\n");
}

static void long_step_name_cut_on_a_character_boundary(void **state)
{
	(void)state;
	/* the name is cut to 37 bytes in the comment; the 37th byte is the
	 * first of the two of "\xc3\xa9": the comment must stay UTF-8 */
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - name: \"Checkout the repository for the depl\xc3\xa9 and more words\"\n"
		"        uses: actions/checkout@v4\n";
	tl_run r;
	tl_run_text(&r, t);
	if (r.verify_rc != 0)
		fail_msg("verify: %s", r.err.msg);
	ts_source out;
	ts_error err = {0, 0, ""};
	if (ts_load_bytes("out.yml", r.out.text, r.out.len, NULL, &out, &err) != 0)
		fail_msg("output %d:%d: %s", err.line, err.col, err.msg);
}

static void job_with_no_token_use_gets_empty_block(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  lint:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - run: echo hi\n";
	tl_run r;
	tl_run_text(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0,
		   "    permissions: {}  # no step uses GITHUB_TOKEN\n");
	for (int s = 0; s < TS_MAX_SCOPES; s++)
		assert_int_equal(r.plan.ins[1].level[s], TS_LEVEL_NONE);
}

static void runs_on_sequence_block_goes_after_its_last_item(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on:\n"
		"      - self-hosted\n"
		"      - linux   # the label\n"
		"    # about steps\n"
		"    steps:\n"
		"      - run: echo hi\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    # about steps"), 0, "    permissions: {}\n");
}

static void runs_on_flow_mapping_over_two_lines(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: {group: big,\n"
		"              labels: [x]}\n"
		"    steps:\n"
		"      - run: echo hi\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0, "    permissions: {}\n");
}

static void runs_on_block_scalar(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: >-\n"
		"      ubuntu-latest\n"
		"\n"
		"    steps:\n"
		"      - run: echo hi\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0, "    permissions: {}\n");
}

static void before_steps_moved_above_their_comments(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    name: x\n"
		"    # the steps\n"
		"    # more\n"
		"    steps:\n"
		"      - run: echo hi\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    # the steps"), 0, "    permissions: {}\n");
}

static void after_reusable_workflow_uses(void **state)
{
	(void)state;
	static const tl_file files[] = {
		{".github/workflows/called.yml",
		 "on: workflow_call\n"
		 "jobs:\n"
		 "  inner:\n"
		 "    runs-on: x\n"
		 "    steps:\n"
		 "      - uses: actions/checkout@v4\n"},
		{NULL, NULL}};
	*tl_files() = files;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  call:\n"
		"    uses: ./.github/workflows/called.yml  # reusable\n"
		"    with:\n"
		"      x: 1\n";
	tl_run r;
	run_nc(&r, t);
	assert_true(r.inf.jobs[0].resolved);
	assert_string_equal(tl_grants(&r, 0), "contents:read");
	assert_ins(&r, 1, tl_offset(t, "    with:"), 0,
		   "    permissions:\n      contents: read\n");
}

static void first_key_when_no_runs_on_steps_or_uses(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    container: node\n"
		"    services: {}\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    container:"), 0, "    permissions: {}\n");
}

static void quoted_job_key_and_multibyte_text_before_it(void **state)
{
	(void)state;
	const char *t =
		"name: \"d\xc3\xa9ploiement \xe2\x82\xac\"\n"
		"on: push\n"
		"jobs:\n"
		"  \"g-h\":\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - run: echo h\xc3\xa9\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0, "    permissions: {}\n");
	assert_string_equal(r.plan.ins[1].job_id, "g-h");
}

/* ------------------------------------------------------------------ */
/* Flow jobs                                                           */

static void flow_job_inside_its_braces(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build: {runs-on: x, steps: [{uses: actions/checkout@v4}]}  # c\n"
		"  empty: {}\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.nins, 3);
	/* before the first key, so a trailing comma or an empty last value
	 * cannot make the text invalid */
	assert_ins(&r, 1, tl_offset(t, "{runs-on") + 1, 0, "permissions: {contents: read}, ");
	assert_true(r.plan.ins[1].flow);
	assert_ins(&r, 2, tl_offset(t, "{}\n") + 1, 1, "permissions: {}");
	assert_true(r.plan.ins[2].flow);
	assert_false(r.plan.ins[0].flow);
}

static void flow_job_with_trailing_comma_and_lines(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  a: {runs-on: x, steps: [{run: echo}], }\n"
		"  b: {\n"
		"    runs-on: x\n"
		"  }\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "{runs-on") + 1, 0, "permissions: {}, ");
	assert_ins(&r, 2, tl_offset(t, "runs-on: x\n  }"), 1, "permissions: {}, ");
}

static void flow_job_with_empty_last_value(void **state)
{
	(void)state;
	/* `env:` has no value: the block must still land inside the braces
	 * after the whole entry, and the result must verify */
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  a: {runs-on: x, env: }\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.nins, 2);
	if (r.verify_rc != 0)
		fail_msg("verify: %s (output: %s)", r.err.msg, r.out.text);
}

/* ------------------------------------------------------------------ */
/* The file's own conventions                                          */

static void crlf_file_gets_crlf_lines(void **state)
{
	(void)state;
	const char *t =
		"on: push\r\n"
		"jobs:\r\n"
		"  build:\r\n"
		"    runs-on: x\r\n"
		"    steps:\r\n"
		"      - uses: actions/checkout@v4\r\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 0, tl_offset(t, "jobs:"), -1, "permissions: {}\r\n");
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0,
		   "    permissions:\r\n      contents: read\r\n");
}

static void eol_follows_the_joined_line_not_the_majority(void **state)
{
	(void)state;
	const char *t =
		"on: push\r\n"
		"jobs:\r\n"
		"  build:\r\n"
		"    runs-on: x\n"
		"    steps:\r\n"
		"      - run: echo\r\n";
	tl_run r;
	run_nc(&r, t);
	assert_true(r.src.crlf);
	assert_ins(&r, 1, tl_offset(t, "    steps:"), 0, "    permissions: {}\n");
}

static void four_space_indentation(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"    build:\n"
		"        runs-on: x\n"
		"        steps:\n"
		"            - uses: actions/checkout@v4\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "        steps:"), 0,
		   "        permissions:\n            contents: read\n");
}

static void no_final_newline_inserts_before_the_last_entry(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    steps:\n"
		"      - run: echo hi\n"
		"    runs-on: x";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    runs-on: x"), 0, "    permissions: {}\n");
	assert_false(r.out.text[r.out.len - 1] == '\n');
}

static void no_final_newline_after_block_scalar_runs_on(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    steps:\n"
		"      - run: echo hi\n"
		"    runs-on: |\n"
		"      x";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 1, tl_offset(t, "    runs-on: |"), 0, "    permissions: {}\n");
}

/* ------------------------------------------------------------------ */
/* Decisions per job                                                   */

static void existing_unsafe_and_unresolved_jobs_are_left_alone(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  has: &h\n"
		"    runs-on: x\n"
		"    permissions:\n"
		"      contents: write\n"
		"    steps:\n"
		"      - run: echo\n"
		"  alias: *h\n"
		"  unknown:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - uses: some-owner/never-heard-of@v1\n"
		"        with:\n"
		"          token: ${{ github.token }}\n"
		"  ok:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - run: echo\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.njobs, 4);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_HAS_BLOCK);
	/* an alias of a job that has a block has one too */
	assert_int_equal(r.plan.jobs[1].action, TS_JOB_HAS_BLOCK);
	assert_int_equal(r.plan.jobs[2].action, TS_JOB_UNRESOLVED);
	assert_false(r.inf.jobs[2].resolved);
	assert_int_equal(r.plan.jobs[3].action, TS_JOB_WRITE);
	/* one job cannot be proven: no top-level block */
	assert_false(r.plan.top);
	assert_int_equal(r.plan.nins, 1);
	assert_ins(&r, 0, tl_offset(t, "  ok:\n    runs-on: x\n") + strlen("  ok:\n    runs-on: x\n"),
		   3, "    permissions: {}\n");
}

static void alias_and_merge_jobs_are_unsafe(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"x-base: &base {runs-on: x}\n"
		"jobs:\n"
		"  first: &f\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n"
		"  second: *f\n"
		"  merged:\n"
		"    <<: *base\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_UNSAFE);
	assert_non_null(strstr(r.plan.jobs[0].why, "anchored"));
	assert_int_equal(r.plan.jobs[1].action, TS_JOB_UNSAFE);
	assert_int_equal(r.plan.jobs[2].action, TS_JOB_UNSAFE);
	assert_non_null(strstr(r.plan.jobs[2].why, "merge"));
	assert_int_equal(r.plan.nins, 0);
	assert_false(r.plan.top);
}

/* ------------------------------------------------------------------ */
/* The top level                                                       */

static void top_level_needs_every_job_to_have_a_block(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  has:\n"
		"    runs-on: x\n"
		"    permissions: {contents: read}\n"
		"    steps: [{run: echo}]\n"
		"  new:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	run_nc(&r, t);
	/* an existing job block counts as a block */
	assert_true(r.plan.top);
	assert_int_equal(r.plan.nins, 2);
	assert_ins(&r, 0, tl_offset(t, "jobs:"), -1, "permissions: {}\n");
	assert_int_equal(r.plan.jobs[1].insertion, 1);
}

static void no_top_level_option(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	tl_run_opts(&r, tl_builtin(), t, &NO_TOP);
	assert_false(r.plan.top);
	assert_int_equal(r.plan.nins, 1);
	assert_ins(&r, 0, tl_offset(t, "    steps:"), 0, "    permissions: {}\n");
}

static void only_existing_blocks_plan_nothing(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"jobs:\n"
		"  build:\n"
		"    runs-on: x\n"
		"    permissions: {}\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.nins, 0);
	assert_false(r.plan.top);
	assert_int_equal(r.out.len, strlen(t));
	assert_string_equal(r.out.text, t);
}

static void existing_top_level_block_jobs_equal_to_it_inherit(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"permissions:\n"
		"  contents: read\n"
		"jobs:\n"
		"  same:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - uses: actions/checkout@v4\n"
		"  less:\n"
		"    runs-on: x\n"
		"    steps:\n"
		"      - run: echo\n";
	tl_run r;
	run_nc(&r, t);
	assert_true(r.inf.has_top);
	assert_true(r.inf.top_known);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_INHERITS);
	assert_int_equal(r.plan.jobs[1].action, TS_JOB_WRITE);
	assert_false(r.plan.top);
	assert_int_equal(r.plan.nins, 1);
	assert_ins(&r, 0, tl_offset(t, "    steps:\n      - run"), 1, "    permissions: {}\n");
}

static void read_all_and_empty_top_level_blocks(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"permissions: {}\n"
		"jobs:\n"
		"  none:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n"
		"  some:\n"
		"    runs-on: x\n"
		"    steps: [{uses: actions/checkout@v4}]\n";
	tl_run r;
	run_nc(&r, t);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_INHERITS);
	assert_int_equal(r.plan.jobs[1].action, TS_JOB_WRITE);
	/* read-all grants more than contents: read, so nothing inherits */
	const char *t2 =
		"on: push\n"
		"permissions: read-all\n"
		"jobs:\n"
		"  some:\n"
		"    runs-on: x\n"
		"    steps: [{uses: actions/checkout@v4}]\n";
	run_nc(&r, t2);
	assert_true(r.inf.top_known);
	assert_int_equal(r.inf.top[scope("issues")], TS_LEVEL_READ);
	assert_int_equal(r.inf.top[scope("id-token")], TS_LEVEL_NONE);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_WRITE);
	assert_false(r.plan.top);
}

static void unreadable_top_level_block_is_never_inherited(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"permissions: ${{ inputs.perms }}\n"
		"jobs:\n"
		"  none:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	run_nc(&r, t);
	assert_true(r.inf.has_top);
	assert_false(r.inf.top_known);
	assert_int_equal(r.plan.jobs[0].action, TS_JOB_WRITE);
	assert_false(r.plan.top);
}

static void top_level_moved_above_comments_over_jobs(void **state)
{
	(void)state;
	const char *t =
		"on: push\n"
		"# the jobs\n"
		"\n"
		"# really\n"
		"# the jobs\n"
		"jobs:\n"
		"  a:\n"
		"    runs-on: x\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 0, tl_offset(t, "# really"), -1, "permissions: {}\n");
}

static void top_level_not_in_a_flow_root(void **state)
{
	(void)state;
	const char *t = "{on: push, jobs: {a: {runs-on: x, steps: [{run: echo}]}}}\n";
	tl_run r;
	run_nc(&r, t);
	assert_false(r.plan.top);
	assert_int_equal(r.plan.nins, 1);
	assert_true(r.plan.ins[0].flow);
}

static void top_level_after_a_byte_order_mark(void **state)
{
	(void)state;
	/* `jobs:` on the first line, after the BOM: the block must go after
	 * the BOM, not before it */
	const char *t =
		"\xef\xbb\xbf" "jobs:\n"
		"  a:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n"
		"on: push\n";
	tl_run r;
	run_nc(&r, t);
	assert_true(r.plan.top);
	assert_ins(&r, 0, 3, -1, "permissions: {}\n");
}

static void top_level_not_moved_into_a_block_scalar(void **state)
{
	(void)state;
	/* the line above `jobs:` starts with '#' but is the literal's text */
	const char *t =
		"on: push\n"
		"env:\n"
		"  X: |\n"
		"    line\n"
		"    # inside the scalar\n"
		"jobs:\n"
		"  a:\n"
		"    runs-on: x\n"
		"    steps: [{run: echo}]\n";
	tl_run r;
	run_nc(&r, t);
	assert_ins(&r, 0, tl_offset(t, "jobs:"), -1, "permissions: {}\n");
}

static void plan_reason_text(void **state)
{
	(void)state;
	ts_grant g;
	memset(&g, 0, sizeof(g));
	g.why.what = "gh pr merge --auto";
	g.why.step = "\"Merge\nit\"";
	g.why.line = 12;
	g.why.file = ".github/actions/x/action.yml";
	g.more = 2;
	assert_string_equal(ts_plan_reason(tl_arena(), &g),
			    "gh pr merge --auto (\"Merge it\", line 12 of "
			    ".github/actions/x/action.yml) and 2 more");
	memset(&g, 0, sizeof(g));
	g.why.what = "job";
	assert_string_equal(ts_plan_reason(tl_arena(), &g), "job");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(block_job_after_runs_on_with_reason_comment),
		TL_TEST(reason_names_the_step_and_counts_more),
		TL_TEST(long_step_name_cut_on_a_character_boundary),
		TL_TEST(job_with_no_token_use_gets_empty_block),
		TL_TEST(runs_on_sequence_block_goes_after_its_last_item),
		TL_TEST(runs_on_flow_mapping_over_two_lines),
		TL_TEST(runs_on_block_scalar),
		TL_TEST(before_steps_moved_above_their_comments),
		TL_TEST(after_reusable_workflow_uses),
		TL_TEST(first_key_when_no_runs_on_steps_or_uses),
		TL_TEST(quoted_job_key_and_multibyte_text_before_it),
		TL_TEST(flow_job_inside_its_braces),
		TL_TEST(flow_job_with_trailing_comma_and_lines),
		TL_TEST(flow_job_with_empty_last_value),
		TL_TEST(crlf_file_gets_crlf_lines),
		TL_TEST(eol_follows_the_joined_line_not_the_majority),
		TL_TEST(four_space_indentation),
		TL_TEST(no_final_newline_inserts_before_the_last_entry),
		TL_TEST(no_final_newline_after_block_scalar_runs_on),
		TL_TEST(existing_unsafe_and_unresolved_jobs_are_left_alone),
		TL_TEST(alias_and_merge_jobs_are_unsafe),
		TL_TEST(top_level_needs_every_job_to_have_a_block),
		TL_TEST(no_top_level_option),
		TL_TEST(only_existing_blocks_plan_nothing),
		TL_TEST(existing_top_level_block_jobs_equal_to_it_inherit),
		TL_TEST(read_all_and_empty_top_level_blocks),
		TL_TEST(unreadable_top_level_block_is_never_inherited),
		TL_TEST(top_level_moved_above_comments_over_jobs),
		TL_TEST(top_level_not_in_a_flow_root),
		TL_TEST(top_level_after_a_byte_order_mark),
		TL_TEST(top_level_not_moved_into_a_block_scalar),
		TL_TEST(plan_reason_text),
	};
	return cmocka_run_group_tests_name("plan", tests, NULL, tl_builtin_free);
}
