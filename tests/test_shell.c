/* test_shell.c - the run: script reader: words, quoting, expansions,
 * here-documents, separators, control words, pwsh; and word evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "infer/shell.h"

static ts_arena arena;

static int setup(void **state)
{
	(void)state;
	ts_arena a = TS_ARENA_INIT;
	arena = a;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_arena_free(&arena);
	return 0;
}

static const ts_sh_list *bash(const char *s)
{
	return ts_sh_parse(&arena, TS_SH_BASH, s, strlen(s));
}

static const ts_sh_list *pwsh(const char *s)
{
	return ts_sh_parse(&arena, TS_SH_PWSH, s, strlen(s));
}

/* A word shown as its parts: 'lit' $VAR ${{expr}} $(n cmds) $(( )). */
static const char *show(const ts_sh_word *w)
{
	ts_buf b;
	ts_buf_init(&b, &arena);
	for (size_t i = 0; i < w->nparts; i++) {
		const ts_sh_part *p = &w->parts[i];
		if (i)
			ts_buf_adds(&b, " ");
		switch (p->kind) {
		case TS_SH_LIT:
			ts_buf_addf(&b, "'%s'", p->text);
			break;
		case TS_SH_VAR:
			ts_buf_addf(&b, "$%s%s", p->env ? "env:" : "", p->text);
			if (p->op)
				ts_buf_addf(&b, "/op%d", p->op);
			if (p->alt)
				ts_buf_addf(&b, "{%s}", show(p->alt));
			break;
		case TS_SH_EXPR:
			ts_buf_addf(&b, "${{%s}}", p->text);
			break;
		case TS_SH_SUBST:
			ts_buf_addf(&b, "$(%zu)", p->sub->n);
			break;
		case TS_SH_ARITH:
			ts_buf_adds(&b, "$(())");
			break;
		}
	}
	return ts_buf_cstr(&b);
}

/* All words of a command, separated by " | ". */
static const char *words(const ts_sh_cmd *c)
{
	ts_buf b;
	ts_buf_init(&b, &arena);
	for (size_t i = 0; i < c->nwords; i++)
		ts_buf_addf(&b, "%s%s", i ? " | " : "", show(&c->words[i]));
	return ts_buf_cstr(&b);
}

/* ---------------------------------------------------------------- */

static void test_quotes(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("echo 'a b' \"c $X d\" e\\ f \"\" $'t\\tu'");
	assert_int_equal(l->n, 1);
	assert_string_equal(words(&l->cmds[0]),
			    "'echo' | 'a b' | 'c ' $X ' d' | 'e f' |  | 't\tu'");
	assert_true(l->cmds[0].words[0].plain);
	assert_false(l->cmds[0].words[1].plain);
}

static void test_double_quote_escapes(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("echo \"a \\\"b\\\" \\$c \\x\"");
	assert_string_equal(words(&l->cmds[0]), "'echo' | 'a \"b\" $c \\x'");
}

static void test_continuation(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("curl \\\n  -X POST \\\n  \"$URL\"\necho next");
	assert_int_equal(l->n, 2);
	assert_string_equal(words(&l->cmds[0]), "'curl' | '-X' | 'POST' | $URL");
	assert_int_equal(l->cmds[0].line, 0);
	assert_int_equal(l->cmds[1].line, 3);
}

static void test_separators(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("a; b && c || d | e & f\ng |& h");
	assert_int_equal(l->n, 8);
	const char *names = "abcdefgh";
	for (size_t i = 0; i < 8; i++) {
		char want[4] = {'\'', names[i], '\'', 0};
		assert_string_equal(words(&l->cmds[i]), want);
	}
	assert_false(l->cmds[3].pipe_in);
	assert_true(l->cmds[4].pipe_in);
	assert_false(l->cmds[5].pipe_in);
	assert_true(l->cmds[7].pipe_in);
}

static void test_comments(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("echo a # not $(run)\n# whole line gh pr merge\necho b#c");
	assert_int_equal(l->n, 2);
	assert_string_equal(words(&l->cmds[0]), "'echo' | 'a'");
	assert_string_equal(words(&l->cmds[1]), "'echo' | 'b#c'");
}

