/* shell.c - see shell.h.
 *
 * One recursive reader for bash/sh: a list of commands, each made of
 * assignments, words and redirections; a word is a list of parts. The reader
 * follows bash's own order of reading (quotes, then expansions, then
 * here-document bodies after the line that announced them) so that what is
 * data and what is a command is decided as the shell decides it. pwsh has a
 * smaller reader at the end of the file for its common forms.
 */
#include "shell.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TS_SH_MAX_DEPTH = 64 };

/* ------------------------------------------------------------------ */
/* growable arrays in the arena                                         */

typedef struct part_vec { ts_sh_part *v; size_t n, cap; } part_vec;
typedef struct word_vec { ts_sh_word *v; size_t n, cap; } word_vec;
typedef struct assign_vec { ts_sh_assign *v; size_t n, cap; } assign_vec;
typedef struct redir_vec { ts_sh_redir *v; size_t n, cap; } redir_vec;
typedef struct cmd_vec { ts_sh_cmd *v; size_t n, cap; } cmd_vec;

#define VEC_PUSH(a, vec, item) do { \
	if ((vec)->n == (vec)->cap) \
		(vec)->v = ts_grow_raw((a), (vec)->v, &(vec)->cap, (vec)->n + 1, \
				   sizeof(*(vec)->v)); \
	(vec)->v[(vec)->n++] = (item); \
} while (0)

/* A table of 256 bytes made at compile time: entry c is F(c). The shell
 * reads every byte of a script through such tables. */
#define TABLE4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define TABLE16(F, c) TABLE4(F, c), TABLE4(F, (c) + 4), TABLE4(F, (c) + 8), \
	TABLE4(F, (c) + 12)
#define TABLE64(F, c) TABLE16(F, c), TABLE16(F, (c) + 16), TABLE16(F, (c) + 32), \
	TABLE16(F, (c) + 48)
#define TABLE256(F) {TABLE64(F, 0), TABLE64(F, 64), TABLE64(F, 128), TABLE64(F, 192)}

/* A here-document announced on the current line, waiting for its body. */
typedef struct heredoc {
	ts_sh_redir *redir;     /* in a finished command: stable */
	const char *delim;
	size_t dlen;
	bool strip, quoted;
} heredoc;

typedef struct pending_doc {
	size_t redir_index;
	const char *delim;
	size_t dlen;
	bool strip, quoted;
} pending_doc;

typedef struct sh_parser {
	ts_arena *a;
	ts_sh_lang lang;
	const char *s;
	size_t len, pos;
	size_t *lines;          /* offsets where lines start */
	size_t nlines;
	size_t line_hint;       /* the index line_at() found last */
	int line_base;          /* line of s[0] in the script (backticks) */
	heredoc *docs;
	size_t ndocs, capdocs;
	int depth;
	bool hit_esac;          /* the last command read was `esac` */
} sh_parser;

static void parser_init(sh_parser *p, ts_arena *a, ts_sh_lang lang,
			const char *s, size_t len, int line_base)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->lang = lang;
	p->s = s;
	p->len = len;
	p->line_base = line_base;
	size_t n = 1;
	for (const char *nl = s; (nl = memchr(nl, '\n', len - (size_t)(nl - s))); nl++)
		n++;
	p->lines = ts_alloc_array_raw(a, n, sizeof(size_t));
	p->lines[p->nlines++] = 0;
	for (const char *nl = s; (nl = memchr(nl, '\n', len - (size_t)(nl - s))); nl++)
		p->lines[p->nlines++] = (size_t)(nl - s) + 1;
}

/* The line of byte `pos`. Every word asks, mostly a little after the last
 * one asked: the search starts from the line found last. */
static int line_at(sh_parser *p, size_t pos)
{
	size_t lo = p->line_hint, hi = p->nlines;
	if (p->lines[lo] > pos)
		lo = 0;
	else if (lo + 1 < hi && p->lines[lo + 1] > pos)
		hi = lo + 1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->lines[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	p->line_hint = lo;
	return p->line_base + (int)lo;
}

static int peek(const sh_parser *p, size_t ahead)
{
	size_t i = p->pos + ahead;
	return i < p->len ? (unsigned char)p->s[i] : -1;
}

static bool at(const sh_parser *p, const char *lit)
{
	size_t n = strlen(lit);
	return p->pos + n <= p->len && memcmp(p->s + p->pos, lit, n) == 0;
}

static bool is_name_start(int c)
{
	return c == '_' || (c >= 0 && c < 128 && isalpha(c));
}

static bool is_name_char(int c)
{
	return c == '_' || (c >= 0 && c < 128 && isalnum(c));
}

/* ------------------------------------------------------------------ */
/* word building                                                        */

/* Most words are a few parts, and most literal text is one run of the
 * script's bytes: a word is built on the stack, its literal kept as a
 * pointer into the script while it stays one run, and the finished word
 * is copied to the arena in one allocation: its parts, then the text of
 * each part that still points into the script. */
enum { WB_PARTS = 4, WB_PENDING = 64 };

typedef struct wbuild {
	ts_arena *a;
	part_vec parts;         /* starts in `local`; ts_grow moves it */
	ts_sh_part local[WB_PARTS];
	unsigned long long pending; /* bit i: parts[i].text is in the script,
				       not yet copied (nor NUL-terminated) */
	const char *run;        /* the literal, while it is one run of source */
	size_t runlen;
	ts_buf lit;             /* the literal, once it is not (never both) */
	bool plain;     /* nothing quoted, escaped or expanded so far */
	bool any;       /* something was read: "" is a word */
} wbuild;

static void wb_init(wbuild *w, ts_arena *a)
{
	w->a = a;
	w->parts.v = w->local;
	w->parts.n = 0;
	w->parts.cap = WB_PARTS;
	w->pending = 0;
	w->run = NULL;
	w->runlen = 0;
	ts_buf_init(&w->lit, a);
	w->plain = true;
	w->any = false;
}

static void wb_flush(wbuild *w)
{
	ts_sh_part part = {0};
	part.kind = TS_SH_LIT;
	if (w->runlen) {
		part.text = w->run;
		part.len = w->runlen;
		if (w->parts.n < WB_PENDING)
			w->pending |= 1ull << w->parts.n;
		else
			part.text = ts_strndup(w->a, w->run, w->runlen);
		w->runlen = 0;
	} else if (w->lit.len) {
		part.text = w->lit.data;    /* NUL-terminated; the part keeps it */
		part.len = w->lit.len;
		ts_buf_init(&w->lit, w->a);
	} else {
		return;
	}
	VEC_PUSH(w->a, &w->parts, part);
}

/* The literal stops being one run of the script: what the run holds so
 * far moves to `lit`, where the rest will be added. */
static void wb_unrun(wbuild *w)
{
	if (w->runlen) {
		ts_buf_add(&w->lit, w->run, w->runlen);
		w->runlen = 0;
	}
}

/* Literal text that is not where the script has it (an escape undone). */
static void wb_char(wbuild *w, char c)
{
	wb_unrun(w);
	ts_buf_add(&w->lit, &c, 1);
	w->any = true;
}

/* n bytes of the script, at s, taken as literal text. */
static void wb_src(wbuild *w, const char *s, size_t n)
{
	w->any = true;
	if (!w->lit.len && (!w->runlen || w->run + w->runlen == s)) {
		w->run = w->runlen ? w->run : s;
		w->runlen += n;
		return;
	}
	wb_unrun(w);
	ts_buf_add(&w->lit, s, n);
}

static void wb_part(wbuild *w, ts_sh_part part)
{
	wb_flush(w);
	VEC_PUSH(w->a, &w->parts, part);
	w->any = true;
	w->plain = false;
}

static ts_sh_word wb_finish(wbuild *w, int line)
{
	wb_flush(w);
	size_t n = w->parts.n, text = 0;
	size_t head = w->parts.v == w->local ? n * sizeof(ts_sh_part) : 0;
	for (size_t i = 0; i < n && i < WB_PENDING; i++)
		if (w->pending >> i & 1)
			text += w->parts.v[i].len + 1;
	ts_sh_word word = {0};
	word.parts = w->parts.v;
	word.nparts = n;
	word.line = line;
	word.plain = w->plain;
	if (!head && !text)
		return word;
	char *mem = ts_alloc_raw(w->a, head + text);   /* all written below */
	ts_sh_part *parts = head ? memcpy(mem, w->local, head) : w->parts.v;
	char *t = mem + head;
	for (size_t i = 0; i < n && i < WB_PENDING; i++) {
		if (!(w->pending >> i & 1))
			continue;
		memcpy(t, parts[i].text, parts[i].len);
		t[parts[i].len] = '\0';
		parts[i].text = t;
		t += parts[i].len + 1;
	}
	word.parts = parts;
	return word;
}

/* ------------------------------------------------------------------ */
/* GitHub expressions                                                   */

/* At "${{": reads to the matching "}}", stepping over the expression
 * language's single-quoted strings, where "}}" is text. */
static void scan_gh_expr(sh_parser *p, wbuild *w)
{
	size_t start = p->pos + 3, i = start, end = p->len;
	bool in_str = false;
	for (; i < p->len; i++) {
		char c = p->s[i];
		if (in_str) {
			if (c == '\'')
				in_str = false;
			continue;
		}
		if (c == '\'')
			in_str = true;
		else if (c == '}' && i + 1 < p->len && p->s[i + 1] == '}') {
			end = i;
			break;
		}
	}
	size_t a = start, b = end;
	while (a < b && isspace((unsigned char)p->s[a]))
		a++;
	while (b > a && isspace((unsigned char)p->s[b - 1]))
		b--;
	ts_sh_part part = {0};
	part.kind = TS_SH_EXPR;
	part.text = ts_strndup(p->a, p->s + a, b - a);
	part.len = b - a;
	wb_part(w, part);
	p->pos = end < p->len ? end + 2 : p->len;
}

/* ------------------------------------------------------------------ */
/* bash words                                                           */

typedef enum scan_mode {
	M_WORD,         /* an unquoted word: ends at a blank or metacharacter */
	M_DQ,           /* inside "...": ends at the closing quote */
	M_BRACE,        /* the word of ${X:-word}: ends at an unquoted } */
	M_HEREDOC,      /* an unquoted here-document body: to the end */
	M_RAW           /* a quoted here-document body: only ${{ }} */
} scan_mode;

static const ts_sh_list *parse_list(sh_parser *p, unsigned stop);
static void scan_parts(sh_parser *p, wbuild *w, scan_mode mode);

enum { STOP_PAREN = 1, STOP_CASE = 2 };

static bool is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' ||
	       c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
	       c == ')';
}

