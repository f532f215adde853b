/*
 * The component runtime's exact <math.h> functions (lib/fp/math.c, here
 * with an rt_ prefix) against the host C library's, bit for bit, over
 * random doubles of every kind (normal, subnormal, zero, inf, nan).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

double rt_fabs(double), rt_copysign(double, double), rt_trunc(double), rt_floor(double),
    rt_ceil(double), rt_round(double), rt_sqrt(double), rt_fmin(double, double),
    rt_fmax(double, double), rt_fmod(double, double), rt_ldexp(double, int),
    rt_frexp(double, int *), rt_modf(double, double *);

#define RANDOM_SEED 0xd1b54a32d192ed03ull
#include "../common/random_bits.h"

/* value: random bits, or a number near an integer, a small one, a special */
static double value(void)
{
	static const double special[] = {
	    0.0,     -0.0,	0.5,	-0.5,	    1.5,    2.5,       -2.5,	   1e300,
	    -1e-310, 0x1p-1074, 0x1p52, 0x1p53 + 1, 0x1p63, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0};
	uint64_t r = next();
	switch (r % 4) {
	case 0: return from(next());
	case 1: return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
	case 2: return (double)(int64_t)(next() % 2000 - 1000) / 4.0;
	default:
		return from((next() & 0x800fffffffffffffull) |
			    ((0x3ff + (r >> 8) % 120 - 60) << 52));
	}
}

/* same: equal bits, or both nan */
static int same(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return memcmp(&a, &b, sizeof(a)) == 0;
}

#define CHECK1(f, x)                                                               \
	do {                                                                       \
		if (!same(rt_##f(x), f(x)))                                        \
			fail_msg(#f "(%a): ours %a, libc %a", x, rt_##f(x), f(x)); \
	} while (0)
#define CHECK2(f, x, y)                                                                         \
	do {                                                                                    \
		if (!same(rt_##f(x, y), f(x, y)))                                               \
			fail_msg(#f "(%a, %a): ours %a, libc %a", x, y, rt_##f(x, y), f(x, y)); \
	} while (0)

static void test_exact(void **state)
{
	for (int i = 0; i < 300000; i++) {
		double x = value(), y = value();
		CHECK1(fabs, x);
		CHECK1(trunc, x);
		CHECK1(floor, x);
		CHECK1(ceil, x);
		CHECK1(round, x);
		CHECK1(sqrt, x);
		CHECK2(copysign, x, y);
		CHECK2(fmin, x, y);
		CHECK2(fmax, x, y);
		CHECK2(fmod, x, y);
		int n = (int)(next() % 4400) - 2200, e1, e2;
		if (!same(rt_ldexp(x, n), ldexp(x, n)))
			fail_msg("ldexp(%a, %d): ours %a, libc %a", x, n, rt_ldexp(x, n),
				 ldexp(x, n));
		double m1 = rt_frexp(x, &e1), m2 = frexp(x, &e2);
		if (!same(m1, m2) || (!isnan(x) && !isinf(x) && e1 != e2))
			fail_msg("frexp(%a): ours %a %d, libc %a %d", x, m1, e1, m2, e2);
		double i1, i2;
		m1 = rt_modf(x, &i1), m2 = modf(x, &i2);
		if (!same(m1, m2) || !same(i1, i2))
			fail_msg("modf(%a): ours %a %a, libc %a %a", x, m1, i1, m2, i2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_exact)};
	return cmocka_run_group_tests_name("lib_libm", tests, NULL, NULL);
}
