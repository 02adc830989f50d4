/*
 * test_corpus.c - every workflow of the shared corpus through ts_process
 * (nothing written), as a batch run would see it.
 *
 * For each `kind=workflow` row of TS_CORPUS_DIR/MANIFEST.tsv (the file is
 * OWNER__NAME/PATH under the corpus folder, that folder its repository
 * root): processing must not crash; a CHANGED result must only add lines
 * (one changed line allowed per flow-style insertion) and must plan
 * nothing when run again (idempotence), and tests/oracle.c (two plain
 * libfyaml parses, compared by text) must agree with what verify accepted;
 * a file the manifest marks
 * parses=n must be a TS_FILE_ERROR with a line number. Counts are printed.
 * Also, for every file of the corpus, each scalar of the tree must read as
 * libfyaml reads it (parse takes many from the source bytes instead).
 * Skipped, with a message, when the corpus folder is missing.
 */
#include "testlib.h"

#include "emit/emit.h"
#include "oracle.h"
#include "pipeline.h"

#include <libfyaml.h>

#ifndef TS_CORPUS_DIR
#define TS_CORPUS_DIR "../shared/corpus"
#endif

enum { COL_REPO = 0, COL_PATH = 1, COL_KIND = 9, COL_PARSES = 18, NCOLS = 20 };

typedef struct row {
	const char *col[NCOLS];
} row;

/* Splits one manifest line (modified in place) into columns. */
static bool split_row(char *line, row *r)
{
	memset(r, 0, sizeof(*r));
	int n = 0;
	for (char *p = line; n < NCOLS; n++) {
		r->col[n] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	return n >= COL_PARSES;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	ts_buf b;
	ts_buf_init(&b, tl_arena());
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ts_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return ts_buf_cstr(&b);
}

/* The manifest's text; the calling test is skipped without a corpus
 * (cmocka's skip() leaves the test from here too). */
static char *read_manifest(void)
{
	char manifest[1024];
	size_t len;
	snprintf(manifest, sizeof(manifest), "%s/MANIFEST.tsv", TS_CORPUS_DIR);
	char *text = read_all(manifest, &len);
	if (!text) {
		print_message("corpus not found at %s: skipped\n", TS_CORPUS_DIR);
		skip();
	}
	return text;
}

/* The next row of the manifest after *cursor (a line's end: at first the
 * header's), split in place; false after the last. */
static bool next_row(char **cursor, row *r)
{
	char *line = *cursor;
	while (line && *++line) {
		char *next = strchr(line, '\n');
		if (next)
			*next = '\0';
		*cursor = next;
		if (split_row(line, r))
			return true;
		line = next;
	}
	*cursor = NULL;
	return false;
}

/* TS_CORPUS_DIR/owner__name: where a row's repository was copied. */
static void repo_dir(const row *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", TS_CORPUS_DIR, r->col[COL_REPO]);
	char *slash = strchr(buf + strlen(TS_CORPUS_DIR) + 1, '/');
	if (slash) {            /* owner/name -> owner__name */
		memmove(slash + 2, slash + 1, strlen(slash + 1) + 1);
		slash[0] = slash[1] = '_';
	}
}

/* One file's arena, freed after each file (and by teardown if a check
 * fails half way). */
static ts_arena file_arena = TS_ARENA_INIT;

static int corpus_teardown(void **state)
{
	ts_arena_free(&file_arena);
	return tl_teardown(state);
}

typedef struct totals {
	size_t files, changed, unchanged, not_workflow, errors, internal, insertions;
	size_t expected_errors;
} totals;

/* verify accepted r's output: the oracle must too. */
static void check_oracle(const char *path, const ts_file_result *r)
{
	size_t n = r->plan->nins, shift = 0;
	size_t *at = ts_alloc_array(&file_arena, n + 1, sizeof(*at));
	size_t *len = ts_alloc_array(&file_arena, n + 1, sizeof(*len));
	for (size_t k = 0; k < n; k++) {
		at[k] = r->plan->ins[k].at + shift;
		len[k] = r->plan->ins[k].len;
		shift += len[k];
	}
	const char *why = tl_oracle(r->src->text, r->src->len, r->out_text, r->out_len,
				    at, len, n);
	if (why)
		fail_msg("%s: verify accepted an output the oracle refuses: %s", path, why);
}

/* One file: processes it and checks the result. */
static void check_file(const ts_config *cfg, const char *root, const char *rel,
		       bool parses, totals *t)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ts_target tg = {.path = path, .root = root, .display = rel, .rel = rel};
	ts_arena *a = &file_arena;
	ts_file_result r;
	ts_process(cfg, NULL, &tg, a, &r, NULL);
	t->files++;
	switch (r.status) {
	case TS_FILE_CHANGED: {
		t->changed++;
		t->insertions += r.plan->nins;
		size_t nflow = 0, changed = 0;
		for (size_t k = 0; k < r.plan->nins; k++)
			nflow += r.plan->ins[k].flow;
		bool adds = ts_diff_only_adds(r.src->text, r.src->len, r.out_text, r.out_len,
					      &changed);
		if (nflow == 0 && !adds)
			fail_msg("%s: the change alters %zu lines", path, changed);
		if (changed > nflow)
			fail_msg("%s: %zu lines changed for %zu flow insertions", path, changed,
				 nflow);
		ts_error err = {0, 0, ""};
		check_oracle(path, &r);
		int again = ts_plan_count(cfg, path, r.out_text, r.out_len, &err);
		if (again != 0)
			fail_msg("%s: a second run plans %d insertions (%s)", path, again, err.msg);
		break;
	}
	case TS_FILE_UNCHANGED:
		t->unchanged++;
		break;
	case TS_FILE_NOT_WORKFLOW:
		t->not_workflow++;
		break;
	case TS_FILE_ERROR:
		t->errors++;
		t->internal += r.internal;
		print_message("%s%s/%s:%d:%d: %s\n", r.internal ? "internal error: " : "",
			      root + strlen(TS_CORPUS_DIR) + 1, rel, r.err.line, r.err.col,
			      r.err.msg);
		break;
	}
	if (!parses) {
		t->expected_errors++;
		if (r.status != TS_FILE_ERROR)
			fail_msg("%s: the manifest says it does not parse, status %d", path,
				 r.status);
		if (r.err.line <= 0)
			fail_msg("%s: refused without a line: %s", path, r.err.msg);
	} else if (r.status == TS_FILE_ERROR && !strstr(r.err.msg, "duplicate key")) {
		/* What PyYAML parses, tokenscope must read too; the one exception
		 * is a repeated key, which PyYAML takes and GitHub refuses. */
		fail_msg("%s: the manifest says it parses, but: %d:%d: %s", path,
			 r.err.line, r.err.col, r.err.msg);
	}
	ts_arena_free(a);
}

