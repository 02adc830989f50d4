/*
 * discover.h - from the PATHs on the command line to the workflow files.
 *
 * Contract: a PATH is a repository root (the .yml and .yaml files in its
 * .github/workflows are taken), a folder of workflow files (its .yml and
 * .yaml files), or a single file. Files come out sorted by path within each PATH, PATHs in the
 * order given, each once, so output does not depend on directory order.
 * Entries named like workflows that are not regular files are still listed: load
 * reports them, so the user sees every file that was passed over and why.
 * A PATH that does not exist is one ts_target with `error` set.
 * All the targets of one PATH have the same root, so a PATH's files are
 * one repository's run of work.
 */
#ifndef TS_DISCOVER_H
#define TS_DISCOVER_H

#include "arena.h"
#include "common.h"

typedef struct ts_target {
	const char *path;       /* to open */
	const char *root;       /* repository root (has .git), or NULL */
	const char *display;    /* for diffs: relative to root, else as given */
	const char *error;      /* non-NULL: this PATH could not be used */
	const char *rel;        /* the path from the root, as a workflow's
				   `uses: ./...` names it; NULL when the file is
				   not found under its root */
	size_t path_no;         /* the PATH it came from, 1-based, for the
				   progress line; 0 when not from one */
} ts_target;

typedef struct ts_targets {
	ts_target *v;
	size_t n, cap;
} ts_targets;

/* Appends the files for one PATH, the `path_no`th given. Never fails:
 * problems become targets with `error` set. */
void ts_discover(ts_arena *a, const char *path, size_t path_no, ts_targets *out);

/* The repository root above `path` (the nearest folder holding .git), or
 * NULL. Exposed for infer's local actions and reusable workflows. */
const char *ts_discover_root(ts_arena *a, const char *path);

#endif
