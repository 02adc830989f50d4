/*
 * pipeline.h - one workflow file through every stage:
 *
 *     load -> parse -> infer -> plan -> splice -> verify -> (write)
 *
 * Contract: ts_process never fails as a call: whatever goes wrong becomes
 * the result's status and error, so a batch goes on with the next file.
 * Everything it allocates is in the caller's arena, which the caller frees
 * once the result has been emitted. With `write` set (fix) a verified
 * change is written atomically; nothing is written otherwise. The map is
 * shared read-only, so ts_process may run on many threads at once.
 */
#ifndef TS_PIPELINE_H
#define TS_PIPELINE_H

#include "discover.h"
#include "emit/emit.h"
#include "parse/parse.h"

typedef struct ts_config {
	const ts_map *map;
	ts_plan_opts plan;
	size_t max_size;        /* 0: the default */
	unsigned max_depth;     /* 0: the default */
	bool write;             /* fix: replace changed files */
} ts_config;

/* What the workers remember of a repository: its local actions and
 * workflow files, parsed, and its called workflows, inferred (each a pure
 * function of the repository's files, so sharing them cannot change any
 * result). One per repository, shared by every worker in it, under a lock.
 * Reference-counted: a result that used it holds it until the result has
 * been emitted, since the result may point into it. */
typedef struct ts_repo_cache ts_repo_cache;

typedef struct ts_worker {
	ts_repo_cache *cache;   /* the current repository's (held), or NULL */
} ts_worker;

/* `w` may be NULL (no cache). When *used is set, the caller releases it
 * with ts_cache_release once the result is emitted. */
void ts_process(const ts_config *cfg, ts_worker *w, const ts_target *t,
		ts_arena *a, ts_file_result *r, ts_repo_cache **used);
void ts_cache_release(ts_repo_cache *c);
/* Drops the worker's own hold on its cache. */
void ts_worker_done(ts_worker *w);

/* Parses text as a workflow and plans it: the number of insertions a run
 * would make (tests use it to check that a second run plans nothing). */
int ts_plan_count(const ts_config *cfg, const char *path, const char *text,
		  size_t len, ts_error *err);

#endif
