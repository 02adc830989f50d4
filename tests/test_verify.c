/*
 * test_verify.c - ts_verify must accept an output that is its input plus
 * exactly the planned `permissions` keys, and reject anything else.
 *
 * A correct plan (from the real stages, and the same plan made by hand)
 * passes. Hand-crafted wrong outputs are each rejected: the key in the
 * wrong job, a top-level block inside a job and a job block at the top, a
 * changed byte in a scalar elsewhere (with the output line), a changed
 * scalar style, an added anchor, an extra scope, a wrong level, an unknown
 * scope, a key that is not `permissions`, a second key in one insertion,
 * a planned block missing from the output, an output that does not parse.
 */
#include "testlib.h"

static const char *IN =
	"on: push\n"
	"jobs:\n"
	"  a:\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - uses: actions/checkout@v4\n"
	"  b:\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - run: echo hi\n";

#define A_BLOCK "    permissions:\n      contents: read\n"
#define B_BLOCK "    permissions: {}\n"

static int scope(const char *name)
{
	return ts_map_scope_find(tl_builtin(), name, strlen(name));
}

/* Offset of job `id`'s `steps:` line in IN. */
static size_t steps_of(const char *id)
{
	const char *job = strstr(IN, id[0] == 'a' ? "  a:\n" : "  b:\n");
	return (size_t)(strstr(job, "    steps:") - IN);
}

static ts_insertion mk(size_t at, const char *text, int job, const char *id)
{
	ts_insertion ins;
	memset(&ins, 0, sizeof(ins));
	ins.at = at;
	ins.text = text;
	ins.len = strlen(text);
	ins.job = job;
	ins.job_id = id;
	return ins;
}

typedef struct vcase {
	ts_insertion ins[3];
	ts_plan plan;
	ts_spliced out;
	ts_error err;
} vcase;

/* The correct plan for IN, made by hand: a gets contents: read, b {}. */
static void correct(vcase *v)
{
	memset(v, 0, sizeof(*v));
	v->ins[0] = mk(steps_of("a"), A_BLOCK, 0, "a");
	v->ins[0].level[scope("contents")] = TS_LEVEL_READ;
	v->ins[1] = mk(steps_of("b"), B_BLOCK, 1, "b");
	v->plan.ins = v->ins;
	v->plan.nins = 2;
}

static void splice(vcase *v)
{
	ts_splice(tl_arena(), IN, strlen(IN), &v->plan, &v->out);
}

/* IN's events, as the parse stage records them for verify. */
static const ts_yevents *in_events(void)
{
	static ts_yevents ev;
	ts_parse_opts po = {.events = &ev};
	const ts_node *root;
	ts_error err;
	assert_int_equal(ts_parse(tl_arena(), IN, strlen(IN), &po, &root, &err), 0);
	return &ev;
}

static int verify(vcase *v)
{
	memset(&v->err, 0, sizeof(v->err));
	return ts_verify(tl_builtin(), IN, strlen(IN), in_events(), &v->out, &v->plan,
			 &v->err);
}

/* Asserts verify refuses, with `what` in the message. */
static void assert_rejected(vcase *v, const char *what)
{
	assert_int_equal(verify(v), -1);
	if (!strstr(v->err.msg, what))
		fail_msg("'%s' not in '%s'", what, v->err.msg);
}

/* Replaces the first `from` after output offset `after` with `to`. The
 * insertion offsets stay valid when the lengths are equal or the change
 * comes after the last insertion (both asserted). */
static void patch_output(vcase *v, size_t after, const char *from, const char *to)
{
	const char *p = strstr(v->out.text + after, from);
	assert_non_null(p);
	size_t pos = (size_t)(p - v->out.text), fl = strlen(from), tl = strlen(to);
	size_t last = v->plan.nins ? v->out.at[v->plan.nins - 1] + v->plan.ins[v->plan.nins - 1].len : 0;
	assert_true(fl == tl || pos >= last);
	ts_buf b;
	ts_buf_init(&b, tl_arena());
	ts_buf_add(&b, v->out.text, pos);
	ts_buf_adds(&b, to);
	ts_buf_add(&b, p + fl, v->out.len - pos - fl);
	v->out.text = b.data;
	v->out.len = b.len;
}

/* ------------------------------------------------------------------ */

