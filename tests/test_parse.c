/*
 * test_parse.c - ts_parse (the node tree and its byte spans) and the two
 * views over it, ts_workflow_read and ts_action_read.
 *
 * Tree: spans (start/end/line/col) of plain and quoted scalars (quotes
 * inside the span), block scalars (block_scalar_end), flow collections
 * (close), empty values, block collections ending at their last child;
 * aliases pointing at their anchor (which is marked `aliased`); `<<` merge;
 * refusals with a position: duplicate keys, a second document, the depth
 * limit, an alias with no anchor, invalid YAML; an alias bomb costs one node
 * per alias.
 * Views: jobs only under the top-level `jobs:`, why a job must not be
 * edited, the fields of steps, and composite action.yml files.
 */
#include "testlib.h"

#include <time.h>

typedef struct parsed {
	const ts_node *root;
	ts_error err;
	int rc;
} parsed;

static void parse_opts(parsed *p, const char *text, unsigned max_depth)
{
	ts_parse_opts o = {.max_depth = max_depth};
	memset(p, 0, sizeof(*p));
	p->rc = ts_parse(tl_arena(), text, strlen(text), &o, &p->root, &p->err);
}

static void parse(parsed *p, const char *text)
{
	parse_opts(p, text, 0);
	if (p->rc != 0)
		fail_msg("parse: %d:%d: %s", p->err.line, p->err.col, p->err.msg);
	assert_non_null(p->root);
}

/* Asserts the text is refused at line:col with `what` in the message. */
static void assert_refused(const char *text, unsigned max_depth, int line, int col,
			   const char *what)
{
	parsed p;
	parse_opts(&p, text, max_depth);
	assert_int_equal(p.rc, -1);
	assert_null(p.root);
	if (!strstr(p.err.msg, what))
		fail_msg("'%s' not in '%s'", what, p.err.msg);
	assert_int_equal(p.err.line, line);
	assert_int_equal(p.err.col, col);
}

static void assert_span(const ts_node *n, size_t start, size_t end, int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->start, start);
	assert_int_equal(n->end, end);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */

static void plain_scalar_spans(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "key: value\nother:   x y  # c\n");
	const ts_node *r = p.root;
	assert_int_equal(r->kind, TS_NODE_MAP);
	assert_int_equal(r->n, 2);
	assert_span(r->keys[0], 0, 3, 1, 1);
	assert_span(r->vals[0], 5, 10, 1, 6);
	assert_string_equal(r->vals[0]->text, "value");
	assert_int_equal(r->vals[0]->style, TS_PLAIN);
	assert_false(r->vals[0]->null);
	assert_span(r->keys[1], 11, 16, 2, 1);
	assert_span(r->vals[1], 20, 23, 2, 10);   /* "x y", not the comment */
	assert_string_equal(r->vals[1]->text, "x y");
}

static void quoted_scalar_spans_include_quotes(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "d: \"a\\tb\"\ns: 'it''s'\n\"g h\": 1\ne: \"\"\n");
	const ts_node *r = p.root;
	assert_span(r->vals[0], 3, 9, 1, 4);
	assert_int_equal(r->vals[0]->style, TS_DOUBLE_QUOTED);
	assert_string_equal(r->vals[0]->text, "a\tb");
	assert_span(r->vals[1], 13, 20, 2, 4);
	assert_int_equal(r->vals[1]->style, TS_SINGLE_QUOTED);
	assert_string_equal(r->vals[1]->text, "it's");
	assert_span(r->keys[2], 21, 26, 3, 1);   /* a quoted key too */
	assert_string_equal(r->keys[2]->text, "g h");
	/* an empty quoted string has bytes: it is not null */
	assert_span(r->vals[3], 33, 35, 4, 4);
	assert_false(r->vals[3]->null);
	assert_int_equal(r->vals[3]->len, 0);
}

/* '' pairs are undone by tokenscope itself (libfyaml 0.7.12 leaks on four or
 * more): the values must be what YAML says, one quote per pair. */
static void single_quoted_pairs_are_one_quote(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "a: 'it''s'\nb: 'x''''''''''y'\nc: ''''\nd: 'a''b\n  c''d'\n");
	const ts_node *r = p.root;
	assert_string_equal(r->vals[0]->text, "it's");
	assert_string_equal(r->vals[1]->text, "x'''''y");
	assert_int_equal(r->vals[1]->len, 7);
	assert_string_equal(r->vals[2]->text, "'");
	assert_string_equal(r->vals[3]->text, "a'b c'd");   /* folded by libfyaml */
}

