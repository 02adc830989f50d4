/*
 * json.c - `--format json`: the report described by docs/report-schema.json,
 * and the small streaming JSON writer that SARIF shares.
 *
 * The document is written as it goes: the opening and `"files": [` at
 * begin, one object per file, then the summary and the closing at end.
 * Bump TS_JSON_SCHEMA_VERSION on any change a consumer could notice other
 * than a new optional field, and update docs/report-schema.json with it.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

#define TS_JSON_SCHEMA_VERSION 1

/* ------------------------------------------------------------------ */
/* Strings                                                             */

/* Length of the valid UTF-8 sequence at s, or 0: overlong forms,
 * surrogates, code points past U+10FFFF and cut-short sequences are not
 * valid. `s` is NUL-terminated, so a short sequence stops at the NUL. */
static size_t ts_utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
		       (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* The escape for one ASCII byte, or NULL when it goes as it is. */
static const char *ts_json_escape(unsigned char c, char tmp[8])
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	}
	if (c < 0x20 || c == 0x7F) {
		snprintf(tmp, 8, "\\u%04x", c);
		return tmp;
	}
	return NULL;
}

/* Paths come from the file system and need not be UTF-8: a byte that is
 * not part of a valid sequence becomes U+FFFD, so the output is always
 * valid JSON. Valid UTF-8 passes through unescaped. */
void ts_json_str(ts_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	ts_buf_add(b, "\"", 1);
	while (*p) {
		const unsigned char *run = p;
		char tmp[8];
		const char *esc = NULL;
		size_t n = 0;
		while (*p && (n = ts_utf8_len(p)) && !(n == 1 && (esc = ts_json_escape(*p, tmp))))
			p += n;
		ts_buf_add(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		ts_buf_adds(b, esc ? esc : "\\ufffd");
		p++;
	}
	ts_buf_add(b, "\"", 1);
}

/* ------------------------------------------------------------------ */
/* The writer                                                          */

static void ts_jw_sep(ts_jw *w, const char *key)
{
	if (w->depth > 0) {
		if (w->has_items[w->depth - 1])
			ts_buf_add(w->b, ",", 1);
		w->has_items[w->depth - 1] = true;
		ts_buf_addf(w->b, "\n%*s", 2 * w->depth, "");
	}
	if (key) {
		ts_json_str(w->b, key);
		ts_buf_add(w->b, ": ", 2);
	}
}

static void ts_jw_open(ts_jw *w, const char *key, const char *bracket)
{
	if (w->depth >= TS_JW_DEPTH)
		abort();   /* a bug in a format, not bad input */
	ts_jw_sep(w, key);
	ts_buf_adds(w->b, bracket);
	w->has_items[w->depth++] = false;
}

void ts_jw_obj(ts_jw *w, const char *key)
{
	ts_jw_open(w, key, "{");
}

void ts_jw_arr(ts_jw *w, const char *key)
{
	ts_jw_open(w, key, "[");
}

void ts_jw_close(ts_jw *w, char bracket)
{
	if (w->depth <= 0)
		abort();
	if (w->has_items[--w->depth])
		ts_buf_addf(w->b, "\n%*s", 2 * w->depth, "");
	ts_buf_add(w->b, &bracket, 1);
}

void ts_jw_str(ts_jw *w, const char *key, const char *v)
{
	ts_jw_sep(w, key);
	if (v)
		ts_json_str(w->b, v);
	else
		ts_buf_adds(w->b, "null");
}

void ts_jw_int(ts_jw *w, const char *key, long long v)
{
	ts_jw_sep(w, key);
	ts_buf_addf(w->b, "%lld", v);
}

void ts_jw_pos(ts_jw *w, const char *key, int v)
{
	if (v > 0)
		ts_jw_int(w, key, v);
	else
		ts_jw_str(w, key, NULL);
}

void ts_jw_bool(ts_jw *w, const char *key, bool v)
{
	ts_jw_sep(w, key);
	ts_buf_adds(w->b, v ? "true" : "false");
}

void ts_jw_flush(ts_jw *w, FILE *out)
{
	if (w->b->len)
		fwrite(w->b->data, 1, w->b->len, out);
	w->b->len = 0;
}

/* ------------------------------------------------------------------ */
/* The report                                                          */

struct ts_json_state {
	FILE *out;
	ts_jw w;
};

static void ts_json_reason(ts_jw *w, const char *key, const ts_reason *r)
{
	ts_jw_obj(w, key);
	ts_jw_str(w, "what", r->what);
	ts_jw_str(w, "step", r->step);
	ts_jw_pos(w, "line", r->line);
	ts_jw_str(w, "file", r->file);
	if (r->origin.file) {
		ts_jw_obj(w, "map_entry");
		ts_jw_str(w, "file", r->origin.file);
		ts_jw_pos(w, "line", r->origin.line);
		ts_jw_str(w, "source", r->origin.source);
		ts_jw_close(w, '}');
	} else {
		ts_jw_str(w, "map_entry", NULL);
	}
	ts_jw_close(w, '}');
}

static void ts_json_grant(ts_jw *w, const ts_map *map, const ts_grant *g, bool more)
{
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "scope", ts_map_scope_name(map, g->scope));
	ts_jw_str(w, "level", ts_level_name(g->level));
	ts_json_reason(w, "reason", &g->why);
	if (more)
		ts_jw_int(w, "other_steps", g->more);
	ts_jw_close(w, '}');
}

