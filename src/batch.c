/* batch.c - see batch.h. */
#include "batch.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A file done and waiting for its turn: its output on a tape when the
 * emitter tapes (see emit.h), its arena already freed; else its result,
 * and the arena and cache hold that it needs. */
typedef struct ts_slot {
	ts_arena arena;
	ts_file_result r;
	ts_repo_cache *cache;   /* held until the result is emitted */
	ts_tape *tape;
	bool done;
	size_t bytes;           /* what it held when done */
} ts_slot;

/* Lets go of what a result needs: its arena and its hold on the cache. */
static void ts_slot_release(ts_slot *s)
{
	ts_arena_free(&s->arena);
	ts_cache_release(s->cache);
	s->cache = NULL;
}

/* One PATH's files, numbered in the batch from `first`. Its targets are
 * in its own arena, freed once its last file has been emitted. */
typedef struct ts_chunk {
	ts_arena arena;
	const ts_target *v;
	size_t first;
	size_t next, end;       /* the next file to take, one past the last */
	size_t run;
} ts_chunk;

/* A repository's files in the batch are a run: consecutive chunks with one
 * root (a PATH's files all have one, see discover.h, and the next PATH may
 * be in the same repository). A worker stays in one run while it has
 * files: two workers in the same repository would contend for its cache,
 * and the one that finds it busy parses and infers again what the other
 * already has. Where a worker is: */
typedef struct ts_place {
	size_t chunk, run;
} ts_place;

/* Files and chunks are numbered from 0 in the order given; file i has
 * slots[i % window], and chunk c chunks[c % window]. A slot is free again
 * once its file is out, and no file is taken beyond the window. The
 * chunks kept, [head, tail), fit too: a chunk is only discovered while
 * found < emitted + window, so the chunks after the head each start at a
 * distinct file in (emitted, emitted + window). */
typedef struct ts_batch {
	const ts_config *cfg;
	ts_emitter *em;
	const char *const *paths;
	size_t npaths;
	size_t next_path;       /* the next PATH to discover */
	bool discovering;       /* a worker is discovering next_path - 1 */
	size_t found;           /* files discovered so far */
	ts_slot *slots;
	ts_chunk *chunks;
	size_t head, tail;      /* the chunks not yet all emitted */
	size_t runs;            /* runs so far: chunks' runs count from 1 */
	char *last_root;        /* the last chunk's root (a copy: the chunk may
				   be freed before the next one is added) */
	size_t claimed;         /* chunks before this one are in runs that
				   have had a worker */
	size_t open;            /* chunks before this one are all taken */
	size_t emitted;         /* files emitted so far */
	bool emitting;          /* a worker is emitting (see ts_emit_ready) */
	bool tapes;             /* workers record output (ts_emitter_tapes) */
	size_t window;          /* how far workers may run ahead of emission */
	size_t held;            /* bytes held by results done, not emitted */
	pthread_mutex_t mu;
	/* Broadcast only when someone waits on it: a broadcast for every file
	 * cost more than the work on small files. */
	pthread_cond_t window_moved;    /* workers wait for room in the window,
					   or for a discovery to end */
	unsigned workers_wait;
} ts_batch;

static ts_chunk *ts_chunk_at(ts_batch *b, size_t c)
{
	return &b->chunks[c % b->window];
}

/* Results waiting to be emitted may hold this much before workers take
 * only the next file to emit: large files finished ahead of a slow one
 * would otherwise hold what the window lets them (one 400 KB workflow's
 * arena is 9 MiB). Over the benchmark the -j 2 peak fell from 45-50 MiB
 * to 42-48, with the same wall time. */
enum { TS_HELD_MAX = 16 << 20 };

/* Whether chunk c is kept and has a file to take inside the window. */
static bool ts_has_work(ts_batch *b, size_t c)
{
	if (c < b->head || c >= b->tail)
		return false;
	const ts_chunk *k = ts_chunk_at(b, c);
	return k->next < k->end && k->next < b->emitted + b->window &&
	       (b->held < TS_HELD_MAX || k->next == b->emitted);
}

