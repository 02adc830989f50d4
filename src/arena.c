/* arena.c - the allocator of arena.h. Blocks grow geometrically so a small
 * workflow costs one malloc and a large one a handful. The helpers built on
 * ts_alloc (strings, growing arrays, buffers) are in arena_text.c, so the
 * fuzz build can swap in its own allocator alone (fuzz/fuzz_arena.c). */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ts_arena_block {
	ts_arena_block *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

enum { TS_ARENA_FIRST = 16 * 1024, TS_ALIGN = 16 };

static void ts_oom(void)
{
	fputs("tokenscope: out of memory\n", stderr);
	abort();
}

/* Freed blocks wait here for the next file's arena. Without it every file
 * asks malloc for fresh memory, and glibc hands back pages it returned to
 * the kernel a moment before: over the benchmark's corpus, 33,000 page
 * faults (the parse-only baseline takes 200), each zeroed by the kernel.
 * 1 MiB holds the blocks of the few files in flight that most runs need:
 * -j 1 over the benchmark was as fast as with 8 MiB, and its peak stayed
 * at 17 MiB from 1,034 files to 10,340 instead of filling the pool up to
 * 23 MiB as ever larger blocks came and went. Without the pool: 10%
 * slower.
 *
 * One pool per thread, touched by that thread alone, with no lock: the
 * blocks a thread frees serve its own next arenas, while they may still
 * be in its core's caches, instead of going to whichever thread asks
 * next, whose core must then fetch each line from the other's. At -j 2
 * over the benchmark, 2% less CPU time than one pool for all threads
 * (medians of 10 and 16 interleaved runs). */
enum { TS_POOL_MAX = 1 << 20 };

static _Thread_local struct {
	ts_arena_block *head;
	size_t bytes;
} ts_pool;

/* The smallest pooled block of `size` to 2 * `size` bytes, or NULL. A
 * block much larger than asked for would be held by a small file while a
 * large one mallocs another: the pool would fill with ever larger blocks. */
static ts_arena_block *ts_pool_take(size_t size)
{
	ts_arena_block **best = NULL;
	for (ts_arena_block **p = &ts_pool.head; *p; p = &(*p)->next)
		if ((*p)->size >= size && (*p)->size / 2 <= size &&
		    (!best || (*p)->size < (*best)->size))
			best = p;
	ts_arena_block *b = best ? *best : NULL;
	if (b) {
		*best = b->next;
		ts_pool.bytes -= b->size;
	}
	return b;
}

static void ts_pool_put(ts_arena_block *b)
{
	if (ts_pool.bytes + b->size > TS_POOL_MAX) {
		free(b);
		return;
	}
	b->next = ts_pool.head;
	ts_pool.head = b;
	ts_pool.bytes += b->size;
}

void ts_arena_pool_free(void)
{
	ts_arena_block *b = ts_pool.head;
	ts_pool.head = NULL;
	ts_pool.bytes = 0;
	while (b) {
		ts_arena_block *next = b->next;
		free(b);
		b = next;
	}
}

static ts_arena_block *ts_new_block(size_t bsize)
{
	ts_arena_block *b = ts_pool_take(bsize);
	if (!b) {
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			ts_oom();
		b->size = bsize;
	}
	return b;
}

void *ts_alloc_block(ts_arena *a, size_t size)
{
	size_t need = (size + TS_ALIGN - 1) & ~(size_t)(TS_ALIGN - 1);
	if (need < size)
		ts_oom();
	/* Doubling from the size asked for, not the size got from the pool,
	 * keeps the sizes asked for those of a fresh arena. */
	size_t bsize = a->grown ? a->grown * 2 : TS_ARENA_FIRST;
	while (bsize < need)
		bsize *= 2;
	a->grown = bsize;
	ts_arena_block *b = ts_new_block(bsize);
	b->next = a->head;
	a->head = b;
	a->cur = (char *)b->data;
	a->left = b->size;
	return ts_alloc_raw(a, size);
}

void ts_arena_free(ts_arena *a)
{
	ts_arena_block *b = a->head;
	while (b) {
		ts_arena_block *next = b->next;
		ts_pool_put(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
	a->cur = NULL;
	a->left = 0;
	a->grown = 0;
}
