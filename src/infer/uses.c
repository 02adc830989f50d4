/*
 * uses.c - `uses:` steps and job-level `uses:` (reusable workflows): the
 * knowledge base, local composite actions and local called workflows.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "job.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TS_MAX_NESTING = 8 };

void ts_use_parse(const char *s, ts_use *u)
{
	memset(u, 0, sizeof(*u));
	u->name = s;
	u->major = -1;
	u->local = s[0] == '.' && (s[1] == '/' || s[1] == '\\');
	u->docker = !strncmp(s, "docker://", 9);
	const char *at = strchr(s, '@');
	u->len = at ? (size_t)(at - s) : strlen(s);
	while (u->len && u->name[u->len - 1] == '/')
		u->len--;
	u->ref = at ? at + 1 : "";
	const char *r = u->ref;
	if (*r == 'v' || *r == 'V')
		r++;
	/* A 40-hex SHA or a branch is not a version; v4, v4.1.2 and 4 are. */
	if (isdigit((unsigned char)*r) && strlen(u->ref) < 20)
		u->major = atoi(r);
}

/* ------------------------------------------------------------------ */
/* Inputs                                                              */

static const ts_node *ts_with_node(const ts_node *with, const char *name)
{
	with = ts_node_deref(with);
	if (!with || with->kind != TS_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < with->n; i++) {
		const char *k = ts_node_str(with->keys[i]);
		if (k && !strcasecmp(k, name))   /* input names ignore case */
			return ts_node_deref(with->vals[i]);
	}
	return NULL;
}

ts_value ts_node_value(ts_jobctx *jc, const ts_node *n, const ts_env *env)
{
	ts_expr_ctx x = jc->expr;
	x.env = env;
	if (n && n->kind == TS_NODE_SCALAR)
		return ts_expr_subst(&x, n->text, n->len);
	return (ts_value){TS_VAL_UNKNOWN, ""};
}

/* The value an input has: the workflow's `with:`, else the entry's default,
 * else the token for a token input that defaults to it, else unset. */
static ts_value ts_input_value(ts_jobctx *jc, const ts_step *s,
			       const ts_action_entry *e, const char *name,
			       const ts_env *env, bool *given)
{
	const ts_node *n = s ? ts_with_node(s->with, name) : NULL;
	*given = n != NULL;
	if (n)
		return ts_node_value(jc, n, env);
	for (unsigned i = 0; i < e->ninputs; i++) {
		const ts_action_input *in = &e->inputs[i];
		if (strcasecmp(in->name, name))
			continue;
		if (in->token && in->token_default)
			return (ts_value){TS_VAL_GITHUB_TOKEN, "github.token"};
		if (in->value)
			return (ts_value){TS_VAL_TEXT, in->value};
	}
	return (ts_value){TS_VAL_TEXT, ""};
}

/* ------------------------------------------------------------------ */
/* Does the token reach the action?                                    */

typedef enum ts_reach { TS_REACH_NO, TS_REACH_YES, TS_REACH_UNKNOWN } ts_reach;

static ts_reach ts_join_reach(ts_reach a, ts_value v)
{
	if (v.kind == TS_VAL_GITHUB_TOKEN)
		return TS_REACH_YES;
	if (v.kind == TS_VAL_UNKNOWN && a == TS_REACH_NO)
		return TS_REACH_UNKNOWN;
	return a;
}

static bool ts_has_token_input(const ts_action_entry *e)
{
	for (unsigned i = 0; i < e->ninputs; i++)
		if (e->inputs[i].token)
			return true;
	return false;
}

static bool ts_is_token_input(const ts_action_entry *e, const char *name)
{
	for (unsigned i = 0; i < e->ninputs; i++)
		if (e->inputs[i].token && !strcasecmp(e->inputs[i].name, name))
			return true;
	return false;
}

static ts_reach ts_token_reach(ts_jobctx *jc, const ts_step *s,
			       const ts_action_entry *e, const ts_env *env)
{
	ts_reach r = TS_REACH_NO;
	for (unsigned i = 0; i < e->ninputs; i++) {
		if (!e->inputs[i].token)
			continue;
		bool given;
		r = ts_join_reach(r, ts_input_value(jc, s, e, e->inputs[i].name, env, &given));
	}
	for (unsigned i = 0; i < e->ntoken_env; i++) {
		const char *v = e->token_env[i];
		const ts_var *var = ts_env_find(env, v, strlen(v));
		if (var)
			r = ts_join_reach(r, var->value);
	}
	return r;
}

