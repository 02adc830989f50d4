/*
 * formats.c - the machine formats' driver (json, sarif, markdown, github),
 * the side outputs --pr-body and --commit-message, the progress line, and
 * the helpers the formats share.
 *
 * Called for every format (report.c does the text and diff ones itself):
 * the side outputs and the progress line go with any format.
 */
#include "formats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */

FILE *ts_spool_open(ts_spool *s)
{
	memset(s, 0, sizeof(*s));
	s->f = tmpfile();
	/* No writable temporary folder: hold it in memory instead, which only
	 * then grows with the run. */
	if (!s->f)
		s->f = open_memstream(&s->mem, &s->memlen);
	if (!s->f)
		abort();
	return s->f;
}

void ts_spool_close(ts_spool *s)
{
	if (s->f)
		fclose(s->f);
	free(s->mem);
	memset(s, 0, sizeof(*s));
}

void ts_spool_drain(ts_spool *s, FILE *out,
		    void (*line)(FILE *out, const char *l, void *ud), void *ud)
{
	if (!s->f)
		return;
	fflush(s->f);
	if (s->mem) {
		fclose(s->f);   /* a memstream's buffer is final once closed */
		s->f = fmemopen(s->mem, s->memlen ? s->memlen : 1, "r");
		if (!s->f)
			abort();
	} else {
		rewind(s->f);
	}
	char *l = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&l, &cap, s->f)) > 0) {
		if (line)
			line(out, l, ud);
		else
			fwrite(l, 1, (size_t)n, out);
	}
	free(l);
	ts_spool_close(s);
}

/* Columns count code points, as SARIF's `unicodeCodePoints` says: a
 * continuation byte (10xxxxxx) starts none. */
void ts_text_pos(const ts_source *src, size_t at, int *line, int *col)
{
	const char *t = src->text, *ls = t;
	if (at > src->len)
		at = src->len;
	int n = 1;
	for (const char *p = t; (p = memchr(p, '\n', (size_t)(t + at - p))); p++) {
		n++;
		ls = p + 1;
	}
	int c = 1;
	for (const char *p = ls; p < t + at; p++)
		c += ((unsigned char)*p & 0xC0) != 0x80;
	if (ls == t && src->bom)
		c -= c > 1;     /* the byte order mark is not a character to editors */
	*line = n;
	*col = c;
}

bool ts_has_jobs(const ts_file_result *r)
{
	return r->wf && r->inf && r->plan;
}

bool ts_job_written(const ts_file_result *r, size_t i)
{
	return r->status == TS_FILE_CHANGED && r->plan->jobs[i].action == TS_JOB_WRITE;
}

const char *ts_action_id(ts_job_action a)
{
	switch (a) {
	case TS_JOB_WRITE: return "write";
	case TS_JOB_HAS_BLOCK: return "has_block";
	case TS_JOB_INHERITS: return "inherits";
	case TS_JOB_UNRESOLVED: return "unresolved";
	case TS_JOB_UNSAFE: return "unsafe";
	}
	return "unsafe";
}

const char *ts_mode_name(ts_mode m)
{
	switch (m) {
	case TS_MODE_DIFF: return "diff";
	case TS_MODE_FIX: return "fix";
	case TS_MODE_CHECK: return "check";
	case TS_MODE_EXPLAIN: return "explain";
	}
	return "diff";
}

const char *ts_reason_text(ts_arena *a, const ts_reason *why)
{
	return ts_sprintf(a, "%s (%s)", why->what ? why->what : "?", ts_where(a, why));
}

const char *ts_impossible_text(ts_arena *a, const ts_job *j, const ts_note *n)
{
	return ts_sprintf(a, "Job `%s`: %s %s.", j->id, ts_reason_text(a, &n->at), n->text);
}

void ts_note_place(const ts_file_result *r, const ts_job *j, const ts_note *n,
		   const char **file, int *line)
{
	*file = n->at.file ? n->at.file : r->display;
	*line = n->at.line ? n->at.line : j->key->line;
}

const char *ts_needs_line(ts_arena *a, const ts_file_result *r, size_t i)
{
	const ts_job_needs *jn = &r->inf->jobs[i];
	if (jn->ngrants == 0)
		return "nothing (`permissions: {}`)";
	ts_buf b;
	ts_buf_init(&b, a);
	for (size_t k = 0; k < jn->ngrants; k++) {
		const ts_grant *g = &jn->grants[k];
		ts_buf_addf(&b, "%s%s: %s for %s", k ? "; " : "",
			    ts_map_scope_name(r->map, g->scope), ts_level_name(g->level),
			    ts_reason_text(a, &g->why));
	}
	return ts_buf_cstr(&b);
}

uint64_t ts_fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (h ^ 0xFF) * 1099511628211ull;   /* the end of s, so "ab"+"c" != "a"+"bc" */
}

/* ------------------------------------------------------------------ */
/* The progress line                                                   */