static void test_gh_expressions(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"echo ${{ secrets.GITHUB_TOKEN }} 'in ${{ github.token }} single' "
		"\"x${{ format('{0}}}', a) }}y\"");
	assert_int_equal(l->n, 1);
	assert_string_equal(words(&l->cmds[0]),
			    "'echo' | ${{secrets.GITHUB_TOKEN}} | "
			    "'in ' ${{github.token}} ' single' | "
			    "'x' ${{format('{0}}}', a)}} 'y'");
}

static void test_parameter_forms(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"echo ${A:-def} ${B-\"x y\"} ${C:+alt} ${#D} ${E%%.*} ${F/a/b} "
		"${!G} ${H:?msg} ${I:-$(whoami)} ${1} $@ $? ${J:=set}");
	assert_string_equal(words(&l->cmds[0]),
			    "'echo' | $A/op1{'def'} | $B/op1{'x y'} | $C/op2{'alt'} | "
			    "$D/op3 | $E/op4 | $F/op4 | $G/op4 | $H | "
			    "$I/op1{$(1)} | $1 | $@ | $? | $J/op1{'set'}");
}

static void test_command_substitution(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"X=$(gh pr list --json number | jq -r '.[0]') && echo \"n=`date +%s`\" "
		"\"$(echo \"in $(echo deep)\")\" $((1 + 2))");
	assert_int_equal(l->n, 2);
	const ts_sh_assign *as = &l->cmds[0].assigns[0];
	assert_string_equal(as->name, "X");
	const ts_sh_list *sub = as->value.parts[0].sub;
	assert_int_equal(sub->n, 2);
	assert_string_equal(words(&sub->cmds[0]), "'gh' | 'pr' | 'list' | '--json' | 'number'");
	assert_true(sub->cmds[1].pipe_in);
	assert_string_equal(words(&l->cmds[1]), "'echo' | 'n=' $(1) | $(1) | $(())");
	const ts_sh_list *bt = l->cmds[1].words[1].parts[1].sub;
	assert_string_equal(words(&bt->cmds[0]), "'date' | '+%s'");
	const ts_sh_list *outer = l->cmds[1].words[2].parts[0].sub;
	assert_string_equal(words(&outer->cmds[0]), "'echo' | 'in ' $(1)");
}

static void test_paren_inside_substitution(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"v=$(case $x in a) echo A ;; (b) echo B ;; esac); gh issue close 1");
	assert_int_equal(l->n, 2);
	const ts_sh_list *sub = l->cmds[0].assigns[0].value.parts[0].sub;
	assert_int_equal(sub->n, 3);      /* case subject, echo A, echo B */
	assert_int_equal(sub->cmds[0].kind, TS_SH_CMD_TEST);
	assert_string_equal(words(&sub->cmds[2]), "'echo' | 'B'");
	assert_string_equal(words(&l->cmds[1]), "'gh' | 'issue' | 'close' | '1'");
}

static void test_heredocs(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"cat <<EOF | gh api graphql --input -\n"
		"{\"query\": \"$Q\"}\n"
		"EOF\n"
		"cat > f <<-'END' ; echo after\n"
		"\tliteral $X ${{ github.token }}\n"
		"\tEND\n"
		"gh pr list\n");
	assert_int_equal(l->n, 5);
	const ts_sh_redir *r = &l->cmds[0].redirs[0];
	assert_int_equal(r->kind, TS_SH_REDIR_HEREDOC);
	assert_string_equal(show(&r->word), "'{\"query\": \"' $Q '\"}\n'");
	assert_true(l->cmds[1].pipe_in);
	assert_string_equal(words(&l->cmds[1]), "'gh' | 'api' | 'graphql' | '--input' | '-'");
	/* quoted delimiter: no expansion but GitHub's expressions */
	const ts_sh_cmd *c = &l->cmds[2];
	assert_int_equal(c->nredirs, 2);
	assert_int_equal(c->redirs[0].kind, TS_SH_REDIR_OUT);
	assert_string_equal(show(&c->redirs[1].word),
			    "'\tliteral $X ' ${{github.token}} '\n'");
	assert_string_equal(words(&l->cmds[3]), "'echo' | 'after'");
	assert_string_equal(words(&l->cmds[4]), "'gh' | 'pr' | 'list'");
	assert_int_equal(l->cmds[4].line, 6);
}

