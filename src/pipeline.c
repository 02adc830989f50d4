/* pipeline.c - see pipeline.h. */
#include "pipeline.h"

#include "memo.h"
#include "splice.h"
#include "verify.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A repository's cache is shared by every worker in that repository, so
 * that two threads taking turns at its files do not each parse and infer
 * the same called workflows. `mu` (recursive: a called workflow's
 * inference reads more files) guards the memos and the arena; what they
 * hold never changes once made, so it is read without the lock. */
struct ts_repo_cache {
	char *root;
	ts_arena arena;
	ts_memo *files;         /* rel -> ts_cached_file */
	ts_memo *callees;       /* rel -> what infer knows of a called workflow */
	ts_memo *scripts;       /* the parsed run: scripts (infer/run.h) */
	pthread_mutex_t mu;
	int refs;               /* under ts_caches.mu */
	ts_repo_cache *next;    /* in ts_caches */
};

/* The caches in use (held by a worker or by a result not yet emitted). */
static struct {
	pthread_mutex_t mu;
	ts_repo_cache *head;
} ts_caches = {PTHREAD_MUTEX_INITIALIZER, NULL};

/* One file of the repository, parsed once for every use: as a local
 * action or a called workflow, and as a workflow file of its own. */
typedef struct ts_cached_file {
	ts_source src;
	const ts_node *root;    /* NULL: err says why */
	ts_yevents events;      /* workflow files only (events.v set): what
				   verify needs when the file is processed */
	ts_error err;
} ts_cached_file;

static void ts_cache_free(ts_repo_cache *c)
{
	pthread_mutex_destroy(&c->mu);
	ts_arena_free(&c->arena);
	free(c->root);
	free(c);
}

void ts_cache_release(ts_repo_cache *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&ts_caches.mu);
	bool last = --c->refs == 0;
	if (last) {
		ts_repo_cache **p = &ts_caches.head;
		while (*p != c)
			p = &(*p)->next;
		*p = c->next;
	}
	pthread_mutex_unlock(&ts_caches.mu);
	if (last)
		ts_cache_free(c);
}

void ts_worker_done(ts_worker *w)
{
	if (w && w->cache) {
		ts_cache_release(w->cache);
		w->cache = NULL;
	}
}

static ts_repo_cache *ts_cache_new(const char *root)
{
	ts_repo_cache *c = calloc(1, sizeof(*c));
	if (!c || !(c->root = strdup(root)))
		abort();
	c->files = ts_memo_new(&c->arena);
	c->callees = ts_memo_new(&c->arena);
	c->scripts = ts_memo_new(&c->arena);
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&c->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	return c;
}

/* The cache for `root`: the worker's own when it stays in its repository,
 * else the one another worker holds there, else a new one. The worker
 * keeps one hold, and one more is taken for the caller. */
static ts_repo_cache *ts_cache_enter(ts_worker *w, const char *root)
{
	if (!w || !root)
		return NULL;
	if (w->cache && strcmp(w->cache->root, root))
		ts_worker_done(w);
	pthread_mutex_lock(&ts_caches.mu);
	if (!w->cache) {
		ts_repo_cache *c = ts_caches.head;
		while (c && strcmp(c->root, root))
			c = c->next;
		if (!c) {
			c = ts_cache_new(root);
			c->next = ts_caches.head;
			ts_caches.head = c;
		}
		c->refs++;
		w->cache = c;
	}
	w->cache->refs++;
	pthread_mutex_unlock(&ts_caches.mu);
	return w->cache;
}

static bool ts_cache_guard(void *ud, bool hold);

/* Reads a file of the same repository for infer (local actions, called
 * workflows): never outside the root, and with the same checks as any
 * workflow file. */
typedef struct ts_reader {
	const ts_config *cfg;
	ts_arena *arena;
	const char *root;
	ts_repo_cache *cache;   /* or NULL: parse into the file's arena */
} ts_reader;

