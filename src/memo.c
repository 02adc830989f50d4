/* memo.c - see memo.h. Open addressing with linear probing, kept under half
 * full. */
#include "memo.h"

#include <stdint.h>
#include <string.h>

typedef struct ts_memo_slot {
	const char *key;
	size_t len;
	uint64_t hash;
	void *value;
} ts_memo_slot;

struct ts_memo {
	ts_arena *arena;
	ts_memo_slot *slots;
	size_t cap, n;
};

/* FNV-1a over eight bytes at a time: keys may be whole scripts, and a
 * byte at a time cost more than the parse a hit saves on short ones. */
static uint64_t ts_memo_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h ^ (h >> 32);
}

ts_memo *ts_memo_new(ts_arena *a)
{
	ts_memo *m = ts_alloc(a, sizeof(*m));
	m->arena = a;
	m->cap = 16;
	m->slots = ts_alloc_array(a, m->cap, sizeof(*m->slots));
	return m;
}

static ts_memo_slot *ts_memo_find(const ts_memo *m, const char *key, size_t len,
				  uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	while (m->slots[i].key && (m->slots[i].hash != h || m->slots[i].len != len ||
				   memcmp(m->slots[i].key, key, len)))
		i = (i + 1) & mask;
	return &m->slots[i];
}

void *ts_memo_getn(const ts_memo *m, const char *key, size_t len)
{
	return ts_memo_find(m, key, len, ts_memo_hash(key, len))->value;
}

void *ts_memo_get(const ts_memo *m, const char *key)
{
	return ts_memo_getn(m, key, strlen(key));
}

static void ts_memo_grow(ts_memo *m)
{
	ts_memo_slot *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = ts_alloc_array(m->arena, m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*ts_memo_find(m, old[i].key, old[i].len, old[i].hash) = old[i];
}

void ts_memo_putn(ts_memo *m, const char *key, size_t len, void *value)
{
	if ((m->n + 1) * 2 > m->cap)
		ts_memo_grow(m);
	uint64_t h = ts_memo_hash(key, len);
	ts_memo_slot *s = ts_memo_find(m, key, len, h);
	if (!s->key) {
		s->key = ts_strndup(m->arena, key, len);
		s->len = len;
		s->hash = h;
		m->n++;
	}
	s->value = value;
}

void ts_memo_put(ts_memo *m, const char *key, void *value)
{
	ts_memo_putn(m, key, strlen(key), value);
}