static void scan_single(sh_parser *p, wbuild *w)
{
	p->pos++;
	while (p->pos < p->len && p->s[p->pos] != '\'') {
		if (at(p, "${{")) {
			scan_gh_expr(p, w);
			continue;
		}
		size_t start = p->pos++;
		while (p->pos < p->len && p->s[p->pos] != '\'' && p->s[p->pos] != '$')
			p->pos++;
		wb_src(w, p->s + start, p->pos - start);
	}
	if (p->pos < p->len)
		p->pos++;
	w->any = true;
	w->plain = false;
}

/* $'...': ANSI-C quoting; only the escapes scripts use for data. */
static void scan_ansi(sh_parser *p, wbuild *w)
{
	p->pos += 2;
	while (p->pos < p->len && p->s[p->pos] != '\'') {
		char c = p->s[p->pos++];
		if (c == '\\' && p->pos < p->len) {
			char e = p->s[p->pos++];
			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
		}
		wb_char(w, c);
	}
	if (p->pos < p->len)
		p->pos++;
	w->any = true;
	w->plain = false;
}

/* Steps over $((...)) or ((...)): parentheses balance inside. */
static void skip_arith(sh_parser *p)
{
	int depth = 0;
	while (p->pos < p->len) {
		char c = p->s[p->pos++];
		if (c == '(')
			depth++;
		else if (c == ')' && --depth <= 0) {
			if (p->pos < p->len && p->s[p->pos] == ')')
				p->pos++;
			return;
		}
	}
}

static const ts_sh_list *parse_sub(sh_parser *p, unsigned stop)
{
	if (p->depth >= TS_SH_MAX_DEPTH) {
		/* Too deep to be a real script: read it as one opaque part. */
		int depth = 0;
		while (p->pos < p->len) {
			char c = p->s[p->pos++];
			if (c == '(')
				depth++;
			else if (c == ')' && depth-- == 0)
				break;
		}
		return ts_alloc(p->a, sizeof(ts_sh_list));
	}
	p->depth++;
	const ts_sh_list *l = parse_list(p, stop);
	p->depth--;
	return l;
}

static void scan_backtick(sh_parser *p, wbuild *w)
{
	int line = line_at(p, p->pos);
	p->pos++;
	ts_buf inner;
	ts_buf_init(&inner, p->a);
	while (p->pos < p->len && p->s[p->pos] != '`') {
		char c = p->s[p->pos++];
		if (c == '\\' && p->pos < p->len &&
		    strchr("`\\$", p->s[p->pos]))
			c = p->s[p->pos++];
		ts_buf_add(&inner, &c, 1);
	}
	if (p->pos < p->len)
		p->pos++;
	sh_parser sub;
	parser_init(&sub, p->a, p->lang, ts_buf_cstr(&inner), inner.len, line);
	sub.depth = p->depth + 1;
	ts_sh_part part = {0};
	part.kind = TS_SH_SUBST;
	part.sub = sub.depth < TS_SH_MAX_DEPTH ? parse_list(&sub, 0)
					      : ts_alloc(p->a, sizeof(ts_sh_list));
	wb_part(w, part);
}

/* Past the `}` that closes the current ${...}, without reading it. */
static void skip_braced(sh_parser *p)
{
	int depth = 0;
	for (; p->pos < p->len; p->pos++) {
		char c = p->s[p->pos];
		if (c == '{')
			depth++;
		else if (c == '}' && depth-- == 0)
			return;
	}
}

static ts_sh_word scan_brace_word(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	if (p->depth >= TS_SH_MAX_DEPTH) {
		skip_braced(p);     /* too deep to be a real script */
		return wb_finish(&w, line);
	}
	p->depth++;
	scan_parts(p, &w, M_BRACE);
	p->depth--;
	return wb_finish(&w, line);
}

/* The name in ${...}: an identifier, digits, or one special character. */
static void scan_param_name(sh_parser *p, ts_sh_part *part)
{
	size_t start = p->pos;
	int c = peek(p, 0);
	if (is_name_start(c)) {
		while (is_name_char(peek(p, 0)))
			p->pos++;
	} else if (c >= '0' && c <= '9') {
		while (peek(p, 0) >= '0' && peek(p, 0) <= '9')
			p->pos++;
	} else if (c >= 0 && strchr("@*#?$!-", c)) {
		p->pos++;
	}
	part->text = ts_strndup(p->a, p->s + start, p->pos - start);
	part->len = p->pos - start;
}

/* The operator after the name: :- - := = :+ + :? ?; 0 for none. */
static char param_op(sh_parser *p)
{
	int c = peek(p, 0), c1 = peek(p, 1);
	if (c == ':' && c1 >= 0 && strchr("-=+?", c1)) {
		p->pos += 2;
		return (char)c1;
	}
	if (c >= 0 && strchr("-=+?", c)) {
		p->pos++;
		return (char)c;
	}
	return 0;
}

/* At "${" (not "${{"): parameter expansion. */
static void scan_param(sh_parser *p, wbuild *w)
{
	ts_sh_part part = {0};
	part.kind = TS_SH_VAR;
	p->pos += 2;
	if (peek(p, 0) == '#' && peek(p, 1) != '}') {
		part.op = TS_SH_OP_LENGTH;
		p->pos++;
	} else if (peek(p, 0) == '!') {
		part.op = TS_SH_OP_OTHER;
		p->pos++;
	}
	scan_param_name(p, &part);
	char opc = part.op == TS_SH_OP_NONE ? param_op(p) : 0;
	if (opc) {
		ts_sh_word *alt = ts_alloc(p->a, sizeof(*alt));
		*alt = scan_brace_word(p);
		if (opc == '-' || opc == '=')
			part.op = TS_SH_OP_DEFAULT;
		else if (opc == '+')
			part.op = TS_SH_OP_ALT;
		part.alt = (opc == '?') ? NULL : alt;
	} else if (peek(p, 0) != '}') {
		if (part.op == TS_SH_OP_NONE)
			part.op = TS_SH_OP_OTHER;
		(void)scan_brace_word(p);   /* pattern or slice: its value is not needed */
	}
	if (peek(p, 0) == '}')
		p->pos++;
	wb_part(w, part);
}

static void scan_dollar(sh_parser *p, wbuild *w, scan_mode mode)
{
	int c = peek(p, 1);
	if (at(p, "${{")) {
		scan_gh_expr(p, w);
	} else if (c == '{') {
		scan_param(p, w);
	} else if (c == '(' && peek(p, 2) == '(') {
		p->pos++;
		skip_arith(p);
		ts_sh_part part = {0};
		part.kind = TS_SH_ARITH;
		wb_part(w, part);
	} else if (c == '(') {
		p->pos += 2;
		ts_sh_part part = {0};
		part.kind = TS_SH_SUBST;
		part.sub = parse_sub(p, STOP_PAREN);
		wb_part(w, part);
	} else if (c == '\'' && mode == M_WORD) {
		scan_ansi(p, w);
	} else if (c == '"' && mode == M_WORD) {
		p->pos++;
	} else if (is_name_start(c) || (c >= '0' && c <= '9') ||
		   (c >= 0 && strchr("@*#?$!-", c))) {
		p->pos++;
		size_t start = p->pos;
		if (is_name_start(c))
			while (is_name_char(peek(p, 0)))
				p->pos++;
		else
			p->pos++;
		ts_sh_part part = {0};
		part.kind = TS_SH_VAR;
		part.text = ts_strndup(p->a, p->s + start, p->pos - start);
		part.len = p->pos - start;
		wb_part(w, part);
	} else {
		wb_src(w, p->s + p->pos, 1);
		p->pos++;
	}
}

static void scan_dquote(sh_parser *p, wbuild *w)
{
	p->pos++;
	scan_parts(p, w, M_DQ);
	if (peek(p, 0) == '"')
		p->pos++;
	w->any = true;
	w->plain = false;
}

/* A backslash: what it escapes depends on where it is. */
static void scan_backslash(sh_parser *p, wbuild *w, scan_mode mode)
{
	int c = peek(p, 1);
	if (c == '\n') {
		p->pos += 2;     /* line continuation */
		return;
	}
	if (c < 0) {
		wb_src(w, p->s + p->pos, 1);
		p->pos++;
		return;
	}
	bool escapes = mode == M_WORD || mode == M_BRACE ||
		       strchr(mode == M_DQ ? "$`\"\\" : "$`\\", c);
	if (!escapes) {
		wb_src(w, p->s + p->pos, 1);
		p->pos++;
		return;
	}
	wb_src(w, p->s + p->pos + 1, 1);
	w->plain = false;
	p->pos += 2;
}

static bool scan_ends(const sh_parser *p, const wbuild *w, scan_mode mode)
{
	int c = peek(p, 0);
	if (c < 0)
		return true;
	switch (mode) {
	case M_WORD:
		return is_meta(c);
	case M_DQ:
		return c == '"';
	case M_BRACE:
		return c == '}';
	default:
		(void)w;
		return false;
	}
}

/* The modes in which byte c ends a run of literal text (bit 1 << mode):
 * it ends the mode, or starts quoting or an expansion. Every byte of a
 * script is looked up here, so it is a table. */