static void test_two_heredocs_and_in_substitution(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"cmd <<A <<B\none\nA\ntwo\nB\n"
		"x=$(cat <<EOF\ninner $Y\nEOF\n)\n"
		"git push\n");
	assert_int_equal(l->n, 3);
	assert_string_equal(show(&l->cmds[0].redirs[0].word), "'one\n'");
	assert_string_equal(show(&l->cmds[0].redirs[1].word), "'two\n'");
	const ts_sh_list *sub = l->cmds[1].assigns[0].value.parts[0].sub;
	assert_string_equal(show(&sub->cmds[0].redirs[0].word), "'inner ' $Y '\n'");
	assert_string_equal(words(&l->cmds[2]), "'git' | 'push'");
	assert_int_equal(l->cmds[2].line, 9);
}

static void test_heredoc_without_end(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("cat <<EOF\nnever closed\ngh pr merge");
	assert_int_equal(l->n, 1);
	assert_string_equal(show(&l->cmds[0].redirs[0].word), "'never closed\ngh pr merge'");
}

static void test_redirections(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("echo x >> \"$GITHUB_ENV\" 2>&1 >&2 &>/dev/null <in 3>f <<< \"$S\"");
	const ts_sh_cmd *c = &l->cmds[0];
	assert_int_equal(c->nwords, 2);
	assert_int_equal(c->nredirs, 7);
	assert_int_equal(c->redirs[0].kind, TS_SH_REDIR_APPEND);
	assert_int_equal(c->redirs[0].fd, 1);
	assert_string_equal(show(&c->redirs[0].word), "$GITHUB_ENV");
	assert_int_equal(c->redirs[1].kind, TS_SH_REDIR_DUP);
	assert_int_equal(c->redirs[1].fd, 2);
	assert_int_equal(c->redirs[2].kind, TS_SH_REDIR_DUP);
	assert_int_equal(c->redirs[3].kind, TS_SH_REDIR_OUT);
	assert_int_equal(c->redirs[4].kind, TS_SH_REDIR_IN);
	assert_int_equal(c->redirs[5].fd, 3);
	assert_int_equal(c->redirs[6].kind, TS_SH_REDIR_HERESTRING);
	l = bash("cat <<< \"$S\"");
	assert_int_equal(l->cmds[0].redirs[0].kind, TS_SH_REDIR_HERESTRING);
	assert_string_equal(show(&l->cmds[0].redirs[0].word), "$S");
}

static void test_assignments(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("A=1 B=\"x y\" gh pr list\nC=$D\nE+=more\nexport F=${{ github.token }}\nARR=(a \"b c\")");
	assert_int_equal(l->n, 5);
	assert_int_equal(l->cmds[0].nassigns, 2);
	assert_string_equal(l->cmds[0].assigns[1].name, "B");
	assert_string_equal(show(&l->cmds[0].assigns[1].value), "'x y'");
	assert_string_equal(words(&l->cmds[0]), "'gh' | 'pr' | 'list'");
	assert_int_equal(l->cmds[1].nwords, 0);
	assert_string_equal(show(&l->cmds[1].assigns[0].value), "$D");
	assert_true(l->cmds[2].assigns[0].append);
	assert_string_equal(words(&l->cmds[3]), "'export' | 'F=' ${{github.token}}");
	ts_sh_assign as;
	assert_true(ts_sh_split_assign(&arena, &l->cmds[3].words[1], &as));
	assert_string_equal(as.name, "F");
	assert_string_equal(show(&as.value), "${{github.token}}");
	assert_false(ts_sh_split_assign(&arena, &l->cmds[3].words[0], &as));
	assert_string_equal(show(&l->cmds[4].assigns[0].value), "'a b c'");
	/* not an assignment once a command word was seen */
	l = bash("echo X=1");
	assert_int_equal(l->cmds[0].nassigns, 0);
	assert_int_equal(l->cmds[0].nwords, 2);
}