/* Moves `open` past the chunks whose files have all been taken (or
 * emitted: ts_emitted frees chunks without moving it). */
static void ts_pass_taken(ts_batch *b)
{
	if (b->open < b->head)
		b->open = b->head;
	while (b->open < b->tail) {
		const ts_chunk *k = ts_chunk_at(b, b->open);
		if (k->next < k->end)
			break;
		b->open++;
	}
}

/* The chunk of the worker's own run to take from, or SIZE_MAX. A run's
 * files are taken in order: the first kept chunk with files left. */
static size_t ts_own_chunk(ts_batch *b, const ts_place *at)
{
	for (size_t c = at->chunk < b->head ? b->head : at->chunk; c < b->tail; c++) {
		const ts_chunk *k = ts_chunk_at(b, c);
		if (k->run != at->run)
			break;
		if (k->next < k->end)
			return ts_has_work(b, c) ? c : SIZE_MAX;
	}
	return SIZE_MAX;
}

/* The worker's own run, else one nobody has started; SIZE_MAX when
 * neither has a file inside the window. Under b->mu. */
static size_t ts_pick_run(ts_batch *b, const ts_place *at)
{
	size_t c = ts_own_chunk(b, at);
	if (c != SIZE_MAX || !ts_has_work(b, b->claimed))
		return c;
	c = b->claimed;
	size_t run = ts_chunk_at(b, c)->run;
	while (b->claimed < b->tail && ts_chunk_at(b, b->claimed)->run == run)
		b->claimed++;
	return c;
}

/* A run another worker is in (near the end, or when a large repository
 * fills the window), or SIZE_MAX. Under b->mu. */
static size_t ts_pick_other(ts_batch *b)
{
	for (size_t c = b->open; c < b->claimed; c++)
		if (ts_has_work(b, c))
			return c;
	return SIZE_MAX;
}

static bool ts_all_found(const ts_batch *b)
{
	return b->next_path == b->npaths && !b->discovering;
}

/* One discoverer at a time, so that PATHs keep their order, and only
 * while its files could be taken (which bounds the chunks kept). */
static bool ts_may_discover(const ts_batch *b)
{
	return !b->discovering && b->next_path < b->npaths &&
	       b->found < b->emitted + b->window;
}

