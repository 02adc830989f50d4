/*
 * common.h - the few types every stage shares.
 *
 * Errors are values (libgit2 style): a function that can fail returns 0 on
 * success or -1 and fills a ts_error that the caller owns. The message names
 * the file and, where there is one, the 1-based line and column, so emit can
 * print it as `file:line:col: message` unchanged.
 */
#ifndef TS_COMMON_H
#define TS_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#define TS_VERSION "0.1.0"

typedef struct ts_error {
	int line, col;      /* 1-based; 0 when the error has no position */
	char msg[480];
} ts_error;

/* Sets err (when non-NULL) and returns -1, so `return ts_fail(err, ...)`. */
int ts_fail(ts_error *err, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Puts "PREFIX: " (formatted) in front of err->msg, e.g. the map file and
 * position. */
void ts_error_prefix(ts_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A byte range [start, end) into a file's original text. */
typedef struct ts_span {
	size_t start, end;
} ts_span;

/* Access levels, ordered so that max() is the union of two needs. */
typedef enum ts_level {
	TS_LEVEL_NONE = 0,
	TS_LEVEL_READ = 1,
	TS_LEVEL_WRITE = 2
} ts_level;

const char *ts_level_name(ts_level l);

/* Bounded string helpers used across stages. */
/* Exact. Inline, and stopping at the first byte that differs (nearly
 * always the first): it is asked 300,000 times over 1,000 files, mostly
 * to find a name in a list. */
static inline bool ts_streq(const char *a, size_t alen, const char *b)
{
	for (size_t i = 0; i < alen; i++)
		if (b[i] != a[i] || b[i] == '\0')
			return false;
	return b[alen] == '\0';
}
bool ts_strcaseeq(const char *a, size_t alen, const char *b);  /* ASCII case-insensitive */

#endif
