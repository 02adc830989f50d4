/*
 * parse.c - libfyaml events to a ts_node tree (see parse.h).
 *
 * Mark semantics of libfyaml 0.7.12 that shape this file (verified in
 * ../shared/reference/libfyaml-notes.md):
 *  - a block mapping's end event sits at the NEXT token, past comments and
 *    blank lines, so a collection's end is taken from its last child;
 *  - quoted scalars and aliases are marked without their quote or sigil;
 *  - a | or > scalar ends at the first non-space byte of the line after it;
 *  - empty scalars have no marks at all.
 */
#include "parse.h"

#include "literal.h"
#include "../memo.h"
#include "../yaml.h"

#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

/* An alias bomb stays small here (aliases are never expanded), but the
 * workflow it describes is not: refuse what would expand past this. */
enum { TS_MAX_EXPANDED = 1000000 };

typedef struct ts_frame {
	ts_node *node;
	size_t base;            /* where its items start in the builder's items */
	size_t n;               /* pairs (MAP) or items (SEQ) so far */
	ts_node *pending_key;   /* MAP: a key waiting for its value */
} ts_frame;

typedef struct ts_builder {
	ts_arena *a;
	const char *text;
	size_t len;
	ts_frame *stack;
	size_t depth, max_depth;
	/* The items of every open collection, innermost last (key, value,
	 * key, value... for a mapping): a collection's arrays are made at its
	 * end, at their final size, instead of growing one by one. */
	ts_node **items;
	size_t nitems, cap_items;
	size_t last_end;        /* end of the last content token seen */
	ts_memo *anchors;       /* name -> node, later wins; made at the
				   first anchor (most files have none) */
	ts_node *root;
	int docs;
	bool doc_pending;       /* a second document began with no marks */
	size_t cur_off;         /* ts_pos_at's cursor: offset, line, column */
	int cur_line, cur_col;
	ts_yevents *events;     /* or NULL: not recorded */
	ts_error *err;
} ts_builder;

/* ------------------------------------------------------------------ */
/* Anchors                                                             */

static void ts_anchor_put(ts_builder *b, const char *name, ts_node *node)
{
	if (!b->anchors)
		b->anchors = ts_memo_new(b->a);
	ts_memo_put(b->anchors, name, node);
}

