/*
 * sarif.c - `--format sarif`: SARIF 2.1.0 for GitHub code scanning.
 *
 * One result per job without a `permissions:` block: the location is the
 * job's key, and when tokenscope can write the block, the block is the
 * result's fix (an insertion: an empty deleted region at the insertion
 * point). Calls GITHUB_TOKEN can never make are results too. Files that
 * could not be read are tool execution notifications, not results: they
 * are not findings about the code.
 *
 * Streamed like the JSON report; the notifications, which SARIF puts after
 * the results, wait in a spool.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

/* How deep the notifications sit: { runs: [ { invocations: [ { notifications: [ */
#define TS_SARIF_NOTES_DEPTH 6

typedef enum ts_rule_id {
	TS_RULE_MISSING_JOB, TS_RULE_MISSING_TOP, TS_RULE_UNPROVEN, TS_RULE_IMPOSSIBLE
} ts_rule_id;

static const struct {
	const char *id, *name, *level, *short_text, *help;
} ts_rules[] = {
	{"missing-job-permissions", "MissingJobPermissions", "warning",
	 "Job has no permissions block",
	 "A job without a `permissions:` block gets the GITHUB_TOKEN permissions of the "
	 "workflow's top level or, without one, the repository's default, which may allow "
	 "writing code, releases and packages. The fix inserts a block that grants only the "
	 "scopes the job's steps use, each with a comment naming the step that needs it. "
	 "Apply it with `tokenscope fix`."},
	{"missing-top-level-permissions", "MissingTopLevelPermissions", "warning",
	 "Workflow has no top-level permissions",
	 "Once every job sets its own `permissions:`, `permissions: {}` at the top level "
	 "makes a job added later start with no access instead of the repository's default."},
	{"unproven-job-permissions", "UnprovenJobPermissions", "note",
	 "Job's token needs cannot be proven",
	 "The job has no `permissions:` block, and tokenscope cannot prove what it needs (an "
	 "action or program it does not know receives the token), so it did not write one. "
	 "Describe the action with `--map`, or write the block by hand; `tokenscope explain` "
	 "shows the step that stopped it."},
	{"impossible-token-call", "ImpossibleTokenCall", "warning",
	 "GITHUB_TOKEN cannot make this call",
	 "The step makes a call that needs a permission GITHUB_TOKEN can never hold, at any "
	 "setting. It fails whatever the workflow grants; use a GitHub App installation token "
	 "or a fine-grained personal access token for it."},
};

struct ts_sarif_state {
	FILE *out;
	ts_jw w;
	ts_spool notes;
	ts_jw nw;               /* writes the notifications into the spool */
	bool internal;          /* one of ours failed: execution not successful */
};

/* A repository-relative path as a URI reference: percent-encoded, and an
 * absolute path (a file outside any repository) as a file: URI. */
static const char *ts_uri(ts_arena *a, const char *path)
{
	ts_buf b;
	ts_buf_init(&b, a);
	if (path[0] == '/')
		ts_buf_adds(&b, "file://");
	else if (path[0] == '.' && path[1] == '/')
		path += 2;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			ts_buf_add(&b, (const char *)p, 1);
		else
			ts_buf_addf(&b, "%%%02X", *p);
	}
	return ts_buf_cstr(&b);
}

/* A SARIF message object, `"key": {"text": ...}`: messages, descriptions
 * and inserted content all take this shape. */
static void ts_sarif_text(ts_jw *w, const char *key, const char *text)
{
	ts_jw_obj(w, key);
	ts_jw_str(w, "text", text);
	ts_jw_close(w, '}');
}

static void ts_sarif_location(ts_jw *w, ts_arena *a, const char *path, int line, int col)
{
	ts_jw_obj(w, "physicalLocation");
	ts_jw_obj(w, "artifactLocation");
	ts_jw_str(w, "uri", ts_uri(a, path));
	ts_jw_close(w, '}');
	ts_jw_obj(w, "region");
	ts_jw_int(w, "startLine", line > 0 ? line : 1);
	if (col > 0)
		ts_jw_int(w, "startColumn", col);
	ts_jw_close(w, '}');
	ts_jw_close(w, '}');
}

