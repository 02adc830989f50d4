/* test_formats.c - the machine formats (json, sarif, markdown, github), the
 * pull request body and the commit message, each compared byte for byte
 * with a golden file in tests/formats/expected/, on one shared set of
 * inputs run through the real pipeline (nothing written). The JSON escaper
 * and positions are checked on their own.
 *
 * The map is tests/formats/test.map, not the shipped one, so the goldens
 * change with the formats, not with the maps. To accept new output after a
 * deliberate change: TS_UPDATE_GOLDEN=1 ./test_formats, then review the
 * diff. Schema validation of the JSON and the SARIF fields code scanning
 * needs are checked by tests/test_formats.sh, which has Python. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit/formats.h"
#include "pipeline.h"

static ts_map *map;
static char srcdir[PATH_MAX];

/* Files outside any repository, then repositories: both kinds of path. */
static const char *const singles[] = {
	"golden/block-basic/input.yml",
	"golden/flow-job/input.yml",
	"golden/has-permissions/input.yml",
	"golden/unknown-action/input.yml",
	"golden/reusable-remote/input.yml",
	"golden/multi-document/input.yml",
	"tests/formats/inputs/escapes.yml",
	"tests/formats/inputs/not-a-workflow.yml",
};
static const char *const discovered[] = {
	"tests/formats/inputs/missing.yml",
	"tests/formats/inputs/demo",      /* a copy of examples/demo */
	"golden/local-reusable-workflow/input",
};

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int setup(void **state)
{
	(void)state;
	if (chdir(TS_SOURCE_DIR) != 0 || !realpath(".", srcdir))
		return -1;
	size_t len;
	char *text = read_all("tests/formats/test.map", &len);
	ts_error err;
	map = ts_map_new();
	if (!text || ts_map_load(map, "tests/formats/test.map", text, len, &err) < 0 ||
	    ts_map_finish(map, &err) < 0) {
		fprintf(stderr, "test.map: %d:%d: %s\n", err.line, err.col, err.msg);
		return -1;
	}
	free(text);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_map_free(map);
	return 0;
}

/* Replaces every `from` in s (malloc'd) with `to`; returns the new string. */
static char *replace_all(char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), count = 0;
	for (const char *p = s; (p = strstr(p, from)); p += nf)
		count++;
	char *out = malloc(strlen(s) + count * nt + 1), *o = out;
	assert_non_null(out);
	const char *p = s, *q;
	while ((q = strstr(p, from))) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, nt);
		o += nt;
		p = q + nf;
	}
	strcpy(o, p);
	free(s);
	return out;
}

/* What may differ between machines and releases, made constant. */
static char *normalise(char *s)
{
	s = replace_all(s, srcdir, "@SRC@");
	return replace_all(s, TS_VERSION, "@VERSION@");
}

static void targets(ts_arena *a, ts_targets *t)
{
	for (size_t i = 0; i < sizeof(singles) / sizeof(singles[0]); i++) {
		t->v = ts_grow(a, t->v, &t->cap, t->n + 1, sizeof(*t->v));
		ts_target x = {.path = singles[i], .display = singles[i]};
		t->v[t->n++] = x;
	}
	for (size_t i = 0; i < sizeof(discovered) / sizeof(discovered[0]); i++)
		ts_discover(a, discovered[i], i + 1, t);
}

/* One run over the shared inputs, as `tokenscope check` would do it. */
static char *run(ts_format fmt, const char *pr_body, const char *commit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	FILE *err = fopen("/dev/null", "w");
	assert_non_null(out);
	assert_non_null(err);
	ts_emit_opts o = {TS_MODE_CHECK, fmt, false, false, true, pr_body, commit, false, 0};
	ts_emitter *e = ts_emitter_new(out, err, &o);
	ts_arena ta = TS_ARENA_INIT;
	ts_targets t = {NULL, 0, 0};
	targets(&ta, &t);
	ts_config cfg = {map, {false, false}, 0, 0, false};
	for (size_t i = 0; i < t.n; i++) {
		ts_arena a = TS_ARENA_INIT;
		ts_file_result r;
		ts_process(&cfg, NULL, &t.v[i], &a, &r, NULL);
		ts_emitter_file(e, &r);
		ts_arena_free(&a);
	}
	ts_emitter_end(e, NULL);
	ts_emitter_free(e);
	ts_arena_free(&ta);
	fclose(out);
	fclose(err);
	return normalise(buf);
}

/* Reports the first line that differs, which says more than two walls of
 * text. */