/* The token passed into an input the entry does not describe: we cannot
 * tell what the action does with it. */
static const char *ts_undescribed_token_input(ts_jobctx *jc, const ts_step *s,
					      const ts_action_entry *e,
					      const ts_env *env)
{
	const ts_node *with = s ? ts_node_deref(s->with) : NULL;
	if (!with || with->kind != TS_NODE_MAP)
		return NULL;
	for (size_t i = 0; i < with->n; i++) {
		const char *k = ts_node_str(with->keys[i]);
		if (!k || (e && ts_is_token_input(e, k)))
			continue;
		if (e && e->script_input && !strcasecmp(k, e->script_input))
			continue;
		ts_value v = ts_node_value(jc, ts_node_deref(with->vals[i]), env);
		if (v.kind == TS_VAL_GITHUB_TOKEN)
			return k;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

typedef enum ts_truth { TS_FALSE, TS_TRUE, TS_UNDECIDED } ts_truth;

static bool ts_truthy(const char *s)
{
	return *s && strcasecmp(s, "false") && strcmp(s, "0");
}

static ts_truth ts_fact(ts_jobctx *jc, const char *fact, size_t index,
			ts_reach reach)
{
	if (!strcmp(fact, "token"))
		return reach == TS_REACH_YES ? TS_TRUE
		       : reach == TS_REACH_NO ? TS_FALSE : TS_UNDECIDED;
	if (!strcmp(fact, "pull-request"))
		return jc->pull_request ? TS_TRUE : TS_FALSE;
	if (!strcmp(fact, "later-image-push")) {
		for (size_t i = index + 1; i < jc->job->nsteps; i++)
			if (ts_step_pushes_image(jc, &jc->job->stepv[i]))
				return TS_TRUE;
		return TS_FALSE;
	}
	return TS_UNDECIDED;
}

static ts_truth ts_cond_eval(ts_jobctx *jc, const ts_step *s, size_t index,
			const ts_action_entry *e, const ts_cond *c,
			const ts_env *env, ts_reach reach)
{
	if (c->op == TS_COND_FACT)
		return ts_fact(jc, c->input, index, reach);
	bool given;
	ts_value v = ts_input_value(jc, s, e, c->input, env, &given);
	if (c->op == TS_COND_SET || c->op == TS_COND_UNSET) {
		/* An expression or a secret written into an input is a value. */
		bool set = v.kind != TS_VAL_TEXT || ts_truthy(v.text);
		return set == (c->op == TS_COND_SET) ? TS_TRUE : TS_FALSE;
	}
	if (v.kind != TS_VAL_TEXT)
		return TS_UNDECIDED;
	bool hit;
	if (c->op == TS_COND_MATCH) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(c->re, NULL);
		hit = pcre2_match(c->re, (PCRE2_SPTR)v.text, strlen(v.text), 0, 0, md,
				  NULL) >= 0;
		pcre2_match_data_free(md);
	} else {
		hit = !strcasecmp(v.text, c->value) ^ (c->op == TS_COND_NE);
	}
	return hit ? TS_TRUE : TS_FALSE;
}

static ts_truth ts_rule_holds(ts_jobctx *jc, const ts_step *s, size_t index,
			      const ts_action_entry *e, const ts_rule *r,
			      const ts_env *env, ts_reach reach,
			      const ts_cond **undecided)
{
	for (unsigned i = 0; i < r->nconds; i++) {
		ts_truth t = ts_cond_eval(jc, s, index, e, &r->conds[i], env, reach);
		if (t == TS_FALSE)
			return TS_FALSE;
		if (t == TS_UNDECIDED) {
			*undecided = &r->conds[i];
			return TS_UNDECIDED;
		}
	}
	return TS_TRUE;
}

/* ------------------------------------------------------------------ */
/* Applying a knowledge-base entry                                     */

static const char *ts_use_what(ts_jobctx *jc, const ts_use *u)
{
	return ts_strndup(jc->ctx->arena, u->name, u->len);
}

static void ts_undecided_note(ts_jobctx *jc, const ts_reason *why,
			      const ts_cond *c)
{
	ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
		    "what it needs depends on input `%s`, whose value is not known "
		    "before the run", c->input);
}

