/*
 * parse.h - from a file's bytes to a small tree with byte spans, and from
 * the tree to the parts of a workflow (or composite action) that matter.
 *
 * Contract:
 *  - ts_parse makes one pass over libfyaml's events. Every node records byte
 *    offsets into the original text (never columns: tabs, multi-byte UTF-8,
 *    CRLF and a BOM all shift columns), and a 1-based line and column for
 *    messages. Aliases are not expanded: an alias node points at the node
 *    its anchor names, so an alias bomb costs one node per alias.
 *  - The tree lives in the caller's arena. Text is copied; the source bytes
 *    may go away after parsing.
 *  - Refused with a file:line:col error: invalid YAML, a second document,
 *    nesting deeper than the limit, a duplicate key in a mapping, an alias
 *    with no anchor, aliases that would expand past a million nodes (an
 *    alias bomb: GitHub's parser expands them; we never do).
 *  - ts_workflow_read finds jobs only under the top-level `jobs:` key, so an
 *    input or step that happens to be named like a job never becomes one.
 */
#ifndef TS_PARSE_H
#define TS_PARSE_H

#include "../arena.h"
#include "../common.h"

typedef enum ts_node_kind {
	TS_NODE_SCALAR, TS_NODE_MAP, TS_NODE_SEQ, TS_NODE_ALIAS
} ts_node_kind;

typedef enum ts_scalar_style {
	TS_PLAIN, TS_SINGLE_QUOTED, TS_DOUBLE_QUOTED, TS_LITERAL, TS_FOLDED
} ts_scalar_style;

typedef struct ts_node ts_node;
struct ts_node {
	ts_node_kind kind;
	ts_scalar_style style;  /* SCALAR only */
	bool flow;              /* MAP/SEQ written as {...} or [...] */
	bool null;              /* an empty scalar: no bytes of its own */
	bool merge;             /* MAP has a `<<` merge key */
	bool aliased;           /* an alias names this node's anchor */
	bool block_scalar_end;  /* the last content is a | or > scalar: `end` is
				   the first byte of the line that ends it */
	bool open_end;          /* the last content is an empty value (`-` with
				   nothing after it): `end` is before it */
	size_t start;           /* first byte, quotes and sigils included */
	size_t end;             /* one past the last content byte; for a flow
				   collection, past the closing bracket */
	size_t close;           /* flow MAP/SEQ: offset of the closing bracket */
	int line, col;          /* 1-based position of `start` */
	const char *text;       /* SCALAR: the value as YAML reads it; ALIAS: name */
	size_t len;
	const char *anchor;     /* this node's &anchor, or NULL */
	const ts_node *target;  /* ALIAS: the node it names */
	size_t weight;          /* nodes it would have with aliases expanded */
	size_t n;               /* MAP: pairs; SEQ: items */
	ts_node **keys;         /* MAP only */
	ts_node **vals;         /* MAP values, SEQ items */
};

/* The event stream as libfyaml gave it, kept so that verify can compare
 * the output against the input without parsing the input a second time.
 * It is a record of the events, not of the tree: marks, styles, anchors
 * and tags straight from libfyaml, so a mistake in building the tree
 * cannot hide itself from verify. */
typedef enum ts_yevent_kind {
	TS_YE_STREAM_START, TS_YE_STREAM_END, TS_YE_DOC_START, TS_YE_DOC_END,
	TS_YE_SCALAR, TS_YE_ALIAS,
	TS_YE_MAP_START, TS_YE_MAP_END, TS_YE_SEQ_START, TS_YE_SEQ_END
} ts_yevent_kind;

enum { TS_YE_NO_MARK = (size_t)-1 };

typedef struct ts_yevent {
	ts_yevent_kind kind;
	ts_scalar_style style;  /* SCALAR */
	bool flow;              /* MAP_START, SEQ_START */
	size_t start, end;      /* the token's marks as libfyaml set them (for a
				   quoted scalar, inside the quotes; for a | or
				   > scalar, its content lines, header not
				   included), or TS_YE_NO_MARK */
	const char *text;       /* SCALAR: its value; ALIAS: the name */
	size_t len;
	const char *anchor, *tag;       /* or NULL */
} ts_yevent;

typedef struct ts_yevents {
	ts_yevent *v;
	size_t n, cap;
} ts_yevents;

typedef struct ts_parse_opts {
	unsigned max_depth;     /* 0: 64 */
	ts_yevents *events;     /* if set, the event stream is recorded here,
				   in the same arena as the tree */
} ts_parse_opts;

/* Parses text[0..len) (which must have passed ts_load's checks). */
int ts_parse(ts_arena *a, const char *text, size_t len,
	     const ts_parse_opts *opts, const ts_node **root, ts_error *err);

/* ---- helpers over the tree ---- */

/* Follows aliases to the node they name (one hop per alias, bounded). */
const ts_node *ts_node_deref(const ts_node *n);
/* The value of key `name` in a MAP (aliases followed), or NULL. */
const ts_node *ts_map_get(const ts_node *map, const char *name);
/* A scalar's text, or NULL for anything else (aliases followed). */
const char *ts_node_str(const ts_node *n);
bool ts_node_is(const ts_node *n, const char *text);

/* ---- the workflow view ---- */

typedef struct ts_pair {
	const ts_node *key;     /* NULL when absent */
	const ts_node *value;
} ts_pair;

typedef struct ts_step {
	const ts_node *node;
	int index;              /* 0-based position in steps */
	const ts_node *id, *name, *uses, *with, *run, *shell, *env, *working_dir;
} ts_step;

typedef struct ts_job {
	const char *id;
	const ts_node *key;
	const ts_node *value;   /* the job MAP, aliases followed */
	const char *skip;       /* why it must not be edited, or NULL */
	ts_pair permissions, runs_on, steps, uses, with, secrets, env,
		container, services, defaults, name;
	ts_step *stepv;
	size_t nsteps;
} ts_job;

typedef struct ts_workflow {
	const ts_node *root;
	ts_pair permissions, on, env, jobs, defaults, name;
	ts_job *jobv;
	size_t njobs;
} ts_workflow;

/* Reads the workflow parts. Fails (with a position) when the top level is
 * not a mapping or has no `jobs:`; `jobs:` with no jobs is not a failure. */
int ts_workflow_read(ts_arena *a, const ts_node *root, ts_workflow *out,
		     ts_error *err);

/* ---- the composite action view (action.yml) ---- */

typedef struct ts_action_file {
	const ts_node *root;
	const ts_node *inputs;  /* MAP of input name -> {default, ...} */
	const char *using;      /* runs.using: "composite", "node20", "docker" */
	ts_step *stepv;         /* runs.steps for composite actions */
	size_t nsteps;
} ts_action_file;

int ts_action_read(ts_arena *a, const ts_node *root, ts_action_file *out,
		   ts_error *err);

#endif
