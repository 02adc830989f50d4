/*
 * tape.c - a file's output recorded by the worker that processed it, and
 * played in order by the emitter (see emit.h).
 *
 * The recorder runs the emitter's own per-file writer (ts_file_output)
 * against two stdio streams of its own, made with fopencookie, whose bytes
 * go onto the tape as chunks marked stdout or stderr. Nothing of the
 * emitter is written twice, and the bytes cannot differ from what
 * ts_emitter_file would write:
 *  - stdout bytes are buffered by the recorder's stream and reach the tape
 *    when ts_emit_err flushes it, exactly where the emitter flushes the
 *    real stdout before it writes to stderr;
 *  - the recorder's stderr is unbuffered, so each write to it is a chunk
 *    in its place.
 * Playing writes the chunks to the real streams in order, stderr chunks
 * through ts_emit_err, and adds the file's counts.
 */
#include "emit_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Chunks follow one another in `bytes`: a stream byte (0 stdout, 1
 * stderr), the length as a size_t, then the bytes. */
struct ts_tape {
	ts_totals counts;       /* this file's; repos is counted when played */
	char *root;             /* the file's repository, or NULL */
	size_t path_no;
	char *bytes;
	size_t len, cap;
	size_t last;            /* where the last chunk's header is, or SIZE_MAX */
};

typedef struct ts_tape_stream {
	struct ts_recorder *rec;
	unsigned char which;
} ts_tape_stream;

struct ts_recorder {
	ts_emitter em;          /* options only; out and err are the streams below */
	ts_tape_stream streams[2];
	ts_tape *tape;          /* being recorded */
};

static void ts_tape_reserve(ts_tape *t, size_t more)
{
	if (t->cap - t->len >= more)
		return;
	size_t cap = t->cap ? t->cap : 256;
	while (cap - t->len < more)
		cap *= 2;
	t->bytes = realloc(t->bytes, cap);
	if (!t->bytes)
		abort();
	t->cap = cap;
}

/* Appends to the last chunk when it is of the same stream. */
static void ts_tape_add(ts_tape *t, unsigned char which, const char *s, size_t n)
{
	size_t hdr = 1 + sizeof(size_t);
	ts_tape_reserve(t, hdr + n);
	if (t->last == SIZE_MAX || (unsigned char)t->bytes[t->last] != which) {
		t->last = t->len;
		t->bytes[t->len] = (char)which;
		memset(t->bytes + t->len + 1, 0, sizeof(size_t));
		t->len += hdr;
	}
	size_t have;
	memcpy(&have, t->bytes + t->last + 1, sizeof(have));
	have += n;
	memcpy(t->bytes + t->last + 1, &have, sizeof(have));
	memcpy(t->bytes + t->len, s, n);
	t->len += n;
}

static ssize_t ts_tape_write(void *cookie, const char *buf, size_t n)
{
	ts_tape_stream *s = cookie;
	if (s->rec->tape)
		ts_tape_add(s->rec->tape, s->which, buf, n);
	return (ssize_t)n;
}

bool ts_emitter_tapes(const ts_emitter *e)
{
	return (e->opts.format == TS_FORMAT_DIFF || e->opts.format == TS_FORMAT_TEXT ||
		e->opts.format == TS_FORMAT_GITHUB) &&
	       !e->opts.pr_body && !e->opts.commit_message && !ts_summary_only(e);
}

ts_recorder *ts_recorder_new(const ts_emitter *e)
{
	ts_recorder *rec = calloc(1, sizeof(*rec));
	if (!rec)
		abort();
	rec->em.opts = e->opts;
	cookie_io_functions_t io = {.write = ts_tape_write};
	for (unsigned char i = 0; i < 2; i++)
		rec->streams[i] = (ts_tape_stream){rec, i};
	rec->em.out = fopencookie(&rec->streams[0], "w", io);
	rec->em.err = fopencookie(&rec->streams[1], "w", io);
	if (!rec->em.out || !rec->em.err)
		abort();
	setvbuf(rec->em.err, NULL, _IONBF, 0);
	return rec;
}

ts_tape *ts_record(ts_recorder *rec, const ts_file_result *r)
{
	ts_tape *t = calloc(1, sizeof(*t));
	if (!t || (r->root && !(t->root = strdup(r->root))))
		abort();
	t->last = SIZE_MAX;
	t->path_no = r->path_no;
	ts_count_file(&t->counts, r);
	rec->tape = t;
	ts_arena a = TS_ARENA_INIT;
	ts_file_output(&rec->em, r, &a);
	ts_arena_free(&a);
	fflush(rec->em.out);
	rec->tape = NULL;
	return t;
}

size_t ts_tape_size(const ts_tape *t)
{
	return sizeof(*t) + t->cap;
}

void ts_emitter_play(ts_emitter *e, ts_tape *t)
{
	ts_progress_clear(e);
	ts_count_add(e, &t->counts, t->root);
	for (size_t at = 0; at < t->len;) {
		unsigned char which = (unsigned char)t->bytes[at];
		size_t n;
		memcpy(&n, t->bytes + at + 1, sizeof(n));
		at += 1 + sizeof(n);
		fwrite(t->bytes + at, 1, n, which ? ts_emit_err(e) : e->out);
		at += n;
	}
	ts_progress_file(e, t->path_no);
	ts_tape_free(t);
}

void ts_tape_free(ts_tape *t)
{
	if (!t)
		return;
	free(t->bytes);
	free(t->root);
	free(t);
}

void ts_recorder_free(ts_recorder *rec)
{
	if (!rec)
		return;
	fclose(rec->em.out);
	fclose(rec->em.err);
	free(rec);
}
