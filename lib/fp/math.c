/*
 * <math.h> of the component runtime, the functions with an exact result:
 * computed on the bits or with the SSE2 instruction that gives the
 * correctly rounded one, so that they equal the C library's bit for bit
 * (host test lib_libm). Compiled with the FPU, into libcomponent_fp.a,
 * which only components link.
 */
#include <stdint.h>
#include "bits.h"

#define bits fp_bits
#define from fp_from

#define SIGN (1ull << 63)
#define EXP(u) ((int)(((u) >> 52) & 0x7ff))

double fabs(double x)
{
	return from(bits(x) & ~SIGN);
}

double copysign(double x, double y)
{
	return from((bits(x) & ~SIGN) | (bits(y) & SIGN));
}

double trunc(double x)
{
	uint64_t u = bits(x);
	int e = EXP(u) - 1023;
	if (e >= 52)
		return x; /* integral already, or inf or nan */
	if (e < 0)
		return from(u & SIGN); /* |x| < 1: a zero of x's sign */
	return from(u & ~((1ull << (52 - e)) - 1));
}

double floor(double x)
{
	double t = trunc(x);
	return x < 0 && t != x ? t - 1 : t;
}

double ceil(double x)
{
	double t = trunc(x);
	return x > 0 && t != x ? t + 1 : t;
}

double round(double x)
{
	double t = trunc(x);
	return fabs(x - t) >= 0.5 ? t + copysign(1.0, x) : t;
}

double sqrt(double x)
{
	double r;
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x)); /* correctly rounded; nan below 0 */
	return r;
}

/* signaling: a nan without the quiet bit; fmin and fmax answer nan for it, as C23 says */
static int signaling(double x)
{
	uint64_t u = bits(x);
	return EXP(u) == 0x7ff && (u << 12) && !(u & (1ull << 51));
}

/* pick: fmin (larger 0) or fmax (1): a nan only for a signaling one; of two zeros the second */
static double pick(double x, double y, int larger)
{
	if (signaling(x) || signaling(y))
		return x + y;
	if (x != x)
		return y;
	if (y != y)
		return x;
	return (larger ? x > y : x < y) ? x : y; /* as minsd, maxsd and the C library give */
}

double fmin(double x, double y)
{
	return pick(x, y, 0);
}

double fmax(double x, double y)
{
	return pick(x, y, 1);
}

/* ldexp: x times 2^n, in steps that stay exact until the last, correctly rounded one. */
double ldexp(double x, int n)
{
	double y = x;
	if (n > 1023) {
		y *= 0x1p1023, n -= 1023;
		if (n > 1023) {
			y *= 0x1p1023, n -= 1023;
			if (n > 1023)
				n = 1023;
		}
	} else if (n < -1022) {
		y *= 0x1p-1022 * 0x1p53, n += 1022 - 53; /* keep 53 bits through the first step */
		if (n < -1022) {
			y *= 0x1p-1022 * 0x1p53, n += 1022 - 53;
			if (n < -1022)
				n = -1022;
		}
	}
	return y * from((uint64_t)(0x3ff + n) << 52);
}

double frexp(double x, int *e)
{
	uint64_t u = bits(x);
	int ex = EXP(u);
	if (ex == 0) { /* zero or subnormal */
		if (x == 0) {
			*e = 0;
			return x;
		}
		x = frexp(x * 0x1p64, e);
		*e -= 64;
		return x;
	}
	if (ex == 0x7ff) { /* inf, nan */
		*e = 0;
		return x;
	}
	*e = ex - 1022;
	return from((u & ~(0x7ffull << 52)) | (0x3feull << 52));
}

double modf(double x, double *ip)
{
	double t = trunc(x);
	*ip = t;
	if (EXP(bits(x)) == 0x7ff && !(bits(x) << 12)) /* inf: no fraction */
		return copysign(0.0, x);
	return x != x ? x : copysign(x - t, x);
}

/* mantissa: the mantissa of u with its leading bit; a subnormal's normalized, *e lowered. */
static uint64_t mantissa(uint64_t u, int *e)
{
	if (*e)
		return (u & ((1ull << 52) - 1)) | (1ull << 52);
	for (uint64_t i = u << 12; !(i >> 63); i <<= 1)
		(*e)--;
	return u << (1 - *e);
}

/* fmod: x - n*y for the integer n that truncates x/y, exactly, on the mantissas. */
double fmod(double x, double y)
{
	uint64_t ux = bits(x), uy = bits(y);
	int ex = EXP(ux), ey = EXP(uy);
	uint64_t sx = ux & SIGN;
	if ((uy << 1) == 0 || ex == 0x7ff || y != y)
		return (x * y) / (x * y); /* nan */
	if ((ux << 1) <= (uy << 1))
		return (ux << 1) == (uy << 1) ? x * 0.0 : x;
	uint64_t mx = mantissa(ux, &ex), my = mantissa(uy, &ey);
	for (; ex > ey; ex--) {
		if (mx >= my) {
			mx -= my;
			if (mx == 0)
				return from(sx);
		}
		mx <<= 1;
	}
	if (mx >= my) {
		mx -= my;
		if (mx == 0)
			return from(sx);
	}
	for (; !(mx >> 52); mx <<= 1)
		ex--;
	if (ex > 0)
		return from(sx | (mx - (1ull << 52)) | ((uint64_t)ex << 52));
	return from(sx | (mx >> (1 - ex)));
}