static void ts_json_notes(ts_jw *w, const char *key, const ts_job_needs *jn,
			  ts_note_kind kind)
{
	ts_jw_arr(w, key);
	for (size_t k = 0; k < jn->nnotes; k++) {
		if (jn->notes[k].kind != kind)
			continue;
		ts_jw_obj(w, NULL);
		ts_jw_str(w, "text", jn->notes[k].text);
		ts_json_reason(w, "reason", &jn->notes[k].at);
		ts_jw_close(w, '}');
	}
	ts_jw_close(w, ']');
}

static void ts_json_skip(ts_jw *w, const ts_file_result *r, size_t i, ts_arena *a)
{
	const ts_job_plan *jp = &r->plan->jobs[i];
	const ts_note *n = ts_first_note(&r->inf->jobs[i], TS_NOTE_UNRESOLVED);
	if (jp->action == TS_JOB_UNSAFE) {
		ts_jw_obj(w, "skip");
		ts_jw_str(w, "cause", "unsafe");
		ts_jw_str(w, "text", jp->why);
		ts_jw_close(w, '}');
	} else if (jp->action == TS_JOB_UNRESOLVED) {
		ts_jw_obj(w, "skip");
		ts_jw_str(w, "cause", "unresolved");
		ts_jw_str(w, "text", n ? ts_sprintf(a, "%s: %s", ts_reason_text(a, &n->at), n->text)
				       : "its needs cannot be proven");
		ts_jw_close(w, '}');
	} else {
		ts_jw_str(w, "skip", NULL);
	}
}

static void ts_json_block(ts_jw *w, const ts_file_result *r, size_t i)
{
	if (!ts_job_written(r, i)) {
		ts_jw_str(w, "block", NULL);
		return;
	}
	const ts_insertion *ins = &r->plan->ins[r->plan->jobs[i].insertion];
	int line, col;
	ts_text_pos(r->src, ins->at, &line, &col);
	ts_jw_obj(w, "block");
	ts_jw_int(w, "line", line);
	ts_jw_int(w, "column", col);
	ts_jw_str(w, "text", ins->text);
	ts_jw_close(w, '}');
}

