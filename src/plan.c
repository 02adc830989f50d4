/*
 * plan.c - where a job's block goes and what it says (see plan.h).
 *
 * Placement, in order: after the `runs-on` entry (its whole value), else
 * before `steps:`, else after a reusable workflow's `uses:`, else as the
 * job's first key. That is where maintainers put it by hand in most real
 * workflows, so the diff reads as if a person wrote it.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Text geometry                                                       */

static size_t ts_line_start(const ts_source *src, size_t pos)
{
	while (pos > 0 && src->text[pos - 1] != '\n')
		pos--;
	return pos;
}

/* Just past the '\n' ending the line that holds byte `pos`, or len when
 * that line is the last and has no newline. */
static size_t ts_next_line(const ts_source *src, size_t pos)
{
	const char *nl = memchr(src->text + pos, '\n', src->len - pos);
	return nl ? (size_t)(nl - src->text) + 1 : src->len;
}

/* Spaces before `pos` on its line (after a BOM on the first line). */
static size_t ts_indent(const ts_source *src, size_t pos)
{
	size_t ls = ts_line_start(src, pos);
	if (ls == 0 && src->bom)
		ls = 3;
	return pos > ls ? pos - ls : 0;
}

/* The EOL of the line before `at` (the one the insertion joins). */
static const char *ts_eol_at(const ts_source *src, size_t at)
{
	if (at >= 2 && src->text[at - 1] == '\n')
		return src->text[at - 2] == '\r' ? "\r\n" : "\n";
	if (at == 1 && src->text[0] == '\n')
		return "\n";
	return src->crlf ? "\r\n" : "\n";
}

static bool ts_comment_line(const ts_source *src, size_t ls)
{
	size_t i = ls;
	while (i < src->len && (src->text[i] == ' ' || src->text[i] == '\t'))
		i++;
	return i < src->len && src->text[i] == '#';
}

/* Moves a line start up over the comment lines directly above it, so a
 * comment that introduces the key keeps introducing it; never above
 * `floor`, the line after the previous entry's value, because a line that
 * starts with `#` there may be the tail of a | scalar. */
static size_t ts_above_comments(const ts_source *src, size_t ls, size_t floor)
{
	while (ls > floor) {
		size_t prev = ts_line_start(src, ls - 1);
		if (prev < floor || !ts_comment_line(src, prev))
			break;
		ls = prev;
	}
	return ls;
}

/* ------------------------------------------------------------------ */
/* The text of a block                                                 */

