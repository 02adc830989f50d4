/* run.c - see run.h.
 *
 * The script is read by shell.c into commands; each command is evaluated
 * in order against the variables in force at that point (the step's env
 * chain, then the script's own assignments and exports), and dispatched by
 * program name. gh, curl, wget, git, docker and the package tools are read
 * by code here; every other program that can see the token is looked up in
 * the map's `tool` records, and a program the map does not know leaves the
 * job unresolved.
 *
 * A token the script stores where later commands find it (git's config, gh's
 * login, ~/.npmrc) is followed to the commands of the same script that use
 * it; one left behind for later steps is reported UNKNOWN, because the steps
 * after this one cannot be told about it.
 */
#include "run.h"

#include "graphql.h"
#include "shell.h"

#include "../memo.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TS_RUN_MAX_DEPTH = 24, TS_RUN_MAX_FLAGS = 64 };

/* A token the script stored for later commands. */
typedef struct stored {
	bool set;
	ts_val_kind kind;
	int line;
	bool used;              /* a later command in the script drew on all
				   it can give (git push, npm publish) */
	const char *where;      /* "git's config" */
} stored;

typedef struct remote {
	const char *name;
	ts_val_kind kind;
	bool inexact;           /* the URL's password cannot be resolved */
} remote;

typedef struct run_state {
	const ts_run_ctx *ctx;
	ts_findings *out;
	ts_arena *a;
	ts_sh_lang lang;
	int depth;
	ts_sh_scope *cur;       /* the scope words are evaluated in now */
	int line_off;           /* script line of the text being read (bash -c) */
	stored git, gh, npm;
	bool git_via_gh;        /* gh auth setup-git: git asks gh */
	remote *remotes;
	size_t nremotes, capremotes;
} run_state;

/* One command being analysed. argv[i] are its evaluated words. */
typedef struct cmdx {
	run_state *rs;
	const ts_sh_cmd *cmd;
	ts_sh_scope *scope;
	ts_sh_value *argv;
	size_t argc;
	ts_sh_value in;         /* what it reads on its input */
	bool has_in;
	int line;
	ts_sh_value out;        /* what it writes on its output */
} cmdx;

static void analyze_list(run_state *rs, const ts_sh_list *l, ts_sh_scope *sc,
			 ts_sh_value *out);
static void dispatch(cmdx *cx, size_t i);

/* ------------------------------------------------------------------ */
/* findings                                                             */

static ts_finding *add_finding(cmdx *cx, ts_find_kind kind, const char *what)
{
	ts_findings *f = cx->rs->out;
	f->items = ts_grow_raw(cx->rs->a, f->items, &f->cap, f->n + 1,
			       sizeof(*f->items));
	ts_finding *x = &f->items[f->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->what = what;
	x->line = cx->line;
	return x;
}

static void add_unknown(cmdx *cx, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_unknown(cmdx *cx, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ts_finding *x = add_finding(cx, TS_FIND_UNKNOWN, what);
	x->why = ts_vsprintf(cx->rs->a, fmt, ap);
	va_end(ap);
}

static void add_entry(cmdx *cx, ts_find_kind kind, const ts_named_entry *e,
		      bool pr, const char *what)
{
	ts_finding *x = add_finding(cx, kind, what);
	x->needs = e->needs;
	x->origin = e->origin;
	x->pr_number = pr;
}

/* A `fact` record; a map without it cannot decide the command. */
static void add_fact(cmdx *cx, ts_find_kind kind, const char *fact, bool pr,
		     const char *what)
{
	const ts_named_entry *e = ts_map_fact(cx->rs->ctx->map, fact);
	if (!e) {
		add_unknown(cx, what, "%s: the map has no `fact %s` record",
			    what, fact);
		return;
	}
	add_entry(cx, kind, e, pr, what);
}

/* The union of several needs: every requirement of each must hold. */
static ts_needs needs_join(ts_arena *a, ts_needs x, ts_needs y)
{
	if (!x.nreqs)
		return y;
	if (!y.nreqs)
		return x;
	ts_req *r = ts_alloc_array(a, x.nreqs + y.nreqs, sizeof(*r));
	memcpy(r, x.reqs, x.nreqs * sizeof(*r));
	memcpy(r + x.nreqs, y.reqs, y.nreqs * sizeof(*r));
	ts_needs n = {r, x.nreqs + y.nreqs};
	return n;
}

/* ------------------------------------------------------------------ */
/* values and words                                                     */

static bool is_token(ts_val_kind k)
{
	return k == TS_VAL_GITHUB_TOKEN || k == TS_VAL_UNKNOWN;
}

static const char *arg(const cmdx *cx, size_t i)
{
	return i < cx->argc ? cx->argv[i].text : "";
}

static bool arg_is(const cmdx *cx, size_t i, const char *lit)
{
	return i < cx->argc && cx->argv[i].exact && !strcmp(cx->argv[i].text, lit);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* Lists are tested for every command: the first byte is compared before
 * the call. (c | 0x20 is the same for the two cases of a letter, so it
 * never rejects a case-insensitive match.) */
static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (s[0] == (*list)[0] && !strcmp(s, *list))
			return true;
	return false;
}

static bool in_list_ci(const char *s, const char *const *list)
{
	for (; *list; list++)
		if ((s[0] | 0x20) == ((*list)[0] | 0x20) && !strcasecmp(s, *list))
			return true;
	return false;
}

/* A value made of part of another: `--header=V`, `K=V`, `-XPOST`. */
static ts_sh_value tail_of(const ts_sh_value *v, size_t skip)
{
	ts_sh_value t = *v;
	size_t n = strlen(v->text);
	t.text = v->text + (skip < n ? skip : n);
	return t;
}

static ts_sh_value join_all(ts_arena *a, const ts_sh_value *v, size_t n,
			    const char *sep)
{
	ts_sh_value r = ts_sh_text("");
	ts_buf b;
	ts_buf_init(&b, a);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ts_buf_adds(&b, sep);
		ts_buf_adds(&b, v[i].text);
		r.kind = ts_sh_join(r.kind, v[i].kind);
		r.exact = r.exact && v[i].exact;
		r.pull_request |= v[i].pull_request;
		r.oidc |= v[i].oidc;
	}
	r.text = ts_buf_cstr(&b);
	return r;
}

static ts_sh_value opaque(ts_val_kind kind)
{
	ts_sh_value v = ts_sh_text("{output}");
	v.exact = false;
	v.kind = kind;
	return v;
}

/* The program's name as a map key: the last path component, and for
 * PowerShell without `.exe`. */
static const char *base_name(cmdx *cx, const char *name)
{
	const char *b = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	if (cx->rs->lang == TS_SH_PWSH && ends(b, ".exe"))
		return ts_strndup(cx->rs->a, b, strlen(b) - 4);
	return b;
}

static bool any_pr(const cmdx *cx, size_t from)
{
	for (size_t i = from; i < cx->argc; i++)
		if (cx->argv[i].pull_request)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* does the token reach a program?                                      */

typedef struct reach {
	ts_val_kind kind;       /* GITHUB_TOKEN, UNKNOWN (may), TEXT (no) */
	const char *via;        /* for the message */
	const char *const *skip;/* env names a caller handles itself */
	ts_arena *a;
} reach;

/* Whether a value of kind `k` changes what reaches the program: the first
 * GITHUB_TOKEN, else the first token that cannot be resolved. */
static bool reach_takes(const reach *r, ts_val_kind k)
{
	return is_token(k) && r->kind != TS_VAL_GITHUB_TOKEN &&
	       (k == TS_VAL_GITHUB_TOKEN || r->kind == TS_VAL_TEXT);
}

static void reach_add(reach *r, ts_val_kind k, const char *via)
{
	if (reach_takes(r, k)) {
		r->kind = k;
		r->via = via;
	}
}

/* Runs for every variable of every command's environment: the message is
 * written only for the variable that is taken, and once GITHUB_TOKEN is
 * found nothing later can change the answer. */
static bool reach_env(void *ud, const char *name, size_t len, ts_val_kind kind)
{
	reach *r = ud;
	if (!reach_takes(r, kind))
		return r->kind != TS_VAL_GITHUB_TOKEN;
	const char *n = ts_strndup(r->a, name, len);
	if (r->skip && in_list(n, r->skip))
		return true;
	reach_add(r, kind, ts_sprintf(r->a, "$%s in its environment", n));
	return r->kind != TS_VAL_GITHUB_TOKEN;
}

/* Whether GITHUB_TOKEN reaches argv[i]'s program: environment, arguments
 * or input. */
static reach token_reach(cmdx *cx, size_t i, const char *const *skip_env)
{
	reach r = {TS_VAL_TEXT, NULL, skip_env, cx->rs->a};
	ts_sh_env_creds(cx->scope, reach_env, &r);
	for (size_t k = i + 1; k < cx->argc; k++)
		reach_add(&r, cx->argv[k].kind,
			  cx->argv[k].kind == TS_VAL_GITHUB_TOKEN
			  ? "GITHUB_TOKEN on its command line" : "a token on its command line");
	if (cx->has_in)
		reach_add(&r, cx->in.kind, cx->in.kind == TS_VAL_GITHUB_TOKEN
			  ? "GITHUB_TOKEN on its input" : "a token on its input");
	return r;
}

/* A variable of the environment a program started now would see. */
static ts_sh_value env_value(cmdx *cx, const char *name, bool *found)
{
	return ts_sh_lookup(cx->scope, name, strlen(name), true, found);
}

/* ------------------------------------------------------------------ */
/* programs the code does not read                                      */

/* `tool` records decide; no record and the token in reach: unresolved. */
static void generic_as(cmdx *cx, size_t i, const char *name,
		       const char *const *skip_env)
{
	reach r = token_reach(cx, i, skip_env);
	if (r.kind == TS_VAL_TEXT)
		return;
	const char *base = base_name(cx, name);
	const char *what = i + 1 < cx->argc && cx->argv[i + 1].exact &&
			   cx->argv[i + 1].text[0] != '-'
			   ? ts_sprintf(cx->rs->a, "%s %s", base, arg(cx, i + 1))
			   : base;
	const ts_named_entry *t = ts_map_tool(cx->rs->ctx->map, base,
					      strlen(base));
	if (t && t->needs.nreqs == 0)
		return;
	if (!t) {
		add_unknown(cx, what, "runs %s with %s; the map has no `tool %s` record",
			    name, r.via, base);
		return;
	}
	if (r.kind == TS_VAL_UNKNOWN) {
		add_unknown(cx, what, "runs %s with a token that cannot be resolved (%s)",
			    name, r.via);
		return;
	}
	add_entry(cx, TS_FIND_NEED, t, any_pr(cx, i + 1), what);
}

static void generic(cmdx *cx, size_t i)
{
	if (!cx->argv[i].exact) {
		reach r = token_reach(cx, i, NULL);
		if (r.kind != TS_VAL_TEXT)
			add_unknown(cx, cx->argv[i].text,
				    "runs a command that cannot be resolved (%s) with %s",
				    cx->argv[i].text, r.via);
		return;
	}
	generic_as(cx, i, cx->argv[i].text, NULL);
}

/* ------------------------------------------------------------------ */
/* shell builtins                                                       */

static void do_assign_word(cmdx *cx, size_t i, bool exported)
{
	const ts_sh_word *w = &cx->cmd->words[i];
	ts_sh_assign as;
	if (ts_sh_split_assign(cx->rs->a, w, &as)) {
		/* the word was evaluated already: take the value from it */
		const char *eq = strchr(cx->argv[i].text, '=');
		ts_sh_value v = tail_of(&cx->argv[i], eq ? (size_t)(eq - cx->argv[i].text) + 1 : 0);
		if (as.append) {
			bool found;
			ts_sh_value old = ts_sh_lookup(cx->rs->cur, as.name, as.len,
						       false, &found);
			v.kind = ts_sh_join(old.kind, v.kind);
			v.text = ts_sprintf(cx->rs->a, "%s%s", old.text, v.text);
			v.exact = v.exact && old.exact;
		}
		ts_sh_set(cx->rs->cur, as.name, as.len, v, exported);
	} else if (exported && cx->argv[i].exact) {
		ts_sh_export(cx->rs->cur, cx->argv[i].text, strlen(cx->argv[i].text));
	}
}

/* export, declare, typeset, local, readonly: NAME=VALUE words. */
static void builtin_declare(cmdx *cx, size_t i, bool exported)
{
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (a[0] == '-' || a[0] == '+') {
			if (strchr(a, 'x') && a[0] == '-')
				exported = true;
			continue;
		}
		do_assign_word(cx, k, exported);
	}
}

static void builtin_set(cmdx *cx, size_t i)
{
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "--"))
			return;
		if (!strcmp(a, "-o") || !strcmp(a, "+o")) {
			if (arg_is(cx, k + 1, "allexport"))
				ts_sh_allexport(cx->rs->cur, a[0] == '-');
			k++;
		} else if ((a[0] == '-' || a[0] == '+') && strchr(a, 'a')) {
			ts_sh_allexport(cx->rs->cur, a[0] == '-');
		}
	}
}

static void builtin_unset(cmdx *cx, size_t i)
{
	for (size_t k = i + 1; k < cx->argc; k++)
		if (arg(cx, k)[0] != '-')
			ts_sh_unset(cx->rs->cur, arg(cx, k), strlen(arg(cx, k)));
}

/* read VAR..., mapfile VAR: the variables get what the input carries. */
static void builtin_read(cmdx *cx, size_t i)
{
	static const char *const valued[] = {"-p", "-d", "-t", "-n", "-N", "-u", "-i", NULL};
	ts_sh_value v = opaque(cx->has_in ? cx->in.kind : TS_VAL_TEXT);
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (a[0] == '-') {
			if (in_list(a, valued))
				k++;
			continue;
		}
		ts_sh_set(cx->rs->cur, a, strlen(a), v, false);
	}
}

