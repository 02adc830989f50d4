/* literal.c - see literal.h. */
#include "literal.h"

#include <stdbool.h>
#include <string.h>

typedef struct ts_line {
	const char *p;          /* the line, without its break */
	size_t len, spaces;     /* leading spaces */
	bool blank;             /* nothing but spaces */
} ts_line;

/* The next line of [*pos, end), or false at the end. The last piece, with
 * no line break, is the next token's indentation: not a line. */
static bool ts_next_line(const char *text, size_t *pos, size_t end, ts_line *l)
{
	const char *p = text + *pos;
	const char *nl = memchr(p, '\n', end - *pos);
	if (!nl)
		return false;
	l->p = p;
	l->len = (size_t)(nl - p);
	if (l->len && p[l->len - 1] == '\r')
		l->len--;
	l->spaces = 0;
	while (l->spaces < l->len && p[l->spaces] == ' ')
		l->spaces++;
	l->blank = l->spaces == l->len;
	*pos = (size_t)(nl - text) + 1;
	return true;
}

/* The indentation of the first line with text, or 0 when it cannot be
 * trusted: a leading blank line longer than it (YAML refuses that), or a
 * tab where the indentation should be. */
static size_t ts_content_indent(const char *text, size_t start, size_t end)
{
	size_t pos = start, longest_blank = 0;
	ts_line l;
	while (ts_next_line(text, &pos, end, &l)) {
		if (l.blank) {
			if (l.len > longest_blank)
				longest_blank = l.len;
			continue;
		}
		if (l.p[l.spaces] == '\t' || l.spaces == 0 || longest_blank > l.spaces)
			return 0;
		return l.spaces;
	}
	return 0;
}

/* Whatever follows the last line break must be spaces: the indentation
 * of the token after the scalar. */
static bool ts_tail_spaces(const char *text, size_t start, size_t end)
{
	size_t i = end;
	while (i > start && text[i - 1] == ' ')
		i--;
	return i == start || text[i - 1] == '\n';
}

const char *ts_literal_text(ts_arena *a, const char *text, size_t start, size_t end,
			    char chomp, size_t *len)
{
	size_t indent = ts_content_indent(text, start, end);
	if (!indent || !ts_tail_spaces(text, start, end))
		return NULL;
	char *out = ts_alloc_raw(a, end - start + 1);   /* written up to out[o] */
	size_t o = 0, breaks = 0;     /* line breaks owed since the last text */
	bool any = false;
	size_t pos = start;
	ts_line l;
	while (ts_next_line(text, &pos, end, &l)) {
		if (l.blank) {
			if (l.len > indent)
				return NULL;    /* spaces that are content: rare */
			breaks++;
			continue;
		}
		if (l.spaces < indent)
			return NULL;            /* a comment after the scalar */
		for (; breaks; breaks--)
			out[o++] = '\n';
		memcpy(out + o, l.p + indent, l.len - indent);
		o += l.len - indent;
		breaks = 1;
		any = true;
	}
	if (any && chomp != '-')
		out[o++] = '\n';
	if (any && chomp == '+')
		for (; breaks > 1; breaks--)
			out[o++] = '\n';
	if (!any && chomp == '+')
		return NULL;                    /* only blank lines: rare */
	out[o] = '\0';
	*len = o;
	return out;
}
