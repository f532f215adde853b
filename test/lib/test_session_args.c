/* Host unit tests for session argument strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <session_args.h>
#include <string.h>

static void test_service(void **state)
{
	char s[8];
	assert_true(args_service("ROM label=config", s, sizeof(s)));
	assert_string_equal(s, "ROM");
	assert_false(args_service("", s, sizeof(s)));
	assert_false(args_service("VERYLONGNAME", s, sizeof(s)));
}

static void test_strings(void **state)
{
	char v[16];
	assert_true(args_string("ROM label=config ram_quota=4K", "label", v, sizeof(v)));
	assert_string_equal(v, "config");
	assert_false(args_string("ROM label=config", "labe", v, sizeof(v)));
	assert_false(args_string("ROM xlabel=config", "label", v, sizeof(v)));
	assert_false(
	    args_string("label=config", "label", v, sizeof(v))); /* that is the service word */
	assert_false(args_string("ROM label=waytoolongforthebuffer", "label", v, sizeof(v)));
	assert_true(args_string("ROM label=", "label", v, sizeof(v)));
	assert_string_equal(v, "");
}

/* A quoted value holds spaces: the label init writes for a sibling's session. */
static void test_quoted(void **state)
{
	char out[64];
	const char *a = "kv label=\"client -> buffer\" size=8192";
	assert_true(args_string(a, "label", out, sizeof(out)));
	assert_string_equal(out, "client -> buffer");
	assert_int_equal(args_number(a, "size", 0), 8192);
	const char *pos = a, *w;
	size_t len;
	w = args_word(&pos, &len);
	w = args_word(&pos, &len);
	assert_int_equal(len, strlen("label=\"client -> buffer\""));
	assert_memory_equal(w, "label=\"", 7);
	/* an unclosed quote takes the rest: no key after it is found */
	assert_int_equal(args_number("kv label=\"a size=1", "size", 7), 7);
	assert_true(args_string("kv label=\"\"", "label", out, sizeof(out)));
	assert_string_equal(out, "");
}

static void test_numbers(void **state)
{
	assert_int_equal(args_number("RM size=4096", "size", 7), 4096);
	assert_int_equal(args_number("RM size=0x1000", "size", 7), 4096);
	assert_int_equal(args_number("RM size=16K", "size", 7), 16384);
	assert_int_equal(args_number("RM size=2M", "size", 7), 2u << 20);
	assert_int_equal(args_number("RM size=1G", "size", 7), 1u << 30);
	assert_int_equal(args_number("RM size=", "size", 7), 7);
	assert_int_equal(args_number("RM size=12x", "size", 7), 7);
	assert_int_equal(args_number("RM size=0x", "size", 7), 7);
	assert_int_equal(args_number("RM size=K", "size", 7), 7);
	assert_int_equal(args_number("RM", "size", 7), 7);
	assert_int_equal(args_number("RM size=18446744073709551615", "size", 7), UINT64_MAX);
	assert_int_equal(args_number("RM size=18446744073709551616", "size", 7), 7); /* overflow */
	assert_int_equal(args_number("RM size=0xffffffffffffffffff", "size", 7), 7);
	assert_int_equal(args_number("RM size=17179869184G", "size", 7), 7); /* 2^34 G overflows */
}

static void test_words(void **state)
{
	const char *pos = "  start=a  b ", *w;
	size_t len;
	w = args_word(&pos, &len);
	assert_non_null(w);
	assert_int_equal(len, 7);
	assert_memory_equal(w, "start=a", 7);
	w = args_word(&pos, &len);
	assert_int_equal(len, 1);
	assert_int_equal(w[0], 'b');
	assert_null(args_word(&pos, &len));
	pos = "";
	assert_null(args_word(&pos, &len));
}

static void test_valid(void **state)
{
	assert_true(args_valid("LOG label=x", 64));
	assert_false(args_valid("", 64));
	assert_false(args_valid(" LOG", 64));
	assert_false(args_valid("LOG\nlabel", 64));
	assert_false(args_valid("LOGLOGLOG", 4)); /* not terminated within max */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_service), cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_numbers), cmocka_unit_test(test_words),
	    cmocka_unit_test(test_valid),   cmocka_unit_test(test_quoted),
	};
	return cmocka_run_group_tests_name("session_args", tests, NULL, NULL);
}
