/*
 * arena.h - one allocation region per file processed.
 *
 * Contract: everything tokenscope builds for one workflow file (the loaded
 * text, the node tree, the model, the needs, the planned insertions, the
 * output text) is allocated from one ts_arena and freed at once with
 * ts_arena_free(). Nothing allocated from an arena is ever freed on its own.
 * An allocation failure aborts the process with a message: a codemod has no
 * sensible way to go on without memory, and callers stay free of checks.
 *
 * An arena is used by one thread at a time. The blocks an arena frees go
 * to a pool of the thread that frees it, for that thread's next arenas.
 */
#ifndef TS_ARENA_H
#define TS_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct ts_arena_block ts_arena_block;

typedef struct ts_arena {
	ts_arena_block *head;   /* newest block first */
	size_t used;            /* bytes handed out, for the benchmark's memory report */
	char *cur;              /* the free part of the newest block */
	size_t left;
	size_t grown;           /* the size the newest block was asked for */
} ts_arena;

/* An empty arena; allocates nothing until first used. */
#define TS_ARENA_INIT {0, 0, 0, 0, 0}

/* Zeroed, aligned to 16. */
static inline void *ts_alloc(ts_arena *a, size_t size);
/* The same, not zeroed: only for memory every byte of which is written
 * before it is read (a string copied in, a file read in), where zeroing
 * would write it twice. */
static inline void *ts_alloc_raw(ts_arena *a, size_t size);
/* ts_alloc_raw when the newest block has no room: takes a new one. The
 * memory is not zeroed. */
void *ts_alloc_block(ts_arena *a, size_t size);
void *ts_alloc_array(ts_arena *a, size_t n, size_t size); /* checks n*size overflow */
/* The same, not zeroed: for an array each element of which is written
 * before it is read. */
void *ts_alloc_array_raw(ts_arena *a, size_t n, size_t size);
char *ts_strndup(ts_arena *a, const char *s, size_t len); /* always NUL-terminated */
char *ts_strdup(ts_arena *a, const char *s);
char *ts_sprintf(ts_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *ts_vsprintf(ts_arena *a, const char *fmt, va_list ap);

/* Grow an array held in the arena: returns a copy with room for `want`
 * elements (at least doubling), or `old` when it already has the room.
 * The new elements are zeroed. */
void *ts_grow(ts_arena *a, void *old, size_t *cap, size_t want, size_t size);
/* The same, the new elements left unset: for arrays that write each
 * element as they add it (a buffer, a record of events). Zeroing the room
 * ahead would touch memory that may never be used. */
void *ts_grow_raw(ts_arena *a, void *old, size_t *cap, size_t want, size_t size);

/* Frees everything the arena holds. Its blocks are kept (up to 1 MiB, in
 * the calling thread's pool) for the thread's next arenas, so that a batch
 * does not ask the kernel for fresh pages file after file. */
void ts_arena_free(ts_arena *a);
/* Gives the calling thread's kept blocks back to malloc: for the end of a
 * thread, and of the program. */
void ts_arena_pool_free(void);

/* A growable byte string in an arena. */
typedef struct ts_buf {
	ts_arena *arena;
	char *data;
	size_t len, cap;
} ts_buf;

void ts_buf_init(ts_buf *b, ts_arena *a);
void ts_buf_add(ts_buf *b, const char *s, size_t len);
void ts_buf_adds(ts_buf *b, const char *s);
void ts_buf_addf(ts_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* NUL-terminates and returns data (never NULL). */
char *ts_buf_cstr(ts_buf *b);

/* Inline, because a workflow's tree and model are many small objects: the
 * call and the library memset cost more than the allocation itself. */
static inline void *ts_alloc_raw(ts_arena *a, size_t size)
{
	size_t need = (size + 15) & ~(size_t)15;
	if (need < size || need > a->left)
		return ts_alloc_block(a, size);
	void *p = a->cur;
	a->cur += need;
	a->left -= need;
	a->used += need;
	return p;
}

static inline void *ts_alloc(ts_arena *a, size_t size)
{
	return memset(ts_alloc_raw(a, size), 0, size);
}

#endif