/* A value on a later line than its key must be indented past it; libfyaml
 * accepts one that is not and then returns uninitialised text. */
static void value_not_indented_past_key_refused(void **state)
{
	(void)state;
	assert_refused("a:\n  k: |\n  text\n", 0, 3, 1, "not indented past its key");
	assert_refused("runs-on:\nubuntu\n", 0, 2, 1, "not indented past its key");
	parsed p;
	parse(&p, "a: >-\nb: 1\n");   /* an empty block scalar is valid */
	assert_int_equal(p.root->vals[0]->len, 0);
	/* a | scalar may open with a blank line, which has no indentation */
	parse(&p, "s:\n  script: |\n\n    const a = 1\n");
	assert_string_equal(p.root->vals[0]->vals[0]->text, "\nconst a = 1\n");
}

static void multibyte_text_offsets_are_bytes_columns_are_characters(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "\xc3\xa9t\xc3\xa9: \"\xe2\x82\xac\"\n");
	assert_span(p.root->keys[0], 0, 5, 1, 1);
	assert_span(p.root->vals[0], 7, 12, 1, 6);
	assert_string_equal(p.root->vals[0]->text, "\xe2\x82\xac");
}

static void literal_block_scalar_ends_at_next_line(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a: |\n  x\n  y\nb: 1\n";
	parse(&p, t);
	const ts_node *v = p.root->vals[0];
	assert_int_equal(v->style, TS_LITERAL);
	assert_true(v->block_scalar_end);
	assert_string_equal(v->text, "x\ny\n");
	/* the content starts on line 2 (script line numbers count from there) */
	assert_int_equal(v->line, 2);
	assert_int_equal(v->start, 5);
	/* `end` is the first byte of the line that ends it: "b: 1" */
	assert_int_equal(v->end, tl_offset(t, "b: 1"));
	/* the mapping ending in it is marked too */
	assert_false(p.root->block_scalar_end);   /* `b: 1` ends it */
}

static void folded_block_scalar_end_skips_blank_lines(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a: >-\n  folded\n  text\n\nb: 1\n";
	parse(&p, t);
	const ts_node *v = p.root->vals[0];
	assert_int_equal(v->style, TS_FOLDED);
	assert_true(v->block_scalar_end);
	assert_string_equal(v->text, "folded text");
	assert_int_equal(v->end, tl_offset(t, "b: 1"));
}

static void indented_block_scalar_end_is_on_the_next_key_line(void **state)
{
	(void)state;
	parsed p;
	const char *t = "j:\n  run: |\n    x\n  b: 1\n";
	parse(&p, t);
	const ts_node *job = p.root->vals[0];
	const ts_node *run = job->vals[0];
	assert_true(run->block_scalar_end);
	/* on the "  b: 1" line: its first byte, or the `b` */
	size_t line = tl_offset(t, "  b: 1");
	assert_in_range(run->end, line, line + 2);
	/* the job mapping does not end in a block scalar: `b: 1` is last */
	assert_false(job->block_scalar_end);
	assert_int_equal(job->end, strlen(t) - 1);
}

static void block_scalar_at_end_of_file(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a: |\n  x";
	parse(&p, t);
	assert_true(p.root->vals[0]->block_scalar_end);
	assert_int_equal(p.root->vals[0]->end, strlen(t));
	assert_int_equal(p.root->end, strlen(t));
	assert_true(p.root->block_scalar_end);    /* its last value is one */
}

static void null_value_has_no_bytes(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "a:\nb: 1\nc:\n");
	const ts_node *r = p.root;
	const ts_node *a = r->vals[0];
	assert_int_equal(a->kind, TS_NODE_SCALAR);
	assert_true(a->null);
	assert_int_equal(a->len, 0);
	assert_string_equal(a->text, "");
	assert_int_equal(a->start, a->end);
	assert_int_equal(a->start, 1);            /* where its key ended */
	assert_true(r->vals[2]->null);
	assert_int_equal(r->vals[2]->start, 9);
	assert_false(r->vals[1]->null);
}

