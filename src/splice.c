/* splice.c - see splice.h. */
#include "splice.h"

#include <string.h>

void ts_splice(ts_arena *a, const char *text, size_t len, const ts_plan *plan,
	       ts_spliced *out)
{
	size_t total = len;
	for (size_t i = 0; i < plan->nins; i++)
		total += plan->ins[i].len;
	char *buf = ts_alloc_raw(a, total + 1);  /* every byte copied below */
	out->at = ts_alloc_array(a, plan->nins ? plan->nins : 1, sizeof(*out->at));
	size_t from = 0, to = 0;
	for (size_t i = 0; i < plan->nins; i++) {
		const ts_insertion *ins = &plan->ins[i];
		memcpy(buf + to, text + from, ins->at - from);
		to += ins->at - from;
		from = ins->at;
		out->at[i] = to;
		memcpy(buf + to, ins->text, ins->len);
		to += ins->len;
	}
	memcpy(buf + to, text + from, len - from);
	to += len - from;
	buf[to] = '\0';
	out->text = buf;
	out->len = to;
}