typedef struct ts_progress {
	bool on;
	bool shown;             /* a line is on the terminal now */
	bool ever;              /* ... or has been: the run is a long one */
	double start;
	size_t path_no;         /* the PATH of the last file emitted */
} ts_progress;

static double ts_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* The driver                                                          */

typedef struct ts_formats {
	ts_json_state *json;
	ts_sarif_state *sarif;
	ts_md_state *md;        /* --format markdown */
	ts_md_state *pr_body;   /* --pr-body */
	ts_commit_state *commit;
	ts_progress progress;
} ts_formats;

static ts_formats *ts_fmt(ts_emitter *e)
{
	return e->fmt;
}

void ts_formats_begin(ts_emitter *e)
{
	ts_formats *f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	e->fmt = f;
	if (e->opts.format == TS_FORMAT_JSON)
		f->json = ts_json_begin(e->out, e->opts.mode);
	else if (e->opts.format == TS_FORMAT_SARIF)
		f->sarif = ts_sarif_begin(e->out, e->opts.mode);
	else if (e->opts.format == TS_FORMAT_MARKDOWN)
		f->md = ts_md_begin(e->opts.mode);
	if (e->opts.pr_body)
		f->pr_body = ts_md_begin(e->opts.mode);
	if (e->opts.commit_message)
		f->commit = ts_commit_begin(e->opts.mode);
	f->progress.on = e->opts.progress && !e->opts.quiet;
	f->progress.start = f->progress.on ? ts_now() : 0;
}

/* Before anything of a file is printed: a progress line on the terminal
 * would otherwise run into it. */
void ts_progress_clear(ts_emitter *e)
{
	ts_formats *f = ts_fmt(e);
	if (f && f->progress.shown) {
		fputs("\r\033[K", ts_emit_err(e));
		f->progress.shown = false;
	}
}

/* Only once a run has taken a second, so short runs never see it; then
 * redrawn after each file, below whatever that file printed. */
void ts_progress_file(ts_emitter *e, size_t path_no)
{
	ts_progress *p = &ts_fmt(e)->progress;
	if (path_no)
		p->path_no = path_no;
	if (!p->on || (!p->ever && ts_now() - p->start < 1.0))
		return;
	/* How far through the PATHs, not the files: files are found one PATH
	 * at a time, as the run reaches it, so their total is not known. */
	const ts_totals *t = &e->totals;
	fprintf(ts_emit_err(e), "\r\033[Ktokenscope: %zu file%s, path %zu/%zu, %zu repositor%s, "
		"%zu changed, %zu error%s", t->files, t->files == 1 ? "" : "s", p->path_no,
		e->opts.npaths, t->repos, t->repos == 1 ? "y" : "ies", t->changed, t->errors,
		t->errors == 1 ? "" : "s");
	fflush(e->err);
	p->shown = p->ever = true;
}

void ts_formats_file(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	ts_formats *f = ts_fmt(e);
	if (f->json)
		ts_json_file(f->json, r, a);
	else if (f->sarif)
		ts_sarif_file(f->sarif, r, a);
	else if (f->md)
		ts_md_file(f->md, r, a);
	if (f->pr_body)
		ts_md_file(f->pr_body, r, a);
	if (f->commit)
		ts_commit_file(f->commit, r, a);
	ts_progress_file(e, r->path_no);
}

/* Side outputs are written whole at the end; a failure to write one is an
 * error of the run (exit 2), reported once. */
static void ts_side_write(ts_emitter *e, const char *path, ts_md_state *md,
			  ts_commit_state *cm)
{
	FILE *out = fopen(path, "w");
	if (!out) {
		fprintf(ts_emit_err(e), "tokenscope: cannot write %s: %s\n", path, strerror(errno));
		e->totals.errors++;
		return;
	}
	if (md)
		ts_md_end(md, out, &e->totals);
	else
		ts_commit_end(cm, out, &e->totals);
	if (fclose(out) != 0) {
		fprintf(ts_emit_err(e), "tokenscope: cannot write %s: %s\n", path, strerror(errno));
		e->totals.errors++;
	}
}

void ts_formats_end(ts_emitter *e)
{
	ts_formats *f = ts_fmt(e);
	ts_progress_clear(e);
	if (f->json)
		ts_json_end(f->json, &e->totals);
	else if (f->sarif)
		ts_sarif_end(f->sarif, &e->totals);
	else if (f->md)
		ts_md_end(f->md, e->out, &e->totals);
	if (f->pr_body)
		ts_side_write(e, e->opts.pr_body, f->pr_body, NULL);
	if (f->commit)
		ts_side_write(e, e->opts.commit_message, NULL, f->commit);
	fflush(e->out);
}

void ts_formats_free(ts_emitter *e)
{
	ts_formats *f = ts_fmt(e);
	if (!f)
		return;
	ts_json_free(f->json);
	ts_sarif_free(f->sarif);
	ts_md_free(f->md);
	ts_md_free(f->pr_body);
	ts_commit_free(f->commit);
	free(f);
	e->fmt = NULL;
}
