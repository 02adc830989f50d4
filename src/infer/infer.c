/*
 * infer.c - the walk over each job's steps, and turning map needs into the
 * job's grants (see infer.h).
 */
#include "job.h"

#include "shell.h"

#include "../memo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Reasons and notes                                                   */

/* `"` + text[0, n) + tail + `"`, in the arena. Made by hand: a label is
 * made for every step a reason names, and printf costs more than the
 * rest of the reason. */
static const char *ts_quoted(ts_arena *a, const char *text, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	char *out = ts_alloc(a, n + t + 3);
	out[0] = '"';
	memcpy(out + 1, text, n);
	memcpy(out + 1 + n, tail, t);
	out[1 + n + t] = '"';
	return out;
}

static const char *ts_step_label(ts_jobctx *jc, const ts_step *s)
{
	const char *name = ts_node_str(s->name);
	if (name && *name) {
		size_t n = strlen(name);
		/* A name is for people; keep the comment one short line. */
		if (n > 40) {
			/* cut on a character boundary: the comment must stay UTF-8 */
			size_t cut = 37;
			while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
				cut--;
			return ts_quoted(jc->ctx->arena, name, cut, "...");
		}
		if (!strchr(name, '\n') && !strstr(name, "${{"))
			return ts_quoted(jc->ctx->arena, name, n, "");
	}
	char num[24];
	int len = snprintf(num, sizeof(num), "step %d", s->index + 1);
	return ts_strndup(jc->ctx->arena, num, (size_t)len);
}

ts_reason ts_step_reason(ts_jobctx *jc, const ts_step *s, const char *what,
			 int line)
{
	ts_reason r = {what, s ? ts_step_label(jc, s) : NULL, line, jc->file,
		       {NULL, 0, NULL}};
	return r;
}

void ts_job_note(ts_jobctx *jc, ts_note_kind kind, const ts_reason *at,
		 const char *fmt, ...)
{
	ts_job_needs *o = jc->out;
	o->notes = ts_grow(jc->ctx->arena, o->notes, &o->cap_notes, o->nnotes + 1,
			   sizeof(*o->notes));
	ts_note *n = &o->notes[o->nnotes++];
	n->kind = kind;
	n->at = *at;
	va_list ap;
	va_start(ap, fmt);
	n->text = ts_vsprintf(jc->ctx->arena, fmt, ap);
	va_end(ap);
	if (kind == TS_NOTE_UNRESOLVED)
		o->resolved = false;
}

/* ------------------------------------------------------------------ */
/* Needs                                                               */

static void ts_add_grant(ts_jobctx *jc, int scope, ts_level level,
			 const ts_reason *why)
{
	ts_job_needs *o = jc->out;
	o->all = ts_grow(jc->ctx->arena, o->all, &o->cap_all, o->nall + 1,
			 sizeof(*o->all));
	ts_grant *g = &o->all[o->nall++];
	memset(g, 0, sizeof(*g));
	g->scope = scope;
	g->level = level;
	g->why = *why;
}

static void ts_impossible(ts_jobctx *jc, const ts_req *req, const ts_reason *why)
{
	const ts_map *m = jc->ctx->map;
	const ts_alt *a = &req->alts[0];
	ts_job_note(jc, TS_NOTE_IMPOSSIBLE, why,
		    "needs `%s: %s`, which GITHUB_TOKEN can never have. %s",
		    ts_map_never_name(m, a->scope), ts_level_name(a->level),
		    ts_map_never_advice(m, a->scope));
}

