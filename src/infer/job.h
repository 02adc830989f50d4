/*
 * job.h - the state infer keeps while it walks one job's steps, shared by
 * infer.c (the walk, needs, env), uses.c (actions and reusable workflows)
 * and script.c (github-script). Internal to the infer stage.
 */
#ifndef TS_INFER_JOB_H
#define TS_INFER_JOB_H

#include "expr.h"
#include "infer.h"
#include "run.h"

/* A requirement with several grantable alternatives, chosen at the end of
 * the job when the other needs are known (so an alternative already
 * granted wins, keeping the block minimal). */
typedef struct ts_choice {
	const ts_req *req;
	bool pr_number;
	ts_reason why;
} ts_choice;

typedef struct ts_jobctx {
	const ts_infer_ctx *ctx;
	const ts_workflow *wf;
	const ts_job *job;
	ts_job_needs *out;
	ts_env wf_env, job_env;
	ts_expr_ctx expr;           /* env = job_env */
	const char **secret_steps;  /* NULL-terminated */
	bool git_credentials;       /* GITHUB_TOKEN is in git's config now */
	bool registry_login;        /* a GITHUB_TOKEN login to GitHub's registries */
	bool pull_request;          /* the workflow runs on pull_request* */
	const char *default_shell;
	ts_choice *choices;
	size_t nchoices, cap_choices;
	int depth;                  /* nesting of local actions / workflows */
	const char *file;           /* file the current steps are in, when not
				       the workflow (a local action); NULL */
	const char *stack[8];       /* local actions being expanded: cycles */
	struct ts_memo *scripts;    /* the workflow's parsed scripts (run.h) */
} ts_jobctx;

/* infer.c */
void ts_job_need(ts_jobctx *jc, const ts_needs *needs, bool pr_number,
		 const ts_reason *why);
void ts_job_note(ts_jobctx *jc, ts_note_kind kind, const ts_reason *at,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
ts_reason ts_step_reason(ts_jobctx *jc, const ts_step *s, const char *what,
			 int line);
ts_env ts_env_eval(ts_jobctx *jc, const ts_node *map, const ts_env *parent);
void ts_run_step(ts_jobctx *jc, const ts_step *s, const ts_env *env);
void ts_findings_apply(ts_jobctx *jc, const ts_findings *f, const ts_step *s);

/* What a job asks of its caller: its own block if it has one (a run fails
 * at start-up if the caller grants less), else its needs. -1 when neither
 * can be known, with *why unless `why` is NULL. */
int ts_job_levels(const ts_map *map, ts_arena *a, const ts_job_needs *jn,
		  ts_level level[TS_MAX_SCOPES], const char **why);

/* uses.c */
void ts_uses_step(ts_jobctx *jc, const ts_step *s, size_t index,
		  const ts_env *env);
void ts_uses_job(ts_jobctx *jc);
bool ts_step_pushes_image(ts_jobctx *jc, const ts_step *s);
const char **ts_secret_steps(ts_jobctx *jc);

typedef struct ts_use {
	const char *name;       /* before '@' */
	size_t len;
	const char *ref;        /* after '@', or "" */
	int major;              /* ref's major version, or -1 */
	bool local, docker;
} ts_use;

void ts_use_parse(const char *s, ts_use *u);
void ts_apply_entry(ts_jobctx *jc, const ts_step *s, size_t index,
		    const ts_action_entry *e, const ts_env *env,
		    const ts_reason *base);
ts_value ts_node_value(ts_jobctx *jc, const ts_node *n, const ts_env *env);
bool ts_env_has_token(const ts_env *env);

/* local.c */
void ts_local_action(ts_jobctx *jc, const ts_step *s, const ts_use *u,
		     const ts_env *env, const ts_reason *why);
void ts_call_workflow(ts_jobctx *jc, const ts_use *u, const ts_reason *why);

/* script.c */
void ts_github_script(ts_jobctx *jc, const ts_step *s, const ts_node *script,
		      const ts_reason *why);

#endif
