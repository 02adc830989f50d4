/*
 * shell.h - reads the text of a `run:` script into commands and words, and
 * evaluates words against what is known of the step's variables.
 *
 * Contract:
 *  - ts_sh_parse never fails and never loops: bash/sh is read fully (quotes,
 *    continuations, expansions, `$(...)` and backticks parsed recursively,
 *    here-documents attached to their command, control words stepped over),
 *    pwsh for the common forms. Text it cannot read is closed at the end of
 *    the script, as the shell itself would complain there.
 *  - A word keeps its structure (literal text, variables, GitHub expressions,
 *    command substitutions) so the caller evaluates it against the variables
 *    in force at that command, not at parse time.
 *  - `${{ ... }}` is recognised everywhere, even inside single quotes and
 *    here-documents, because GitHub substitutes it before the shell runs.
 *  - Evaluation never guesses: a value that may carry a token is never
 *    reported as plain text. Known text is exact; unknown text is written
 *    with a `{NAME}` placeholder where it was not known.
 *  - Everything is allocated from the arena given; nothing is freed alone.
 * Internal to the infer stage.
 */
#ifndef TS_SHELL_H
#define TS_SHELL_H

#include "../arena.h"
#include "expr.h"

typedef enum ts_sh_lang {
	TS_SH_BASH,     /* bash, sh, dash, zsh, ksh */
	TS_SH_PWSH,     /* pwsh, powershell */
	TS_SH_OTHER     /* python, node, cmd, ...: never read */
} ts_sh_lang;

/* `shell:` as written in the workflow ("bash -e {0}", "pwsh"); NULL: bash. */
ts_sh_lang ts_sh_lang_of(const char *shell);

typedef struct ts_sh_word ts_sh_word;
typedef struct ts_sh_list ts_sh_list;

typedef enum ts_sh_part_kind {
	TS_SH_LIT,      /* literal text, quotes already removed */
	TS_SH_VAR,      /* $NAME, ${NAME...}; pwsh $NAME, $env:NAME */
	TS_SH_EXPR,     /* ${{ ... }} */
	TS_SH_SUBST,    /* $(...), `...`, <(...); pwsh $(...) */
	TS_SH_ARITH     /* $((...)): a number */
} ts_sh_part_kind;

typedef enum ts_sh_var_op {
	TS_SH_OP_NONE,      /* $X, ${X}, ${X:?msg} */
	TS_SH_OP_DEFAULT,   /* ${X:-w} ${X-w} ${X:=w} ${X=w} */
	TS_SH_OP_ALT,       /* ${X:+w} ${X+w} */
	TS_SH_OP_LENGTH,    /* ${#X} */
	TS_SH_OP_OTHER      /* trims, replacements, slices, case changes, ${!X} */
} ts_sh_var_op;

typedef struct ts_sh_part {
	ts_sh_part_kind kind;
	ts_sh_var_op op;
	bool env;               /* pwsh $env:NAME (always the environment) */
	const char *text;       /* LIT: text; VAR: name; EXPR: inside ${{ }} */
	size_t len;
	const ts_sh_word *alt;  /* DEFAULT, ALT: the word after the operator */
	const ts_sh_list *sub;  /* SUBST: the commands inside */
} ts_sh_part;

struct ts_sh_word {
	const ts_sh_part *parts;
	size_t nparts;
	int line;               /* 0-based line in the script */
	bool plain;             /* no quoting or expansion: can be a keyword */
};

typedef struct ts_sh_assign {
	const char *name;
	size_t len;
	ts_sh_word value;
	bool append;            /* X+=v */
	bool env;               /* pwsh $env:X = v: exported */
} ts_sh_assign;

typedef enum ts_sh_redir_kind {
	TS_SH_REDIR_IN,         /* < file */
	TS_SH_REDIR_OUT,        /* > file, >| file, &> file */
	TS_SH_REDIR_APPEND,     /* >> file, &>> file */
	TS_SH_REDIR_DUP,        /* >&2, <&0, 2>&1 */
	TS_SH_REDIR_HEREDOC,    /* << DELIM: word is the body */
	TS_SH_REDIR_HERESTRING  /* <<< word */
} ts_sh_redir_kind;

typedef struct ts_sh_redir {
	ts_sh_redir_kind kind;
	int fd;                 /* the descriptor redirected */
	ts_sh_word word;
} ts_sh_redir;

typedef enum ts_sh_cmd_kind {
	TS_SH_CMD_SIMPLE,       /* assignments, words, redirections */
	TS_SH_CMD_FOR,          /* for NAME in WORDS: words[0] is NAME */
	TS_SH_CMD_TEST          /* [[ ... ]], case WORD, (( )): words only evaluated */
} ts_sh_cmd_kind;

