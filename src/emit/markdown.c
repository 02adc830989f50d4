/*
 * markdown.c - the pull request body (`--format markdown`, `--pr-body FILE`)
 * and the commit message (`--commit-message FILE`).
 *
 * Both open with counts known only at the end, so the per-file parts are
 * spooled and copied in after the opening. A run over several repositories
 * gets a heading per repository; a run over one does not, which is known
 * only at the end too: the spool marks where a repository starts, and the
 * copy turns each mark into a heading or drops it.
 *
 * Names from workflows (jobs, steps, actions, paths) go in code spans, so
 * a step named "ping @team" mentions no one and no name breaks a table.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

#define TS_MARK_REPO '\x01'     /* a spooled line naming a repository */
#define TS_MARK_FILE '\x02'     /* a spooled line naming a workflow file */

/* ------------------------------------------------------------------ */
/* Markdown text                                                       */

/* An inline code span holding s on one line. In a table cell `|` must be
 * escaped even inside a code span (GitHub's tables split cells first). */
static void ts_md_code(ts_buf *b, const char *s, bool cell)
{
	size_t run = 0, longest = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	bool pad = s[0] == '`' || (*s && s[strlen(s) - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		ts_buf_add(b, "`", 1);
	if (pad)
		ts_buf_add(b, " ", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '\n' || *p == '\r')
			ts_buf_add(b, " ", 1);
		else if (*p == '|' && cell)
			ts_buf_add(b, "\\|", 2);
		else
			ts_buf_add(b, p, 1);
	}
	if (pad)
		ts_buf_add(b, " ", 1);
	for (size_t i = 0; i <= longest; i++)
		ts_buf_add(b, "`", 1);
}

/* Text that may quote a workflow, on one line: markdown's punctuation
 * escaped, and `@` written so that it mentions no one. Backticks are kept
 * in a note's cause, where they are ours and mark code. */
static void ts_md_text_ticks(ts_buf *b, const char *s, bool ticks)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\n' || *p == '\r')
			ts_buf_add(b, " ", 1);
		else if (*p == '@')
			ts_buf_adds(b, "&#64;");
		else if (strchr("\\*<>[]|", *p) || (*p == '`' && !ticks)) {
			ts_buf_add(b, "\\", 1);
			ts_buf_add(b, p, 1);
		} else
			ts_buf_add(b, p, 1);
	}
}

static void ts_md_text(ts_buf *b, const char *s)
{
	ts_md_text_ticks(b, s, true);
}

/* "`actions/checkout` (step 1, line 12)": a step's name is the user's. */
static void ts_md_reason(ts_buf *b, ts_arena *a, const ts_reason *r, bool cell)
{
	ts_md_code(b, r->what ? r->what : "?", cell);
	ts_buf_adds(b, " (");
	ts_md_text_ticks(b, ts_where(a, r), false);
	ts_buf_adds(b, ")");
}

/* ------------------------------------------------------------------ */
/* Per file                                                            */

/* Which repository the last file was in: a heading when it changes. */
typedef struct ts_root_mark {
	bool started;
	char *last;             /* NULL: outside any repository */
} ts_root_mark;

/* True when r starts another repository (or leaves one). */
static bool ts_root_changed(ts_root_mark *m, const char *root)
{
	if (m->started && (m->last && root ? !strcmp(m->last, root) : m->last == root))
		return false;
	m->started = true;
	free(m->last);
	m->last = root ? strdup(root) : NULL;
	return true;
}

struct ts_md_state {
	ts_mode mode;
	ts_spool body;
	ts_root_mark root;
	size_t tops;            /* files given `permissions: {}` at the top */
	size_t skipped;         /* jobs left as they are */
};

static void ts_md_mark_root(ts_buf *b, ts_root_mark *m, const char *root)
{
	if (!ts_root_changed(m, root))
		return;
	ts_buf_addf(b, "%c", TS_MARK_REPO);
	if (root) {
		ts_buf_adds(b, "Repository ");
		ts_md_code(b, root, false);
	} else {
		ts_buf_adds(b, "Files outside a repository");
	}
	ts_buf_add(b, "\n", 1);
}

static void ts_md_scope_row(ts_buf *b, ts_arena *a, const ts_file_result *r,
			    const ts_grant *g, const char *job)
{
	ts_buf_adds(b, "| ");
	if (job)
		ts_md_code(b, job, true);
	ts_buf_adds(b, " | ");
	ts_md_code(b, ts_sprintf(a, "%s: %s", ts_map_scope_name(r->map, g->scope),
				 ts_level_name(g->level)), true);
	ts_buf_adds(b, " | ");
	ts_md_reason(b, a, &g->why, true);
	if (g->more)
		ts_buf_addf(b, " and %u more step%s", g->more, g->more == 1 ? "" : "s");
	ts_buf_adds(b, " | ");
	if (g->why.origin.file)
		ts_md_code(b, ts_sprintf(a, "%s:%d", g->why.origin.file, g->why.origin.line), true);
	ts_buf_adds(b, " |\n");
}

