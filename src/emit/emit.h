/*
 * emit.h - the last stage: what a run prints and writes.
 *
 * Contract:
 *  - Every format is produced from ts_file_result values alone, one file at
 *    a time and in the order files were given, so output is identical for
 *    any number of worker threads, and memory does not grow with the
 *    number of files (the caller frees each result after emitting it).
 *  - ts_emit_write replaces a file atomically: a temporary file in the same
 *    folder, written and flushed, given the original's mode, then renamed
 *    over it. On any failure the original is untouched and the temporary
 *    file removed. It never writes through a symlink.
 */
#ifndef TS_EMIT_H
#define TS_EMIT_H

#include "../plan.h"

#include <stdio.h>

typedef enum ts_file_status {
	TS_FILE_CHANGED,        /* a verified change was planned (and, for fix, written) */
	TS_FILE_UNCHANGED,      /* nothing to do */
	TS_FILE_NOT_WORKFLOW,   /* no top-level `jobs:` (a config file, say) */
	TS_FILE_ERROR           /* bad input, or a change that failed to verify */
} ts_file_status;

typedef struct ts_file_result {
	const char *path;       /* as opened */
	const char *display;    /* relative to the repository root */
	const char *root;       /* the repository root, or NULL */
	size_t path_no;         /* the PATH it came from, 1-based (0: none) */
	ts_file_status status;
	ts_error err;           /* ERROR (and NOT_WORKFLOW: why) */
	bool internal;          /* the error is ours (verification), not the input's */
	const ts_map *map;
	const ts_source *src;
	const ts_workflow *wf;  /* NULL unless parsed as a workflow */
	const ts_inference *inf;
	const ts_plan *plan;
	const char *out_text;   /* CHANGED: the new text */
	size_t out_len;
	bool written;           /* fix: the file was replaced */
} ts_file_result;

typedef enum ts_format {
	TS_FORMAT_DIFF, TS_FORMAT_TEXT, TS_FORMAT_JSON, TS_FORMAT_SARIF,
	TS_FORMAT_MARKDOWN, TS_FORMAT_GITHUB
} ts_format;

typedef enum ts_mode { TS_MODE_DIFF, TS_MODE_FIX, TS_MODE_CHECK, TS_MODE_EXPLAIN } ts_mode;

typedef struct ts_emit_opts {
	ts_mode mode;
	ts_format format;
	bool color;
	bool summary_only;      /* explain --summary */
	bool quiet;
	const char *pr_body;    /* --pr-body FILE: the markdown body, written at the end */
	const char *commit_message;     /* --commit-message FILE */
	bool progress;          /* a progress line on stderr (a terminal) */
	size_t npaths;          /* PATHs in the run, for the progress line (the
				   number of files is not known until the end) */
} ts_emit_opts;

/* Counts for the closing summary and the exit code. */
typedef struct ts_totals {
	size_t files, changed, unchanged, not_workflow, errors;
	size_t repos;
	size_t jobs, jobs_proven, jobs_written, jobs_has_block, jobs_inherit, jobs_unresolved,
		jobs_unsafe, impossible;
} ts_totals;

/* A stateful emitter: begin, one call per file, end. */
typedef struct ts_emitter ts_emitter;

ts_emitter *ts_emitter_new(FILE *out, FILE *err, const ts_emit_opts *opts);
void ts_emitter_file(ts_emitter *e, const ts_file_result *r);
void ts_emitter_end(ts_emitter *e, ts_totals *totals);
void ts_emitter_free(ts_emitter *e);

/* ---- a file's output made ahead, on a worker thread ----
 *
 * With worker threads a file is often done well before its turn to be
 * emitted. Holding its whole arena until then (the tree, the model, the
 * output text: about 12 times the file's bytes) made each worker write to
 * fresh, cold memory for its next files, and -j 2 used 5% more CPU time
 * than two processes on the same files. So where a file's output depends
 * on the file alone, the worker records it on a tape and frees the arena
 * at once, for its next file; the tapes are played in order. Playing
 * writes the same bytes, and counts the same, as ts_emitter_file would
 * have. */
typedef struct ts_tape ts_tape;                 /* one file's; owns its memory */
typedef struct ts_recorder ts_recorder;         /* one per thread */

/* True when e's output of a file depends on that file alone: the diff,
 * text and github formats, without --pr-body, --commit-message or explain
 * --summary (which gather across files as they go). */
bool ts_emitter_tapes(const ts_emitter *e);
/* A recorder with e's options, for one thread; e must tape. It reads
 * nothing of e later, so it may record while another thread emits. */
ts_recorder *ts_recorder_new(const ts_emitter *e);
/* r's output and counts, recorded; r may be freed afterwards. */
ts_tape *ts_record(ts_recorder *rec, const ts_file_result *r);
/* Bytes held by a tape, for the batch's memory bound. */
size_t ts_tape_size(const ts_tape *t);
/* Writes and counts a recorded file in its turn, then frees the tape. */
void ts_emitter_play(ts_emitter *e, ts_tape *t);
void ts_tape_free(ts_tape *t);
void ts_recorder_free(ts_recorder *rec);

/* ---- building blocks, also used by tests ---- */

void ts_emit_diff(ts_buf *b, const char *display, const char *old, size_t oldlen,
		  const char *new_text, size_t newlen, bool color);
/* True when the line diff of old -> new removes no line; *changed gets the
 * number of lines it removes or alters. */
bool ts_diff_only_adds(const char *old, size_t oldlen, const char *new_text,
		       size_t newlen, size_t *changed);
int ts_emit_write(const char *path, const char *text, size_t len,
		  unsigned mode, ts_error *err);

#endif