static void corpus_workflows_process_cleanly(void **state)
{
	(void)state;
	char *text = read_manifest();
	ts_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.map = tl_builtin();
	totals t;
	memset(&t, 0, sizeof(t));
	row r;
	for (char *cursor = strchr(text, '\n'); next_row(&cursor, &r);) {
		if (strcmp(r.col[COL_KIND], "workflow"))
			continue;
		char root[1024];
		repo_dir(&r, root, sizeof(root));
		check_file(&cfg, root, r.col[COL_PATH], strcmp(r.col[COL_PARSES], "n") != 0, &t);
	}
	print_message("corpus: %zu files, %zu changed (%zu insertions), %zu unchanged, "
		      "%zu not workflows, %zu errors (%zu expected, %zu internal)\n",
		      t.files, t.changed, t.insertions, t.unchanged, t.not_workflow, t.errors,
		      t.expected_errors, t.internal);
	assert_true(t.files > 0);
	/* an internal error is a plan that failed to verify: a bug */
	assert_int_equal(t.internal, 0);
}

/* ---- every scalar's text, against libfyaml's ---- */

typedef struct texts {
	const char **s;
	size_t *len;
	size_t n, cap;
} texts;

static void texts_add(texts *t, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->s = realloc(t->s, t->cap * sizeof(*t->s));
		t->len = realloc(t->len, t->cap * sizeof(*t->len));
		assert_non_null(t->s);
		assert_non_null(t->len);
	}
	t->s[t->n] = s;
	t->len[t->n++] = len;
}

