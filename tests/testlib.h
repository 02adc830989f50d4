/*
 * testlib.h - helpers shared by the unit tests (header-only, everything
 * static inline so a test that does not use a helper gets no warning).
 *
 *  - TL_TEST(f): a test followed by tl_teardown, which frees what the test
 *    took (tl_arena(), the map of tl_map_text(), tl_tmpdir() folders, the
 *    tl_files() table) even when an assertion failed half way;
 *  - tl_builtin(): the embedded endpoint map, loaded once per program
 *    (tl_builtin_free is the group teardown);
 *  - tl_map_text(): a small map from inline text (load + finish);
 *  - tl_run: one workflow text through the real stages
 *    load_bytes -> parse -> workflow_read -> infer -> plan -> splice -> verify,
 *    with tl_files() as the repository's other files (called workflows,
 *    local actions);
 *  - tl_grants(): a job's grants as "scope:level,scope:level" for exact asserts.
 */
#ifndef TS_TESTLIB_H
#define TS_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "common.h"
#include "infer/infer.h"
#include "load.h"
#include "map/map.h"
#include "parse/parse.h"
#include "plan.h"
#include "splice.h"
#include "verify.h"

/* ------------------------------------------------------------------ */
/* Per-test resources                                                  */

/* The running test's arena, freed after every test (pass or fail) by
 * tl_teardown, so a failing assertion leaks nothing. */
static inline ts_arena *tl_arena(void)
{
	static ts_arena a = TS_ARENA_INIT;
	return &a;
}

/* A map the running test built; tl_teardown frees it. */
static inline ts_map **tl_test_map(void)
{
	static ts_map *m;
	return &m;
}

/* Other files of the repository that infer may read (local actions, called
 * workflows), as a NULL-terminated table set by the test; tl_teardown
 * clears it. */
typedef struct tl_file {
	const char *rel, *text;
} tl_file;

static inline const tl_file **tl_files(void)
{
	static const tl_file *f;
	return &f;
}

/* Temporary folders the running test made; tl_teardown removes them. */
typedef struct tl_dirs {
	char path[4][256];
	int n;
} tl_dirs;

static inline tl_dirs *tl_test_dirs(void)
{
	static tl_dirs d;
	return &d;
}

static inline void tl_rmtree(const char *dir)
{
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	if (system(cmd) != 0)
		print_message("could not remove %s\n", dir);
}

static inline int tl_teardown(void **state)
{
	(void)state;
	tl_dirs *d = tl_test_dirs();
	for (int i = 0; i < d->n; i++)
		tl_rmtree(d->path[i]);
	d->n = 0;
	ts_arena_free(tl_arena());
	*tl_files() = NULL;
	ts_map_free(*tl_test_map());
	*tl_test_map() = NULL;
	return 0;
}

/* A test with tl_teardown after it. */
#define TL_TEST(f) cmocka_unit_test_teardown(f, tl_teardown)

/* ------------------------------------------------------------------ */
/* Maps                                                                */

static inline ts_map **tl_builtin_slot(void)
{
	static ts_map *m;
	return &m;
}

/* The embedded map (the files in endpoint-map/), loaded on first use. */
static inline const ts_map *tl_builtin(void)
{
	ts_map **m = tl_builtin_slot();
	if (!*m) {
		ts_error err = {0, 0, ""};
		*m = ts_map_new();
		if (ts_map_load_builtin(*m, &err) < 0 || ts_map_finish(*m, &err) < 0)
			fail_msg("builtin map: %s", err.msg);
	}
	return *m;
}

/* Group teardown: frees the builtin map. */
static inline int tl_builtin_free(void **state)
{
	(void)state;
	ts_map **m = tl_builtin_slot();
	ts_map_free(*m);
	*m = NULL;
	return 0;
}

/* Loads `text` as one map file named "t.map" and finishes the map. The
 * map becomes the test's map (tl_teardown frees it). Returns it, or NULL
 * with *err set. */
static inline ts_map *tl_map_text(const char *text, ts_error *err)
{
	ts_map_free(*tl_test_map());
	ts_map *m = *tl_test_map() = ts_map_new();
	if (ts_map_load(m, "t.map", text, strlen(text), err) < 0 ||
	    ts_map_finish(m, err) < 0)
		return NULL;
	return m;
}

/* ------------------------------------------------------------------ */
/* A workflow through the stages                                       */

static inline const ts_node *tl_read(void *ud, const char *rel, ts_error *err)
{
	(void)ud;
	for (const tl_file *f = *tl_files(); f && f->rel; f++) {
		if (strcmp(f->rel, rel))
			continue;
		const ts_node *root = NULL;
		if (ts_parse(tl_arena(), f->text, strlen(f->text), NULL, &root, err) < 0)
			return NULL;
		return root;
	}
	ts_fail(err, 0, 0, "%s: no such file", rel);
	return NULL;
}