static void test_control_words(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"if [[ -n \"$X\" && $Y == z ]]; then\n  git push\nelif true; then :; else echo no; fi\n"
		"for f in $(ls) a; do gh issue close \"$f\"; done\n"
		"while read -r line; do echo \"$line\"; done < file\n"
		"f() { gh pr list; }\n"
		"function g { echo g; }\n"
		"( cd sub && make ) | tee log\n"
		"! grep -q x y\n"
		"{ echo grouped; }\n");
	const char *want[] = {
		"'-n' | $X | $Y | '==' | 'z'", "'git' | 'push'", "'true'", "':'",
		"'echo' | 'no'", "'f' | $(1) | 'a'", "'gh' | 'issue' | 'close' | $f",
		"'read' | '-r' | 'line'", "'echo' | $line",
		"",     /* `done < file`: the loop's redirection */
		"'gh' | 'pr' | 'list'",
		"'echo' | 'g'", "'cd' | 'sub'", "'make'", "'tee' | 'log'",
		"'grep' | '-q' | 'x' | 'y'", "'echo' | 'grouped'", NULL
	};
	size_t n = 0;
	while (want[n])
		n++;
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(words(&l->cmds[i]), want[i]);
	assert_int_equal(l->cmds[0].kind, TS_SH_CMD_TEST);
	assert_int_equal(l->cmds[5].kind, TS_SH_CMD_FOR);
	assert_int_equal(l->cmds[9].redirs[0].kind, TS_SH_REDIR_IN);
	assert_true(l->cmds[14].pipe_in);
}

static void test_case(void **state)
{
	(void)state;
	const ts_sh_list *l = bash(
		"case \"$EVENT\" in\n"
		"  push|workflow_dispatch) gh workflow run x ;;\n"
		"  pull_request)\n    gh pr comment 1 --body hi\n    ;;\n"
		"  *) echo other ;;\n"
		"esac\n"
		"echo done");
	assert_int_equal(l->n, 5);
	assert_int_equal(l->cmds[0].kind, TS_SH_CMD_TEST);
	assert_string_equal(words(&l->cmds[1]), "'gh' | 'workflow' | 'run' | 'x'");
	assert_string_equal(words(&l->cmds[2]), "'gh' | 'pr' | 'comment' | '1' | '--body' | 'hi'");
	assert_int_equal(l->cmds[2].line, 3);
	assert_string_equal(words(&l->cmds[3]), "'echo' | 'other'");
	assert_string_equal(words(&l->cmds[4]), "'echo' | 'done'");
}

static void test_process_substitution(void **state)
{
	(void)state;
	const ts_sh_list *l = bash("diff <(gh pr diff 1) >(cat) file");
	assert_int_equal(l->n, 1);
	assert_string_equal(words(&l->cmds[0]), "'diff' | $(1) | $(1) | 'file'");
}

static void test_never_loops_on_junk(void **state)
{
	(void)state;
	const char *junk[] = {
		")))", "((((", "echo \"unterminated", "echo 'open", "${", "$(",
		"`", "case x in", "<<", "a |", "&&", ";;", "for", "f() {", "${{ x",
		"echo ${A:-${B:-${C", "\\", "[[ a", NULL
	};
	for (int i = 0; junk[i]; i++)
		(void)bash(junk[i]);
	for (int i = 0; junk[i]; i++)
		(void)pwsh(junk[i]);
	/* deep nesting is cut, not followed to a stack overflow */
	ts_buf b;
	ts_buf_init(&b, &arena);
	for (int i = 0; i < 5000; i++)
		ts_buf_adds(&b, "$(");
	(void)bash(ts_buf_cstr(&b));
	b.len = 0;
	for (int i = 0; i < 5000; i++)
		ts_buf_adds(&b, "`echo \\");
	(void)bash(ts_buf_cstr(&b));
}

static void test_lang_of(void **state)
{
	(void)state;
	assert_int_equal(ts_sh_lang_of(NULL), TS_SH_BASH);
	assert_int_equal(ts_sh_lang_of("bash"), TS_SH_BASH);
	assert_int_equal(ts_sh_lang_of("bash -e {0}"), TS_SH_BASH);
	assert_int_equal(ts_sh_lang_of("/usr/bin/sh"), TS_SH_BASH);
	assert_int_equal(ts_sh_lang_of("pwsh"), TS_SH_PWSH);
	assert_int_equal(ts_sh_lang_of("powershell -command \". '{0}'\""), TS_SH_PWSH);
	assert_int_equal(ts_sh_lang_of("python"), TS_SH_OTHER);
	assert_int_equal(ts_sh_lang_of("cmd"), TS_SH_OTHER);
	assert_int_equal(ts_sh_lang_of("node {0}"), TS_SH_OTHER);
}

