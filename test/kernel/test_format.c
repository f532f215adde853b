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

#include <stdio.h>
#include <stdlib.h>
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

static void test_flags(void **state)
{
	EXPECT("0xbeef 0XBEEF 017 0 0", "%#x %#X %#o %#x %#o", 0xbeef, 0xbeef, 017, 0, 0);
	EXPECT("+5 -5  5", "%+d %+d % d", 5, -5, 5);
	EXPECT("ffffffff80100000", "%lx", 0xffffffff80100000ul);
	EXPECT("0x00ff", "%#06x", 255);
	EXPECT("  0x00ff", "%#8.4x", 255);
	EXPECT("", "%.0d", 0);
	EXPECT("0", "%#.0o", 0);
	EXPECT("12   |", "%*d|", -5, 12);
	EXPECT("12", "%.*d", -3, 12);
	EXPECT("-128 255 -1 65535", "%hhd %hhu %hd %hu", 128, 255, 65535, 65535);
	EXPECT("(nil) 0x10", "%p %p", (void *)0, (void *)16);
	EXPECT("    a|b    |", "%5c|%-5c|", 'a', 'b');
	EXPECT("%f 3", "%f %d", 3); /* no floating point: as written, its argument not taken */
	/* widths and precisions beyond int: saturated, no overflow (UBSan watches) */
	size_t n = format_buf(buf, 8, "%99999999999d", 1);
	assert_string_equal(buf, "       ");
	assert_true(n > 1000000);
}

/* ---- against the host C library: many random formats and values ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* value: random, or one of the edges of its type */
static uint64_t value(void)
{
	static const uint64_t edges[] = {0,	     1,		 ~0ull,	     0x7f,	 0x80,
					 0xff,	     0x7fff,	 0x8000,     0xffff,	 0x7fffffff,
					 0x80000000, 0xffffffff, 1ull << 63, ~0ull >> 1, 10,
					 100,	     0x1000,	 0xdeadbeef};
	uint64_t r = next();
	if (r % 3 == 0)
		return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
	return next() >> (r % 64);
}

#define ROUNDS 100000

static void test_against_libc(void **state)
{
	static const char *lengths[] = {"hh", "h", "", "l", "ll", "z", "t", "j"};
	static const char *strings[] = {"", "a", "hello", "with space", "0123456789abcdef"};
	char fmt[64], want[256], got[256];
	unsigned mismatches = 0;
	for (int round = 0; round < ROUNDS; round++) {
		const char conv = "diouxXcsp"[next() % 9];
		int integer = conv != 'c' && conv != 's' && conv != 'p',
		    is_signed = conv == 'd' || conv == 'i';
		size_t n = 0;
		fmt[n++] = '%';
		/* flags, only where C defines them for the conversion */
		uint64_t fl = next();
		if (fl & 1)
			fmt[n++] = '-';
		if ((fl & 2) && integer)
			fmt[n++] = '0';
		if ((fl & 4) && is_signed)
			fmt[n++] = '+';
		if ((fl & 8) && is_signed)
			fmt[n++] = ' ';
		if ((fl & 16) && (conv == 'o' || conv == 'x' || conv == 'X'))
			fmt[n++] = '#';
		int stars = 0, w = 0, p = 0;
		switch (next() % 3) {
		case 1: n += (size_t)snprintf(fmt + n, 8, "%d", (int)(next() % 30)); break;
		case 2: fmt[n++] = '*', stars++, w = (int)(next() % 50) - 25; break;
		}
		if (conv != 'c' && conv != 'p') {
			switch (next() % 3) {
			case 1: n += (size_t)snprintf(fmt + n, 8, ".%d", (int)(next() % 25)); break;
			case 2:
				fmt[n++] = '.', fmt[n++] = '*', stars++,
				p = (int)(next() % 40) - 10;
				break;
			}
		}
		const char *len = integer ? lengths[next() % 8] : "";
		n += (size_t)snprintf(fmt + n, 4, "%s", len);
		fmt[n++] = conv, fmt[n] = 0;
		uint64_t v = value();
		const char *str = strings[next() % 5];
		int a = stars > 0 ? w : 0, b = stars > 1 ? p : 0;
		size_t rw = 0, rg = 0;
#define BOTH(...)                                                            \
	do {                                                                 \
		rw = (size_t)snprintf(want, sizeof(want), fmt, __VA_ARGS__); \
		rg = format_buf(got, sizeof(got), fmt, __VA_ARGS__);         \
	} while (0)
#define BY_STARS(arg)                         \
	do {                                  \
		if (stars == 0)               \
			BOTH(arg);            \
		else if (stars == 1)          \
			BOTH(a ? a : b, arg); \
		else                          \
			BOTH(a, b, arg);      \
	} while (0)
		if (stars == 1 && !a)
			a = b;
		if (conv == 's')
			BY_STARS(str);
		else if (conv == 'p')
			BY_STARS((void *)(uintptr_t)(v & 1 ? v : 0));
		else if (conv == 'c')
			BY_STARS((int)(' ' + v % 95));
		else if (!strcmp(len, "") || !strcmp(len, "h") || !strcmp(len, "hh"))
			BY_STARS((int)v);
		else
			BY_STARS((long long)v);
		if (rw != rg || strcmp(want, got)) {
			if (mismatches++ < 10)
				print_error("'%s' (%llx): libc '%s', ours '%s'\n", fmt,
					    (unsigned long long)v, want, got);
		}
	}
	assert_int_equal(mismatches, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),	      cmocka_unit_test(test_width_and_flags),
	    cmocka_unit_test(test_strings_and_chars), cmocka_unit_test(test_odd_formats),
	    cmocka_unit_test(test_truncation),	      cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_against_libc),
	};
	return cmocka_run_group_tests_name("kernel_format", tests, NULL, NULL);
}
