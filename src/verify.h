/*
 * verify.h - proving an output equals its input plus the inserted keys.
 *
 * Contract: ts_verify parses the input and the output again, with its own
 * libfyaml parsers (it shares no code with the parse stage, so a bug there
 * cannot hide itself here), and walks both event streams in step. The
 * output may differ only by each planned `permissions` key, found exactly
 * where it was planned (under the top-level mapping, or under that job's
 * mapping in `jobs`), holding exactly the planned levels. Every other event
 * must match: type, scalar text and style, anchors, tags, aliases, flow or
 * block. Any difference is an error naming the job and the output line;
 * the caller then leaves the file untouched.
 */
#ifndef TS_VERIFY_H
#define TS_VERIFY_H

#include "map/map.h"
#include "plan.h"
#include "splice.h"

int ts_verify(const ts_map *map, const char *in, size_t inlen,
	      const ts_spliced *out, const ts_plan *plan, ts_error *err);

#endif