static void ts_script_input(ts_jobctx *jc, const ts_step *s,
			    const ts_action_entry *e, const ts_env *env,
			    const ts_reason *why)
{
	const ts_node *code = ts_with_node(s->with, e->script_input);
	if (!code)
		return;
	if (!strcmp(e->script_lang, "github-script")) {
		ts_github_script(jc, s, code, why);
		return;
	}
	ts_expr_ctx x = jc->expr;
	x.env = env;
	ts_run_ctx rc = {
		.map = jc->ctx->map, .arena = jc->ctx->arena, .expr = &x,
		.script = code->text, .len = code->len, .line = code->line,
		.shell = NULL, .git_credentials = jc->git_credentials,
		.pull_request = jc->pull_request,
	};
	ts_findings f = {NULL, 0, 0};
	ts_run_analyze(&rc, &f);
	ts_findings_apply(jc, &f, s);
}

static void ts_apply_rule(ts_jobctx *jc, const ts_rule *r, ts_reach reach,
			  const ts_reason *why, bool *creds, bool *pushes)
{
	switch (r->kind) {
	case TS_RULE_NEED:
		if (reach == TS_REACH_YES)
			ts_job_need(jc, &r->needs, false, why);
		else if (reach == TS_REACH_UNKNOWN && r->needs.nreqs)
			ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
				    "its token input is an expression that may be GITHUB_TOKEN");
		break;
	case TS_RULE_ALWAYS:
		ts_job_need(jc, &r->needs, false, why);
		break;
	case TS_RULE_UNKNOWN:
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why, "%s", r->why);
		break;
	case TS_RULE_GIT_CREDENTIALS:
		*creds = true;
		break;
	case TS_RULE_PUSHES_IMAGE:
		*pushes = true;
		break;
	}
}

void ts_apply_entry(ts_jobctx *jc, const ts_step *s, size_t index,
			   const ts_action_entry *e, const ts_env *env,
			   const ts_reason *base)
{
	ts_reason why = *base;
	why.origin = e->origin;
	const char *stray = ts_undescribed_token_input(jc, s, e, env);
	if (stray) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why,
			    "passes GITHUB_TOKEN to input `%s`, which the map does not describe",
			    stray);
		return;
	}
	/* A called workflow (no step) always has the caller's token. */
	ts_reach reach = s ? ts_token_reach(jc, s, e, env) : TS_REACH_YES;
	bool creds = false, pushes = false;
	for (unsigned i = 0; i < e->nrules; i++) {
		const ts_cond *undecided = NULL;
		ts_truth t = ts_rule_holds(jc, s, index, e, &e->rules[i], env, reach,
					   &undecided);
		if (t == TS_UNDECIDED && e->rules[i].kind != TS_RULE_PUSHES_IMAGE)
			ts_undecided_note(jc, &why, undecided);
		if (t == TS_TRUE || (t == TS_UNDECIDED && e->rules[i].kind == TS_RULE_PUSHES_IMAGE))
			ts_apply_rule(jc, &e->rules[i], reach, &why, &creds, &pushes);
	}
	/* The credentials left are the token the action had: another secret
	 * means pushes do not draw on GITHUB_TOKEN. An action with no token
	 * input uses the job's own token. */
	if (creds)
		jc->git_credentials = reach == TS_REACH_YES ||
				      (!ts_has_token_input(e) && e->ntoken_env == 0);
	if (pushes && jc->registry_login) {
		const ts_named_entry *f = ts_map_fact(jc->ctx->map, "registry-push");
		if (f)
			ts_job_need(jc, &f->needs, false, &why);
	}
	if (s && e->script_input && reach == TS_REACH_YES)
		ts_script_input(jc, s, e, env, &why);
	else if (s && e->script_input && reach == TS_REACH_UNKNOWN)
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why,
			    "the script's token is an expression that may be GITHUB_TOKEN");
}