static void correct_plan_from_the_stages_passes(void **state)
{
	(void)state;
	tl_run r;
	ts_plan_opts o = {true, true};
	tl_run_opts(&r, tl_builtin(), IN, &o);
	assert_int_equal(r.plan.nins, 2);
	assert_int_equal(r.verify_rc, 0);
	/* and it is the same plan as the hand-made one below */
	vcase v;
	correct(&v);
	assert_int_equal(r.plan.ins[0].at, v.ins[0].at);
	assert_string_equal(tl_ins(&r, 0), A_BLOCK);
	assert_string_equal(tl_ins(&r, 1), B_BLOCK);
}

static void correct_hand_made_plan_passes(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	assert_int_equal(verify(&v), 0);
}

static void correct_top_level_and_flow_blocks_pass(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[2] = v.ins[1];
	v.ins[1] = v.ins[0];
	v.ins[0] = mk((size_t)(strstr(IN, "jobs:") - IN), "permissions: {}\n", -1, NULL);
	v.plan.nins = 3;
	splice(&v);
	assert_int_equal(verify(&v), 0);
	/* the same levels written as a flow mapping */
	correct(&v);
	v.ins[0].text = "    permissions: {contents: read}\n";
	v.ins[0].len = strlen(v.ins[0].text);
	splice(&v);
	assert_int_equal(verify(&v), 0);
}

static void key_in_the_wrong_job_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[0].at = steps_of("b");        /* a's block placed in b */
	v.plan.nins = 1;
	splice(&v);
	assert_rejected(&v, "landed outside its job");
}

static void top_level_block_inside_a_job_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[1].job = -1;                  /* claimed top level, lands in b */
	v.ins[1].job_id = NULL;
	splice(&v);
	assert_rejected(&v, "landed outside");
}

static void job_block_at_the_top_level_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[0] = mk((size_t)(strstr(IN, "jobs:") - IN), "permissions: {}\n", 0, "a");
	splice(&v);
	assert_rejected(&v, "the block for a landed outside its job");
}

static void changed_byte_elsewhere_rejected_with_its_line(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	/* job b's runs-on, after every insertion: output line 10 */
	patch_output(&v, v.out.at[1] - 30, "ubuntu-latest", "ubuntu-lateSt");
	assert_rejected(&v, "differs from the input");
	assert_int_equal(v.err.line, 10);
}

static void changed_byte_before_an_insertion_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	patch_output(&v, 0, "on: push", "on: pusH");
	assert_rejected(&v, "differs from the input");
	assert_int_equal(v.err.line, 1);
}

static void changed_scalar_style_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	/* the same text, now single-quoted */
	patch_output(&v, v.out.at[1], "- run: echo hi", "- run: 'echo hi'");
	assert_rejected(&v, "differs from the input");
	assert_int_equal(v.err.line, 13);
}

static void added_anchor_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	patch_output(&v, v.out.at[1], "run: echo hi", "run: &x echo hi");
	assert_rejected(&v, "differs from the input");
}

static void extra_scope_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[0].text = "    permissions:\n      contents: read\n      issues: write\n";
	v.ins[0].len = strlen(v.ins[0].text);
	splice(&v);
	assert_rejected(&v, "does not hold the planned scopes");
}

static void missing_or_wrong_level_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[0].text = "    permissions:\n      contents: write\n";
	v.ins[0].len = strlen(v.ins[0].text);
	splice(&v);
	assert_rejected(&v, "does not hold the planned scopes");
	correct(&v);
	v.ins[0].text = B_BLOCK;              /* {} where contents: read is planned */
	v.ins[0].len = strlen(B_BLOCK);
	splice(&v);
	assert_rejected(&v, "does not hold the planned scopes");
	correct(&v);
	v.ins[0].text = "    permissions:\n      contents: none\n";
	v.ins[0].len = strlen(v.ins[0].text);
	splice(&v);
	assert_rejected(&v, "does not hold the planned scopes");
}

static void unknown_scope_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[1].text = "    permissions: {bogus: read}\n";
	v.ins[1].len = strlen(v.ins[1].text);
	splice(&v);
	assert_rejected(&v, "does not hold the planned scopes");
}

static void key_other_than_permissions_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[1].text = "    timeout-minutes: 5\n";
	v.ins[1].len = strlen(v.ins[1].text);
	splice(&v);
	assert_rejected(&v, "does not read as one `permissions` key");
}

static void second_key_in_one_insertion_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[1].text = "    permissions: {}\n    timeout-minutes: 5\n";
	v.ins[1].len = strlen(v.ins[1].text);
	splice(&v);
	assert_rejected(&v, "does not read as one `permissions` key");
}