/* printf -v VAR FORMAT ARGS */
static void builtin_printf(cmdx *cx, size_t i)
{
	size_t k = i + 1;
	const char *var = NULL;
	if (arg_is(cx, k, "-v")) {
		var = arg(cx, k + 1);
		k += 2;
	}
	ts_sh_value v = join_all(cx->rs->a, cx->argv + k, k < cx->argc ? cx->argc - k : 0, " ");
	if (var)
		ts_sh_set(cx->rs->cur, var, strlen(var), v, false);
	else
		cx->out = v;
}

static bool bash_builtin(cmdx *cx, size_t i, const char *name)
{
	static const char *const quiet[] = {
		"cd", "pushd", "popd", "dirs", "true", "false", ":", "exit",
		"return", "shift", "test", "[", "let", "wait", "break",
		"continue", "trap", "umask", "shopt", "alias", "unalias", "hash",
		"type", "getopts", "jobs", "bg", "fg", "disown", "ulimit",
		"times", "caller", "enable", "help", "history", "logout",
		"compgen", "complete", "pwd", "kill", "sleep", NULL
	};
	if (in_list(name, quiet))
		return true;
	if (!strcmp(name, "echo")) {
		size_t k = i + 1;
		while (k < cx->argc && cx->argv[k].exact && cx->argv[k].text[0] == '-' &&
		       strspn(cx->argv[k].text + 1, "neE") == strlen(cx->argv[k].text + 1) &&
		       cx->argv[k].text[1])
			k++;
		cx->out = join_all(cx->rs->a, cx->argv + k, cx->argc - k, " ");
	} else if (!strcmp(name, "printf")) {
		builtin_printf(cx, i);
	} else if (!strcmp(name, "export")) {
		builtin_declare(cx, i, true);
	} else if (!strcmp(name, "declare") || !strcmp(name, "typeset") ||
		   !strcmp(name, "local") || !strcmp(name, "readonly")) {
		builtin_declare(cx, i, false);
	} else if (!strcmp(name, "set")) {
		builtin_set(cx, i);
	} else if (!strcmp(name, "unset")) {
		builtin_unset(cx, i);
	} else if (!strcmp(name, "read") || !strcmp(name, "mapfile") ||
		   !strcmp(name, "readarray")) {
		builtin_read(cx, i);
	} else {
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* launchers: programs that start the command after them                */

/* VAR=value arguments (env, sudo) go into the command's environment. */
static size_t take_env_args(cmdx *cx, size_t k)
{
	ts_sh_assign as;
	while (k < cx->argc && ts_sh_split_assign(cx->rs->a, &cx->cmd->words[k], &as)) {
		const char *eq = strchr(cx->argv[k].text, '=');
		ts_sh_value v = tail_of(&cx->argv[k], eq ? (size_t)(eq - cx->argv[k].text) + 1 : 0);
		ts_sh_set(cx->scope, as.name, as.len, v, true);
		k++;
	}
	return k;
}

/* Skips a launcher's options; `valued` take the next word. */
static size_t skip_opts(const cmdx *cx, size_t k, const char *const *valued)
{
	while (k < cx->argc) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "--"))
			return k + 1;
		if (a[0] != '-' || !a[1])
			return k;
		k += (valued && in_list(a, valued)) ? 2 : 1;
	}
	return k;
}

static bool launcher(cmdx *cx, size_t i, const char *name)
{
	static const char *const sudo_v[] = {"-u", "-g", "-C", "-D", "-h", "-p", "-T", "-U", "-r", "-t", "--user", "--group", NULL};
	static const char *const env_v[] = {"-u", "-C", "-S", "--unset", "--chdir", "--split-string", NULL};
	static const char *const nice_v[] = {"-n", "--adjustment", NULL};
	static const char *const ionice_v[] = {"-c", "-n", "-t", NULL};
	static const char *const timeout_v[] = {"-s", "-k", "--signal", "--kill-after", NULL};
	static const char *const xargs_v[] = {"-I", "-n", "-L", "-P", "-d", "-E", "-s", "-a", "--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-lines", NULL};
	static const char *const exec_v[] = {"-a", NULL};
	static const char *const none[] = {NULL};
	size_t k;
	if (!strcmp(name, "sudo") || !strcmp(name, "doas"))
		k = take_env_args(cx, skip_opts(cx, i + 1, sudo_v));
	else if (!strcmp(name, "env"))
		k = take_env_args(cx, skip_opts(cx, i + 1, env_v));
	else if (!strcmp(name, "nice"))
		k = skip_opts(cx, i + 1, nice_v);
	else if (!strcmp(name, "ionice"))
		k = skip_opts(cx, i + 1, ionice_v);
	else if (!strcmp(name, "timeout"))
		k = skip_opts(cx, i + 1, timeout_v) + 1;   /* the duration */
	else if (!strcmp(name, "xargs"))
		k = skip_opts(cx, i + 1, xargs_v);
	else if (!strcmp(name, "exec"))
		k = skip_opts(cx, i + 1, exec_v);
	else if (!strcmp(name, "time") || !strcmp(name, "nohup") ||
		 !strcmp(name, "command") || !strcmp(name, "builtin") ||
		 !strcmp(name, "stdbuf") || !strcmp(name, "chronic") ||
		 !strcmp(name, "unbuffer"))
		k = skip_opts(cx, i + 1, none);
	else
		return false;
	if (!strcmp(name, "command") && (arg_is(cx, i + 1, "-v") || arg_is(cx, i + 1, "-V")))
		return true;
	if (k < cx->argc)
		dispatch(cx, k);
	else if (!strcmp(name, "env")) {
		/* env alone prints the environment */
		reach r = token_reach(cx, i, NULL);
		cx->out = opaque(r.kind);
	}
	return true;
}

/* find ... -exec CMD ... ; -- find itself reads no token; what it runs may. */
static bool find_exec(cmdx *cx, size_t i, const char *name)
{
	static const char *const execs[] = {"-exec", "-execdir", "-ok", "-okdir", NULL};
	if (strcmp(name, "find") && strcmp(name, "gfind"))
		return false;
	for (size_t k = i + 1; k < cx->argc; k++) {
		if (!in_list(arg(cx, k), execs))
			continue;
		size_t end = k + 1;
		while (end < cx->argc && strcmp(arg(cx, end), ";") && strcmp(arg(cx, end), "+"))
			end++;
		cmdx sub = *cx;
		sub.argc = end;
		dispatch(&sub, k + 1);
		k = end;
	}
	return true;
}

/* Runs `text` as a script of language `lang` in this command's scope. */
static void run_text(cmdx *cx, ts_sh_lang lang, const ts_sh_value *text,
		     const char *what)
{
	/* code carrying a token cannot be read back; code that is only the
	 * output of another program cannot be read at all */
	bool opaque_code = text->kind == TS_VAL_TEXT && !text->exact &&
			   text->text[0] == '{' && !strchr(text->text, ' ');
	if (text->kind != TS_VAL_TEXT || opaque_code) {
		reach r = token_reach(cx, 0, NULL);
		if (is_token(text->kind) || r.kind != TS_VAL_TEXT)
			add_unknown(cx, what, "%s runs code that cannot be read (%s) with %s",
				    what, text->text,
				    is_token(text->kind) ? "GITHUB_TOKEN in it" : r.via);
		return;
	}
	run_state *rs = cx->rs;
	if (rs->depth >= TS_RUN_MAX_DEPTH)
		return;
	const ts_sh_list *l = ts_sh_parse(rs->a, lang, text->text, strlen(text->text));
	ts_sh_lang save = rs->lang;
	ts_sh_scope *cur = rs->cur;
	int off = rs->line_off;
	rs->lang = lang;
	rs->line_off += cx->cmd->line;
	rs->depth++;
	ts_sh_value out;
	ts_sh_scope *sc = ts_sh_scope_child(cx->scope);
	/* lines inside the text are relative to its own start */
	analyze_list(rs, l, sc, &out);
	rs->depth--;
	rs->lang = save;
	rs->cur = cur;
	rs->line_off = off;
	cx->out = out;
}

static bool is_interpreter(const char *name)
{
	static const char *const interp[] = {
		"python", "python2", "python3", "node", "ruby", "perl", "php",
		"deno", "bun", "Rscript", "lua", "tclsh", "groovy", "java", NULL
	};
	if (in_list(name, interp))
		return true;
	return starts(name, "python3.");
}

/* The option that gives an interpreter its code inline: bash -c, perl -pe,
 * node -e, pwsh -Command. */
static bool inline_opt(const char *name, const char *a, bool sh, bool ps)
{
	if (ps)
		return !strcasecmp(a, "-c") || !strcasecmp(a, "-Command") ||
		       !strcasecmp(a, "-EncodedCommand") || !strcasecmp(a, "-ec");
	if (a[0] != '-' || !a[1])
		return false;
	if (a[1] == '-')
		return !strcmp(a, "--eval") || !strcmp(a, "--print") ||
		       !strcmp(a, "--command");
	if (sh || starts(name, "python"))
		return strchr(a + 1, 'c') != NULL;
	if (!strcmp(name, "node") || !strcmp(name, "deno") || !strcmp(name, "bun"))
		return strchr(a + 1, 'e') || strchr(a + 1, 'p');
	return strchr(a + 1, 'e') != NULL;
}

/* bash -c TEXT, sh FILE, bash <<EOF; pwsh -Command TEXT; python -m MOD;
 * deno run FILE: the program that reads the token is the code run. */
static bool interpreter(cmdx *cx, size_t i, const char *name)
{
	static const char *const shells[] = {"bash", "sh", "dash", "zsh", "ksh", NULL};
	static const char *const valued[] = {"-o", "-O", "--rcfile", "--init-file", "-W", "-X", "-I", "--import-map", "--config", "-ExecutionPolicy", NULL};
	bool sh = in_list(name, shells);
	bool ps = !strcasecmp(name, "pwsh") || !strcasecmp(name, "powershell");
	if (!sh && !ps && !is_interpreter(name))
		return false;
	size_t k = i + 1;
	if ((!strcmp(name, "deno") || !strcmp(name, "bun")) && arg_is(cx, k, "run"))
		k++;
	for (; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (inline_opt(name, a, sh, ps)) {
			if ((sh || ps) && k + 1 < cx->argc)
				run_text(cx, sh ? TS_SH_BASH : TS_SH_PWSH, &cx->argv[k + 1], name);
			else
				generic_as(cx, i, name, NULL);
			return true;
		}
		if (!strcmp(a, "-m") && k + 1 < cx->argc) {
			generic_as(cx, k + 1, arg(cx, k + 1), NULL);
			return true;
		}
		if (a[0] != '-')
			break;
		if (in_list_ci(a, valued) || (ps && !strcasecmp(a, "-File")))
			k += !(ps && !strcasecmp(a, "-File"));
	}
	if (k < cx->argc)
		generic_as(cx, k, arg(cx, k), NULL);    /* the script it runs */
	else if (sh && cx->has_in && cx->cmd->nredirs)
		run_text(cx, TS_SH_BASH, &cx->in, name);
	else
		generic_as(cx, i, name, NULL);
	return true;
}

/* eval ARGS; source FILE / . FILE */
static bool shell_code(cmdx *cx, size_t i, const char *name)
{
	if (!strcmp(name, "eval")) {
		ts_sh_value text = join_all(cx->rs->a, cx->argv + i + 1,
					    cx->argc - i - 1, " ");
		run_text(cx, TS_SH_BASH, &text, "eval");
		return true;
	}
	if (strcmp(name, "source") && strcmp(name, "."))
		return false;
	if (i + 1 < cx->argc)
		generic_as(cx, i + 1, arg(cx, i + 1), NULL);
	return true;
}

/* ------------------------------------------------------------------ */
/* URLs                                                                 */

typedef enum host_kind {
	HOST_API,       /* REST: api.github.com, GHES /api/v3, uploads */
	HOST_GRAPHQL,   /* /graphql on the API host */
	HOST_GITHUB,    /* github.com and GitHub's other hosts: not the API */
	HOST_OTHER,     /* somebody else's server */
	HOST_UNKNOWN    /* cannot be resolved */
} host_kind;

typedef struct url_info {
	host_kind kind;
	const char *host;
	const char *path;       /* HOST_API: the API path, "/repos/..." */
	bool userinfo;          /* user[:password]@ in the authority */
	bool ssh;               /* git@host:path or ssh:// */
} url_info;

