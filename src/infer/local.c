/*
 * local.c - actions and reusable workflows that live in the same
 * repository (`uses: ./...`). They are read through ctx->read (the driver
 * owns the files) and analysed as if their steps were the job's.
 */
#include "job.h"

#include "../memo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TS_LOCAL_DEPTH = 8 };

/* "./x/y/" -> "x/y"; "./" alone (its slash already trimmed) -> "" */
static const char *ts_rel_of(ts_arena *a, const char *uses, size_t len)
{
	const char *p = uses + 2;
	size_t n = len > 2 ? len - 2 : 0;
	while (n && p[n - 1] == '/')
		n--;
	return ts_strndup(a, p, n);
}

static const char *ts_rel(ts_jobctx *jc, const ts_use *u)
{
	return ts_rel_of(jc->ctx->arena, u->name, u->len);
}

static bool ts_on_stack(ts_jobctx *jc, const char *rel)
{
	for (int i = 0; i < jc->depth; i++)
		if (!strcmp(jc->stack[i], rel))
			return true;
	return false;
}

static const ts_node *ts_read_action(ts_jobctx *jc, const char *dir,
				     const char **file, ts_error *err)
{
	static const char *const names[] = {"action.yml", "action.yaml"};
	for (size_t i = 0; i < 2; i++) {
		*file = ts_sprintf(jc->ctx->arena, "%s/%s", dir, names[i]);
		ts_error e2;
		const ts_node *root = jc->ctx->read(jc->ctx->read_ud, *file, &e2);
		if (root)
			return root;
		*err = e2;
	}
	return NULL;
}

/* Inputs of a composite action: the caller's `with:`, else the default,
 * evaluated where the caller stands (so a `${{ github.token }}` default is
 * the token). */
static ts_env ts_action_inputs(ts_jobctx *jc, const ts_step *s,
			       const ts_node *inputs, const ts_env *env)
{
	ts_env e = {NULL, NULL, 0};
	inputs = ts_node_deref(inputs);
	if (!inputs || inputs->kind != TS_NODE_MAP)
		return e;
	ts_var *vars = ts_alloc_array(jc->ctx->arena, inputs->n ? inputs->n : 1, sizeof(*vars));
	const ts_node *with = ts_node_deref(s->with);
	for (size_t i = 0; i < inputs->n; i++) {
		const char *name = ts_node_str(inputs->keys[i]);
		vars[i].name = name ? name : "";
		const ts_node *given = NULL;
		for (size_t k = 0; with && with->kind == TS_NODE_MAP && k < with->n; k++)
			if (name && ts_node_str(with->keys[k]) &&
			    !strcasecmp(ts_node_str(with->keys[k]), name))
				given = ts_node_deref(with->vals[k]);
		const ts_node *dflt = ts_map_get(inputs->vals[i], "default");
		const ts_node *v = given ? given : dflt;
		vars[i].value = v ? ts_node_value(jc, v, env) : (ts_value){TS_VAL_TEXT, ""};
	}
	e.vars = vars;
	e.nvars = inputs->n;
	return e;
}

static void ts_composite_steps(ts_jobctx *jc, const ts_action_file *af,
			       const ts_env *inputs, const ts_env *env)
{
	const ts_env *saved_inputs = jc->expr.inputs;
	jc->expr.inputs = inputs;
	for (size_t i = 0; i < af->nsteps; i++) {
		const ts_step *cs = &af->stepv[i];
		ts_env senv = ts_env_eval(jc, cs->env, env);
		if (cs->uses)
			ts_uses_step(jc, cs, i, &senv);
		else if (cs->run)
			ts_run_step(jc, cs, &senv);
	}
	jc->expr.inputs = saved_inputs;
}

/* Does the token reach a non-composite local action? Through `with:`, the
 * env, or an input whose default in its action.yml is the token. */
