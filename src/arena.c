/* arena.c - the allocator of arena.h. Blocks grow geometrically so a small
 * workflow costs one malloc and a large one a handful. The helpers built on
 * ts_alloc (strings, growing arrays, buffers) are in arena_text.c, so the
 * fuzz build can swap in its own allocator alone (fuzz/fuzz_arena.c). */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ts_arena_block {
	ts_arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

enum { TS_ARENA_FIRST = 16 * 1024, TS_ALIGN = 16 };

static void ts_oom(void)
{
	fputs("tokenscope: out of memory\n", stderr);
	abort();
}

void *ts_alloc(ts_arena *a, size_t size)
{
	size_t need = (size + TS_ALIGN - 1) & ~(size_t)(TS_ALIGN - 1);
	if (need < size)
		ts_oom();
	ts_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t bsize = b ? b->size * 2 : TS_ARENA_FIRST;
		while (bsize < need)
			bsize *= 2;
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			ts_oom();
		b->size = bsize;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->used += need;
	memset(p, 0, size);
	return p;
}

void ts_arena_free(ts_arena *a)
{
	ts_arena_block *b = a->head;
	while (b) {
		ts_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}