/* Variables that hold "owner/repo" when they stand for a repository. */
static bool repoish(const char *seg, size_t n)
{
	if (n < 3 || seg[0] != '{' || seg[n - 1] != '}')
		return false;
	const char *s = seg + 1;
	size_t m = n - 2;
	char low[128];
	if (m >= sizeof(low))
		return false;
	for (size_t i = 0; i < m; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[m] = '\0';
	if (strstr(low, "full_name") || strstr(low, "slug"))
		return true;
	return strstr(low, "repo") && !strstr(low, "name") &&
	       !strstr(low, "owner") && !strstr(low, "org") &&
	       !strstr(low, "user") && !strstr(low, "id");
}

/* A concrete path for the map: no query, no empty segments, and a
 * repository variable right after /repos/ taken as its two segments. */
static const char *api_path(ts_arena *a, const char *p, size_t n)
{
	size_t q = 0;
	while (q < n && p[q] != '?' && p[q] != '#')
		q++;
	ts_buf b;
	ts_buf_init(&b, a);
	size_t i = 0;
	int seg = 0;
	bool after_repos = false;
	while (i < q) {
		while (i < q && p[i] == '/')
			i++;
		size_t j = i;
		while (j < q && p[j] != '/')
			j++;
		if (j == i)
			break;
		ts_buf_adds(&b, "/");
		if (after_repos && seg == 1 && repoish(p + i, j - i))
			ts_buf_adds(&b, "{owner}/{repo}");
		else
			ts_buf_add(&b, p + i, j - i);
		if (seg == 0)
			after_repos = ts_streq(p + i, j - i, "repos");
		seg++;
		i = j;
	}
	if (!b.len)
		ts_buf_adds(&b, "/");
	return ts_buf_cstr(&b);
}

static bool host_is(const char *h, const char *name)
{
	size_t n = strlen(h), m = strlen(name);
	return (n == m && !strcasecmp(h, name)) ||
	       (n > m && h[n - m - 1] == '.' && !strcasecmp(h + n - m, name));
}

/* scheme://user:pass@host:port/path: sets host, userinfo and ssh; returns
 * where the path starts. */
static const char *split_authority(ts_arena *a, const char *url, url_info *u)
{
	const char *rest = url, *sep = strstr(url, "://");
	if (sep) {
		u->ssh = starts_ci(url, "ssh:");
		rest = sep + 3;
	}
	size_t alen = strcspn(rest, "/?#");
	const char *hs = rest;
	for (const char *x = rest; x < rest + alen; x++)
		if (*x == '@') {
			u->userinfo = true;
			hs = x + 1;
		}
	size_t hl = alen - (size_t)(hs - rest);
	const char *colon = memchr(hs, ':', hl);
	if (colon) {
		u->ssh |= !sep && u->userinfo;    /* git@github.com:owner/repo */
		hl = (size_t)(colon - hs);
	}
	u->host = ts_strndup(a, hs, hl);
	return rest + alen;
}

static host_kind host_of(const char *host, const char **path)
{
	if (host_is(host, "api.github.com") || !strcasecmp(host, "uploads.github.com") ||
	    (starts_ci(host, "api.") && host_is(host, "ghe.com")))
		return HOST_API;
	/* GitHub Enterprise Server: the API under /api/v3, uploads, graphql */
	if (starts(*path, "/api/v3/") || !strcmp(*path, "/api/v3")) {
		*path += 7;
		return HOST_API;
	}
	if (starts(*path, "/api/uploads/")) {
		*path += 12;
		return HOST_API;
	}
	if (starts(*path, "/api/graphql"))
		return HOST_GRAPHQL;
	if (host_is(host, "github.com") || host_is(host, "githubusercontent.com") ||
	    host_is(host, "ghcr.io") || host_is(host, "ghe.com") ||
	    host_is(host, "githubapp.com"))
		return HOST_GITHUB;
	return HOST_OTHER;
}

static url_info classify_url(ts_arena *a, const char *url)
{
	url_info u = {0};
	const char *path = split_authority(a, url, &u);
	if (!u.host[0] || strchr(u.host, '{') || strchr(u.host, '$')) {
		u.kind = HOST_UNKNOWN;
		return u;
	}
	u.kind = host_of(u.host, &path);
	u.path = api_path(a, path, strlen(path));
	if (u.kind == HOST_API && !strcmp(u.path, "/graphql"))
		u.kind = HOST_GRAPHQL;
	return u;
}

/* ------------------------------------------------------------------ */
/* request bodies and GraphQL                                           */

static size_t json_ws(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

/* Reads a JSON string at s[i] == '"'; returns the index after it. */
static size_t json_string(const char *s, size_t i, ts_buf *out)
{
	for (i++; s[i] && s[i] != '"'; i++) {
		char c = s[i];
		if (c == '\\' && s[i + 1]) {
			char e = s[++i];
			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' :
			    e == 'b' || e == 'f' ? ' ' : e;
			if (e == 'u') {       /* \uXXXX: only ASCII matters here */
				c = ' ';
				for (int h = 0; h < 4 && isxdigit((unsigned char)s[i + 1]); h++)
					i++;
			}
		}
		if (out)
			ts_buf_add(out, &c, 1);
	}
	return s[i] ? i + 1 : i;
}

/* Steps over one JSON value; 0 when the text is not JSON. */
static size_t json_skip(const char *s, size_t i)
{
	i = json_ws(s, i);
	if (s[i] == '"')
		return json_string(s, i, NULL);
	if (s[i] != '{' && s[i] != '[') {
		size_t j = i;
		while (s[j] && !strchr(",}] \t\r\n", s[j]))
			j++;
		return j > i ? j : 0;
	}
	int depth = 0;
	for (; s[i]; i++) {
		if (s[i] == '"') {
			i = json_string(s, i, NULL) - 1;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if ((s[i] == '}' || s[i] == ']') && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

/* The "query" member of a JSON object; NULL when there is none. */
static const char *json_query(ts_arena *a, const char *s)
{
	size_t i = json_ws(s, 0);
	if (s[i] != '{')
		return NULL;
	i = json_ws(s, i + 1);
	while (s[i] == '"') {
		ts_buf key;
		ts_buf_init(&key, a);
		i = json_ws(s, json_string(s, i, &key));
		if (s[i] != ':')
			return NULL;
		i = json_ws(s, i + 1);
		if (!strcmp(ts_buf_cstr(&key), "query") && s[i] == '"') {
			ts_buf q;
			ts_buf_init(&q, a);
			json_string(s, i, &q);
			return ts_buf_cstr(&q);
		}
		size_t j = json_skip(s, i);
		if (!j)
			return NULL;
		i = json_ws(s, j);
		if (s[i] != ',')
			return NULL;
		i = json_ws(s, i + 1);
	}
	return NULL;
}

/* A query with values the script fills in: each `{NAME}` placeholder
 * becomes 0, a GraphQL value that is no field name, so an unknown part can
 * never be read as a field. (`{id}` written without spaces is taken too;
 * that can only make a query unreadable, never change its fields.) */
static const char *gql_neutral(ts_arena *a, const char *q)
{
	ts_buf b;
	ts_buf_init(&b, a);
	for (const char *p = q; *p;) {
		size_t n = *p == '{' ? strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
					      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") : 0;
		if (n && p[n + 1] == '}') {
			ts_buf_adds(&b, "0");
			p += n + 2;
		} else {
			ts_buf_add(&b, p++, 1);
		}
	}
	return ts_buf_cstr(&b);
}

/* One finding for a GraphQL document: every top-level field's needs. */
static void graphql_need(cmdx *cx, const char *tool, const char *query,
			 bool exact, bool pr)
{
	const char *what = ts_sprintf(cx->rs->a, "%s graphql", tool);
	if (!query) {
		add_unknown(cx, what, "%s: the GraphQL query cannot be read from the command line", what);
		return;
	}
	if (!exact)
		query = gql_neutral(cx->rs->a, query);
	ts_gql_field *f;
	size_t n;
	if (ts_graphql_fields(cx->rs->a, query, strlen(query), &f, &n) < 0 || !n) {
		add_unknown(cx, what, "%s: the GraphQL document cannot be read", what);
		return;
	}
	ts_needs needs = {NULL, 0};
	ts_origin origin = {0};
	ts_buf w;
	ts_buf_init(&w, cx->rs->a);
	ts_buf_addf(&w, "%s %s ", what, f[0].mutation ? "mutation" : "query");
	size_t shown = 0;
	for (size_t k = 0; k < n; k++) {
		if (starts(f[k].name, "__"))
			continue;    /* introspection needs nothing */
		const ts_named_entry *e = ts_map_graphql(cx->rs->ctx->map, f[k].mutation,
							 f[k].name, strlen(f[k].name));
		if (!e) {
			add_unknown(cx, what, "%s: the map has no record for GraphQL %s %s",
				    what, f[k].mutation ? "mutation" : "query", f[k].name);
			return;
		}
		needs = needs_join(cx->rs->a, needs, e->needs);
		if (!shown)
			origin = e->origin;
		ts_buf_addf(&w, "%s%s", shown++ ? "," : "", f[k].name);
	}
	ts_finding *x = add_finding(cx, TS_FIND_NEED, ts_buf_cstr(&w));
	x->needs = needs;
	x->origin = origin;
	x->pr_number = pr;
}

static bool path_has_pulls(const char *path)
{
	return strstr(path, "/pulls/") || ends(path, "/pulls");
}

/* A REST operation: the map entry for (verb, path) or unresolved. */
static void rest_need(cmdx *cx, const char *tool, const char *verb,
		      const char *path, bool pr)
{
	const ts_map *m = cx->rs->ctx->map;
	const ts_rest_entry *e = ts_map_rest(m, verb, path, strlen(path));
	if (!e && !strcmp(verb, "HEAD"))
		e = ts_map_rest(m, "GET", path, strlen(path));
	if (!e) {
		const char *what = ts_sprintf(cx->rs->a, "%s %s %s", tool, verb, path);
		add_unknown(cx, what, "%s: the map has no REST record for it", what);
		return;
	}
	ts_finding *x = add_finding(cx, TS_FIND_NEED,
				    ts_sprintf(cx->rs->a, "%s %s %s", tool, verb, e->path));
	x->needs = e->needs;
	x->origin = e->origin;
	x->pr_number = pr || path_has_pulls(e->path);
}

/* ------------------------------------------------------------------ */
/* HTTP clients: curl, wget, Invoke-RestMethod                          */

typedef struct http_req {
	const char *tool;
	const char *method;     /* given explicitly */
	bool data, upload, head, get;
	const ts_sh_value *urls[8];
	size_t nurls;
	ts_val_kind auth;       /* joined over the credentials given */
	bool has_auth, auth_inexact;
	ts_val_kind elsewhere;  /* the token in the body, a cookie, ... */
	const ts_sh_value *body;
} http_req;

static void http_auth(http_req *r, const ts_sh_value *v)
{
	r->has_auth = true;
	r->auth = ts_sh_join(r->auth, v->kind);
	if (v->kind == TS_VAL_TEXT && !v->exact)
		r->auth_inexact = true;
}

/* A header names Authorization, or carries a credential, or cannot be
 * read at all (a whole header from a variable). */
static void http_header(http_req *r, const ts_sh_value *v)
{
	if (starts_ci(v->text, "authorization") || v->kind != TS_VAL_TEXT ||
	    v->text[0] == '{')
		http_auth(r, v);
}

static void http_url(http_req *r, const ts_sh_value *v)
{
	if (r->nurls < sizeof(r->urls) / sizeof(r->urls[0]))
		r->urls[r->nurls++] = v;
}

static void http_elsewhere(http_req *r, const ts_sh_value *v)
{
	r->elsewhere = ts_sh_join(r->elsewhere, v->kind);
}

static const char *http_method(const http_req *r, ts_arena *a)
{
	if (r->method) {
		char *m = ts_strdup(a, r->method);
		for (char *p = m; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		return m;
	}
	if (r->head)
		return "HEAD";
	if (r->upload)
		return "PUT";
	return r->data && !r->get ? "POST" : "GET";
}

/* The request body as text: `@-` is the input, `@file` a file. */
static const char *http_body(cmdx *cx, const http_req *r, bool *exact)
{
	if (!r->body)
		return NULL;
	const char *b = r->body->text;
	*exact = r->body->exact;
	if (!strcmp(b, "@-")) {
		*exact = cx->in.exact;
		return cx->has_in ? cx->in.text : NULL;
	}
	if (b[0] == '@')
		return NULL;
	return b;
}

static void http_one(cmdx *cx, const http_req *r, const ts_sh_value *url)
{
	ts_arena *a = cx->rs->a;
	url_info u = classify_url(a, url->text);
	ts_val_kind cred = ts_sh_join(r->auth, url->kind);
	bool token = cred == TS_VAL_GITHUB_TOKEN;
	bool maybe = cred == TS_VAL_UNKNOWN || is_token(r->elsewhere);
	bool unresolved = maybe || (r->auth_inexact && cred == TS_VAL_TEXT);
	if (!token && !unresolved)
		return;
	const char *what = ts_sprintf(a, "%s %s", r->tool, url->text);
	switch (u.kind) {
	case HOST_OTHER:
	case HOST_GITHUB:
		if (token || maybe)
			add_unknown(cx, what, "%s sends %s to %s, which is not GitHub's API",
				    r->tool, token ? "GITHUB_TOKEN" : "a token that cannot be resolved",
				    u.host);
		return;
	case HOST_UNKNOWN:
		if (token || maybe)
			add_unknown(cx, what, "%s sends %s to a URL that cannot be resolved (%s)",
				    r->tool, token ? "GITHUB_TOKEN" : "a token", url->text);
		return;
	case HOST_API:
	case HOST_GRAPHQL:
		break;
	}
	if (!token || r->elsewhere == TS_VAL_UNKNOWN) {
		add_unknown(cx, what, "%s to GitHub's API with a credential that cannot be resolved",
			    r->tool);
		return;
	}
	bool pr = url->pull_request;
	if (u.kind == HOST_GRAPHQL) {
		bool exact = true;
		const char *body = http_body(cx, r, &exact);
		graphql_need(cx, r->tool, body ? json_query(a, body) : NULL, exact, pr);
		return;
	}
	rest_need(cx, r->tool, http_method(r, a), u.path, pr);
}

static void http_decide(cmdx *cx, const http_req *r)
{
	for (size_t k = 0; k < r->nurls; k++) {
		if (r->urls[k]->oidc)
			continue;     /* the OIDC request, seen by the script scan */
		http_one(cx, r, r->urls[k]);
	}
}

static void curl_opt(http_req *r, const char *name, const ts_sh_value *v)
{
	if (!v)
		return;
	if (!strcmp(name, "--request"))
		r->method = v->text;
	else if (!strcmp(name, "--header"))
		http_header(r, v);
	else if (!strcmp(name, "--user") || !strcmp(name, "--oauth2-bearer"))
		http_auth(r, v);
	else if (!strcmp(name, "--url"))
		http_url(r, v);
	else if (!strcmp(name, "--upload-file"))
		r->upload = true;
	else if (starts(name, "--data") || !strcmp(name, "--json")) {
		r->data = true;
		r->body = v;
		http_elsewhere(r, v);
	} else if (starts(name, "--form")) {
		r->data = true;
		http_elsewhere(r, v);
	} else {
		http_elsewhere(r, v);
	}
}

static const char *curl_long_of(char c)
{
	switch (c) {
	case 'X': return "--request";
	case 'H': return "--header";
	case 'u': return "--user";
	case 'd': return "--data";
	case 'F': return "--form";
	case 'T': return "--upload-file";
	default: return "--other";
	}
}

static bool curl_valued(const char *name)
{
	static const char *const v[] = {
		"--data", "--data-raw", "--data-binary", "--data-ascii",
		"--data-urlencode", "--json", "--form", "--form-string",
		"--header", "--proxy-header", "--user", "--oauth2-bearer",
		"--request", "--url", "--output", "--upload-file", "--user-agent",
		"--referer", "--cookie", "--cookie-jar", "--max-time",
		"--connect-timeout", "--retry", "--retry-delay", "--retry-max-time",
		"--write-out", "--config", "--cacert", "--capath", "--cert", "--key",
		"--cert-type", "--key-type", "--pass", "--proxy", "--proxy-user",
		"--resolve", "--connect-to", "--limit-rate", "--range",
		"--continue-at", "--dump-header", "--max-filesize", "--output-dir",
		"--interface", "--dns-servers", "--local-port", "--max-redirs",
		"--noproxy", "--aws-sigv4", "--variable", "--trace", "--trace-ascii",
		"--stderr", "--unix-socket", "--url-query", "--time-cond",
		"--expect100-timeout", "--keepalive-time", "--ciphers", "--tls-max",
		"--rate", "--netrc-file", "--preproxy", "--socks5",
		"--socks5-hostname", "--happy-eyeballs-timeout-ms", "--quote",
		"--create-file-mode", "--parallel-max", "--retry-connrefused-delay",
		NULL
	};
	return in_list(name, v);
}

static void curl_short(cmdx *cx, http_req *r, size_t *k)
{
	static const char valued[] = "AbcCdDeEFHKmoPQrtTuUwxXyYz";
	const char *a = arg(cx, *k);
	const ts_sh_value *v = &cx->argv[*k];
	for (size_t j = 1; a[j]; j++) {
		char c = a[j];
		if (c == 'I')
			r->head = true;
		else if (c == 'G')
			r->get = true;
		if (!strchr(valued, c))
			continue;
		ts_sh_value *val = NULL;
		if (a[j + 1]) {
			val = ts_alloc(cx->rs->a, sizeof(*val));
			*val = tail_of(v, j + 1);
		} else if (*k + 1 < cx->argc) {
			val = &cx->argv[++*k];
		}
		curl_opt(r, curl_long_of(c), val);
		return;
	}
}

static void analyze_curl(cmdx *cx, size_t i)
{
	http_req r = {0};
	r.tool = "curl";
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "--")) {
			while (++k < cx->argc)
				http_url(&r, &cx->argv[k]);
			break;
		}
		if (starts(a, "--")) {
			if (!strcmp(a, "--head"))
				r.head = true;
			else if (!strcmp(a, "--get"))
				r.get = true;
			else if (curl_valued(a))
				curl_opt(&r, a, k + 1 < cx->argc ? &cx->argv[++k] : NULL);
		} else if (a[0] == '-' && a[1] && cx->argv[k].exact) {
			curl_short(cx, &r, &k);
		} else {
			http_url(&r, &cx->argv[k]);
		}
	}
	http_decide(cx, &r);
}

/* wget's options that carry a user name or a password (GNU Wget manual,
 * "Download Options" and "HTTP Options"); --user-agent is not one. */
static const char *const wget_credentials[] = {
	"--user", "--password", "--http-user", "--http-password", "--proxy-user",
	"--proxy-password", "--ftp-user", "--ftp-password", NULL,
};

static void wget_opt(http_req *r, const char *name, const ts_sh_value *v)
{
	if (!strcmp(name, "--header"))
		http_header(r, v);
	else if (!strcmp(name, "--method"))
		r->method = v->text;
	else if (!strcmp(name, "--post-data") || !strcmp(name, "--post-file")) {
		r->data = true;
		r->body = v;
		http_elsewhere(r, v);
	} else if (!strcmp(name, "--body-data") || !strcmp(name, "--body-file")) {
		r->body = v;
		http_elsewhere(r, v);
	} else if (in_list(name, wget_credentials)) {
		http_auth(r, v);
	} else {
		http_elsewhere(r, v);
	}
}

static void analyze_wget(cmdx *cx, size_t i)
{
	static const char *const valued[] = {
		"--header", "--method", "--post-data", "--post-file", "--body-data",
		"--body-file", "--user", "--password", "--http-user",
		"--http-password", "--output-document", "--output-file",
		"--directory-prefix", "--tries", "--timeout", "--wait",
		"--user-agent", "--load-cookies", "--save-cookies", "--input-file",
		"-O", "-o", "-a", "-t", "-T", "-w", "-e", "-P", "-U", "-i", "-B",
		"-Q", "-l", "-D", "-A", "-R", "-X", "-I", NULL
	};
	http_req r = {0};
	r.tool = "wget";
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		const char *eq = strchr(a, '=');
		if (starts(a, "--") && eq) {
			ts_sh_value *v = ts_alloc(cx->rs->a, sizeof(*v));
			*v = tail_of(&cx->argv[k], (size_t)(eq - a) + 1);
			wget_opt(&r, ts_strndup(cx->rs->a, a, (size_t)(eq - a)), v);
		} else if (in_list(a, valued) && k + 1 < cx->argc) {
			wget_opt(&r, a, &cx->argv[++k]);
		} else if (!strcmp(a, "--spider")) {
			r.head = true;
		} else if (a[0] != '-') {
			http_url(&r, &cx->argv[k]);
		}
	}
	http_decide(cx, &r);
}

/* Invoke-RestMethod / Invoke-WebRequest: -Name value or -Name:value. */
static void irm_param(http_req *r, const char *name, const ts_sh_value *v)
{
	if (!strcasecmp(name, "-Uri"))
		http_url(r, v);
	else if (!strcasecmp(name, "-Method") || !strcasecmp(name, "-CustomMethod"))
		r->method = v->text;
	else if (!strcasecmp(name, "-Headers"))
		http_header(r, v);
	else if (!strcasecmp(name, "-Token") || !strcasecmp(name, "-Credential"))
		http_auth(r, v);
	else if (!strcasecmp(name, "-Body")) {
		r->body = v;
		http_elsewhere(r, v);
	} else if (!strcasecmp(name, "-Form")) {
		http_elsewhere(r, v);
	}
}

static void analyze_irm(cmdx *cx, size_t i)
{
	static const char *const switches[] = {
		"-UseBasicParsing", "-SkipCertificateCheck", "-SkipHttpErrorCheck",
		"-AllowUnencryptedAuthentication", "-PassThru", "-Resume",
		"-DisableKeepAlive", "-NoProxy", "-FollowRelLink",
		"-SkipHeaderValidation", "-PreserveAuthorizationOnRedirect",
		"-AllowInsecureRedirect", NULL
	};
	http_req r = {0};
	r.tool = cx->argv[i].text;
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (a[0] != '-' || !cx->argv[k].exact || !isalpha((unsigned char)a[1])) {
			http_url(&r, &cx->argv[k]);
			continue;
		}
		const char *colon = strchr(a, ':');
		if (colon) {
			ts_sh_value *v = ts_alloc(cx->rs->a, sizeof(*v));
			*v = tail_of(&cx->argv[k], (size_t)(colon - a) + 1);
			irm_param(&r, ts_strndup(cx->rs->a, a, (size_t)(colon - a)), v);
		} else if (!in_list_ci(a, switches) && k + 1 < cx->argc) {
			irm_param(&r, a, &cx->argv[++k]);
		}
	}
	http_decide(cx, &r);
}

/* ------------------------------------------------------------------ */
/* gh                                                                   */

static void store(cmdx *cx, stored *st, ts_val_kind kind, const char *where)
{
	st->set = true;
	st->kind = kind;
	st->line = cx->line;
	st->used = false;
	st->where = where;
}

static bool gh_enterprise(cmdx *cx, const char *hostname)
{
	bool found;
	const char *h = hostname;
	if (!h) {
		ts_sh_value v = env_value(cx, "GH_HOST", &found);
		h = found && v.exact ? v.text : NULL;
	}
	return h && h[0] && strcasecmp(h, "github.com") != 0;
}

/* The token gh uses: GH_TOKEN, then GITHUB_TOKEN (for a GHES host the
 * _ENTERPRISE_ pair), then a login the script stored. */
static ts_sh_value gh_token(cmdx *cx, bool enterprise, bool *found)
{
	static const char *const dotcom[] = {"GH_TOKEN", "GITHUB_TOKEN", NULL};
	static const char *const ghes[] = {"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", NULL};
	for (const char *const *n = enterprise ? ghes : dotcom; *n; n++) {
		ts_sh_value v = env_value(cx, *n, found);
		if (*found && !(v.exact && !v.text[0]))
			return v;
	}
	*found = cx->rs->gh.set;
	ts_sh_value v = opaque(cx->rs->gh.kind);
	v.text = "{gh login}";
	return v;
}

/* Proceeds only with GITHUB_TOKEN; a token that may be it is unresolved. */
static bool gh_gate(cmdx *cx, const char *what, bool enterprise)
{
	bool found;
	ts_sh_value t = gh_token(cx, enterprise, &found);
	if (!found || t.kind == TS_VAL_SECRET || (t.kind == TS_VAL_TEXT && t.exact))
		return false;
	if (t.kind != TS_VAL_GITHUB_TOKEN) {
		add_unknown(cx, what, "%s with a token that cannot be resolved (%s)",
			    what, t.text);
		return false;
	}
	return true;
}

static bool all_alpha(const char *s)
{
	for (; *s; s++)
		if (!isalpha((unsigned char)*s))
			return false;
	return true;
}

static bool gh_flag_present(const cmdx *cx, size_t from, const char *flag)
{
	size_t fl = strlen(flag);
	for (size_t k = from; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!cx->argv[k].exact || a[0] != '-')
			continue;
		if (!strcmp(a, flag))
			return true;
		if (flag[1] == '-' && !strncmp(a, flag, fl) && a[fl] == '=')
			return true;
		/* bool shorthands combine: -ds */
		if (flag[1] != '-' && fl == 2 && a[1] != '-' && strlen(a) > 2 &&
		    all_alpha(a + 1) && strchr(a + 1, flag[1]))
			return true;
	}
	return false;
}

/* gh auth token | login --with-token | setup-git: where gh's token goes. */
static bool gh_auth(cmdx *cx, size_t i, const char *sub)
{
	bool found;
	if (!strcmp(sub, "token")) {
		ts_sh_value t = gh_token(cx, gh_enterprise(cx, NULL), &found);
		cx->out = found ? t : opaque(TS_VAL_TEXT);
		return true;
	}
	if (!strcmp(sub, "login")) {
		if (gh_flag_present(cx, i, "--with-token") && cx->has_in)
			store(cx, &cx->rs->gh, cx->in.kind, "gh's login");
		return true;
	}
	if (!strcmp(sub, "setup-git")) {
		ts_sh_value t = gh_token(cx, gh_enterprise(cx, NULL), &found);
		cx->rs->git_via_gh = true;
		if (found)
			store(cx, &cx->rs->git, t.kind, "git's credential helper (gh auth setup-git)");
		return true;
	}
	return !strcmp(sub, "logout");
}

static void gh_api(cmdx *cx, size_t i);

/* The base record for the longest subcommand found, plus its flags. */
static void gh_need(cmdx *cx, size_t i, const char *const *words, size_t nw)
{
	const ts_map *m = cx->rs->ctx->map;
	const ts_named_entry *e = NULL;
	const char *key = NULL;
	for (size_t n = nw; n > 0 && !e; n--) {
		ts_sh_value parts[3];
		for (size_t k = 0; k < n; k++)
			parts[k] = ts_sh_text(words[k]);
		key = join_all(cx->rs->a, parts, n, " ").text;
		e = ts_map_gh(m, key);
	}
	const char *what = ts_sprintf(cx->rs->a, "gh %s", e ? key : words[0]);
	if (!gh_gate(cx, what, gh_enterprise(cx, NULL)))
		return;
	if (!e) {
		add_unknown(cx, what, "%s: the map has no record for this gh subcommand", what);
		return;
	}
	const ts_named_entry *fl[TS_RUN_MAX_FLAGS];
	unsigned nf = ts_map_gh_flags(m, key, fl, TS_RUN_MAX_FLAGS);
	ts_needs needs = e->needs;
	for (unsigned f = 0; f < nf && f < TS_RUN_MAX_FLAGS; f++) {
		const char *flag = fl[f]->key + strlen(key) + 1;
		if (!gh_flag_present(cx, i + 1, flag))
			continue;
		needs = needs_join(cx->rs->a, needs, fl[f]->needs);
		what = ts_sprintf(cx->rs->a, "%s %s", what, flag);
	}
	ts_finding *x = add_finding(cx, TS_FIND_NEED, what);
	x->needs = needs;
	x->origin = e->origin;
	x->pr_number = starts(key, "pr ") || any_pr(cx, i + 1);
}

static void analyze_gh(cmdx *cx, size_t i)
{
	static const char *const local[] = {
		"help", "version", "completion", "config", "alias", "--version",
		"--help", NULL
	};
	const char *words[3];
	size_t nw = 0;
	for (size_t k = i + 1; k < cx->argc && nw < 3; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "-R") || !strcmp(a, "--repo")) {
			k++;
			continue;
		}
		if (starts(a, "--repo=") || (nw == 0 && a[0] == '-' && strcmp(a, "--version") && strcmp(a, "--help")))
			continue;
		if (a[0] == '-' && nw)
			break;
		if (!cx->argv[k].exact)
			break;
		words[nw++] = a;
	}
	if (!nw || in_list(words[0], local))
		return;
	if (!strcmp(words[0], "api")) {
		gh_api(cx, i);
		return;
	}
	if (!strcmp(words[0], "auth") && gh_auth(cx, i, nw > 1 ? words[1] : ""))
		return;
	gh_need(cx, i, words, nw);
}

