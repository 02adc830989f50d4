/*
 * diff.c - a unified diff of two texts, by lines (Myers' O(ND) algorithm).
 *
 * The diff is computed from the two texts alone, not from the plan, so it
 * is an independent witness: if a change ever removed or altered a line,
 * the diff would show it (the corpus test asserts it never does for block
 * jobs). Lines keep their EOL bytes, so CRLF survives into the patch.
 */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

typedef struct ts_line_ref {
	const char *s;
	size_t len;             /* with its EOL */
} ts_line_ref;

static size_t ts_split_lines(ts_arena *a, const char *t, size_t len, ts_line_ref **out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	n += len && t[len - 1] != '\n';
	ts_line_ref *v = ts_alloc_array(a, n ? n : 1, sizeof(*v));
	size_t k = 0, st = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n') {
			v[k].s = t + st;
			v[k++].len = i + 1 - st;
			st = i + 1;
		}
	if (st < len) {
		v[k].s = t + st;
		v[k++].len = len - st;
	}
	*out = v;
	return n;
}

static bool ts_line_eq(const ts_line_ref *a, const ts_line_ref *b)
{
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

/* An edit script: for each step, 0 = keep, '-' = delete old, '+' = insert new. */
typedef struct ts_script {
	char *op;
	size_t n;
} ts_script;

/* Myers' greedy forward search, keeping each round's V for the walk back.
 * D is small here (the lines added), so the O(D^2) trace is too. */
static void ts_myers(ts_arena *a, const ts_line_ref *x, long n, const ts_line_ref *y,
		     long m, ts_script *out)
{
	long max = n + m;
	long off = max + 1;
	long **trace = ts_alloc_array(a, (size_t)max + 2, sizeof(*trace));
	long *v = ts_alloc_array(a, (size_t)(2 * off + 1), sizeof(*v));
	long d;
	for (d = 0; d <= max; d++) {
		for (long k = -d; k <= d; k += 2) {
			long xx = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
					  ? v[off + k + 1] : v[off + k - 1] + 1;
			long yy = xx - k;
			while (xx < n && yy < m && ts_line_eq(&x[xx], &y[yy]))
				xx++, yy++;
			v[off + k] = xx;
			if (xx >= n && yy >= m)
				goto found;
		}
		trace[d] = ts_alloc_array(a, (size_t)(2 * off + 1), sizeof(long));
		memcpy(trace[d], v, (size_t)(2 * off + 1) * sizeof(long));
	}
found:
	out->op = ts_alloc(a, (size_t)(n + m) + 1);
	out->n = 0;
	/* walk back from (n, m), writing the script in reverse */
	char *rev = ts_alloc(a, (size_t)(n + m) + 1);
	size_t r = 0;
	long xx = n, yy = m;
	for (long dd = d; dd > 0; dd--) {
		long *pv = trace[dd - 1];
		long k = xx - yy;
		long pk = (k == -dd || (k != dd && pv[off + k - 1] < pv[off + k + 1])) ? k + 1 : k - 1;
		long px = pv[off + pk], py = px - pk;
		while (xx > px && yy > py)
			rev[r++] = 0, xx--, yy--;
		rev[r++] = pk == k + 1 ? '+' : '-';
		xx = px;
		yy = py;
	}
	while (xx > 0 && yy > 0)
		rev[r++] = 0, xx--, yy--;
	while (r > 0)
		out->op[out->n++] = rev[--r];
}

enum { TS_CONTEXT = 3 };

static void ts_hunk_line(ts_buf *b, char sign, const ts_line_ref *l, bool color)
{
	const char *on = !color ? "" : sign == '+' ? "\033[32m" : sign == '-' ? "\033[31m" : "";
	ts_buf_addf(b, "%s%c", on, sign);
	size_t len = l->len;
	bool nl = len && l->s[len - 1] == '\n';
	ts_buf_add(b, l->s, nl ? len - 1 : len);
	if (color && *on)
		ts_buf_adds(b, "\033[0m");
	/* keep the EOL bytes (a CR stays before the newline) */
	ts_buf_adds(b, "\n");
	if (!nl)
		ts_buf_adds(b, "\\ No newline at end of file\n");
}

/* Emits hunks: runs of changes with up to 3 lines of context around them,
 * merged when their contexts touch. */
static void ts_hunks(ts_buf *b, const ts_script *sc, const ts_line_ref *x,
		     const ts_line_ref *y, bool color)
{
	size_t i = 0;
	while (i < sc->n) {
		while (i < sc->n && sc->op[i] == 0)
			i++;
		if (i >= sc->n)
			break;
		/* find the end of this hunk: changes separated by <= 2*CONTEXT keeps */
		size_t start = i, end = i, keeps = 0;
		for (size_t k = i; k < sc->n; k++) {
			if (sc->op[k]) {
				end = k + 1;
				keeps = 0;
			} else if (++keeps > 2 * TS_CONTEXT) {
				break;
			}
		}
		size_t hs = start > TS_CONTEXT ? start - TS_CONTEXT : 0;
		size_t he = end + TS_CONTEXT < sc->n ? end + TS_CONTEXT : sc->n;
		/* line numbers at hs */
		size_t ox = 0, oy = 0;
		for (size_t k = 0; k < hs; k++) {
			ox += sc->op[k] != '+';
			oy += sc->op[k] != '-';
		}
		size_t cx = 0, cy = 0;
		for (size_t k = hs; k < he; k++) {
			cx += sc->op[k] != '+';
			cy += sc->op[k] != '-';
		}
		ts_buf_addf(b, "%s@@ -%zu,%zu +%zu,%zu @@%s\n", color ? "\033[36m" : "",
			    cx ? ox + 1 : ox, cx, cy ? oy + 1 : oy, cy, color ? "\033[0m" : "");
		for (size_t k = hs; k < he; k++) {
			char op = sc->op[k];
			if (op == '+')
				ts_hunk_line(b, '+', &y[oy++], color);
			else if (op == '-')
				ts_hunk_line(b, '-', &x[ox++], color);
			else
				ts_hunk_line(b, ' ', &x[ox++], color), oy++;
		}
		i = he;
	}
}

/* Both texts as lines, and the edit script between them. */
typedef struct ts_line_diff {
	ts_line_ref *x, *y;
	ts_script sc;
} ts_line_diff;

static void ts_line_diff_make(ts_arena *a, const char *old, size_t oldlen,
			      const char *new_text, size_t newlen, ts_line_diff *d)
{
	long n = (long)ts_split_lines(a, old, oldlen, &d->x);
	long m = (long)ts_split_lines(a, new_text, newlen, &d->y);
	ts_myers(a, d->x, n, d->y, m, &d->sc);
}

void ts_emit_diff(ts_buf *b, const char *display, const char *old, size_t oldlen,
		  const char *new_text, size_t newlen, bool color)
{
	ts_arena tmp = TS_ARENA_INIT;
	ts_line_diff d;
	ts_line_diff_make(&tmp, old, oldlen, new_text, newlen, &d);
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	ts_buf_addf(b, "%sdiff --git a/%s b/%s%s\n", bold, display, display, off);
	ts_buf_addf(b, "%s--- a/%s%s\n", bold, display, off);
	ts_buf_addf(b, "%s+++ b/%s%s\n", bold, display, off);
	ts_hunks(b, &d.sc, d.x, d.y, color);
	ts_arena_free(&tmp);
}

bool ts_diff_only_adds(const char *old, size_t oldlen, const char *new_text,
		       size_t newlen, size_t *changed_lines)
{
	ts_arena tmp = TS_ARENA_INIT;
	ts_line_diff d;
	ts_line_diff_make(&tmp, old, oldlen, new_text, newlen, &d);
	size_t removed = 0;
	for (size_t k = 0; k < d.sc.n; k++)
		removed += d.sc.op[k] == '-';
	ts_arena_free(&tmp);
	if (changed_lines)
		*changed_lines = removed;
	return removed == 0;
}