static bool ts_rel_ok(const char *rel)
{
	if (!rel[0] || rel[0] == '/')
		return false;
	for (const char *p = rel; (p = strstr(p, "..")); p += 2)
		if ((p == rel || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return false;
	return true;
}

/* Called workflows are the workflow files of the same repository; their
 * events are kept so that processing the file later need not parse it
 * again. */
static bool ts_is_workflow_rel(const char *rel)
{
	return !strncmp(rel, ".github/workflows/", 18);
}

/* Parses f->src into f, with its events when `record` is set. */
static int ts_parse_into(const ts_config *cfg, ts_arena *a, ts_cached_file *f,
			 bool record, ts_error *err)
{
	ts_parse_opts po = {.max_depth = cfg->max_depth, .events = record ? &f->events : NULL};
	return ts_parse(a, f->src.text, f->src.len, &po, &f->root, err);
}

static void ts_parse_local(const ts_config *cfg, ts_arena *a, const char *root,
			   const char *rel, ts_cached_file *f)
{
	ts_load_opts lo = {cfg->max_size, root};
	const char *path = ts_sprintf(a, "%s/%s", root, rel);
	if (ts_load(a, path, &lo, &f->src, &f->err) < 0 ||
	    ts_parse_into(cfg, a, f, ts_is_workflow_rel(rel), &f->err) < 0) {
		ts_error_prefix(&f->err, "%s: ", rel);
		f->root = NULL;
	}
}

static const ts_node *ts_read_local(void *ud, const char *rel, ts_error *err)
{
	ts_reader *rd = ud;
	if (!rd->root) {
		ts_fail(err, 0, 0, "not inside a repository");
		return NULL;
	}
	if (!ts_rel_ok(rel)) {
		ts_fail(err, 0, 0, "%s: outside the repository", rel);
		return NULL;
	}
	/* A cache another worker is busy in is not waited for: the file is
	 * parsed again, into this file's arena. */
	bool shared = ts_cache_guard(rd, true);
	ts_arena *a = shared ? &rd->cache->arena : rd->arena;
	ts_cached_file *f = shared ? ts_memo_get(rd->cache->files, rel) : NULL;
	if (!f) {
		f = ts_alloc(a, sizeof(*f));
		ts_parse_local(rd->cfg, a, rd->root, rel, f);
		if (shared)
			ts_memo_put(rd->cache->files, rel, f);
	}
	if (shared)
		ts_cache_guard(rd, false);
	if (!f->root)
		*err = f->err;
	return f->root;
}

/* A hold on the cache, taken only when it is free (or already this
 * thread's): every answer in it can also be worked out without it, so a
 * worker never waits for another. Returns whether it is held. */
static bool ts_cache_guard(void *ud, bool hold)
{
	ts_reader *rd = ud;
	if (!rd->cache)
		return false;
	if (hold)
		return pthread_mutex_trylock(&rd->cache->mu) == 0;
	pthread_mutex_unlock(&rd->cache->mu);
	return false;
}

static void ts_result_error(ts_file_result *r, const ts_error *err, bool internal)
{
	r->status = TS_FILE_ERROR;
	r->err = *err;
	r->internal = internal;
}

/* The input of one file: its bytes, its tree and its recorded events. */
typedef struct ts_input {
	const ts_source *src;
	const ts_node *root;
	const ts_yevents *events;
	bool callable;          /* others in the repository may call it */
} ts_input;

/* A workflow that others may call goes into the repository cache, where
 * its callers will find it parsed; so does the parse a caller made. */
static bool ts_callable(const ts_target *t, const ts_source *src, const ts_repo_cache *c)
{
	return c && t->rel && ts_is_workflow_rel(t->rel) &&
	       memmem(src->text, src->len, "workflow_call", 13);
}

static ts_cached_file *ts_cache_find(ts_repo_cache *c, const char *rel)
{
	if (!c || !rel || pthread_mutex_trylock(&c->mu) != 0)
		return NULL;
	ts_cached_file *f = ts_memo_get(c->files, rel);
	pthread_mutex_unlock(&c->mu);
	return f;
}

/* Parses a callable workflow into the cache, unless another worker has
 * meanwhile; NULL with err when it does not parse. When the cache is
 * busy, `mine` (not parsed yet) comes back to be parsed privately. */
static ts_cached_file *ts_cache_add(const ts_config *cfg, ts_repo_cache *c,
				    const ts_target *t, ts_cached_file *mine, ts_error *err)
{
	if (pthread_mutex_trylock(&c->mu) != 0)
		return mine;
	const ts_source *src = &mine->src;
	ts_cached_file *f = ts_memo_get(c->files, t->rel);
	if (!f) {
		f = ts_alloc(&c->arena, sizeof(*f));
		f->src = *src;
		f->src.text = ts_strndup(&c->arena, src->text, src->len);
		if (ts_parse_into(cfg, &c->arena, f, true, err) == 0)
			ts_memo_put(c->files, t->rel, f);
		else
			f = NULL;
	}
	pthread_mutex_unlock(&c->mu);
	return f;
}

static bool ts_usable(const ts_cached_file *f)
{
	return f && f->root && f->events.v;
}

/* load -> parse, or the cache's copy when a caller has read the file. A
 * file the cache holds only as an error is read again here, so that its
 * error is reported as the file's own. */
static int ts_read_input(const ts_config *cfg, ts_arena *a, const ts_target *t,
			 ts_repo_cache *cache, ts_input *in, ts_error *err)
{
	ts_cached_file *f = ts_cache_find(cache, t->rel);
	/* in the cache: a caller read it, or it was found callable below */
	in->callable = ts_usable(f);
	if (!in->callable) {
		bool known = f != NULL;
		f = ts_alloc(a, sizeof(*f));
		ts_load_opts lo = {cfg->max_size, t->root};
		if (ts_load(a, t->path, &lo, &f->src, err) < 0)
			return -1;
		in->callable = ts_callable(t, &f->src, cache);
		ts_cached_file *kept = !known && in->callable
			? ts_cache_add(cfg, cache, t, f, err) : f;
		if (!kept)
			return -1;
		if (ts_usable(kept))
			f = kept;
		else if (ts_parse_into(cfg, a, f, true, err) < 0)
			return -1;
	}
	in->src = &f->src;
	in->root = f->root;
	in->events = &f->events;
	return 0;
}

/* A workflow others may call is inferred once, for them and for itself:
 * the answer is shared through the repository cache. NULL: infer it. */
static const ts_inference *ts_infer_callable(const ts_infer_ctx *ic, const ts_target *t,
					     bool callable, const ts_workflow **wf)
{
	if (!callable || !t->rel)
		return NULL;
	ts_infer_ctx shared = *ic;
	shared.path = t->rel;
	return ts_infer_shared(&shared, wf);
}

/* infer -> plan, shared by ts_process and ts_plan_count. */
static int ts_analyse(const ts_config *cfg, ts_arena *a, const ts_target *t,
		      ts_repo_cache *cache, const ts_node *root, bool callable,
		      ts_file_result *r, ts_error *err)
{
	ts_workflow *wf = ts_alloc(a, sizeof(*wf));
	if (ts_workflow_read(a, root, wf, err) < 0) {
		r->status = TS_FILE_NOT_WORKFLOW;
		r->err = *err;
		return 1;
	}
	ts_reader *rd = ts_alloc(a, sizeof(*rd));
	rd->cfg = cfg;
	rd->arena = a;
	rd->root = t->root;
	rd->cache = cache;
	ts_infer_ctx ic = {.map = cfg->map, .arena = a, .read = ts_read_local, .read_ud = rd,
			   .path = t->display};
	if (cache) {
		ic.callees = cache->callees;
		ic.callee_arena = &cache->arena;
		ic.guard = ts_cache_guard;
		ic.scripts = cache->scripts;
	}
	const ts_workflow *used = wf;
	const ts_inference *inf = ts_infer_callable(&ic, t, callable, &used);
	if (!inf) {
		ts_inference *mine = ts_alloc(a, sizeof(*mine));
		ts_infer(&ic, wf, mine);
		inf = mine;
	}
	ts_plan *plan = ts_alloc(a, sizeof(*plan));
	ts_plan_make(a, cfg->map, r->src, used, inf, &cfg->plan, plan);
	r->wf = used;
	r->inf = inf;
	r->plan = plan;
	return 0;
}

static void ts_change(const ts_config *cfg, ts_arena *a, const ts_yevents *events,
		      ts_file_result *r)
{
	ts_spliced *sp = ts_alloc(a, sizeof(*sp));
	ts_splice(a, r->src->text, r->src->len, r->plan, sp);
	ts_error err;
	if (ts_verify(cfg->map, r->src->text, r->src->len, events, sp, r->plan, &err) < 0) {
		ts_result_error(r, &err, true);
		return;
	}
	r->status = TS_FILE_CHANGED;
	r->out_text = sp->text;
	r->out_len = sp->len;
	if (!cfg->write)
		return;
	if (r->src->symlink) {
		ts_fail(&err, 0, 0, "not written: it is reached through a symlink");
		ts_result_error(r, &err, false);
		return;
	}
	if (ts_emit_write(r->path, sp->text, sp->len, r->src->mode, &err) < 0) {
		ts_result_error(r, &err, false);
		return;
	}
	r->written = true;
}

void ts_process(const ts_config *cfg, ts_worker *w, const ts_target *t,
		ts_arena *a, ts_file_result *r, ts_repo_cache **used)
{
	ts_error err = {0, 0, ""};
	memset(r, 0, sizeof(*r));
	if (used)
		*used = NULL;
	r->path = t->path;
	r->display = t->display;
	r->root = t->root;
	r->path_no = t->path_no;
	r->map = cfg->map;
	if (t->error) {
		ts_fail(&err, 0, 0, "%s", t->error);
		ts_result_error(r, &err, false);
		return;
	}
	ts_repo_cache *cache = ts_cache_enter(w, t->root);
	if (used)
		*used = cache;
	else
		ts_cache_release(cache);
	ts_input in;
	if (ts_read_input(cfg, a, t, cache, &in, &err) < 0) {
		ts_result_error(r, &err, false);
		return;
	}
	r->src = in.src;
	int rc = ts_analyse(cfg, a, t, cache, in.root, in.callable, r, &err);
	if (rc < 0)
		ts_result_error(r, &err, false);
	if (rc != 0)
		return;
	if (r->plan->nins == 0) {
		r->status = TS_FILE_UNCHANGED;
		return;
	}
	ts_change(cfg, a, in.events, r);
}

int ts_plan_count(const ts_config *cfg, const char *path, const char *text,
		  size_t len, ts_error *err)
{
	ts_arena a = TS_ARENA_INIT;
	ts_cached_file f;
	memset(&f, 0, sizeof(f));
	ts_load_opts lo = {cfg->max_size, NULL};
	ts_target t = {.path = path, .display = path};
	ts_file_result r;
	memset(&r, 0, sizeof(r));
	r.src = &f.src;
	int n = -1;
	if (ts_load_bytes(path, text, len, &lo, &f.src, err) == 0 &&
	    ts_parse_into(cfg, &a, &f, false, err) == 0) {
		int rc = ts_analyse(cfg, &a, &t, NULL, f.root, false, &r, err);
		n = rc < 0 ? -1 : rc > 0 ? 0 : (int)r.plan->nins;
	}
	ts_arena_free(&a);
	return n;
}
