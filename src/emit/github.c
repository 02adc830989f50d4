/*
 * github.c - `--format github`: workflow commands that GitHub Actions shows
 * as annotations on the file and line, for `tokenscope check` in CI:
 *
 *   ::warning file=PATH,line=N,col=M,title=TITLE::MESSAGE
 *
 * A warning for each job that needs a block (a notice once `fix` wrote it),
 * a notice for each job left as it is, a warning for each call
 * GITHUB_TOKEN cannot make, an error for each file that could not be read.
 * PATH is relative to the repository root, as Actions expects.
 */
#include "formats.h"

#include <string.h>

/* GitHub's escaping for workflow commands: `%`, CR and LF in the message;
 * in a property also `:` and `,`, which would end it. */
static void ts_gh_escape(ts_buf *b, const char *s, bool property)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '%': ts_buf_adds(b, "%25"); break;
		case '\r': ts_buf_adds(b, "%0D"); break;
		case '\n': ts_buf_adds(b, "%0A"); break;
		case ':': ts_buf_adds(b, property ? "%3A" : ":"); break;
		case ',': ts_buf_adds(b, property ? "%2C" : ","); break;
		default: ts_buf_add(b, p, 1);
		}
	}
}

typedef struct ts_gh_cmd {
	const char *level;      /* "warning", "notice", "error" */
	const char *file;
	int line, col;
	const char *title, *message;
} ts_gh_cmd;

static void ts_gh_emit(ts_buf *b, const ts_gh_cmd *c)
{
	ts_buf_addf(b, "::%s file=", c->level);
	ts_gh_escape(b, c->file[0] == '.' && c->file[1] == '/' ? c->file + 2 : c->file, true);
	if (c->line > 0)
		ts_buf_addf(b, ",line=%d", c->line);
	if (c->line > 0 && c->col > 0)
		ts_buf_addf(b, ",col=%d", c->col);
	ts_buf_adds(b, ",title=");
	ts_gh_escape(b, c->title, true);
	ts_buf_adds(b, "::");
	ts_gh_escape(b, c->message, false);
	ts_buf_adds(b, "\n");
}

static void ts_gh_job(ts_buf *b, ts_arena *a, ts_mode mode, const ts_file_result *r,
		      size_t i)
{
	const ts_job *j = &r->wf->jobv[i];
	const ts_job_plan *jp = &r->plan->jobs[i];
	ts_gh_cmd c = {"warning", r->display, j->key->line, j->key->col, NULL, NULL};
	if (ts_job_written(r, i)) {
		bool done = mode == TS_MODE_FIX && r->written;
		c.level = done ? "notice" : "warning";
		c.title = ts_sprintf(a, done ? "tokenscope: job %s was given a permissions block"
					     : "tokenscope: job %s has no permissions block", j->id);
		c.message = ts_sprintf(a, done ? "Job `%s` was given a `permissions:` block. It needs: %s."
					       : "Job `%s` has no `permissions:` block, so its GITHUB_TOKEN "
						 "gets the default permissions. It needs: %s. "
						 "`tokenscope fix` adds the block.",
				       j->id, ts_needs_line(a, r, i));
	} else if (jp->action == TS_JOB_UNRESOLVED || jp->action == TS_JOB_UNSAFE) {
		const ts_note *n = ts_first_note(&r->inf->jobs[i], TS_NOTE_UNRESOLVED);
		c.level = "notice";
		c.title = ts_sprintf(a, "tokenscope: job %s left as it is", j->id);
		c.message = jp->action == TS_JOB_UNSAFE
				    ? ts_sprintf(a, "Job `%s` has no `permissions:` block and was left as "
						    "it is: editing it is unsafe: %s.", j->id, jp->why)
				    : ts_sprintf(a, "Job `%s` has no `permissions:` block and was left as "
						    "it is: its needs cannot be proven: %s: %s.", j->id,
						 n ? ts_reason_text(a, &n->at) : "?", n ? n->text : "?");
	} else {
		return;
	}
	ts_gh_emit(b, &c);
}

static void ts_gh_impossible(ts_buf *b, ts_arena *a, const ts_file_result *r, size_t i)
{
	const ts_job *j = &r->wf->jobv[i];
	const ts_job_needs *jn = &r->inf->jobs[i];
	for (size_t k = 0; k < jn->nnotes; k++) {
		const ts_note *n = &jn->notes[k];
		if (n->kind != TS_NOTE_IMPOSSIBLE)
			continue;
		const char *file;
		int line;
		ts_note_place(r, j, n, &file, &line);
		ts_gh_cmd c = {"warning", file, line, 0,
			       "tokenscope: GITHUB_TOKEN cannot make this call",
			       ts_impossible_text(a, j, n)};
		ts_gh_emit(b, &c);
	}
}

static void ts_gh_top(ts_buf *b, const ts_file_result *r, ts_mode mode)
{
	const ts_node *jobs = r->wf->jobs.key;
	if (r->status != TS_FILE_CHANGED || !r->plan->top || !jobs)
		return;
	bool done = mode == TS_MODE_FIX && r->written;
	ts_gh_cmd c = {done ? "notice" : "warning", r->display, jobs->line, jobs->col,
		       "tokenscope: no top-level permissions",
		       done ? "The workflow was given `permissions: {}` at the top level: every job "
			      "sets its own."
			    : "The workflow has no top-level `permissions:`. Every job sets its own, so "
			      "`permissions: {}` at the top makes a job added later start with no "
			      "access. `tokenscope fix` adds it."};
	ts_gh_emit(b, &c);
}

void ts_github_file(FILE *out, ts_mode mode, const ts_file_result *r, ts_arena *a)
{
	ts_buf b;
	ts_buf_init(&b, a);
	if (r->status == TS_FILE_ERROR) {
		ts_gh_cmd c = {"error", r->display, r->err.line, r->err.col,
			       "tokenscope: cannot process this file", r->err.msg};
		ts_gh_emit(&b, &c);
	} else if (ts_has_jobs(r)) {
		for (size_t i = 0; i < r->plan->njobs; i++) {
			ts_gh_job(&b, a, mode, r, i);
			ts_gh_impossible(&b, a, r, i);
		}
		ts_gh_top(&b, r, mode);
	}
	if (b.len)
		fwrite(b.data, 1, b.len, out);
}