static void ts_md_table(ts_buf *b, ts_arena *a, const ts_file_result *r)
{
	ts_buf_adds(b, "| Job | Permission | Needed by | Map entry |\n|---|---|---|---|\n");
	for (size_t i = 0; i < r->plan->njobs; i++) {
		if (!ts_job_written(r, i))
			continue;
		const ts_job_needs *jn = &r->inf->jobs[i];
		const char *id = r->wf->jobv[i].id;
		if (jn->ngrants == 0) {
			ts_buf_adds(b, "| ");
			ts_md_code(b, id, true);
			ts_buf_adds(b, " | none: `{}` | no step uses `GITHUB_TOKEN` | |\n");
		}
		for (size_t k = 0; k < jn->ngrants; k++)
			ts_md_scope_row(b, a, r, &jn->grants[k], k ? NULL : id);
	}
	if (r->plan->top)
		ts_buf_adds(b, "\nAt the top level: `permissions: {}`. Every job now sets its own, "
			       "so a job added later starts with no access until it asks for some.\n");
}

static size_t ts_md_skips(ts_buf *b, ts_arena *a, const ts_file_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		const ts_job_plan *jp = &r->plan->jobs[i];
		if (jp->action != TS_JOB_UNRESOLVED && jp->action != TS_JOB_UNSAFE)
			continue;
		if (n++ == 0)
			ts_buf_adds(b, "\nLeft as they are:\n\n");
		ts_buf_adds(b, "- ");
		ts_md_code(b, r->wf->jobv[i].id, false);
		ts_buf_addf(b, " (line %d): ", r->wf->jobv[i].key->line);
		const ts_note *note = ts_first_note(&r->inf->jobs[i], TS_NOTE_UNRESOLVED);
		if (jp->action == TS_JOB_UNSAFE) {
			ts_buf_adds(b, "editing it is unsafe: ");
			ts_md_text(b, jp->why);
		} else {
			ts_buf_adds(b, "its needs cannot be proven");
			if (note) {
				ts_buf_adds(b, ": ");
				ts_md_reason(b, a, &note->at, false);
				ts_buf_adds(b, ": ");
				ts_md_text(b, note->text);
			}
		}
		ts_buf_adds(b, ".\n");
	}
	return n;
}

static size_t ts_md_impossible(ts_buf *b, ts_arena *a, const ts_file_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		const ts_job_needs *jn = &r->inf->jobs[i];
		for (size_t k = 0; k < jn->nnotes; k++) {
			const ts_note *note = &jn->notes[k];
			if (note->kind != TS_NOTE_IMPOSSIBLE)
				continue;
			if (n++ == 0)
				ts_buf_adds(b, "\nCalls `GITHUB_TOKEN` cannot make, whatever the "
					       "workflow grants:\n\n");
			ts_buf_adds(b, "- ");
			ts_md_code(b, r->wf->jobv[i].id, false);
			ts_buf_adds(b, ": ");
			ts_md_reason(b, a, &note->at, false);
			ts_buf_adds(b, " ");
			ts_md_text(b, note->text);
			ts_buf_adds(b, ".\n");
		}
	}
	return n;
}

static void ts_md_error(ts_buf *b, ts_arena *a, const ts_file_result *r)
{
	ts_buf_adds(b, "Could not be processed: ");
	if (r->err.line)
		ts_md_code(b, ts_sprintf(a, "%s:%d:%d", r->display, r->err.line,
					 r->err.col ? r->err.col : 1), false);
	else
		ts_md_code(b, r->display, false);
	ts_buf_adds(b, ": ");
	ts_md_text(b, r->err.msg);
	ts_buf_adds(b, "\n");
}

static bool ts_md_worth(const ts_file_result *r)
{
	if (r->status == TS_FILE_ERROR || r->status == TS_FILE_CHANGED)
		return true;
	if (!ts_has_jobs(r))
		return false;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		ts_job_action act = r->plan->jobs[i].action;
		if (act == TS_JOB_UNRESOLVED || act == TS_JOB_UNSAFE ||
		    ts_first_note(&r->inf->jobs[i], TS_NOTE_IMPOSSIBLE))
			return true;
	}
	return false;
}

ts_md_state *ts_md_begin(ts_mode mode)
{
	ts_md_state *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->mode = mode;
	ts_spool_open(&s->body);
	return s;
}