static bool ts_local_gets_token(ts_jobctx *jc, const ts_step *s,
				const ts_env *inputs, const ts_env *env)
{
	for (size_t i = 0; i < inputs->nvars; i++)
		if (inputs->vars[i].value.kind != TS_VAL_TEXT)
			return true;
	(void)s;
	(void)jc;
	return ts_env_has_token(env);
}

void ts_local_action(ts_jobctx *jc, const ts_step *s, const ts_use *u,
		     const ts_env *env, const ts_reason *why)
{
	const ts_action_entry *e = ts_map_action(jc->ctx->map, u->name, u->len, -1);
	if (e) {
		ts_apply_entry(jc, s, (size_t)s->index, e, env, why);
		return;
	}
	const char *rel = ts_rel(jc, u);
	if (!jc->ctx->read) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "local action not read");
		return;
	}
	if (jc->depth >= TS_LOCAL_DEPTH || ts_on_stack(jc, rel)) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
			    "local actions nest too deeply or call themselves");
		return;
	}
	const char *file;
	ts_error err;
	const ts_node *root = ts_read_action(jc, rel, &file, &err);
	ts_action_file af;
	if (!root || ts_action_read(jc->ctx->arena, root, &af, &err) < 0) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "cannot read the local action: %s",
			    err.msg);
		return;
	}
	ts_env inputs = ts_action_inputs(jc, s, af.inputs, env);
	if (!af.using || strcasecmp(af.using, "composite")) {
		if (ts_local_gets_token(jc, s, &inputs, env))
			ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
				    "a local %s action receives GITHUB_TOKEN; describe it with --map",
				    af.using ? af.using : "non-composite");
		return;
	}
	const char *saved_file = jc->file;
	jc->stack[jc->depth++] = rel;
	jc->file = file;
	ts_composite_steps(jc, &af, &inputs, env);
	jc->file = saved_file;
	jc->depth--;
}

/* ------------------------------------------------------------------ */
/* Local reusable workflows                                            */

static void ts_callee_grants(ts_jobctx *jc, const ts_inference *inf,
			     const char *rel, const ts_reason *base)
{
	const ts_map *m = jc->ctx->map;
	for (size_t j = 0; j < inf->njobs; j++) {
		const ts_job_needs *cn = &inf->jobs[j];
		ts_level level[TS_MAX_SCOPES];
		const char *why = NULL;
		if (ts_job_levels(m, jc->ctx->arena, cn, level, &why) < 0) {
			ts_job_note(jc, TS_NOTE_UNRESOLVED, base, "called job `%s` in %s: %s",
				    cn->job->id, rel, why);
			continue;
		}
		for (int s = 0; s < ts_map_nscopes(m); s++) {
			if (!level[s])
				continue;
			ts_reason r = *base;
			r.what = ts_sprintf(jc->ctx->arena, "%s, job %s", base->what, cn->job->id);
			ts_alt alt = {(short)s, (unsigned char)level[s], 0};
			ts_req req = {&alt, 1};
			ts_needs needs = {&req, 1};
			ts_job_need(jc, &needs, false, &r);
		}
	}
}

/* ---- the call graph: which local workflows each one calls ----
 *
 * A called workflow is inferred on its own, as if it were the top file,
 * and the answer is kept for every caller in the repository: it depends
 * on nothing but the repository's files. Cycles and nesting are decided
 * on the call graph (the `jobs.<id>.uses: ./...` of each file, read from
 * the file alone), never on the order the files were met in, so output
 * cannot depend on which files a worker happened to see first. */

enum {
	TS_CALL_MAX_REACH = 256,    /* workflows one call may lead to */
	/* GitHub runs at most ten levels of workflows: a caller and nine
	 * levels of reusable workflows under it ("Nesting reusable
	 * workflows", docs.github.com, actions/how-tos/reuse-automations/
	 * reuse-workflows; four levels on GitHub Enterprise Server). */
	TS_CALL_MAX_LEVELS = 9,
};

/* What is known of one local workflow, kept in ctx->callees under its
 * path for every caller in the repository. */