#define IN(m) (1u << (m))
#define RUN_ENDS(c) ((c) == '$' ? 0x1fu : \
	(c) == '\\' || (c) == '`' ? 0x1fu & ~IN(M_RAW) : \
	(c) == '\'' ? IN(M_WORD) | IN(M_BRACE) : \
	(c) == '"' ? IN(M_WORD) | IN(M_BRACE) | IN(M_DQ) : \
	(c) == '}' ? IN(M_BRACE) : \
	(c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r' || (c) == ';' || \
	(c) == '&' || (c) == '|' || (c) == '<' || (c) == '>' || (c) == '(' || \
	(c) == ')' ? IN(M_WORD) : 0u)
static const unsigned char run_ends[256] = TABLE256(RUN_ENDS);
#undef RUN_ENDS
#undef IN

static bool ends_run(scan_mode mode, int c)
{
	return run_ends[c] >> mode & 1;
}

/* From p->pos, a byte that takes no part in quoting or expansion, and all
 * that follow it up to one that does: literal text. */
static void scan_run(sh_parser *p, wbuild *w, scan_mode mode)
{
	size_t start = p->pos++;
	while (p->pos < p->len && !ends_run(mode, (unsigned char)p->s[p->pos]))
		p->pos++;
	wb_src(w, p->s + start, p->pos - start);
}

static void scan_parts(sh_parser *p, wbuild *w, scan_mode mode)
{
	while (!scan_ends(p, w, mode)) {
		int c = peek(p, 0);
		if (mode == M_RAW) {
			if (at(p, "${{"))
				scan_gh_expr(p, w);
			else
				scan_run(p, w, mode);
			continue;
		}
		if (c == '\\')
			scan_backslash(p, w, mode);
		else if (c == '$')
			scan_dollar(p, w, mode);
		else if (c == '`')
			scan_backtick(p, w);
		else if (c == '\'' && (mode == M_WORD || mode == M_BRACE))
			scan_single(p, w);
		else if (c == '"' && (mode == M_WORD || mode == M_BRACE))
			scan_dquote(p, w);
		else
			scan_run(p, w, mode);
	}
}

static ts_sh_word scan_word(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	scan_parts(p, &w, M_WORD);
	return wb_finish(&w, line);
}

/* <(cmd) and >(cmd): a word whose value is a file name the commands use. */
static ts_sh_word scan_procsubst(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	p->pos += 2;
	ts_sh_part part = {0};
	part.kind = TS_SH_SUBST;
	part.sub = parse_sub(p, STOP_PAREN);
	wb_part(&w, part);
	return wb_finish(&w, line);
}

/* Whether `w` is the plain word `lit` (n bytes): every command's first
 * word is tested against each reserved word, so the length goes first. */
static bool word_is_n(const ts_sh_word *w, const char *lit, size_t n)
{
	if (!w->plain)
		return false;
	if (w->nparts == 0)
		return n == 0;
	return w->nparts == 1 && w->parts[0].kind == TS_SH_LIT &&
	       w->parts[0].len == n && memcmp(w->parts[0].text, lit, n) == 0;
}

/* `lit` must be a string literal: its length is sizeof - 1. */
#define word_is(w, lit) word_is_n((w), (lit), sizeof(lit) - 1)

/* ------------------------------------------------------------------ */
/* blanks, comments, here-documents                                     */

static void skip_blanks(sh_parser *p)
{
	for (;;) {
		int c = peek(p, 0);
		if (c == ' ' || c == '\t' || c == '\r')
			p->pos++;
		else if (c == '\\' && peek(p, 1) == '\n')
			p->pos += 2;
		else
			return;
	}
}

static void skip_comment(sh_parser *p)
{
	while (p->pos < p->len && p->s[p->pos] != '\n')
		p->pos++;
}

static bool line_is_delim(const char *s, size_t n, const heredoc *d)
{
	if (d->strip)
		while (n && *s == '\t') {
			s++;
			n--;
		}
	if (n && s[n - 1] == '\r')
		n--;
	return n == d->dlen && memcmp(s, d->delim, n) == 0;
}

static ts_sh_word parse_body(sh_parser *p, size_t start, size_t end,
			     bool quoted)
{
	size_t save_pos = p->pos, save_len = p->len;
	p->pos = start;
	p->len = end;
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, start);
	scan_parts(p, &w, quoted ? M_RAW : M_HEREDOC);
	p->pos = save_pos;
	p->len = save_len;
	return wb_finish(&w, line);
}

/* After a newline: the bodies of the here-documents announced on the line
 * just read, in order, each up to its delimiter line. */
static void read_heredocs(sh_parser *p)
{
	for (size_t i = 0; i < p->ndocs; i++) {
		heredoc *d = &p->docs[i];
		size_t start = p->pos, end = p->len, next = p->len;
		size_t ls = p->pos;
		while (ls < p->len) {
			const char *nl = memchr(p->s + ls, '\n', p->len - ls);
			size_t le = nl ? (size_t)(nl - p->s) : p->len;
			if (line_is_delim(p->s + ls, le - ls, d)) {
				end = ls;
				next = nl ? le + 1 : le;
				break;
			}
			ls = nl ? le + 1 : p->len;
		}
		d->redir->word = parse_body(p, start, end, d->quoted);
		p->pos = next;
	}
	p->ndocs = 0;
}

/* ------------------------------------------------------------------ */
/* commands                                                             */

typedef struct cmd_build {
	assign_vec assigns;
	word_vec words;
	redir_vec redirs;
	pending_doc *docs;
	size_t ndocs, capdocs;
	int line;
	bool has_line;
} cmd_build;

static void cb_line(cmd_build *cb, int line)
{
	if (!cb->has_line) {
		cb->line = line;
		cb->has_line = true;
	}
}

/* The delimiter of a here-document: quotes removed; any quoting makes the
 * body literal. */
static void scan_delim(sh_parser *p, pending_doc *d)
{
	ts_buf b;
	ts_buf_init(&b, p->a);
	while (p->pos < p->len && !is_meta(p->s[p->pos])) {
		char c = p->s[p->pos];
		if (c == '\'' || c == '"') {
			d->quoted = true;
			size_t close = p->pos + 1;
			while (close < p->len && p->s[close] != c)
				close++;
			ts_buf_add(&b, p->s + p->pos + 1, close - p->pos - 1);
			p->pos = close < p->len ? close + 1 : p->len;
		} else if (c == '\\' && p->pos + 1 < p->len) {
			d->quoted = true;
			ts_buf_add(&b, p->s + p->pos + 1, 1);
			p->pos += 2;
		} else {
			ts_buf_add(&b, &c, 1);
			p->pos++;
		}
	}
	d->delim = ts_buf_cstr(&b);
	d->dlen = b.len;
}

static bool at_redirect(const sh_parser *p)
{
	size_t i = p->pos;
	while (i < p->len && isdigit((unsigned char)p->s[i]))
		i++;
	if (i >= p->len)
		return false;
	if (p->s[i] == '<' || p->s[i] == '>')
		return true;
	return i == p->pos && p->s[i] == '&' && i + 1 < p->len &&
	       p->s[i + 1] == '>';
}

/* The operator of a redirection; sets its kind and default descriptor. */
static void redir_op(sh_parser *p, ts_sh_redir *r, bool *strip)
{
	static const struct { const char *op; ts_sh_redir_kind kind; int fd; }
	ops[] = {
		{"<<<", TS_SH_REDIR_HERESTRING, 0}, {"<<-", TS_SH_REDIR_HEREDOC, 0},
		{"<<", TS_SH_REDIR_HEREDOC, 0}, {"<&", TS_SH_REDIR_DUP, 0},
		{"<>", TS_SH_REDIR_IN, 0}, {"<", TS_SH_REDIR_IN, 0},
		{"&>>", TS_SH_REDIR_APPEND, 1}, {"&>", TS_SH_REDIR_OUT, 1},
		{">>", TS_SH_REDIR_APPEND, 1}, {">&", TS_SH_REDIR_DUP, 1},
		{">|", TS_SH_REDIR_OUT, 1}, {">", TS_SH_REDIR_OUT, 1},
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!at(p, ops[i].op))
			continue;
		r->kind = ops[i].kind;
		if (r->fd < 0)
			r->fd = ops[i].fd;
		*strip = strcmp(ops[i].op, "<<-") == 0;
		p->pos += strlen(ops[i].op);
		return;
	}
}

static void parse_redirect(sh_parser *p, cmd_build *cb)
{
	ts_sh_redir r = {0};
	r.fd = -1;
	size_t start = p->pos;
	while (isdigit((unsigned char)p->s[p->pos]))
		p->pos++;
	if (p->pos > start)
		r.fd = (int)strtol(p->s + start, NULL, 10);
	bool strip = false;
	redir_op(p, &r, &strip);
	skip_blanks(p);
	cb_line(cb, line_at(p, start));
	if (r.kind == TS_SH_REDIR_HEREDOC) {
		pending_doc d = {0};
		d.strip = strip;
		scan_delim(p, &d);
		d.redir_index = cb->redirs.n;
		cb->docs = ts_grow(p->a, cb->docs, &cb->capdocs, cb->ndocs + 1,
				   sizeof(*cb->docs));
		cb->docs[cb->ndocs++] = d;
	} else {
		r.word = scan_word(p);
		/* `>& file` is a file, `>&2` a descriptor */
		if (r.kind == TS_SH_REDIR_DUP && r.word.nparts == 1 &&
		    r.word.parts[0].kind == TS_SH_LIT &&
		    !isdigit((unsigned char)r.word.parts[0].text[0]) &&
		    r.word.parts[0].text[0] != '-')
			r.kind = TS_SH_REDIR_OUT;
	}
	VEC_PUSH(p->a, &cb->redirs, r);
}

static bool is_reserved_skip(const ts_sh_word *w)
{
#define KW(s) {s, sizeof(s) - 1}
	static const struct { const char *text; size_t len; } words[] = {
		KW("if"), KW("then"), KW("elif"), KW("else"), KW("do"),
		KW("while"), KW("until"), KW("!"), KW("{"), KW("time"), KW("fi"),
		KW("done"), KW("}")
	};
#undef KW
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (word_is_n(w, words[i].text, words[i].len))
			return true;
	return false;
}

static void push_cmd(sh_parser *p, cmd_vec *out, cmd_build *cb,
		     ts_sh_cmd_kind kind, bool pipe_in)
{
	ts_sh_cmd c = {0};
	c.kind = kind;
	c.line = cb->line;
	c.pipe_in = pipe_in;
	c.assigns = cb->assigns.v;
	c.nassigns = cb->assigns.n;
	c.words = cb->words.v;
	c.nwords = cb->words.n;
	c.redirs = cb->redirs.v;
	c.nredirs = cb->redirs.n;
	VEC_PUSH(p->a, out, c);
	for (size_t i = 0; i < cb->ndocs; i++) {
		heredoc d = {0};
		d.redir = &cb->redirs.v[cb->docs[i].redir_index];
		d.delim = cb->docs[i].delim;
		d.dlen = cb->docs[i].dlen;
		d.strip = cb->docs[i].strip;
		d.quoted = cb->docs[i].quoted;
		p->docs = ts_grow(p->a, p->docs, &p->capdocs, p->ndocs + 1,
				  sizeof(*p->docs));
		p->docs[p->ndocs++] = d;
	}
}

/* NAME= or NAME+= at the start of a word in command position. */
static size_t assign_prefix(const sh_parser *p, bool *append)
{
	size_t i = p->pos;
	if (i >= p->len || !is_name_start((unsigned char)p->s[i]))
		return 0;
	while (i < p->len && is_name_char((unsigned char)p->s[i]))
		i++;
	*append = false;
	if (i + 1 < p->len && p->s[i] == '+' && p->s[i + 1] == '=') {
		*append = true;
		return i + 2 - p->pos;
	}
	return (i < p->len && p->s[i] == '=') ? i + 1 - p->pos : 0;
}

/* X=(a b c): the elements joined by spaces make the value. */
static ts_sh_word scan_array(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	p->pos++;
	for (;;) {
		while (peek(p, 0) == ' ' || peek(p, 0) == '\t' ||
		       peek(p, 0) == '\n' || peek(p, 0) == '\r' ||
		       (peek(p, 0) == '\\' && peek(p, 1) == '\n'))
			p->pos++;
		if (peek(p, 0) == '#') {
			skip_comment(p);
			continue;
		}
		if (peek(p, 0) < 0 || peek(p, 0) == ')')
			break;
		if (w.any)
			wb_char(&w, ' ');
		size_t before = p->pos;
		scan_parts(p, &w, M_WORD);
		if (p->pos == before)
			p->pos++;
	}
	if (peek(p, 0) == ')')
		p->pos++;
	w.plain = false;
	return wb_finish(&w, line);
}

