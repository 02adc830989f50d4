/* oracle.c - see oracle.h. Plain and unhurried on purpose. */
#include "oracle.h"

#include <libfyaml.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tl_oev {
	enum fy_event_type type;
	int style;              /* scalar style, or flow for a collection */
	char *text, *anchor, *tag;
	size_t len, pos;
} tl_oev;

typedef struct tl_olist {
	tl_oev *v;
	size_t n, cap;
	bool error;
} tl_olist;

static char *tl_dup_token(struct fy_token *t, size_t *len)
{
	size_t n = 0;
	const char *s = t ? fy_token_get_text(t, &n) : NULL;
	if (len)
		*len = s ? n : 0;
	if (!s)
		return NULL;
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static size_t tl_pos(struct fy_event *ev)
{
	struct fy_token *t = fy_event_get_token(ev);
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	return m ? m->input_pos : (size_t)-1;
}

static int tl_flow(struct fy_token *t)
{
	enum fy_token_type tt = t ? fy_token_get_type(t) : FYTT_NONE;
	return tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START;
}

static void tl_fill(tl_oev *e, struct fy_event *ev)
{
	memset(e, 0, sizeof(*e));
	e->type = ev->type;
	e->pos = tl_pos(ev);
	switch (ev->type) {
	case FYET_SCALAR:
		e->text = tl_dup_token(ev->scalar.value, &e->len);
		e->style = ev->scalar.value ? (int)fy_token_scalar_style(ev->scalar.value) : 0;
		e->anchor = tl_dup_token(ev->scalar.anchor, NULL);
		e->tag = tl_dup_token(ev->scalar.tag, NULL);
		break;
	case FYET_ALIAS:
		e->text = tl_dup_token(ev->alias.anchor, &e->len);
		break;
	case FYET_MAPPING_START:
		e->style = tl_flow(ev->mapping_start.mapping_start);
		e->anchor = tl_dup_token(ev->mapping_start.anchor, NULL);
		e->tag = tl_dup_token(ev->mapping_start.tag, NULL);
		break;
	case FYET_SEQUENCE_START:
		e->style = tl_flow(ev->sequence_start.sequence_start);
		e->anchor = tl_dup_token(ev->sequence_start.anchor, NULL);
		e->tag = tl_dup_token(ev->sequence_start.tag, NULL);
		break;
	default:
		break;
	}
}

static bool tl_inserted(size_t pos, const size_t *at, const size_t *len, size_t nins)
{
	for (size_t k = 0; k < nins; k++)
		if (pos >= at[k] && pos < at[k] + len[k])
			return true;
	return false;
}

static void tl_push(tl_olist *l, struct fy_event *ev)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	tl_fill(&l->v[l->n++], ev);
}

/* Every event of `text`, less each inserted key (a scalar that starts in
 * an inserted range) and the whole value that follows it. */
static void tl_events(tl_olist *l, const char *text, size_t n, const size_t *at,
		      const size_t *len, size_t nins)
{
	/* libfyaml's default diagnostics print warnings (an unknown %
	 * directive) to stderr, which only clutters a fuzzer's log */
	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.level = FYET_ERROR;
	struct fy_diag *diag = fy_diag_create(&dc);
	struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_SLOPPY_FLOW_INDENTATION,
				   .diag = diag};
	struct fy_parser *p = diag ? fy_parser_create(&cfg) : NULL;
	if (!p || fy_parser_set_string(p, text, n) != 0)
		abort();
	size_t sub = 0;         /* > 0: inside a dropped value, its nesting */
	bool value_next = false;
	struct fy_event *ev;
	while ((ev = fy_parser_parse(p))) {
		bool start = ev->type == FYET_MAPPING_START || ev->type == FYET_SEQUENCE_START;
		bool end = ev->type == FYET_MAPPING_END || ev->type == FYET_SEQUENCE_END;
		bool drop = true;
		if (sub > 0)
			sub += start ? 1 : end ? (size_t)-1 : 0;
		else if (value_next)
			value_next = false, sub = start;
		else if (ev->type == FYET_SCALAR && tl_pos(ev) != (size_t)-1 &&
			 tl_inserted(tl_pos(ev), at, len, nins))
			value_next = true;
		else
			drop = false;
		if (!drop)
			tl_push(l, ev);
		fy_parser_event_free(p, ev);
	}
	l->error = fy_parser_get_stream_error(p);
	fy_parser_destroy(p);
	fy_diag_destroy(diag);
}

static void tl_free(tl_olist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].anchor);
		free(l->v[i].tag);
	}
	free(l->v);
}

static bool tl_str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool tl_same(const tl_oev *a, const tl_oev *b)
{
	return a->type == b->type && a->style == b->style && a->len == b->len &&
	       (a->len == 0 || !memcmp(a->text, b->text, a->len)) &&
	       tl_str_eq(a->anchor, b->anchor) && tl_str_eq(a->tag, b->tag);
}

const char *tl_oracle(const char *in, size_t inlen, const char *out, size_t outlen,
		      const size_t *at, const size_t *len, size_t nins)
{
	static char msg[160];
	tl_olist a = {0}, b = {0};
	tl_events(&a, in, inlen, NULL, NULL, 0);
	tl_events(&b, out, outlen, at, len, nins);
	const char *res = NULL;
	if (a.error || b.error) {
		res = a.error ? "the input does not parse" : "the output does not parse";
	} else {
		size_t i = 0;
		while (i < a.n && i < b.n && tl_same(&a.v[i], &b.v[i]))
			i++;
		if (i < a.n || i < b.n) {
			snprintf(msg, sizeof(msg), "event %zu differs (output offset %zu)", i,
				 i < b.n ? b.v[i].pos : (size_t)-1);
			res = msg;
		}
	}
	tl_free(&a);
	tl_free(&b);
	return res;
}