static void null_value_has_a_position(void **state)
{
	(void)state;
	/* parse.h: line and col are the 1-based position of `start` */
	parsed p;
	parse(&p, "a:\nb: 1\n");
	const ts_node *a = p.root->vals[0];
	assert_true(a->null);
	assert_int_equal(a->line, 1);
	assert_int_equal(a->col, 2);
}

/* ------------------------------------------------------------------ */
/* Collections                                                         */

static void flow_collection_spans_and_close(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a: [1, 2]  # c\nb: {x: 1, y: [ ]}\n";
	parse(&p, t);
	const ts_node *seq = p.root->vals[0], *map = p.root->vals[1];
	assert_int_equal(seq->kind, TS_NODE_SEQ);
	assert_true(seq->flow);
	assert_span(seq, 3, 9, 1, 4);
	assert_int_equal(seq->close, 8);
	assert_int_equal(seq->n, 2);
	assert_int_equal(map->kind, TS_NODE_MAP);
	assert_true(map->flow);
	assert_span(map, 18, 32, 2, 4);
	assert_int_equal(map->close, 31);
	const ts_node *empty = map->vals[1];
	assert_true(empty->flow);
	assert_int_equal(empty->n, 0);
	assert_int_equal(empty->start, 28);
	assert_int_equal(empty->close, 30);
	assert_int_equal(empty->end, 31);
	assert_int_equal(t[map->close], '}');
}

static void multiline_flow_sequence_close(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a: [\n  1,\n  2\n]\n";
	parse(&p, t);
	const ts_node *s = p.root->vals[0];
	assert_true(s->flow);
	assert_int_equal(s->close, 14);
	assert_int_equal(s->end, 15);
	assert_int_equal(s->vals[1]->line, 3);
}

static void block_collection_ends_at_last_child_not_at_comments(void **state)
{
	(void)state;
	parsed p;
	const char *t = "a:\n  b: 1\n  # trailing comment\n\nc: 2\ns:\n  - x\n  - y\n# c\nt: 1\n";
	parse(&p, t);
	const ts_node *a = p.root->vals[0];
	assert_false(a->flow);
	assert_span(a, 5, 9, 2, 3);
	const ts_node *s = p.root->vals[2];
	assert_int_equal(s->kind, TS_NODE_SEQ);
	assert_int_equal(s->end, tl_offset(t, "y\n# c") + 1);
}

/* An anchor given again names the later node from there on (YAML 1.2,
 * 3.2.2.2: an alias denotes the most recent node with its anchor). */
static void anchor_given_again_names_the_later_node(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
	const ts_node *r = p.root;
	assert_ptr_equal(r->vals[1]->target, r->vals[0]);
	assert_ptr_equal(r->vals[3]->target, r->vals[2]);
	assert_string_equal(ts_node_str(r->vals[3]), "2");
}

static void alias_points_at_its_anchor(void **state)
{
	(void)state;
	parsed p;
	const char *t = "x: &anc {a: 1}\ny: *anc\nz: &s v\nw: [*s, *anc]\nu: &free 3\n";
	parse(&p, t);
	const ts_node *r = p.root;
	const ts_node *anc = r->vals[0], *y = r->vals[1], *s = r->vals[2];
	assert_string_equal(anc->anchor, "anc");
	assert_true(anc->aliased);
	assert_int_equal(y->kind, TS_NODE_ALIAS);
	assert_ptr_equal(y->target, anc);
	assert_string_equal(y->text, "anc");
	assert_span(y, 18, 22, 2, 4);           /* the `*` is in the span */
	assert_string_equal(s->anchor, "s");
	assert_true(s->aliased);
	const ts_node *w = r->vals[3];
	assert_ptr_equal(w->vals[0]->target, s);
	assert_ptr_equal(w->vals[1]->target, anc);
	/* an anchor nobody names is not aliased */
	assert_string_equal(r->vals[4]->anchor, "free");
	assert_false(r->vals[4]->aliased);
	/* helpers follow aliases */
	assert_ptr_equal(ts_node_deref(y), anc);
	assert_ptr_equal(ts_map_get(r, "y"), anc);
	assert_string_equal(ts_node_str(w->vals[0]), "v");
	assert_true(ts_node_is(w->vals[0], "v"));
	assert_null(ts_node_str(y));
	assert_null(ts_map_get(r, "nope"));
}

