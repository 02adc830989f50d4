/*
 * arena_text.c - the helpers of arena.h built on ts_alloc: strings,
 * formatted strings, growing arrays and byte buffers. They never touch the
 * allocator's blocks, so any ts_alloc (src/arena.c, or the fuzz build's
 * one-malloc-per-object fuzz/fuzz_arena.c) serves them.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n * size, or the end of the program when it does not fit a size_t. */
static size_t ts_array_bytes(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		fputs("tokenscope: out of memory\n", stderr);
		abort();
	}
	return n * size;
}

void *ts_alloc_array(ts_arena *a, size_t n, size_t size)
{
	return ts_alloc(a, ts_array_bytes(n, size));
}

void *ts_alloc_array_raw(ts_arena *a, size_t n, size_t size)
{
	return ts_alloc_raw(a, ts_array_bytes(n, size));
}

char *ts_strndup(ts_arena *a, const char *s, size_t len)
{
	char *p = ts_alloc_raw(a, len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ts_strdup(ts_arena *a, const char *s)
{
	return ts_strndup(a, s, strlen(s));
}

char *ts_vsprintf(ts_arena *a, const char *fmt, va_list ap)
{
	/* Formatted straight into the newest block's free room when it fits,
	 * as it nearly always does: vsnprintf once instead of twice. */
	va_list cp;
	va_copy(cp, ap);
	int n = a->left ? vsnprintf(a->cur, a->left, fmt, cp) : -1;
	va_end(cp);
	if (n >= 0 && (((size_t)n + 16) & ~(size_t)15) <= a->left)
		return ts_alloc_raw(a, (size_t)n + 1);  /* a->cur: the text */
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = ts_alloc_raw(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *ts_sprintf(ts_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = ts_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *ts_grow_raw(ts_arena *a, void *old, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < want)
		ncap *= 2;
	void *p = ts_alloc_raw(a, ts_array_bytes(ncap, size));
	if (old && *cap)
		memcpy(p, old, *cap * size);
	*cap = ncap;
	return p;
}

void *ts_grow(ts_arena *a, void *old, size_t *cap, size_t want, size_t size)
{
	size_t had = old ? *cap : 0;
	char *p = ts_grow_raw(a, old, cap, want, size);
	if (p != old)
		memset(p + had * size, 0, (*cap - had) * size);
	return p;
}

void ts_buf_init(ts_buf *b, ts_arena *a)
{
	b->arena = a;
	b->data = NULL;
	b->len = b->cap = 0;
}

void ts_buf_add(ts_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap)
		b->data = ts_grow_raw(b->arena, b->data, &b->cap, b->len + len + 1, 1);
	if (len)
		memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void ts_buf_adds(ts_buf *b, const char *s)
{
	ts_buf_add(b, s, strlen(s));
}

void ts_buf_addf(ts_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = ts_vsprintf(b->arena, fmt, ap);
	va_end(ap);
	ts_buf_adds(b, s);
}

char *ts_buf_cstr(ts_buf *b)
{
	if (!b->data)
		ts_buf_add(b, "", 0);
	return b->data;
}