/* gh api's endpoint: placeholders made map segments, host and prefix gone. */
static const char *gh_api_path(cmdx *cx, const ts_sh_value *ep, bool *api)
{
	ts_arena *a = cx->rs->a;
	*api = true;
	if (strstr(ep->text, "://")) {
		url_info u = classify_url(a, ep->text);
		*api = u.kind == HOST_API;
		return u.path;
	}
	ts_buf b;
	ts_buf_init(&b, a);
	const char *p = ep->text;
	while (*p == '/')
		p++;
	while (*p) {
		size_t n = strcspn(p, "/");
		ts_buf_adds(&b, "/");
		if (ts_streq(p, n, ":owner") || ts_streq(p, n, ":repo") ||
		    ts_streq(p, n, ":branch"))
			ts_buf_addf(&b, "{%.*s}", (int)n - 1, p + 1);
		else
			ts_buf_add(&b, p, n);
		p += n;
		while (*p == '/')
			p++;
	}
	return api_path(a, b.data ? b.data : "/", b.len ? b.len : 1);
}

typedef struct gh_api_args {
	const char *method, *host;
	bool fields, query_file;
	const ts_sh_value *endpoint, *query, *input;
} gh_api_args;

static void gh_api_opt(cmdx *cx, gh_api_args *g, const char *name,
		       const ts_sh_value *v)
{
	if (!strcmp(name, "-X") || !strcmp(name, "--method")) {
		g->method = v->text;
	} else if (!strcmp(name, "-f") || !strcmp(name, "--raw-field") ||
		   !strcmp(name, "-F") || !strcmp(name, "--field")) {
		g->fields = true;
		if (starts(v->text, "query=")) {
			ts_sh_value *q = ts_alloc(cx->rs->a, sizeof(*q));
			*q = tail_of(v, 6);
			g->query = q;
			bool typed = !strcmp(name, "-F") || !strcmp(name, "--field");
			g->query_file = typed && q->text[0] == '@';
		}
	} else if (!strcmp(name, "--input")) {
		g->input = v;
	} else if (!strcmp(name, "--hostname")) {
		g->host = v->text;
	}
}