static void ts_json_job(ts_jw *w, const ts_file_result *r, size_t i, ts_arena *a)
{
	const ts_job *j = &r->wf->jobv[i];
	const ts_job_needs *jn = &r->inf->jobs[i];
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "id", j->id);
	ts_jw_pos(w, "line", j->key ? j->key->line : 0);
	ts_jw_pos(w, "column", j->key ? j->key->col : 0);
	ts_jw_str(w, "action", ts_action_id(r->plan->jobs[i].action));
	ts_jw_bool(w, "resolved", jn->resolved);
	ts_jw_bool(w, "block_inserted", ts_job_written(r, i));
	if (jn->resolved) {
		ts_jw_obj(w, "permissions");
		for (size_t k = 0; k < jn->ngrants; k++)
			ts_jw_str(w, ts_map_scope_name(r->map, jn->grants[k].scope),
				  ts_level_name(jn->grants[k].level));
		ts_jw_close(w, '}');
	} else {
		ts_jw_str(w, "permissions", NULL);
	}
	ts_jw_arr(w, "scopes");
	for (size_t k = 0; k < jn->ngrants; k++)
		ts_json_grant(w, r->map, &jn->grants[k], true);
	ts_jw_close(w, ']');
	ts_jw_arr(w, "evidence");
	for (size_t k = 0; k < jn->nall; k++)
		ts_json_grant(w, r->map, &jn->all[k], false);
	ts_jw_close(w, ']');
	ts_json_block(w, r, i);
	ts_json_skip(w, r, i, a);
	ts_json_notes(w, "unresolved", jn, TS_NOTE_UNRESOLVED);
	ts_json_notes(w, "impossible", jn, TS_NOTE_IMPOSSIBLE);
	ts_json_notes(w, "info", jn, TS_NOTE_INFO);
	ts_jw_close(w, '}');
}

static const char *ts_status_id(ts_file_status s)
{
	switch (s) {
	case TS_FILE_CHANGED: return "changed";
	case TS_FILE_UNCHANGED: return "unchanged";
	case TS_FILE_NOT_WORKFLOW: return "skipped";
	case TS_FILE_ERROR: return "error";
	}
	return "error";
}

static void ts_json_error(ts_jw *w, const ts_file_result *r, ts_arena *a)
{
	if (r->status != TS_FILE_ERROR) {
		ts_jw_str(w, "error", NULL);
		return;
	}
	ts_jw_obj(w, "error");
	ts_jw_str(w, "message", r->err.msg);
	ts_jw_pos(w, "line", r->err.line);
	ts_jw_pos(w, "column", r->err.line ? (r->err.col ? r->err.col : 1) : 0);
	ts_jw_str(w, "location", r->err.line ? ts_sprintf(a, "%s:%d:%d", r->display, r->err.line,
							 r->err.col ? r->err.col : 1)
					     : r->display);
	ts_jw_bool(w, "internal", r->internal);
	ts_jw_close(w, '}');
}

/* What callers of a callable workflow must grant: the union of its jobs'
 * needs. */
static void ts_json_callers(ts_jw *w, const ts_file_result *r)
{
	if (!r->inf->workflow_call) {
		ts_jw_str(w, "callers_must_grant", NULL);
		return;
	}
	ts_jw_obj(w, "callers_must_grant");
	for (int s = 0; s < ts_map_nscopes(r->map); s++)
		if (r->inf->callers[s])
			ts_jw_str(w, ts_map_scope_name(r->map, s), ts_level_name(r->inf->callers[s]));
	ts_jw_close(w, '}');
}

static void ts_json_workflow(ts_jw *w, const ts_file_result *r, ts_arena *a)
{
	bool jobs = ts_has_jobs(r);
	if (jobs) {
		ts_jw_obj(w, "top_level");
		ts_jw_bool(w, "has_permissions", r->inf->has_top);
		ts_jw_bool(w, "adds_empty_block", r->plan->top && r->status == TS_FILE_CHANGED);
		ts_jw_close(w, '}');
		ts_jw_bool(w, "callable", r->inf->workflow_call);
		ts_json_callers(w, r);
	} else {
		ts_jw_str(w, "top_level", NULL);
		ts_jw_bool(w, "callable", false);
		ts_jw_str(w, "callers_must_grant", NULL);
	}
	ts_jw_arr(w, "jobs");
	for (size_t i = 0; jobs && i < r->plan->njobs; i++)
		ts_json_job(w, r, i, a);
	ts_jw_close(w, ']');
}

