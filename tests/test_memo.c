/*
 * test_memo.c - ts_memo: a key finds what was put under it, and only that.
 *
 * Covers: a key not put, C-string and counted keys meeting (one store),
 * keys that differ only past a NUL or only in length, a value replaced
 * under the same key, keys copied (the caller's buffer may change), and
 * enough keys to grow the table several times.
 */
#include "testlib.h"

#include "../src/memo.h"

#include <stdio.h>

static void a_key_finds_only_its_value(void **state)
{
	(void)state;
	ts_memo *m = ts_memo_new(tl_arena());
	int a = 1, b = 2;
	assert_null(ts_memo_get(m, "run"));
	ts_memo_put(m, "run", &a);
	assert_ptr_equal(ts_memo_get(m, "run"), &a);
	assert_ptr_equal(ts_memo_getn(m, "run", 3), &a);   /* the same key */
	assert_null(ts_memo_getn(m, "run", 2));
	assert_null(ts_memo_get(m, "runs"));
	ts_memo_put(m, "run", &b);
	assert_ptr_equal(ts_memo_get(m, "run"), &b);
}

static void counted_keys_hold_nuls(void **state)
{
	(void)state;
	ts_memo *m = ts_memo_new(tl_arena());
	int a = 1, b = 2, c = 3;
	ts_memo_putn(m, "echo\0a", 6, &a);
	ts_memo_putn(m, "echo\0b", 6, &b);
	ts_memo_putn(m, "echo", 4, &c);
	assert_ptr_equal(ts_memo_getn(m, "echo\0a", 6), &a);
	assert_ptr_equal(ts_memo_getn(m, "echo\0b", 6), &b);
	assert_ptr_equal(ts_memo_get(m, "echo"), &c);
	assert_null(ts_memo_getn(m, "echo\0", 5));
}

static void keys_are_copied_and_the_table_grows(void **state)
{
	(void)state;
	ts_memo *m = ts_memo_new(tl_arena());
	static int v[500];
	char key[64];
	for (int i = 0; i < 500; i++) {
		/* long keys: the hash reads them eight bytes at a time */
		snprintf(key, sizeof(key), "a fairly long script, number %d, then more", i);
		ts_memo_put(m, key, &v[i]);
	}
	memset(key, 0, sizeof(key));
	for (int i = 0; i < 500; i++) {
		snprintf(key, sizeof(key), "a fairly long script, number %d, then more", i);
		assert_ptr_equal(ts_memo_get(m, key), &v[i]);
	}
	assert_null(ts_memo_get(m, "a fairly long script, number 500, then more"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TL_TEST(a_key_finds_only_its_value),
		TL_TEST(counted_keys_hold_nuls),
		TL_TEST(keys_are_copied_and_the_table_grows),
	};
	return cmocka_run_group_tests_name("memo", tests, NULL, tl_builtin_free);
}