static void parse_assign(sh_parser *p, cmd_build *cb, size_t n, bool append)
{
	ts_sh_assign as = {0};
	cb_line(cb, line_at(p, p->pos));
	as.len = n - 1 - (append ? 1 : 0);
	as.name = ts_strndup(p->a, p->s + p->pos, as.len);
	as.append = append;
	p->pos += n;
	if (peek(p, 0) == '(')
		as.value = scan_array(p);
	else
		as.value = scan_word(p);
	VEC_PUSH(p->a, &cb->assigns, as);
}

/* [[ ... ]]: && || < > ( ) are operators of the test, not of the shell. */
static void parse_test(sh_parser *p, cmd_build *cb)
{
	for (;;) {
		skip_blanks(p);
		int c = peek(p, 0);
		if (c < 0 || c == '\n')
			return;
		if (at(p, "]]")) {
			p->pos += 2;
			return;
		}
		if (strchr("&|<>()!;", c)) {
			p->pos++;
			continue;
		}
		ts_sh_word w = scan_word(p);
		VEC_PUSH(p->a, &cb->words, w);
	}
}

/* for NAME in WORDS / select NAME in WORDS: NAME then the words. */
static void parse_for(sh_parser *p, cmd_vec *out, cmd_build *cb)
{
	skip_blanks(p);
	if (at(p, "((")) {
		skip_arith(p);
		return;
	}
	ts_sh_word name = scan_word(p);
	VEC_PUSH(p->a, &cb->words, name);
	skip_blanks(p);
	size_t save = p->pos;
	ts_sh_word in = scan_word(p);
	if (!word_is(&in, "in")) {
		p->pos = save;
	} else {
		for (;;) {
			skip_blanks(p);
			int c = peek(p, 0);
			if (c < 0 || c == '\n' || c == ';' || c == '#')
				break;
			size_t before = p->pos;
			ts_sh_word w = scan_word(p);
			if (p->pos == before) {
				p->pos++;
				continue;
			}
			VEC_PUSH(p->a, &cb->words, w);
		}
	}
	push_cmd(p, out, cb, TS_SH_CMD_FOR, false);
}

/* Blank lines, comments and stray `;` between the items of a case. */
static void skip_case_gap(sh_parser *p)
{
	for (;;) {
		skip_blanks(p);
		int c = peek(p, 0);
		if (c == '\n') {
			p->pos++;
			read_heredocs(p);
		} else if (c == '#') {
			skip_comment(p);
		} else if (c == ';') {
			p->pos++;
		} else {
			return;
		}
	}
}

/* A pattern: words and `|` up to the closing parenthesis. */
static void skip_case_pattern(sh_parser *p)
{
	if (peek(p, 0) == '(')
		p->pos++;
	while (p->pos < p->len && peek(p, 0) != ')' && peek(p, 0) != '\n') {
		size_t before = p->pos;
		if (peek(p, 0) == '|' || peek(p, 0) == ' ' || peek(p, 0) == '\t')
			p->pos++;
		else
			(void)scan_word(p);
		if (p->pos == before)
			p->pos++;
	}
	if (peek(p, 0) == ')')
		p->pos++;
}

/* case WORD in PATTERN) LIST ;; ... esac */
static void parse_case(sh_parser *p, cmd_vec *out, cmd_build *cb)
{
	skip_blanks(p);
	ts_sh_word subject = scan_word(p);
	VEC_PUSH(p->a, &cb->words, subject);
	push_cmd(p, out, cb, TS_SH_CMD_TEST, false);
	skip_blanks(p);
	size_t save = p->pos;
	ts_sh_word in = scan_word(p);
	if (!word_is(&in, "in"))
		p->pos = save;
	for (;;) {
		skip_case_gap(p);
		if (peek(p, 0) < 0)
			return;
		save = p->pos;
		ts_sh_word w = scan_word(p);
		if (word_is(&w, "esac"))
			return;
		p->pos = save;
		skip_case_pattern(p);
		const ts_sh_list *body = parse_sub(p, STOP_CASE);
		for (size_t i = 0; i < body->n; i++)
			VEC_PUSH(p->a, out, body->cmds[i]);
		if (p->hit_esac) {
			p->hit_esac = false;
			return;
		}
	}
}

/* `name ()` after one plain word: a function definition, whose body the
 * list reader then reads as ordinary commands. */
static bool at_funcdef(sh_parser *p)
{
	size_t i = p->pos;
	if (i >= p->len || p->s[i] != '(')
		return false;
	i++;
	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (i >= p->len || p->s[i] != ')')
		return false;
	p->pos = i + 1;
	return true;
}

typedef enum cmd_end { CMD_DONE, CMD_ESAC } cmd_end;

typedef enum first_kind {
	FIRST_WORD,     /* an ordinary first word */
	FIRST_SKIP,     /* a control word: the command starts after it */
	FIRST_DONE,     /* for, case, [[: the whole command was read */
	FIRST_ESAC
} first_kind;

/* The first word of a command decides what the rest is. */
static first_kind first_word(sh_parser *p, cmd_vec *out, cmd_build *cb,
			     const ts_sh_word *w, int line, bool pipe_in)
{
	if (word_is(w, "esac")) {
		p->hit_esac = true;
		return FIRST_ESAC;
	}
	if (is_reserved_skip(w))
		return FIRST_SKIP;
	if (word_is(w, "function")) {
		skip_blanks(p);
		(void)scan_word(p);
		skip_blanks(p);
		(void)at_funcdef(p);
		return FIRST_SKIP;
	}
	cb_line(cb, line);
	if (word_is(w, "for") || word_is(w, "select")) {
		parse_for(p, out, cb);
	} else if (word_is(w, "case")) {
		parse_case(p, out, cb);
	} else if (word_is(w, "[[")) {
		parse_test(p, cb);
		push_cmd(p, out, cb, TS_SH_CMD_TEST, pipe_in);
	} else {
		return FIRST_WORD;
	}
	return FIRST_DONE;
}

typedef enum step { STEP_NEXT, STEP_END } step;

/* What is not a word: redirections, process substitutions, `(`. */
static step non_word(sh_parser *p, cmd_build *cb)
{
	int c = peek(p, 0);
	if ((c == '<' || c == '>') && peek(p, 1) == '(') {
		cb_line(cb, line_at(p, p->pos));
		VEC_PUSH(p->a, &cb->words, scan_procsubst(p));
		return STEP_NEXT;
	}
	if (at_redirect(p)) {
		parse_redirect(p, cb);
		return STEP_NEXT;
	}
	/* `name ()`: a function definition; its body is read as commands */
	if (cb->words.n == 1 && cb->assigns.n == 0 && at_funcdef(p)) {
		cb->words.n = 0;
		cb->has_line = false;
		return STEP_NEXT;
	}
	if (!cb->words.n && !cb->assigns.n && at(p, "((")) {
		skip_arith(p);
		return STEP_NEXT;
	}
	return STEP_END;
}

static bool ends_command(const sh_parser *p)
{
	int c = peek(p, 0);
	return c < 0 || c == '\n' || c == ';' || c == '|' || c == ')' ||
	       (c == '&' && peek(p, 1) != '>');
}

static cmd_end parse_command(sh_parser *p, cmd_vec *out, bool pipe_in)
{
	cmd_build cb = {0};
	for (;;) {
		skip_blanks(p);
		if (ends_command(p))
			break;
		if (peek(p, 0) == '#') {
			skip_comment(p);
			break;
		}
		int c = peek(p, 0);
		if (c == '<' || c == '>' || c == '(' || isdigit(c) || c == '&') {
			if (non_word(p, &cb) == STEP_NEXT)
				continue;
			if (c == '(')
				break;
		}
		bool append;
		size_t n = cb.words.n ? 0 : assign_prefix(p, &append);
		if (n) {
			parse_assign(p, &cb, n, append);
			continue;
		}
		size_t before = p->pos;
		int line = line_at(p, p->pos);
		ts_sh_word w = scan_word(p);
		if (p->pos == before) {
			p->pos++;     /* a stray character: never loop */
			continue;
		}
		if (cb.words.n == 0 && cb.assigns.n == 0) {
			first_kind k = first_word(p, out, &cb, &w, line, pipe_in);
			if (k == FIRST_ESAC)
				return CMD_ESAC;
			if (k == FIRST_DONE)
				return CMD_DONE;
			if (k == FIRST_SKIP)
				continue;
		}
		cb_line(&cb, line);
		VEC_PUSH(p->a, &cb.words, w);
	}
	if (cb.words.n || cb.assigns.n || cb.redirs.n)
		push_cmd(p, out, &cb, TS_SH_CMD_SIMPLE, pipe_in);
	return CMD_DONE;
}

static const ts_sh_list *finish_list(sh_parser *p, cmd_vec *v)
{
	ts_sh_list *l = ts_alloc(p->a, sizeof(*l));
	l->cmds = v->v;
	l->n = v->n;
	return l;
}

typedef struct list_state {
	int parens;
	bool pipe;
} list_state;

/* Separators between commands; STEP_END when the list ends here. */
static step separator(sh_parser *p, unsigned stop, list_state *ls)
{
	int c = peek(p, 0), c1 = peek(p, 1);
	if (c == '#') {
		skip_comment(p);
	} else if (c == '\n') {
		p->pos++;
		read_heredocs(p);
		ls->pipe = false;
	} else if (c == ';') {
		if (c1 == ';' && (stop & STOP_CASE)) {
			p->pos += peek(p, 2) == '&' ? 3 : 2;
			return STEP_END;
		}
		p->pos += (c1 == ';' || c1 == '&') ? 2 : 1;
		ls->pipe = false;
	} else if (c == '&') {
		p->pos += c1 == '&' ? 2 : 1;
		ls->pipe = false;
	} else if (c == '|') {
		ls->pipe = c1 != '|';
		p->pos += (c1 == '|' || c1 == '&') ? 2 : 1;
	} else if (c == '(' && c1 == '(') {
		skip_arith(p);
	} else if (c == '(') {
		ls->parens++;
		p->pos++;
	} else {        /* ')' */
		p->pos++;
		if (ls->parens == 0 && (stop & STOP_PAREN))
			return STEP_END;
		ls->parens -= ls->parens > 0;
	}
	return STEP_NEXT;
}

/* Reads commands until the end, an unmatched `)` (STOP_PAREN), or `;;`
 * or `esac` (STOP_CASE). */
static const ts_sh_list *parse_list(sh_parser *p, unsigned stop)
{
	cmd_vec v = {0};
	list_state ls = {0, false};
	for (;;) {
		skip_blanks(p);
		int c = peek(p, 0);
		if (c < 0)
			break;
		if (strchr("#\n;|()", c) || (c == '&' && peek(p, 1) != '>')) {
			if (separator(p, stop, &ls) == STEP_END)
				break;
			continue;
		}
		size_t before = p->pos;
		if (parse_command(p, &v, ls.pipe) == CMD_ESAC && (stop & STOP_CASE))
			break;
		p->hit_esac = false;
		ls.pipe = false;
		if (p->pos == before)
			p->pos++;
	}
	return finish_list(p, &v);
}

