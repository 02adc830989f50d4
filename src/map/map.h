/*
 * map.h - the endpoint map: what GitHub's scopes are, what each REST
 * operation, GraphQL field, gh subcommand, octokit method and known action
 * needs from GITHUB_TOKEN. The text format is docs/map-format.md; the shipped
 * files in endpoint-map/ are embedded at build time.
 *
 * Contract:
 *  - A ts_map is built once (ts_map_new, any number of ts_map_load, then
 *    ts_map_finish) and is read-only afterwards, so worker threads share it.
 *  - Everything a lookup returns is owned by the map and lives as long as it.
 *  - A later record with the same key replaces an earlier one (--map override).
 *  - Loading errors come back as a ts_error with the map file's line and column.
 */
#ifndef TS_MAP_H
#define TS_MAP_H

#include "../common.h"

#define TS_MAX_SCOPES 32

typedef struct ts_map ts_map;

/* One alternative of a requirement: a scope at a level, or a permission
 * GITHUB_TOKEN can never hold (then `scope` indexes the map's never list). */
typedef struct ts_alt {
	short scope;
	unsigned char level;    /* ts_level */
	unsigned char never;    /* 1: `scope` is a never index */
} ts_alt;

/* Any one alternative suffices. */
typedef struct ts_req {
	const ts_alt *alts;
	unsigned nalts;
} ts_req;

/* Every requirement must hold. nreqs == 0 means "nothing" (`-`). */
typedef struct ts_needs {
	const ts_req *reqs;
	unsigned nreqs;
} ts_needs;

/* Where an entry came from: the map file and line, and its cited source. */
typedef struct ts_origin {
	const char *file;       /* "endpoint-map/rest.map" or the --map path */
	int line;
	const char *source;     /* the `source` text in force */
} ts_origin;

typedef struct ts_rest_entry {
	const char *verb;       /* "POST" */
	const char *path;       /* template, "/repos/{owner}/{repo}/issues" */
	const char *doc;        /* documentation slug, may be NULL */
	ts_needs needs;
	ts_origin origin;
} ts_rest_entry;

typedef struct ts_named_entry {    /* graphql and gh records */
	const char *key;        /* "mutation addComment", "pr merge --auto" */
	ts_needs needs;
	ts_origin origin;
} ts_named_entry;

typedef struct ts_octokit_entry {
	const char *method;     /* "issues.createComment" */
	const char *verb, *path;
	ts_origin origin;
} ts_octokit_entry;

/* ---- actions ---- */

typedef enum ts_cond_op {
	TS_COND_EQ, TS_COND_NE, TS_COND_MATCH, TS_COND_SET, TS_COND_UNSET,
	TS_COND_FACT
} ts_cond_op;

typedef struct ts_cond {
	ts_cond_op op;
	const char *input;      /* input name, or the fact name for TS_COND_FACT */
	const char *value;      /* EQ/NE value, MATCH pattern text */
	void *re;               /* compiled pcre2_code for MATCH */
} ts_cond;

typedef enum ts_rule_kind {
	TS_RULE_NEED, TS_RULE_ALWAYS, TS_RULE_UNKNOWN, TS_RULE_GIT_CREDENTIALS,
	TS_RULE_PUSHES_IMAGE
} ts_rule_kind;

typedef struct ts_rule {
	ts_rule_kind kind;
	ts_needs needs;         /* NEED, ALWAYS */
	const char *why;        /* UNKNOWN */
	const ts_cond *conds;
	unsigned nconds;
	int line;
} ts_rule;

typedef struct ts_action_input {
	const char *name;
	const char *value;      /* default value; NULL for a token input without default */
	bool token;             /* this input carries the token */
	bool token_default;     /* ... and defaults to github.token */
} ts_action_input;

typedef struct ts_action_entry {
	const char *name;       /* lower case, "github/codeql-action/upload-sarif" */
	int vmin, vmax;         /* major versions, inclusive; -1 = open */
	const ts_action_input *inputs;
	unsigned ninputs;
	const char *const *token_env;
	unsigned ntoken_env;
	const ts_rule *rules;
	unsigned nrules;
	const char *script_input, *script_lang;   /* NULL unless `script` */
	const char *token_output;   /* an output holding another token, or NULL */
	const char *note;
	ts_origin origin;
} ts_action_entry;

/* ---- building ---- */

ts_map *ts_map_new(void);
void ts_map_free(ts_map *m);

/* Parses one map file. `file` names it in errors and origins. */
int ts_map_load(ts_map *m, const char *file, const char *text, size_t len,
		ts_error *err);
/* Loads every file embedded from endpoint-map/. */
int ts_map_load_builtin(ts_map *m, ts_error *err);
/* Reads and loads a file from disk (--map). */
int ts_map_load_file(ts_map *m, const char *path, ts_error *err);
/* Resolves names, checks references; required before any lookup. */
int ts_map_finish(ts_map *m, ts_error *err);

/* ---- scopes ---- */

int ts_map_nscopes(const ts_map *m);
const char *ts_map_scope_name(const ts_map *m, int scope);
int ts_map_scope_find(const ts_map *m, const char *name, size_t len); /* -1 if none */
bool ts_map_scope_allows(const ts_map *m, int scope, ts_level level);
const char *ts_map_never_name(const ts_map *m, int never);
const char *ts_map_never_advice(const ts_map *m, int never);

/* ---- lookups; NULL when unknown ---- */

/* `path` is a concrete API path starting with '/', without host, API
 * prefix or query string ("/repos/o/r/issues/12/comments"). */
const ts_rest_entry *ts_map_rest(const ts_map *m, const char *verb,
				 const char *path, size_t len);
const ts_named_entry *ts_map_graphql(const ts_map *m, bool mutation,
				     const char *field, size_t len);
/* `name` is a `fact` record: "git-push", "oidc", "registry-push", ... */
const ts_named_entry *ts_map_fact(const ts_map *m, const char *name);
/* `name` is a program's base name: "goreleaser", "cargo". */
const ts_named_entry *ts_map_tool(const ts_map *m, const char *name, size_t len);
/* `key` is "pr merge" or "pr merge --auto". */
const ts_named_entry *ts_map_gh(const ts_map *m, const char *key);
const ts_octokit_entry *ts_map_octokit(const ts_map *m, const char *method,
				       size_t len);
/* `name` as written in `uses:` before the '@', any case; `major` is the
 * ref's major version or -1 when the ref is not a version. */
const ts_action_entry *ts_map_action(const ts_map *m, const char *name,
				     size_t len, int major);

/* Iterate all gh records whose key starts with `words` + " " (flag records),
 * for callers that test which flags are present. Returns the count. */
unsigned ts_map_gh_flags(const ts_map *m, const char *words,
			 const ts_named_entry **out, unsigned max);

/* Counts, for `tokenscope lookup --stats` and tests. */
typedef struct ts_map_stats {
	unsigned scopes, nevers, rest, graphql, gh, octokit, facts, tools, actions;
} ts_map_stats;
void ts_map_stats_get(const ts_map *m, ts_map_stats *out);

/* Iterate actions (for listing); NULL past the end. */
const ts_action_entry *ts_map_action_at(const ts_map *m, unsigned i);

#endif
