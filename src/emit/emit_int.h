/*
 * emit_int.h - the emitter's state, shared by the files of the emit stage.
 * Not for use outside src/emit/.
 */
#ifndef TS_EMIT_INT_H
#define TS_EMIT_INT_H

#include "emit.h"

/* An unresolved cause and how often it was seen (explain --summary). */
typedef struct ts_unknown {
	char *what;
	size_t count;
} ts_unknown;

struct ts_emitter {
	FILE *out, *err;
	ts_emit_opts opts;
	ts_totals totals;
	char *last_root;
	ts_unknown *unknowns;
	size_t nunknowns, cap_unknowns;
	void *fmt;              /* state of a machine format */
};

/* stderr, once what is waiting on stdout has gone out: the two streams
 * keep their relative order when they go to one place (2>&1), without a
 * write to stdout for every file (4,000 over the benchmark's check). */
static inline FILE *ts_emit_err(ts_emitter *e)
{
	fflush(e->out);
	return e->err;
}

/* report.c: the per-file steps of ts_emitter_file, which ts_record and
 * ts_emitter_play (tape.c) split between a worker and the emitter. */
/* A file's counts, added to *t; all but repos. */
void ts_count_file(ts_totals *t, const ts_file_result *r);
/* Adds a file's counts to the run's, and counts its repository. */
void ts_count_add(ts_emitter *e, const ts_totals *d, const char *root);
/* What a file writes to stdout and stderr in the text formats and github:
 * made from r and e->opts alone, to e->out and through ts_emit_err. */
void ts_file_output(ts_emitter *e, const ts_file_result *r, ts_arena *a);
/* explain --summary in text: one summary at the end, nothing per file. */
bool ts_summary_only(const ts_emitter *e);

const char *ts_action_word(ts_job_action a);
const char *ts_grants_text(ts_arena *a, const ts_map *map, const ts_job_needs *jn);
const char *ts_where(ts_arena *a, const ts_reason *r);
const ts_note *ts_first_note(const ts_job_needs *jn, ts_note_kind kind);

/* explain.c */
void ts_explain_file(ts_emitter *e, const ts_file_result *r, ts_arena *a);
void ts_explain_summary(ts_emitter *e);
void ts_unknowns_add(ts_emitter *e, const ts_file_result *r);
void ts_unknowns_free(ts_emitter *e);

/* formats.c */
void ts_formats_begin(ts_emitter *e);
void ts_formats_file(ts_emitter *e, const ts_file_result *r, ts_arena *a);
void ts_formats_end(ts_emitter *e);
/* Called before a file's output: takes the progress line off the terminal. */
void ts_progress_clear(ts_emitter *e);
/* Called after it: redraws the line, at PATH path_no (0: the same). */
void ts_progress_file(ts_emitter *e, size_t path_no);
void ts_formats_free(ts_emitter *e);

#endif