/* ------------------------------------------------------------------ */
/* pwsh                                                                 */

static const ts_sh_list *pw_parse_list(sh_parser *p, char stop);
static ts_sh_word pw_scan_group_arg(sh_parser *p);

static bool pw_is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' ||
	       c == '|' || c == '{' || c == '}' || c == '(' || c == ')' ||
	       c == '&' || c == ',';
}

static void pw_skip_blanks(sh_parser *p)
{
	for (;;) {
		int c = peek(p, 0);
		if (c == ' ' || c == '\t' || c == '\r')
			p->pos++;
		else if (c == '`' && (peek(p, 1) == '\n' ||
				      (peek(p, 1) == '\r' && peek(p, 2) == '\n')))
			p->pos += peek(p, 1) == '\n' ? 2 : 3;
		else if (at(p, "<#")) {
			const char *e = NULL;
			if (p->pos + 2 < p->len)
				e = strstr(p->s + p->pos + 2, "#>");
			p->pos = e && (size_t)(e - p->s) < p->len
				 ? (size_t)(e - p->s) + 2 : p->len;
		} else
			return;
	}
}

/* The name after `$`: ${any text} or name[:name]; false when `$` is text. */
static bool pw_var_name(sh_parser *p, size_t *start, size_t *end)
{
	int c = peek(p, 1);
	if (c == '{') {
		*start = p->pos + 2;
		*end = *start;
		while (*end < p->len && p->s[*end] != '}')
			(*end)++;
		p->pos = *end < p->len ? *end + 1 : p->len;
		return true;
	}
	if (!is_name_start(c) && !(c >= '0' && c <= '9'))
		return false;
	*start = p->pos + 1;
	*end = *start;
	while (*end < p->len && (is_name_char(p->s[*end]) || p->s[*end] == ':'))
		(*end)++;
	/* `$x:` followed by a non-name is text, not a scope */
	while (*end > *start && p->s[*end - 1] == ':')
		(*end)--;
	p->pos = *end;
	return true;
}

/* $name, ${name}, $env:NAME, $(...) */
static void pw_scan_dollar(sh_parser *p, wbuild *w)
{
	if (at(p, "${{")) {
		scan_gh_expr(p, w);
		return;
	}
	if (peek(p, 1) == '(') {
		p->pos++;
		ts_sh_word sub = pw_scan_group_arg(p);
		wb_part(w, sub.parts[0]);
		return;
	}
	size_t start, end;
	if (!pw_var_name(p, &start, &end)) {
		wb_src(w, p->s + p->pos, 1);
		p->pos++;
		return;
	}
	ts_sh_part part = {0};
	part.kind = TS_SH_VAR;
	if (end - start > 4 && strncasecmp(p->s + start, "env:", 4) == 0) {
		part.env = true;
		start += 4;
	}
	part.text = ts_strndup(p->a, p->s + start, end - start);
	part.len = end - start;
	wb_part(w, part);
}

static void pw_scan_string(sh_parser *p, wbuild *w, char q, bool here)
{
	w->any = true;
	w->plain = false;
	p->pos += here ? 2 : 1;
	for (;;) {
		int c = peek(p, 0);
		if (c < 0)
			return;
		if (here && c == '\n' && peek(p, 1) == q && peek(p, 2) == '@') {
			p->pos += 3;
			return;
		}
		if (!here && c == q) {
			if (peek(p, 1) == q) {      /* '' or "" inside the string */
				wb_src(w, p->s + p->pos, 1);
				p->pos += 2;
				continue;
			}
			p->pos++;
			return;
		}
		if (at(p, "${{")) {
			scan_gh_expr(p, w);
		} else if (q == '"' && c == '`' && peek(p, 1) >= 0) {
			int e = peek(p, 1);
			wb_char(w, e == 'n' ? '\n' : e == 't' ? '\t' : (char)e);
			p->pos += 2;
		} else if (q == '"' && c == '$') {
			pw_scan_dollar(p, w);
		} else {
			wb_src(w, p->s + p->pos++, 1);
		}
	}
}

/* @{ ... } and @( ... ): kept as one word whose parts are everything
 * inside, so a header table carries whatever its values carry. */
static void pw_scan_group(sh_parser *p, wbuild *w)
{
	char open = p->s[p->pos + 1], close = open == '{' ? '}' : ')';
	wb_src(w, p->s + p->pos, 2);       /* @{ or @( */
	w->plain = false;
	p->pos += 2;
	int depth = 1;
	while (p->pos < p->len) {
		int c = peek(p, 0);
		if (c == '"' || c == '\'') {
			pw_scan_string(p, w, (char)c, false);
			continue;
		}
		if (c == '$') {
			pw_scan_dollar(p, w);
			continue;
		}
		if (c == open)
			depth++;
		else if (c == close && --depth == 0) {
			wb_src(w, p->s + p->pos++, 1);
			return;
		}
		wb_src(w, p->s + p->pos++, 1);
	}
}

static ts_sh_word pw_scan_word(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	for (;;) {
		int c = peek(p, 0);
		if (c < 0 || (pw_is_meta(c) && !(c == '(' && w.any)))
			break;
		if (c == '@' && (peek(p, 1) == '"' || peek(p, 1) == '\'') &&
		    (peek(p, 2) == '\n' || peek(p, 2) == '\r'))
			pw_scan_string(p, &w, (char)peek(p, 1), true);
		else if (c == '@' && (peek(p, 1) == '{' || peek(p, 1) == '('))
			pw_scan_group(p, &w);
		else if (c == '"' || c == '\'')
			pw_scan_string(p, &w, (char)c, false);
		else if (c == '$')
			pw_scan_dollar(p, &w);
		else if (at(p, "${{"))
			scan_gh_expr(p, &w);
		else if (c == '`' && peek(p, 1) >= 0) {
			wb_src(&w, p->s + p->pos + 1, 1);
			p->pos += 2;
		} else if (c == '(') {
			/* a call's argument list inside a word: m(a, b) */
			int depth = 0;
			do {
				if (peek(p, 0) == '(')
					depth++;
				else if (peek(p, 0) == ')')
					depth--;
				wb_src(&w, p->s + p->pos++, 1);
			} while (p->pos < p->len && depth > 0);
		} else
			wb_src(&w, p->s + p->pos++, 1);
	}
	return wb_finish(&w, line);
}

static ts_sh_word pw_scan_group_arg(sh_parser *p)
{
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	p->pos++;
	ts_sh_part part = {0};
	part.kind = TS_SH_SUBST;
	if (p->depth < TS_SH_MAX_DEPTH) {
		p->depth++;
		part.sub = pw_parse_list(p, ')');
		p->depth--;
	} else {
		part.sub = ts_alloc(p->a, sizeof(ts_sh_list));
	}
	wb_part(&w, part);
	return wb_finish(&w, line);
}

static bool pw_is_keyword(const ts_sh_word *w)
{
	static const char *const kw[] = {
		"if", "elseif", "else", "foreach", "for", "while", "do", "until",
		"switch", "try", "catch", "finally", "function", "filter",
		"param", "begin", "process", "end", "trap", "return", "throw",
		"break", "continue", NULL
	};
	if (!w->plain || w->nparts != 1 || w->parts[0].kind != TS_SH_LIT)
		return false;
	for (int i = 0; kw[i]; i++)
		if (strcasecmp(w->parts[0].text, kw[i]) == 0)
			return true;
	return false;
}

/* `$x = ...` / `$env:X = ...`: a word that is one variable, then `=`. */
static bool pw_assign_target(const ts_sh_word *w, const sh_parser *p)
{
	if (w->nparts != 1 || w->parts[0].kind != TS_SH_VAR)
		return false;
	size_t i = p->pos;
	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	return i < p->len && p->s[i] == '=' &&
	       (i + 1 >= p->len || p->s[i + 1] != '=');
}

/* The right side of `$x = ...`: a command when it starts with a bare name,
 * else the words of an expression. */
static void pw_parse_assign(sh_parser *p, cmd_vec *out, cmd_build *cb,
			    const ts_sh_word *target)
{
	while (p->pos < p->len && p->s[p->pos] != '=')
		p->pos++;
	p->pos++;
	pw_skip_blanks(p);
	ts_sh_assign as = {0};
	as.name = target->parts[0].text;
	as.len = target->parts[0].len;
	as.env = target->parts[0].env;
	int c = peek(p, 0);
	bool command = is_name_start(c) || c == '&' || c == '.';
	wbuild w;
	wb_init(&w, p->a);
	int line = line_at(p, p->pos);
	if (command) {
		cmd_vec sub = {0};
		p->depth++;
		const ts_sh_list *l = pw_parse_list(p, '\n');
		p->depth--;
		for (size_t i = 0; i < l->n; i++)
			VEC_PUSH(p->a, &sub, l->cmds[i]);
		ts_sh_part part = {0};
		part.kind = TS_SH_SUBST;
		part.sub = finish_list(p, &sub);
		wb_part(&w, part);
	} else {
		while (p->pos < p->len && peek(p, 0) != '\n' && peek(p, 0) != ';') {
			pw_skip_blanks(p);
			size_t before = p->pos;
			if (peek(p, 0) == '\n' || peek(p, 0) < 0)
				break;
			ts_sh_word x = pw_scan_word(p);
			for (size_t i = 0; i < x.nparts; i++)
				wb_part(&w, x.parts[i]);
			if (p->pos == before)
				p->pos++;
		}
	}
	as.value = wb_finish(&w, line);
	VEC_PUSH(p->a, &cb->assigns, as);
	push_cmd(p, out, cb, TS_SH_CMD_SIMPLE, false);
}

/* > file, >> file, 2> file, 2>&1 */
static void pw_redirect(sh_parser *p, cmd_build *cb)
{
	ts_sh_redir r = {0};
	r.fd = peek(p, 0) == '2' ? 2 : 1;
	p->pos += r.fd == 2 ? 2 : 1;
	r.kind = TS_SH_REDIR_OUT;
	if (peek(p, 0) == '>') {
		r.kind = TS_SH_REDIR_APPEND;
		p->pos++;
	}
	if (peek(p, 0) == '&') {
		r.kind = TS_SH_REDIR_DUP;
		p->pos++;
	}
	pw_skip_blanks(p);
	r.word = pw_scan_word(p);
	VEC_PUSH(p->a, &cb->redirs, r);
}

/* `&` calls, `(` groups and redirections; STEP_END when the statement
 * ends here. */