typedef struct ts_callee_info {
	bool calls_read;
	const char **calls;     /* the local workflows its jobs call */
	size_t ncalls;
	int height;             /* longest chain of calls below, cycles cut;
				   -1 until measured */
	bool inferred;
	const ts_workflow *wf;          /* what inf was made from */
	const ts_inference *inf;        /* NULL when it cannot be read: err */
	ts_error err;
} ts_callee_info;

static ts_callee_info *ts_info(const ts_infer_ctx *ctx, const char *rel)
{
	ts_callee_info *ci = ts_memo_get(ctx->callees, rel);
	if (!ci) {
		ci = ts_alloc(ctx->callee_arena, sizeof(*ci));
		ci->height = -1;
		ts_memo_put(ctx->callees, rel, ci);
	}
	return ci;
}

/* The local workflows `rel` calls, from its jobs' `uses:` alone. An
 * unreadable file calls nothing here; the call to it says why. */
static const ts_callee_info *ts_calls_of(const ts_infer_ctx *ctx, const char *rel)
{
	ts_callee_info *ci = ts_info(ctx, rel);
	if (ci->calls_read)
		return ci;
	ci->calls_read = true;
	ts_error err;
	const ts_node *root = ctx->read(ctx->read_ud, rel, &err);
	ts_workflow wf;
	if (!root || ts_workflow_read(ctx->callee_arena, root, &wf, &err) < 0)
		return ci;
	ci->calls = ts_alloc_array(ctx->callee_arena, wf.njobs + 1, sizeof(*ci->calls));
	for (size_t i = 0; i < wf.njobs; i++) {
		const char *uses = ts_node_str(wf.jobv[i].uses.value);
		if (!wf.jobv[i].uses.key || !uses || strstr(uses, "${{"))
			continue;
		ts_use u;
		ts_use_parse(uses, &u);
		if (u.local)
			ci->calls[ci->ncalls++] = ts_rel_of(ctx->callee_arena, u.name, u.len);
	}
	return ci;
}

typedef struct ts_reach {
	const char *seen[TS_CALL_MAX_REACH];
	size_t n;
	bool overflow;
} ts_reach;

static bool ts_reach_has(const ts_reach *r, const char *rel)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->seen[i], rel))
			return true;
	return false;
}

static void ts_reach_add(ts_reach *r, const char *rel)
{
	if (ts_reach_has(r, rel))
		return;
	if (r->n == TS_CALL_MAX_REACH)
		r->overflow = true;
	else
		r->seen[r->n++] = rel;
}

/* Every workflow reachable from `rel` by calls, `rel` included. */
static void ts_reach_from(const ts_infer_ctx *ctx, const char *rel, ts_reach *r)
{
	r->n = 0;
	r->overflow = false;
	ts_reach_add(r, rel);
	for (size_t i = 0; i < r->n && !r->overflow; i++) {
		const ts_callee_info *ci = ts_calls_of(ctx, r->seen[i]);
		for (size_t k = 0; k < ci->ncalls; k++)
			ts_reach_add(r, ci->calls[k]);
	}
}

/* The longest chain of calls below `rel`, leaving out calls that lead
 * back to their caller (refused where they are made). Each step goes to
 * a workflow that cannot reach back, so the recursion ends, and no deeper
 * than the TS_CALL_MAX_REACH workflows ts_call_workflow allowed. */
static int ts_height(const ts_infer_ctx *ctx, const char *rel)
{
	ts_callee_info *ci = (ts_callee_info *)ts_calls_of(ctx, rel);
	if (ci->height >= 0)
		return ci->height;
	int h = 0;
	ts_reach *r = malloc(sizeof(*r));  /* not on the stack: this recurses */
	if (!r)
		abort();
	for (size_t k = 0; k < ci->ncalls; k++) {
		ts_reach_from(ctx, ci->calls[k], r);
		if (r->overflow || ts_reach_has(r, rel))
			continue;
		int below = ts_height(ctx, ci->calls[k]) + 1;
		if (below > h)
			h = below;
	}
	free(r);
	ci->height = h;
	return h;
}