/* The insertion as a fix: nothing deleted (an empty region: end = start),
 * the block's text inserted. */
static void ts_sarif_fix(ts_jw *w, ts_arena *a, const ts_file_result *r,
			 const ts_insertion *ins, const char *what)
{
	int line, col;
	ts_text_pos(r->src, ins->at, &line, &col);
	ts_jw_arr(w, "fixes");
	ts_jw_obj(w, NULL);
	ts_sarif_text(w, "description", what);
	ts_jw_arr(w, "artifactChanges");
	ts_jw_obj(w, NULL);
	ts_jw_obj(w, "artifactLocation");
	ts_jw_str(w, "uri", ts_uri(a, r->display));
	ts_jw_close(w, '}');
	ts_jw_arr(w, "replacements");
	ts_jw_obj(w, NULL);
	ts_jw_obj(w, "deletedRegion");
	ts_jw_int(w, "startLine", line);
	ts_jw_int(w, "startColumn", col);
	ts_jw_int(w, "endLine", line);
	ts_jw_int(w, "endColumn", col);
	ts_jw_close(w, '}');
	ts_sarif_text(w, "insertedContent", ins->text);
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
}

typedef struct ts_result {
	ts_rule_id rule;
	const char *message;
	const char *path;       /* the location's file */
	int line, col;
	const char *key;        /* what identifies it across edits, for the fingerprint */
} ts_result;

/* Opens a result; the caller may add fixes and properties, then closes it. */
static void ts_sarif_result(ts_jw *w, ts_arena *a, const ts_file_result *r,
			    const ts_result *res)
{
	uint64_t h = ts_fnv1a(ts_fnv1a(ts_fnv1a(1469598103934665603ull, ts_rules[res->rule].id),
				       r->display), res->key);
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "ruleId", ts_rules[res->rule].id);
	ts_jw_int(w, "ruleIndex", res->rule);
	ts_jw_str(w, "level", ts_rules[res->rule].level);
	ts_sarif_text(w, "message", res->message);
	ts_jw_arr(w, "locations");
	ts_jw_obj(w, NULL);
	ts_sarif_location(w, a, res->path, res->line, res->col);
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_obj(w, "partialFingerprints");
	ts_jw_str(w, "tokenscope/v1", ts_sprintf(a, "%016llx", (unsigned long long)h));
	ts_jw_close(w, '}');
}

static void ts_sarif_missing(ts_jw *w, ts_arena *a, const ts_file_result *r, size_t i)
{
	const ts_job *j = &r->wf->jobv[i];
	ts_result res = {TS_RULE_MISSING_JOB,
			 ts_sprintf(a, "Job `%s` has no `permissions:` block, so its GITHUB_TOKEN "
				    "gets the default permissions. It needs: %s.", j->id,
				    ts_needs_line(a, r, i)),
			 r->display, j->key->line, j->key->col, j->id};
	ts_sarif_result(w, a, r, &res);
	ts_sarif_fix(w, a, r, &r->plan->ins[r->plan->jobs[i].insertion],
		     ts_sprintf(a, "Insert the permissions block of job `%s`", j->id));
	ts_jw_obj(w, "properties");
	ts_jw_obj(w, "permissions");
	const ts_job_needs *jn = &r->inf->jobs[i];
	for (size_t k = 0; k < jn->ngrants; k++)
		ts_jw_str(w, ts_map_scope_name(r->map, jn->grants[k].scope),
			  ts_level_name(jn->grants[k].level));
	ts_jw_close(w, '}');
	ts_jw_close(w, '}');
	ts_jw_close(w, '}');
}

