/*
 * test_splice.c - ts_splice: the input with each insertion's text placed at
 * its offset, every original byte copied verbatim, and the output offset of
 * each insertion reported.
 *
 * Covers: no insertions (an exact copy), insertions at the start, middle
 * and end, two at one offset (plan order kept), the offsets returned, and
 * whole outputs of real plans (block and flow jobs, CRLF with a BOM).
 */
#include "testlib.h"

static const ts_plan_opts NO_COMMENTS = {false, true};

static ts_insertion mk(size_t at, const char *text)
{
	ts_insertion ins;
	memset(&ins, 0, sizeof(ins));
	ins.at = at;
	ins.text = text;
	ins.len = strlen(text);
	ins.job = 0;
	ins.job_id = "a";
	return ins;
}

static void splice_n(const char *in, ts_insertion *ins, size_t n, ts_spliced *out)
{
	ts_plan plan;
	memset(&plan, 0, sizeof(plan));
	plan.ins = ins;
	plan.nins = n;
	ts_splice(tl_arena(), in, strlen(in), &plan, out);
}

static void no_insertions_is_an_exact_copy(void **state)
{
	(void)state;
	const char *in = "on: push\r\njobs: {}\r\n# end";
	ts_spliced out;
	splice_n(in, NULL, 0, &out);
	assert_int_equal(out.len, strlen(in));
	assert_memory_equal(out.text, in, out.len + 1);   /* NUL-terminated */
	assert_ptr_not_equal(out.text, in);
}

static void insertions_at_start_middle_and_end(void **state)
{
	(void)state;
	const char *in = "0123456789";
	ts_insertion ins[3] = {mk(0, "<a>"), mk(4, "<bb>"), mk(10, "<c>")};
	ts_spliced out;
	splice_n(in, ins, 3, &out);
	assert_string_equal(out.text, "<a>0123<bb>456789<c>");
	assert_int_equal(out.len, 20);
	assert_int_equal(out.at[0], 0);
	assert_int_equal(out.at[1], 7);
	assert_int_equal(out.at[2], 17);
	for (size_t k = 0; k < 3; k++)
		assert_memory_equal(out.text + out.at[k], ins[k].text, ins[k].len);
}

static void two_insertions_at_one_offset_keep_plan_order(void **state)
{
	(void)state;
	const char *in = "ab";
	ts_insertion ins[2] = {mk(1, "X"), mk(1, "YZ")};
	ts_spliced out;
	splice_n(in, ins, 2, &out);
	assert_string_equal(out.text, "aXYZb");
	assert_int_equal(out.at[0], 1);
	assert_int_equal(out.at[1], 2);
}

static void empty_insertion_text_changes_nothing(void **state)
{
	(void)state;
	const char *in = "a: 1\n";
	ts_insertion ins[1] = {mk(2, "")};
	ts_spliced out;
	splice_n(in, ins, 1, &out);
	assert_string_equal(out.text, in);
	assert_int_equal(out.at[0], 2);
}

static void real_plan_block_jobs_whole_output(void **state)
{
	(void)state;
	const char *in =
		"name: CI\n"
		"on: push\n"
		"\n"
		"jobs:\n"
		"  test:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps:\n"
		"      - uses: actions/checkout@v4\n"
		"\n"
		"  lint:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps:\n"
		"      - run: echo \"nothing here reads the token\"\n";
	tl_run r;
	tl_run_text(&r, in);
	assert_int_equal(r.verify_rc, 0);
	assert_string_equal(r.out.text,
		"name: CI\n"
		"on: push\n"
		"\n"
		"permissions: {}  # each job sets its own\n"
		"jobs:\n"
		"  test:\n"
		"    runs-on: ubuntu-latest\n"
		"    permissions:\n"
		"      contents: read  # actions/checkout (step 1, line 8)\n"
		"    steps:\n"
		"      - uses: actions/checkout@v4\n"
		"\n"
		"  lint:\n"
		"    runs-on: ubuntu-latest\n"
		"    permissions: {}  # no step uses GITHUB_TOKEN\n"
		"    steps:\n"
		"      - run: echo \"nothing here reads the token\"\n");
	size_t added = 0;
	for (size_t k = 0; k < r.plan.nins; k++) {
		assert_int_equal(r.out.at[k], r.plan.ins[k].at + added);
		assert_memory_equal(r.out.text + r.out.at[k], r.plan.ins[k].text, r.plan.ins[k].len);
		added += r.plan.ins[k].len;
	}
	assert_int_equal(r.out.len, strlen(in) + added);
}

static void real_plan_flow_job_whole_output(void **state)
{
	(void)state;
	const char *in =
		"on: push\n"
		"jobs:\n"
		"  build: {runs-on: x, steps: [{uses: actions/checkout@v4}]}\n"
		"  none: {}\n";
	tl_run r;
	tl_run_opts(&r, tl_builtin(), in, &NO_COMMENTS);
	assert_int_equal(r.verify_rc, 0);
	assert_string_equal(r.out.text,
		"on: push\n"
		"permissions: {}\n"
		"jobs:\n"
		"  build: {permissions: {contents: read}, runs-on: x, steps: [{uses: actions/checkout@v4}]}\n"
		"  none: {permissions: {}}\n");
}

static void real_plan_keeps_bom_and_crlf_bytes(void **state)
{
	(void)state;
	const char *in =
		"\xef\xbb\xbf" "on: push\r\n"
		"jobs:\r\n"
		"  build:\r\n"
		"    runs-on: x\r\n"
		"    steps:\r\n"
		"      - run: echo\r\n";
	tl_run r;
	tl_run_opts(&r, tl_builtin(), in, &NO_COMMENTS);
	assert_int_equal(r.verify_rc, 0);
	assert_string_equal(r.out.text,
		"\xef\xbb\xbf" "on: push\r\n"
		"permissions: {}\r\n"
		"jobs:\r\n"
		"  build:\r\n"
		"    runs-on: x\r\n"
		"    permissions: {}\r\n"
		"    steps:\r\n"
		"      - run: echo\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(no_insertions_is_an_exact_copy),
		TL_TEST(insertions_at_start_middle_and_end),
		TL_TEST(two_insertions_at_one_offset_keep_plan_order),
		TL_TEST(empty_insertion_text_changes_nothing),
		TL_TEST(real_plan_block_jobs_whole_output),
		TL_TEST(real_plan_flow_job_whole_output),
		TL_TEST(real_plan_keeps_bom_and_crlf_bytes),
	};
	return cmocka_run_group_tests_name("splice", tests, NULL, tl_builtin_free);
}
