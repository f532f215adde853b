/* Host unit tests for the kernel's printf-style formatter. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <format.h>

static char buf[128];

#define EXPECT(want, ...)                                             \
	do {                                                          \
		size_t n = format_buf(buf, sizeof(buf), __VA_ARGS__); \
		assert_string_equal(buf, want);                       \
		assert_int_equal(n, strlen(want));                    \
	} while (0)

static void test_integers(void **state)
{
	EXPECT("0", "%d", 0);
	EXPECT("-42", "%d", -42);
	EXPECT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	EXPECT("4294967295", "%u", 0xffffffffu);
	EXPECT("ff FF", "%x %X", 255, 255);
	EXPECT("ffffffff80000000", "%lx", 0xffffffff80000000ul);
	EXPECT("123", "%zu", (size_t)123);
}

static void test_width_and_flags(void **state)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("0000beef", "%08x", 0xbeef);
	EXPECT("  7", "%*d", 3, 7);
	EXPECT("007", "%.3d", 7);
}

static void test_strings_and_chars(void **state)
{
	EXPECT("hello", "%s", "hello");
	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("  ab", "%4s", "ab");
	EXPECT("ab  |", "%-4s|", "ab");
	EXPECT("abc", "%.3s", "abcdef");
	EXPECT("ab", "%.*s", 2, "abcdef");
	EXPECT("x", "%c", 'x');
	EXPECT("100%", "100%%");
	EXPECT("0x1000", "%p", (void *)0x1000);
}

static void test_odd_formats(void **state)
{
	EXPECT("%q", "%q");
	EXPECT("end", "end%");
	EXPECT("", "%s", "");
}

static void test_truncation(void **state)
{
	char small[6];
	size_t n = format_buf(small, sizeof(small), "%s", "truncated");
	assert_int_equal(n, 9);
	assert_string_equal(small, "trunc");
	n = format_buf(small, 0, "%d", 12345);
	assert_int_equal(n, 5);
	n = format_buf(small, 1, "%d", 12345);
	assert_string_equal(small, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),	      cmocka_unit_test(test_width_and_flags),
	    cmocka_unit_test(test_strings_and_chars), cmocka_unit_test(test_odd_formats),
	    cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests_name("kernel_format", tests, NULL, NULL);
}
