/*
 * format.c's floating-point conversions (compiled with FORMAT_FLOAT, as
 * for components) against the host's snprintf: many random formats and
 * doubles of every kind, byte for byte.
 */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <format.h>

#define RANDOM_SEED 0x853c49e6748fea9bull
#include "../common/random_bits.h"

static double value(void)
{
	static const double special[] = {0.0,	     -0.0,	  0.5,	  1.5,	     2.5,
					 0.125,	     1e300,	  1e-300, 0x1p-1074, 1.0 / 0.0,
					 -1.0 / 0.0, 0.0 / 0.0,	  9.5,	  99.5,	     0.05,
					 0.15,	     123456789.0, 1e22,	  1e23,	     5e-324};
	uint64_t r = next();
	switch (r % 4) {
	case 0: return from(next());
	case 1: return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
	case 2: return (double)(int64_t)(next() % 200001 - 100000) / (double)(1 << (r >> 8) % 12);
	default:
		return from((next() & 0x800fffffffffffffull) |
			    ((0x3ff + (r >> 8) % 80 - 40) << 52));
	}
}

static void test_against_libc(void **state)
{
	static char want[2048], got[2048];
	char fmt[32];
	unsigned mismatches = 0;
	for (int round = 0; round < 200000; round++) {
		size_t n = 0;
		fmt[n++] = '%';
		uint64_t fl = next();
		if (fl & 1)
			fmt[n++] = '-';
		if (fl & 2)
			fmt[n++] = '0';
		if (fl & 4)
			fmt[n++] = '+';
		if (fl & 8)
			fmt[n++] = ' ';
		if (fl & 16)
			fmt[n++] = '#';
		if (next() % 2)
			n += (size_t)snprintf(fmt + n, 8, "%d", (int)(next() % 30));
		if (next() % 3)
			n += (size_t)snprintf(fmt + n, 8, ".%d",
					      (int)(next() % (next() % 4 ? 20 : 400)));
		fmt[n++] = "fFeEgGaA"[next() % 8];
		fmt[n] = 0;
		double v = value();
		int rw = snprintf(want, sizeof(want), fmt, v);
		char conv = fmt[n - 1];
		if ((conv == 'g' || conv == 'G') && (fl & 16) && v == v && v - v == 0) {
			/*
			 * %#g: glibc keeps one zero too few when rounding carries into
			 * a new digit (%#.2g of 99.5 is "1.e+02", of 995 "1.0e+03"):
			 * the oracle is C's own rule, written with glibc's %e and %f
			 */
			const char *dot = strchr(fmt, '.');
			int p = dot ? atoi(dot + 1) : 6, x;
			if (p == 0)
				p = 1;
			char e[512], alt[40];
			snprintf(e, sizeof(e), "%.*e", p - 1, v);
			x = atoi(strchr(e, 'e') + 1);
			size_t k = (size_t)(dot ? dot - fmt : (long)n - 1);
			memcpy(alt, fmt, k);
			if (p > x && x >= -4)
				k += (size_t)snprintf(alt + k, 12, ".%df", p - 1 - x);
			else
				k += (size_t)snprintf(alt + k, 12, ".%d%c", p - 1,
						      conv == 'G' ? 'E' : 'e');
			alt[k] = 0;
			rw = snprintf(want, sizeof(want), alt, v);
		}
		size_t rg = format_buf(got, sizeof(got), fmt, v);
		if ((size_t)rw != rg || strcmp(want, got)) {
			if (mismatches++ < 12)
				print_error("'%s' of %a: libc '%s', ours '%s'\n", fmt, v, want,
					    got);
		}
	}
	assert_int_equal(mismatches, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_libc)};
	return cmocka_run_group_tests_name("kernel_format_float", tests, NULL, NULL);
}
