/*
 * memo.h - a string-keyed store in an arena: for work worth doing once per
 * repository (a local action parsed, a called workflow inferred) or per
 * workflow (a script parsed), and for the YAML anchors of a file.
 *
 * Contract: keys are copied; the ...n forms take keys of `len` bytes,
 * which may hold NULs (a key is its bytes and its length). Values are the
 * caller's pointers, which must live as long as the arena; putting a key
 * again replaces its value. Lookups are O(1) on average. Nothing is ever
 * removed: the whole store goes when its arena is freed. Not thread-safe:
 * a memo is a worker's own, or used under its owner's lock (a repository
 * cache's memos, see pipeline.c).
 */
#ifndef TS_MEMO_H
#define TS_MEMO_H

#include "arena.h"

typedef struct ts_memo ts_memo;

ts_memo *ts_memo_new(ts_arena *a);
void *ts_memo_get(const ts_memo *m, const char *key);
void ts_memo_put(ts_memo *m, const char *key, void *value);
void *ts_memo_getn(const ts_memo *m, const char *key, size_t len);
void ts_memo_putn(ts_memo *m, const char *key, size_t len, void *value);

#endif