static step pw_non_word(sh_parser *p, cmd_build *cb)
{
	int c = peek(p, 0);
	if (c == '&' && peek(p, 1) == '&')
		return STEP_END;
	if ((c == '&' || c == '(') && cb->words.n == 0) {
		p->pos++;     /* the call operator; a condition or grouping */
		return STEP_NEXT;
	}
	if (c == '(') {       /* (expr) as an argument: its output */
		VEC_PUSH(p->a, &cb->words, pw_scan_group_arg(p));
		return STEP_NEXT;
	}
	if (c == '>' || (c == '2' && peek(p, 1) == '>')) {
		pw_redirect(p, cb);
		return STEP_NEXT;
	}
	return STEP_END;
}

static void pw_parse_command(sh_parser *p, cmd_vec *out, bool pipe_in)
{
	cmd_build cb = {0};
	for (;;) {
		pw_skip_blanks(p);
		int c = peek(p, 0);
		if (c < 0 || strchr("\n;|{})", c))
			break;
		if (c == '#') {
			skip_comment(p);
			break;
		}
		if (c == '&' || c == '(' || c == '>' || (c == '2' && peek(p, 1) == '>')) {
			if (pw_non_word(p, &cb) == STEP_NEXT)
				continue;
			break;
		}
		size_t before = p->pos;
		int line = line_at(p, p->pos);
		ts_sh_word w = pw_scan_word(p);
		if (p->pos == before) {
			p->pos++;
			continue;
		}
		if (cb.words.n == 0 && pw_is_keyword(&w)) {
			pw_skip_blanks(p);
			if (!strcasecmp(w.parts[0].text, "function") ||
			    !strcasecmp(w.parts[0].text, "filter"))
				(void)pw_scan_word(p);
			continue;
		}
		cb_line(&cb, line);
		if (cb.words.n == 0 && pw_assign_target(&w, p)) {
			pw_parse_assign(p, out, &cb, &w);
			return;
		}
		VEC_PUSH(p->a, &cb.words, w);
	}
	if (cb.words.n || cb.redirs.n)
		push_cmd(p, out, &cb, TS_SH_CMD_SIMPLE, pipe_in);
}

/* Reads statements to the end, or to `stop` (')' for $(...), '\n' for the
 * right side of an assignment). Braces of blocks separate statements. */
static const ts_sh_list *pw_parse_list(sh_parser *p, char stop)
{
	cmd_vec v = {0};
	bool pipe = false;
	int parens = 0;
	for (;;) {
		pw_skip_blanks(p);
		int c = peek(p, 0);
		if (c < 0)
			break;
		if (c == '\n' && stop == '\n')
			break;
		if (c == '#') {
			skip_comment(p);
		} else if (c == '\n' || c == ';' || c == '{' || c == '}' ||
			   c == ',') {
			p->pos++;
			pipe = false;
		} else if (c == '|' || c == '&') {
			pipe = c == '|' && peek(p, 1) != '|';
			p->pos += peek(p, 1) == c ? 2 : 1;
		} else if (c == '(') {
			parens++;
			p->pos++;
		} else if (c == ')') {
			if (parens == 0 && stop == ')') {
				p->pos++;
				break;
			}
			if (parens == 0 && stop == '\n')
				break;
			parens -= parens > 0;
			p->pos++;
		} else {
			size_t before = p->pos;
			pw_parse_command(p, &v, pipe);
			pipe = false;
			if (p->pos == before)
				p->pos++;
		}
	}
	return finish_list(p, &v);
}

/* ------------------------------------------------------------------ */
/* entry points                                                         */

ts_sh_lang ts_sh_lang_of(const char *shell)
{
	if (!shell)
		return TS_SH_BASH;
	while (*shell == ' ' || *shell == '\t')
		shell++;
	const char *end = shell;
	while (*end && *end != ' ' && *end != '\t')
		end++;
	const char *base = end;
	while (base > shell && base[-1] != '/' && base[-1] != '\\')
		base--;
	size_t n = (size_t)(end - base);
	if (n > 4 && strncasecmp(end - 4, ".exe", 4) == 0)
		n -= 4;
	static const char *const bourne[] = {"bash", "sh", "dash", "zsh", "ksh", NULL};
	for (int i = 0; bourne[i]; i++)
		if (ts_strcaseeq(base, n, bourne[i]))
			return TS_SH_BASH;
	if (ts_strcaseeq(base, n, "pwsh") || ts_strcaseeq(base, n, "powershell"))
		return TS_SH_PWSH;
	if (n == 0)
		return TS_SH_BASH;
	return TS_SH_OTHER;
}

const ts_sh_list *ts_sh_parse(ts_arena *a, ts_sh_lang lang, const char *text,
			      size_t len)
{
	if (lang == TS_SH_OTHER || !text)
		return ts_alloc(a, sizeof(ts_sh_list));
	sh_parser p;
	parser_init(&p, a, lang, text, len, 0);
	return lang == TS_SH_PWSH ? pw_parse_list(&p, 0) : parse_list(&p, 0);
}

bool ts_sh_split_assign(ts_arena *a, const ts_sh_word *w, ts_sh_assign *out)
{
	if (!w->nparts || w->parts[0].kind != TS_SH_LIT)
		return false;
	const ts_sh_part *first = &w->parts[0];
	size_t i = 0;
	if (!is_name_start((unsigned char)first->text[0]))
		return false;
	while (i < first->len && is_name_char((unsigned char)first->text[i]))
		i++;
	bool append = i + 1 < first->len && first->text[i] == '+' &&
		      first->text[i + 1] == '=';
	if (!append && (i >= first->len || first->text[i] != '='))
		return false;
	memset(out, 0, sizeof(*out));
	out->name = ts_strndup(a, first->text, i);
	out->len = i;
	out->append = append;
	size_t skip = i + (append ? 2 : 1);
	size_t n = w->nparts - (skip == first->len ? 1 : 0);
	ts_sh_part *parts = ts_alloc_array(a, n ? n : 1, sizeof(*parts));
	size_t k = 0;
	if (skip < first->len) {
		parts[k] = *first;
		parts[k].text = first->text + skip;
		parts[k].len = first->len - skip;
		k++;
	}
	for (size_t j = 1; j < w->nparts; j++)
		parts[k++] = w->parts[j];
	out->value.parts = parts;
	out->value.nparts = k;
	out->value.line = w->line;
	return true;
}

/* ------------------------------------------------------------------ */
/* values                                                               */

typedef struct sh_var {
	const char *name;
	size_t len;
	size_t hash;            /* name_hash() of the name */
	ts_sh_value value;
	bool exported, unset;
} sh_var;

/* The step's env as the script sees it, built once per script: every
 * command asks for the whole environment (does the token reach the
 * program?), and classifying an entry scans its name and source text for
 * several words, so each entry is classified once, not once per command.
 * The env chain is const for the script's life, so nothing goes stale. */
typedef struct env_entry {
	const ts_var *ev;
	size_t len;             /* strlen(ev->name) */
	size_t hash;            /* name_hash() of the name */
	bool hidden;            /* a nearer entry, or a later one of the same
				   map, sets the name: the script never sees it */
	bool have_kind, have;   /* kind, value computed */
	ts_val_kind kind;       /* env_kind() of the entry */
	ts_sh_value value;      /* from_env() of the entry */
} env_entry;

typedef struct env_view {
	bool built;
	env_entry *v;           /* every entry of the chain, nearest env
				   first, in the order ts_sh_env_each reports
				   them */
	size_t n;
	size_t *slots;          /* by name: index + 1 of the entry the script
				   sees; 0 empty */
	size_t nslots;
	size_t *creds;          /* or NULL until asked: the entries not hidden
				   whose kind is not TEXT, in the order of v */
	size_t ncreds;
} env_view;

struct ts_sh_scope {
	ts_arena *a;
	const ts_expr_ctx *expr;
	const ts_sh_scope *parent;
	sh_var *vars;
	size_t n, cap;
	size_t *slots;          /* open addressing: index + 1 of the newest
				   definition of each name; 0 empty */
	size_t nslots;
	bool pull_request;      /* the workflow runs on pull_request* */
	bool pwsh;              /* names without case; $x is never the env */
	bool allexport;
	ts_sh_subst_fn subst;
	void *ud;
	env_view *view;         /* shared by the scope and all its children */
};

ts_val_kind ts_sh_join(ts_val_kind a, ts_val_kind b)
{
	static const int rank[] = {
		[TS_VAL_TEXT] = 0, [TS_VAL_UNKNOWN] = 1, [TS_VAL_SECRET] = 2,
		[TS_VAL_GITHUB_TOKEN] = 3
	};
	return rank[a] >= rank[b] ? a : b;
}

ts_sh_value ts_sh_text(const char *text)
{
	ts_sh_value v = {0};
	v.kind = TS_VAL_TEXT;
	v.text = text ? text : "";
	v.exact = true;
	return v;
}

/* ASCII lower case: names and expressions are matched without locale. */
static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether the n bytes at s begin with `word` (written in lower case),
 * ignoring case. */
static bool starts_ci_at(const char *s, size_t n, const char *word, size_t m)
{
	if (m > n)
		return false;
	for (size_t k = 0; k < m; k++)
		if (ascii_lower((unsigned char)s[k]) != word[k])
			return false;
	return true;
}

/* Whether `needle` occurs in the n bytes at s, ignoring case. */
static bool contains_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (!m)
		return true;
	int lo = tolower((unsigned char)needle[0]);
	int up = toupper(lo);
	for (size_t i = 0; i + m <= n; i++)
		if (((unsigned char)s[i] == lo || (unsigned char)s[i] == up) &&
		    strncasecmp(s + i, needle, m) == 0)
			return true;
	return false;
}

/* Does a credential word begin at s[i]? The words are letters only, so a
 * match never crosses the _ - . that separate a name's parts. */
#define WORD_AT(w) starts_ci_at(s + i, n - i, w, sizeof(w) - 1)
static bool credential_word_at(const char *s, size_t n, size_t i)
{
	switch (ascii_lower((unsigned char)s[i])) {
	case 't': return WORD_AT("token");
	case 'p': return WORD_AT("passw");
	case 'c': return WORD_AT("credential");
	case 's': return WORD_AT("secret");
	default: return false;
	}
}
#undef WORD_AT

/* The short words that name a credential only as a whole part (GH_PAT,
 * NPM_AUTH, AWS_CREDS), not inside another word (PATH, AUTHOR, CREDITS). */
static inline bool credential_part(const char *p, size_t n)
{
	switch (n) {
	case 3: return starts_ci_at(p, n, "pat", 3);
	case 4: return starts_ci_at(p, n, "auth", 4) || starts_ci_at(p, n, "cred", 4);
	case 5: return starts_ci_at(p, n, "creds", 5);
	default: return false;
	}
}

/* What a byte is to tokenish(): long values are read a byte at a time, so
 * the class is looked up, not computed. */