/* Infers a called workflow on its own, as a top file, once for all its
 * callers. */
static const ts_inference *ts_callee(const ts_infer_ctx *ctx, const char *rel,
				     ts_error *err)
{
	ts_callee_info *ci = ts_info(ctx, rel);
	if (!ci->inferred) {
		ci->inferred = true;
		const ts_node *root = ctx->read(ctx->read_ud, rel, &ci->err);
		ts_workflow *wf = ts_alloc(ctx->callee_arena, sizeof(*wf));
		if (root && ts_workflow_read(ctx->callee_arena, root, wf, &ci->err) == 0) {
			ts_infer_ctx sub = *ctx;
			sub.arena = ctx->callee_arena;
			sub.path = rel;
			ts_inference *inf = ts_alloc(sub.arena, sizeof(*inf));
			ts_infer(&sub, wf, inf);
			ci->wf = wf;
			ci->inf = inf;
		}
	}
	if (!ci->inf)
		*err = ci->err;
	return ci->inf;
}

static void ts_call_guarded(ts_jobctx *jc, const ts_use *u, const ts_reason *why);

void ts_call_workflow(ts_jobctx *jc, const ts_use *u, const ts_reason *why)
{
	const ts_infer_ctx *ctx = jc->ctx;
	if (!ctx->guard || ctx->guard(ctx->read_ud, true)) {
		ts_call_guarded(jc, u, why);
		if (ctx->guard)
			ctx->guard(ctx->read_ud, false);
		return;
	}
	/* the shared callees are busy: work them out in this file's arena,
	 * remembered for the rest of this file */
	ts_infer_ctx own = *ctx;
	own.guard = NULL;
	own.scripts = NULL;     /* shared under the guard too */
	own.callees = ctx->own_callees;
	own.callee_arena = ctx->arena;
	jc->ctx = &own;
	ts_call_guarded(jc, u, why);
	jc->ctx = ctx;
}

/* Everything below works on ctx->callees and callee_arena, which other
 * threads may share: ts_call_workflow holds the guard around it. */
static void ts_call_guarded(ts_jobctx *jc, const ts_use *u, const ts_reason *why)
{
	const ts_infer_ctx *ctx = jc->ctx;
	const char *rel = ts_rel(jc, u);
	if (!ctx->read) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "called workflow not read");
		return;
	}
	ts_reach r;
	ts_reach_from(ctx, rel, &r);
	if (r.overflow) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
			    "the called workflow leads to more than %d others",
			    TS_CALL_MAX_REACH);
		return;
	}
	if (ctx->path && ts_reach_has(&r, ctx->path)) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
			    "the called workflow calls back into this one (a cycle)");
		return;
	}
	if (ts_height(ctx, rel) + 1 > TS_CALL_MAX_LEVELS) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
			    "called workflows nest deeper than the %d levels GitHub runs under "
			    "a caller", TS_CALL_MAX_LEVELS);
		return;
	}
	ts_error err;
	const ts_inference *inf = ts_callee(ctx, rel, &err);
	if (!inf) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "cannot read the called workflow: %s",
			    err.msg);
		return;
	}
	ts_callee_grants(jc, inf, rel, why);
}

const ts_inference *ts_infer_shared(const ts_infer_ctx *ctx, const ts_workflow **wf)
{
	if (!ctx->callees || !ctx->path || !ctx->read ||
	    (ctx->guard && !ctx->guard(ctx->read_ud, true)))
		return NULL;
	ts_error err;
	const ts_inference *inf = ts_callee(ctx, ctx->path, &err);
	*wf = inf ? ts_info(ctx, ctx->path)->wf : NULL;
	if (ctx->guard)
		ctx->guard(ctx->read_ud, false);
	return inf;
}