static ts_node *ts_anchor_get(const ts_builder *b, const char *name)
{
	return b->anchors ? ts_memo_get(b->anchors, name) : NULL;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

/* Line and column (1-based, columns in characters) of a byte offset that
 * libfyaml gave no mark for. Offsets mostly grow, so a cursor makes the
 * scan linear over the file. */
static void ts_pos_at(ts_builder *b, size_t off, int *line, int *col)
{
	if (off < b->cur_off || b->cur_line == 0) {
		b->cur_off = 0;
		b->cur_line = 1;
		b->cur_col = 1;
	}
	for (; b->cur_off < off && b->cur_off < b->len; b->cur_off++) {
		unsigned char c = (unsigned char)b->text[b->cur_off];
		if (c == '\n')
			b->cur_line++, b->cur_col = 1;
		else if ((c & 0xC0) != 0x80)
			b->cur_col++;
	}
	*line = b->cur_line;
	*col = b->cur_col;
}

static void ts_set_pos(ts_node *n, const struct fy_mark *m, int shift)
{
	n->start = m->input_pos - (size_t)shift;
	n->line = m->line + 1;
	n->col = m->column + 1 - shift;
	if (n->col < 1)
		n->col = 1;
}

static const char *ts_token_text(ts_arena *a, struct fy_token *t, size_t *len)
{
	size_t n = 0;
	const char *s = t ? fy_token_get_text(t, &n) : NULL;
	*len = s ? n : 0;
	return s ? ts_strndup(a, s, n) : "";
}

/* A scalar's token as libfyaml marked it, asked for once: the node, its
 * text and the recorded event all need the marks and the style. */
typedef struct ts_tok {
	struct fy_token *t;
	const struct fy_mark *sm, *em;  /* NULL when the token has none */
	enum fy_scalar_style style;
} ts_tok;

static ts_tok ts_tok_of(struct fy_token *t)
{
	ts_tok k = {t, NULL, NULL, FYSS_PLAIN};
	if (t) {
		k.sm = fy_token_start_mark(t);
		k.em = fy_token_end_mark(t);
		k.style = fy_token_scalar_style(t);
	}
	return k;
}

/* The value of a scalar written on one line with nothing to unescape or
 * fold is the source between its marks (quotes excluded), which is far
 * cheaper than asking libfyaml to format it. NULL: let libfyaml do it. A
 * plain scalar's end mark already excludes trailing blanks; a line break
 * means folding, a backslash in "..." an escape, and a quote in '...' an
 * '' pair. memchr, not a loop over the bytes: these are most scalars. */
static const char *ts_source_text(const ts_builder *b, const ts_tok *k, size_t *len)
{
	const struct fy_mark *sm = k->sm, *em = k->em;
	if (!sm || !em || sm->line != em->line || em->input_pos < sm->input_pos ||
	    em->input_pos > b->len)
		return NULL;
	const char *p = b->text + sm->input_pos;
	size_t n = em->input_pos - sm->input_pos;
	switch (k->style) {
	case FYSS_PLAIN:
		break;
	case FYSS_SINGLE_QUOTED:
		break;      /* '' pairs are undone by the caller */
	case FYSS_DOUBLE_QUOTED:
		if (memchr(p, '\\', n))
			return NULL;
		break;
	default:
		return NULL;
	}
	if (memchr(p, '\n', n) || memchr(p, '\r', n))
		return NULL;
	*len = n;
	return p;
}

/* A one-line '...' scalar: its text with each '' pair read as one quote.
 * Done here rather than by libfyaml, whose 0.7.12 text iterator leaks its
 * chunk buffer once a scalar holds four or more such pairs. */
static const char *ts_unquote_single(ts_arena *a, const char *s, size_t *len)
{
	char *out = ts_alloc(a, *len + 1);
	size_t o = 0;
	for (size_t i = 0; i < *len; i++) {
		out[o++] = s[i];
		if (s[i] == '\'' && i + 1 < *len && s[i + 1] == '\'')
			i++;
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* ---- `|` scalars: the header, then literal.c ---- */

static size_t ts_line_begin(const ts_builder *b, size_t off);

static size_t ts_skip_blanks(const ts_builder *b, size_t i)
{
	while (i < b->len && (b->text[i] == ' ' || b->text[i] == '\t'))
		i++;
	return i;
}

/* Where the `|` or `>` of a block scalar should stand: past the `:` after
 * its key, or past the `-` of its sequence entry on the header line. 0
 * when it is somewhere else (a tag, an anchor, a document's root). */
static size_t ts_indicator_at(const ts_builder *b, size_t start)
{
	if (!b->depth || start == 0)
		return 0;
	const ts_frame *f = &b->stack[b->depth - 1];
	size_t i;
	if (f->node->kind == TS_NODE_MAP && f->pending_key) {
		i = ts_skip_blanks(b, f->pending_key->end);
		if (i >= b->len || b->text[i] != ':')
			return 0;
		i++;
		while (i < b->len && strchr(" \t\r\n", b->text[i]))
			i++;
	} else if (f->node->kind == TS_NODE_SEQ) {
		i = ts_skip_blanks(b, ts_line_begin(b, start - 1));
		if (i >= b->len || b->text[i] != '-')
			return 0;
		i = ts_skip_blanks(b, i + 1);
	} else {
		return 0;
	}
	return i;
}

/* Reads the header at `i` (`|`, then at most a chomping indicator, then
 * a comment) up to the line break that must end right at `start`. */
static bool ts_literal_header(const ts_builder *b, size_t i, size_t start, char *chomp)
{
	if (!i || i >= b->len || b->text[i] != '|')
		return false;
	i++;
	*chomp = 0;
	if (i < b->len && (b->text[i] == '-' || b->text[i] == '+'))
		*chomp = b->text[i++];
	i = ts_skip_blanks(b, i);
	if (i < b->len && b->text[i] == '#') {
		const char *nl = memchr(b->text + i, '\n', b->len - i);
		i = nl ? (size_t)(nl - b->text) : b->len;
	}
	if (i < b->len && b->text[i] == '\r')
		i++;
	return i < b->len && b->text[i] == '\n' && i + 1 == start;
}

static const char *ts_literal(ts_builder *b, struct fy_event *ev, const ts_tok *k,
			      size_t *len)
{
	const struct fy_mark *sm = k->sm, *em = k->em;
	char chomp;
	if (!sm || !em || ev->scalar.anchor || ev->scalar.tag || em->input_pos > b->len ||
	    !ts_literal_header(b, ts_indicator_at(b, sm->input_pos), sm->input_pos, &chomp))
		return NULL;
	return ts_literal_text(b->a, b->text, sm->input_pos, em->input_pos, chomp, len);
}

static const char *ts_scalar_text(ts_builder *b, struct fy_event *ev, const ts_tok *k,
				  size_t *len)
{
	if (k->t && k->style == FYSS_LITERAL) {
		const char *lit = ts_literal(b, ev, k, len);
		if (lit)
			return lit;
	}
	const char *s = k->t ? ts_source_text(b, k, len) : NULL;
	if (!s)
		return ts_token_text(b->a, k->t, len);
	if (k->style == FYSS_SINGLE_QUOTED && memchr(s, '\'', *len))
		return ts_unquote_single(b->a, s, len);
	return ts_strndup(b->a, s, *len);
}

static ts_node *ts_new_node(ts_builder *b, ts_node_kind kind, struct fy_token *anchor)
{
	ts_node *n = ts_alloc(b->a, sizeof(*n));
	n->kind = kind;
	if (anchor) {
		size_t len;
		n->anchor = ts_token_text(b->a, anchor, &len);
	}
	return n;
}

static ts_node *ts_scalar(ts_builder *b, struct fy_event *ev, const ts_tok *k)
{
	ts_node *n = ts_new_node(b, TS_NODE_SCALAR, ev->scalar.anchor);
	n->weight = 1;
	n->text = ts_scalar_text(b, ev, k, &n->len);
	switch (k->style) {
	case FYSS_SINGLE_QUOTED: n->style = TS_SINGLE_QUOTED; break;
	case FYSS_DOUBLE_QUOTED: n->style = TS_DOUBLE_QUOTED; break;
	case FYSS_LITERAL: n->style = TS_LITERAL; break;
	case FYSS_FOLDED: n->style = TS_FOLDED; break;
	default: n->style = TS_PLAIN; break;
	}
	if (!k->sm || !k->em) {
		/* An empty value has no bytes: it sits where the last token ended. */
		n->null = true;
		n->start = n->end = b->last_end;
		ts_pos_at(b, n->start, &n->line, &n->col);
		return n;
	}
	bool quoted = n->style == TS_SINGLE_QUOTED || n->style == TS_DOUBLE_QUOTED;
	ts_set_pos(n, k->sm, quoted);
	n->end = k->em->input_pos + quoted;
	n->block_scalar_end = n->style == TS_LITERAL || n->style == TS_FOLDED;
	return n;
}

static ts_node *ts_alias(ts_builder *b, struct fy_event *ev)
{
	struct fy_token *t = ev->alias.anchor;
	ts_node *n = ts_new_node(b, TS_NODE_ALIAS, NULL);
	n->text = ts_token_text(b->a, t, &n->len);
	const struct fy_mark *sm = fy_token_start_mark(t);
	const struct fy_mark *em = fy_token_end_mark(t);
	if (sm && em) {
		ts_set_pos(n, sm, 1);
		n->end = em->input_pos;
	}
	ts_node *target = ts_anchor_get(b, n->text);
	if (target) {
		target->aliased = true;
		n->target = target;
		n->weight = target->weight;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Collections                                                         */

static int ts_push(ts_builder *b, ts_node *n, struct fy_token *start)
{
	n->flow = ts_yaml_flow(start);
	const struct fy_mark *sm = start ? fy_token_start_mark(start) : NULL;
	if (sm) {
		ts_set_pos(n, sm, 0);
	} else {
		n->start = b->last_end;
		ts_pos_at(b, n->start, &n->line, &n->col);
	}
	n->end = n->flow ? n->start + 1 : n->start;
	if (b->depth == b->max_depth)
		return ts_fail(b->err, n->line, n->col,
			       "nesting deeper than %zu levels", b->max_depth);
	ts_frame *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->base = b->nitems;
	return 0;
}

static int ts_cmp_keys(const void *x, const void *y)
{
	const ts_node *a = *(ts_node *const *)x, *b = *(ts_node *const *)y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->text, b->text, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

static bool ts_same_key(const ts_node *x, const ts_node *y)
{
	return x->kind == TS_NODE_SCALAR && y->kind == TS_NODE_SCALAR && x->len == y->len &&
	       !memcmp(x->text, y->text, x->len);
}

/* Most mappings are small: pairwise is cheaper than sorting. */
static bool ts_any_duplicate(const ts_node *n)
{
	if (n->n > 16)
		return true;    /* let the sort decide */
	for (size_t j = 1; j < n->n; j++)
		for (size_t i = 0; i < j; i++)
			if (ts_same_key(n->keys[i], n->keys[j]))
				return true;
	return false;
}

/* GitHub rejects a mapping with a repeated key; so do we, at the repeat. */
static int ts_check_duplicates(ts_builder *b, const ts_node *n)
{
	if (n->n < 2 || !ts_any_duplicate(n))
		return 0;
	ts_node **k = ts_alloc_array(b->a, n->n, sizeof(*k));
	size_t m = 0;
	for (size_t i = 0; i < n->n; i++)
		if (n->keys[i]->kind == TS_NODE_SCALAR)
			k[m++] = n->keys[i];
	qsort(k, m, sizeof(*k), ts_cmp_keys);
	for (size_t i = 1; i < m; i++)
		if (ts_same_key(k[i], k[i - 1]))
			return ts_fail(b->err, k[i]->line, k[i]->col,
				       "duplicate key '%.*s'", (int)(k[i]->len > 60 ? 60 : k[i]->len),
				       k[i]->text);
	return 0;
}

/* Moves a finished collection's items out of the builder's stack. */
static void ts_take_items(ts_builder *b, const ts_frame *f, ts_node *n)
{
	n->n = f->n;
	b->nitems = f->base;
	if (!f->n)
		return;         /* empty: no arrays (and maybe no items yet at all) */
	ts_node **it = b->items + f->base;
	n->vals = ts_alloc_array_raw(b->a, f->n, sizeof(*n->vals));
	if (n->kind == TS_NODE_SEQ) {
		memcpy(n->vals, it, f->n * sizeof(*it));
	} else {
		n->keys = ts_alloc_array_raw(b->a, f->n, sizeof(*n->keys));
		for (size_t i = 0; i < f->n; i++) {
			n->keys[i] = it[2 * i];
			n->vals[i] = it[2 * i + 1];
		}
	}
}

static int ts_pop(ts_builder *b, struct fy_token *end)
{
	ts_frame *f = &b->stack[--b->depth];
	ts_node *n = f->node;
	ts_take_items(b, f, n);
	if (n->kind == TS_NODE_MAP && ts_check_duplicates(b, n) < 0)
		return -1;
	n->weight = 1;
	for (size_t i = 0; i < n->n; i++) {
		n->weight += n->vals[i]->weight + (n->keys ? n->keys[i]->weight : 0);
		if (n->weight > TS_MAX_EXPANDED)
			return ts_fail(b->err, n->line, n->col,
				       "aliases here would expand to more than %d nodes "
				       "(an alias bomb)", TS_MAX_EXPANDED);
	}
	if (n->flow) {
		const struct fy_mark *m = end ? fy_token_start_mark(end) : NULL;
		n->close = m ? m->input_pos : b->last_end;
		n->end = n->close + 1;
		b->last_end = n->end;
	} else if (n->n) {
		const ts_node *last = n->vals[n->n - 1];
		n->end = last->end;
		n->block_scalar_end = last->block_scalar_end;
		n->open_end = last->open_end || (last->kind == TS_NODE_SCALAR && last->null);
		if (n->kind == TS_NODE_MAP && n->keys[n->n - 1]->end > n->end)
			n->end = n->keys[n->n - 1]->end;
	}
	if (n->anchor)
		ts_anchor_put(b, n->anchor, n);
	return 0;
}

/* Where the line holding `off` starts, past a BOM on the first line. */
static size_t ts_line_begin(const ts_builder *b, size_t off)
{
	size_t ls = off;
	while (ls > 0 && b->text[ls - 1] != '\n')
		ls--;
	if (ls == 0 && b->len >= 3 && !memcmp(b->text, "\xEF\xBB\xBF", 3))
		ls = 3;
	return ls;
}

static size_t ts_line_indent(const ts_builder *b, size_t off)
{
	size_t ls = ts_line_begin(b, off);
	size_t i = ls;
	while (i < b->len && b->text[i] == ' ')
		i++;
	return i - ls;
}

/* YAML wants a scalar value on a later line than its key indented past
 * the key; libfyaml 0.7.12 accepts one that is not, and then returns text
 * from uninitialised memory. Refuse it as GitHub's parser does. */
static int ts_check_indent(ts_builder *b, const ts_node *key, const ts_node *v)
{
	if (v->kind != TS_NODE_SCALAR || v->null || v->len == 0 || v->line <= key->line)
		return 0;
	size_t key_col = key->start - ts_line_begin(b, key->start);   /* in bytes */
	/* The first line with text decides: a | scalar may open with blank
	 * lines, which carry no indentation. */
	size_t at = v->start;
	for (;;) {
		size_t i = at;
		while (i < b->len && (b->text[i] == ' ' || b->text[i] == '\r'))
			i++;
		if (i >= b->len || i >= v->end || b->text[i] != '\n')
			break;
		at = i + 1;
	}
	if (at >= v->end || ts_line_indent(b, at) > key_col)
		return 0;
	return ts_fail(b->err, v->line, v->col,
		       "invalid YAML: the value of '%.*s' is not indented past its key",
		       (int)(key->len > 60 ? 60 : key->len), key->text);
}

/* Adds a finished node to the open collection (or makes it the root). */
static int ts_attach(ts_builder *b, ts_node *n)
{
	if (!b->depth) {
		b->root = n;
		return 0;
	}
	ts_frame *f = &b->stack[b->depth - 1];
	if (f->node->kind == TS_NODE_MAP && !f->pending_key) {
		f->pending_key = n;
		if (n->kind == TS_NODE_SCALAR && n->len == 2 && !memcmp(n->text, "<<", 2) &&
		    n->style == TS_PLAIN)
			f->node->merge = true;
		return 0;
	}
	if (b->nitems + 2 > b->cap_items) {
		b->cap_items = b->cap_items ? b->cap_items * 2 : 256;
		b->items = realloc(b->items, b->cap_items * sizeof(*b->items));
		if (!b->items)
			abort();
	}
	if (f->node->kind == TS_NODE_MAP) {
		if (!f->node->flow && ts_check_indent(b, f->pending_key, n) < 0)
			return -1;
		b->items[b->nitems++] = f->pending_key;
		f->pending_key = NULL;
	}
	b->items[b->nitems++] = n;
	f->n++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

/* A second document is refused where it starts. After `...` it may begin
 * with no `---` and so no marks: then the first token of its content (or
 * the end of the file) gives the position. */
static int ts_on_document(ts_builder *b, struct fy_event *ev)
{
	if (++b->docs == 1)
		return 0;
	struct fy_token *t = ev->document_start.document_start;
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	if (!m) {
		b->doc_pending = true;
		return 0;
	}
	return ts_fail(b->err, m->line + 1, m->column + 1,
		       "a second YAML document: a workflow file holds one");
}

static int ts_second_document(ts_builder *b, struct fy_event *ev)
{
	struct fy_token *t = fy_event_get_token(ev);
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	int line, col;
	if (m) {
		line = m->line + 1;
		col = m->column + 1;
	} else {
		ts_pos_at(b, b->len, &line, &col);
	}
	return ts_fail(b->err, line, col, "a second YAML document: a workflow file holds one");
}

/* ------------------------------------------------------------------ */
/* The recorded event stream (parse.h)                                 */

static const char *ts_record_tag(ts_builder *b, struct fy_token *tag)
{
	size_t len;
	return tag ? ts_token_text(b->a, tag, &len) : NULL;
}

static void ts_record_collection(ts_builder *b, ts_yevent *e, struct fy_token *start,
				 struct fy_token *tag, const ts_node *n)
{
	e->flow = ts_yaml_flow(start);
	e->anchor = n->anchor;
	e->tag = ts_record_tag(b, tag);
}

/* Records `ev`; `n` is the node made of it (SCALAR, ALIAS, a collection's
 * start), whose text and anchor are shared rather than copied again, and
 * `k` a scalar's token. */
static void ts_record(ts_builder *b, struct fy_event *ev, const ts_tok *k,
		      const ts_node *n)
{
	ts_yevents *r = b->events;
	if (r->n == r->cap)
		r->v = ts_grow_raw(b->a, r->v, &r->cap, r->n + 1, sizeof(*r->v));
	ts_yevent *e = &r->v[r->n++];
	*e = (ts_yevent){.start = (size_t)TS_YE_NO_MARK, .end = (size_t)TS_YE_NO_MARK};
	switch (ev->type) {
	case FYET_SCALAR:
		e->kind = TS_YE_SCALAR;
		e->style = n->style;
		e->text = n->text;
		e->len = n->len;
		e->anchor = n->anchor;
		e->tag = ts_record_tag(b, ev->scalar.tag);
		if (k->sm && k->em) {
			e->start = k->sm->input_pos;
			e->end = k->em->input_pos;
		}
		return;
	case FYET_ALIAS:
		e->kind = TS_YE_ALIAS;
		e->text = n->text;
		e->len = n->len;
		return;
	case FYET_MAPPING_START:
		e->kind = TS_YE_MAP_START;
		ts_record_collection(b, e, ev->mapping_start.mapping_start,
				     ev->mapping_start.tag, n);
		return;
	case FYET_SEQUENCE_START:
		e->kind = TS_YE_SEQ_START;
		ts_record_collection(b, e, ev->sequence_start.sequence_start,
				     ev->sequence_start.tag, n);
		return;
	case FYET_MAPPING_END:
		e->kind = TS_YE_MAP_END;
		return;
	case FYET_SEQUENCE_END:
		e->kind = TS_YE_SEQ_END;
		return;
	case FYET_STREAM_START:
		e->kind = TS_YE_STREAM_START;
		return;
	case FYET_DOCUMENT_START:
		e->kind = TS_YE_DOC_START;
		return;
	case FYET_DOCUMENT_END:
		e->kind = TS_YE_DOC_END;
		return;
	default:
		e->kind = TS_YE_STREAM_END;
		return;
	}
}

/* Builds the tree from one event; *made is the node the event made. */
static int ts_build(ts_builder *b, struct fy_event *ev, const ts_tok *k,
		    ts_node **made)
{
	ts_node *n;
	if (b->doc_pending && ev->type != FYET_DOCUMENT_START)
		return ts_second_document(b, ev);
	switch (ev->type) {
	case FYET_DOCUMENT_START:
		return ts_on_document(b, ev);
	case FYET_SCALAR:
		*made = n = ts_scalar(b, ev, k);
		if (!n->null)
			b->last_end = n->end;
		if (n->anchor)
			ts_anchor_put(b, n->anchor, n);
		return ts_attach(b, n);
	case FYET_ALIAS:
		*made = n = ts_alias(b, ev);
		if (!n->target)
			return ts_fail(b->err, n->line, n->col, "alias *%s names no anchor",
				       n->text);
		b->last_end = n->end;
		return ts_attach(b, n);
	case FYET_MAPPING_START:
		*made = n = ts_new_node(b, TS_NODE_MAP, ev->mapping_start.anchor);
		return ts_push(b, n, ev->mapping_start.mapping_start);
	case FYET_SEQUENCE_START:
		*made = n = ts_new_node(b, TS_NODE_SEQ, ev->sequence_start.anchor);
		return ts_push(b, n, ev->sequence_start.sequence_start);
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		n = b->stack[b->depth - 1].node;
		if (ts_pop(b, ev->type == FYET_MAPPING_END ? ev->mapping_end.mapping_end
							   : ev->sequence_end.sequence_end) < 0)
			return -1;
		return ts_attach(b, n);
	default:
		return 0;
	}
}

static int ts_on_event(ts_builder *b, struct fy_event *ev)
{
	ts_tok k = ts_tok_of(ev->type == FYET_SCALAR ? ev->scalar.value : NULL);
	ts_node *n = NULL;
	int rc = ts_build(b, ev, &k, &n);
	if (rc == 0 && b->events)
		ts_record(b, ev, &k, n);
	return rc;
}

/* libfyaml's first collected error, as file:line:col. */
static int ts_diag_error(struct fy_diag *diag, ts_error *err)
{
	void *it = NULL;
	struct fy_diag_error *e;
	while ((e = fy_diag_errors_iterate(diag, &it)))
		if (e->type >= FYET_ERROR)
			return ts_fail(err, e->line, e->column, "invalid YAML: %s", e->msg);
	return ts_fail(err, 0, 0, "invalid YAML");
}

int ts_parse(ts_arena *a, const char *text, size_t len,
	     const ts_parse_opts *opts, const ts_node **root, ts_error *err)
{
	ts_builder b = {.a = a, .text = text, .len = len, .err = err};
	b.events = opts ? opts->events : NULL;
	if (b.events) {
		/* In the corpus 65% of files have more than one event per 20
		 * bytes, 1.4% more than one per 8 (at most one per 5.8). Room
		 * for one per 8 made no run faster and the peak 3 MiB larger
		 * (the arena's blocks grow with it), so most files grow the
		 * record once. */
		memset(b.events, 0, sizeof(*b.events));
		b.events->cap = len / 20 + 16;
		b.events->v = ts_alloc_raw(a, b.events->cap * sizeof(*b.events->v));
	}
	b.max_depth = opts && opts->max_depth ? opts->max_depth : 64;
	b.stack = ts_alloc_array_raw(a, b.max_depth, sizeof(*b.stack)); /* set on push */
	struct fy_diag *diag;
	struct fy_parser *fyp = ts_yaml_open(text, len, &diag);
	if (!fyp)
		return ts_fail(err, 0, 0, "cannot start the YAML parser");
	int rc = 0;
	struct fy_event *ev;
	while (rc == 0 && (ev = fy_parser_parse(fyp))) {
		rc = ts_on_event(&b, ev);
		fy_parser_event_free(fyp, ev);
	}
	if (rc == 0 && fy_parser_get_stream_error(fyp))
		rc = ts_diag_error(diag, err);
	bool ended = rc == 0;
	if (rc == 0 && !b.root)
		rc = ts_fail(err, 0, 0, "empty document: no workflow in it");
	ts_yaml_close(fyp, diag, ended);
	free(b.items);
	*root = rc == 0 ? b.root : NULL;
	return rc;
}
