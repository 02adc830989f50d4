/*
 * test_load.c - ts_load_bytes and ts_load: what must never reach the parser.
 *
 * Covers UTF-8 validation (overlongs, surrogates, code points above
 * U+10FFFF, truncated sequences, the `%"\xa6` input that hangs libfyaml
 * 0.7.12) with the exact line:col of the bad byte; NUL bytes; BOM, CRLF and
 * final-newline detection; empty and blank files; the size limit; and on
 * disk: a regular file, a directory, a FIFO (must not hang), an unreadable
 * file, symlinks inside and outside the repository root.
 */
#include "testlib.h"

#include <errno.h>
#include <signal.h>

/* Loads len bytes; returns ts_load_bytes' rc, the error in *err. */
static int load_n(const char *text, size_t len, ts_source *src, ts_error *err)
{
	memset(err, 0, sizeof(*err));
	return ts_load_bytes("t.yml", text, len, NULL, src, err);
}

static int load_s(const char *text, ts_source *src, ts_error *err)
{
	return load_n(text, strlen(text), src, err);
}

/* Asserts the text is refused as invalid UTF-8 at line:col. */
static void assert_bad_utf8(const char *text, int line, int col)
{
	ts_source src;
	ts_error err;
	assert_int_equal(load_s(text, &src, &err), -1);
	assert_non_null(strstr(err.msg, "invalid UTF-8"));
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

static void utf8_valid_multibyte_is_accepted(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	/* 2-, 3- and 4-byte sequences, the largest code point U+10FFFF, and
	 * U+FFFF / U+E000 (just around the surrogates). */
	const char *t = "name: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"
			" \xef\xbf\xbf \xee\x80\x80 \xed\x9f\xbf\n";
	assert_int_equal(load_s(t, &src, &err), 0);
	assert_int_equal(src.len, strlen(t));
	assert_ptr_equal(src.text, t);
}

static void utf8_overlong_two_byte_refused(void **state)
{
	(void)state;
	assert_bad_utf8("a: \xc0\x80\n", 1, 4);        /* overlong NUL */
	assert_bad_utf8("a: b\nc: \xc1\xbf\n", 2, 4);  /* overlong DEL */
}

static void utf8_overlong_three_and_four_byte_refused(void **state)
{
	(void)state;
	assert_bad_utf8("a: x\nb: y\nc: \xe0\x80\xaf\n", 3, 4);   /* '/' in 3 bytes */
	assert_bad_utf8("k: \xf0\x82\x82\xac\n", 1, 4);             /* U+20AC in 4 bytes */
}

static void utf8_surrogates_refused(void **state)
{
	(void)state;
	assert_bad_utf8("s: \xed\xa0\x80\n", 1, 4);     /* U+D800 */
	assert_bad_utf8("s: ab\xed\xbf\xbf\n", 1, 6);   /* U+DFFF */
}

static void utf8_above_10ffff_refused(void **state)
{
	(void)state;
	assert_bad_utf8("x: \xf4\x90\x80\x80\n", 1, 4); /* U+110000 */
	assert_bad_utf8("x: \xf5\x80\x80\x80\n", 1, 4); /* lead byte F5 */
	assert_bad_utf8("x: \xff\n", 1, 4);
}

static void utf8_truncated_sequences_refused(void **state)
{
	(void)state;
	assert_bad_utf8("t: \xe2\x82", 1, 4);            /* cut by the end of the file */
	assert_bad_utf8("t: \xe2\x82 z\n", 1, 4);        /* cut by a space */
	assert_bad_utf8("t: \xf0\x9f\x98\n", 1, 4);      /* 4-byte cut by the newline */
	assert_bad_utf8("t: \x80\n", 1, 4);              /* a lone continuation byte */
}

static void utf8_column_counts_characters_not_bytes(void **state)
{
	(void)state;
	/* é and € are one column each, so the bad byte is at column 5. */
	assert_bad_utf8("\xc3\xa9\xe2\x82\xac: \xfe\n", 1, 5);
	/* a tab is one column too */
	assert_bad_utf8("a:\t\xfe\n", 1, 4);
}

static void utf8_libfyaml_hang_inputs_refused_with_position(void **state)
{
	(void)state;
	assert_bad_utf8("%\"\xa6", 1, 3);
	assert_bad_utf8("%\xa6", 1, 2);
	assert_bad_utf8("on: push\njobs: {}\n%\"\xe2\x82\n", 3, 3);
}

/* ------------------------------------------------------------------ */
/* NUL, BOM, EOL                                                       */

static void nul_byte_refused_with_position(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	const char t[] = "on: push\njobs:\0\n  a: {}\n";
	assert_int_equal(load_n(t, sizeof(t) - 1, &src, &err), -1);
	assert_non_null(strstr(err.msg, "NUL"));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 6);
}

