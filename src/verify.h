/*
 * verify.h - proving an output equals its input plus the inserted keys.
 *
 * Contract: ts_verify parses the output with its own libfyaml parser and
 * walks its events in step with the input's, as the parse stage recorded
 * them from libfyaml (ts_yevents: the raw events, not the tree, so a bug
 * in building the tree cannot hide itself here; parsing the input a second
 * time would find the same events at twice the cost). The output may
 * differ only by each planned `permissions` key, found exactly where it
 * was planned (under the top-level mapping, or under that job's mapping in
 * `jobs`), holding exactly the planned levels. Every other event must
 * match: type, scalar value and style, anchors, tags, aliases, flow or
 * block. Any difference is an error naming the job and the output line;
 * the caller then leaves the file untouched.
 */
#ifndef TS_VERIFY_H
#define TS_VERIFY_H

#include "map/map.h"
#include "parse/parse.h"
#include "plan.h"
#include "splice.h"

/* `in` and `in_events` are the input's bytes and its recorded events. */
int ts_verify(const ts_map *map, const char *in, size_t inlen,
	      const ts_yevents *in_events, const ts_spliced *out,
	      const ts_plan *plan, ts_error *err);

#endif
