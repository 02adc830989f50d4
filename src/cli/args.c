/* args.c - parsing the command line (see cli.h). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char ts_help_text[] =
	"Usage: tokenscope [COMMAND] [OPTIONS] PATH...\n"
	"       tokenscope lookup [OPTIONS] WHAT...\n"
	"\n"
	"Inserts a minimal job-level `permissions:` block into GitHub Actions\n"
	"workflows, with a `# reason` comment on each scope.\n"
	"\n"
	"A PATH is a repository root (its .github/workflows are taken), a folder\n"
	"of workflow files, or one file.\n"
	"\n"
	"Commands:\n"
	"  diff       print the changes as a unified diff (the default)\n"
	"  fix        write the changes in place, atomically\n"
	"  check      change nothing; exit 1 if any file would change\n"
	"  explain    print every job's needs, skips and calls that cannot work\n"
	"  lookup     what a REST call, URL, gh command, GraphQL field or action needs\n"
	"\n"
	"Options:\n"
	"  -f, --format FORMAT   diff, text, json, sarif, markdown or github (the default\n"
	"                        is diff for diff, text otherwise)\n"
	"      --map FILE        load more map entries after the built-in ones (repeatable)\n"
	"      --no-top-level    do not add `permissions: {}` at the top of a file\n"
	"      --no-comments     write scopes without `# reason` comments\n"
	"      --pr-body FILE    write a pull request body (markdown) for the changes\n"
	"      --commit-message FILE  write a commit message for the changes\n"
	"      --summary         explain: only the counts and the unresolved causes\n"
	"      --max-size BYTES  refuse files larger than this (default 4194304)\n"
	"  -j, --jobs N          worker threads (default: the number of cores)\n"
	"      --color WHEN      colour the diff: auto, always or never (default auto)\n"
	"      --no-color        the same as --color never\n"
	"  -q, --quiet           no notes or summary on stderr\n"
	"      --map-check       lookup: load the maps, print their counts, and stop\n"
	"      --list-actions    lookup: list the actions the map describes\n"
	"  -h, --help            print this help\n"
	"  -V, --version         print the version\n"
	"\n"
	"Exit status:\n"
	"  0  nothing to do, or done\n"
	"  1  check: some file would change\n"
	"  2  some file had an error (the other files were still processed)\n"
	"  3  invalid command line or map file (nothing was processed)\n";

static int ts_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "tokenscope: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tokenscope --help'.\n");
	return TS_EXIT_USAGE;
}

static bool ts_command(ts_cli *cli, const char *w)
{
	static const struct { const char *name; ts_mode mode; } cmds[] = {
		{"diff", TS_MODE_DIFF}, {"fix", TS_MODE_FIX},
		{"check", TS_MODE_CHECK}, {"explain", TS_MODE_EXPLAIN},
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(w, cmds[i].name)) {
			cli->mode = cmds[i].mode;
			return true;
		}
	if (!strcmp(w, "lookup")) {
		cli->mode_lookup = true;
		return true;
	}
	return false;
}

static int ts_format_arg(ts_cli *cli, const char *v, bool *given)
{
	*given = true;
	static const struct { const char *name; ts_format format; } fmts[] = {
		{"diff", TS_FORMAT_DIFF}, {"text", TS_FORMAT_TEXT}, {"json", TS_FORMAT_JSON},
		{"sarif", TS_FORMAT_SARIF}, {"markdown", TS_FORMAT_MARKDOWN},
		{"github", TS_FORMAT_GITHUB},
	};
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		if (!strcmp(v, fmts[i].name)) {
			cli->format = fmts[i].format;
			return -1;
		}
	return ts_usage("unknown format '%s' (diff, text, json, sarif, markdown or github)", v);
}

static int ts_number(const char *v, const char *opt, unsigned long long *out)
{
	char *end;
	*out = strtoull(v, &end, 10);
	if (!*v || *end || v[0] == '-')
		return ts_usage("%s takes a whole number", opt);
	return -1;
}

static int ts_color_arg(ts_cli *cli, const char *v)
{
	if (!strcmp(v, "always"))
		cli->color = true;
	else if (!strcmp(v, "never"))
		cli->color = false;
	else if (!strcmp(v, "auto"))
		cli->color = isatty(STDOUT_FILENO);
	else
		return ts_usage("--color takes auto, always or never, not '%s'", v);
	return -1;
}

/* Options that take a value: `--opt V` or `--opt=V`. */
static int ts_valued(ts_cli *cli, const char *opt, const char *v, bool *fmt_given)
{
	unsigned long long n;
	if (!strcmp(opt, "--format") || !strcmp(opt, "-f"))
		return ts_format_arg(cli, v, fmt_given);
	if (!strcmp(opt, "--map")) {
		cli->maps[cli->nmaps++] = v;
		return -1;
	}
	if (!strcmp(opt, "--max-size")) {
		int rc = ts_number(v, opt, &n);
		if (rc < 0 && n == 0)
			return ts_usage("%s must be above 0", opt);
		cli->max_size = (size_t)n;
		return rc;
	}
	if (!strcmp(opt, "--jobs") || !strcmp(opt, "-j")) {
		int rc = ts_number(v, opt, &n);
		if (rc < 0 && (n == 0 || n > 256))
			return ts_usage("%s takes 1 to 256", opt);
		cli->jobs = (unsigned)n;
		return rc;
	}
	if (!strcmp(opt, "--color"))
		return ts_color_arg(cli, v);
	if (!strcmp(opt, "--pr-body") || !strcmp(opt, "--commit-message")) {
		*(!strcmp(opt, "--pr-body") ? &cli->pr_body : &cli->commit_message) = v;
		return -1;
	}
	return ts_usage("unknown option '%s'", opt);
}

