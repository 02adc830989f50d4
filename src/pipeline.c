/* pipeline.c - see pipeline.h. */
#include "pipeline.h"

#include "memo.h"
#include "splice.h"
#include "verify.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct ts_repo_cache {
	char *root;
	ts_arena arena;
	ts_memo *files;         /* rel -> ts_cached_file */
	ts_memo *callees;       /* rel -> what infer knows of a called workflow */
	atomic_int refs;
};

typedef struct ts_cached_file {
	const ts_node *root;
	ts_error err;
} ts_cached_file;

void ts_cache_release(ts_repo_cache *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	ts_arena_free(&c->arena);
	free(c->root);
	free(c);
}

void ts_worker_done(ts_worker *w)
{
	if (w && w->cache) {
		ts_cache_release(w->cache);
		w->cache = NULL;
	}
}

/* The worker's cache for `root`, made anew when the worker moves on to
 * another repository; one more hold is taken for the caller. */
static ts_repo_cache *ts_cache_enter(ts_worker *w, const char *root)
{
	if (!w || !root)
		return NULL;
	if (!w->cache || strcmp(w->cache->root, root)) {
		ts_worker_done(w);
		ts_repo_cache *c = calloc(1, sizeof(*c));
		if (!c)
			abort();
		c->root = strdup(root);
		if (!c->root)
			abort();
		c->files = ts_memo_new(&c->arena);
		c->callees = ts_memo_new(&c->arena);
		atomic_init(&c->refs, 1);
		w->cache = c;
	}
	atomic_fetch_add(&w->cache->refs, 1);
	return w->cache;
}

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

static const ts_node *ts_parse_local(const ts_config *cfg, ts_arena *a,
				     const char *root, const char *rel, ts_error *err)
{
	ts_load_opts lo = {cfg->max_size, root};
	ts_parse_opts po = {.max_depth = cfg->max_depth};
	ts_source src;
	const ts_node *node;
	const char *path = ts_sprintf(a, "%s/%s", root, rel);
	if (ts_load(a, path, &lo, &src, err) < 0 ||
	    ts_parse(a, src.text, src.len, &po, &node, err) < 0) {
		ts_error_prefix(err, "%s: ", rel);
		return NULL;
	}
	return node;
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
	if (!rd->cache)
		return ts_parse_local(rd->cfg, rd->arena, rd->root, rel, err);
	ts_cached_file *f = ts_memo_get(rd->cache->files, rel);
	if (!f) {
		f = ts_alloc(&rd->cache->arena, sizeof(*f));
		f->root = ts_parse_local(rd->cfg, &rd->cache->arena, rd->root, rel, &f->err);
		ts_memo_put(rd->cache->files, rel, f);
	}
	if (!f->root)
		*err = f->err;
	return f->root;
}

static void ts_result_error(ts_file_result *r, const ts_error *err, bool internal)
{
	r->status = TS_FILE_ERROR;
	r->err = *err;
	r->internal = internal;
}

/* parse -> infer -> plan, shared by ts_process and ts_plan_count. The
 * input's events are recorded in `events` for verify. */
static int ts_analyse(const ts_config *cfg, ts_arena *a, const ts_target *t,
		      ts_repo_cache *cache, ts_file_result *r, ts_yevents *events,
		      ts_error *err)
{
	ts_parse_opts po = {.max_depth = cfg->max_depth, .events = events};
	const ts_node *root;
	if (ts_parse(a, r->src->text, r->src->len, &po, &root, err) < 0)
		return -1;
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
	}
	ts_inference *inf = ts_alloc(a, sizeof(*inf));
	ts_infer(&ic, wf, inf);
	ts_plan *plan = ts_alloc(a, sizeof(*plan));
	ts_plan_make(a, cfg->map, r->src, wf, inf, &cfg->plan, plan);
	r->wf = wf;
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
	r->map = cfg->map;
	if (t->error) {
		ts_fail(&err, 0, 0, "%s", t->error);
		ts_result_error(r, &err, false);
		return;
	}
	ts_source *src = ts_alloc(a, sizeof(*src));
	ts_load_opts lo = {cfg->max_size, t->root};
	if (ts_load(a, t->path, &lo, src, &err) < 0) {
		ts_result_error(r, &err, false);
		return;
	}
	r->src = src;
	ts_repo_cache *cache = ts_cache_enter(w, t->root);
	if (used)
		*used = cache;
	else
		ts_cache_release(cache);
	ts_yevents *events = ts_alloc(a, sizeof(*events));
	int rc = ts_analyse(cfg, a, t, cache, r, events, &err);
	if (rc < 0)
		ts_result_error(r, &err, false);
	if (rc != 0)
		return;
	if (r->plan->nins == 0) {
		r->status = TS_FILE_UNCHANGED;
		return;
	}
	ts_change(cfg, a, events, r);
}

int ts_plan_count(const ts_config *cfg, const char *path, const char *text,
		  size_t len, ts_error *err)
{
	ts_arena a = TS_ARENA_INIT;
	ts_source src;
	ts_load_opts lo = {cfg->max_size, NULL};
	ts_target t = {path, NULL, path, NULL};
	ts_file_result r;
	memset(&r, 0, sizeof(r));
	r.src = &src;
	int n = -1;
	if (ts_load_bytes(path, text, len, &lo, &src, err) == 0) {
		int rc = ts_analyse(cfg, &a, &t, NULL, &r, NULL, err);
		n = rc < 0 ? -1 : rc > 0 ? 0 : (int)r.plan->nins;
	}
	ts_arena_free(&a);
	return n;
}