const char *ts_plan_reason(ts_arena *a, const ts_grant *g)
{
	const ts_reason *r = &g->why;
	ts_buf b;
	ts_buf_init(&b, a);
	ts_buf_adds(&b, r->what ? r->what : "?");
	if (r->step || r->line) {
		ts_buf_adds(&b, " (");
		if (r->step)
			ts_buf_adds(&b, r->step);
		if (r->line)
			ts_buf_addf(&b, "%sline %d", r->step ? ", " : "", r->line);
		if (r->file)
			ts_buf_addf(&b, " of %s", r->file);
		ts_buf_adds(&b, ")");
	}
	if (g->more)
		ts_buf_addf(&b, " and %u more", g->more);
	/* A comment ends at the line's end: keep it one line, whatever a step
	 * name held. */
	for (char *p = b.data; p && *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return ts_buf_cstr(&b);
}

static void ts_block_text(ts_buf *b, const ts_map *map, const ts_job_needs *jn,
			  size_t indent, size_t unit, const char *eol,
			  const ts_plan_opts *opts)
{
	ts_buf_addf(b, "%*s", (int)indent, "");
	if (jn->ngrants == 0) {
		ts_buf_adds(b, "permissions: {}");
		if (!opts->no_comments)
			ts_buf_adds(b, "  # no step uses GITHUB_TOKEN");
		ts_buf_adds(b, eol);
		return;
	}
	ts_buf_adds(b, "permissions:");
	ts_buf_adds(b, eol);
	for (size_t i = 0; i < jn->ngrants; i++) {
		const ts_grant *g = &jn->grants[i];
		ts_buf_addf(b, "%*s%s: %s", (int)(indent + unit), "",
			    ts_map_scope_name(map, g->scope), ts_level_name(g->level));
		if (!opts->no_comments)
			ts_buf_addf(b, "  # %s", ts_plan_reason(b->arena, g));
		ts_buf_adds(b, eol);
	}
}

static void ts_flow_text(ts_buf *b, const ts_map *map, const ts_job_needs *jn,
			 bool more)
{
	ts_buf_adds(b, "permissions: {");
	for (size_t i = 0; i < jn->ngrants; i++)
		ts_buf_addf(b, "%s%s: %s", i ? ", " : "",
			    ts_map_scope_name(map, jn->grants[i].scope),
			    ts_level_name(jn->grants[i].level));
	ts_buf_adds(b, more ? "}, " : "}");
}

/* ------------------------------------------------------------------ */
/* Where a job's block goes                                            */

static size_t ts_pair_end(const ts_pair *p)
{
	size_t end = p->key->end;
	if (p->value && p->value->end > end)
		end = p->value->end;
	return end;
}

/* The first byte after an entry's whole value: the start of the line that
 * ends a | or > scalar, else the line after the value's last byte (the
 * file's length when that line has no newline). */
static size_t ts_line_after(const ts_source *src, const ts_pair *p)
{
	size_t end = ts_pair_end(p);
	if (p->value && p->value->block_scalar_end)
		return end >= src->len ? src->len : ts_line_start(src, end);
	return ts_next_line(src, end > 0 ? end - 1 : 0);
}

/* A scalar whose text lines are not indented past its key (an empty | or
 * >, or a value libfyaml accepts on the next line at the key's own
 * indentation) would swallow a line inserted after it. */
static bool ts_block_scalar_unsafe(const ts_source *src, const ts_pair *p)
{
	const ts_node *v = p->value;
	if (!v || v->kind != TS_NODE_SCALAR || v->null)
		return false;
	bool block = v->style == TS_LITERAL || v->style == TS_FOLDED;
	if (block && v->len == 0)
		return true;
	if (!block && v->line == p->key->line)
		return false;
	size_t ls = ts_line_start(src, v->start), i = ls;
	while (i < src->len && src->text[i] == ' ')
		i++;
	return i - ls <= ts_indent(src, p->key->start);
}

/* After a key's whole value; before the entry when the value runs to the
 * end of a file with no final newline (adding one would change a line),
 * when its end cannot be told (it ends in an empty item), or when a block
 * scalar would take the inserted line as its own. */
static size_t ts_after_pair(const ts_source *src, const ts_pair *p)
{
	size_t at = ts_line_after(src, p);
	if ((at >= src->len && !src->final_newline) || (p->value && p->value->open_end) ||
	    ts_block_scalar_unsafe(src, p))
		return ts_line_start(src, p->key->start);
	return at;
}

/* Where comments above `key` may start: after the entry before it in `map`,
 * or at `first` when it is the first entry. */
static size_t ts_floor(const ts_source *src, const ts_node *map, const ts_node *key,
		       size_t first)
{
	ts_pair prev = {NULL, NULL};
	for (size_t i = 0; i < map->n; i++)
		if (map->keys[i]->start < key->start &&
		    (!prev.key || map->keys[i]->start > prev.key->start)) {
			prev.key = map->keys[i];
			prev.value = map->vals[i];
		}
	return prev.key ? ts_line_after(src, &prev) : first;
}

static size_t ts_block_at(const ts_source *src, const ts_job *j)
{
	if (j->runs_on.key)
		return ts_after_pair(src, &j->runs_on);
	if (j->steps.key) {
		size_t floor = ts_floor(src, j->value, j->steps.key,
					ts_next_line(src, j->key->start));
		return ts_above_comments(src, ts_line_start(src, j->steps.key->start), floor);
	}
	if (j->uses.key)
		return ts_after_pair(src, &j->uses);
	return ts_line_start(src, j->value->start);
}

/* The first token after a flow mapping's `{`: the first key, or an anchor
 * or tag standing before it (`{&k runs-on: x}`), past spaces, line breaks
 * and comments. */
static size_t ts_flow_first(const ts_source *src, const ts_node *v)
{
	size_t i = v->start + 1;
	while (i < v->close) {
		char c = src->text[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			i++;
		else if (c == '#')
			i = ts_next_line(src, i);
		else
			break;
	}
	return i;
}

static void ts_job_insertion(ts_arena *a, const ts_map *map, const ts_source *src,
			     const ts_job *j, const ts_job_needs *jn,
			     const ts_plan_opts *opts, ts_insertion *ins)
{
	ts_buf b;
	ts_buf_init(&b, a);
	const ts_node *v = j->value;
	if (v->flow) {
		/* Before the first key: whatever follows the last entry (an empty
		 * value, a trailing comma, a comment) the text stays valid. */
		ins->flow = true;
		ins->at = v->n ? ts_flow_first(src, v) : v->close;
		ts_flow_text(&b, map, jn, v->n > 0);
	} else {
		size_t indent = ts_indent(src, v->start);
		size_t key_indent = ts_indent(src, j->key->start);
		size_t unit = indent > key_indent ? indent - key_indent : 2;
		ins->at = ts_block_at(src, j);
		ts_block_text(&b, map, jn, indent, unit, ts_eol_at(src, ins->at), opts);
	}
	ins->text = ts_buf_cstr(&b);
	ins->len = b.len;
	for (size_t i = 0; i < jn->ngrants; i++)
		ins->level[jn->grants[i].scope] = jn->grants[i].level;
}

/* ------------------------------------------------------------------ */
/* Decisions                                                           */

static bool ts_same_as_top(const ts_inference *inf, const ts_job_needs *jn, int nscopes)
{
	ts_level want[TS_MAX_SCOPES] = {0};
	for (size_t i = 0; i < jn->ngrants; i++)
		want[jn->grants[i].scope] = jn->grants[i].level;
	for (int s = 0; s < nscopes; s++)
		if (want[s] != inf->top[s])
			return false;
	return true;
}

static ts_job_action ts_decide(const ts_map *map, const ts_inference *inf,
			       const ts_job *j, const ts_job_needs *jn)
{
	if (j->permissions.key)
		return TS_JOB_HAS_BLOCK;
	if (j->skip)
		return TS_JOB_UNSAFE;
	if (!jn->resolved)
		return TS_JOB_UNRESOLVED;
	/* With no top-level block the job inherits the repository's default,
	 * which the file cannot tell: it always gets a block. */
	if (inf->top_known && ts_same_as_top(inf, jn, ts_map_nscopes(map)))
		return TS_JOB_INHERITS;
	return TS_JOB_WRITE;
}

static void ts_add(ts_arena *a, ts_plan *p, size_t *cap, const ts_insertion *ins)
{
	p->ins = ts_grow(a, p->ins, cap, p->nins + 1, sizeof(*p->ins));
	p->ins[p->nins++] = *ins;
}

/* `permissions: {}` at the top, before `jobs:` and the comments above it,
 * once every job has its own block: new jobs then start with nothing. */
static void ts_top_insertion(ts_arena *a, const ts_source *src,
			     const ts_workflow *wf, const ts_plan_opts *opts,
			     ts_insertion *ins)
{
	size_t top = src->bom ? 3 : 0;
	size_t floor = ts_floor(src, wf->root, wf->jobs.key, top);
	size_t at = ts_above_comments(src, ts_line_start(src, wf->jobs.key->start), floor);
	if (at < top)
		at = top;   /* the BOM stays first */
	const char *eol = ts_eol_at(src, at);
	memset(ins, 0, sizeof(*ins));
	ins->at = at;
	ins->job = -1;
	ins->text = ts_sprintf(a, "permissions: {}%s%s",
			       opts->no_comments ? "" : "  # each job sets its own", eol);
	ins->len = strlen(ins->text);
}

static bool ts_top_wanted(const ts_source *src, const ts_workflow *wf,
			  const ts_inference *inf, const ts_plan *p,
			  const ts_plan_opts *opts)
{
	if (opts->no_top_level || inf->has_top || p->njobs == 0 ||
	    wf->root->flow || !wf->jobs.key)
		return false;
	if (ts_indent(src, wf->jobs.key->start) != 0)
		return false;
	for (size_t i = 0; i < p->njobs; i++)
		if (p->jobs[i].action != TS_JOB_WRITE && p->jobs[i].action != TS_JOB_HAS_BLOCK)
			return false;
	return true;
}

static int ts_cmp_ins(const void *x, const void *y)
{
	const ts_insertion *a = x, *b = y;
	return (a->at > b->at) - (a->at < b->at);
}

void ts_plan_make(ts_arena *a, const ts_map *map, const ts_source *src,
		  const ts_workflow *wf, const ts_inference *inf,
		  const ts_plan_opts *opts, ts_plan *out)
{
	size_t cap = 0;
	memset(out, 0, sizeof(*out));
	out->njobs = wf->njobs;
	out->jobs = ts_alloc_array(a, wf->njobs ? wf->njobs : 1, sizeof(*out->jobs));
	for (size_t i = 0; i < wf->njobs; i++) {
		const ts_job *j = &wf->jobv[i];
		ts_job_plan *jp = &out->jobs[i];
		jp->action = ts_decide(map, inf, j, &inf->jobs[i]);
		jp->why = jp->action == TS_JOB_UNSAFE ? j->skip : NULL;
		if (jp->action != TS_JOB_WRITE)
			continue;
		ts_insertion ins;
		memset(&ins, 0, sizeof(ins));
		ins.job = (int)i;
		ins.job_id = j->id;
		ts_job_insertion(a, map, src, j, &inf->jobs[i], opts, &ins);
		ts_add(a, out, &cap, &ins);
	}
	if (ts_top_wanted(src, wf, inf, out, opts) && out->nins > 0) {
		ts_insertion ins;
		ts_top_insertion(a, src, wf, opts, &ins);
		ts_add(a, out, &cap, &ins);
		out->top = true;
	}
	if (out->nins > 1)
		qsort(out->ins, out->nins, sizeof(*out->ins), ts_cmp_ins);
	for (size_t k = 0; k < out->nins; k++)
		if (out->ins[k].job >= 0)
			out->jobs[out->ins[k].job].insertion = k;
}