static bool ts_same_root(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether a new chunk in `root` goes on the last chunk's run; if not, it
 * starts the next one. */
static bool ts_same_run(ts_batch *b, const char *root)
{
	if (b->runs && ts_same_root(b->last_root, root))
		return true;
	b->runs++;
	free(b->last_root);
	b->last_root = root ? strdup(root) : NULL;
	if (root && !b->last_root)
		abort();
	return false;
}

/* A PATH's files as the next chunk. When they go on a run a worker has
 * started, that worker takes them, as it would have had the PATHs been
 * one. */
static void ts_chunk_add(ts_batch *b, const ts_arena *a, const ts_targets *t)
{
	assert(b->tail - b->head < b->window);
	if (ts_same_run(b, t->v[0].root) && b->claimed == b->tail)
		b->claimed++;
	ts_chunk *k = ts_chunk_at(b, b->tail++);
	k->arena = *a;
	k->v = t->v;
	k->run = b->runs;
	k->first = k->next = b->found;
	k->end = b->found += t->n;
}

/* Discovers the next PATH, under b->mu, which it lets go of while it reads
 * the folders. A PATH with no files makes no chunk. */
static void ts_discover_next(ts_batch *b)
{
	size_t p = b->next_path++;
	b->discovering = true;
	pthread_mutex_unlock(&b->mu);
	ts_arena a = TS_ARENA_INIT;
	ts_targets t = {NULL, 0, 0};
	ts_discover(&a, b->paths[p], p + 1, &t);
	if (!t.n)
		ts_arena_free(&a);
	pthread_mutex_lock(&b->mu);
	b->discovering = false;
	if (t.n)
		ts_chunk_add(b, &a, &t);
	if (b->workers_wait)
		pthread_cond_broadcast(&b->window_moved);
}

/* The next file for a worker at *at, and its number in *i; NULL when
 * every file has been taken. Prefers its own run, then one nobody has
 * started, then a PATH not discovered yet, then another's run. */
static const ts_target *ts_take(ts_batch *b, ts_place *at, size_t *i)
{
	pthread_mutex_lock(&b->mu);
	const ts_target *t = NULL;
	for (;;) {
		ts_pass_taken(b);
		size_t c = ts_pick_run(b, at);
		if (c == SIZE_MAX && ts_may_discover(b)) {
			ts_discover_next(b);
			continue;
		}
		if (c == SIZE_MAX)
			c = ts_pick_other(b);
		if (c != SIZE_MAX) {
			ts_chunk *k = ts_chunk_at(b, c);
			*at = (ts_place){c, k->run};
			*i = k->next++;
			t = &k->v[*i - k->first];
			break;
		}
		if (ts_all_found(b) && b->open == b->tail)
			break;
		b->workers_wait++;
		pthread_cond_wait(&b->window_moved, &b->mu);
		b->workers_wait--;
	}
	pthread_mutex_unlock(&b->mu);
	return t;
}

/* File i, emitted: its slot is free again, and the window moves. Under
 * b->mu. Returns the arena of its chunk's targets when i was the chunk's
 * last file, for the caller to free once it has let go of b->mu. */
static ts_arena ts_emitted(ts_batch *b, size_t i)
{
	ts_slot *s = &b->slots[i % b->window];
	ts_arena gone = TS_ARENA_INIT;
	s->done = false;
	b->held -= s->bytes;
	b->emitted = i + 1;
	ts_chunk *k = ts_chunk_at(b, b->head);   /* file i's: those before are out */
	if (b->emitted == k->end) {
		gone = k->arena;
		b->head++;
	}
	if (b->workers_wait)
		pthread_cond_broadcast(&b->window_moved);
	return gone;
}

/* Emits the files that are done, in order, from the next one to emit:
 * whichever worker finishes a file does it, unless another already is.
 * Under b->mu, which it lets go of while it writes. A file done while
 * another worker emits is not lost: that worker looks at the next slot
 * under b->mu before it stops, and stops under the same hold of b->mu in
 * which it finds the slot not done.
 *
 * Workers emit, rather than a thread of its own, so that -j 2 runs two
 * threads, not three: the emitting thread, woken every few files, took a
 * CPU from a worker each time (3,700 context switches over the
 * benchmark). */
static void ts_emit_ready(ts_batch *b)
{
	if (b->emitting)
		return;
	b->emitting = true;
	ts_arena gone = TS_ARENA_INIT;
	for (;;) {
		size_t i = b->emitted;
		ts_slot *s = &b->slots[i % b->window];
		if (i == b->found || !s->done)
			break;
		pthread_mutex_unlock(&b->mu);
		ts_arena_free(&gone);
		if (s->tape) {
			ts_emitter_play(b->em, s->tape);
			s->tape = NULL;
		} else {
			ts_emitter_file(b->em, &s->r);
			ts_slot_release(s);
		}
		pthread_mutex_lock(&b->mu);
		gone = ts_emitted(b, i);
	}
	b->emitting = false;
	if (gone.head) {
		pthread_mutex_unlock(&b->mu);
		ts_arena_free(&gone);
		pthread_mutex_lock(&b->mu);
	}
}

/* Records the slot's output and lets go of its arena and cache: this
 * thread frees the memory it has just used, while it is still in its
 * caches, and reuses it for the next file. */
static void ts_record_slot(ts_recorder *rec, ts_slot *s)
{
	s->tape = ts_record(rec, &s->r);
	ts_slot_release(s);
	s->bytes = ts_tape_size(s->tape);
}

static void *ts_worker_main(void *arg)
{
	ts_batch *b = arg;
	ts_worker w = {NULL};
	ts_recorder *rec = b->tapes ? ts_recorder_new(b->em) : NULL;
	ts_place at = {SIZE_MAX, 0};
	size_t i;
	const ts_target *t;
	while ((t = ts_take(b, &at, &i))) {
		ts_slot *s = &b->slots[i % b->window];
		ts_process(b->cfg, &w, t, &s->arena, &s->r, &s->cache);
		if (rec)
			ts_record_slot(rec, s);
		else
			s->bytes = s->arena.used;
		pthread_mutex_lock(&b->mu);
		s->done = true;
		b->held += s->bytes;
		ts_emit_ready(b);
		pthread_mutex_unlock(&b->mu);
	}
	ts_recorder_free(rec);
	ts_worker_done(&w);
	return NULL;
}

/* A thread of its own: its pool of arena blocks goes with it. */
static void *ts_worker_thread(void *arg)
{
	ts_worker_main(arg);
	ts_arena_pool_free();
	return NULL;
}

static void ts_run_one(const ts_config *cfg, ts_worker *w, const ts_target *t,
		       ts_emitter *em)
{
	ts_slot s;
	memset(&s, 0, sizeof(s));
	ts_process(cfg, w, t, &s.arena, &s.r, &s.cache);
	ts_emitter_file(em, &s.r);
	ts_slot_release(&s);
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

static void ts_run_parallel(const ts_config *cfg, const char *const *paths,
			    size_t npaths, ts_emitter *em, unsigned nthreads)
{
	/* Files differ a lot in cost (a few take most of the time), so workers
	 * may run well ahead of emission; TS_HELD_MAX still bounds memory.
	 * The window must also hold a large repository and more: while one
	 * worker is in a repository's files, the others can only take files
	 * inside the window, and when the repository fills it they join that
	 * one, parse its called workflows and scripts again for want of its
	 * cache (see ts_batch's runs). With 64 files a thread, -j 2 on the
	 * benchmark (largest repository: 122 files) hit a busy cache 500-700
	 * times a run; with 256, 9-39 times, and -j 2 took 2-6% less CPU time
	 * over three sets of 9 to 15 interleaved runs. */
	ts_batch b = {.cfg = cfg, .em = em, .paths = paths, .npaths = npaths,
		      .window = 256 * (size_t)nthreads, .tapes = ts_emitter_tapes(em),
		      .mu = PTHREAD_MUTEX_INITIALIZER,
		      .window_moved = PTHREAD_COND_INITIALIZER};
	b.slots = calloc(b.window, sizeof(*b.slots));
	b.chunks = calloc(b.window, sizeof(*b.chunks));
	pthread_t *th = calloc(nthreads - 1, sizeof(*th));
	if (!b.slots || !b.chunks || !th)
		abort();
	/* The calling thread is a worker too; a thread that cannot be
	 * started leaves its share to the others. */
	unsigned started = 0;
	while (started + 1 < nthreads &&
	       pthread_create(&th[started], NULL, ts_worker_thread, &b) == 0)
		started++;
	ts_worker_main(&b);
	for (unsigned t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	/* Every file done was emitted by the worker that finished it or by
	 * the one emitting then; chunks go with their last file. */
	assert(b.emitted == b.found && b.head == b.tail);
	free(th);
	free(b.last_root);
	free(b.chunks);
	free(b.slots);
}

void ts_batch_run(const ts_config *cfg, const char *const *paths, size_t npaths,
		  ts_emitter *em, unsigned nthreads)
{
	if (nthreads <= 1)
		ts_run_serial(cfg, paths, npaths, em);
	else
		ts_run_parallel(cfg, paths, npaths, em, nthreads);
}
