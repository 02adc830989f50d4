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
 * Skipped, with a message, when the corpus folder is missing.
 */
#include "testlib.h"

#include "emit/emit.h"
#include "oracle.h"
#include "pipeline.h"

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
	ts_target tg = {path, root, rel, NULL};
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
	char manifest[1024];
	snprintf(manifest, sizeof(manifest), "%s/MANIFEST.tsv", TS_CORPUS_DIR);
	size_t len;
	char *text = read_all(manifest, &len);
	if (!text) {
		print_message("corpus not found at %s: skipped\n", TS_CORPUS_DIR);
		skip();
	}
	ts_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.map = tl_builtin();
	totals t;
	memset(&t, 0, sizeof(t));
	char *line = strchr(text, '\n');        /* past the header */
	while (line && *++line) {
		char *next = strchr(line, '\n');
		if (next)
			*next = '\0';
		row r;
		if (split_row(line, &r) && !strcmp(r.col[COL_KIND], "workflow")) {
			char root[1024];
			snprintf(root, sizeof(root), "%s/%s", TS_CORPUS_DIR, r.col[COL_REPO]);
			char *slash = strchr(root + strlen(TS_CORPUS_DIR) + 1, '/');
			if (slash) {            /* owner/name -> owner__name */
				memmove(slash + 2, slash + 1, strlen(slash + 1) + 1);
				slash[0] = slash[1] = '_';
			}
			check_file(&cfg, root, r.col[COL_PATH], strcmp(r.col[COL_PARSES], "n") != 0,
				   &t);
		}
		line = next;
	}
	print_message("corpus: %zu files, %zu changed (%zu insertions), %zu unchanged, "
		      "%zu not workflows, %zu errors (%zu expected, %zu internal)\n",
		      t.files, t.changed, t.insertions, t.unchanged, t.not_workflow, t.errors,
		      t.expected_errors, t.internal);
	assert_true(t.files > 0);
	/* an internal error is a plan that failed to verify: a bug */
	assert_int_equal(t.internal, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(corpus_workflows_process_cleanly, corpus_teardown),
	};
	return cmocka_run_group_tests_name("corpus", tests, NULL, tl_builtin_free);
}