static void planned_block_missing_from_output_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	splice(&v);
	/* the output is b's insertion only; a's planned bytes are not there */
	ts_plan only_b = {&v.ins[1], 1, NULL, 0, false};
	ts_spliced sb;
	ts_splice(tl_arena(), IN, strlen(IN), &only_b, &sb);
	size_t at[2] = {sb.len, sb.at[0]};
	v.out.text = sb.text;
	v.out.len = sb.len;
	v.out.at = at;
	assert_rejected(&v, "the block for a is missing from the output");
}

static void output_that_does_not_parse_rejected(void **state)
{
	(void)state;
	vcase v;
	correct(&v);
	v.ins[1].text = "    permissions: [\n";
	v.ins[1].len = strlen(v.ins[1].text);
	splice(&v);
	assert_int_equal(verify(&v), -1);
	assert_non_null(strstr(v.err.msg, "internal error"));
}

/* ---- outputs with no insertion at all: only the comparison ---- */

/* verify of `out` against `in` with an empty plan. */
static int verify_pair(const char *in, const char *out, ts_error *err)
{
	ts_yevents ev;
	ts_parse_opts po = {.events = &ev};
	const ts_node *root;
	assert_int_equal(ts_parse(tl_arena(), in, strlen(in), &po, &root, err), 0);
	ts_plan none;
	memset(&none, 0, sizeof(none));
	ts_spliced sp = {out, strlen(out), NULL};
	memset(err, 0, sizeof(*err));
	return ts_verify(tl_builtin(), in, strlen(in), &ev, &sp, &none, err);
}

#define BLOCK_JOB "jobs:\n  a:\n    runs-on: x\n    steps:\n      - run: "

static void block_scalar_header_change_rejected(void **state)
{
	(void)state;
	ts_error err;
	const char *in = BLOCK_JOB "|\n          echo one\n          echo two\n";
	assert_int_equal(verify_pair(in, in, &err), 0);
	/* the same content lines, chomped: the text loses its last newline */
	const char *out = BLOCK_JOB "|-\n          echo one\n          echo two\n";
	assert_int_equal(verify_pair(in, out, &err), -1);
	assert_non_null(strstr(err.msg, "differs from the input"));
	/* literal to folded, same lines */
	out = BLOCK_JOB ">\n          echo one\n          echo two\n";
	assert_int_equal(verify_pair(in, out, &err), -1);
}

/* An indentation indicator counts from the parent's indentation, which
 * the scalar's own bytes do not show: moving the mapping that holds `k`
 * one column right leaves every scalar's bytes as they were (the header
 * line and the content lines too), yet the text of `k` loses a space.
 * Without an indicator the text, and so the tree, stays the same. */
static void indentation_indicator_compared_by_text(void **state)
{
	(void)state;
	ts_error err;
	const char *in = "x:\n  k:\n    |1\n      y\n" BLOCK_JOB "echo\n";
	const char *out = "x:\n   k:\n    |1\n      y\n" BLOCK_JOB "echo\n";
	assert_int_equal(verify_pair(in, out, &err), -1);
	assert_non_null(strstr(err.msg, "differs from the input"));
	in = "x:\n  k:\n    |\n      y\n" BLOCK_JOB "echo\n";
	out = "x:\n   k:\n    |\n      y\n" BLOCK_JOB "echo\n";
	assert_int_equal(verify_pair(in, out, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(correct_plan_from_the_stages_passes),
		TL_TEST(correct_hand_made_plan_passes),
		TL_TEST(correct_top_level_and_flow_blocks_pass),
		TL_TEST(key_in_the_wrong_job_rejected),
		TL_TEST(top_level_block_inside_a_job_rejected),
		TL_TEST(job_block_at_the_top_level_rejected),
		TL_TEST(changed_byte_elsewhere_rejected_with_its_line),
		TL_TEST(changed_byte_before_an_insertion_rejected),
		TL_TEST(changed_scalar_style_rejected),
		TL_TEST(added_anchor_rejected),
		TL_TEST(extra_scope_rejected),
		TL_TEST(missing_or_wrong_level_rejected),
		TL_TEST(unknown_scope_rejected),
		TL_TEST(key_other_than_permissions_rejected),
		TL_TEST(second_key_in_one_insertion_rejected),
		TL_TEST(planned_block_missing_from_output_rejected),
		TL_TEST(output_that_does_not_parse_rejected),
		TL_TEST(block_scalar_header_change_rejected),
		TL_TEST(indentation_indicator_compared_by_text),
	};
	return cmocka_run_group_tests_name("verify", tests, NULL, tl_builtin_free);
}
