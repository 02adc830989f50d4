/*
 * explain.c - `tokenscope explain`: per job, every need with its reason,
 * every skip with its cause, every call GITHUB_TOKEN cannot make; and with
 * --summary, the coverage counts and the unknowns users should describe.
 */
#include "emit_int.h"

#include <stdlib.h>
#include <string.h>

static void ts_explain_job(ts_emitter *e, const ts_file_result *r, size_t i,
			   ts_arena *a)
{
	const ts_job *j = &r->wf->jobv[i];
	const ts_job_needs *jn = &r->inf->jobs[i];
	const ts_job_plan *jp = &r->plan->jobs[i];
	fprintf(e->out, "  job %s (line %d): %s\n", j->id, j->key->line, ts_action_word(jp->action));
	if (jp->action == TS_JOB_UNSAFE)
		fprintf(e->out, "    why: %s\n", jp->why);
	if (jn->resolved)
		fprintf(e->out, "    needs: %s\n", ts_grants_text(a, r->map, jn));
	for (size_t k = 0; k < jn->nall; k++) {
		const ts_grant *g = &jn->all[k];
		fprintf(e->out, "    %s: %s  <- %s (%s)", ts_map_scope_name(r->map, g->scope),
			ts_level_name(g->level), g->why.what, ts_where(a, &g->why));
		if (g->why.origin.file)
			fprintf(e->out, " [%s:%d]", g->why.origin.file, g->why.origin.line);
		fputc('\n', e->out);
	}
	for (size_t k = 0; k < jn->nnotes; k++) {
		const ts_note *n = &jn->notes[k];
		const char *tag = n->kind == TS_NOTE_UNRESOLVED ? "unresolved"
				  : n->kind == TS_NOTE_IMPOSSIBLE ? "impossible" : "note";
		fprintf(e->out, "    %s: %s (%s): %s\n", tag, n->at.what, ts_where(a, &n->at), n->text);
	}
}

void ts_explain_file(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	if (e->opts.summary_only)
		return;
	fprintf(e->out, "%s\n", r->display);
	if (r->inf->workflow_call) {
		ts_buf b;
		ts_buf_init(&b, a);
		for (int s = 0; s < ts_map_nscopes(r->map); s++)
			if (r->inf->callers[s])
				ts_buf_addf(&b, "%s%s: %s", b.len ? ", " : "",
					    ts_map_scope_name(r->map, s), ts_level_name(r->inf->callers[s]));
		fprintf(e->out, "  callable workflow: callers must grant at least: %s%s\n",
			b.len ? ts_buf_cstr(&b) : "nothing",
			r->inf->callers_known ? "" : " (and more: some jobs' needs are unproven)");
	}
	for (size_t i = 0; i < r->plan->njobs; i++)
		ts_explain_job(e, r, i, a);
}

/* ------------------------------------------------------------------ */
/* Unknowns, for --summary                                             */

static void ts_unknown_bump(ts_emitter *e, const char *what)
{
	for (size_t i = 0; i < e->nunknowns; i++)
		if (!strcmp(e->unknowns[i].what, what)) {
			e->unknowns[i].count++;
			return;
		}
	if (e->nunknowns == e->cap_unknowns) {
		e->cap_unknowns = e->cap_unknowns ? e->cap_unknowns * 2 : 32;
		e->unknowns = realloc(e->unknowns, e->cap_unknowns * sizeof(*e->unknowns));
		if (!e->unknowns)
			abort();
	}
	e->unknowns[e->nunknowns].what = strdup(what);
	e->unknowns[e->nunknowns++].count = 1;
}

void ts_unknowns_add(ts_emitter *e, const ts_file_result *r)
{
	if (!r->inf)
		return;
	for (size_t i = 0; i < r->inf->njobs; i++) {
		const ts_job_needs *jn = &r->inf->jobs[i];
		for (size_t k = 0; k < jn->nnotes; k++)
			if (jn->notes[k].kind == TS_NOTE_UNRESOLVED && jn->notes[k].at.what)
				ts_unknown_bump(e, jn->notes[k].at.what);
	}
}

void ts_unknowns_free(ts_emitter *e)
{
	for (size_t i = 0; i < e->nunknowns; i++)
		free(e->unknowns[i].what);
	free(e->unknowns);
}

static int ts_cmp_unknown(const void *x, const void *y)
{
	const ts_unknown *a = x, *b = y;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->what, b->what);
}

void ts_explain_summary(ts_emitter *e)
{
	const ts_totals *t = &e->totals;
	size_t decided = t->jobs_written + t->jobs_has_block + t->jobs_inherit;
	fprintf(e->out, "files: %zu (%zu workflows, %zu not workflows, %zu errors)\n", t->files,
		t->files - t->not_workflow - t->errors, t->not_workflow, t->errors);
	fprintf(e->out, "jobs: %zu\n", t->jobs);
	fprintf(e->out, "  needs proven: %zu (%.1f%%)\n", t->jobs_proven,
		t->jobs ? 100.0 * (double)t->jobs_proven / (double)t->jobs : 0.0);
	fprintf(e->out, "  decided:      %zu (%.1f%%): %zu to write, %zu with blocks, %zu inheriting\n",
		decided, t->jobs ? 100.0 * (double)decided / (double)t->jobs : 0.0,
		t->jobs_written, t->jobs_has_block, t->jobs_inherit);
	fprintf(e->out, "  unresolved:   %zu (left as they are)\n  unsafe:       %zu\n",
		t->jobs_unresolved, t->jobs_unsafe);
	fprintf(e->out, "calls GITHUB_TOKEN cannot make: %zu\n", t->impossible);
	if (e->nunknowns)
		qsort(e->unknowns, e->nunknowns, sizeof(*e->unknowns), ts_cmp_unknown);
	fprintf(e->out, "unresolved causes, most frequent first:\n");
	for (size_t i = 0; i < e->nunknowns && i < 40; i++)
		fprintf(e->out, "  %6zu  %s\n", e->unknowns[i].count, e->unknowns[i].what);
}