static void gh_api_parse(cmdx *cx, size_t k, gh_api_args *g)
{
	static const char *const valued[] = {
		"-X", "--method", "-f", "--raw-field", "-F", "--field", "--input",
		"--hostname", "-H", "--header", "-q", "--jq", "-t", "--template",
		"--cache", "-p", "--preview", NULL
	};
	for (; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		const ts_sh_value *v = &cx->argv[k];
		if (a[0] != '-' || !v->exact || !a[1]) {
			if (!g->endpoint)
				g->endpoint = v;
			continue;
		}
		const char *eq = starts(a, "--") ? strchr(a, '=') : NULL;
		ts_sh_value *tv = ts_alloc(cx->rs->a, sizeof(*tv));
		if (eq) {
			*tv = tail_of(v, (size_t)(eq - a) + 1);
			gh_api_opt(cx, g, ts_strndup(cx->rs->a, a, (size_t)(eq - a)), tv);
		} else if (a[1] != '-' && a[2] && strchr("XfFHqtp", a[1])) {
			*tv = tail_of(v, 2);
			gh_api_opt(cx, g, ts_strndup(cx->rs->a, a, 2), tv);
		} else if (in_list(a, valued) && k + 1 < cx->argc) {
			gh_api_opt(cx, g, a, &cx->argv[++k]);
		}
	}
}

static void gh_api(cmdx *cx, size_t i)
{
	size_t k = i + 1;
	while (k < cx->argc && strcmp(arg(cx, k), "api"))
		k++;
	gh_api_args g = {0};
	gh_api_parse(cx, k + 1, &g);
	if (!g.endpoint)
		return;
	bool ghes = gh_enterprise(cx, g.host);
	bool graphql = !strcmp(g.endpoint->text, "graphql") ||
		       ends(g.endpoint->text, "/graphql");
	const char *what = graphql ? "gh api graphql"
				   : ts_sprintf(cx->rs->a, "gh api %s", g.endpoint->text);
	if (!gh_gate(cx, what, ghes))
		return;
	bool pr = g.endpoint->pull_request || any_pr(cx, k + 1);
	if (graphql) {
		const char *q = g.query ? g.query->text : NULL;
		bool exact = g.query ? g.query->exact : true;
		if (!q && g.input && !strcmp(g.input->text, "-") && cx->has_in) {
			q = json_query(cx->rs->a, cx->in.text);
			exact = cx->in.exact;
		}
		if (g.query_file)
			add_unknown(cx, what, "gh api graphql -F query=@file: the query is in a file");
		else
			graphql_need(cx, "gh api", q, exact, pr);
		return;
	}
	bool api;
	const char *path = gh_api_path(cx, g.endpoint, &api);
	if (!api) {
		add_unknown(cx, what, "%s: not an API URL", what);
		return;
	}
	const char *verb = g.method ? http_method(&(http_req){.method = g.method}, cx->rs->a)
			   : (g.fields || g.input) ? "POST" : "GET";
	rest_need(cx, "gh api", verb, path, pr);
}

/* ------------------------------------------------------------------ */
/* git                                                                  */

typedef enum git_op { GIT_NONE, GIT_FETCH, GIT_PUSH } git_op;

/* The credential a remote given on the command line carries. */
typedef struct git_remote {
	bool url;               /* a URL, not a remote name */
	bool ssh, foreign;      /* no HTTPS credentials go there */
	ts_val_kind kind;       /* what its user:password carries */
	bool inexact;           /* a password that cannot be resolved */
	const char *name;
} git_remote;

static git_remote git_remote_of(cmdx *cx, const ts_sh_value *v)
{
	git_remote g = {0};
	g.kind = TS_VAL_TEXT;
	g.name = v ? v->text : "origin";
	if (!v || (!strstr(v->text, "://") && !strchr(v->text, '@')))
		return g;
	g.url = true;
	url_info u = classify_url(cx->rs->a, v->text);
	g.ssh = u.ssh;
	g.foreign = u.kind == HOST_OTHER;
	if (u.userinfo) {
		g.kind = v->kind;
		const char *auth = strstr(v->text, "://");
		auth = auth ? auth + 3 : v->text;
		const char *at = strchr(auth, '@');
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		g.inexact = v->kind == TS_VAL_TEXT && !v->exact && colon;
	}
	return g;
}

static const remote *find_remote(const run_state *rs, const char *name)
{
	for (size_t k = rs->nremotes; k-- > 0;)
		if (!strcmp(rs->remotes[k].name, name))
			return &rs->remotes[k];
	return NULL;
}

/* What credential git sends when nothing on the command line gives one. */
static ts_val_kind git_stored(cmdx *cx, const git_remote *g, bool *inexact)
{
	run_state *rs = cx->rs;
	*inexact = false;
	if (!g->url) {
		const remote *r = find_remote(rs, g->name);
		if (r && (r->kind != TS_VAL_TEXT || r->inexact)) {
			*inexact = r->inexact;
			return r->kind;
		}
	}
	if (rs->git_via_gh) {
		bool found;
		ts_sh_value t = gh_token(cx, false, &found);
		if (found)
			return t.kind;
	}
	if (rs->git.set)
		return rs->git.kind;
	return rs->ctx->git_credentials ? TS_VAL_GITHUB_TOKEN : TS_VAL_TEXT;
}

static void git_decide(cmdx *cx, git_op op, const char *what,
		       const git_remote *g, ts_val_kind extra)
{
	if (g->ssh || g->foreign) {
		if (is_token(ts_sh_join(g->kind, extra)))
			add_unknown(cx, what, "%s sends a token to a host that is not GitHub", what);
		return;
	}
	bool inexact = g->inexact;
	ts_val_kind cred = ts_sh_join(g->kind, extra);
	if (cred == TS_VAL_TEXT && !inexact)
		cred = git_stored(cx, g, &inexact);
	if (cred == TS_VAL_SECRET || (cred == TS_VAL_TEXT && !inexact))
		return;
	if (cred != TS_VAL_GITHUB_TOKEN) {
		add_unknown(cx, what, "%s with a credential that cannot be resolved", what);
		return;
	}
	add_fact(cx, TS_FIND_NEED, op == GIT_PUSH ? "git-push" : "git-fetch", false, what);
	if (op == GIT_PUSH)
		cx->rs->git.used = true;   /* contents: write covers what it stored */
}

/* The first positional argument of a git subcommand, skipping options;
 * `valued` options take the next word. */
static size_t git_positional(const cmdx *cx, size_t k, const char *const *valued)
{
	for (; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "--"))
			return k + 1;
		if (a[0] != '-')
			return k;
		if (in_list(a, valued))
			k++;
	}
	return k;
}

static void git_transfer(cmdx *cx, size_t k, const char *sub, ts_val_kind extra)
{
	static const char *const push_v[] = {"-o", "--push-option", "--receive-pack", "--exec", NULL};
	static const char *const clone_v[] = {
		"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config",
		"--reference", "--filter", "-j", "--jobs", "--template",
		"--separate-git-dir", "--shallow-since", "--shallow-exclude", "-u",
		"--upload-pack", "--server-option", NULL
	};
	static const char *const fetch_v[] = {"--depth", "-j", "--jobs", "-o", "--server-option", "--upload-pack", "--shallow-since", "--shallow-exclude", "--negotiation-tip", NULL};
	bool push = !strcmp(sub, "push");
	bool clone = !strcmp(sub, "clone");
	size_t p = git_positional(cx, k, push ? push_v : clone ? clone_v : fetch_v);
	const ts_sh_value *rv = p < cx->argc ? &cx->argv[p] : NULL;
	for (size_t j = k; j < cx->argc; j++) {
		const char *a = arg(cx, j);
		if (starts(a, "--repo="))
			rv = &cx->argv[j];     /* the tail is read below */
		if (clone && (!strcmp(a, "-c") || !strcmp(a, "--config")) && j + 1 < cx->argc)
			extra = ts_sh_join(extra, cx->argv[j + 1].kind);
	}
	ts_sh_value tail;
	if (rv && starts(rv->text, "--repo=")) {
		tail = tail_of(rv, 7);
		rv = &tail;
	}
	git_remote g = git_remote_of(cx, rv);
	const char *what = ts_sprintf(cx->rs->a, "git %s", sub);
	git_decide(cx, push ? GIT_PUSH : GIT_FETCH, what, &g, extra);
}

/* git remote add|set-url NAME URL: the URL's credential is the remote's. */
static void git_remote_cmd(cmdx *cx, size_t k)
{
	const char *sub = arg(cx, k);
	if (strcmp(sub, "add") && strcmp(sub, "set-url"))
		return;
	size_t p = git_positional(cx, k + 1, (const char *const[]){"-t", "-m", NULL});
	if (p + 1 >= cx->argc)
		return;
	git_remote g = git_remote_of(cx, &cx->argv[p + 1]);
	run_state *rs = cx->rs;
	rs->remotes = ts_grow(rs->a, rs->remotes, &rs->capremotes, rs->nremotes + 1,
			      sizeof(*rs->remotes));
	remote *r = &rs->remotes[rs->nremotes++];
	r->name = arg(cx, p);
	r->kind = g.kind;
	r->inexact = g.inexact;
	if (is_token(g.kind) && !rs->git.set)
		store(cx, &rs->git, g.kind, "the remote's URL in .git/config");
}

static void analyze_git(cmdx *cx, size_t i)
{
	static const char *const global_v[] = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", NULL};
	ts_val_kind extra = TS_VAL_TEXT;
	size_t k = i + 1;
	while (k < cx->argc && arg(cx, k)[0] == '-') {
		if (!strcmp(arg(cx, k), "-c") && k + 1 < cx->argc)
			extra = ts_sh_join(extra, cx->argv[k + 1].kind);
		k += in_list(arg(cx, k), global_v) ? 2 : 1;
	}
	if (k >= cx->argc)
		return;
	const char *sub = arg(cx, k);
	if (!strcmp(sub, "push") || !strcmp(sub, "fetch") || !strcmp(sub, "pull") ||
	    !strcmp(sub, "clone") || !strcmp(sub, "ls-remote")) {
		git_transfer(cx, k + 1, sub, extra);
	} else if (!strcmp(sub, "submodule") || !strcmp(sub, "lfs")) {
		const char *op = arg(cx, git_positional(cx, k + 1, NULL));
		git_op o = !strcmp(op, "push") ? GIT_PUSH
			 : (!strcmp(op, "update") || !strcmp(op, "fetch") ||
			    !strcmp(op, "pull") || !strcmp(op, "clone")) ? GIT_FETCH : GIT_NONE;
		git_remote g = git_remote_of(cx, NULL);
		if (o != GIT_NONE)
			git_decide(cx, o, ts_sprintf(cx->rs->a, "git %s %s", sub, op), &g, extra);
	} else if (!strcmp(sub, "remote")) {
		git_remote_cmd(cx, k + 1);
	} else {
		reach r = {TS_VAL_TEXT, NULL, NULL, cx->rs->a};
		for (size_t j = k + 1; j < cx->argc; j++)
			reach_add(&r, cx->argv[j].kind, "");
		if (cx->has_in)
			reach_add(&r, cx->in.kind, "");
		if (r.kind == TS_VAL_TEXT)
			return;
		if (!strcmp(sub, "config") || !strcmp(sub, "credential"))
			store(cx, &cx->rs->git, r.kind, "git's config");
		else
			add_unknown(cx, ts_sprintf(cx->rs->a, "git %s", sub),
				    "git %s with GITHUB_TOKEN on its command line", sub);
	}
}

/* ------------------------------------------------------------------ */
/* container registries                                                 */

/* ghcr.io and GitHub Packages' registries, from a server or image name. */
static bool gh_registry(const char *ref)
{
	const char *s = strstr(ref, "://");
	s = s ? s + 3 : ref;
	if (starts(s, "oci:"))
		s += 4;
	size_t n = strcspn(s, "/:");
	return ts_strcaseeq(s, n, "ghcr.io") ||
	       ts_strcaseeq(s, n, "docker.pkg.github.com") ||
	       (n >= 15 && strncasecmp(s + n - 15, ".pkg.github.com", 15) == 0);
}

