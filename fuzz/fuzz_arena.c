/*
 * fuzz_arena.c - the arena API of src/arena.h, one malloc per allocation.
 *
 * Why: src/arena.c carves many objects out of one large block, so a write
 * past the end of one object lands in the next and AddressSanitizer never
 * sees it. The fuzz build links this file instead; every object then gets
 * its own heap chunk with redzones on both sides, and an overflow anywhere
 * in parse, infer, plan or splice is reported where it happens.
 *
 * Semantics are those of src/arena.c: zeroed memory aligned to 16, ts_grow
 * copies and at least doubles, everything freed at once by ts_arena_free.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The list link lives in a separate chunk, so an underflow of an object
 * hits a redzone rather than a header we own. */
struct ts_arena_block {
	ts_arena_block *next;
	void *mem;
};

static void ts_oom(void)
{
	fputs("tokenscope: out of memory\n", stderr);
	abort();
}

void *ts_alloc(ts_arena *a, size_t size)
{
	ts_arena_block *b = malloc(sizeof(*b));
	void *p = NULL;
	/* posix_memalign keeps the exact size, so the redzone starts right
	 * after the last requested byte (aligned_alloc would round up). */
	if (!b || posix_memalign(&p, 16, size ? size : 1) != 0)
		ts_oom();
	memset(p, 0, size);
	b->mem = p;
	b->next = a->head;
	a->head = b;
	a->used += size;
	return p;
}

void *ts_alloc_array(ts_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		ts_oom();
	return ts_alloc(a, n * size);
}

char *ts_strndup(ts_arena *a, const char *s, size_t len)
{
	char *p = ts_alloc(a, len + 1);
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
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = ts_alloc(a, (size_t)n + 1);
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

void *ts_grow(ts_arena *a, void *old, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < want)
		ncap *= 2;
	void *p = ts_alloc_array(a, ncap, size);
	if (old && *cap)
		memcpy(p, old, *cap * size);
	*cap = ncap;
	return p;
}

void ts_arena_free(ts_arena *a)
{
	ts_arena_block *b = a->head;
	while (b) {
		ts_arena_block *next = b->next;
		free(b->mem);
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
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
		b->data = ts_grow(b->arena, b->data, &b->cap, b->len + len + 1, 1);
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
