/*
 * cli.h - the command line: options as documented in `tokenscope --help`
 * and docs/tokenscope.1 (which must agree), and the lookup command.
 *
 * Exit status, the same for every command:
 *   0  nothing to do, or done
 *   1  check: some file would change
 *   2  some file had an error (the other files were still processed)
 *   3  invalid command line or map file: nothing was processed
 */
#ifndef TS_CLI_H
#define TS_CLI_H

#include "../emit/emit.h"

enum {
	TS_EXIT_OK = 0,
	TS_EXIT_CHANGES = 1,
	TS_EXIT_ERROR = 2,
	TS_EXIT_USAGE = 3
};

typedef struct ts_cli {
	ts_mode mode;
	bool mode_lookup;
	bool command_given;
	ts_format format;
	bool color, no_top_level, no_comments, summary, quiet;
	unsigned jobs;          /* 0: the number of cores */
	size_t max_size;
	const char **maps;      /* --map FILE, in order */
	size_t nmaps;
	const char **paths;     /* PATHs, or lookup's words */
	size_t npaths;
	bool map_check;         /* lookup --map-check */
	bool list_actions;      /* lookup --list-actions */
	const char *pr_body;    /* --pr-body FILE */
	const char *commit_message;     /* --commit-message FILE */
	bool progress;          /* stderr is a terminal: a progress line (unless -q) */
} ts_cli;

/* Returns -1 to go on, or an exit status (after --help, --version, or a
 * usage error already reported on stderr). */
int ts_cli_parse(int argc, char **argv, ts_cli *cli);
void ts_cli_free(ts_cli *cli);

/* `tokenscope lookup ...`; returns the exit status. */
int ts_lookup_main(const ts_cli *cli, const ts_map *map);

/* The --help text (also checked against the man page by a test). */
extern const char ts_help_text[];

#endif