static void ts_sarif_top(ts_jw *w, ts_arena *a, const ts_file_result *r)
{
	const ts_insertion *ins = NULL;
	for (size_t k = 0; k < r->plan->nins; k++)
		if (r->plan->ins[k].job < 0)
			ins = &r->plan->ins[k];
	const ts_node *jobs = r->wf->jobs.key;
	if (!ins || !jobs)
		return;
	ts_result res = {TS_RULE_MISSING_TOP,
			 "The workflow has no top-level `permissions:`. Every job sets its own, so "
			 "`permissions: {}` at the top makes a job added later start with no access.",
			 r->display, jobs->line, jobs->col, "(top level)"};
	ts_sarif_result(w, a, r, &res);
	ts_sarif_fix(w, a, r, ins, "Insert `permissions: {}` at the top level");
	ts_jw_close(w, '}');
}

static void ts_sarif_unproven(ts_jw *w, ts_arena *a, const ts_file_result *r, size_t i)
{
	const ts_job *j = &r->wf->jobv[i];
	const ts_job_plan *jp = &r->plan->jobs[i];
	const ts_note *n = ts_first_note(&r->inf->jobs[i], TS_NOTE_UNRESOLVED);
	const char *why = jp->action == TS_JOB_UNSAFE
				  ? ts_sprintf(a, "editing it is unsafe: %s", jp->why)
			  : n ? ts_sprintf(a, "its needs cannot be proven: %s: %s",
					   ts_reason_text(a, &n->at), n->text)
			      : "its needs cannot be proven";
	ts_result res = {TS_RULE_UNPROVEN,
			 ts_sprintf(a, "Job `%s` has no `permissions:` block and was left as it "
				    "is: %s.", j->id, why),
			 r->display, j->key->line, j->key->col, j->id};
	ts_sarif_result(w, a, r, &res);
	ts_jw_close(w, '}');
}

static void ts_sarif_impossible(ts_jw *w, ts_arena *a, const ts_file_result *r, size_t i)
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
		ts_result res = {TS_RULE_IMPOSSIBLE, ts_impossible_text(a, j, n), file, line, 0,
				 ts_sprintf(a, "%s\n%s\n%s", j->id,
					    n->at.what ? n->at.what : "", n->text)};
		ts_sarif_result(w, a, r, &res);
		ts_jw_close(w, '}');
	}
}

static void ts_sarif_jobs(ts_jw *w, ts_arena *a, const ts_file_result *r)
{
	for (size_t i = 0; i < r->plan->njobs; i++) {
		ts_job_action act = r->plan->jobs[i].action;
		if (ts_job_written(r, i))
			ts_sarif_missing(w, a, r, i);
		else if (act == TS_JOB_UNRESOLVED || act == TS_JOB_UNSAFE)
			ts_sarif_unproven(w, a, r, i);
		ts_sarif_impossible(w, a, r, i);
	}
	if (r->status == TS_FILE_CHANGED && r->plan->top)
		ts_sarif_top(w, a, r);
}

/* A file that could not be read or changed, or was passed over. */
static void ts_sarif_notification(ts_sarif_state *s, const ts_file_result *r, ts_arena *a)
{
	ts_buf b;
	ts_buf_init(&b, a);
	ts_jw *w = &s->nw;
	w->b = &b;
	bool err = r->status == TS_FILE_ERROR;
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "level", err ? "error" : "note");
	ts_sarif_text(w, "message", r->err.msg);
	ts_jw_arr(w, "locations");
	ts_jw_obj(w, NULL);
	ts_sarif_location(w, a, r->display, err ? r->err.line : 0,
			  err && r->err.line ? (r->err.col ? r->err.col : 1) : 0);
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_obj(w, "descriptor");
	ts_jw_str(w, "id", err ? (r->internal ? "internal-error" : "file-error") : "not-a-workflow");
	ts_jw_close(w, '}');
	ts_jw_close(w, '}');
	ts_jw_flush(w, s->notes.f);
	w->b = NULL;
	s->internal |= err && r->internal;
}

