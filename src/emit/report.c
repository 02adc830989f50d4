/*
 * report.c - the emitter: diffs, the one-line-per-file reports of fix and
 * check, explain, and the closing summary. Machine formats (json, sarif,
 * markdown, github) live in formats.c and are called from here.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

const char *ts_action_word(ts_job_action a)
{
	switch (a) {
	case TS_JOB_WRITE: return "block inserted";
	case TS_JOB_HAS_BLOCK: return "has its own permissions";
	case TS_JOB_INHERITS: return "inherits exactly what it needs";
	case TS_JOB_UNRESOLVED: return "skipped: needs cannot be proven";
	case TS_JOB_UNSAFE: return "skipped: unsafe to edit";
	}
	return "?";
}

/* "contents: read, issues: write" or "nothing" */
const char *ts_grants_text(ts_arena *a, const ts_map *map, const ts_job_needs *jn)
{
	if (jn->ngrants == 0)
		return "nothing";
	ts_buf b;
	ts_buf_init(&b, a);
	for (size_t i = 0; i < jn->ngrants; i++)
		ts_buf_addf(&b, "%s%s: %s", i ? ", " : "", ts_map_scope_name(map, jn->grants[i].scope),
			    ts_level_name(jn->grants[i].level));
	return ts_buf_cstr(&b);
}

const char *ts_where(ts_arena *a, const ts_reason *r)
{
	ts_buf b;
	ts_buf_init(&b, a);
	ts_buf_adds(&b, r->step ? r->step : "job");
	if (r->line)
		ts_buf_addf(&b, ", line %d", r->line);
	if (r->file)
		ts_buf_addf(&b, " of %s", r->file);
	return ts_buf_cstr(&b);
}

/* The first note of a kind, for one-line reports. */
const ts_note *ts_first_note(const ts_job_needs *jn, ts_note_kind kind)
{
	for (size_t i = 0; i < jn->nnotes; i++)
		if (jn->notes[i].kind == kind)
			return &jn->notes[i];
	return NULL;
}

void ts_count_file(ts_totals *t, const ts_file_result *r)
{
	t->files++;
	switch (r->status) {
	case TS_FILE_CHANGED: t->changed++; break;
	case TS_FILE_UNCHANGED: t->unchanged++; break;
	case TS_FILE_NOT_WORKFLOW: t->not_workflow++; break;
	case TS_FILE_ERROR: t->errors++; break;
	}
	if (!r->plan)
		return;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		t->jobs++;
		switch (r->plan->jobs[i].action) {
		case TS_JOB_WRITE: t->jobs_written += r->status == TS_FILE_CHANGED; break;
		case TS_JOB_HAS_BLOCK: t->jobs_has_block++; break;
		case TS_JOB_INHERITS: t->jobs_inherit++; break;
		case TS_JOB_UNRESOLVED: t->jobs_unresolved++; break;
		case TS_JOB_UNSAFE: t->jobs_unsafe++; break;
		}
		const ts_job_needs *jn = &r->inf->jobs[i];
		t->jobs_proven += jn->resolved;
		for (size_t k = 0; k < jn->nnotes; k++)
			t->impossible += jn->notes[k].kind == TS_NOTE_IMPOSSIBLE;
	}
}

/* Every field is a count: one more field and this must add it too. */
_Static_assert(sizeof(ts_totals) == 14 * sizeof(size_t), "ts_count_add adds every count");

void ts_count_add(ts_emitter *e, const ts_totals *d, const char *root)
{
	ts_totals *t = &e->totals;
	t->files += d->files;
	t->changed += d->changed;
	t->unchanged += d->unchanged;
	t->not_workflow += d->not_workflow;
	t->errors += d->errors;
	t->jobs += d->jobs;
	t->jobs_proven += d->jobs_proven;
	t->jobs_written += d->jobs_written;
	t->jobs_has_block += d->jobs_has_block;
	t->jobs_inherit += d->jobs_inherit;
	t->jobs_unresolved += d->jobs_unresolved;
	t->jobs_unsafe += d->jobs_unsafe;
	t->impossible += d->impossible;
	/* files come in order, so a repository's are consecutive */
	if (root && (!e->last_root || strcmp(e->last_root, root))) {
		t->repos++;
		free(e->last_root);
		e->last_root = strdup(root);
	}
}

static void ts_error_line(ts_emitter *e, const ts_file_result *r)
{
	if (r->err.line)
		fprintf(ts_emit_err(e), "%s:%d:%d: error: %s\n", r->path, r->err.line,
			r->err.col ? r->err.col : 1, r->err.msg);
	else
		fprintf(ts_emit_err(e), "%s: error: %s\n", r->path, r->err.msg);
}

/* On stderr, so the diff on stdout stays a clean patch. */
static void ts_skip_lines(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	if (e->opts.quiet || !r->plan)
		return;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		const ts_job_plan *jp = &r->plan->jobs[i];
		const ts_job_needs *jn = &r->inf->jobs[i];
		const char *id = r->wf->jobv[i].id;
		if (jp->action == TS_JOB_UNSAFE)
			fprintf(ts_emit_err(e), "%s: job `%s` skipped: %s\n", r->display, id, jp->why);
		const ts_note *n = ts_first_note(jn, TS_NOTE_UNRESOLVED);
		if (jp->action == TS_JOB_UNRESOLVED && n)
			fprintf(ts_emit_err(e), "%s:%d: job `%s` skipped: %s (%s): %s\n", r->display,
				n->at.line, id, n->at.what, ts_where(a, &n->at), n->text);
		for (size_t k = 0; k < jn->nnotes; k++)
			if (jn->notes[k].kind == TS_NOTE_IMPOSSIBLE)
				fprintf(ts_emit_err(e), "%s:%d: job `%s`: %s (%s) %s\n", r->display,
					jn->notes[k].at.line, id, jn->notes[k].at.what,
					ts_where(a, &jn->notes[k].at), jn->notes[k].text);
	}
}