typedef struct ts_sh_cmd {
	ts_sh_cmd_kind kind;
	const ts_sh_assign *assigns;
	size_t nassigns;
	const ts_sh_word *words;
	size_t nwords;
	const ts_sh_redir *redirs;
	size_t nredirs;
	int line;               /* 0-based line of the command's first word */
	bool pipe_in;           /* reads the previous command's output (`|`) */
} ts_sh_cmd;

struct ts_sh_list {
	const ts_sh_cmd *cmds;
	size_t n;
};

/* Reads `text` (the script as YAML decoded it). TS_SH_OTHER gives an empty
 * list. Line numbers in the result are relative to the script's first line. */
const ts_sh_list *ts_sh_parse(ts_arena *a, ts_sh_lang lang, const char *text,
			      size_t len);

/* If `w` reads NAME=VALUE or NAME+=VALUE (the argument of export, declare,
 * local, env), splits it. The caller's word is not changed. */
bool ts_sh_split_assign(ts_arena *a, const ts_sh_word *w, ts_sh_assign *out);

/* ---- values ---- */

typedef struct ts_sh_value {
	ts_val_kind kind;       /* joined over the parts: GITHUB_TOKEN, then
				   SECRET, then UNKNOWN (may carry a token),
				   else TEXT */
	const char *text;       /* never NULL; `{NAME}` where text was unknown */
	bool exact;             /* every part was known text */
	bool pull_request;      /* a part is a pull request's number */
	bool oidc;              /* a part is ACTIONS_ID_TOKEN_REQUEST_* */
} ts_sh_value;

/* The variables of a script: its own assignments over the step's env chain
 * (ctx->env) and the runner's known defaults. */
typedef struct ts_sh_scope ts_sh_scope;

/* Evaluates the commands of a command substitution: the caller analyses
 * them and says what their output carries. */
typedef ts_sh_value (*ts_sh_subst_fn)(void *ud, const ts_sh_list *sub);

/* `pull_request`: the workflow runs on pull_request* (github.event.number
 * is then a pull request's). `pwsh`: names ignore case, and $x is never the
 * environment ($env:X is). */
ts_sh_scope *ts_sh_scope_new(ts_arena *a, const ts_expr_ctx *expr,
			     bool pull_request, bool pwsh);
/* A scope for one command's `X=1 cmd` prefixes, on top of `parent`. */
ts_sh_scope *ts_sh_scope_child(const ts_sh_scope *parent);
void ts_sh_scope_set_subst(ts_sh_scope *s, ts_sh_subst_fn fn, void *ud);

/* Sets a variable. `exported` also exports it; a variable already in the
 * environment stays exported, as in bash. */
void ts_sh_set(ts_sh_scope *s, const char *name, size_t len, ts_sh_value v,
	       bool exported);
void ts_sh_export(ts_sh_scope *s, const char *name, size_t len);
void ts_sh_unset(ts_sh_scope *s, const char *name, size_t len);
/* `set -a`: every later assignment is exported. */
void ts_sh_allexport(ts_sh_scope *s, bool on);

/* A variable's value: the script's, else the env chain's, else a runner
 * default. *found is false when nothing sets it: the value is then "" if
 * the script unset it, else unknown text `{NAME}`. `env_only` skips shell
 * variables that are not exported: what a program started now would see. */
ts_sh_value ts_sh_lookup(const ts_sh_scope *s, const char *name, size_t len,
			 bool env_only, bool *found);

/* Calls fn for each variable a program started now would see in its
 * environment, nearest definition first, each name once, with the kind of
 * its value (what ts_sh_lookup would give). Stops when fn returns false. */
typedef bool (*ts_sh_env_fn)(void *ud, const char *name, size_t len,
			     ts_val_kind kind);
void ts_sh_env_each(const ts_sh_scope *s, ts_sh_env_fn fn, void *ud);
/* The same, for only the variables whose kind is not TS_VAL_TEXT: what
 * decides whether a credential reaches a program. */
void ts_sh_env_creds(const ts_sh_scope *s, ts_sh_env_fn fn, void *ud);
/* Whether an env entry whose value cannot be evaluated may hold a
 * credential, by its name (GH_PAT, NPM_AUTH_TOKEN) or its text
 * (steps.login.outputs.token): the shell treats it as UNKNOWN if so, as
 * unknown plain text if not. */
bool ts_sh_credential_like(const char *name, size_t len, const char *text);

ts_sh_value ts_sh_eval(const ts_sh_scope *s, const ts_sh_word *w);
/* The value of an expression between ${{ and }}, as the shell sees it. */
ts_sh_value ts_sh_eval_expr(const ts_sh_scope *s, const char *expr, size_t len);

/* The join used for words: GITHUB_TOKEN > SECRET > UNKNOWN > TEXT. */
ts_val_kind ts_sh_join(ts_val_kind a, ts_val_kind b);
/* An exact text value. */
ts_sh_value ts_sh_text(const char *text);

#endif