void ts_job_need(ts_jobctx *jc, const ts_needs *needs, bool pr_number,
		 const ts_reason *why)
{
	for (unsigned i = 0; i < needs->nreqs; i++) {
		const ts_req *req = &needs->reqs[i];
		const ts_alt *only = NULL;
		unsigned grantable = 0;
		for (unsigned k = 0; k < req->nalts; k++)
			if (!req->alts[k].never) {
				grantable++;
				only = &req->alts[k];
			}
		if (grantable == 0) {
			ts_impossible(jc, req, why);
		} else if (grantable == 1) {
			ts_add_grant(jc, only->scope, only->level, why);
		} else {
			jc->choices = ts_grow(jc->ctx->arena, jc->choices, &jc->cap_choices,
					      jc->nchoices + 1, sizeof(*jc->choices));
			ts_choice c = {req, pr_number, *why};
			jc->choices[jc->nchoices++] = c;
		}
	}
}

static ts_level ts_granted(const ts_jobctx *jc, int scope)
{
	ts_level l = TS_LEVEL_NONE;
	for (size_t i = 0; i < jc->out->nall; i++)
		if (jc->out->all[i].scope == scope && jc->out->all[i].level > l)
			l = jc->out->all[i].level;
	return l;
}

/* An alternative the job already has wins; then pull-requests for a call on
 * a pull request, and otherwise the first that is not pull-requests (an
 * issue-comment endpoint on an issue takes `issues`). */
static const ts_alt *ts_choose(const ts_jobctx *jc, const ts_choice *c)
{
	const ts_map *m = jc->ctx->map;
	const ts_alt *first = NULL, *pr = NULL, *other = NULL;
	for (unsigned k = 0; k < c->req->nalts; k++) {
		const ts_alt *a = &c->req->alts[k];
		if (a->never)
			continue;
		if (ts_granted(jc, a->scope) >= (ts_level)a->level)
			return a;
		bool is_pr = !strcmp(ts_map_scope_name(m, a->scope), "pull-requests");
		if (!first)
			first = a;
		if (is_pr && !pr)
			pr = a;
		if (!is_pr && !other)
			other = a;
	}
	if (c->pr_number && pr)
		return pr;
	return other ? other : first;
}

