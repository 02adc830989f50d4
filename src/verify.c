/* verify.c - see verify.h. */
#include "verify.h"

#include "yaml.h"

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
	bool ended;             /* read to its end without an error */
	ts_vframe frames[TS_VDEPTH];
	int depth;
} ts_vstream;

static int ts_vopen(ts_vstream *s, const char *text, size_t len)
{
	/* the frames are set as they are pushed */
	s->text = text;
	s->p = NULL;
	s->diag = NULL;
	s->ev = NULL;
	s->ended = false;
	s->depth = 0;
	s->p = ts_yaml_open(text, len, &s->diag);
	return s->p ? 0 : -1;
}

static void ts_vclose(ts_vstream *s)
{
	if (s->ev)
		fy_parser_event_free(s->p, s->ev);
	ts_yaml_close(s->p, s->diag, s->ended);
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
			f->keylen = 0;
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
	/* Only the keys of the top two levels place an inserted block
	 * (ts_right_place); deeper keys are not worth libfyaml's text. */
	if (f->expect_key && ev->type == FYET_SCALAR && s->depth <= 2) {
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
	else
		s->ended = !fy_parser_get_stream_error(s->p);
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
/* Comparing an output event with the recorded input event            */

/* The input: its bytes and the events parse recorded from libfyaml. */
typedef struct ts_vinput {
	const char *text;
	size_t len;
	const ts_yevents *events;
	size_t next;
} ts_vinput;

static const ts_yevent *ts_vin_next(ts_vinput *in)
{
	return in->next < in->events->n ? &in->events->v[in->next++] : NULL;
}

static bool ts_text_eq(const char *a, size_t alen, struct fy_token *b)
{
	size_t blen = 0;
	const char *s = b ? fy_token_get_text(b, &blen) : NULL;
	if (!a || !s)
		return !a && !s;
	return alen == blen && (alen == 0 || !memcmp(a, s, alen));
}

static bool ts_cstr_eq(const char *a, struct fy_token *b)
{
	return ts_text_eq(a, a ? strlen(a) : 0, b);
}

static ts_scalar_style ts_vstyle(struct fy_token *t)
{
	switch (t ? fy_token_scalar_style(t) : FYSS_PLAIN) {
	case FYSS_SINGLE_QUOTED: return TS_SINGLE_QUOTED;
	case FYSS_DOUBLE_QUOTED: return TS_DOUBLE_QUOTED;
	case FYSS_LITERAL: return TS_LITERAL;
	case FYSS_FOLDED: return TS_FOLDED;
	default: return TS_PLAIN;
	}
}

/* Where the header line of a | or > scalar whose content starts at
 * `start` begins. The marks leave the header out, but its chomping and
 * indentation indicators shape the value. */
static size_t ts_header_begin(const char *text, size_t start)
{
	size_t ls = start ? start - 1 : 0;
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	return ls;
}

/* An indentation indicator counts from the parent's indentation, which
 * the bytes of the scalar do not show: a digit after the first | or > of
 * the header line may be one, and then only the text can be compared. */
static bool ts_header_plain(const char *h, size_t n)
{
	size_t i = 0;
	while (i < n && h[i] != '|' && h[i] != '>')
		i++;
	for (; i < n; i++)
		if (h[i] >= '0' && h[i] <= '9')
			return false;
	return true;
}

/* Equal source bytes mean equal values, without asking libfyaml to
 * format the text: a plain or quoted scalar's quotes, escapes and folded
 * line breaks are all between its marks, and a block scalar's value is
 * its header line and its content lines (unless its indentation is
 * counted from the parent's, ts_header_plain). The diff only adds lines,
 * so the bytes of every original scalar are the same. */
static bool ts_same_bytes(const ts_vinput *in, const ts_yevent *a,
			  const ts_vstream *out, struct fy_token *b)
{
	const struct fy_mark *bs = fy_token_start_mark(b), *be = fy_token_end_mark(b);
	if (a->start == (size_t)TS_YE_NO_MARK || !bs || !be)
		return false;
	size_t as = a->start, bst = bs->input_pos;
	size_t la = a->end - as, lb = be->input_pos - bst;
	if (a->style == TS_LITERAL || a->style == TS_FOLDED) {
		size_t ha = ts_header_begin(in->text, as), hb = ts_header_begin(out->text, bst);
		if (!ts_header_plain(in->text + ha, as - ha))
			return false;
		la += as - ha, as = ha;
		lb += bst - hb, bst = hb;
	}
	return la == lb && !memcmp(in->text + as, out->text + bst, la);
}

static bool ts_scalar_eq(const ts_vinput *in, const ts_yevent *a,
			 const ts_vstream *out, struct fy_event *b)
{
	struct fy_token *v = b->scalar.value;
	if (a->style != ts_vstyle(v) || !ts_cstr_eq(a->anchor, b->scalar.anchor) ||
	    !ts_cstr_eq(a->tag, b->scalar.tag))
		return false;
	if (v && ts_same_bytes(in, a, out, v))
		return true;
	/* an empty value has no token text; libfyaml and parse both read "" */
	return v ? ts_text_eq(a->text, a->len, v) : a->len == 0;
}

static bool ts_collection_eq(const ts_yevent *a, struct fy_token *start,
			     struct fy_token *anchor, struct fy_token *tag)
{
	return ts_cstr_eq(a->anchor, anchor) && ts_cstr_eq(a->tag, tag) &&
	       a->flow == ts_yaml_flow(start);
}

static bool ts_event_eq(const ts_vinput *in, const ts_yevent *a,
			const ts_vstream *out, struct fy_event *b)
{
	switch (b->type) {
	case FYET_SCALAR:
		return a->kind == TS_YE_SCALAR && ts_scalar_eq(in, a, out, b);
	case FYET_ALIAS:
		return a->kind == TS_YE_ALIAS && ts_text_eq(a->text, a->len, b->alias.anchor);
	case FYET_MAPPING_START:
		return a->kind == TS_YE_MAP_START &&
		       ts_collection_eq(a, b->mapping_start.mapping_start,
					b->mapping_start.anchor, b->mapping_start.tag);
	case FYET_SEQUENCE_START:
		return a->kind == TS_YE_SEQ_START &&
		       ts_collection_eq(a, b->sequence_start.sequence_start,
					b->sequence_start.anchor, b->sequence_start.tag);
	case FYET_MAPPING_END:
		return a->kind == TS_YE_MAP_END;
	case FYET_SEQUENCE_END:
		return a->kind == TS_YE_SEQ_END;
	case FYET_STREAM_START:
		return a->kind == TS_YE_STREAM_START;
	case FYET_DOCUMENT_START:
		return a->kind == TS_YE_DOC_START;
	case FYET_DOCUMENT_END:
		return a->kind == TS_YE_DOC_END;
	case FYET_STREAM_END:
		return a->kind == TS_YE_STREAM_END;
	default:
		return false;
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

static int ts_vwalk(ts_vctx *v, ts_vinput *in, ts_vstream *o)
{
	const ts_yevent *a = ts_vin_next(in);
	struct fy_event *b = ts_vnext(o);
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
			if (a || b || fy_parser_get_stream_error(o->p))
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
		a = ts_vin_next(in);
		b = ts_vnext(o);
	}
}

int ts_verify(const ts_map *map, const char *in, size_t inlen,
	      const ts_yevents *in_events, const ts_spliced *out,
	      const ts_plan *plan, ts_error *err)
{
	bool seen[plan->nins + 1];
	memset(seen, 0, sizeof(seen));
	ts_vctx v = {map, out, plan, seen, err};
	ts_vinput vin = {in, inlen, in_events, 0};
	ts_vstream so;
	int rc = -1;
	if (ts_vopen(&so, out->text, out->len) == 0)
		rc = ts_vwalk(&v, &vin, &so);
	else
		ts_fail(err, 0, 0, "internal error: cannot start the YAML parser");
	ts_vclose(&so);
	for (size_t k = 0; rc == 0 && k < plan->nins; k++)
		if (!seen[k])
			rc = ts_fail(err, 0, 0, "internal error: the block for %s is missing "
				     "from the output", plan->ins[k].job_id ? plan->ins[k].job_id
									    : "the top level");
	return rc;
}
