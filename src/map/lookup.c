/*
 * lookup.c - resolving a loaded map (ts_map_finish) and looking things up.
 *
 * After finish every kind is sorted by key with overridden records dropped,
 * so named lookups are binary searches. REST paths are matched against the
 * templates segment by segment; that scan is linear, which is fine because
 * only commands that call the API reach it.
 */
#include "map_internal.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Scopes                                                              */

int ts_map_nscopes(const ts_map *m)
{
	return (int)m->scopes.n;
}

const char *ts_map_scope_name(const ts_map *m, int scope)
{
	return scope >= 0 && (size_t)scope < m->scopes.n ? m->scopes.v[scope].name : "?";
}

int ts_map_scope_find(const ts_map *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->scopes.n; i++)
		if (ts_streq(name, len, m->scopes.v[i].name))
			return (int)i;
	return -1;
}

bool ts_map_scope_allows(const ts_map *m, int scope, ts_level level)
{
	if (scope < 0 || (size_t)scope >= m->scopes.n)
		return false;
	const ts_scope_def *d = &m->scopes.v[scope];
	return level == TS_LEVEL_READ ? d->read : level == TS_LEVEL_WRITE ? d->write : true;
}

const char *ts_map_never_name(const ts_map *m, int never)
{
	return never >= 0 && (size_t)never < m->nevers.n ? m->nevers.v[never].name : "?";
}

const char *ts_map_never_advice(const ts_map *m, int never)
{
	return never >= 0 && (size_t)never < m->nevers.n ? m->nevers.v[never].advice : "";
}

static int ts_never_find(const ts_map *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->nevers.n; i++)
		if (ts_streq(name, len, m->nevers.v[i].name))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Needs text -> ts_needs                                              */

static int ts_parse_alt(ts_map *m, const ts_pending *p, const char *s,
			size_t len, ts_alt *out, ts_error *err)
{
	const char *colon = memchr(s, ':', len);
	if (!colon)
		return ts_fail(err, p->line, p->col, "need '%.*s' lacks :read or :write",
			       (int)len, s);
	size_t nlen = (size_t)(colon - s);
	const char *lv = colon + 1;
	size_t lvlen = len - nlen - 1;
	if (ts_streq(lv, lvlen, "read"))
		out->level = TS_LEVEL_READ;
	else if (ts_streq(lv, lvlen, "write"))
		out->level = TS_LEVEL_WRITE;
	else
		return ts_fail(err, p->line, p->col, "level of '%.*s' is not read or write",
			       (int)len, s);
	int sc = ts_map_scope_find(m, s, nlen);
	if (sc >= 0) {
		if (!ts_map_scope_allows(m, sc, out->level))
			return ts_fail(err, p->line, p->col, "scope '%.*s' has no level %.*s",
				       (int)nlen, s, (int)lvlen, lv);
		out->scope = (short)sc;
		out->never = 0;
		return 0;
	}
	int nv = ts_never_find(m, s, nlen);
	if (nv < 0)
		return ts_fail(err, p->line, p->col,
			       "'%.*s' is neither a scope nor a never key", (int)nlen, s);
	out->scope = (short)nv;
	out->never = 1;
	return 0;
}