/* ---------------------------------------------------------------- pwsh */

static void test_pwsh_forms(void **state)
{
	(void)state;
	const ts_sh_list *l = pwsh(
		"$env:GH_TOKEN = \"${{ secrets.GITHUB_TOKEN }}\"\n"
		"gh pr merge --auto $env:PR  # comment\n"
		"<# block\n comment #>\n"
		"Invoke-RestMethod -Uri \"https://api.github.com/repos/$env:GITHUB_REPOSITORY/issues\" `\n"
		"  -Method Post -Headers @{ Authorization = \"token $env:GITHUB_TOKEN\" }\n"
		"$prs = gh pr list | ConvertFrom-Json\n"
		"if ($prs.Count -gt 0) { Write-Host 'it''s' }\n");
	assert_int_equal(l->n, 6);
	const ts_sh_cmd *c = &l->cmds[0];
	assert_int_equal(c->nwords, 0);
	assert_string_equal(c->assigns[0].name, "GH_TOKEN");
	assert_true(c->assigns[0].env);
	assert_string_equal(show(&c->assigns[0].value), "${{secrets.GITHUB_TOKEN}}");
	assert_string_equal(words(&l->cmds[1]), "'gh' | 'pr' | 'merge' | '--auto' | $env:PR");
	assert_string_equal(words(&l->cmds[2]),
			    "'Invoke-RestMethod' | '-Uri' | "
			    "'https://api.github.com/repos/' $env:GITHUB_REPOSITORY '/issues' | "
			    "'-Method' | 'Post' | '-Headers' | "
			    "'@{ Authorization = token ' $env:GITHUB_TOKEN ' }'");
	assert_int_equal(l->cmds[2].line, 4);
	c = &l->cmds[3];
	assert_string_equal(c->assigns[0].name, "prs");
	assert_false(c->assigns[0].env);
	const ts_sh_list *sub = c->assigns[0].value.parts[0].sub;
	assert_int_equal(sub->n, 2);
	assert_string_equal(words(&sub->cmds[0]), "'gh' | 'pr' | 'list'");
	assert_true(sub->cmds[1].pipe_in);
	assert_string_equal(words(&l->cmds[5]), "'Write-Host' | 'it's'");
}

/* ---------------------------------------------------------------- values */

static ts_var var(const char *name, ts_val_kind k, const char *text)
{
	ts_var v = {.name = name, .value = {k, text}};
	return v;
}

static ts_sh_value eval1(ts_sh_scope *s, const char *script)
{
	const ts_sh_list *l = bash(script);
	assert_true(l->n >= 1 && l->cmds[0].nwords >= 2);
	return ts_sh_eval(s, &l->cmds[0].words[1]);
}

