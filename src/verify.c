/* verify.c - see verify.h. */
#include "verify.h"

#include <libfyaml.h>
#include <string.h>

enum { TS_VDEPTH = 256 };

enum { TS_VKEY = 256 };

typedef struct ts_vframe {
	bool map, expect_key;
	/* the last key read in this mapping, copied: libfyaml frees the text
	 * of an escaped key with its event */
	char key[TS_VKEY];
	size_t keylen;          /* > TS_VKEY - 1: too long to compare */
} ts_vframe;

typedef struct ts_vstream {
	const char *text;       /* the bytes being parsed */
	struct fy_parser *p;
	struct fy_diag *diag;
	struct fy_event *ev;
	ts_vframe frames[TS_VDEPTH];
	int depth;
} ts_vstream;

static int ts_vopen(ts_vstream *s, const char *text, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->text = text;
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	s->diag = fy_diag_create(&dc);
	if (!s->diag)
		return -1;
	fy_diag_set_collect_errors(s->diag, true);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
				   .diag = s->diag};
	s->p = fy_parser_create(&cfg);
	return s->p && fy_parser_set_string(s->p, text, len) == 0 ? 0 : -1;
}

static void ts_vclose(ts_vstream *s)
{
	if (s->ev)
		fy_parser_event_free(s->p, s->ev);
	if (s->p)
		fy_parser_destroy(s->p);
	if (s->diag)
		fy_diag_destroy(s->diag);
}

/* Records where the stream stands: which mapping, which key. */
static void ts_vtrack(ts_vstream *s, const struct fy_event *ev)
{
	bool value_done = false;
	switch (ev->type) {
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		if (s->depth < TS_VDEPTH) {
			ts_vframe *f = &s->frames[s->depth++];
			memset(f, 0, sizeof(*f));
			f->map = ev->type == FYET_MAPPING_START;
			f->expect_key = true;
		}
		return;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		if (s->depth > 0)
			s->depth--;
		value_done = true;
		break;
	case FYET_SCALAR:
	case FYET_ALIAS:
		value_done = true;
		break;
	default:
		return;
	}
	if (!value_done || s->depth == 0)
		return;
	ts_vframe *f = &s->frames[s->depth - 1];
	if (!f->map)
		return;
	if (f->expect_key && ev->type == FYET_SCALAR) {
		size_t len = 0;
		const char *k = fy_token_get_text(ev->scalar.value, &len);
		f->keylen = k ? len : 0;
		if (k && len < TS_VKEY)
			memcpy(f->key, k, len);
	}
	f->expect_key = !f->expect_key;
}

static struct fy_event *ts_vnext(ts_vstream *s)
{
	if (s->ev)
		fy_parser_event_free(s->p, s->ev);
	s->ev = fy_parser_parse(s->p);
	if (s->ev)
		ts_vtrack(s, s->ev);
	return s->ev;
}

static size_t ts_vpos(const struct fy_event *ev)
{
	struct fy_token *t = fy_event_get_token((struct fy_event *)ev);
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	return m ? m->input_pos : (size_t)-1;
}

static int ts_vline(const char *text, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++)
		line += text[i] == '\n';
	return line;
}

/* ------------------------------------------------------------------ */
/* Comparing events                                                    */

static bool ts_tok_eq(struct fy_token *a, struct fy_token *b)
{
	if (!a || !b)
		return !a && !b;
	size_t la, lb;
	const char *sa = fy_token_get_text(a, &la), *sb = fy_token_get_text(b, &lb);
	return la == lb && (la == 0 || !memcmp(sa, sb, la));
}

static bool ts_flow(struct fy_token *t)
{
	enum fy_token_type tt = t ? fy_token_get_type(t) : FYTT_NONE;
	return tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START;
}

/* The source bytes of a plain or quoted scalar determine its value (the
 * quotes, escapes and folded line breaks are all between its marks), so
 * equal bytes mean equal values without asking libfyaml to format them.
 * Block scalars are not taken: their chomping and indentation indicators
 * stand before the marks. */