static unsigned ts_count(const char *s, size_t len, char c)
{
	unsigned n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

static int ts_parse_req(ts_map *m, const ts_pending *p, const char *s,
			size_t len, ts_req *out, ts_error *err)
{
	unsigned n = ts_count(s, len, '|');
	ts_alt *alts = ts_alloc_array(&m->arena, n, sizeof(*alts));
	const char *a = s, *end = s + len;
	for (unsigned i = 0; i < n; i++) {
		const char *bar = memchr(a, '|', (size_t)(end - a));
		const char *aend = bar ? bar : end;
		if (ts_parse_alt(m, p, a, (size_t)(aend - a), &alts[i], err) < 0)
			return -1;
		a = aend + 1;
	}
	out->alts = alts;
	out->nalts = n;
	return 0;
}

static int ts_resolve_needs(ts_map *m, const ts_pending *p, ts_needs *out,
			    ts_error *err)
{
	const char *s = p->text;
	size_t len = strlen(s);
	if (ts_streq(s, len, "-")) {
		out->reqs = NULL;
		out->nreqs = 0;
		return 0;
	}
	unsigned n = ts_count(s, len, '+');
	ts_req *reqs = ts_alloc_array(&m->arena, n, sizeof(*reqs));
	const char *r = s, *end = s + len;
	for (unsigned i = 0; i < n; i++) {
		const char *plus = memchr(r, '+', (size_t)(end - r));
		const char *rend = plus ? plus : end;
		if (ts_parse_req(m, p, r, (size_t)(rend - r), &reqs[i], err) < 0)
			return -1;
		r = rend + 1;
	}
	out->reqs = reqs;
	out->nreqs = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sorting, dropping overridden records                                */

static int ts_cmp_named(const void *a, const void *b)
{
	const ts_seq_named *x = a, *y = b;
	int c = strcmp(x->e.key, y->e.key);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int ts_cmp_rest(const void *a, const void *b)
{
	const ts_seq_rest *x = a, *y = b;
	int c = strcmp(x->e.verb, y->e.verb);
	if (!c)
		c = strcmp(x->e.path, y->e.path);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int ts_cmp_octokit(const void *a, const void *b)
{
	const ts_seq_octokit *x = a, *y = b;
	int c = strcmp(x->e.method, y->e.method);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int ts_cmp_action(const void *a, const void *b)
{
	const ts_action_build *x = a, *y = b;
	int c = strcmp(x->e.name, y->e.name);
	if (!c)
		c = (x->e.vmin > y->e.vmin) - (x->e.vmin < y->e.vmin);
	if (!c)
		c = (x->e.vmax > y->e.vmax) - (x->e.vmax < y->e.vmax);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts by (key, load order) and keeps the last record of each key. */
static size_t ts_sort_unique(void *v, size_t n, size_t size,
			     int (*cmp)(const void *, const void *),
			     int (*same)(const void *, const void *))
{
	if (n == 0)
		return 0;
	qsort(v, n, size, cmp);
	char *base = v;
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		bool overridden = i + 1 < n && same(base + i * size, base + (i + 1) * size);
		if (overridden)
			continue;
		if (out != i)
			memcpy(base + out * size, base + i * size, size);
		out++;
	}
	return out;
}

static int ts_same_named(const void *a, const void *b)
{
	return !strcmp(((const ts_seq_named *)a)->e.key, ((const ts_seq_named *)b)->e.key);
}

static int ts_same_rest(const void *a, const void *b)
{
	const ts_seq_rest *x = a, *y = b;
	return !strcmp(x->e.verb, y->e.verb) && !strcmp(x->e.path, y->e.path);
}

static int ts_same_octokit(const void *a, const void *b)
{
	return !strcmp(((const ts_seq_octokit *)a)->e.method,
		       ((const ts_seq_octokit *)b)->e.method);
}

static int ts_same_action(const void *a, const void *b)
{
	const ts_action_build *x = a, *y = b;
	return !strcmp(x->e.name, y->e.name) && x->e.vmin == y->e.vmin &&
	       x->e.vmax == y->e.vmax;
}

static bool ts_multi_param(const char *seg, size_t len)
{
	return ts_streq(seg, len, "{path}") || ts_streq(seg, len, "{ref}") ||
	       ts_streq(seg, len, "{branch}") || ts_streq(seg, len, "{basehead}");
}

enum { TS_MAX_SEGS = 48 };

static int ts_split(const char *p, size_t len, ts_seg *segs)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && p[i] == '/')
			i++;
		size_t j = i;
		while (j < len && p[j] != '/')
			j++;
		if (j > i) {
			if (n == TS_MAX_SEGS)
				return -1;
			segs[n].s = p + i;
			segs[n].len = j - i;
			n++;
		}
		i = j;
	}
	return n;
}

/* Splits the path once here rather than on every lookup. */
static void ts_rest_split(ts_map *m, ts_seq_rest *r)
{
	ts_seg segs[TS_MAX_SEGS];
	r->nsegs = ts_split(r->e.path, strlen(r->e.path), segs);
	if (r->nsegs <= 0)
		return;
	ts_seg *v = ts_alloc_array(&m->arena, (size_t)r->nsegs, sizeof(*v));
	memcpy(v, segs, (size_t)r->nsegs * sizeof(*v));
	r->segs = v;
}

static void ts_rest_specificity(ts_seq_rest *r)
{
	const char *p = r->e.path;
	r->literal = r->multi = 0;
	while (*p) {
		p++;
		const char *q = strchr(p, '/');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		if (len && p[0] == '{')
			r->multi += ts_multi_param(p, len);
		else if (len)
			r->literal++;
		p += len;
	}
}

static void ts_finish_actions(ts_map *m)
{
	for (size_t i = 0; i < m->actions.n; i++) {
		ts_action_build *a = &m->actions.v[i];
		a->e.inputs = a->inputs;
		a->e.token_env = a->env;
		a->e.rules = a->rules;
	}
	m->actions.n = ts_sort_unique(m->actions.v, m->actions.n,
				      sizeof(*m->actions.v), ts_cmp_action,
				      ts_same_action);
}

static int ts_resolve_one(ts_map *m, const ts_pending *p, ts_needs *out,
			  ts_error *err)
{
	if (!p->text)
		return 0;
	if (ts_resolve_needs(m, p, out, err) == 0)
		return 0;
	ts_error_prefix(err, "%s:%d:%d: ", p->file, err ? err->line : 0, err ? err->col : 0);
	return -1;
}

static int ts_resolve_named(ts_map *m, ts_seq_named *v, size_t n, ts_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (ts_resolve_one(m, &v[i].needs, &v[i].e.needs, err) < 0)
			return -1;
	return 0;
}

/* Every needs text becomes ts_needs, now that all scopes are declared. */
static int ts_resolve_all(ts_map *m, ts_error *err)
{
	for (size_t i = 0; i < m->rest.n; i++)
		if (ts_resolve_one(m, &m->rest.v[i].needs, &m->rest.v[i].e.needs, err) < 0)
			return -1;
	if (ts_resolve_named(m, m->graphql.v, m->graphql.n, err) < 0 ||
	    ts_resolve_named(m, m->gh.v, m->gh.n, err) < 0 ||
	    ts_resolve_named(m, m->facts.v, m->facts.n, err) < 0 ||
	    ts_resolve_named(m, m->tools.v, m->tools.n, err) < 0)
		return -1;
	for (size_t i = 0; i < m->actions.n; i++) {
		ts_action_build *a = &m->actions.v[i];
		for (unsigned r = 0; r < a->e.nrules; r++)
			if (ts_resolve_one(m, &a->rule_needs[r], &a->rules[r].needs, err) < 0)
				return -1;
	}
	return 0;
}

int ts_map_finish(ts_map *m, ts_error *err)
{
	if (m->finished)
		return 0;
	if (ts_resolve_all(m, err) < 0)
		return -1;
	for (size_t i = 0; i < m->rest.n; i++)
		ts_rest_specificity(&m->rest.v[i]);
	m->rest.n = ts_sort_unique(m->rest.v, m->rest.n, sizeof(*m->rest.v),
				   ts_cmp_rest, ts_same_rest);
	for (size_t i = 0; i < m->rest.n; i++)
		ts_rest_split(m, &m->rest.v[i]);
	m->graphql.n = ts_sort_unique(m->graphql.v, m->graphql.n, sizeof(*m->graphql.v),
				      ts_cmp_named, ts_same_named);
	m->gh.n = ts_sort_unique(m->gh.v, m->gh.n, sizeof(*m->gh.v),
				 ts_cmp_named, ts_same_named);
	m->facts.n = ts_sort_unique(m->facts.v, m->facts.n, sizeof(*m->facts.v),
				    ts_cmp_named, ts_same_named);
	m->tools.n = ts_sort_unique(m->tools.v, m->tools.n, sizeof(*m->tools.v),
				    ts_cmp_named, ts_same_named);
	m->octokit.n = ts_sort_unique(m->octokit.v, m->octokit.n, sizeof(*m->octokit.v),
				      ts_cmp_octokit, ts_same_octokit);
	ts_finish_actions(m);
	if (m->scopes.n == 0)
		return ts_fail(err, 0, 0, "the map declares no scopes");
	m->finished = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Named lookups                                                       */

static const ts_named_entry *ts_find_named(const ts_seq_named *v, size_t n,
					   const char *key, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = v[mid].e.key;
		int c = strncmp(k, key, len);
		if (!c)
			c = k[len] != '\0';
		if (!c)
			return &v[mid].e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const ts_named_entry *ts_map_graphql(const ts_map *m, bool mutation,
				     const char *field, size_t len)
{
	char key[256];
	int n = snprintf(key, sizeof(key), "%s %.*s", mutation ? "mutation" : "query",
			 (int)len, field);
	if (n < 0 || (size_t)n >= sizeof(key))
		return NULL;
	return ts_find_named(m->graphql.v, m->graphql.n, key, (size_t)n);
}

const ts_named_entry *ts_map_gh(const ts_map *m, const char *key)
{
	return ts_find_named(m->gh.v, m->gh.n, key, strlen(key));
}

const ts_named_entry *ts_map_fact(const ts_map *m, const char *name)
{
	return ts_find_named(m->facts.v, m->facts.n, name, strlen(name));
}

const ts_named_entry *ts_map_tool(const ts_map *m, const char *name, size_t len)
{
	return ts_find_named(m->tools.v, m->tools.n, name, len);
}

unsigned ts_map_gh_flags(const ts_map *m, const char *words,
			 const ts_named_entry **out, unsigned max)
{
	size_t wlen = strlen(words);
	unsigned n = 0;
	for (size_t i = 0; i < m->gh.n; i++) {
		const char *k = m->gh.v[i].e.key;
		if (!strncmp(k, words, wlen) && k[wlen] == ' ' && k[wlen + 1] == '-') {
			if (n < max)
				out[n] = &m->gh.v[i].e;
			n++;
		}
	}
	return n;
}

const ts_octokit_entry *ts_map_octokit(const ts_map *m, const char *method,
				       size_t len)
{
	size_t lo = 0, hi = m->octokit.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = m->octokit.v[mid].e.method;
		int c = strncmp(k, method, len);
		if (!c)
			c = k[len] != '\0';
		if (!c)
			return &m->octokit.v[mid].e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* REST paths                                                          */

static bool ts_is_param(const ts_seg *s)
{
	return s->len >= 2 && s->s[0] == '{' && s->s[s->len - 1] == '}';
}

/* Template segments t[0..nt) against concrete c[0..nc). A concrete `{x}`
 * segment is a value the caller could not know: it matches parameters only. */
static bool ts_match(const ts_seg *t, int nt, const ts_seg *c, int nc)
{
	if (nt == 0)
		return nc == 0;
	if (nc == 0)
		return false;
	if (ts_is_param(&t[0])) {
		if (ts_multi_param(t[0].s, t[0].len)) {
			for (int take = nc - (nt - 1); take >= 1; take--)
				if (ts_match(t + 1, nt - 1, c + take, nc - take))
					return true;
			return false;
		}
		return ts_match(t + 1, nt - 1, c + 1, nc - 1);
	}
	if (ts_is_param(&c[0]) || t[0].len != c[0].len ||
	    memcmp(t[0].s, c[0].s, c[0].len) != 0)
		return false;
	return ts_match(t + 1, nt - 1, c + 1, nc - 1);
}

static bool ts_rest_better(const ts_seq_rest *a, const ts_seq_rest *b)
{
	if (!b)
		return true;
	if (a->literal != b->literal)
		return a->literal > b->literal;
	return a->multi < b->multi;
}

/* The first of n records (`size` bytes each, sorted by the string at
 * `key_at` in each) whose string is not below `key`. */
static size_t ts_first_at_least(const void *v, size_t n, size_t size, size_t key_at,
				const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k;
		memcpy(&k, (const char *)v + mid * size + key_at, sizeof(k));
		if (strcmp(k, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first REST record for `verb`: records are sorted by verb, then path. */
static size_t ts_rest_first(const ts_map *m, const char *verb)
{
	return ts_first_at_least(m->rest.v, m->rest.n, sizeof(*m->rest.v),
				 offsetof(ts_seq_rest, e.verb), verb);
}

const ts_rest_entry *ts_map_rest(const ts_map *m, const char *verb,
				 const char *path, size_t len)
{
	ts_seg c[TS_MAX_SEGS];
	int nc = ts_split(path, len, c);
	if (nc < 0)
		return NULL;
	const ts_seq_rest *best = NULL;
	for (size_t i = ts_rest_first(m, verb);
	     i < m->rest.n && !strcmp(m->rest.v[i].e.verb, verb); i++) {
		const ts_seq_rest *r = &m->rest.v[i];
		/* Without a multi-segment parameter the lengths must agree. */
		if (r->nsegs < 0 || (!r->multi && r->nsegs != nc))
			continue;
		if (ts_match(r->segs, r->nsegs, c, nc) && ts_rest_better(r, best))
			best = r;
	}
	return best ? &best->e : NULL;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static bool ts_in_range(const ts_action_entry *e, int major)
{
	return major >= e->vmin && (e->vmax < 0 || major <= e->vmax);
}

/* First action record whose name equals `lower`, by binary search. */
static size_t ts_action_first(const ts_map *m, const char *lower)
{
	return ts_first_at_least(m->actions.v, m->actions.n, sizeof(*m->actions.v),
				 offsetof(ts_action_build, e.name), lower);
}

const ts_action_entry *ts_map_action(const ts_map *m, const char *name,
				     size_t len, int major)
{
	char lower[256];
	if (len >= sizeof(lower))
		return NULL;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[len] = '\0';
	const ts_action_entry *unversioned = NULL, *newest = NULL;
	for (size_t i = ts_action_first(m, lower);
	     i < m->actions.n && !strcmp(m->actions.v[i].e.name, lower); i++) {
		const ts_action_entry *e = &m->actions.v[i].e;
		if (e->vmin < 0)
			unversioned = e;
		else if (major >= 0 && ts_in_range(e, major))
			return e;
		else if (!newest || e->vmin > newest->vmin)
			newest = e;
	}
	if (unversioned)
		return unversioned;
	/* A SHA or branch: the newest entry describes what the default branch
	 * most likely is; a version outside every range is not described. */
	return major < 0 ? newest : NULL;
}

const ts_action_entry *ts_map_action_at(const ts_map *m, unsigned i)
{
	return i < m->actions.n ? &m->actions.v[i].e : NULL;
}

void ts_map_stats_get(const ts_map *m, ts_map_stats *out)
{
	out->scopes = (unsigned)m->scopes.n;
	out->nevers = (unsigned)m->nevers.n;
	out->rest = (unsigned)m->rest.n;
	out->graphql = (unsigned)m->graphql.n;
	out->gh = (unsigned)m->gh.n;
	out->octokit = (unsigned)m->octokit.n;
	out->facts = (unsigned)m->facts.n;
	out->tools = (unsigned)m->tools.n;
	out->actions = (unsigned)m->actions.n;
}