static void bom_detected(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	assert_int_equal(load_s("\xef\xbb\xbf" "on: push\n", &src, &err), 0);
	assert_true(src.bom);
	assert_int_equal(load_s("on: push\n", &src, &err), 0);
	assert_false(src.bom);
	/* a BOM that is not at the start is just U+FEFF */
	assert_int_equal(load_s("a: \xef\xbb\xbf\n", &src, &err), 0);
	assert_false(src.bom);
}

static void crlf_detected_by_majority(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	assert_int_equal(load_s("a: 1\r\nb: 2\r\n", &src, &err), 0);
	assert_true(src.crlf);
	assert_int_equal(load_s("a: 1\nb: 2\n", &src, &err), 0);
	assert_false(src.crlf);
	assert_int_equal(load_s("a: 1\r\nb: 2\r\nc: 3\n", &src, &err), 0);
	assert_true(src.crlf);
	assert_int_equal(load_s("a: 1\r\nb: 2\nc: 3\n", &src, &err), 0);
	assert_false(src.crlf);
	/* a lone \r is refused where it stands: YAML would read it as a line
	 * end that offsets computed from \n miss */
	assert_int_equal(load_s("a: 1\rb\n", &src, &err), -1);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 5);
	assert_non_null(strstr(err.msg, "carriage return"));
}

static void final_newline_detected(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	assert_int_equal(load_s("a: 1\n", &src, &err), 0);
	assert_true(src.final_newline);
	assert_int_equal(load_s("a: 1", &src, &err), 0);
	assert_false(src.final_newline);
	assert_int_equal(load_s("a: 1\r\n", &src, &err), 0);
	assert_true(src.final_newline);
	assert_int_equal(load_s("a: 1\r", &src, &err), -1);   /* a lone \r: refused */
}

/* ------------------------------------------------------------------ */
/* Empty files, size                                                   */

