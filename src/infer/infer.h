/*
 * infer.h - what each job needs from GITHUB_TOKEN, and why.
 *
 * Contract:
 *  - ts_infer reads a parsed workflow and returns one ts_job_needs per job,
 *    in the workflow's order. Every need names the step, the file line and
 *    the map entry that caused it, so each scope written can be traced.
 *  - A job is `resolved` only when every step is understood. Anything that
 *    receives the token and is not described (an unknown action, a remote
 *    reusable workflow, a program started with the token in its
 *    environment, an expression that may or may not be the token) makes the
 *    job unresolved, with a note saying which step and why. Never a guess.
 *  - A call that GITHUB_TOKEN can never make adds no scope; it is a note
 *    naming the permission and what to use instead.
 *  - Everything is allocated from ctx->arena; nothing is written to disk.
 */
#ifndef TS_INFER_H
#define TS_INFER_H

#include "../map/map.h"
#include "../parse/parse.h"

typedef struct ts_reason {
	const char *what;       /* "actions/checkout", "gh pr merge --auto" */
	const char *step;       /* `"Checkout"` or `step 2`, or `job` */
	int line;               /* 1-based line in the workflow file */
	const char *file;       /* the file that line is in, when not the
				   workflow itself (a local action); NULL */
	ts_origin origin;       /* the map entry that decided it */
} ts_reason;

/* One scope at one level, with the reason that set it. */
typedef struct ts_grant {
	int scope;
	ts_level level;
	ts_reason why;
	unsigned more;          /* other steps needing this scope at this level */
} ts_grant;

typedef enum ts_note_kind {
	TS_NOTE_UNRESOLVED,     /* the job cannot be proven: left as it is */
	TS_NOTE_IMPOSSIBLE,     /* GITHUB_TOKEN can never make this call */
	TS_NOTE_INFO            /* worth telling a reviewer */
} ts_note_kind;

typedef struct ts_note {
	ts_note_kind kind;
	ts_reason at;
	const char *text;       /* the cause; for IMPOSSIBLE the permission and advice */
} ts_note;

typedef struct ts_job_needs {
	const ts_job *job;
	bool resolved;
	ts_grant *grants;       /* at most one per scope, in scope order */
	size_t ngrants;
	ts_grant *all;          /* every need with its reason, in step order */
	size_t nall, cap_all;
	ts_note *notes;
	size_t nnotes, cap_notes;
} ts_job_needs;

/* Reads another file of the same repository (a local action, a called
 * workflow) for infer, which must not reach back into load and parse
 * itself. `rel` is relative to the repository root. Returns the parsed
 * root or NULL with a reason in err. */
typedef const ts_node *(*ts_read_fn)(void *ud, const char *rel, ts_error *err);

typedef struct ts_infer_ctx {
	const ts_map *map;
	ts_arena *arena;
	ts_read_fn read;        /* may be NULL: local files are then unresolved */
	void *read_ud;
	const char *path;       /* the workflow's path relative to the root */
	struct ts_memo *callees;        /* called workflows, inferred on their
					   own once for all their callers, in
					   callee_arena; NULL: ts_infer keeps
					   them for this call only */
	ts_arena *callee_arena;
	/* When callees are shared with other threads: taken (hold = true)
	 * around all work on them, with read_ud; may be NULL. Recursive. It
	 * does not wait: false means another thread is at work there, and
	 * the callees are then worked out in this file's arena instead (the
	 * answer is the same). */
	bool (*guard)(void *read_ud, bool hold);
	struct ts_memo *own_callees;    /* those worked out in this file's
					   arena; ts_infer makes it */
	struct ts_memo *scripts;        /* or NULL: the repository's parsed
					   scripts (run.h), in callee_arena,
					   under guard like the callees */
} ts_infer_ctx;

/* What the whole workflow needs, and what its jobs inherit. */
typedef struct ts_inference {
	ts_job_needs *jobs;     /* one per wf->jobv, same order */
	size_t njobs;
	bool has_top;           /* a top-level `permissions:` exists */
	bool top_known;         /* ... and reads as levels (not an expression) */
	ts_level top[TS_MAX_SCOPES];
	bool workflow_call;     /* callable: its callers must grant what it needs */
	bool callers_known;     /* every job's needs or own block could be read */
	ts_level callers[TS_MAX_SCOPES];  /* what a caller must grant: per job its
					     own block, else its needs; the union */
} ts_inference;

int ts_infer(const ts_infer_ctx *ctx, const ts_workflow *wf, ts_inference *out);

/* ts_infer for the workflow at ctx->path (relative to the root) when
 * others in the repository may call it: its callers infer it on its own,
 * as a top file, and keep the answer in ctx->callees, which is this
 * file's answer too. So it is worked out once: here, or by the first
 * caller. *wf is the model the answer refers to, in ctx->callee_arena.
 * NULL when the shared callees are busy or the file cannot be read: then
 * ts_infer as usual. */
const ts_inference *ts_infer_shared(const ts_infer_ctx *ctx, const ts_workflow **wf);

/* Reads a `permissions:` value (a mapping, read-all, write-all, {}) into
 * levels. Returns -1 when it cannot be read (an expression, a typo). */
int ts_permissions_read(const ts_map *map, const ts_node *value,
			ts_level level[TS_MAX_SCOPES]);

#endif