static void merge_key_sets_merge(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "d: &d {a: 1}\nj:\n  <<: *d\n  b: 2\nk:\n  \"<<\": 1\nl:\n  b: 1\n");
	assert_false(p.root->vals[0]->merge);
	assert_true(p.root->vals[1]->merge);
	assert_false(p.root->vals[2]->merge);   /* a quoted "<<" is a plain key */
	assert_false(p.root->vals[3]->merge);
	assert_false(p.root->merge);
}

/* levels of 9 aliases to the level before: 9^levels nodes once expanded */
static const char *alias_bomb(int levels)
{
	ts_buf b;
	ts_buf_init(&b, tl_arena());
	ts_buf_adds(&b, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int lv = 1; lv <= levels; lv++) {
		ts_buf_addf(&b, "a%d: &a%d [", lv, lv);
		for (int k = 0; k < 9; k++)
			ts_buf_addf(&b, "%s*a%d", k ? ", " : "", lv - 1);
		ts_buf_adds(&b, "]\n");
	}
	return ts_buf_cstr(&b);
}

/* Aliases are never expanded: each costs one node pointing at its anchor. */
static void alias_bomb_costs_one_node_per_alias(void **state)
{
	(void)state;
	parsed p;
	parse(&p, alias_bomb(5));          /* 9^5 = 59,049 nodes expanded: allowed */
	assert_int_equal(p.root->n, 6);
	for (int lv = 1; lv <= 5; lv++) {
		const ts_node *seq = p.root->vals[lv];
		assert_int_equal(seq->n, 9);
		for (int k = 0; k < 9; k++) {
			assert_int_equal(seq->vals[k]->kind, TS_NODE_ALIAS);
			assert_ptr_equal(seq->vals[k]->target, p.root->vals[lv - 1]);
		}
	}
}

/* GitHub's parser expands aliases; a file that would expand past a million
 * nodes is refused where it blows up: level 6 (line 7), whose `[` at column
 * 9 holds 9^6 copies of a0's ten nodes, 5,314,410 in all. */
static void alias_bomb_refused_where_it_expands(void **state)
{
	(void)state;
	assert_refused(alias_bomb(9), 0, 7, 9, "alias bomb");
}

static void duplicate_keys_refused_at_the_repeat(void **state)
{
	(void)state;
	assert_refused("a: 1\nb: 2\n\"a\": 3\n", 0, 3, 1, "duplicate key 'a'");
	assert_refused("jobs:\n  a:\n    x: 1\n    y: 2\n    x: 3\n", 0, 5, 5,
		       "duplicate key 'x'");
	assert_refused("m: {k: 1, k: 2}\n", 0, 1, 11, "duplicate key 'k'");
}

static void second_document_refused(void **state)
{
	(void)state;
	assert_refused("a: 1\n---\nb: 2\n", 0, 2, 1, "second YAML document");
	assert_refused("---\na: 1\n---\nb: 2\n", 0, 3, 1, "second YAML document");
}

static void second_implicit_document_refused_with_position(void **state)
{
	(void)state;
	/* after `...` the next document starts without a `---` token */
	assert_refused("a: 1\n...\nb: 2\n", 0, 3, 1, "second YAML document");
}

static void depth_limit_allows_exactly_the_limit(void **state)
{
	(void)state;
	parsed p;
	parse_opts(&p, "a: {b: {c: 1}}\n", 3);
	assert_int_equal(p.rc, 0);
	/* the default is 64 collections */
	char deep[200];
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	parse_opts(&p, deep, 0);
	assert_int_equal(p.rc, 0);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	deep[130] = '\0';
	parse_opts(&p, deep, 0);
	assert_int_equal(p.rc, -1);
	assert_non_null(strstr(p.err.msg, "nesting deeper than 64"));
}

static void depth_limit_refused_with_position(void **state)
{
	(void)state;
	assert_refused("a: {b: {c: {d: 1}}}\n", 3, 1, 12, "nesting deeper than 3");
	assert_refused("a:\n  b:\n    c:\n      d: 1\n", 3, 4, 7, "nesting deeper than 3");
}

static void alias_without_anchor_refused(void **state)
{
	(void)state;
	assert_refused("a: *nope\n", 0, 1, 4, "alias *nope names no anchor");
	assert_refused("j:\n  <<: *x\n", 0, 2, 7, "names no anchor");
}