ts_json_state *ts_json_begin(FILE *out, ts_mode mode)
{
	ts_json_state *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->out = out;
	ts_arena a = TS_ARENA_INIT;
	ts_buf b;
	ts_buf_init(&b, &a);
	s->w.b = &b;
	ts_jw_obj(&s->w, NULL);
	ts_jw_int(&s->w, "schema_version", TS_JSON_SCHEMA_VERSION);
	ts_jw_obj(&s->w, "tool");
	ts_jw_str(&s->w, "name", "tokenscope");
	ts_jw_str(&s->w, "version", TS_VERSION);
	ts_jw_close(&s->w, '}');
	ts_jw_str(&s->w, "command", ts_mode_name(mode));
	ts_jw_arr(&s->w, "files");
	ts_jw_flush(&s->w, out);
	s->w.b = NULL;
	ts_arena_free(&a);
	return s;
}

void ts_json_file(ts_json_state *s, const ts_file_result *r, ts_arena *a)
{
	ts_buf b;
	ts_buf_init(&b, a);
	ts_jw *w = &s->w;
	w->b = &b;
	ts_jw_obj(w, NULL);
	ts_jw_str(w, "path", r->display);
	ts_jw_str(w, "repository", r->root);
	ts_jw_str(w, "status", ts_status_id(r->status));
	ts_jw_bool(w, "written", r->written);
	ts_jw_str(w, "reason", r->status == TS_FILE_NOT_WORKFLOW ? r->err.msg : NULL);
	ts_json_error(w, r, a);
	ts_json_workflow(w, r, a);
	ts_jw_close(w, '}');
	ts_jw_flush(w, s->out);
	w->b = NULL;
}

static void ts_json_summary(ts_jw *w, const ts_totals *t)
{
	ts_jw_obj(w, "summary");
	ts_jw_int(w, "repositories", (long long)t->repos);
	ts_jw_int(w, "files", (long long)t->files);
	ts_jw_int(w, "changed", (long long)t->changed);
	ts_jw_int(w, "unchanged", (long long)t->unchanged);
	ts_jw_int(w, "skipped", (long long)t->not_workflow);
	ts_jw_int(w, "errors", (long long)t->errors);
	ts_jw_int(w, "jobs", (long long)t->jobs);
	ts_jw_int(w, "jobs_written", (long long)t->jobs_written);
	ts_jw_int(w, "jobs_with_block", (long long)t->jobs_has_block);
	ts_jw_int(w, "jobs_inheriting", (long long)t->jobs_inherit);
	ts_jw_int(w, "jobs_unresolved", (long long)t->jobs_unresolved);
	ts_jw_int(w, "jobs_unsafe", (long long)t->jobs_unsafe);
	ts_jw_int(w, "impossible_calls", (long long)t->impossible);
	ts_jw_close(w, '}');
}

void ts_json_end(ts_json_state *s, const ts_totals *t)
{
	ts_arena a = TS_ARENA_INIT;
	ts_buf b;
	ts_buf_init(&b, &a);
	s->w.b = &b;
	ts_jw_close(&s->w, ']');
	ts_json_summary(&s->w, t);
	ts_jw_close(&s->w, '}');
	ts_buf_add(&b, "\n", 1);
	ts_jw_flush(&s->w, s->out);
	s->w.b = NULL;
	ts_arena_free(&a);
}

void ts_json_free(ts_json_state *s)
{
	free(s);
}