bool ts_step_pushes_image(ts_jobctx *jc, const ts_step *s)
{
	const char *uses = ts_node_str(s->uses);
	if (uses) {
		ts_use u;
		ts_use_parse(uses, &u);
		const ts_action_entry *e = ts_map_action(jc->ctx->map, u.name, u.len, u.major);
		if (!e)
			return false;
		for (unsigned i = 0; i < e->nrules; i++) {
			const ts_cond *undecided = NULL;
			if (e->rules[i].kind == TS_RULE_PUSHES_IMAGE &&
			    ts_rule_holds(jc, s, (size_t)s->index, e, &e->rules[i],
					  &jc->job_env, TS_REACH_UNKNOWN, &undecided) != TS_FALSE)
				return true;
		}
		return false;
	}
	const ts_node *run = ts_node_deref(s->run);
	if (!run || run->kind != TS_NODE_SCALAR)
		return false;
	ts_run_ctx rc = {
		.map = jc->ctx->map, .arena = jc->ctx->arena, .expr = &jc->expr,
		.script = run->text, .len = run->len, .line = run->line,
	};
	ts_findings f = {NULL, 0, 0};
	ts_run_analyze(&rc, &f);
	for (size_t i = 0; i < f.n; i++)
		if (f.items[i].kind == TS_FIND_IMAGE_PUSH)
			return true;
	return false;
}

const char **ts_secret_steps(ts_jobctx *jc)
{
	const ts_job *j = jc->job;
	const char **ids = ts_alloc_array(jc->ctx->arena, j->nsteps + 1, sizeof(*ids));
	size_t n = 0;
	for (size_t i = 0; i < j->nsteps; i++) {
		const char *uses = ts_node_str(j->stepv[i].uses);
		const char *id = ts_node_str(j->stepv[i].id);
		if (!uses || !id)
			continue;
		ts_use u;
		ts_use_parse(uses, &u);
		const ts_action_entry *e = ts_map_action(jc->ctx->map, u.name, u.len, u.major);
		if (e && e->token_output)
			ids[n++] = id;
	}
	ids[n] = NULL;
	return ids;
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */

bool ts_env_has_token(const ts_env *env)
{
	for (; env; env = env->parent)
		for (size_t i = 0; i < env->nvars; i++)
			if (env->vars[i].value.kind == TS_VAL_GITHUB_TOKEN)
				return true;
	return false;
}

static void ts_docker_step(ts_jobctx *jc, const ts_step *s, const ts_env *env,
			   const ts_reason *why)
{
	if (ts_undescribed_token_input(jc, s, NULL, env) || ts_env_has_token(env))
		ts_job_note(jc, TS_NOTE_UNRESOLVED, why,
			    "a container action receives GITHUB_TOKEN");
}

void ts_uses_step(ts_jobctx *jc, const ts_step *s, size_t index,
		  const ts_env *env)
{
	const char *uses = ts_node_str(s->uses);
	if (!uses) {
		ts_reason why = ts_step_reason(jc, s, "uses", s->uses->line);
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why, "`uses:` is not a plain value");
		return;
	}
	ts_use u;
	ts_use_parse(uses, &u);
	ts_reason why = ts_step_reason(jc, s, ts_use_what(jc, &u), s->uses->line);
	if (strstr(uses, "${{")) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why, "`uses:` is an expression");
		return;
	}
	if (u.docker) {
		ts_docker_step(jc, s, env, &why);
		return;
	}
	if (u.local) {
		ts_local_action(jc, s, &u, env, &why);
		return;
	}
	const ts_action_entry *e = ts_map_action(jc->ctx->map, u.name, u.len, u.major);
	if (!e) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why,
			    "unknown action: the map does not say what %.*s does with the token"
			    " (add an `action` entry with --map)", (int)u.len, u.name);
		return;
	}
	ts_apply_entry(jc, s, index, e, env, &why);
}

void ts_uses_job(ts_jobctx *jc)
{
	const ts_job *j = jc->job;
	if (!j->uses.key)
		return;
	const char *uses = ts_node_str(j->uses.value);
	ts_reason why = ts_step_reason(jc, NULL, uses ? uses : "uses", j->uses.key->line);
	if (!uses || strstr(uses, "${{")) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why, "the called workflow is not a plain path");
		return;
	}
	ts_use u;
	ts_use_parse(uses, &u);
	why.what = ts_use_what(jc, &u);
	if (u.local) {
		ts_call_workflow(jc, &u, &why);
		return;
	}
	const ts_action_entry *e = ts_map_action(jc->ctx->map, u.name, u.len, u.major);
	if (!e) {
		ts_job_note(jc, TS_NOTE_UNRESOLVED, &why,
			    "calls a remote reusable workflow that the map does not describe;"
			    " its jobs may need any scope");
		return;
	}
	ts_apply_entry(jc, NULL, 0, e, &jc->job_env, &why);
}