static void test_eval(void **state)
{
	(void)state;
	ts_var job[] = {
		var("GH_TOKEN", TS_VAL_GITHUB_TOKEN, "${{ secrets.GITHUB_TOKEN }}"),
		var("PAT", TS_VAL_SECRET, "${{ secrets.PAT }}"),
		var("NUM", TS_VAL_UNKNOWN, "${{ github.event.pull_request.number }}"),
		var("MAYBE_TOKEN", TS_VAL_UNKNOWN, "${{ inputs.token }}"),
		var("NAME", TS_VAL_TEXT, "tokenscope"),
	};
	ts_var step[] = {var("NAME", TS_VAL_TEXT, "nearer")};
	ts_env je = {NULL, job, 5};
	ts_env se = {&je, step, 1};
	ts_expr_ctx x = {&arena, &se, NULL, NULL};
	ts_sh_scope *s = ts_sh_scope_new(&arena, &x, true, false);

	ts_sh_value v = eval1(s, "echo \"Bearer $GH_TOKEN\"");
	assert_int_equal(v.kind, TS_VAL_GITHUB_TOKEN);
	v = eval1(s, "echo $PAT$GH_TOKEN");
	assert_int_equal(v.kind, TS_VAL_GITHUB_TOKEN);
	v = eval1(s, "echo x$PAT");
	assert_int_equal(v.kind, TS_VAL_SECRET);
	v = eval1(s, "echo $NAME/$GITHUB_REPOSITORY/issues/$NUM");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "nearer/{owner}/{repo}/issues/{NUM}");
	assert_false(v.exact);
	assert_true(v.pull_request);
	v = eval1(s, "echo $GITHUB_API_URL/x");
	assert_true(v.exact);
	assert_string_equal(v.text, "https://api.github.com/x");
	v = eval1(s, "echo $MAYBE_TOKEN");
	assert_int_equal(v.kind, TS_VAL_UNKNOWN);
	v = eval1(s, "echo $GITHUB_SHA");
	assert_int_equal(v.kind, TS_VAL_TEXT);
	assert_string_equal(v.text, "{GITHUB_SHA}");
	v = eval1(s, "echo ${{ secrets.GITHUB_TOKEN }}");
	assert_int_equal(v.kind, TS_VAL_GITHUB_TOKEN);
	v = eval1(s, "echo ${{ github.repository }}");
	assert_string_equal(v.text, "{owner}/{repo}");
	assert_true(v.exact);
	v = eval1(s, "echo ${{ steps.app.outputs.token }}");
	assert_int_equal(v.kind, TS_VAL_UNKNOWN);
	v = eval1(s, "echo ${{ github.event.number }}");
	assert_true(v.pull_request);
	v = eval1(s, "echo ${UNSET:-fallback} ${NAME:-no} ${UNSET:+x}${NAME:+yes}");
	(void)v;
	const ts_sh_list *l = bash("echo ${UNSET:-fallback} ${NAME:-no} ${UNSET:+x}${NAME:+yes} ${#GH_TOKEN}");
	assert_string_equal(ts_sh_eval(s, &l->cmds[0].words[1]).text, "fallback");
	assert_string_equal(ts_sh_eval(s, &l->cmds[0].words[2]).text, "nearer");
	assert_string_equal(ts_sh_eval(s, &l->cmds[0].words[3]).text, "yes");
	assert_int_equal(ts_sh_eval(s, &l->cmds[0].words[4]).kind, TS_VAL_TEXT);
}

static bool count_env(void *ud, const char *name, size_t len, ts_val_kind kind)
{
	ts_buf *b = ud;
	ts_buf_addf(b, "%.*s=%d ", (int)len, name, kind);
	return true;
}

/* An env entry's credential, once decided where the env was evaluated,
 * is what the shell goes by; undecided, the shell looks at the name and
 * the text itself. */
static void test_credential_decided(void **state)
{
	(void)state;
	ts_var vars[] = {var("DEPLOY_TOKEN", TS_VAL_UNKNOWN, "${{ steps.a.outputs.b }}"),
			 var("PLAIN", TS_VAL_UNKNOWN, "${{ steps.a.outputs.b }}"),
			 var("GH_PAT", TS_VAL_UNKNOWN, "${{ steps.a.outputs.b }}")};
	vars[0].credential = 1;
	vars[1].credential = 2;
	assert_true(ts_sh_credential_like("GH_PAT", 6, vars[2].value.text));
	assert_false(ts_sh_credential_like("PLAIN", 5, vars[1].value.text));
	ts_env e = {NULL, vars, 3};
	ts_expr_ctx x = {&arena, &e, NULL, NULL};
	ts_sh_scope *s = ts_sh_scope_new(&arena, &x, false, false);
	ts_buf b;
	ts_buf_init(&b, &arena);
	ts_sh_env_creds(s, count_env, &b);
	assert_string_equal(ts_buf_cstr(&b), "PLAIN=3 GH_PAT=3 ");
}

