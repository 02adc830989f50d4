/*
 * fuzz_arena.c - the arena API of src/arena.h, one malloc per allocation.
 *
 * Why: src/arena.c carves many objects out of one large block, so a write
 * past the end of one object lands in the next and AddressSanitizer never
 * sees it. The fuzz build links this file instead; every object then gets
 * its own heap chunk with redzones on both sides, and an overflow anywhere
 * in parse, infer, plan or splice is reported where it happens.
 *
 * Only the allocator is replaced: the helpers built on ts_alloc come from
 * src/arena_text.c. Semantics are those of src/arena.c: zeroed memory aligned to 16, ts_grow
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

/* The arena's own bump pointer stays empty (left == 0), so every
 * ts_alloc comes here. */
void *ts_alloc_block(ts_arena *a, size_t size)
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

/* Nothing is kept here: every object is its own chunk. */
void ts_arena_pool_free(void)
{
}