void ts_md_file(ts_md_state *s, const ts_file_result *r, ts_arena *a)
{
	if (!ts_md_worth(r))
		return;
	ts_buf b;
	ts_buf_init(&b, a);
	ts_md_mark_root(&b, &s->root, r->root);
	ts_buf_addf(&b, "%c", TS_MARK_FILE);
	ts_md_code(&b, r->display, false);
	ts_buf_adds(&b, "\n\n");
	if (r->status == TS_FILE_ERROR)
		ts_md_error(&b, a, r);
	if (ts_has_jobs(r)) {
		if (r->status == TS_FILE_CHANGED)
			ts_md_table(&b, a, r);
		s->skipped += ts_md_skips(&b, a, r);
		ts_md_impossible(&b, a, r);
		s->tops += r->status == TS_FILE_CHANGED && r->plan->top;
	}
	ts_buf_adds(&b, "\n");
	fwrite(b.data, 1, b.len, s->body.f);
}

/* ------------------------------------------------------------------ */
/* The whole body                                                      */

static const char *ts_s(size_t n)
{
	return n == 1 ? "" : "s";
}

static void ts_md_counts(FILE *out, const ts_md_state *s, const ts_totals *t)
{
	bool fix = s->mode == TS_MODE_FIX;
	if (t->jobs_written)
		fprintf(out, "%s %zu job%s in %zu workflow file%s a `permissions:` block that "
			     "grants only what the job's steps use.",
			fix ? "This change gives" : "`tokenscope fix` would give", t->jobs_written,
			ts_s(t->jobs_written), t->changed, ts_s(t->changed));
	else
		fprintf(out, "No workflow needs a change: every job has a `permissions:` block or "
			     "inherits exactly what it needs.");
	fprintf(out, " Without a block, a job's `GITHUB_TOKEN` gets the workflow's or the "
		     "repository's default permissions, which often include write access to code, "
		     "releases and packages.\n\n");
	if (t->jobs_written)
		fprintf(out, "- **%zu** job%s given a block, in **%zu** file%s\n", t->jobs_written,
			ts_s(t->jobs_written), t->changed, ts_s(t->changed));
	if (s->tops)
		fprintf(out, "- **%zu** file%s given `permissions: {}` at the top level\n", s->tops,
			ts_s(s->tops));
	fprintf(out, "- **%zu** job%s already with a block, **%zu** inheriting exactly what %s\n",
		t->jobs_has_block, ts_s(t->jobs_has_block), t->jobs_inherit,
		t->jobs_inherit == 1 ? "it needs" : "they need");
	if (s->skipped)
		fprintf(out, "- **%zu** job%s left as %s: %s needs cannot be proven (below)\n",
			s->skipped, ts_s(s->skipped), s->skipped == 1 ? "it was" : "they were",
			s->skipped == 1 ? "its" : "their");
	if (t->impossible)
		fprintf(out, "- **%zu** call%s `GITHUB_TOKEN` cannot make (below)\n", t->impossible,
			ts_s(t->impossible));
	if (t->errors)
		fprintf(out, "- **%zu** file%s could not be processed (below)\n", t->errors,
			ts_s(t->errors));
	fputc('\n', out);
}

static void ts_md_review(FILE *out, const ts_md_state *s)
{
	fprintf(out, "### How to review\n\n"
		     "- The diff only adds lines: no existing line is changed or removed. Each "
		     "scope has a `# reason` comment naming the step and line that need it, as in "
		     "the tables above.\n"
		     "- `tokenscope explain FILE` lists every need of every job with the map entry "
		     "behind it; `tokenscope check .` %s.\n"
		     "- A job that fails afterwards with `Resource not accessible by integration` "
		     "needs a scope that was not found: add it to that job's block.\n\n"
		     "_Made by tokenscope %s._\n",
		s->mode == TS_MODE_FIX ? "exits 0 on this branch" : "exits 0 once it is applied",
		TS_VERSION);
}

typedef struct ts_md_drain {
	bool multi;             /* more than one repository */
	bool seen;              /* a repository's heading was written */
} ts_md_drain;

static void ts_md_line(FILE *out, const char *l, void *ud)
{
	const ts_md_drain *d = ud;
	if (l[0] == TS_MARK_REPO) {
		if (d->multi)
			fprintf(out, "### %s\n", l + 1);
	} else if (l[0] == TS_MARK_FILE) {
		fprintf(out, "%s %s", d->multi ? "####" : "###", l + 1);
	} else {
		fputs(l, out);
	}
}

void ts_md_end(ts_md_state *s, FILE *out, const ts_totals *t)
{
	fprintf(out, "## Least-privilege `GITHUB_TOKEN` permissions\n\n");
	ts_md_counts(out, s, t);
	ts_md_drain d = {t->repos > 1, false};
	ts_spool_drain(&s->body, out, ts_md_line, &d);
	ts_md_review(out, s);
}