/* docker login and its kin: -u USER -p PASS | --password-stdin, SERVER. */
static void registry_login(cmdx *cx, size_t k, const char *tool)
{
	static const char *const valued[] = {"-u", "--username", "-p", "--password", "--authfile", "--cert-dir", NULL};
	const ts_sh_value *pass = NULL, *server = NULL;
	for (; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "-p") || !strcmp(a, "--password")) {
			pass = k + 1 < cx->argc ? &cx->argv[++k] : NULL;
		} else if (starts(a, "--password=")) {
			ts_sh_value *t = ts_alloc(cx->rs->a, sizeof(*t));
			*t = tail_of(&cx->argv[k], 11);
			pass = t;
		} else if (!strcmp(a, "--password-stdin")) {
			pass = cx->has_in ? &cx->in : NULL;
		} else if (in_list(a, valued)) {
			k++;
		} else if (a[0] != '-' && !server) {
			server = &cx->argv[k];
		}
	}
	if (!pass || !(is_token(pass->kind) || (pass->kind == TS_VAL_TEXT && !pass->exact)))
		return;
	const char *host = server ? server->text : "docker.io";
	const char *what = ts_sprintf(cx->rs->a, "%s login %s", tool, host);
	bool github = gh_registry(host);
	if (pass->kind == TS_VAL_GITHUB_TOKEN && github) {
		add_fact(cx, TS_FIND_LOGIN, "registry-pull", false, what);
	} else if (github || (server && !server->exact)) {
		add_unknown(cx, what, "%s with a password that cannot be resolved", what);
	} else if (is_token(pass->kind)) {
		add_unknown(cx, what, "%s sends %s to a registry that is not GitHub's",
			    what, pass->kind == TS_VAL_GITHUB_TOKEN ? "GITHUB_TOKEN" : "a token");
	}
}

/* An image pushed to GitHub's registry, or to one that cannot be known:
 * the job decides with the login it has seen. */
static void image_push(cmdx *cx, const ts_sh_value *ref, const char *tool,
		       const char *verb)
{
	const char *t = ref->text;
	size_t n = strcspn(t, "/");
	/* docker's rule: a registry host only comes before a slash */
	bool unknown = t[n] ? memchr(t, '{', n) != NULL : t[0] == '{';
	if (!gh_registry(t) && !unknown)
		return;
	add_finding(cx, TS_FIND_IMAGE_PUSH,
		    ts_sprintf(cx->rs->a, "%s %s %.*s", tool, verb, (int)n, t));
}

/* -e/--env NAME[=VALUE], --build-arg, --secret env=NAME: the token handed
 * to what runs in the container. */
static bool passes_token(cmdx *cx, const char *name, const ts_sh_value *v)
{
	if (!strcmp(name, "--secret")) {
		const char *e = strstr(v->text, "env=");
		const char *id = strstr(v->text, "id=");
		const char *src = e ? e + 4 : id ? id + 3 : NULL;
		if (!src)
			return false;
		bool found;
		ts_sh_value x = ts_sh_lookup(cx->scope, src, strcspn(src, ","), true, &found);
		return found && is_token(x.kind);
	}
	if (is_token(v->kind))
		return true;
	if (strchr(v->text, '='))
		return false;
	bool found;
	ts_sh_value x = env_value(cx, v->text, &found);
	return found && is_token(x.kind);
}

static void container_args(cmdx *cx, size_t k, const char *tool, const char *sub)
{
	static const char *const env_opts[] = {"-e", "--env", "--build-arg", "--secret", NULL};
	bool push = false;
	const ts_sh_value *tags[16];
	size_t ntags = 0;
	for (; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (!strcmp(a, "--push") || (starts(a, "--output") && strstr(a, "push=true")))
			push = true;
		if ((!strcmp(a, "--output") || !strcmp(a, "-o")) && k + 1 < cx->argc &&
		    (strstr(arg(cx, k + 1), "push=true") || strstr(arg(cx, k + 1), "type=registry")))
			push = true;
		if ((!strcmp(a, "-t") || !strcmp(a, "--tag")) && k + 1 < cx->argc &&
		    ntags < 16)
			tags[ntags++] = &cx->argv[k + 1];
		if (in_list(a, env_opts) && k + 1 < cx->argc &&
		    passes_token(cx, a, &cx->argv[k + 1])) {
			add_unknown(cx, ts_sprintf(cx->rs->a, "%s %s", tool, sub),
				    "%s %s passes GITHUB_TOKEN to what runs inside (%s %s)",
				    tool, sub, a, arg(cx, k + 1));
			return;
		}
	}
	if (push || !strcmp(sub, "imagetools"))
		for (size_t t = 0; t < ntags; t++)
			image_push(cx, tags[t], tool, "push");
}

/* A compose file can hand anything in the environment to a container. */
static void compose_check(cmdx *cx, size_t i, const char *what)
{
	reach r = token_reach(cx, i, NULL);
	if (r.kind != TS_VAL_TEXT)
		add_unknown(cx, what, "%s with %s: the compose file can pass it to "
			    "any container", what, r.via);
}

static void analyze_docker(cmdx *cx, size_t i, const char *tool)
{
	static const char *const global_v[] = {"--config", "-c", "--context", "-H", "--host", "-l", "--log-level", NULL};
	size_t k = skip_opts(cx, i + 1, global_v);
	const char *sub = arg(cx, k);
	const char *sub2 = arg(cx, k + 1);
	if (!strcmp(sub, "login")) {
		registry_login(cx, k + 1, tool);
	} else if (!strcmp(sub, "push") ||
		   ((!strcmp(sub, "image") || !strcmp(sub, "manifest")) && !strcmp(sub2, "push"))) {
		size_t p = skip_opts(cx, k + (strcmp(sub, "push") ? 2 : 1), NULL);
		if (p < cx->argc)
			image_push(cx, &cx->argv[p], tool, "push");
	} else if (!strcmp(sub, "compose")) {
		compose_check(cx, i, ts_sprintf(cx->rs->a, "%s compose", tool));
	} else if (!strcmp(sub, "buildx")) {
		container_args(cx, k + 2, tool, strcmp(sub2, "imagetools") ? sub2 : "imagetools");
	} else {
		container_args(cx, k + 1, tool, sub);
	}
}

/* helm, oras, crane, cosign, skopeo: login and push; anything else with
 * the token is a program like any other. */
static void analyze_oci_tool(cmdx *cx, size_t i, const char *tool)
{
	const char *sub = arg(cx, i + 1);
	size_t k = i + 2;
	if ((!strcmp(tool, "helm") && !strcmp(sub, "registry")) ||
	    (!strcmp(tool, "crane") && !strcmp(sub, "auth"))) {
		sub = arg(cx, i + 2);
		k = i + 3;
	}
	if (!strcmp(sub, "login")) {
		registry_login(cx, k, tool);
		return;
	}
	static const char *const pushes[] = {"push", "copy", "cp", "sign", "attest", "attach", "append", "mutate", "tag", NULL};
	if (in_list(sub, pushes)) {
		/* the destination is the last positional argument */
		const ts_sh_value *dst = NULL;
		for (size_t j = k; j < cx->argc; j++)
			if (arg(cx, j)[0] != '-')
				dst = &cx->argv[j];
		if (dst) {
			ts_sh_value d = *dst;
			if (starts(d.text, "docker://"))
				d = tail_of(dst, 9);
			image_push(cx, &d, tool, sub);
		}
		return;
	}
	generic_as(cx, i, tool, NULL);
}

/* ------------------------------------------------------------------ */
/* package managers                                                     */

static const char *const npm_cred_vars[] = {
	"NODE_AUTH_TOKEN", "NPM_TOKEN", "NPM_AUTH_TOKEN", "YARN_NPM_AUTH_TOKEN", NULL
};

/* The credential npm and its kin read for the registry. */
static ts_val_kind npm_cred(cmdx *cx)
{
	ts_val_kind k = TS_VAL_TEXT;
	for (const char *const *n = npm_cred_vars; *n; n++) {
		bool found;
		ts_sh_value v = env_value(cx, *n, &found);
		if (found)
			k = ts_sh_join(k, v.kind == TS_VAL_TEXT && !v.exact
					  ? TS_VAL_UNKNOWN : v.kind);
	}
	if (cx->rs->npm.set)
		k = ts_sh_join(k, cx->rs->npm.kind);
	return k;
}

/* npx X, pnpm dlx X, npm exec X: the program is the package's. */
static void run_package(cmdx *cx, size_t k)
{
	static const char *const valued[] = {"-p", "--package", "-c", "--call", NULL};
	k = skip_opts(cx, k, valued);
	if (k >= cx->argc)
		return;
	if (!cx->argv[k].exact) {
		generic(cx, k);
		return;
	}
	const char *pkg = arg(cx, k);
	if (pkg[0] == '@' && strchr(pkg, '/'))
		pkg = strchr(pkg, '/') + 1;
	generic_as(cx, k, ts_strndup(cx->rs->a, pkg, strcspn(pkg, "@")), NULL);
}

static void analyze_npm(cmdx *cx, size_t i, const char *tool)
{
	static const char *const valued[] = {
		"--registry", "-w", "--workspace", "--prefix", "-C", "--dir",
		"--cwd", "--filter", "-F", "--tag", "--access", "--otp",
		"--userconfig", "--cache", NULL
	};
	static const char *const pulls[] = {
		"install", "i", "ci", "add", "update", "upgrade", "up",
		"install-test", "it", "install-ci-test", "cit", NULL
	};
	size_t k = skip_opts(cx, i + 1, valued);
	const char *sub = k < cx->argc ? arg(cx, k) : "";
	if (!strcmp(tool, "yarn") && !strcmp(sub, "npm"))
		sub = arg(cx, ++k);
	if (!strcmp(sub, "exec") || !strcmp(sub, "dlx") || !strcmp(sub, "x")) {
		run_package(cx, k + 1);
		return;
	}
	bool push = !strcmp(sub, "publish");
	bool pull = in_list(sub, pulls) || (!strcmp(tool, "yarn") && !sub[0]);
	if (push || pull) {
		ts_val_kind cred = npm_cred(cx);
		const char *what = ts_sprintf(cx->rs->a, "%s %s", tool, sub[0] ? sub : "install");
		if (cred == TS_VAL_GITHUB_TOKEN) {
			add_fact(cx, TS_FIND_NEED, push ? "registry-push" : "registry-pull",
				 false, what);
			cx->rs->npm.used |= push;
		} else if (cred == TS_VAL_UNKNOWN) {
			add_unknown(cx, what, "%s with a registry token that cannot be resolved", what);
		}
		generic_as(cx, i, tool, npm_cred_vars);
		return;
	}
	generic_as(cx, i, tool, NULL);
}

/* The value after one of `names` (-k KEY, --api-key KEY). */
static const ts_sh_value *opt_value(const cmdx *cx, size_t k,
				    const char *const *names)
{
	for (; k + 1 < cx->argc; k++)
		if (in_list(arg(cx, k), names))
			return &cx->argv[k + 1];
	return NULL;
}

static void registry_cred(cmdx *cx, ts_find_kind kind, const char *fact,
			  const ts_sh_value *cred, const char *what)
{
	if (cred->kind == TS_VAL_GITHUB_TOKEN)
		add_fact(cx, kind, fact, false, what);
	else if (cred->kind == TS_VAL_UNKNOWN || (cred->kind == TS_VAL_TEXT && !cred->exact))
		add_unknown(cx, what, "%s with a credential that cannot be resolved", what);
}

static void analyze_dotnet(cmdx *cx, size_t i)
{
	const char *sub = arg(cx, i + 1), *op = arg(cx, i + 2);
	if (!strcmp(sub, "nuget")) {
		if (!strcmp(op, "push")) {
			const ts_sh_value *key = opt_value(cx, i + 3, (const char *const[]){"-k", "--api-key", NULL});
			if (key)
				registry_cred(cx, TS_FIND_NEED, "registry-push", key, "dotnet nuget push");
			else
				add_finding(cx, TS_FIND_IMAGE_PUSH, "dotnet nuget push");
		} else if ((!strcmp(op, "add") || !strcmp(op, "update")) && arg_is(cx, i + 3, "source")) {
			const ts_sh_value *pw = opt_value(cx, i + 4, (const char *const[]){"-p", "--password", NULL});
			if (pw)
				registry_cred(cx, TS_FIND_LOGIN, "registry-pull", pw, "dotnet nuget add source");
		}
		return;
	}
	if (!strcmp(sub, "restore")) {
		reach r = token_reach(cx, i, NULL);
		ts_sh_value v = opaque(r.kind);
		v.exact = r.kind == TS_VAL_TEXT;
		registry_cred(cx, TS_FIND_NEED, "registry-pull", &v, "dotnet restore");
		return;
	}
	generic_as(cx, i, "dotnet", NULL);
}

/* mvn deploy, gradle publish: the build's credentials come from the
 * environment (setup-java writes settings.xml that reads it). */
static void analyze_build(cmdx *cx, size_t i, const char *tool, bool gradle)
{
	static const char *const valued[] = {"-s", "--settings", "-f", "--file", "-pl", "--projects", "-rf", "-T", "-b", "--build-file", "-p", "--project-dir", "-x", "--exclude-task", NULL};
	bool publish = false;
	for (size_t k = i + 1; k < cx->argc; k++) {
		const char *a = arg(cx, k);
		if (in_list(a, valued)) {
			k++;
			continue;
		}
		if (a[0] == '-')
			continue;
		const char *task = strrchr(a, ':') ? strrchr(a, ':') + 1 : a;
		if (gradle ? (starts(task, "publish") && strcmp(task, "publishToMavenLocal"))
			   : (!strcmp(a, "deploy") || ends(a, ":deploy") || ends(a, ":deploy-file")))
			publish = true;
	}
	if (!publish) {
		generic_as(cx, i, tool, NULL);
		return;
	}
	reach r = token_reach(cx, i, NULL);
	if (r.kind == TS_VAL_TEXT)
		return;
	ts_sh_value v = opaque(r.kind);
	registry_cred(cx, TS_FIND_NEED, "registry-push", &v,
		      gradle ? "gradle publish" : "mvn deploy");
}