/* The tree's scalars in document order: the order of libfyaml's events. */
static void tree_scalars(const ts_node *n, texts *t)
{
	if (n->kind == TS_NODE_SCALAR)
		texts_add(t, n->text, n->len);
	for (size_t i = 0; (n->kind == TS_NODE_MAP || n->kind == TS_NODE_SEQ) && i < n->n; i++) {
		if (n->kind == TS_NODE_MAP)
			tree_scalars(n->keys[i], t);
		tree_scalars(n->vals[i], t);
	}
}

/* libfyaml 0.7.12 garbles a '...' scalar that holds two '' pairs side by
 * side: for `'x '''' y'` it returns "x ''' " where YAML reads "x '' y"
 * (and it leaks once a scalar holds four pairs). parse undoes '' itself,
 * so such a scalar has no libfyaml text to compare with. */
static bool libfyaml_buggy(const char *text, struct fy_token *t)
{
	if (fy_token_scalar_style(t) != FYSS_SINGLE_QUOTED)
		return false;
	const struct fy_mark *sm = fy_token_start_mark(t), *em = fy_token_end_mark(t);
	size_t quotes = 0, run = 0;    /* inside the marks, quotes come in pairs */
	bool adjacent = false;
	for (size_t i = sm->input_pos; i < em->input_pos; i++) {
		run = text[i] == '\'' ? run + 1 : 0;
		quotes += text[i] == '\'';
		adjacent |= run >= 4;
	}
	return adjacent || quotes >= 8;
}

/* Compares, scalar by scalar, the text parse gave with libfyaml's own
 * (parse takes many scalars from the source bytes instead). */
static size_t check_scalar_texts(const char *path, const char *text, size_t len)
{
	const ts_node *root;
	ts_error err;
	if (ts_parse(&file_arena, text, len, NULL, &root, &err) < 0)
		return 0;       /* refused files are checked elsewhere */
	texts mine = {0}, theirs = {0};
	tree_scalars(root, &mine);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION};
	struct fy_parser *p = fy_parser_create(&cfg);
	assert_non_null(p);
	assert_int_equal(fy_parser_set_string(p, text, len), 0);
	struct fy_event *ev;
	while ((ev = fy_parser_parse(p))) {
		if (ev->type == FYET_SCALAR) {
			size_t n = 0;
			const char *s = libfyaml_buggy(text, ev->scalar.value) ? NULL
				: fy_token_get_text(ev->scalar.value, &n);
			texts_add(&theirs, s ? ts_strndup(&file_arena, s, n) : NULL, s ? n : 0);
		}
		fy_parser_event_free(p, ev);
	}
	fy_parser_destroy(p);
	if (mine.n != theirs.n)
		fail_msg("%s: %zu scalars in the tree, %zu from libfyaml", path, mine.n, theirs.n);
	for (size_t i = 0; i < mine.n; i++)
		if (theirs.s[i] && (mine.len[i] != theirs.len[i] || memcmp(mine.s[i], theirs.s[i], mine.len[i])))
			fail_msg("%s: scalar %zu reads '%.*s', libfyaml reads '%.*s'", path, i,
				 (int)(mine.len[i] > 80 ? 80 : mine.len[i]), mine.s[i],
				 (int)(theirs.len[i] > 80 ? 80 : theirs.len[i]), theirs.s[i]);
	size_t n = mine.n;
	free(mine.s), free(mine.len), free(theirs.s), free(theirs.len);
	return n;
}

static void corpus_scalar_texts_match_libfyaml(void **state)
{
	(void)state;
	char *text = read_manifest();
	size_t files = 0, scalars = 0;
	row r;
	for (char *cursor = strchr(text, '\n'); next_row(&cursor, &r);) {
		char root[1024], path[1200];
		repo_dir(&r, root, sizeof(root));
		snprintf(path, sizeof(path), "%s/%s", root, r.col[COL_PATH]);
		size_t flen;
		char *f = read_all(path, &flen);
		if (f) {
			files++;
			scalars += check_scalar_texts(path, f, flen);
		}
		ts_arena_free(&file_arena);
	}
	print_message("corpus: %zu scalars in %zu files read as libfyaml reads them\n",
		      scalars, files);
	assert_true(files > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(corpus_workflows_process_cleanly, corpus_teardown),
		cmocka_unit_test_teardown(corpus_scalar_texts_match_libfyaml, corpus_teardown),
	};
	return cmocka_run_group_tests_name("corpus", tests, NULL, tl_builtin_free);
}