static void invalid_yaml_refused_with_position(void **state)
{
	(void)state;
	assert_refused("a: [1, 2\n", 0, 2, 1, "invalid YAML");
	assert_refused("a: \"x\n", 0, 1, 5, "invalid YAML");
}

static void comment_only_document_refused(void **state)
{
	(void)state;
	parsed p;
	parse_opts(&p, "# only a comment\n", 0);
	assert_int_equal(p.rc, -1);
	assert_non_null(strstr(p.err.msg, "empty document"));
}

/* ------------------------------------------------------------------ */
/* The workflow view                                                   */

typedef struct wfview {
	parsed p;
	ts_workflow wf;
	ts_error err;
	int rc;
} wfview;

static void read_wf(wfview *w, const char *text)
{
	parse(&w->p, text);
	memset(&w->err, 0, sizeof(w->err));
	w->rc = ts_workflow_read(tl_arena(), w->p.root, &w->wf, &w->err);
}

static void jobs_only_under_top_level_jobs_key(void **state)
{
	(void)state;
	wfview w;
	read_wf(&w,
		"on:\n"
		"  workflow_call:\n"
		"    inputs:\n"
		"      build: {type: string}\n"
		"      jobs: {type: string}\n"
		"env:\n"
		"  deploy: x\n"
		"jobs:\n"
		"  test:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps:\n"
		"      - name: jobs\n"
		"        run: echo\n"
		"  lint:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps: []\n");
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.wf.njobs, 2);
	assert_string_equal(w.wf.jobv[0].id, "test");
	assert_string_equal(w.wf.jobv[1].id, "lint");
	assert_non_null(w.wf.on.key);
	assert_non_null(w.wf.env.key);
	assert_null(w.wf.permissions.key);
	assert_int_equal(w.wf.jobs.key->line, 8);
	assert_int_equal(w.wf.jobv[1].nsteps, 0);
}

static void job_skip_reasons(void **state)
{
	(void)state;
	wfview w;
	read_wf(&w,
		"on: push\n"
		"x-defaults: &d {runs-on: x}\n"
		"jobs:\n"
		"  ok:\n"
		"    runs-on: x\n"
		"  anchored: &shared\n"
		"    runs-on: x\n"
		"  alias: *shared\n"
		"  merged:\n"
		"    <<: *d\n"
		"    steps: []\n"
		"  empty:\n"
		"  scalar: hello\n"
		"  lonely: &nobody\n"
		"    runs-on: x\n");
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.wf.njobs, 7);
	assert_null(w.wf.jobv[0].skip);
	assert_non_null(strstr(w.wf.jobv[1].skip, "anchored and reused"));
	assert_non_null(strstr(w.wf.jobv[2].skip, "alias"));
	assert_non_null(strstr(w.wf.jobv[3].skip, "merge"));
	assert_non_null(strstr(w.wf.jobv[4].skip, "empty"));
	assert_non_null(strstr(w.wf.jobv[5].skip, "not a mapping"));
	assert_null(w.wf.jobv[6].skip);        /* anchored but never aliased */
	/* the alias job's value is the anchored mapping */
	assert_ptr_equal(w.wf.jobv[2].value, w.wf.jobv[1].value);
}

