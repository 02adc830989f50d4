/*
 * main.c - the command line: options, the map, the batch of files on worker
 * threads, output in the order files were given, and the exit status.
 */
#include "cli/cli.h"
#include "discover.h"
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* The batch: workers fill result slots; the main thread emits them in   */
/* order and frees each as soon as it is out, so memory stays bounded.   */

typedef struct ts_slot {
	ts_arena arena;
	ts_file_result r;
	ts_repo_cache *cache;   /* held until the result is emitted */
	bool done;
} ts_slot;

/* A repository's files in the batch (targets of one root lie together).
 * A worker stays in one repository while it has files: two workers in the
 * same one would contend for its cache, and the one that finds it busy
 * parses and infers again what the other already has. */
typedef struct ts_repo_run {
	size_t next, end;       /* the next file to take, one past the last */
} ts_repo_run;

typedef struct ts_batch {
	const ts_config *cfg;
	const ts_targets *targets;
	ts_slot *slots;
	ts_repo_run *runs;
	size_t nruns;
	size_t claimed;         /* runs before this one have had a worker */
	size_t open;            /* runs before this one are all taken */
	size_t emitted;         /* files emitted so far */
	size_t window;          /* how far workers may run ahead of emission */
	pthread_mutex_t mu;
	/* Signalled only when someone waits on it: a broadcast for every file
	 * cost more than the work on small files. */
	pthread_cond_t slot_done;       /* the main thread waits for slot `emitted` */
	pthread_cond_t window_moved;    /* workers wait for room in the window */
	bool main_waits;
	unsigned workers_wait;
} ts_batch;

static bool ts_same_root(const ts_target *a, const ts_target *b)
{
	return a->root == b->root || (a->root && b->root && !strcmp(a->root, b->root));
}

/* Splits the targets into repository runs; returns how many. */
static size_t ts_repo_runs(const ts_targets *t, ts_repo_run *runs)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (i == 0 || !ts_same_root(&t->v[i - 1], &t->v[i]))
			runs[n++].next = i;
		runs[n - 1].end = i + 1;
	}
	return n;
}

/* The run a worker takes its next file from, under b->mu: its own, else a
 * repository nobody has started, else (near the end, or when a large
 * repository fills the window) one another worker is in. SIZE_MAX when
 * every file in the window is taken. */
static size_t ts_pick_run(ts_batch *b, size_t cur)
{
	size_t limit = b->emitted + b->window;
	if (cur < b->nruns && b->runs[cur].next < b->runs[cur].end &&
	    b->runs[cur].next < limit)
		return cur;
	if (b->claimed < b->nruns && b->runs[b->claimed].next < limit)
		return b->claimed++;
	for (size_t r = b->open; r < b->claimed; r++)
		if (b->runs[r].next < b->runs[r].end && b->runs[r].next < limit)
			return r;
	return SIZE_MAX;
}

/* The next file for a worker in run *cur, or SIZE_MAX when there is none
 * left. Files are emitted in order, so none is taken beyond the window. */
static size_t ts_take(ts_batch *b, size_t *cur)
{
	pthread_mutex_lock(&b->mu);
	size_t i = SIZE_MAX;
	for (;;) {
		while (b->open < b->nruns && b->runs[b->open].next == b->runs[b->open].end)
			b->open++;
		if (b->open == b->nruns)
			break;
		size_t r = ts_pick_run(b, *cur);
		if (r != SIZE_MAX) {
			*cur = r;
			i = b->runs[r].next++;
			break;
		}
		b->workers_wait++;
		pthread_cond_wait(&b->window_moved, &b->mu);
		b->workers_wait--;
	}
	pthread_mutex_unlock(&b->mu);
	return i;
}

static void *ts_worker_main(void *arg)
{
	ts_batch *b = arg;
	ts_worker w = {NULL};
	size_t i, cur = SIZE_MAX;
	while ((i = ts_take(b, &cur)) != SIZE_MAX) {
		ts_slot *s = &b->slots[i];
		ts_process(b->cfg, &w, &b->targets->v[i], &s->arena, &s->r, &s->cache);
		pthread_mutex_lock(&b->mu);
		s->done = true;
		if (b->main_waits && i == b->emitted)
			pthread_cond_signal(&b->slot_done);
		pthread_mutex_unlock(&b->mu);
	}
	ts_worker_done(&w);
	return NULL;
}

static void ts_run_one(const ts_config *cfg, ts_worker *w, const ts_target *t,
		       ts_emitter *em)
{
	ts_slot s;
	memset(&s, 0, sizeof(s));
	ts_process(cfg, w, t, &s.arena, &s.r, &s.cache);
	ts_emitter_file(em, &s.r);
	ts_arena_free(&s.arena);
	ts_cache_release(s.cache);
}

/* One PATH at a time: its files are found into an arena of their own,
 * freed once they are out, so memory does not grow with the PATHs. */