enum { NB_OTHER, NB_ALNUM, NB_WORD_START, NB_SEP, NB_DOT };
#define NB(c) ((c) == '.' ? NB_DOT : (c) == '_' || (c) == '-' ? NB_SEP : \
	       ((c) | 0x20) == 't' || ((c) | 0x20) == 'p' || \
	       ((c) | 0x20) == 'c' || ((c) | 0x20) == 's' ? NB_WORD_START : \
	       ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || \
	       ((c) >= '0' && (c) <= '9') ? NB_ALNUM : NB_OTHER)
static const unsigned char name_class[256] = TABLE256(NB);
#undef NB

/* Whether an unknown value may be a credential, by its name or the last
 * part of the reference it comes from (steps.app.outputs.token, GH_PAT,
 * inputs.password). Unknown values that may be one are never read as
 * plain text: a program given one could hold GITHUB_TOKEN. What a reference
 * names is its last dotted part: steps.app-token.outputs.token is a token,
 * steps.app-token.outputs.app-slug is not. Env values can be long texts
 * that hold an expression, so this is one pass: `hit` says whether the
 * dotted component being read names a credential, and a `.` forgets it. */
static bool tokenish(const char *s, size_t n)
{
	if (!s)
		return false;
	bool hit = false;
	size_t part = 0;        /* where the current name part starts */
	for (size_t i = 0; i < n; i++) {
		unsigned k = name_class[(unsigned char)s[i]];
		if (k == NB_ALNUM)
			continue;
		if (k == NB_WORD_START) {
			hit = hit || credential_word_at(s, n, i);
			continue;
		}
		hit = hit || credential_part(s + part, i - part);
		if (hit && k == NB_OTHER)
			return true;        /* the end of a name */
		if (k == NB_DOT)
			hit = false;
		part = i + 1;
	}
	return hit || credential_part(s + part, n - part);
}

/* The pull request's number, by where it comes from. */
static bool pr_source(const char *s, size_t n, bool pull_request)
{
	if (!s)
		return false;
	/* one pass: every form but the last begins with p */
#define FORM_AT(f) starts_ci_at(s + i, n - i, f, sizeof(f) - 1)
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i] | 0x20;     /* lower case, for letters */
		if (c == 'p' && (FORM_AT("pull_request.number") ||
				 FORM_AT("pull-request-number") ||
				 FORM_AT("pull_request_number") ||
				 FORM_AT("pr_number") || FORM_AT("pr-number")))
			return true;
		if (c == 'g' && pull_request && FORM_AT("github.event.number"))
			return true;
	}
	return false;
#undef FORM_AT
}

/* Variable names scripts give a pull request's number. */
static bool pr_name(const char *s, size_t n)
{
	if (!memchr(s, 'P', n) && !memchr(s, 'p', n))
		return false;       /* every name below has one */
	static const char *const names[] = {
		"PR", "PR_NUM", "PULL_REQUEST", "PULL_NUMBER", "PR_ID", NULL
	};
	for (int i = 0; names[i]; i++)
		if (ts_strcaseeq(s, n, names[i]))
			return true;
	return contains_ci(s, n, "PR_NUMBER") ||
	       contains_ci(s, n, "PULL_REQUEST_NUMBER");
}

/* `{name}` with anything that would split a path segment made harmless. */
static const char *placeholder(ts_arena *a, const char *name, size_t n)
{
	char *out = ts_alloc(a, n + 3);
	out[0] = '{';
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		out[i + 1] = (isalnum((unsigned char)c) || c == '_' || c == '.' ||
			      c == '-') ? c : '_';
	}
	out[n + 1] = '}';
	out[n + 2] = '\0';
	return out;
}

static ts_sh_value unknown_text(ts_arena *a, const char *name, size_t n)
{
	ts_sh_value v = {0};
	v.kind = TS_VAL_TEXT;
	v.text = placeholder(a, name, n);
	return v;
}

ts_sh_scope *ts_sh_scope_new(ts_arena *a, const ts_expr_ctx *expr,
			     bool pull_request, bool pwsh)
{
	ts_sh_scope *s = ts_alloc(a, sizeof(*s));
	s->a = a;
	s->expr = expr;
	s->pull_request = pull_request;
	s->pwsh = pwsh;
	s->view = ts_alloc(a, sizeof(*s->view));
	return s;
}

ts_sh_scope *ts_sh_scope_child(const ts_sh_scope *parent)
{
	ts_sh_scope *s = ts_alloc(parent->a, sizeof(*s));
	*s = *parent;
	s->parent = parent;
	s->vars = NULL;
	s->n = s->cap = 0;
	s->slots = NULL;
	s->nslots = 0;
	return s;
}

void ts_sh_scope_set_subst(ts_sh_scope *s, ts_sh_subst_fn fn, void *ud)
{
	s->subst = fn;
	s->ud = ud;
}

void ts_sh_allexport(ts_sh_scope *s, bool on)
{
	s->allexport = on;
}

static bool name_eq(const ts_sh_scope *s, const char *a, size_t alen,
		    const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	return s->pwsh ? strncasecmp(a, b, alen) == 0 : memcmp(a, b, alen) == 0;
}

/* FNV-1a; for pwsh, of the name in lower case (name_eq ignores case). */
static size_t name_hash(const ts_sh_scope *s, const char *name, size_t len)
{
	size_t h = 1469598103934665603u;
	if (s->pwsh) {
		for (size_t i = 0; i < len; i++)
			h = (h ^ (size_t)ascii_lower((unsigned char)name[i])) * 1099511628211u;
		return h;
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211u;
	return h;
}

/* The slot for `name` (hash h) in one scope's index: its newest
 * definition, or the empty slot where it would go. A scope and all its
 * parents read names alike (s->pwsh), so one hash serves the chain. */
static size_t *slot_of(const ts_sh_scope *s, const char *name, size_t len,
		       size_t h)
{
	size_t mask = s->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		size_t k = s->slots[i];
		if (!k || name_eq(s, s->vars[k - 1].name, s->vars[k - 1].len, name, len))
			return &s->slots[i];
	}
}

static void index_grow(ts_sh_scope *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 16;
	s->slots = ts_alloc_array(s->a, n, sizeof(*s->slots));
	s->nslots = n;
	for (size_t k = 0; k < s->n; k++)
		*slot_of(s, s->vars[k].name, s->vars[k].len, s->vars[k].hash) = k + 1;
}

static const sh_var *find_in(const ts_sh_scope *sc, const char *name,
			     size_t len, size_t h)
{
	if (!sc->nslots)
		return NULL;
	size_t k = *slot_of(sc, name, len, h);
	return k ? &sc->vars[k - 1] : NULL;
}

/* The nearest definition made by the script, or NULL. */
static const sh_var *find_local_h(const ts_sh_scope *s, const char *name,
				  size_t len, size_t h)
{
	for (const ts_sh_scope *sc = s; sc; sc = sc->parent) {
		const sh_var *v = find_in(sc, name, len, h);
		if (v)
			return v;
	}
	return NULL;
}

static const sh_var *find_local(const ts_sh_scope *s, const char *name,
				size_t len)
{
	return find_local_h(s, name, len, name_hash(s, name, len));
}

static env_entry *view_find(const ts_sh_scope *s, const char *name,
			    size_t len);

/* Whether the env chain sets `name`. */
static bool in_env(const ts_sh_scope *s, const char *name, size_t len)
{
	return s->expr && view_find(s, name, len);
}

static sh_var *add_var(ts_sh_scope *s, const char *name, size_t len)
{
	s->vars = ts_grow_raw(s->a, s->vars, &s->cap, s->n + 1, sizeof(*s->vars));
	sh_var *v = &s->vars[s->n++];
	memset(v, 0, sizeof(*v));
	v->name = ts_strndup(s->a, name, len);
	v->len = len;
	v->hash = name_hash(s, name, len);
	if (2 * s->n > s->nslots)
		index_grow(s);
	else
		*slot_of(s, name, len, v->hash) = s->n;
	return v;
}

void ts_sh_set(ts_sh_scope *s, const char *name, size_t len, ts_sh_value v,
	       bool exported)
{
	const sh_var *old = find_local(s, name, len);
	bool was = old ? (old->exported && !old->unset) : in_env(s, name, len);
	sh_var *nv = add_var(s, name, len);
	nv->value = v;
	nv->exported = exported || was || s->allexport;
}

void ts_sh_export(ts_sh_scope *s, const char *name, size_t len)
{
	const sh_var *old = find_local(s, name, len);
	if (old && !old->unset) {
		ts_sh_value v = old->value;
		sh_var *nv = add_var(s, name, len);
		nv->value = v;
		nv->exported = true;
	}
	/* an env variable is exported already; an unset one exports nothing */
}

void ts_sh_unset(ts_sh_scope *s, const char *name, size_t len)
{
	sh_var *nv = add_var(s, name, len);
	nv->value = ts_sh_text("");
	nv->unset = true;
}

bool ts_sh_credential_like(const char *name, size_t len, const char *text)
{
	const char *src = text ? text : "";
	return tokenish(name, len) || tokenish(src, strlen(src));
}

/* The kind of an env: value as the shell sees it: an unknown value is
 * UNKNOWN only when it may be a credential, else unknown text. */
static ts_val_kind env_kind(const ts_var *var, size_t len)
{
	const ts_value *ev = &var->value;
	if (ev->kind != TS_VAL_UNKNOWN)
		return ev->kind;
	bool cred = var->credential ? var->credential == 2
		    : ts_sh_credential_like(var->name, len, ev->text);
	return cred ? TS_VAL_UNKNOWN : TS_VAL_TEXT;
}

/* An env: value as the shell sees it; `kind` is env_kind() of it. */
static ts_sh_value from_env(const ts_sh_scope *s, const char *name, size_t len,
			    const ts_value *ev, ts_val_kind kind)
{
	const char *src = ev->text ? ev->text : "";
	if (ev->kind == TS_VAL_TEXT)
		return ts_sh_text(src);
	if (kind != TS_VAL_TEXT) {
		ts_sh_value v = {0};
		v.kind = kind;
		v.text = placeholder(s->a, name, len);
		return v;
	}
	ts_sh_value v = unknown_text(s->a, name, len);
	v.pull_request = pr_source(src, strlen(src), s->pull_request);
	return v;
}

/* The slot for `name` (hash h) in the view's index: the entry the script
 * sees, or the empty slot where it would go. */
static size_t *view_slot(const env_view *w, const char *name, size_t len,
			 size_t h)
{
	size_t mask = w->nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		size_t k = w->slots[i];
		if (!k || (w->v[k - 1].len == len &&
			   !memcmp(w->v[k - 1].ev->name, name, len)))
			return &w->slots[i];
	}
}

/* The entries of env `e`, which start at w->v[at]: the last entry of a
 * map that sets a name wins, and a nearer map (read earlier) wins over
 * this one, so they are indexed last first and a name seen is hidden. */