static void expect_golden(const char *name, const char *actual)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "tests/formats/expected/%s", name);
	if (getenv("TS_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(actual, f);
		fclose(f);
		return;
	}
	char *want = read_all(path, NULL);
	if (!want)
		fail_msg("%s: missing (TS_UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(want, actual)) {
		const char *w = want, *g = actual;
		int line = 1;
		while (*w && *w == *g) {
			line += *w == '\n';
			w++;
			g++;
		}
		while (w > want && w[-1] != '\n') {
			w--;
			g--;
		}
		fail_msg("%s: line %d differs:\n  want: %.*s\n  got:  %.*s", path, line,
			 (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
	}
	free(want);
}

static void golden(ts_format fmt, const char *name)
{
	char *out = run(fmt, NULL, NULL);
	expect_golden(name, out);
	free(out);
}

static void test_json(void **state)
{
	(void)state;
	golden(TS_FORMAT_JSON, "report.json");
}

static void test_sarif(void **state)
{
	(void)state;
	golden(TS_FORMAT_SARIF, "report.sarif");
}

static void test_markdown(void **state)
{
	(void)state;
	golden(TS_FORMAT_MARKDOWN, "report.md");
}

static void test_github(void **state)
{
	(void)state;
	golden(TS_FORMAT_GITHUB, "report.github.txt");
}

/* --pr-body is the markdown report; --commit-message has its golden; both
 * leave stdout to the chosen format. */
static void test_side_outputs(void **state)
{
	(void)state;
	char dir[] = "/tmp/ts_formats_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char body[PATH_MAX], msg[PATH_MAX];
	snprintf(body, sizeof(body), "%s/body.md", dir);
	snprintf(msg, sizeof(msg), "%s/commit.txt", dir);
	char *out = run(TS_FORMAT_TEXT, body, msg);
	char *md = run(TS_FORMAT_MARKDOWN, NULL, NULL);
	char *got_body = normalise(read_all(body, NULL));
	char *got_msg = normalise(read_all(msg, NULL));
	assert_string_equal(got_body, md);
	expect_golden("commit-message.txt", got_msg);
	assert_null(strstr(out, "## Least-privilege"));
	unlink(body);
	unlink(msg);
	rmdir(dir);
	free(out);
	free(md);
	free(got_body);
	free(got_msg);
}

/* A side output that cannot be written is an error of the run. */
static void test_side_output_error(void **state)
{
	(void)state;
	FILE *out = fopen("/dev/null", "w"), *err = fopen("/dev/null", "w");
	ts_emit_opts o = {TS_MODE_CHECK, TS_FORMAT_JSON, false, false, true,
			  "/nonexistent/dir/body.md", NULL, false, 0};
	ts_emitter *e = ts_emitter_new(out, err, &o);
	ts_totals t;
	ts_emitter_end(e, &t);
	ts_emitter_free(e);
	fclose(out);
	fclose(err);
	assert_int_equal(t.errors, 1);
}

static const char *json(ts_arena *a, const char *s)
{
	ts_buf b;
	ts_buf_init(&b, a);
	ts_json_str(&b, s);
	return ts_buf_cstr(&b);
}

static void test_json_escape(void **state)
{
	(void)state;
	ts_arena a = TS_ARENA_INIT;
	assert_string_equal(json(&a, ""), "\"\"");
	assert_string_equal(json(&a, "a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	assert_string_equal(json(&a, "\n\r\t\b\f\x01\x1f\x7f"),
			    "\"\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"");
	/* valid UTF-8 passes through, up to four bytes */
	assert_string_equal(json(&a, "é日本\xf0\x9f\x98\x80"), "\"é日本\xf0\x9f\x98\x80\"");
	/* a lone byte, an overlong form, a surrogate, past U+10FFFF, cut short */
	assert_string_equal(json(&a, "a\xff" "b"), "\"a\\ufffdb\"");
	assert_string_equal(json(&a, "\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(json(&a, "\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(json(&a, "\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(json(&a, "\xe6\x97"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(json(&a, "x\xe6\x97\xa5"), "\"x日\"");
	ts_arena_free(&a);
}

static void test_writer(void **state)
{
	(void)state;
	ts_arena a = TS_ARENA_INIT;
	ts_buf b;
	ts_buf_init(&b, &a);
	ts_jw w = {&b, 0, {false}};
	ts_jw_obj(&w, NULL);
	ts_jw_arr(&w, "empty");
	ts_jw_close(&w, ']');
	ts_jw_obj(&w, "o");
	ts_jw_pos(&w, "none", 0);
	ts_jw_int(&w, "n", -3);
	ts_jw_bool(&w, "t", true);
	ts_jw_close(&w, '}');
	ts_jw_close(&w, '}');
	assert_string_equal(ts_buf_cstr(&b),
			    "{\n  \"empty\": [],\n  \"o\": {\n    \"none\": null,\n"
			    "    \"n\": -3,\n    \"t\": true\n  }\n}");
	ts_arena_free(&a);
}

/* Lines from 1, columns in code points; a BOM is no column. */
static void test_text_pos(void **state)
{
	(void)state;
	const char *t = "\xef\xbb\xbf" "ab\n" "é日x\n" "\n";
	ts_source src;
	memset(&src, 0, sizeof(src));
	src.text = t;
	src.len = strlen(t);
	src.bom = true;
	int line, col;
	ts_text_pos(&src, 3, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	ts_text_pos(&src, 5, &line, &col);
	assert_int_equal(col, 3);
	ts_text_pos(&src, 6, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	ts_text_pos(&src, 11, &line, &col);   /* before the x */
	assert_int_equal(col, 3);
	ts_text_pos(&src, src.len, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_side_outputs),
		cmocka_unit_test(test_side_output_error),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_text_pos),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