static void ts_sarif_rules(ts_jw *w)
{
	ts_jw_arr(w, "rules");
	for (size_t i = 0; i < sizeof(ts_rules) / sizeof(ts_rules[0]); i++) {
		ts_jw_obj(w, NULL);
		ts_jw_str(w, "id", ts_rules[i].id);
		ts_jw_str(w, "name", ts_rules[i].name);
		ts_sarif_text(w, "shortDescription", ts_rules[i].short_text);
		ts_sarif_text(w, "fullDescription", ts_rules[i].help);
		ts_jw_obj(w, "help");
		ts_jw_str(w, "text", ts_rules[i].help);
		ts_jw_str(w, "markdown", ts_rules[i].help);
		ts_jw_close(w, '}');
		ts_jw_obj(w, "defaultConfiguration");
		ts_jw_str(w, "level", ts_rules[i].level);
		ts_jw_close(w, '}');
		ts_jw_obj(w, "properties");
		ts_jw_arr(w, "tags");
		ts_jw_str(w, NULL, "security");
		ts_jw_str(w, NULL, "github-actions");
		ts_jw_close(w, ']');
		ts_jw_str(w, "precision", "high");
		ts_jw_close(w, '}');
		ts_jw_close(w, '}');
	}
	ts_jw_close(w, ']');
}

ts_sarif_state *ts_sarif_begin(FILE *out, ts_mode mode)
{
	(void)mode;     /* the findings are the same whether or not fix wrote them */
	ts_sarif_state *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->out = out;
	ts_spool_open(&s->notes);
	s->nw.depth = TS_SARIF_NOTES_DEPTH;
	ts_arena a = TS_ARENA_INIT;
	ts_buf b;
	ts_buf_init(&b, &a);
	ts_jw *w = &s->w;
	w->b = &b;
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	ts_jw_str(w, "version", "2.1.0");
	ts_jw_arr(w, "runs");
	ts_jw_obj(w, NULL);
	ts_jw_obj(w, "tool");
	ts_jw_obj(w, "driver");
	ts_jw_str(w, "name", "tokenscope");
	ts_jw_str(w, "version", TS_VERSION);
	ts_jw_str(w, "semanticVersion", TS_VERSION);
	ts_sarif_rules(w);
	ts_jw_close(w, '}');
	ts_jw_close(w, '}');
	ts_jw_str(w, "columnKind", "unicodeCodePoints");
	ts_jw_arr(w, "results");
	ts_jw_flush(w, out);
	w->b = NULL;
	ts_arena_free(&a);
	return s;
}

void ts_sarif_file(ts_sarif_state *s, const ts_file_result *r, ts_arena *a)
{
	if (r->status == TS_FILE_ERROR || r->status == TS_FILE_NOT_WORKFLOW)
		ts_sarif_notification(s, r, a);
	if (!ts_has_jobs(r) || r->status == TS_FILE_ERROR)
		return;
	ts_buf b;
	ts_buf_init(&b, a);
	s->w.b = &b;
	ts_sarif_jobs(&s->w, a, r);
	ts_jw_flush(&s->w, s->out);
	s->w.b = NULL;
}

void ts_sarif_end(ts_sarif_state *s, const ts_totals *t)
{
	(void)t;
	ts_arena a = TS_ARENA_INIT;
	ts_buf b;
	ts_buf_init(&b, &a);
	ts_jw *w = &s->w;
	w->b = &b;
	ts_jw_close(w, ']');
	ts_jw_arr(w, "invocations");
	ts_jw_obj(w, NULL);
	ts_jw_bool(w, "executionSuccessful", !s->internal);
	ts_jw_arr(w, "toolExecutionNotifications");
	ts_jw_flush(w, s->out);
	ts_spool_drain(&s->notes, s->out, NULL, NULL);
	/* The spooled notifications were items of this array. */
	w->has_items[w->depth - 1] = s->nw.has_items[TS_SARIF_NOTES_DEPTH - 1];
	ts_jw_close(w, ']');
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_close(w, '}');
	ts_jw_close(w, ']');
	ts_jw_close(w, '}');
	ts_buf_add(&b, "\n", 1);
	ts_jw_flush(w, s->out);
	w->b = NULL;
	ts_arena_free(&a);
}

void ts_sarif_free(ts_sarif_state *s)
{
	if (!s)
		return;
	ts_spool_close(&s->notes);
	free(s);
}