static void job_and_step_fields(void **state)
{
	(void)state;
	wfview w;
	read_wf(&w,
		"on: push\n"
		"permissions: read-all\n"
		"jobs:\n"
		"  build:\n"
		"    name: Build\n"
		"    runs-on: [self-hosted, linux]\n"
		"    permissions:\n"
		"      contents: read\n"
		"    env: {A: 1}\n"
		"    steps:\n"
		"      - id: co\n"
		"        name: Checkout\n"
		"        uses: actions/checkout@v4\n"
		"        with:\n"
		"          fetch-depth: 0\n"
		"      - run: make\n"
		"        shell: bash\n"
		"        working-directory: src\n"
		"        env:\n"
		"          X: y\n"
		"  call:\n"
		"    uses: ./.github/workflows/r.yml\n"
		"    with: {a: 1}\n"
		"    secrets: inherit\n");
	assert_int_equal(w.rc, 0);
	assert_true(ts_node_is(w.wf.permissions.value, "read-all"));
	const ts_job *b = &w.wf.jobv[0];
	assert_true(ts_node_is(b->name.value, "Build"));
	assert_int_equal(b->runs_on.value->kind, TS_NODE_SEQ);
	assert_non_null(b->permissions.key);
	assert_int_equal(b->permissions.key->line, 7);
	assert_non_null(b->env.value);
	assert_int_equal(b->nsteps, 2);
	const ts_step *s0 = &b->stepv[0], *s1 = &b->stepv[1];
	assert_int_equal(s0->index, 0);
	assert_true(ts_node_is(s0->id, "co"));
	assert_true(ts_node_is(s0->name, "Checkout"));
	assert_true(ts_node_is(s0->uses, "actions/checkout@v4"));
	assert_int_equal(s0->uses->line, 13);
	assert_true(ts_node_is(ts_map_get(s0->with, "fetch-depth"), "0"));
	assert_null(s0->run);
	assert_int_equal(s1->index, 1);
	assert_true(ts_node_is(s1->run, "make"));
	assert_true(ts_node_is(s1->shell, "bash"));
	assert_true(ts_node_is(s1->working_dir, "src"));
	assert_true(ts_node_is(ts_map_get(s1->env, "X"), "y"));
	assert_null(s1->uses);
	const ts_job *c = &w.wf.jobv[1];
	assert_true(ts_node_is(c->uses.value, "./.github/workflows/r.yml"));
	assert_true(ts_node_is(c->secrets.value, "inherit"));
	assert_non_null(c->with.value);
	assert_null(c->runs_on.key);
	assert_int_equal(c->nsteps, 0);
}

static void not_a_workflow_refused_with_position(void **state)
{
	(void)state;
	wfview w;
	read_wf(&w, "- a\n- b\n");
	assert_int_equal(w.rc, -1);
	assert_non_null(strstr(w.err.msg, "not a mapping"));
	assert_int_equal(w.err.line, 1);
	read_wf(&w, "name: config\non: push\n");
	assert_int_equal(w.rc, -1);
	assert_non_null(strstr(w.err.msg, "no top-level `jobs:`"));
}

static void empty_jobs_is_a_workflow_without_jobs(void **state)
{
	(void)state;
	wfview w;
	read_wf(&w, "on: push\njobs:\n");
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.wf.njobs, 0);
	assert_non_null(w.wf.jobs.key);
	read_wf(&w, "on: push\njobs: {}\n");
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.wf.njobs, 0);
}

/* ------------------------------------------------------------------ */
/* The action view                                                     */

static void composite_action_view(void **state)
{
	(void)state;
	parsed p;
	parse(&p,
	      "name: Setup\n"
	      "inputs:\n"
	      "  token:\n"
	      "    default: ${{ github.token }}\n"
	      "  jobs:\n"
	      "    default: x\n"
	      "runs:\n"
	      "  using: composite\n"
	      "  steps:\n"
	      "    - uses: actions/checkout@v4\n"
	      "    - run: echo hi\n"
	      "      shell: bash\n");
	ts_action_file af;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_action_read(tl_arena(), p.root, &af, &err), 0);
	assert_string_equal(af.using, "composite");
	assert_int_equal(af.nsteps, 2);
	assert_true(ts_node_is(af.stepv[0].uses, "actions/checkout@v4"));
	assert_true(ts_node_is(af.stepv[1].shell, "bash"));
	assert_int_equal(af.stepv[1].index, 1);
	assert_true(ts_node_is(ts_map_get(ts_map_get(af.inputs, "token"), "default"),
			       "${{ github.token }}"));
}

static void node_action_view_has_no_steps(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "name: X\nruns:\n  using: node20\n  main: dist/index.js\n");
	ts_action_file af;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_action_read(tl_arena(), p.root, &af, &err), 0);
	assert_string_equal(af.using, "node20");
	assert_int_equal(af.nsteps, 0);
	assert_null(af.inputs);
	parse(&p, "name: X\ndescription: no runs\n");
	assert_int_equal(ts_action_read(tl_arena(), p.root, &af, &err), -1);
	assert_non_null(strstr(err.msg, "no `runs:`"));
}

/* ---- `|` scalars: read from the source, as YAML reads them ---- */