static bool ts_same_bytes(const char *ta, struct fy_token *a, const char *tb,
			  struct fy_token *b)
{
	enum fy_scalar_style st = fy_token_scalar_style(a);
	if (st == FYSS_LITERAL || st == FYSS_FOLDED || st != fy_token_scalar_style(b))
		return false;
	const struct fy_mark *as = fy_token_start_mark(a), *ae = fy_token_end_mark(a);
	const struct fy_mark *bs = fy_token_start_mark(b), *be = fy_token_end_mark(b);
	if (!as || !ae || !bs || !be)
		return false;
	size_t la = ae->input_pos - as->input_pos, lb = be->input_pos - bs->input_pos;
	return la == lb && !memcmp(ta + as->input_pos, tb + bs->input_pos, la);
}

static bool ts_scalar_eq(const ts_vstream *in, struct fy_token *a,
			 const ts_vstream *out, struct fy_token *b)
{
	return (a && b && ts_same_bytes(in->text, a, out->text, b)) || ts_tok_eq(a, b);
}

static bool ts_event_eq(const ts_vstream *in, struct fy_event *a,
			const ts_vstream *out, struct fy_event *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case FYET_SCALAR:
		return ts_scalar_eq(in, a->scalar.value, out, b->scalar.value) &&
		       ts_tok_eq(a->scalar.anchor, b->scalar.anchor) &&
		       ts_tok_eq(a->scalar.tag, b->scalar.tag) &&
		       fy_token_scalar_style(a->scalar.value) == fy_token_scalar_style(b->scalar.value);
	case FYET_ALIAS:
		return ts_tok_eq(a->alias.anchor, b->alias.anchor);
	case FYET_MAPPING_START:
		return ts_tok_eq(a->mapping_start.anchor, b->mapping_start.anchor) &&
		       ts_tok_eq(a->mapping_start.tag, b->mapping_start.tag) &&
		       ts_flow(a->mapping_start.mapping_start) == ts_flow(b->mapping_start.mapping_start);
	case FYET_SEQUENCE_START:
		return ts_tok_eq(a->sequence_start.anchor, b->sequence_start.anchor) &&
		       ts_tok_eq(a->sequence_start.tag, b->sequence_start.tag) &&
		       ts_flow(a->sequence_start.sequence_start) ==
			       ts_flow(b->sequence_start.sequence_start);
	default:
		return true;
	}
}

/* ------------------------------------------------------------------ */
/* The inserted keys                                                   */

typedef struct ts_vctx {
	const ts_map *map;
	const ts_spliced *out;
	const ts_plan *plan;
	bool *seen;
	ts_error *err;
} ts_vctx;

/* The insertion whose bytes hold output offset `pos`, or -1. */
static int ts_inserted_at(const ts_vctx *v, size_t pos)
{
	for (size_t k = 0; k < v->plan->nins; k++)
		if (pos >= v->out->at[k] && pos < v->out->at[k] + v->plan->ins[k].len)
			return (int)k;
	return -1;
}

static bool ts_frame_key(const ts_vframe *f, const char *want)
{
	return f->keylen < TS_VKEY && f->keylen == strlen(want) &&
	       !memcmp(f->key, want, f->keylen);
}

static bool ts_right_place(const ts_vstream *o, const ts_insertion *ins)
{
	if (ins->job < 0)
		return o->depth == 1;
	return o->depth == 3 && ts_frame_key(&o->frames[0], "jobs") &&
	       ts_frame_key(&o->frames[1], ins->job_id);
}

static const char *ts_scalar_text(struct fy_event *ev, size_t *len)
{
	return ev && ev->type == FYET_SCALAR ? fy_token_get_text(ev->scalar.value, len) : NULL;
}

/* Reads the inserted value (a mapping of scope: level) and checks it holds
 * exactly the planned levels. */
