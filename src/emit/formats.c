/*
 * formats.c - machine-readable formats (json, sarif, markdown, github).
 * Filled in by the reports work; until then the CLI accepts only diff and
 * text, so these are never reached.
 */
#include "emit_int.h"

void ts_formats_begin(ts_emitter *e)
{
	(void)e;
}

void ts_formats_file(ts_emitter *e, const ts_file_result *r, ts_arena *a)
{
	(void)e;
	(void)r;
	(void)a;
}

void ts_formats_end(ts_emitter *e)
{
	(void)e;
}

void ts_formats_free(ts_emitter *e)
{
	(void)e;
}
