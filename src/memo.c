/* memo.c - see memo.h. Open addressing with linear probing, kept under half
 * full. */
#include "memo.h"

#include <stdint.h>
#include <string.h>

typedef struct ts_memo_slot {
	const char *key;
	void *value;
} ts_memo_slot;

struct ts_memo {
	ts_arena *arena;
	ts_memo_slot *slots;
	size_t cap, n;
};

static uint64_t ts_memo_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

ts_memo *ts_memo_new(ts_arena *a)
{
	ts_memo *m = ts_alloc(a, sizeof(*m));
	m->arena = a;
	m->cap = 16;
	m->slots = ts_alloc_array(a, m->cap, sizeof(*m->slots));
	return m;
}

static ts_memo_slot *ts_memo_find(const ts_memo *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = ts_memo_hash(key) & mask;
	while (m->slots[i].key && strcmp(m->slots[i].key, key))
		i = (i + 1) & mask;
	return &m->slots[i];
}

void *ts_memo_get(const ts_memo *m, const char *key)
{
	return ts_memo_find(m, key)->value;
}

static void ts_memo_grow(ts_memo *m)
{
	ts_memo_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = ts_alloc_array(m->arena, m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*ts_memo_find(m, old[i].key) = old[i];
}

void ts_memo_put(ts_memo *m, const char *key, void *value)
{
	if ((m->n + 1) * 2 > m->cap)
		ts_memo_grow(m);
	ts_memo_slot *s = ts_memo_find(m, key);
	if (!s->key) {
		s->key = ts_strdup(m->arena, key);
		m->n++;
	}
	s->value = value;
}
