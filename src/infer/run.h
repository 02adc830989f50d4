/*
 * run.h - what a `run:` script does with GITHUB_TOKEN.
 *
 * Contract: ts_run_analyze reads one script (bash and sh fully, pwsh for the
 * common forms) and returns one finding per command that draws on
 * GITHUB_TOKEN: a REST call through curl/wget/gh api, a gh subcommand, a
 * GraphQL query or mutation, a git push through persisted credentials, an
 * OIDC token request, a registry login/push. A command that receives no token
 * or another secret produces nothing. A command that receives GITHUB_TOKEN
 * and is not understood produces a TS_FIND_UNKNOWN finding: the caller
 * leaves the job unresolved, never guesses.
 *
 * Findings and their strings are allocated from ctx->arena.
 * Internal to the infer stage.
 */
#ifndef TS_RUN_H
#define TS_RUN_H

#include "../map/map.h"
#include "expr.h"

/* Scripts parsed for every workflow of a repository: a parse depends on
 * the shell and the text alone, and in the corpus a fifth of the scripts
 * a workflow does not repeat itself repeat one in another workflow of the
 * same repository. `memo` and `arena` may be shared with other threads:
 * `guard` (see ts_infer_ctx) is taken around every use, and when it is
 * busy the script is parsed into ts_run_ctx.arena instead. */
typedef struct ts_script_cache {
	struct ts_memo *memo;
	ts_arena *arena;
	bool (*guard)(void *ud, bool hold);     /* or NULL: not shared */
	void *ud;
} ts_script_cache;

typedef struct ts_run_ctx {
	const ts_map *map;
	ts_arena *arena;
	const ts_expr_ctx *expr;    /* env chain (step -> job -> workflow) */
	const char *script;         /* the run: value as YAML decoded it */
	size_t len;
	int line;                   /* file line of the script's first line; 0 unknown */
	const char *shell;          /* step `shell:` or defaults.run.shell; NULL: bash */
	bool git_credentials;       /* an earlier step left GITHUB_TOKEN in git's config */
	bool pull_request;          /* the workflow runs on a pull_request* event */
	struct ts_memo *parsed;     /* or NULL: scripts parsed so far, by shell
				   and text, in `arena`; the same script in
				   several steps of a workflow is parsed once */
	const ts_script_cache *repo;  /* or NULL: the same, for the whole
					 repository */
} ts_run_ctx;

typedef enum ts_find_kind {
	TS_FIND_NEED,       /* `needs` applies (may hold never alternatives) */
	TS_FIND_UNKNOWN,    /* the token is used in a way not recognised */
	TS_FIND_LOGIN,      /* a registry login (ghcr.io, *.pkg.github.com) with
			       GITHUB_TOKEN: `needs` is registry-pull; the job
			       upgrades it to registry-push if an image is pushed */
	TS_FIND_IMAGE_PUSH  /* pushes an image to ghcr.io/docker.pkg.github.com,
			       with whatever credentials an earlier login left */
} ts_find_kind;

typedef struct ts_finding {
	ts_find_kind kind;
	ts_needs needs;         /* NEED: from the map entry that matched */
	bool pr_number;         /* the call targets a pull request (issue-comment
				   endpoints then take pull-requests, not issues) */
	const char *what;       /* short, for the `# reason` comment:
				   "gh pr merge --auto", "curl POST /repos/{owner}/{repo}/issues/{issue_number}/comments" */
	const char *why;        /* UNKNOWN: what was not understood */
	int line;               /* file line of the command; 0 unknown */
	ts_origin origin;       /* the map entry that decided it */
} ts_finding;

typedef struct ts_findings {
	ts_finding *items;
	size_t n, cap;
} ts_findings;

/* Appends to `out`. Returns 0; -1 only on a script it refuses outright
 * (then one UNKNOWN finding says why). */
int ts_run_analyze(const ts_run_ctx *ctx, ts_findings *out);

#endif
