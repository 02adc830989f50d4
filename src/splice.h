/*
 * splice.h - applying a plan's insertions to the original bytes.
 *
 * Contract: the output is the input with each insertion's text placed at
 * its offset, in order; every original byte is copied verbatim. For each
 * insertion the output offset where its text begins is returned, so verify
 * knows which bytes are new. The output lives in the caller's arena.
 */
#ifndef TS_SPLICE_H
#define TS_SPLICE_H

#include "plan.h"

typedef struct ts_spliced {
	const char *text;
	size_t len;
	size_t *at;             /* per insertion: where its text starts in `text` */
} ts_spliced;

void ts_splice(ts_arena *a, const char *text, size_t len, const ts_plan *plan,
	       ts_spliced *out);

#endif