/* ------------------------------------------------------------------ */
/* PowerShell cmdlets                                                   */

/* Cmdlets that run in the shell and cannot hand the token to anything. */
static bool pwsh_quiet(const char *name)
{
	static const char *const q[] = {
		"Write-Error", "Write-Warning", "Write-Verbose", "Write-Information",
		"Write-Debug", "Write-Progress", "Out-Null", "Out-Host",
		"Set-Location", "Push-Location", "Pop-Location", "Get-Location",
		"Get-ChildItem", "Get-Item", "Test-Path", "Join-Path", "Split-Path",
		"Resolve-Path", "New-Item", "Remove-Item", "Copy-Item", "Move-Item",
		"Rename-Item", "Get-Content", "Format-Table", "Format-List",
		"Select-String", "Start-Sleep", "Get-Date", "Set-StrictMode",
		"Get-Command", "Set-Variable", "Get-Variable", "Add-Member",
		"New-Object", "Expand-Archive", "Compress-Archive", "Get-FileHash",
		"Test-Json", "exit", "throw", "cd", "ls", "dir", "pwd", "mkdir", "md",
		"rm", "del", "cp", "copy", "mv", "move", "sleep", "cls", "gci", "gi",
		"ni", "ri", "sl", "Get-Process", "Get-Service", "Measure-Command",
		NULL
	};
	return in_list_ci(name, q);
}

/* Cmdlets whose output is their input or arguments. */
static bool pwsh_passes(const char *name)
{
	static const char *const p[] = {
		"Write-Output", "Write-Host", "echo", "write", "ConvertTo-Json",
		"ConvertFrom-Json", "Select-Object", "Where-Object",
		"ForEach-Object", "Sort-Object", "Group-Object", "Measure-Object",
		"Out-String", "ConvertTo-SecureString", "select", "where",
		"foreach", "%", "?", "sort", NULL
	};
	return in_list_ci(name, p);
}

static bool pwsh_writes_file(const char *name)
{
	static const char *const w[] = {"Out-File", "Set-Content", "Add-Content", "Tee-Object", "sc", "ac", NULL};
	return in_list_ci(name, w);
}

static void check_file_write(cmdx *cx, const ts_sh_value *data, const char *file);

static bool pwsh_cmdlet(cmdx *cx, size_t i, const char *name)
{
	const ts_sh_part *p0 = cx->cmd->words[i].nparts ? &cx->cmd->words[i].parts[0] : NULL;
	bool bare = p0 && p0->kind == TS_SH_LIT &&
		    (isalpha((unsigned char)p0->text[0]) || p0->text[0] == '.' ||
		     p0->text[0] == '/' || p0->text[0] == '%' || p0->text[0] == '?');
	ts_sh_value args = join_all(cx->rs->a, cx->argv + i + 1, cx->argc - i - 1, " ");
	if (!bare) {                /* an expression: its value is its output */
		cx->out = join_all(cx->rs->a, cx->argv + i, cx->argc - i, " ");
		return true;
	}
	if (!strcasecmp(name, "Invoke-RestMethod") || !strcasecmp(name, "Invoke-WebRequest") ||
	    !strcasecmp(name, "irm") || !strcasecmp(name, "iwr")) {
		analyze_irm(cx, i);
		return true;
	}
	if (pwsh_passes(name)) {
		ts_sh_value in = cx->has_in ? cx->in : ts_sh_text("");
		cx->out = args;
		cx->out.kind = ts_sh_join(args.kind, in.kind);
		if (cx->has_in && !args.text[0])
			cx->out = in;
		return true;
	}
	if (pwsh_writes_file(name)) {
		ts_sh_value data = args;
		if (cx->has_in)
			data.kind = ts_sh_join(data.kind, cx->in.kind);
		const ts_sh_value *f = opt_value(cx, i + 1, (const char *const[]){"-FilePath", "-Path", "-LiteralPath", NULL});
		check_file_write(cx, &data, f ? f->text : arg(cx, i + 1));
		return true;
	}
	return pwsh_quiet(name);
}

/* ------------------------------------------------------------------ */
/* dispatch                                                             */

static void set_filter_output(cmdx *cx, size_t i)
{
	ts_sh_value args = join_all(cx->rs->a, cx->argv + i + 1, cx->argc - i - 1, " ");
	cx->out = cx->has_in ? cx->in : opaque(TS_VAL_TEXT);
	cx->out.kind = ts_sh_join(cx->out.kind, args.kind);
	if (i + 1 < cx->argc)
		cx->out.exact = false;
}

static bool code_reads(cmdx *cx, size_t i, const char *b)
{
	static const char *const docker_like[] = {"docker", "podman", "nerdctl", "buildah", NULL};
	static const char *const oci[] = {"helm", "oras", "crane", "cosign", "skopeo", NULL};
	static const char *const npm_like[] = {"npm", "yarn", "pnpm", "bun", NULL};
	if (!strcmp(b, "gh"))
		analyze_gh(cx, i);
	else if (!strcmp(b, "curl"))
		analyze_curl(cx, i);
	else if (!strcmp(b, "wget"))
		analyze_wget(cx, i);
	else if (!strcmp(b, "git"))
		analyze_git(cx, i);
	else if (in_list(b, docker_like))
		analyze_docker(cx, i, b);
	else if (!strcmp(b, "docker-compose") || !strcmp(b, "podman-compose"))
		compose_check(cx, i, b);
	else if (in_list(b, oci))
		analyze_oci_tool(cx, i, b);
	else if (in_list(b, npm_like))
		analyze_npm(cx, i, b);
	else if (!strcmp(b, "npx") || !strcmp(b, "bunx") || !strcmp(b, "pnpx"))
		run_package(cx, i + 1);
	else if (!strcmp(b, "dotnet"))
		analyze_dotnet(cx, i);
	else if (!strcmp(b, "mvn") || !strcmp(b, "mvnw"))
		analyze_build(cx, i, "mvn", false);
	else if (!strcmp(b, "gradle") || !strcmp(b, "gradlew"))
		analyze_build(cx, i, "gradle", true);
	else
		return false;
	return true;
}

/* Which of the readers below takes a program, by name. */
typedef enum prog_kind {
	PROG_OTHER,             /* generic() */
	PROG_BUILTIN,           /* bash_builtin() */
	PROG_LAUNCHER,          /* launcher() */
	PROG_FIND,              /* find_exec() */
	PROG_SHELL_CODE,        /* shell_code() */
	PROG_INTERP,            /* interpreter() */
	PROG_CODE,              /* code_reads() */
	PROG_FILTER             /* generic(); its output is made of its input
				   and arguments: a token that goes in comes
				   out */
} prog_kind;

typedef struct prog_name {
	const char *name;
	prog_kind kind;
} prog_name;

/* bsearch's order, with the first byte compared here: most probes end
 * there, without a call. */
static int prog_cmp(const void *key, const void *elem)
{
	const char *a = key, *b = ((const prog_name *)elem)->name;
	if (a[0] != b[0])
		return (unsigned char)a[0] - (unsigned char)b[0];
	return a[0] ? strcmp(a + 1, b + 1) : 0;
}

/* Every command is dispatched by name, and most are programs no reader
 * knows: one binary search instead of a strcmp against every name each
 * reader takes. The table holds the names those readers test for, sorted
 * by strcmp; a name two readers take (bun) goes to the one asked first. */
static prog_kind prog_of(const char *name)
{
	static const prog_name progs[] = {
		{".", PROG_SHELL_CODE}, {":", PROG_BUILTIN},
		{"Rscript", PROG_INTERP}, {"[", PROG_BUILTIN},
		{"alias", PROG_BUILTIN}, {"awk", PROG_FILTER},
		{"base64", PROG_FILTER}, {"bash", PROG_INTERP},
		{"bg", PROG_BUILTIN}, {"break", PROG_BUILTIN},
		{"buildah", PROG_CODE}, {"builtin", PROG_LAUNCHER},
		{"bun", PROG_INTERP}, {"bunx", PROG_CODE},
		{"caller", PROG_BUILTIN}, {"cat", PROG_FILTER},
		{"cd", PROG_BUILTIN}, {"chronic", PROG_LAUNCHER},
		{"command", PROG_LAUNCHER}, {"compgen", PROG_BUILTIN},
		{"complete", PROG_BUILTIN}, {"continue", PROG_BUILTIN},
		{"cosign", PROG_CODE}, {"crane", PROG_CODE},
		{"curl", PROG_CODE}, {"cut", PROG_FILTER},
		{"dash", PROG_INTERP}, {"declare", PROG_BUILTIN},
		{"deno", PROG_INTERP}, {"dirs", PROG_BUILTIN},
		{"disown", PROG_BUILTIN}, {"doas", PROG_LAUNCHER},
		{"docker", PROG_CODE}, {"docker-compose", PROG_CODE},
		{"dotnet", PROG_CODE}, {"echo", PROG_BUILTIN},
		{"enable", PROG_BUILTIN}, {"env", PROG_LAUNCHER},
		{"envsubst", PROG_FILTER}, {"eval", PROG_SHELL_CODE},
		{"exec", PROG_LAUNCHER}, {"exit", PROG_BUILTIN},
		{"export", PROG_BUILTIN}, {"false", PROG_BUILTIN},
		{"fg", PROG_BUILTIN}, {"find", PROG_FIND},
		{"fold", PROG_FILTER}, {"gawk", PROG_FILTER},
		{"getopts", PROG_BUILTIN}, {"gfind", PROG_FIND},
		{"gh", PROG_CODE}, {"git", PROG_CODE}, {"gradle", PROG_CODE},
		{"gradlew", PROG_CODE}, {"grep", PROG_FILTER},
		{"groovy", PROG_INTERP}, {"hash", PROG_BUILTIN},
		{"head", PROG_FILTER}, {"helm", PROG_CODE},
		{"help", PROG_BUILTIN}, {"history", PROG_BUILTIN},
		{"ionice", PROG_LAUNCHER}, {"java", PROG_INTERP},
		{"jobs", PROG_BUILTIN}, {"jq", PROG_FILTER},
		{"kill", PROG_BUILTIN}, {"ksh", PROG_INTERP},
		{"let", PROG_BUILTIN}, {"local", PROG_BUILTIN},
		{"logout", PROG_BUILTIN}, {"lua", PROG_INTERP},
		{"mapfile", PROG_BUILTIN}, {"mawk", PROG_FILTER},
		{"mvn", PROG_CODE}, {"mvnw", PROG_CODE},
		{"nerdctl", PROG_CODE}, {"nice", PROG_LAUNCHER},
		{"node", PROG_INTERP}, {"nohup", PROG_LAUNCHER},
		{"npm", PROG_CODE}, {"npx", PROG_CODE}, {"od", PROG_FILTER},
		{"openssl", PROG_FILTER}, {"oras", PROG_CODE},
		{"paste", PROG_FILTER}, {"perl", PROG_INTERP},
		{"php", PROG_INTERP}, {"pnpm", PROG_CODE}, {"pnpx", PROG_CODE},
		{"podman", PROG_CODE}, {"podman-compose", PROG_CODE},
		{"popd", PROG_BUILTIN}, {"printf", PROG_BUILTIN},
		{"pushd", PROG_BUILTIN}, {"pwd", PROG_BUILTIN},
		{"python", PROG_INTERP}, {"python2", PROG_INTERP},
		{"python3", PROG_INTERP}, {"read", PROG_BUILTIN},
		{"readarray", PROG_BUILTIN}, {"readonly", PROG_BUILTIN},
		{"return", PROG_BUILTIN}, {"rev", PROG_FILTER},
		{"ruby", PROG_INTERP}, {"sed", PROG_FILTER},
		{"set", PROG_BUILTIN}, {"sh", PROG_INTERP},
		{"shift", PROG_BUILTIN}, {"shopt", PROG_BUILTIN},
		{"skopeo", PROG_CODE}, {"sleep", PROG_BUILTIN},
		{"sort", PROG_FILTER}, {"source", PROG_SHELL_CODE},
		{"stdbuf", PROG_LAUNCHER}, {"sudo", PROG_LAUNCHER},
		{"tac", PROG_FILTER}, {"tail", PROG_FILTER},
		{"tclsh", PROG_INTERP}, {"tee", PROG_FILTER},
		{"test", PROG_BUILTIN}, {"time", PROG_LAUNCHER},
		{"timeout", PROG_LAUNCHER}, {"times", PROG_BUILTIN},
		{"tr", PROG_FILTER}, {"trap", PROG_BUILTIN},
		{"true", PROG_BUILTIN}, {"type", PROG_BUILTIN},
		{"typeset", PROG_BUILTIN}, {"ulimit", PROG_BUILTIN},
		{"umask", PROG_BUILTIN}, {"unalias", PROG_BUILTIN},
		{"unbuffer", PROG_LAUNCHER}, {"uniq", PROG_FILTER},
		{"unset", PROG_BUILTIN}, {"wait", PROG_BUILTIN},
		{"wget", PROG_CODE}, {"xargs", PROG_LAUNCHER},
		{"xxd", PROG_FILTER}, {"yarn", PROG_CODE}, {"yq", PROG_FILTER},
		{"zsh", PROG_INTERP}
	};
	const prog_name *p = bsearch(name, progs, sizeof(progs) / sizeof(*progs),
				     sizeof(*progs), prog_cmp);
	if (p)
		return p->kind;
	/* what interpreter() takes besides its lists */
	if (!strcasecmp(name, "pwsh") || !strcasecmp(name, "powershell") ||
	    starts(name, "python3."))
		return PROG_INTERP;
	return PROG_OTHER;
}