static void ts_run_serial(const ts_config *cfg, const char *const *paths,
			  size_t npaths, ts_emitter *em)
{
	ts_worker w = {NULL};
	for (size_t p = 0; p < npaths; p++) {
		ts_arena a = TS_ARENA_INIT;
		ts_targets t = {NULL, 0, 0};
		ts_discover(&a, paths[p], p + 1, &t);
		for (size_t i = 0; i < t.n; i++)
			ts_run_one(cfg, &w, &t.v[i], em);
		ts_arena_free(&a);
	}
	ts_worker_done(&w);
}

static void ts_run_parallel(const ts_config *cfg, const ts_targets *targets,
			    ts_emitter *em, unsigned nthreads)
{
	/* Files differ a lot in cost (a few take most of the time), so workers
	 * may run well ahead of emission; the window still bounds memory. */
	ts_batch b = {.cfg = cfg, .targets = targets, .window = 64 * (size_t)nthreads,
		      .mu = PTHREAD_MUTEX_INITIALIZER,
		      .slot_done = PTHREAD_COND_INITIALIZER,
		      .window_moved = PTHREAD_COND_INITIALIZER};
	b.slots = calloc(targets->n, sizeof(*b.slots));
	b.runs = calloc(targets->n, sizeof(*b.runs));
	pthread_t *th = calloc(nthreads, sizeof(*th));
	if (!b.slots || !b.runs || !th)
		abort();
	b.nruns = ts_repo_runs(targets, b.runs);
	for (unsigned t = 0; t < nthreads; t++)
		pthread_create(&th[t], NULL, ts_worker_main, &b);
	for (size_t i = 0; i < targets->n; i++) {
		pthread_mutex_lock(&b.mu);
		while (!b.slots[i].done) {
			b.main_waits = true;
			pthread_cond_wait(&b.slot_done, &b.mu);
			b.main_waits = false;
		}
		pthread_mutex_unlock(&b.mu);
		ts_emitter_file(em, &b.slots[i].r);
		ts_arena_free(&b.slots[i].arena);
		ts_cache_release(b.slots[i].cache);
		pthread_mutex_lock(&b.mu);
		b.emitted = i + 1;
		if (b.workers_wait)
			pthread_cond_broadcast(&b.window_moved);
		pthread_mutex_unlock(&b.mu);
	}
	for (unsigned t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	free(th);
	free(b.runs);
	free(b.slots);
}

/* ------------------------------------------------------------------ */

static int ts_load_maps(const ts_cli *cli, ts_map **out)
{
	ts_map *m = ts_map_new();
	ts_error err;
	if (ts_map_load_builtin(m, &err) < 0)
		goto fail;
	for (size_t i = 0; i < cli->nmaps; i++)
		if (ts_map_load_file(m, cli->maps[i], &err) < 0)
			goto fail;
	if (ts_map_finish(m, &err) < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	fprintf(stderr, "tokenscope: map: %s\n", err.msg);
	ts_map_free(m);
	return -1;
}

static int ts_exit_code(const ts_cli *cli, const ts_totals *t)
{
	if (t->errors)
		return TS_EXIT_ERROR;
	if (cli->mode == TS_MODE_CHECK && t->changed)
		return TS_EXIT_CHANGES;
	return TS_EXIT_OK;
}

static int ts_run_paths(const ts_cli *cli, const ts_map *map)
{
	ts_config cfg = {map, {cli->no_top_level, cli->no_comments}, cli->max_size, 0,
			 cli->mode == TS_MODE_FIX};
	ts_emit_opts eo = {cli->mode, cli->format, cli->color, cli->summary, cli->quiet,
			   cli->pr_body, cli->commit_message, cli->progress, cli->npaths};
	ts_emitter *em = ts_emitter_new(stdout, stderr, &eo);
	unsigned n = cli->jobs ? cli->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 1) {
		ts_run_serial(&cfg, cli->paths, cli->npaths, em);
	} else {
		ts_arena a = TS_ARENA_INIT;
		ts_targets targets = {NULL, 0, 0};
		for (size_t i = 0; i < cli->npaths; i++)
			ts_discover(&a, cli->paths[i], i + 1, &targets);
		ts_run_parallel(&cfg, &targets, em, n);
		ts_arena_free(&a);
	}
	ts_totals totals;
	ts_emitter_end(em, &totals);
	ts_emitter_free(em);
	return ts_exit_code(cli, &totals);
}

int main(int argc, char **argv)
{
	ts_cli cli;
	int rc = ts_cli_parse(argc, argv, &cli);
	if (rc >= 0)
		return rc;   /* --help, --version, or a usage error */
	ts_map *map;
	if (ts_load_maps(&cli, &map) < 0)
		return TS_EXIT_USAGE;
	if (cli.mode_lookup)
		rc = ts_lookup_main(&cli, map);
	else
		rc = ts_run_paths(&cli, map);
	ts_map_free(map);
	ts_cli_free(&cli);
	ts_arena_pool_free();
	return rc;
}
