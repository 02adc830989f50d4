/*
 * literal.h - the text of a `|` block scalar, read from its source bytes.
 * Internal to the parse stage.
 *
 * Contract: ts_literal_text returns the value YAML gives a literal block
 * scalar, or NULL when the scalar is not one it is sure of, and the caller
 * then asks libfyaml. It is sure of the common shape only: a header of `|`
 * with an optional chomping indicator (no indentation indicator), content
 * indented by the spaces of its first line that holds text, and no line
 * that is blank but for more spaces than that. The text is in `a`.
 *
 * Why: libfyaml 0.7.12 formats a block scalar's text through a general
 * iterator at about 20,000 instructions a scalar, and `run:` scripts are
 * the largest scalars of a workflow. tests/test_corpus.c compares every
 * scalar of the corpus with libfyaml's text.
 */
#ifndef TS_PARSE_LITERAL_H
#define TS_PARSE_LITERAL_H

#include "../arena.h"

#include <stddef.h>

/* text[start, end): the scalar's content lines, from libfyaml's marks (the
 * end is the first byte of the next token, so the last line may hold the
 * next line's indentation). chomp: '-' strip, '+' keep, 0 clip. */
const char *ts_literal_text(ts_arena *a, const char *text, size_t start, size_t end,
			    char chomp, size_t *len);

#endif
