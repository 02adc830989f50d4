/*
 * plan.h - from each job's needs to text insertions into the original file.
 *
 * Contract:
 *  - Only insertions: every planned edit is (byte offset, text), and no
 *    existing byte is changed or removed. A block job's insertion starts at
 *    a line start and ends with the line's EOL, so the diff only adds lines;
 *    a flow job's insertion goes inside its braces on one line.
 *  - The text follows the file: its indentation unit, the EOL of the line it
 *    joins (CRLF stays CRLF), no final newline where there was none.
 *  - A job is written only when it has no `permissions`, is resolved, is
 *    safe to edit, and its needs differ from what it inherits. Existing
 *    blocks are never touched.
 *  - Insertions come out sorted by offset, at most one per job, plus one at
 *    the top level.
 */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include "infer/infer.h"
#include "load.h"

typedef enum ts_job_action {
	TS_JOB_WRITE,           /* a block is inserted */
	TS_JOB_HAS_BLOCK,       /* it already has `permissions:` */
	TS_JOB_INHERITS,        /* the top-level block is exactly what it needs */
	TS_JOB_UNRESOLVED,      /* its needs cannot be proven: left as it is */
	TS_JOB_UNSAFE           /* editing it could change another node */
} ts_job_action;

typedef struct ts_job_plan {
	ts_job_action action;
	const char *why;        /* UNSAFE: the reason */
	size_t insertion;       /* WRITE: index into ts_plan.ins */
} ts_job_plan;

typedef struct ts_insertion {
	size_t at;              /* byte offset in the original text */
	const char *text;
	size_t len;
	int job;                /* index in the workflow's jobs; -1: top level */
	const char *job_id;     /* the job's key, for verify's path check */
	ts_level level[TS_MAX_SCOPES];  /* what the block grants */
	bool flow;              /* inserted inside a flow mapping */
} ts_insertion;

typedef struct ts_plan {
	ts_insertion *ins;
	size_t nins;
	ts_job_plan *jobs;      /* one per job */
	size_t njobs;
	bool top;               /* a top-level `permissions: {}` is inserted */
} ts_plan;

typedef struct ts_plan_opts {
	bool no_top_level;      /* --no-top-level */
	bool no_comments;       /* no `# reason` comments */
} ts_plan_opts;

void ts_plan_make(ts_arena *a, const ts_map *map, const ts_source *src,
		  const ts_workflow *wf, const ts_inference *inf,
		  const ts_plan_opts *opts, ts_plan *out);

/* The text of a reason comment, as the plan writes it (for reports). */
const char *ts_plan_reason(ts_arena *a, const ts_grant *g);

#endif