static void dispatch(cmdx *cx, size_t i)
{
	if (i >= cx->argc)
		return;
	if (!cx->argv[i].exact) {
		generic(cx, i);
		return;
	}
	const char *b = base_name(cx, cx->argv[i].text);
	if (cx->rs->lang == TS_SH_PWSH && pwsh_cmdlet(cx, i, b))
		return;
	/* each reader returns true for every name prog_of() gives it */
	switch (prog_of(b)) {
	case PROG_BUILTIN: bash_builtin(cx, i, b); return;
	case PROG_LAUNCHER: launcher(cx, i, b); return;
	case PROG_FIND: find_exec(cx, i, b); return;
	case PROG_SHELL_CODE: shell_code(cx, i, b); return;
	case PROG_INTERP: interpreter(cx, i, b); return;
	case PROG_CODE: code_reads(cx, i, b); return;
	case PROG_FILTER:
		generic(cx, i);
		set_filter_output(cx, i);
		return;
	case PROG_OTHER:
		generic(cx, i);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* commands and lists                                                   */

static int file_line(const run_state *rs, int line)
{
	return rs->ctx->line ? rs->ctx->line + rs->line_off + line : 0;
}

/* The token written where later steps or programs find it. */
static void check_file_write(cmdx *cx, const ts_sh_value *data, const char *file)
{
	if (!is_token(data->kind) || !strcmp(file, "/dev/null") ||
	    !strcmp(file, "/dev/stderr") || !strcmp(file, "/dev/stdout") ||
	    strstr(file, "GITHUB_STEP_SUMMARY"))
		return;
	const char *what = ts_sprintf(cx->rs->a, "writes to %s", file);
	if (strstr(file, "GITHUB_ENV") || strstr(file, "GITHUB_OUTPUT") ||
	    strstr(file, "GITHUB_STATE")) {
		add_unknown(cx, what, "writes GITHUB_TOKEN to %s, where later steps "
			    "read it", file);
	} else if (ends(file, ".npmrc") && strstr(data->text, "npm.pkg.github.com")) {
		store(cx, &cx->rs->npm, data->kind, file);
	} else if (strstr(file, "git-credentials")) {
		store(cx, &cx->rs->git, data->kind, file);
	} else {
		add_unknown(cx, what, "writes GITHUB_TOKEN to %s", file);
	}
}

static void check_redirects(cmdx *cx, const ts_sh_value *targets)
{
	for (size_t k = 0; k < cx->cmd->nredirs; k++) {
		const ts_sh_redir *r = &cx->cmd->redirs[k];
		if ((r->kind == TS_SH_REDIR_OUT || r->kind == TS_SH_REDIR_APPEND) &&
		    r->fd == 1)
			check_file_write(cx, &cx->out, targets[k].text);
	}
}

/* X=1 lines (and pwsh `$x = ...`): the script's variables change. */
static void assignments(run_state *rs, const ts_sh_cmd *c, ts_sh_scope *sc)
{
	for (size_t k = 0; k < c->nassigns; k++) {
		const ts_sh_assign *as = &c->assigns[k];
		ts_sh_value v = ts_sh_eval(sc, &as->value);
		if (as->append) {
			bool found;
			ts_sh_value old = ts_sh_lookup(sc, as->name, as->len, false, &found);
			v.kind = ts_sh_join(old.kind, v.kind);
			v.text = ts_sprintf(rs->a, "%s%s", old.text, v.text);
			v.exact = v.exact && old.exact;
		}
		ts_sh_set(sc, as->name, as->len, v, as->env);
	}
}

/* Evaluates what the command reads: a here-document or here-string wins
 * over the pipe, as in the shell. */
static void command_input(cmdx *cx, ts_sh_scope *sc, const ts_sh_value *piped)
{
	if (cx->cmd->pipe_in && piped) {
		cx->in = *piped;
		cx->has_in = true;
	}
	for (size_t k = 0; k < cx->cmd->nredirs; k++) {
		const ts_sh_redir *r = &cx->cmd->redirs[k];
		if (r->kind == TS_SH_REDIR_HEREDOC || r->kind == TS_SH_REDIR_HERESTRING) {
			cx->in = ts_sh_eval(sc, &r->word);
			cx->has_in = true;
		} else if (r->kind == TS_SH_REDIR_IN && r->fd == 0) {
			cx->in = opaque(TS_VAL_TEXT);
			cx->has_in = true;
		}
	}
}

static void analyze_cmd(run_state *rs, const ts_sh_cmd *c, ts_sh_scope *sc,
			const ts_sh_value *piped, ts_sh_value *out)
{
	cmdx cx = {0};
	cx.rs = rs;
	cx.cmd = c;
	cx.line = file_line(rs, c->line);
	cx.out = opaque(TS_VAL_TEXT);
	rs->cur = sc;
	if (c->kind == TS_SH_CMD_SIMPLE && c->nwords == 0) {
		assignments(rs, c, sc);
		*out = ts_sh_text("");
		return;
	}
	/* words expand before the prefix assignments take effect */
	cx.argc = c->nwords;
	cx.argv = ts_alloc_array(rs->a, c->nwords ? c->nwords : 1, sizeof(*cx.argv));
	for (size_t k = 0; k < c->nwords; k++)
		cx.argv[k] = ts_sh_eval(sc, &c->words[k]);
	ts_sh_value *targets = ts_alloc_array(rs->a, c->nredirs ? c->nredirs : 1,
					      sizeof(*targets));
	for (size_t k = 0; k < c->nredirs; k++)
		if (c->redirs[k].kind != TS_SH_REDIR_HEREDOC &&
		    c->redirs[k].kind != TS_SH_REDIR_HERESTRING)
			targets[k] = ts_sh_eval(sc, &c->redirs[k].word);
	command_input(&cx, sc, piped);
	cx.scope = ts_sh_scope_child(sc);
	for (size_t k = 0; k < c->nassigns; k++)
		ts_sh_set(cx.scope, c->assigns[k].name, c->assigns[k].len,
			  ts_sh_eval(sc, &c->assigns[k].value), true);
	rs->cur = sc;
	if (c->kind == TS_SH_CMD_FOR && c->nwords) {
		ts_sh_value v = join_all(rs->a, cx.argv + 1, cx.argc - 1, " ");
		v.exact = false;
		v.text = "{item}";
		ts_sh_set(sc, cx.argv[0].text, strlen(cx.argv[0].text), v, false);
	} else if (c->kind == TS_SH_CMD_SIMPLE) {
		dispatch(&cx, 0);
		check_redirects(&cx, targets);
	}
	*out = cx.out;
}

static void analyze_list(run_state *rs, const ts_sh_list *l, ts_sh_scope *sc,
			 ts_sh_value *out)
{
	ts_sh_value prev = ts_sh_text("");
	ts_val_kind all = TS_VAL_TEXT;
	for (size_t k = 0; k < l->n; k++) {
		ts_sh_value o;
		analyze_cmd(rs, &l->cmds[k], sc, &prev, &o);
		prev = o;
		all = ts_sh_join(all, o.kind);
	}
	*out = prev;
	out->kind = ts_sh_join(out->kind, all);
}

/* $(...): the commands run (in a subshell) and their output is the value. */
static ts_sh_value subst_cb(void *ud, const ts_sh_list *sub)
{
	run_state *rs = ud;
	if (rs->depth >= TS_RUN_MAX_DEPTH)
		return opaque(TS_VAL_UNKNOWN);
	ts_sh_scope *saved = rs->cur;
	rs->depth++;
	ts_sh_value out;
	analyze_list(rs, sub, ts_sh_scope_child(saved), &out);
	rs->depth--;
	rs->cur = saved;
	return out;
}

/* ------------------------------------------------------------------ */
/* the whole script                                                     */

static int text_line(const char *s, size_t at)
{
	int line = 0;
	for (size_t k = 0; k < at; k++)
		line += s[k] == '\n';
	return line;
}

/* Any mention of the OIDC request variables, in any language. */
static void oidc_scan(run_state *rs)
{
	static const char var[] = "ACTIONS_ID_TOKEN_REQUEST_";
	const char *s = rs->ctx->script;
	const char *at = memmem(s, rs->ctx->len, var, sizeof(var) - 1);
	if (!at)
		return;
	cmdx cx = {0};
	cx.rs = rs;
	cx.line = file_line(rs, text_line(s, (size_t)(at - s)));
	add_fact(&cx, TS_FIND_NEED, "oidc", false, "OIDC token request");
}

static bool env_any(void *ud, const char *name, size_t len, ts_val_kind kind)
{
	(void)name;
	(void)len;
	ts_val_kind *k = ud;
	*k = ts_sh_join(*k, is_token(kind) ? kind : TS_VAL_TEXT);
	return true;
}

/* python, node, cmd...: not read; the token reaching them is enough. */
static void other_shell(run_state *rs, ts_sh_scope *sc)
{
	ts_val_kind k = TS_VAL_TEXT;
	ts_sh_env_creds(sc, env_any, &k);
	const char *s = rs->ctx->script;
	size_t n = rs->ctx->len;
	for (size_t i = 0; i + 3 < n; i++) {
		if (memcmp(s + i, "${{", 3))
			continue;
		size_t j = i + 3;
		while (j + 1 < n && !(s[j] == '}' && s[j + 1] == '}'))
			j++;
		ts_sh_value v = ts_sh_eval_expr(sc, s + i + 3, j - i - 3);
		k = ts_sh_join(k, is_token(v.kind) ? v.kind : TS_VAL_TEXT);
		i = j;
	}
	if (k == TS_VAL_TEXT)
		return;
	cmdx cx = {0};
	cx.rs = rs;
	cx.line = file_line(rs, 0);
	const char *sh = rs->ctx->shell;
	add_unknown(&cx, ts_sprintf(rs->a, "shell: %s", sh),
		    "a `shell: %s` script with %s: scripts in this language are not read",
		    sh, k == TS_VAL_GITHUB_TOKEN ? "GITHUB_TOKEN" : "a token that cannot be resolved");
}

/* A token stored for later commands that no command here used fully. */
static void leftover(run_state *rs, const stored *st, bool git)
{
	if (!st->set || !is_token(st->kind) || st->used)
		return;
	if (git && st->kind == TS_VAL_GITHUB_TOKEN && rs->ctx->git_credentials)
		return;      /* later steps have these credentials already */
	cmdx cx = {0};
	cx.rs = rs;
	cx.line = st->line;
	add_unknown(&cx, ts_sprintf(rs->a, "stores a token in %s", st->where),
		    "stores %s in %s, where later steps can use it",
		    st->kind == TS_VAL_GITHUB_TOKEN ? "GITHUB_TOKEN" : "a token that cannot be resolved",
		    st->where);
}

enum { TS_RUN_MAX_SCRIPT = 4 << 20 };

/* The script's commands from `memo`, or parsed into `a` and kept there. */
static const ts_sh_list *parse_kept(const run_state *rs, struct ts_memo *memo,
				    ts_arena *a, const char *key)
{
	const ts_run_ctx *ctx = rs->ctx;
	const ts_sh_list *l = ts_memo_getn(memo, key, ctx->len + 1);
	if (!l) {
		l = ts_sh_parse(a, rs->lang, ctx->script, ctx->len);
		ts_memo_putn(memo, key, ctx->len + 1, (void *)l);
	}
	return l;
}

/* The script's commands, parsed once per repository, or per workflow
 * when the repository's scripts are busy: a parse depends on the shell
 * and the text alone, and is never written to (in the corpus a fifth of
 * the scripts repeat one earlier in the same file: a step copied into
 * several jobs). The key is the shell's byte, then the text. */
static const ts_sh_list *parse_script(const run_state *rs)
{
	const ts_run_ctx *ctx = rs->ctx;
	if (!ctx->parsed && !ctx->repo)
		return ts_sh_parse(rs->a, rs->lang, ctx->script, ctx->len);
	char *key = ts_alloc_raw(rs->a, ctx->len + 1);
	key[0] = (char)('a' + rs->lang);
	memcpy(key + 1, ctx->script, ctx->len);
	const ts_script_cache *rc = ctx->repo;
	if (rc && (!rc->guard || rc->guard(rc->ud, true))) {
		const ts_sh_list *l = parse_kept(rs, rc->memo, rc->arena, key);
		if (rc->guard)
			rc->guard(rc->ud, false);
		return l;
	}
	if (!ctx->parsed)
		return ts_sh_parse(rs->a, rs->lang, ctx->script, ctx->len);
	return parse_kept(rs, ctx->parsed, rs->a, key);
}

int ts_run_analyze(const ts_run_ctx *ctx, ts_findings *out)
{
	run_state rs;
	memset(&rs, 0, sizeof(rs));
	rs.ctx = ctx;
	rs.out = out;
	rs.a = ctx->arena;
	rs.lang = ts_sh_lang_of(ctx->shell);
	if (!ctx->script || ctx->len > TS_RUN_MAX_SCRIPT) {
		cmdx cx = {0};
		cx.rs = &rs;
		cx.line = ctx->line;
		add_unknown(&cx, "run", "the script is %s", ctx->script ? "too large to read" : "missing");
		return -1;
	}
	oidc_scan(&rs);
	ts_sh_scope *sc = ts_sh_scope_new(rs.a, ctx->expr, ctx->pull_request,
					  rs.lang == TS_SH_PWSH);
	ts_sh_scope_set_subst(sc, subst_cb, &rs);
	if (rs.lang == TS_SH_OTHER) {
		other_shell(&rs, sc);
		return 0;
	}
	const ts_sh_list *l = parse_script(&rs);
	ts_sh_value o;
	analyze_list(&rs, l, sc, &o);
	leftover(&rs, &rs.git, true);
	leftover(&rs, &rs.gh, false);
	leftover(&rs, &rs.npm, false);
	return 0;
}