static bool ts_takes_value(const char *opt)
{
	static const char *const v[] = {"--format", "-f", "--map", "--max-size",
					"--jobs", "-j", "--color", "--pr-body",
					"--commit-message"};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!strcmp(opt, v[i]))
			return true;
	return false;
}

static int ts_flag(ts_cli *cli, const char *a)
{
	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		fputs(ts_help_text, stdout);
		return TS_EXIT_OK;
	}
	if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
		printf("tokenscope %s\n", TS_VERSION);
		return TS_EXIT_OK;
	}
	if (!strcmp(a, "--no-top-level"))
		cli->no_top_level = true;
	else if (!strcmp(a, "--no-comments"))
		cli->no_comments = true;
	else if (!strcmp(a, "--summary"))
		cli->summary = true;
	else if (!strcmp(a, "--no-color"))
		cli->color = false;
	else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
		cli->quiet = true;
	else if (!strcmp(a, "--map-check"))
		cli->map_check = true;
	else if (!strcmp(a, "--list-actions"))
		cli->list_actions = true;
	else
		return ts_usage("unknown option '%s'", a);
	return -1;
}

/* One argument at argv[*i]; advances *i past a separate option value. */
static int ts_arg(ts_cli *cli, int argc, char **argv, int *i, bool *fmt_given,
		  bool *words_only)
{
	char *a = argv[*i];
	if (*words_only || a[0] != '-' || !a[1]) {
		if (cli->npaths == 0 && !cli->command_given && ts_command(cli, a)) {
			cli->command_given = true;
			return -1;
		}
		cli->paths[cli->npaths++] = a;
		/* lookup takes words like `gh pr merge --auto` as they are */
		*words_only = cli->mode_lookup && !cli->map_check;
		return -1;
	}
	if (!strcmp(a, "--")) {
		*words_only = true;
		return -1;
	}
	if (a[1] != '-' && a[2] && (a[1] == 'j' || a[1] == 'f')) {
		char opt[3] = {'-', a[1], '\0'};   /* -j2, -fjson */
		return ts_valued(cli, opt, a + 2, fmt_given);
	}
	char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	if (eq) {
		*eq = '\0';
		return ts_valued(cli, a, eq + 1, fmt_given);
	}
	if (ts_takes_value(a)) {
		if (*i + 1 >= argc)
			return ts_usage("%s needs a value", a);
		return ts_valued(cli, a, argv[++*i], fmt_given);
	}
	return ts_flag(cli, a);
}

int ts_cli_parse(int argc, char **argv, ts_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->color = isatty(STDOUT_FILENO);
	cli->progress = isatty(STDERR_FILENO);
	cli->maps = calloc((size_t)argc + 1, sizeof(*cli->maps));
	cli->paths = calloc((size_t)argc + 1, sizeof(*cli->paths));
	if (!cli->maps || !cli->paths)
		abort();
	bool fmt_given = false, words_only = false;
	for (int i = 1; i < argc; i++) {
		int rc = ts_arg(cli, argc, argv, &i, &fmt_given, &words_only);
		if (rc >= 0) {
			ts_cli_free(cli);
			return rc;
		}
	}
	if (!fmt_given)
		cli->format = cli->mode == TS_MODE_DIFF ? TS_FORMAT_DIFF : TS_FORMAT_TEXT;
	if (cli->format == TS_FORMAT_DIFF && cli->mode != TS_MODE_DIFF) {
		ts_cli_free(cli);
		return ts_usage("%s", "--format diff goes with the diff command");
	}
	if (cli->npaths == 0 && !(cli->mode_lookup && (cli->map_check || cli->list_actions))) {
		ts_cli_free(cli);
		return ts_usage("%s", cli->mode_lookup ? "lookup needs something to look up"
						       : "no PATH given");
	}
	return -1;
}

void ts_cli_free(ts_cli *cli)
{
	free(cli->maps);
	free(cli->paths);
	cli->maps = NULL;
	cli->paths = NULL;
}