void ts_md_free(ts_md_state *s)
{
	if (!s)
		return;
	ts_spool_close(&s->body);
	free(s->root.last);
	free(s);
}

/* ------------------------------------------------------------------ */
/* The commit message                                                  */

struct ts_commit_state {
	ts_mode mode;
	ts_spool list;
	ts_root_mark root;
	size_t tops;
};

ts_commit_state *ts_commit_begin(ts_mode mode)
{
	ts_commit_state *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->mode = mode;
	ts_spool_open(&s->list);
	return s;
}

/* s on one line, whatever it holds. */
static void ts_one_line(ts_buf *b, const char *s)
{
	for (const char *p = s; *p; p++)
		ts_buf_add(b, *p == '\n' || *p == '\r' ? " " : p, 1);
}

/* "- .github/workflows/ci.yml: test (contents: read), lint (none)" */
void ts_commit_file(ts_commit_state *s, const ts_file_result *r, ts_arena *a)
{
	if (r->status != TS_FILE_CHANGED)
		return;
	ts_buf b;
	ts_buf_init(&b, a);
	if (ts_root_changed(&s->root, r->root)) {
		ts_buf_addf(&b, "%c", TS_MARK_REPO);
		ts_one_line(&b, r->root ? r->root : "outside a repository");
		ts_buf_adds(&b, "\n");
	}
	ts_buf_adds(&b, "- ");
	ts_one_line(&b, r->display);
	ts_buf_adds(&b, ":");
	size_t n = 0;
	for (size_t i = 0; i < r->plan->njobs; i++) {
		if (!ts_job_written(r, i))
			continue;
		const ts_job_needs *jn = &r->inf->jobs[i];
		ts_buf_adds(&b, n++ ? ", " : " ");
		ts_one_line(&b, r->wf->jobv[i].id);
		ts_buf_addf(&b, " (%s)", jn->ngrants ? ts_grants_text(a, r->map, jn) : "none");
	}
	s->tops += r->plan->top;
	ts_buf_adds(&b, "\n");
	fwrite(b.data, 1, b.len, s->list.f);
}

static void ts_commit_line(FILE *out, const char *l, void *ud)
{
	ts_md_drain *d = ud;
	if (l[0] != TS_MARK_REPO)
		fputs(l, out);
	else if (d->multi) {
		fprintf(out, "%s%.*s:\n", d->seen ? "\n" : "", (int)strcspn(l + 1, "\n"), l + 1);
		d->seen = true;
	}
}

/* A paragraph wrapped at 72 columns, as git log shows it best. */
static void ts_wrap(FILE *out, const char *text)
{
	size_t col = 0;
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (col && col + 1 + n > 72) {
			fputc('\n', out);
			col = 0;
		} else if (col) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += n;
		p += n;
		p += strspn(p, " ");
	}
	fputc('\n', out);
}

void ts_commit_end(ts_commit_state *s, FILE *out, const ts_totals *t)
{
	ts_arena a = TS_ARENA_INIT;
	fprintf(out, "ci: set least-privilege GITHUB_TOKEN permissions\n\n");
	if (!t->jobs_written) {
		fprintf(out, "No workflow needed a change.\n");
	} else {
		const char *top = s->tops ? ts_sprintf(&a, ", and `permissions: {}` at the top level "
							   "of %zu file%s where every job now sets its own",
						      s->tops, ts_s(s->tops)) : "";
		ts_wrap(out, ts_sprintf(&a, "Give %zu job%s in %zu workflow file%s a `permissions:` "
					    "block that grants only the scopes their steps use%s.",
					t->jobs_written, ts_s(t->jobs_written), t->changed,
					ts_s(t->changed), top));
		fputc('\n', out);
		ts_md_drain d = {t->repos > 1, false};
		ts_spool_drain(&s->list, out, ts_commit_line, &d);
	}
	size_t left = t->jobs_unresolved + t->jobs_unsafe;
	if (left) {
		fputc('\n', out);
		ts_wrap(out, ts_sprintf(&a, "%zu job%s without a block %s left as %s: %s needs "
					    "cannot be proven (`tokenscope explain` says why).",
					left, ts_s(left), left == 1 ? "was" : "were",
					left == 1 ? "it was" : "they were", left == 1 ? "its" : "their"));
	}
	fprintf(out, "\nMade by tokenscope %s.\n", TS_VERSION);
	ts_arena_free(&a);
}

void ts_commit_free(ts_commit_state *s)
{
	if (!s)
		return;
	ts_spool_close(&s->list);
	free(s->root.last);
	free(s);
}
