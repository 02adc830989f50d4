/*
 * formats.h - what the machine formats (json.c, sarif.c, markdown.c,
 * github.c) share, and how formats.c drives them. Not for use outside
 * src/emit/.
 *
 * Every format streams: begin writes the opening, file writes one file's
 * part as soon as it is emitted, end writes the closing. Whatever must come
 * before the per-file parts but is only known at the end (a summary at the
 * top of a pull request body, SARIF's notifications after its results) is
 * held in a ts_spool, a temporary file, so memory stays the same however
 * many files a run has.
 */
#ifndef TS_FORMATS_H
#define TS_FORMATS_H

#include "emit_int.h"

#include <stdint.h>

/* ---- JSON writing (json.c) ---- */

/* A pretty-printing JSON writer. Its nesting state outlives the buffer it
 * writes to, so a document can be opened in one call and continued, file
 * by file, with a fresh per-file buffer each time. */
#define TS_JW_DEPTH 32

typedef struct ts_jw {
	ts_buf *b;
	int depth;
	bool has_items[TS_JW_DEPTH];
} ts_jw;

void ts_json_str(ts_buf *b, const char *s);      /* a quoted, escaped string */
void ts_jw_obj(ts_jw *w, const char *key);       /* key NULL in an array */
void ts_jw_arr(ts_jw *w, const char *key);
void ts_jw_close(ts_jw *w, char bracket);        /* '}' or ']' */
void ts_jw_str(ts_jw *w, const char *key, const char *v);   /* NULL: null */
void ts_jw_int(ts_jw *w, const char *key, long long v);
void ts_jw_pos(ts_jw *w, const char *key, int v);           /* 0: null */
void ts_jw_bool(ts_jw *w, const char *key, bool v);
/* Writes the buffer out and empties it. */
void ts_jw_flush(ts_jw *w, FILE *out);

/* ---- shared helpers (formats.c) ---- */

/* A temporary file holding output that must come later than it is made. */
typedef struct ts_spool {
	FILE *f;
	char *mem;              /* open_memstream fallback when no temp file */
	size_t memlen;
} ts_spool;

FILE *ts_spool_open(ts_spool *s);
/* Copies everything spooled to out, line by line through `line` when
 * non-NULL (which may drop or rewrite a line), then closes the spool. */
void ts_spool_drain(ts_spool *s, FILE *out, void (*line)(FILE *out, const char *l,
							void *ud), void *ud);
void ts_spool_close(ts_spool *s);

/* 1-based line and column (in Unicode code points) of a byte offset. */
void ts_text_pos(const ts_source *src, size_t at, int *line, int *col);
/* A job needing a block that this file's change gives it. */
bool ts_job_written(const ts_file_result *r, size_t i);
/* True when the file has jobs to report on. */
bool ts_has_jobs(const ts_file_result *r);
const char *ts_action_id(ts_job_action a);     /* "write", "has_block", ... */
const char *ts_mode_name(ts_mode m);
/* "`test`: contents: read" style one-liners for a job's needs, with the
 * first reason: "contents: read (actions/checkout, step 1, line 12)". */
const char *ts_needs_line(ts_arena *a, const ts_file_result *r, size_t i);
/* One reason as "what (step, line N of FILE)". */
const char *ts_reason_text(ts_arena *a, const ts_reason *why);
/* "Job `x`: <call> (<where>) <why it cannot work>." for an IMPOSSIBLE note. */
const char *ts_impossible_text(ts_arena *a, const ts_job *j, const ts_note *n);
/* Where an annotation of note n of job j goes: the file and line the note
 * names (a local action's), else this file at the job's key. */
void ts_note_place(const ts_file_result *r, const ts_job *j, const ts_note *n,
		   const char **file, int *line);
uint64_t ts_fnv1a(uint64_t h, const char *s);


/* ---- the formats ---- */

typedef struct ts_json_state ts_json_state;
ts_json_state *ts_json_begin(FILE *out, ts_mode mode);
void ts_json_file(ts_json_state *s, const ts_file_result *r, ts_arena *a);
void ts_json_end(ts_json_state *s, const ts_totals *t);
void ts_json_free(ts_json_state *s);

typedef struct ts_sarif_state ts_sarif_state;
ts_sarif_state *ts_sarif_begin(FILE *out, ts_mode mode);
void ts_sarif_file(ts_sarif_state *s, const ts_file_result *r, ts_arena *a);
void ts_sarif_end(ts_sarif_state *s, const ts_totals *t);
void ts_sarif_free(ts_sarif_state *s);

/* The pull request body (--format markdown, --pr-body) and the commit
 * message (--commit-message) are made from the same per-file notes. */
typedef struct ts_md_state ts_md_state;
ts_md_state *ts_md_begin(ts_mode mode);
void ts_md_file(ts_md_state *s, const ts_file_result *r, ts_arena *a);
void ts_md_end(ts_md_state *s, FILE *out, const ts_totals *t);
void ts_md_free(ts_md_state *s);

typedef struct ts_commit_state ts_commit_state;
ts_commit_state *ts_commit_begin(ts_mode mode);
void ts_commit_file(ts_commit_state *s, const ts_file_result *r, ts_arena *a);
void ts_commit_end(ts_commit_state *s, FILE *out, const ts_totals *t);
void ts_commit_free(ts_commit_state *s);

void ts_github_file(FILE *out, ts_mode mode, const ts_file_result *r, ts_arena *a);

#endif