static int ts_check_value(ts_vctx *v, ts_vstream *o, const ts_insertion *ins)
{
	ts_level got[TS_MAX_SCOPES] = {0};
	struct fy_event *ev = ts_vnext(o);
	if (!ev || ev->type != FYET_MAPPING_START)
		return -1;
	while ((ev = ts_vnext(o)) && ev->type == FYET_SCALAR) {
		size_t kl, vl;
		const char *k = ts_scalar_text(ev, &kl);
		int s = ts_map_scope_find(v->map, k, kl);
		const char *val = ts_scalar_text(ts_vnext(o), &vl);
		if (s < 0 || !val)
			return -1;
		got[s] = ts_streq(val, vl, "write") ? TS_LEVEL_WRITE
			 : ts_streq(val, vl, "read") ? TS_LEVEL_READ : TS_LEVEL_NONE;
		if (!got[s])
			return -1;
	}
	if (!ev || ev->type != FYET_MAPPING_END)
		return -1;
	return memcmp(got, ins->level, sizeof(got)) ? -1 : 0;
}

static int ts_skip_inserted(ts_vctx *v, ts_vstream *o, int k)
{
	const ts_insertion *ins = &v->plan->ins[k];
	const char *who = ins->job < 0 ? "the top level" : ins->job_id;
	size_t len;
	const char *key = ts_scalar_text(o->ev, &len);
	if (v->seen[k] || !key || !ts_streq(key, len, "permissions"))
		return ts_fail(v->err, 0, 0, "internal error: the block inserted for %s "
			       "does not read as one `permissions` key", who);
	/* the key event already moved the frame to "expect value" */
	if (!ts_right_place(o, ins))
		return ts_fail(v->err, 0, 0, "internal error: the block for %s landed "
			       "outside its job", who);
	if (ts_check_value(v, o, ins) < 0)
		return ts_fail(v->err, 0, 0, "internal error: the block for %s does not "
			       "hold the planned scopes", who);
	v->seen[k] = true;
	return 0;
}

/* ------------------------------------------------------------------ */

static int ts_vwalk(ts_vctx *v, ts_vstream *in, ts_vstream *o)
{
	struct fy_event *a = ts_vnext(in), *b = ts_vnext(o);
	for (;;) {
		if (b && b->type == FYET_SCALAR) {
			int k = ts_inserted_at(v, ts_vpos(b));
			if (k >= 0) {
				if (ts_skip_inserted(v, o, k) < 0)
					return -1;
				b = ts_vnext(o);
				continue;
			}
		}
		if (!a || !b) {
			if (a || b || fy_parser_get_stream_error(in->p) ||
			    fy_parser_get_stream_error(o->p))
				return ts_fail(v->err, 0, 0, "internal error: the output does "
					       "not parse as the input did");
			return 0;
		}
		if (!ts_event_eq(in, a, o, b)) {
			size_t pos = ts_vpos(b);
			return ts_fail(v->err, pos == (size_t)-1 ? 0 : ts_vline(v->out->text, pos), 0,
				       "internal error: the output differs from the input "
				       "beyond the inserted keys");
		}
		a = ts_vnext(in);
		b = ts_vnext(o);
	}
}

int ts_verify(const ts_map *map, const char *in, size_t inlen,
	      const ts_spliced *out, const ts_plan *plan, ts_error *err)
{
	bool seen[plan->nins + 1];
	memset(seen, 0, sizeof(seen));
	ts_vctx v = {map, out, plan, seen, err};
	ts_vstream si, so;
	memset(&si, 0, sizeof(si));
	memset(&so, 0, sizeof(so));
	int rc = -1;
	if (ts_vopen(&si, in, inlen) == 0 && ts_vopen(&so, out->text, out->len) == 0)
		rc = ts_vwalk(&v, &si, &so);
	else
		ts_fail(err, 0, 0, "internal error: cannot start the YAML parser");
	ts_vclose(&si);
	ts_vclose(&so);
	for (size_t k = 0; rc == 0 && k < plan->nins; k++)
		if (!seen[k])
			rc = ts_fail(err, 0, 0, "internal error: the block for %s is missing "
				     "from the output", plan->ins[k].job_id ? plan->ins[k].job_id
									    : "the top level");
	return rc;
}