/* The text of the value of `key` in the top-level mapping of `text`. */
static const char *value_text(const char *text, const char *key)
{
	parsed p;
	parse(&p, text);
	const ts_node *v = ts_map_get(p.root, key);
	assert_non_null(v);
	return v->text;
}

static void literal_block_scalars_read_as_yaml_reads_them(void **state)
{
	(void)state;
	static const struct {
		const char *yaml, *text;
	} cases[] = {
		{"a: |\n  one\n  two\nb: 1\n", "one\ntwo\n"},             /* clip */
		{"a: |-\n  one\n  two\n\n\nb: 1\n", "one\ntwo"},          /* strip */
		{"a: |+\n  one\n\n\nb: 1\n", "one\n\n\n"},                /* keep */
		{"a: |\n\n  one\n\n    two\n\nb: 1\n", "\none\n\n  two\n"}, /* blank, deeper */
		{"a: |  # why\n  one\n  # not a comment\nb: 1\n", "one\n# not a comment\n"},
		{"a: |\r\n  one\r\n  two\r\nb: 1\r\n", "one\ntwo\n"},    /* CRLF */
		{"a: |\n  one\t tab \n  two  \nb: 1\n", "one\t tab \ntwo  \n"},
		{"a: |\n    one\n  # a comment after it\nb: 1\n", "one\n"},
		{"a: |\n  one", "one\n"},                                   /* no final break */
		{"a:\n  |\n   one\nb: 1\n", "one\n"},                      /* header alone */
		{"- |\n  one\n- |-\n  two\n", NULL},
		/* taken by libfyaml instead: an indentation indicator, an anchor,
		 * spaces that are content */
		{"a: |1\n   one\nb: 1\n", "  one\n"},
		{"a: &x |\n  one\nb: 1\n", "one\n"},
		{"a: |\n  one\n     \n  two\nb: 1\n", "one\n   \ntwo\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!cases[i].text) {
			parsed p;
			parse(&p, cases[i].yaml);
			assert_string_equal(p.root->vals[0]->text, "one\n");
			assert_string_equal(p.root->vals[1]->text, "two");
			continue;
		}
		const char *got = value_text(cases[i].yaml, "a");
		if (strcmp(got, cases[i].text))
			fail_msg("case %zu: '%s', want '%s'", i, got, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(literal_block_scalars_read_as_yaml_reads_them),
		TL_TEST(plain_scalar_spans),
		TL_TEST(single_quoted_pairs_are_one_quote),
		TL_TEST(value_not_indented_past_key_refused),
		TL_TEST(quoted_scalar_spans_include_quotes),
		TL_TEST(multibyte_text_offsets_are_bytes_columns_are_characters),
		TL_TEST(literal_block_scalar_ends_at_next_line),
		TL_TEST(folded_block_scalar_end_skips_blank_lines),
		TL_TEST(indented_block_scalar_end_is_on_the_next_key_line),
		TL_TEST(block_scalar_at_end_of_file),
		TL_TEST(null_value_has_no_bytes),
		TL_TEST(null_value_has_a_position),
		TL_TEST(flow_collection_spans_and_close),
		TL_TEST(multiline_flow_sequence_close),
		TL_TEST(block_collection_ends_at_last_child_not_at_comments),
		TL_TEST(alias_points_at_its_anchor),
		TL_TEST(anchor_given_again_names_the_later_node),
		TL_TEST(merge_key_sets_merge),
		TL_TEST(alias_bomb_costs_one_node_per_alias),
		TL_TEST(alias_bomb_refused_where_it_expands),
		TL_TEST(duplicate_keys_refused_at_the_repeat),
		TL_TEST(second_document_refused),
		TL_TEST(second_implicit_document_refused_with_position),
		TL_TEST(depth_limit_allows_exactly_the_limit),
		TL_TEST(depth_limit_refused_with_position),
		TL_TEST(alias_without_anchor_refused),
		TL_TEST(invalid_yaml_refused_with_position),
		TL_TEST(comment_only_document_refused),
		TL_TEST(jobs_only_under_top_level_jobs_key),
		TL_TEST(job_skip_reasons),
		TL_TEST(job_and_step_fields),
		TL_TEST(not_a_workflow_refused_with_position),
		TL_TEST(empty_jobs_is_a_workflow_without_jobs),
		TL_TEST(composite_action_view),
		TL_TEST(node_action_view_has_no_steps),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
