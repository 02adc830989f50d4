/*
 * load.h - reading a workflow file's bytes and refusing what must not reach
 * the parser.
 *
 * Contract: a ts_source that ts_load returns holds the whole file, NUL-
 * terminated, in the caller's arena, and is known to be: a regular file (or
 * a symlink to one inside the repository), within the size limit, non-empty,
 * valid UTF-8 with no NUL byte. Those checks come before parsing because the
 * packaged libfyaml hangs on some invalid UTF-8 and silently stops at a NUL.
 * On failure the ts_error says why, with the line and column of a bad byte.
 */
#ifndef TS_LOAD_H
#define TS_LOAD_H

#include "arena.h"
#include "common.h"

#include <sys/types.h>

#define TS_DEFAULT_MAX_SIZE (4u * 1024 * 1024)

typedef struct ts_source {
	const char *path;       /* the path opened */
	const char *text;       /* the bytes, NUL-terminated */
	size_t len;
	bool bom;               /* starts with a UTF-8 byte order mark */
	bool crlf;              /* most lines end in \r\n */
	bool final_newline;     /* the last byte is \n */
	bool symlink;           /* reached through a symlink: never written */
	mode_t mode;            /* permission bits, kept on rewrite */
} ts_source;

typedef struct ts_load_opts {
	size_t max_size;        /* 0: TS_DEFAULT_MAX_SIZE */
	const char *root;       /* repository root; a symlink must stay inside */
} ts_load_opts;

int ts_load(ts_arena *a, const char *path, const ts_load_opts *opts,
	    ts_source *out, ts_error *err);

/* The same checks on bytes already in memory (tests, fuzzing, local actions
 * read by infer). `text` must stay alive as long as `out`. */
int ts_load_bytes(const char *path, const char *text, size_t len,
		  const ts_load_opts *opts, ts_source *out, ts_error *err);

#endif