typedef struct tl_run {
	ts_arena *arena;        /* tl_arena() */
	const ts_map *map;
	ts_source src;
	const ts_node *root;
	ts_yevents events;      /* recorded by parse, for verify */
	ts_workflow wf;
	ts_inference inf;
	ts_plan plan;
	ts_spliced out;
	ts_error err;           /* verify's error */
	int verify_rc;
} tl_run;

/* Runs `text` (which must outlive r) through every stage up to verify.
 * Loading, parsing and reading the workflow must succeed. */
static inline void tl_run_opts(tl_run *r, const ts_map *map, const char *text,
			       const ts_plan_opts *opts)
{
	ts_error err = {0, 0, ""};
	ts_plan_opts none = {false, false};
	memset(r, 0, sizeof(*r));
	r->arena = tl_arena();
	r->map = map;
	if (ts_load_bytes("wf.yml", text, strlen(text), NULL, &r->src, &err) < 0)
		fail_msg("load: %d:%d: %s", err.line, err.col, err.msg);
	ts_parse_opts po = {.events = &r->events};
	if (ts_parse(r->arena, r->src.text, r->src.len, &po, &r->root, &err) < 0)
		fail_msg("parse: %d:%d: %s", err.line, err.col, err.msg);
	if (ts_workflow_read(r->arena, r->root, &r->wf, &err) < 0)
		fail_msg("workflow: %d:%d: %s", err.line, err.col, err.msg);
	ts_infer_ctx ic;
	memset(&ic, 0, sizeof(ic));
	ic.map = map;
	ic.arena = r->arena;
	ic.path = ".github/workflows/wf.yml";
	ic.read = tl_read;
	ts_infer(&ic, &r->wf, &r->inf);
	ts_plan_make(r->arena, map, &r->src, &r->wf, &r->inf, opts ? opts : &none,
		     &r->plan);
	ts_splice(r->arena, r->src.text, r->src.len, &r->plan, &r->out);
	r->verify_rc = ts_verify(map, r->src.text, r->src.len, &r->events, &r->out,
				 &r->plan, &r->err);
}

static inline void tl_run_text(tl_run *r, const char *text)
{
	tl_run_opts(r, tl_builtin(), text, NULL);
}

/* The index of job `id` in the workflow; fails the test when absent. */
static inline size_t tl_job(const tl_run *r, const char *id)
{
	for (size_t i = 0; i < r->wf.njobs; i++)
		if (!strcmp(r->wf.jobv[i].id, id))
			return i;
	fail_msg("no job %s", id);
	return 0;
}

/* A job's grants as "contents:read,issues:write" ("" for none). */
static inline const char *tl_grants(tl_run *r, size_t job)
{
	const ts_job_needs *jn = &r->inf.jobs[job];
	ts_buf b;
	ts_buf_init(&b, r->arena);
	for (size_t i = 0; i < jn->ngrants; i++)
		ts_buf_addf(&b, "%s%s:%s", i ? "," : "",
			    ts_map_scope_name(r->map, jn->grants[i].scope),
			    ts_level_name(jn->grants[i].level));
	return ts_buf_cstr(&b);
}

/* True when the job has a note of `kind` whose text contains `needle`. */
static inline bool tl_has_note(const tl_run *r, size_t job, ts_note_kind kind,
			       const char *needle)
{
	const ts_job_needs *jn = &r->inf.jobs[job];
	for (size_t i = 0; i < jn->nnotes; i++)
		if (jn->notes[i].kind == kind && strstr(jn->notes[i].text, needle))
			return true;
	return false;
}

/* The text of insertion k as a C string. */
static inline const char *tl_ins(tl_run *r, size_t k)
{
	assert_true(k < r->plan.nins);
	return ts_strndup(r->arena, r->plan.ins[k].text, r->plan.ins[k].len);
}

/* The offset of the first occurrence of `needle` in the source text. */
static inline size_t tl_offset(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	if (!p)
		fail_msg("'%s' not in the text", needle);
	return (size_t)(p - text);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* A fresh temporary folder, removed after the test; the path is written
 * into buf. */
static inline const char *tl_tmpdir(char *buf, size_t size)
{
	tl_dirs *d = tl_test_dirs();
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(buf, size, "%s/tstest.XXXXXX", tmp);
	if (d->n == 4 || !mkdtemp(buf))
		fail_msg("mkdtemp failed");
	snprintf(d->path[d->n++], sizeof(d->path[0]), "%s", buf);
	return buf;
}

static inline void tl_write(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot create %s", path);
	if (len && fwrite(text, 1, len, f) != len)
		fail_msg("cannot write %s", path);
	fclose(f);
}

#endif