static void empty_and_blank_files_refused(void **state)
{
	(void)state;
	ts_source src;
	ts_error err;
	assert_int_equal(load_n("", 0, &src, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(err.line, 0);
	assert_int_equal(load_s(" \n\t\r\n  \n", &src, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(load_s("\xef\xbb\xbf", &src, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(load_s("\xef\xbb\xbf\n\n", &src, &err), -1);
	/* a comment is content: loading accepts it (parse refuses it) */
	assert_int_equal(load_s("# just a comment\n", &src, &err), 0);
}

static void size_limit_is_inclusive(void **state)
{
	(void)state;
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {8, NULL};
	assert_int_equal(ts_load_bytes("t.yml", "a: 12345", 8, &lo, &src, &err), 0);
	assert_int_equal(ts_load_bytes("t.yml", "a: 123456", 9, &lo, &src, &err), -1);
	assert_non_null(strstr(err.msg, "over the limit of 8"));
	assert_int_equal(err.line, 0);
}

static void default_size_limit_is_4_mib(void **state)
{
	(void)state;
	size_t n = TS_DEFAULT_MAX_SIZE + 1;
	char *big = ts_alloc(tl_arena(), n);
	memset(big, 'a', n);
	big[0] = 'x';
	big[1] = ':';
	big[2] = ' ';
	ts_source src;
	ts_error err;
	assert_int_equal(load_n(big, n, &src, &err), -1);
	assert_non_null(strstr(err.msg, "over the limit"));
	assert_int_equal(load_n(big, n - 1, &src, &err), 0);
}

/* ------------------------------------------------------------------ */
/* Files on disk                                                       */

static void file_regular_is_read_with_mode(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	tl_write(path, "on: push\r\njobs: {}", 18);
	assert_int_equal(chmod(path, 0640), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_load(a, path, NULL, &src, &err), 0);
	assert_int_equal(src.len, 18);
	assert_string_equal(src.text, "on: push\r\njobs: {}");
	assert_int_equal(src.mode, 0640);
	assert_false(src.symlink);
	assert_true(src.crlf);
	assert_false(src.final_newline);
	assert_string_equal(src.path, path);
}

static void file_missing_refused(void **state)
{
	(void)state;
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_load(a, "/nonexistent/tokenscope/x.yml", NULL, &src, &err), -1);
	assert_non_null(strstr(err.msg, "cannot read"));
}

static void file_directory_refused(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_load(a, path, NULL, &src, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
}

static void file_fifo_refused_without_hanging(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	alarm(10);      /* a hang kills the test program instead of the suite */
	int rc = ts_load(a, path, NULL, &src, &err);
	alarm(0);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void file_unreadable_refused(void **state)
{
	(void)state;
	if (geteuid() == 0) {
		print_message("running as root: chmod 000 does not stop reading; skipped\n");
		skip();
	}
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	tl_write(path, "on: push\n", 9);
	assert_int_equal(chmod(path, 0), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_load(a, path, NULL, &src, &err), -1);
	assert_non_null(strstr(err.msg, "cannot open"));
}

static void file_over_size_limit_refused(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	tl_write(path, "on: push\njobs: {}\n", 18);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {17, NULL};
	assert_int_equal(ts_load(a, path, &lo, &src, &err), -1);
	assert_non_null(strstr(err.msg, "over the limit of 17"));
	lo.max_size = 18;
	assert_int_equal(ts_load(a, path, &lo, &src, &err), 0);
}

static void file_invalid_utf8_refused_with_position(void **state)
{
	(void)state;
	char dir[256], path[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/ci.yml", dir);
	tl_write(path, "on: push\n%\"\xa6\n", 13);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	assert_int_equal(ts_load(a, path, NULL, &src, &err), -1);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
}

static void symlink_inside_root_is_read_and_marked(void **state)
{
	(void)state;
	char dir[256], real[300], link[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(real, sizeof(real), "%s/shared.yml", dir);
	snprintf(link, sizeof(link), "%s/ci.yml", dir);
	tl_write(real, "on: push\n", 9);
	assert_int_equal(symlink("shared.yml", link), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {0, dir};
	assert_int_equal(ts_load(a, link, &lo, &src, &err), 0);
	assert_true(src.symlink);
	assert_string_equal(src.text, "on: push\n");
}

static void symlink_outside_root_refused(void **state)
{
	(void)state;
	char outside[256], root[256], real[300], link[300];
	tl_tmpdir(outside, sizeof(outside));
	tl_tmpdir(root, sizeof(root));
	snprintf(real, sizeof(real), "%s/secret.yml", outside);
	snprintf(link, sizeof(link), "%s/ci.yml", root);
	tl_write(real, "on: push\n", 9);
	assert_int_equal(symlink(real, link), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {0, root};
	assert_int_equal(ts_load(a, link, &lo, &src, &err), -1);
	assert_non_null(strstr(err.msg, "outside the repository"));
	/* without a root, no symlink is followed */
	assert_int_equal(ts_load(a, link, NULL, &src, &err), -1);
	assert_non_null(strstr(err.msg, "symlink"));
}

static void symlink_to_sibling_with_root_prefix_refused(void **state)
{
	(void)state;
	/* root "/tmp/x/repo" must not accept a target in "/tmp/x/repo2" */
	char base[256], root[300], sib[300], real[340], link[340];
	tl_tmpdir(base, sizeof(base));
	snprintf(root, sizeof(root), "%s/repo", base);
	snprintf(sib, sizeof(sib), "%s/repo2", base);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(sib, 0755), 0);
	snprintf(real, sizeof(real), "%s/ci.yml", sib);
	snprintf(link, sizeof(link), "%s/ci.yml", root);
	tl_write(real, "on: push\n", 9);
	assert_int_equal(symlink(real, link), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {0, root};
	assert_int_equal(ts_load(a, link, &lo, &src, &err), -1);
	assert_non_null(strstr(err.msg, "outside the repository"));
}

static void symlink_dangling_refused(void **state)
{
	(void)state;
	char dir[256], link[300];
	tl_tmpdir(dir, sizeof(dir));
	snprintf(link, sizeof(link), "%s/ci.yml", dir);
	assert_int_equal(symlink("nowhere.yml", link), 0);
	ts_arena *a = tl_arena();
	ts_source src;
	ts_error err = {0, 0, ""};
	ts_load_opts lo = {0, dir};
	assert_int_equal(ts_load(a, link, &lo, &src, &err), -1);
	assert_non_null(strstr(err.msg, "does not resolve"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(utf8_valid_multibyte_is_accepted),
		TL_TEST(utf8_overlong_two_byte_refused),
		TL_TEST(utf8_overlong_three_and_four_byte_refused),
		TL_TEST(utf8_surrogates_refused),
		TL_TEST(utf8_above_10ffff_refused),
		TL_TEST(utf8_truncated_sequences_refused),
		TL_TEST(utf8_column_counts_characters_not_bytes),
		TL_TEST(utf8_libfyaml_hang_inputs_refused_with_position),
		TL_TEST(nul_byte_refused_with_position),
		TL_TEST(bom_detected),
		TL_TEST(crlf_detected_by_majority),
		TL_TEST(final_newline_detected),
		TL_TEST(empty_and_blank_files_refused),
		TL_TEST(size_limit_is_inclusive),
		TL_TEST(default_size_limit_is_4_mib),
		TL_TEST(file_regular_is_read_with_mode),
		TL_TEST(file_missing_refused),
		TL_TEST(file_directory_refused),
		TL_TEST(file_fifo_refused_without_hanging),
		TL_TEST(file_unreadable_refused),
		TL_TEST(file_over_size_limit_refused),
		TL_TEST(file_invalid_utf8_refused_with_position),
		TL_TEST(symlink_inside_root_is_read_and_marked),
		TL_TEST(symlink_outside_root_refused),
		TL_TEST(symlink_to_sibling_with_root_prefix_refused),
		TL_TEST(symlink_dangling_refused),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
