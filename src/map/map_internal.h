/*
 * map_internal.h - the map's storage, shared by map.c (loading) and
 * lookup.c (resolving and lookups). Not for use outside src/map/.
 */
#ifndef TS_MAP_INTERNAL_H
#define TS_MAP_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include "map.h"
#include "../arena.h"

#include <pcre2.h>

typedef struct ts_scope_def {
	const char *name;
	bool read, write;
} ts_scope_def;

typedef struct ts_never_def {
	const char *name, *advice;
} ts_never_def;

/* A needs text waiting for ts_map_finish. It stays inside its record
 * (records live in vectors that move as they grow, so no pointer to one
 * may be kept while loading). */
typedef struct ts_pending {
	const char *text;
	const char *file;
	int line, col;
} ts_pending;

typedef struct ts_action_build {
	ts_action_entry e;
	size_t cap_inputs, cap_env, cap_rules;
	ts_action_input *inputs;
	const char **env;
	ts_rule *rules;
	ts_pending *rule_needs; /* parallel to rules */
	size_t cap_rule_needs;
	size_t seq;             /* load order, so later wins */
} ts_action_build;

typedef struct ts_seq_named {
	ts_named_entry e;
	ts_pending needs;
	size_t seq;
} ts_seq_named;

/* One segment of a REST path, between slashes. */
typedef struct ts_seg {
	const char *s;
	size_t len;
} ts_seg;

typedef struct ts_seq_rest {
	ts_rest_entry e;
	ts_pending needs;
	size_t seq;
	unsigned literal, multi;   /* specificity, see ts_rest_better */
	const ts_seg *segs;        /* the path split once, by ts_map_finish */
	int nsegs;                 /* -1: too many to match */
} ts_seq_rest;

typedef struct ts_seq_octokit {
	ts_octokit_entry e;
	size_t seq;
} ts_seq_octokit;

#define TS_VEC(T) struct { T *v; size_t n, cap; }

struct ts_map {
	ts_arena arena;
	size_t seq;
	TS_VEC(ts_scope_def) scopes;
	TS_VEC(ts_never_def) nevers;
	TS_VEC(ts_seq_rest) rest;
	TS_VEC(ts_seq_named) graphql, gh, facts, tools;
	TS_VEC(ts_seq_octokit) octokit;
	TS_VEC(ts_action_build) actions;
	TS_VEC(pcre2_code *) regexes;
	bool finished;
};

#define TS_PUSH(m, vec) \
	((vec).v = ts_grow(&(m)->arena, (vec).v, &(vec).cap, (vec).n + 1, \
			   sizeof(*(vec).v)), \
	 &(vec).v[(vec).n++])

#endif