static void view_add_env(const ts_sh_scope *s, env_view *w, const ts_env *e,
			 size_t at)
{
	for (size_t i = e->nvars; i-- > 0;) {
		env_entry *x = &w->v[at + i];
		x->ev = &e->vars[i];
		x->len = strlen(x->ev->name);
		x->hash = name_hash(s, x->ev->name, x->len);
		size_t *slot = view_slot(w, x->ev->name, x->len, x->hash);
		if (*slot)
			x->hidden = true;
		else
			*slot = at + i + 1;
	}
}

/* The script's env view, built on first use (s->expr is set). */
static env_view *view_of(const ts_sh_scope *s)
{
	env_view *w = s->view;
	if (w->built)
		return w;
	w->built = true;
	for (const ts_env *e = s->expr->env; e; e = e->parent)
		w->n += e->nvars;
	w->v = ts_alloc_array(s->a, w->n ? w->n : 1, sizeof(*w->v));
	w->nslots = 16;
	while (w->nslots < 2 * w->n)
		w->nslots *= 2;
	w->slots = ts_alloc_array(s->a, w->nslots, sizeof(*w->slots));
	size_t at = 0;
	for (const ts_env *e = s->expr->env; e; e = e->parent) {
		view_add_env(s, w, e, at);
		at += e->nvars;
	}
	return w;
}

/* The env entry the script sees under `name` (ts_env_find's answer:
 * names match exactly), or NULL. */
static env_entry *view_find(const ts_sh_scope *s, const char *name,
			    size_t len)
{
	env_view *w = view_of(s);
	size_t k = *view_slot(w, name, len, name_hash(s, name, len));
	return k ? &w->v[k - 1] : NULL;
}

/* Every command asks for the kinds of the whole environment, and a few
 * look a variable up: the kind is kept apart from the value, which also
 * needs pr_source() and a placeholder. */
static ts_val_kind entry_kind(env_entry *x)
{
	if (!x->have_kind) {
		x->kind = env_kind(x->ev, x->len);
		x->have_kind = true;
	}
	return x->kind;
}

static const ts_sh_value *entry_value(const ts_sh_scope *s, env_entry *x)
{
	if (!x->have) {
		x->value = from_env(s, x->ev->name, x->len, &x->ev->value,
				    entry_kind(x));
		x->have = true;
	}
	return &x->value;
}

typedef enum look_mode { LOOK_ANY, LOOK_ENV, LOOK_SHELL } look_mode;

static ts_sh_value lookup(const ts_sh_scope *s, const char *name, size_t len,
			  look_mode mode, bool *found)
{
	*found = false;
	const sh_var *lv = find_local(s, name, len);
	if (lv) {
		if (lv->unset || (mode == LOOK_ENV && !lv->exported))
			return ts_sh_text("");
		*found = true;
		ts_sh_value v = lv->value;
		if (!v.exact && v.kind == TS_VAL_TEXT && v.text[0] == '{' &&
		    !strchr(v.text, '/'))
			v.text = placeholder(s->a, name, len);
		v.pull_request |= pr_name(name, len);
		return v;
	}
	if (mode != LOOK_SHELL) {
		env_entry *x = s->expr ? view_find(s, name, len) : NULL;
		if (x) {
			*found = true;
			ts_sh_value v = *entry_value(s, x);
			v.pull_request |= pr_name(name, len);
			return v;
		}
		const char *def = ts_expr_runner_default(name, len);
		if (def) {
			*found = true;
			return ts_sh_text(def);
		}
	}
	ts_sh_value v = unknown_text(s->a, name, len);
	v.oidc = ts_streq(name, len, "ACTIONS_ID_TOKEN_REQUEST_URL") ||
		 ts_streq(name, len, "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
	v.pull_request = pr_name(name, len);
	return v;
}

ts_sh_value ts_sh_lookup(const ts_sh_scope *s, const char *name, size_t len,
			 bool env_only, bool *found)
{
	return lookup(s, name, len, env_only ? LOOK_ENV : LOOK_ANY, found);
}

/* Whether a nearer scope than `sc` (from `s` down) defines `v`'s name. */
static bool shadowed(const ts_sh_scope *s, const ts_sh_scope *sc,
		     const sh_var *v)
{
	for (const ts_sh_scope *x = s; x != sc; x = x->parent)
		if (find_in(x, v->name, v->len, v->hash))
			return true;
	return false;
}

/* The view's entries whose kind is not TEXT, found once per script: a
 * command that may receive a credential asks (token_reach), and most envs
 * hold none, or one among many plain values. */
static const size_t *view_creds(const ts_sh_scope *s, size_t *n)
{
	env_view *w = view_of(s);
	if (!w->creds) {
		w->creds = ts_alloc_array_raw(s->a, w->n ? w->n : 1, sizeof(*w->creds));
		for (size_t k = 0; k < w->n; k++)
			if (!w->v[k].hidden && entry_kind(&w->v[k]) != TS_VAL_TEXT)
				w->creds[w->ncreds++] = k;
	}
	*n = w->ncreds;
	return w->creds;
}

/* ts_sh_env_each, or with `creds` only the variables whose kind is not
 * TEXT: the same calls in the same order, less the ones with plain text. */
static void env_each(const ts_sh_scope *s, bool creds, ts_sh_env_fn fn, void *ud)
{
	for (const ts_sh_scope *sc = s; sc; sc = sc->parent)
		for (size_t i = sc->n; i-- > 0;) {
			const sh_var *v = &sc->vars[i];
			if (creds && v->value.kind == TS_VAL_TEXT)
				continue;
			if (find_in(sc, v->name, v->len, v->hash) != v ||
			    shadowed(s, sc, v))
				continue;
			if (v->exported && !v->unset &&
			    !fn(ud, v->name, v->len, v->value.kind))
				return;
		}
	if (!s->expr)
		return;
	env_view *w = view_of(s);
	size_t n = w->n;
	const size_t *only = creds ? view_creds(s, &n) : NULL;
	for (size_t j = 0; j < n; j++) {
		env_entry *x = &w->v[only ? only[j] : j];
		if (x->hidden || find_local_h(s, x->ev->name, x->len, x->hash))
			continue;       /* the script's own variable hides it */
		if (!fn(ud, x->ev->name, x->len, entry_kind(x)))
			return;
	}
}

void ts_sh_env_each(const ts_sh_scope *s, ts_sh_env_fn fn, void *ud)
{
	env_each(s, false, fn, ud);
}

void ts_sh_env_creds(const ts_sh_scope *s, ts_sh_env_fn fn, void *ud)
{
	env_each(s, true, fn, ud);
}

ts_sh_value ts_sh_eval_expr(const ts_sh_scope *s, const char *expr, size_t len)
{
	ts_value ev = {TS_VAL_UNKNOWN, NULL};
	if (s->expr)
		ev = ts_expr_eval(s->expr, expr, len);
	ts_sh_value v = {0};
	switch (ev.kind) {
	case TS_VAL_TEXT:
		return ts_sh_text(ev.text);
	case TS_VAL_GITHUB_TOKEN:
	case TS_VAL_SECRET:
		v.kind = ev.kind;
		v.text = placeholder(s->a, expr, len);
		return v;
	case TS_VAL_UNKNOWN:
		break;
	}
	if (tokenish(expr, len)) {
		v.kind = TS_VAL_UNKNOWN;
		v.text = placeholder(s->a, expr, len);
		return v;
	}
	v = unknown_text(s->a, expr, len);
	v.pull_request = pr_source(expr, len, s->pull_request);
	return v;
}

/* Variables the runner sets that no map knows the value of. */
static bool runner_var(const char *name, size_t len)
{
	return (len > 7 && memcmp(name, "GITHUB_", 7) == 0) ||
	       (len > 7 && memcmp(name, "RUNNER_", 7) == 0) ||
	       (len > 8 && memcmp(name, "ACTIONS_", 8) == 0);
}

static ts_sh_value join_values(ts_arena *a, ts_sh_value x, ts_sh_value y)
{
	ts_sh_value v = x;
	v.kind = ts_sh_join(x.kind, y.kind);
	v.text = ts_sprintf(a, "%s%s", x.text, y.text);
	v.exact = x.exact && y.exact;
	v.pull_request = x.pull_request || y.pull_request;
	v.oidc = x.oidc || y.oidc;
	return v;
}

static ts_sh_value eval_var(const ts_sh_scope *s, const ts_sh_part *part)
{
	bool found;
	look_mode mode = !s->pwsh ? LOOK_ANY : part->env ? LOOK_ENV : LOOK_SHELL;
	ts_sh_value v = lookup(s, part->text, part->len, mode, &found);
	bool empty = !found || (v.exact && !v.text[0]);
	switch (part->op) {
	case TS_SH_OP_NONE:
		return v;
	case TS_SH_OP_DEFAULT: {
		if (!empty)
			return v;
		ts_sh_value alt = part->alt ? ts_sh_eval(s, part->alt)
					    : ts_sh_text("");
		if (found || !runner_var(part->text, part->len))
			return alt;
		ts_sh_value j = join_values(s->a, alt, v);
		j.text = v.text;
		return j;
	}
	case TS_SH_OP_ALT:
		if (!found)
			return ts_sh_text("");
		return part->alt ? ts_sh_eval(s, part->alt) : ts_sh_text("");
	case TS_SH_OP_LENGTH:
		return unknown_text(s->a, "length", 6);
	case TS_SH_OP_OTHER:
		v.exact = false;
		v.text = placeholder(s->a, part->text, part->len);
		return v;
	}
	return v;
}

static ts_sh_value eval_part(const ts_sh_scope *s, const ts_sh_part *part)
{
	switch (part->kind) {
	case TS_SH_LIT:
		return ts_sh_text(part->text);
	case TS_SH_VAR:
		return eval_var(s, part);
	case TS_SH_EXPR:
		return ts_sh_eval_expr(s, part->text, part->len);
	case TS_SH_SUBST:
		if (s->subst)
			return s->subst(s->ud, part->sub);
		return unknown_text(s->a, "output", 6);
	case TS_SH_ARITH:
		return unknown_text(s->a, "number", 6);
	}
	return ts_sh_text("");
}

ts_sh_value ts_sh_eval(const ts_sh_scope *s, const ts_sh_word *w)
{
	/* most words are one part: its value is the word's (values are never
	 * written to, so the text need not be copied) */
	if (w->nparts == 1)
		return eval_part(s, &w->parts[0]);
	ts_sh_value v = ts_sh_text("");
	ts_buf b;
	ts_buf_init(&b, s->a);
	for (size_t i = 0; i < w->nparts; i++) {
		ts_sh_value pv = eval_part(s, &w->parts[i]);
		ts_buf_adds(&b, pv.text);
		v.kind = ts_sh_join(v.kind, pv.kind);
		v.exact = v.exact && pv.exact;
		v.pull_request |= pv.pull_request;
		v.oidc |= pv.oidc;
	}
	v.text = ts_buf_cstr(&b);
	return v;
}
