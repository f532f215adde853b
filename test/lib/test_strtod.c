/*
 * The component runtime's strtod (lib/fp/strtod.c, here rt_strtod)
 * against the host's: random decimal and hexadecimal numerals, long ones
 * and ones at the edges of the range, bit for bit, with the end pointer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <math.h>
#include <cmocka.h>

#define RANDOM_SEED 0x6a09e667f3bcc909ull
#include "../common/random_bits.h"

double rt_strtod(const char *s, char **end);
int rt_errno;

static void numeral(char *out, size_t size)
{
	size_t n = 0;
	uint64_t r = next();
	if (r % 7 == 0) { /* a double printed exactly or nearly: the hard cases */
		double v = from(next());
		snprintf(out, size, r % 2 ? "%.17g" : "%.40e", v);
		if (r % 3 == 0) { /* a midpoint: one more digit 5 */
			char *e = strchr(out, 'e');
			if (e && e - out > 3) {
				char tail[16];
				snprintf(tail, sizeof(tail), "%s", e);
				snprintf(e, size - (size_t)(e - out), "5%s", tail);
			}
		}
		return;
	}
	if (r % 11 == 0) {
		snprintf(out, size, "%s0x%llx.%llxp%d", r & 64 ? "-" : "",
			 (unsigned long long)next(), (unsigned long long)(next() >> 40),
			 (int)(next() % 2300) - 1150);
		return;
	}
	static const char *specials[] = {"inf",
					 "-Infinity",
					 "nan",
					 "NaN(123)",
					 "1e400",
					 "-1e-400",
					 "2.4703282292062327e-324",
					 "2.4703282292062328e-324",
					 "1.7976931348623157e308",
					 "1.7976931348623159e308",
					 ".5",
					 "5.",
					 "  +12",
					 "e5",
					 "0x",
					 "-.e1",
					 "0.000",
					 "1e",
					 "1e+",
					 "0x1p-1075"};
	if (r % 13 == 0) {
		snprintf(out, size, "%s",
			 specials[(r >> 8) % (sizeof(specials) / sizeof(specials[0]))]);
		return;
	}
	if (r & 1)
		out[n++] = '-';
	int digits = (int)(next() % (next() % 8 ? 20 : 900));
	for (int i = 0; i < digits && n < size - 20; i++) {
		if (i == (int)(r % 25))
			out[n++] = '.';
		out[n++] = (char)('0' + next() % 10);
	}
	if (r & 2)
		n += (size_t)snprintf(out + n, 12, "e%d", (int)(next() % 700) - 350);
	out[n] = 0;
}

static void test_against_libc(void **state)
{
	static char s[1100];
	unsigned bad = 0;
	for (int round = 0; round < 300000; round++) {
		numeral(s, sizeof(s));
		char *e1, *e2;
		errno = 0, rt_errno = 0;
		double a = rt_strtod(s, &e1), b = strtod(s, &e2);
		int same = isnan(a) ? isnan(b) : memcmp(&a, &b, sizeof(a)) == 0;
		int range_ok =
		    (rt_errno == ERANGE) == (errno == ERANGE) || (b != 0 && fabs(b) < 0x1p-1022);
		if (!same || e1 != e2 || !range_ok) {
			if (bad++ < 10)
				print_error("'%.60s': ours %a (+%ld, %d), libc %a (+%ld, %d)\n", s,
					    a, (long)(e1 - s), rt_errno, b, (long)(e2 - s), errno);
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_libc)};
	return cmocka_run_group_tests_name("lib_strtod", tests, NULL, NULL);
}
