/*
 * local.c - actions and reusable workflows that live in the same
 * repository (`uses: ./...`). They are read through ctx->read (the driver
 * owns the files) and analysed as if their steps were the job's.
 */
#include "job.h"

#include "../memo.h"

#include <string.h>
#include <strings.h>

enum { TS_LOCAL_DEPTH = 8 };

/* "./x/y/" -> "x/y"; "./" alone (its slash already trimmed) -> "" */
static const char *ts_rel(ts_jobctx *jc, const ts_use *u)
{
	const char *p = u->name + 2;
	size_t n = u->len > 2 ? u->len - 2 : 0;
	while (n && p[n - 1] == '/')
		n--;
	return ts_strndup(jc->ctx->arena, p, n);
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

/* Infers a called workflow, once per file when a memo is given: it does
 * not depend on its caller (inputs.* stay unknown), so the file's callers
 * share the result. */
static const ts_inference *ts_callee(ts_jobctx *jc, const char *rel, ts_error *err)
{
	const ts_infer_ctx *ctx = jc->ctx;
	const char *key = ts_sprintf(ctx->arena, "call:%s", rel);
	ts_inference *inf = ctx->memo ? ts_memo_get(ctx->memo, key) : NULL;
	if (inf)
		return inf;
	ts_infer_ctx sub = *ctx;
	const ts_node *root = ctx->read(ctx->read_ud, rel, err);
	ts_workflow *wf = ts_alloc(sub.arena, sizeof(*wf));
	if (!root || ts_workflow_read(sub.arena, root, wf, err) < 0)
		return NULL;
	sub.depth++;
	sub.path = rel;
	sub.caller = ctx;
	inf = ts_alloc(sub.arena, sizeof(*inf));
	ts_infer(&sub, wf, inf);
	if (ctx->memo)
		ts_memo_put(ctx->memo, key, inf);
	return inf;
}

void ts_call_workflow(ts_jobctx *jc, const ts_use *u, const ts_reason *why)
{
	const char *rel = ts_rel(jc, u);
	if (!jc->ctx->read) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "called workflow not read");
		return;
	}
	for (const ts_infer_ctx *c = jc->ctx; c; c = c->caller)
		if (c->path && !strcmp(c->path, rel)) {
			ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "the called workflow calls itself");
			return;
		}
	/* Jobs fan out: many jobs calling many workflows could multiply, so
	 * one file may read only so many called workflows in all. */
	if (jc->ctx->depth >= TS_LOCAL_DEPTH || (jc->ctx->budget && *jc->ctx->budget == 0)) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "called workflows nest too deeply");
		return;
	}
	if (jc->ctx->budget)
		(*jc->ctx->budget)--;
	ts_error err;
	const ts_inference *inf = ts_callee(jc, rel, &err);
	if (!inf) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "cannot read the called workflow: %s",
			    err.msg);
		return;
	}
	ts_callee_grants(jc, inf, rel, why);
}