/* Per scope, the highest level and the first reason for it. */
static void ts_collect_grants(ts_jobctx *jc)
{
	ts_job_needs *o = jc->out;
	for (size_t i = 0; i < jc->nchoices; i++) {
		const ts_alt *a = ts_choose(jc, &jc->choices[i]);
		ts_add_grant(jc, a->scope, a->level, &jc->choices[i].why);
	}
	int ns = ts_map_nscopes(jc->ctx->map);
	o->grants = ts_alloc_array(jc->ctx->arena, (size_t)ns + 1, sizeof(*o->grants));
	for (int s = 0; s < ns; s++) {
		ts_grant *best = NULL;
		unsigned at_level = 0;
		for (size_t i = 0; i < o->nall; i++) {
			ts_grant *g = &o->all[i];
			if (g->scope != s)
				continue;
			if (!best || g->level > best->level) {
				best = g;
				at_level = 0;
			}
			at_level += g->level == best->level;
		}
		if (best) {
			o->grants[o->ngrants] = *best;
			o->grants[o->ngrants].more = at_level - 1;
			o->ngrants++;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Env                                                                 */

ts_env ts_env_eval(ts_jobctx *jc, const ts_node *map, const ts_env *parent)
{
	ts_env e = {parent, NULL, 0};
	map = ts_node_deref(map);
	if (!map)
		return e;
	ts_expr_ctx x = jc->expr;
	x.env = parent;
	if (map->kind != TS_NODE_MAP) {
		/* `env: ${{ fromJSON(...) }}` may hold anything, the token too. */
		ts_var *v = ts_alloc(jc->ctx->arena, sizeof(*v));
		v->name = "*";
		v->value.kind = TS_VAL_UNKNOWN;
		v->value.text = ts_node_str(map) ? ts_node_str(map) : "";
		e.vars = v;
		e.nvars = 1;
		return e;
	}
	ts_var *vars = ts_alloc_array(jc->ctx->arena, map->n ? map->n : 1, sizeof(*vars));
	for (size_t i = 0; i < map->n; i++) {
		const ts_node *k = ts_node_deref(map->keys[i]);
		const ts_node *v = ts_node_deref(map->vals[i]);
		vars[i].name = k && k->kind == TS_NODE_SCALAR ? k->text : "";
		if (v && v->kind == TS_NODE_SCALAR)
			vars[i].value = ts_expr_subst(&x, v->text, v->len);
		else
			vars[i].value = (ts_value){TS_VAL_UNKNOWN, ""};
		if (vars[i].value.kind == TS_VAL_UNKNOWN)
			vars[i].credential = ts_sh_credential_like(
				vars[i].name, strlen(vars[i].name), vars[i].value.text) ? 2 : 1;
	}
	e.vars = vars;
	e.nvars = map->n;
	return e;
}

/* ------------------------------------------------------------------ */
/* run: steps                                                          */

void ts_findings_apply(ts_jobctx *jc, const ts_findings *f, const ts_step *s)
{
	const ts_map *m = jc->ctx->map;
	for (size_t i = 0; i < f->n; i++) {
		const ts_finding *x = &f->items[i];
		ts_reason why = ts_step_reason(jc, s, x->what, x->line);
		why.origin = x->origin;
		switch (x->kind) {
		case TS_FIND_UNKNOWN:
			ts_job_note(jc, TS_NOTE_UNRESOLVED, &why, "%s", x->why ? x->why : x->what);
			break;
		case TS_FIND_LOGIN:
			jc->registry_login = true;
			ts_job_need(jc, &x->needs, x->pr_number, &why);
			break;
		case TS_FIND_IMAGE_PUSH:
			if (jc->registry_login) {
				const ts_named_entry *e = ts_map_fact(m, "registry-push");
				if (e) {
					why.origin = e->origin;
					ts_job_need(jc, &e->needs, false, &why);
				}
			}
			break;
		case TS_FIND_NEED:
			ts_job_need(jc, &x->needs, x->pr_number, &why);
			break;
		}
	}
}

static const char *ts_shell_of(ts_jobctx *jc, const ts_step *s)
{
	const char *sh = ts_node_str(s->shell);
	return sh ? sh : jc->default_shell;
}

void ts_run_step(ts_jobctx *jc, const ts_step *s, const ts_env *env)
{
	const ts_node *run = ts_node_deref(s->run);
	if (!run || run->kind != TS_NODE_SCALAR) {
		ts_reason why = ts_step_reason(jc, s, "run", s->run ? s->run->line : 0);
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why, "`run:` is not a script");
		return;
	}
	ts_expr_ctx x = jc->expr;
	x.env = env;
	const ts_infer_ctx *ic = jc->ctx;
	ts_script_cache repo = {ic->scripts, ic->callee_arena, ic->guard, ic->read_ud};
	ts_run_ctx rc = {
		.map = jc->ctx->map, .arena = jc->ctx->arena, .expr = &x,
		.script = run->text, .len = run->len, .line = run->line,
		.shell = ts_shell_of(jc, s), .git_credentials = jc->git_credentials,
		.pull_request = jc->pull_request, .parsed = jc->scripts,
		.repo = ic->scripts ? &repo : NULL,
	};
	ts_findings f = {NULL, 0, 0};
	ts_run_analyze(&rc, &f);
	ts_findings_apply(jc, &f, s);
}

/* ------------------------------------------------------------------ */
/* Jobs                                                                */

static bool ts_on_has(const ts_node *on, const char *prefix, bool exact)
{
	on = ts_node_deref(on);
	if (!on)
		return false;
	size_t pl = strlen(prefix);
	if (on->kind == TS_NODE_SCALAR)
		return exact ? ts_streq(on->text, on->len, prefix) : !strncmp(on->text, prefix, pl);
	const ts_node *const *items = on->kind == TS_NODE_MAP ? (const ts_node *const *)on->keys
							      : (const ts_node *const *)on->vals;
	for (size_t i = 0; i < on->n; i++) {
		const char *t = ts_node_str(items[i]);
		if (t && (exact ? !strcmp(t, prefix) : !strncmp(t, prefix, pl)))
			return true;
	}
	return false;
}

static const char *ts_defaults_shell(const ts_node *defaults)
{
	return ts_node_str(ts_map_get(ts_map_get(defaults, "run"), "shell"));
}

/* GitHub runs `run:` with pwsh on Windows runners unless a shell is set.
 * Only a literal label says so; an expression could be any runner. */
static bool ts_windows_runner(const ts_node *runs_on)
{
	runs_on = ts_node_deref(runs_on);
	if (!runs_on)
		return false;
	if (runs_on->kind == TS_NODE_SCALAR)
		return !strstr(runs_on->text, "${{") && strcasestr(runs_on->text, "windows");
	if (runs_on->kind != TS_NODE_SEQ)
		return false;
	for (size_t i = 0; i < runs_on->n; i++) {
		const char *label = ts_node_str(runs_on->vals[i]);
		if (label && strcasestr(label, "windows") && !strstr(label, "${{"))
			return true;
	}
	return false;
}

static void ts_job_steps(ts_jobctx *jc)
{
	const ts_job *j = jc->job;
	for (size_t i = 0; i < j->nsteps; i++) {
		const ts_step *s = &j->stepv[i];
		ts_env env = ts_env_eval(jc, s->env, &jc->job_env);
		if (s->uses)
			ts_uses_step(jc, s, i, &env);
		else if (s->run)
			ts_run_step(jc, s, &env);
	}
}

/* What every job of a workflow shares: its env, which no job-level
 * context can change, evaluated once, and the scripts parsed so far. */
typedef struct ts_wf_shared {
	ts_env env;
	ts_memo *scripts;
} ts_wf_shared;

static void ts_infer_job(const ts_infer_ctx *ctx, const ts_workflow *wf,
			 const ts_job *job, const ts_wf_shared *sh, ts_job_needs *out)
{
	ts_jobctx jc;
	memset(&jc, 0, sizeof(jc));
	jc.ctx = ctx;
	jc.wf = wf;
	jc.job = job;
	jc.out = out;
	jc.scripts = sh->scripts;
	out->job = job;
	out->resolved = true;
	jc.expr.arena = ctx->arena;
	jc.wf_env = sh->env;
	jc.job_env = ts_env_eval(&jc, job->env.value, &jc.wf_env);
	jc.expr.env = &jc.job_env;
	jc.pull_request = ts_on_has(wf->on.value, "pull_request", false);
	jc.default_shell = ts_defaults_shell(job->defaults.value);
	if (!jc.default_shell)
		jc.default_shell = ts_defaults_shell(wf->defaults.value);
	if (!jc.default_shell && ts_windows_runner(job->runs_on.value))
		jc.default_shell = "pwsh";
	jc.secret_steps = ts_secret_steps(&jc);
	jc.expr.secret_steps = jc.secret_steps;
	if (job->value && job->value->kind == TS_NODE_MAP) {
		ts_uses_job(&jc);
		ts_job_steps(&jc);
	}
	ts_collect_grants(&jc);
}

/* ------------------------------------------------------------------ */
/* Permission blocks                                                   */

int ts_permissions_read(const ts_map *map, const ts_node *value,
			ts_level level[TS_MAX_SCOPES])
{
	int ns = ts_map_nscopes(map);
	memset(level, 0, sizeof(ts_level) * TS_MAX_SCOPES);
	value = ts_node_deref(value);
	if (!value)
		return -1;
	if (value->kind == TS_NODE_SCALAR) {
		ts_level all = ts_node_is(value, "read-all") ? TS_LEVEL_READ
			       : ts_node_is(value, "write-all") ? TS_LEVEL_WRITE
								: TS_LEVEL_NONE;
		if (all == TS_LEVEL_NONE)
			return -1;
		for (int s = 0; s < ns; s++)
			level[s] = ts_map_scope_allows(map, s, all) ? all
				   : ts_map_scope_allows(map, s, TS_LEVEL_READ) ? TS_LEVEL_READ
										 : TS_LEVEL_NONE;
		return 0;
	}
	if (value->kind != TS_NODE_MAP)
		return -1;
	for (size_t i = 0; i < value->n; i++) {
		const char *k = ts_node_str(value->keys[i]);
		const char *v = ts_node_str(value->vals[i]);
		int s = k ? ts_map_scope_find(map, k, strlen(k)) : -1;
		if (!v)
			return -1;
		if (s < 0)
			continue;   /* metadata, or a scope newer than the map */
		if (!strcmp(v, "read"))
			level[s] = TS_LEVEL_READ;
		else if (!strcmp(v, "write"))
			level[s] = TS_LEVEL_WRITE;
		else if (strcmp(v, "none"))
			return -1;
	}
	return 0;
}

int ts_job_levels(const ts_map *map, ts_arena *a, const ts_job_needs *jn,
		  ts_level level[TS_MAX_SCOPES], const char **why)
{
	memset(level, 0, sizeof(ts_level) * TS_MAX_SCOPES);
	if (jn->job->permissions.key) {
		if (ts_permissions_read(map, jn->job->permissions.value, level) == 0)
			return 0;
		if (why)
			*why = "its `permissions:` cannot be read";
		return -1;
	}
	if (!jn->resolved) {
		/* the last note that left it unresolved says why */
		size_t i = jn->nnotes;
		while (i > 0 && jn->notes[i - 1].kind != TS_NOTE_UNRESOLVED)
			i--;
		if (why)
			*why = i ? ts_sprintf(a, "%s: %s", jn->notes[i - 1].at.what,
					      jn->notes[i - 1].text)
				 : "its needs cannot be proven";
		return -1;
	}
	for (size_t i = 0; i < jn->ngrants; i++)
		level[jn->grants[i].scope] = jn->grants[i].level;
	return 0;
}

/* The union of what every job asks of a caller. */
static void ts_callers(const ts_infer_ctx *ctx, ts_inference *out)
{
	out->callers_known = true;
	for (size_t i = 0; i < out->njobs; i++) {
		ts_level level[TS_MAX_SCOPES];
		if (ts_job_levels(ctx->map, ctx->arena, &out->jobs[i], level, NULL) < 0) {
			out->callers_known = false;
			continue;
		}
		for (int s = 0; s < TS_MAX_SCOPES; s++)
			if (level[s] > out->callers[s])
				out->callers[s] = level[s];
	}
}

int ts_infer(const ts_infer_ctx *ctx, const ts_workflow *wf, ts_inference *out)
{
	ts_infer_ctx own;
	if (!ctx->callees || !ctx->own_callees) {
		own = *ctx;
		own.own_callees = ctx->own_callees ? ctx->own_callees : ts_memo_new(ctx->arena);
		if (!ctx->callees) {
			own.callee_arena = ctx->arena;
			own.callees = own.own_callees;
		}
		ctx = &own;
	}
	memset(out, 0, sizeof(*out));
	out->njobs = wf->njobs;
	out->jobs = ts_alloc_array(ctx->arena, wf->njobs ? wf->njobs : 1, sizeof(*out->jobs));
	out->has_top = wf->permissions.key != NULL;
	out->top_known = out->has_top &&
			 ts_permissions_read(ctx->map, wf->permissions.value, out->top) == 0;
	out->workflow_call = ts_on_has(wf->on.value, "workflow_call", true);
	ts_jobctx top;          /* before any job: no inputs, no steps */
	memset(&top, 0, sizeof(top));
	top.ctx = ctx;
	top.wf = wf;
	top.expr.arena = ctx->arena;
	ts_wf_shared sh = {ts_env_eval(&top, wf->env.value, NULL), ts_memo_new(ctx->arena)};
	for (size_t i = 0; i < wf->njobs; i++)
		ts_infer_job(ctx, wf, &wf->jobv[i], &sh, &out->jobs[i]);
	if (out->workflow_call)
		ts_callers(ctx, out);
	return 0;
}