static void test_scope(void **state)
{
	(void)state;
	ts_var job[] = {var("GITHUB_TOKEN", TS_VAL_GITHUB_TOKEN, "x"),
			var("KEEP", TS_VAL_TEXT, "k")};
	ts_env je = {NULL, job, 2};
	ts_expr_ctx x = {&arena, &je, NULL, NULL};
	ts_sh_scope *s = ts_sh_scope_new(&arena, &x, false, false);
	bool found;

	ts_sh_set(s, "LOCAL", 5, ts_sh_text("l"), false);
	ts_sh_value v = ts_sh_lookup(s, "LOCAL", 5, true, &found);
	assert_false(found);                    /* not exported */
	v = ts_sh_lookup(s, "LOCAL", 5, false, &found);
	assert_true(found);
	assert_string_equal(v.text, "l");
	ts_sh_export(s, "LOCAL", 5);
	(void)ts_sh_lookup(s, "LOCAL", 5, true, &found);
	assert_true(found);

	/* assigning a variable of the environment keeps it exported */
	ts_sh_set(s, "KEEP", 4, ts_sh_text("changed"), false);
	v = ts_sh_lookup(s, "KEEP", 4, true, &found);
	assert_true(found);
	assert_string_equal(v.text, "changed");

	ts_sh_unset(s, "GITHUB_TOKEN", 12);
	v = ts_sh_lookup(s, "GITHUB_TOKEN", 12, false, &found);
	assert_false(found);
	assert_string_equal(v.text, "");

	ts_sh_allexport(s, true);
	ts_sh_set(s, "AUTO", 4, ts_sh_text("a"), false);
	ts_sh_scope *child = ts_sh_scope_child(s);
	ts_sh_set(child, "PREFIX", 6, ts_sh_text("p"), true);
	ts_buf b;
	ts_buf_init(&b, &arena);
	ts_sh_env_each(child, count_env, &b);
	assert_string_equal(ts_buf_cstr(&b), "PREFIX=0 AUTO=0 KEEP=0 LOCAL=0 ");
	/* only credentials: none is left, GITHUB_TOKEN was unset */
	ts_buf_init(&b, &arena);
	ts_sh_env_creds(child, count_env, &b);
	assert_string_equal(ts_buf_cstr(&b), "");
	ts_sh_set(child, "PAT", 3, (ts_sh_value){.kind = TS_VAL_UNKNOWN, .text = "p"}, true);
	ts_sh_env_creds(child, count_env, &b);
	assert_string_equal(ts_buf_cstr(&b), "PAT=3 ");
	/* in a script that left the env alone, the env's token, not KEEP */
	ts_buf_init(&b, &arena);
	ts_sh_env_creds(ts_sh_scope_new(&arena, &x, false, false), count_env, &b);
	assert_string_equal(ts_buf_cstr(&b), "GITHUB_TOKEN=1 ");
	(void)ts_sh_lookup(s, "PREFIX", 6, false, &found);
	assert_false(found);                    /* the prefix stays on the child */
}

static void test_pwsh_scope(void **state)
{
	(void)state;
	ts_var job[] = {var("GITHUB_TOKEN", TS_VAL_GITHUB_TOKEN, "x")};
	ts_env je = {NULL, job, 1};
	ts_expr_ctx x = {&arena, &je, NULL, NULL};
	ts_sh_scope *s = ts_sh_scope_new(&arena, &x, false, true);
	const ts_sh_list *l = pwsh("echo $env:GITHUB_TOKEN $GITHUB_TOKEN $Env:GITHUB_TOKEN");
	assert_int_equal(ts_sh_eval(s, &l->cmds[0].words[1]).kind, TS_VAL_GITHUB_TOKEN);
	/* $GITHUB_TOKEN is a PowerShell variable, not the environment */
	assert_int_equal(ts_sh_eval(s, &l->cmds[0].words[2]).kind, TS_VAL_TEXT);
	assert_int_equal(ts_sh_eval(s, &l->cmds[0].words[3]).kind, TS_VAL_GITHUB_TOKEN);
	ts_sh_set(s, "Headers", 7, ts_sh_text("h"), false);
	bool found;
	ts_sh_value v = ts_sh_lookup(s, "headers", 7, false, &found);
	assert_true(found);
	assert_string_equal(v.text, "h");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_double_quote_escapes),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_gh_expressions),
		cmocka_unit_test(test_parameter_forms),
		cmocka_unit_test(test_command_substitution),
		cmocka_unit_test(test_paren_inside_substitution),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_two_heredocs_and_in_substitution),
		cmocka_unit_test(test_heredoc_without_end),
		cmocka_unit_test(test_redirections),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_control_words),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_process_substitution),
		cmocka_unit_test(test_never_loops_on_junk),
		cmocka_unit_test(test_lang_of),
		cmocka_unit_test(test_pwsh_forms),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_credential_decided),
		cmocka_unit_test(test_pwsh_scope),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
