/*
 * expr.h - GitHub Actions expressions (`${{ ... }}`), evaluated only as far
 * as tokenscope needs: does a value carry GITHUB_TOKEN, another secret, a
 * known text, or something that cannot be known before the run?
 *
 * Contract: evaluation never guesses. A context value tokenscope cannot know
 * (inputs, matrix, step outputs, functions) is TS_VAL_UNKNOWN, and callers
 * treat UNKNOWN as "cannot prove", never as "no token".
 * Internal to the infer stage.
 */
#ifndef TS_EXPR_H
#define TS_EXPR_H

#include "../arena.h"
#include "../common.h"

typedef enum ts_val_kind {
	TS_VAL_TEXT,            /* a known text (possibly empty) */
	TS_VAL_GITHUB_TOKEN,    /* secrets.GITHUB_TOKEN / github.token, any case */
	TS_VAL_SECRET,          /* another secret or an App token: not GITHUB_TOKEN */
	TS_VAL_UNKNOWN          /* cannot be evaluated here */
} ts_val_kind;

typedef struct ts_value {
	ts_val_kind kind;
	const char *text;       /* TS_VAL_TEXT: the value; otherwise the source text */
} ts_value;

/* One `env:` entry, already evaluated. */
typedef struct ts_var {
	const char *name;
	ts_value value;
	/* An UNKNOWN value whose name or text looks like a credential (see
	 * ts_sh_credential_like): 2 yes, 1 no, 0 not decided yet (the shell
	 * decides when it reads the env). Decided once where the env is
	 * evaluated, not again in every script that sees it. */
	unsigned char credential;
} ts_var;

/* An env scope: step -> job -> workflow. Lookups walk up the chain. */
typedef struct ts_env {
	const struct ts_env *parent;
	const ts_var *vars;
	size_t nvars;
} ts_env;

typedef struct ts_expr_ctx {
	ts_arena *arena;
	const ts_env *env;          /* for env.X and $X */
	const ts_env *inputs;       /* inputs.X inside a composite action or a
				       called workflow; NULL: inputs unknown */
	/* step ids whose outputs are tokens that are not GITHUB_TOKEN
	 * (actions/create-github-app-token and similar), NULL-terminated */
	const char *const *secret_steps;
} ts_expr_ctx;

/* Finds a variable in the env chain; NULL when unset. */
const ts_var *ts_env_find(const ts_env *env, const char *name, size_t len);

/* Evaluates the text between `${{` and `}}`. */
ts_value ts_expr_eval(const ts_expr_ctx *ctx, const char *expr, size_t len);

/* Evaluates a whole YAML value that may hold `${{ }}` anywhere:
 *  - only text and known expressions: TEXT with everything substituted;
 *  - any part is GITHUB_TOKEN: GITHUB_TOKEN (the value carries the token);
 *  - else any part SECRET: SECRET; else any part UNKNOWN: UNKNOWN. */
ts_value ts_expr_subst(const ts_expr_ctx *ctx, const char *text, size_t len);

/* Known defaults of the runner's environment that scripts use to build API
 * URLs: GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_REPOSITORY (as
 * "{owner}/{repo}"), GITHUB_REPOSITORY_OWNER, GITHUB_GRAPHQL_URL.
 * Returns NULL for any other name. */
const char *ts_expr_runner_default(const char *name, size_t len);

#endif