static void ts_check_line(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	for (size_t i = 0; i < r->plan->njobs; i++)
		if (r->plan->jobs[i].action == TS_JOB_WRITE)
			fprintf(e->out, "%s: job `%s` needs a permissions block: %s\n", r->display,
				r->wf->jobv[i].id, ts_grants_text(a, r->map, &r->inf->jobs[i]));
	if (r->plan->top)
		fprintf(e->out, "%s: top level would get `permissions: {}`\n", r->display);
}

static void ts_text_file(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	if (r->status == TS_FILE_ERROR) {
		ts_error_line(e, r);
		return;
	}
	if (r->status == TS_FILE_NOT_WORKFLOW) {
		if (!e->opts.quiet)
			fprintf(ts_emit_err(e), "%s: skipped: %s\n", r->display, r->err.msg);
		return;
	}
	if (e->opts.mode == TS_MODE_EXPLAIN) {
		ts_explain_file(e, r, a);
		return;
	}
	if (r->status == TS_FILE_CHANGED) {
		if (e->opts.mode == TS_MODE_DIFF) {
			ts_buf b;
			ts_buf_init(&b, a);
			ts_emit_diff(&b, r->display, r->src->text, r->src->len, r->out_text,
				     r->out_len, e->opts.color);
			fwrite(b.data, 1, b.len, e->out);
		} else if (e->opts.mode == TS_MODE_FIX && r->written) {
			size_t n = 0;
			for (size_t i = 0; i < r->plan->njobs; i++)
				n += r->plan->jobs[i].action == TS_JOB_WRITE;
			fprintf(e->out, "fixed %s (%zu job%s)\n", r->display, n, n == 1 ? "" : "s");
		} else if (e->opts.mode == TS_MODE_CHECK) {
			ts_check_line(e, r, a);
		}
	}
	ts_skip_lines(e, r, a);
}

ts_emitter *ts_emitter_new(FILE *out, FILE *err, const ts_emit_opts *opts)
{
	ts_emitter *e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	e->out = out;
	e->err = err;
	e->opts = *opts;
	ts_formats_begin(e);
	return e;
}

bool ts_summary_only(const ts_emitter *e)
{
	return e->opts.mode == TS_MODE_EXPLAIN && e->opts.summary_only &&
	       (e->opts.format == TS_FORMAT_DIFF || e->opts.format == TS_FORMAT_TEXT);
}

void ts_file_output(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	if (e->opts.format == TS_FORMAT_DIFF || e->opts.format == TS_FORMAT_TEXT)
		ts_text_file(e, r, a);
	else if (e->opts.format == TS_FORMAT_GITHUB)
		ts_github_file(e->out, e->opts.mode, r, a);
}

void ts_emitter_file(ts_emitter *e, const ts_file_result *r)
{
	ts_arena a = TS_ARENA_INIT;
	ts_progress_clear(e);
	ts_totals counts = {0};
	ts_count_file(&counts, r);
	ts_count_add(e, &counts, r->root);
	ts_file_output(e, r, &a);
	/* the stateful formats, --pr-body, --commit-message, progress */
	ts_formats_file(e, r, &a);
	if (ts_summary_only(e))
		ts_unknowns_add(e, r);  /* only explain --summary shows them */
	ts_arena_free(&a);
}

static void ts_summary(ts_emitter *e, FILE *f)
{
	const ts_totals *t = &e->totals;
	const char *verb = e->opts.mode == TS_MODE_FIX ? "changed"
			   : e->opts.mode == TS_MODE_CHECK ? "to change" : "with changes";
	fprintf(f, "tokenscope: ");
	if (t->repos > 1)
		fprintf(f, "%zu repositories, ", t->repos);
	fprintf(f, "%zu file%s (%zu %s, %zu unchanged, %zu not workflows, %zu error%s); "
		   "jobs: %zu %s, %zu with blocks, %zu inheriting, %zu unresolved, %zu unsafe",
		t->files, t->files == 1 ? "" : "s", t->changed, verb, t->unchanged,
		t->not_workflow, t->errors, t->errors == 1 ? "" : "s", t->jobs_written,
		e->opts.mode == TS_MODE_FIX ? "fixed" : "to fix", t->jobs_has_block,
		t->jobs_inherit, t->jobs_unresolved, t->jobs_unsafe);
	if (t->impossible)
		fprintf(f, "; %zu call%s GITHUB_TOKEN cannot make", t->impossible,
			t->impossible == 1 ? "" : "s");
	fprintf(f, "\n");
}

void ts_emitter_end(ts_emitter *e, ts_totals *totals)
{
	/* first: it closes a machine format and writes --pr-body and
	 * --commit-message, whose failures count as errors */
	ts_formats_end(e);
	if (e->opts.format == TS_FORMAT_DIFF || e->opts.format == TS_FORMAT_TEXT) {
		if (ts_summary_only(e))
			ts_explain_summary(e);
		else if (!e->opts.quiet)
			ts_summary(e, e->opts.mode == TS_MODE_DIFF ? ts_emit_err(e) : e->out);
	} else if (!e->opts.quiet) {
		ts_summary(e, ts_emit_err(e));  /* stdout holds the document alone */
	}
	fflush(e->out);
	if (totals)
		*totals = e->totals;
}

void ts_emitter_free(ts_emitter *e)
{
	if (!e)
		return;
	ts_unknowns_free(e);
	ts_formats_free(e);
	free(e->last_root);
	free(e);
}
