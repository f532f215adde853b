/*
 * strtod of the component runtime, correctly rounded (to nearest, ties to
 * even) like the C library's: the decimal number is taken exactly, as a
 * big integer times a power of ten, and divided out to 55 and more bits
 * before one rounding. Decimal and hexadecimal forms, inf, infinity, nan.
 */
#include <stddef.h>
#include <stdint.h>
#include "bits.h"

extern int errno;
#define ERANGE 34
#define LIMBS 200 /* 32-bit limbs: 10^1200 and then some */
#define DIGITS_MAX 800

typedef struct {
	uint32_t l[LIMBS];
	int n;
} big_t;

static void mul_add(big_t *b, uint32_t f, uint32_t add)
{
	uint64_t carry = add;
	for (int i = 0; i < b->n; i++) {
		uint64_t v = (uint64_t)b->l[i] * f + carry;
		b->l[i] = (uint32_t)v, carry = v >> 32;
	}
	if (carry && b->n < LIMBS)
		b->l[b->n++] = (uint32_t)carry;
}

static int bitlen(const big_t *b)
{
	if (!b->n)
		return 0;
	return 32 * (b->n - 1) + (32 - __builtin_clz(b->l[b->n - 1]));
}

static int bit(const big_t *b, int i)
{
	return i / 32 < b->n ? (b->l[i / 32] >> (i % 32)) & 1 : 0;
}

static void shl1_or(big_t *b, int low)
{
	uint32_t carry = (uint32_t)low;
	for (int i = 0; i < b->n; i++) {
		uint32_t v = b->l[i];
		b->l[i] = v << 1 | carry, carry = v >> 31;
	}
	if (carry && b->n < LIMBS)
		b->l[b->n++] = carry;
	if (!b->n && low)
		b->l[b->n++] = 1;
}

static int cmp(const big_t *a, const big_t *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->l[i] != b->l[i])
			return a->l[i] < b->l[i] ? -1 : 1;
	return 0;
}

static void sub(big_t *a, const big_t *b)
{
	int64_t borrow = 0;
	for (int i = 0; i < a->n; i++) {
		int64_t v = (int64_t)a->l[i] - (i < b->n ? b->l[i] : 0) - borrow;
		borrow = v < 0, a->l[i] = (uint32_t)(v + (borrow << 32));
	}
	while (a->n && !a->l[a->n - 1])
		a->n--;
}

#define make fp_from

/*
 * assemble: the double nearest to (M + sticky) * 2^s, M given by its
 * bits (bit(i)); errno ERANGE on overflow and on an underflow to zero.
 */
static double assemble(const big_t *m, int s, int sticky, int neg)
{
	uint64_t sign = (uint64_t)neg << 63;
	int len = bitlen(m);
	if (!len)
		return make(sign);
	int drop = len - 53;
	if (drop < -1074 - s)
		drop = -1074 - s; /* the subnormal range keeps fewer bits */
	int t = s + drop;
	uint64_t r = 0;
	if (drop <= 0) {
		for (int i = len - 1; i >= 0; i--)
			r = r << 1 | (uint64_t)bit(m, i);
		r <<= -drop;
	} else {
		for (int i = len - 1; i >= drop; i--)
			r = r << 1 | (uint64_t)bit(m, i);
		int half = bit(m, drop - 1), rest = sticky;
		for (int i = drop - 2; i >= 0 && !rest; i--)
			rest = bit(m, i);
		if (half && (rest || (r & 1)))
			r++;
		if (r >> 53)
			r >>= 1, t++;
	}
	if (!r) {
		errno = ERANGE;
		return make(sign);
	}
	if (r >> 52) {
		int e = t + 52 + 1023;
		if (e >= 2047) {
			errno = ERANGE;
			return make(sign | (0x7ffull << 52));
		}
		return make(sign | (uint64_t)e << 52 | (r & ((1ull << 52) - 1)));
	}
	return make(sign | r); /* subnormal: t is -1074 */
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int word(const char *p, const char *w)
{
	int i = 0;
	while (w[i] && lower(p[i]) == w[i])
		i++;
	return w[i] ? 0 : i;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* exponent: an optional exponent part at *p (after e or p), saturated; advances *p. */
static long exponent(const char **p, char mark)
{
	const char *q = *p;
	if (lower(*q) != mark)
		return 0;
	q++;
	int neg = *q == '-';
	if (*q == '+' || *q == '-')
		q++;
	if (*q < '0' || *q > '9')
		return 0; /* no exponent after all: it ends before the mark */
	long e = 0;
	for (; *q >= '0' && *q <= '9'; q++)
		if (e < 100000)
			e = e * 10 + (*q - '0');
	*p = q;
	return neg ? -e : e;
}

static double hexfloat(const char *p, char **end, int neg)
{
	big_t m = {{0}, 0};
	int any = 0, sticky = 0;
	long s = 0;
	for (; hexval(*p) >= 0; p++, any = 1) {
		if (bitlen(&m) < 64 * 8)
			mul_add(&m, 16, (uint32_t)hexval(*p));
		else
			sticky |= hexval(*p) != 0, s += 4;
	}
	if (*p == '.') {
		for (p++; hexval(*p) >= 0; p++, any = 1) {
			if (bitlen(&m) < 64 * 8)
				mul_add(&m, 16, (uint32_t)hexval(*p)), s -= 4;
			else
				sticky |= hexval(*p) != 0;
		}
	}
	if (!any)
		return 0.0 / 0.0; /* the caller checks */
	s += exponent(&p, 'p');
	if (end)
		*end = (char *)p;
	if (s > 100000)
		s = 100000;
	if (s < -100000)
		s = -100000;
	return assemble(&m, (int)s, sticky, neg);
}

double strtod(const char *str, char **end)
{
	const char *p = str;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	int neg = *p == '-';
	if (*p == '+' || *p == '-')
		p++;
	int n;
	if ((n = word(p, "infinity")) || (n = word(p, "inf"))) {
		if (end)
			*end = (char *)p + n;
		return make((uint64_t)neg << 63 | 0x7ffull << 52);
	}
	if ((n = word(p, "nan"))) {
		const char *q = p + n;
		if (*q == '(') {
			const char *r = q + 1;
			while ((*r >= '0' && *r <= '9') || (lower(*r) >= 'a' && lower(*r) <= 'z') ||
			       *r == '_')
				r++;
			if (*r == ')')
				q = r + 1;
		}
		if (end)
			*end = (char *)q;
		return make((uint64_t)neg << 63 | 0x7ff8ull << 48);
	}
	if (p[0] == '0' && lower(p[1]) == 'x' &&
	    (hexval(p[2]) >= 0 || (p[2] == '.' && hexval(p[3]) >= 0)))
		return hexfloat(p + 2, end, neg);
	/* decimal: the significant digits (up to DIGITS_MAX, then only whether more are nonzero) */
	big_t d = {{0}, 0};
	int digits = 0, any = 0, sticky = 0;
	long e10 = 0;
	for (; *p >= '0' && *p <= '9'; p++, any = 1) {
		if (digits < DIGITS_MAX) {
			if (digits || *p != '0')
				mul_add(&d, 10, (uint32_t)(*p - '0')), digits++;
		} else {
			sticky |= *p != '0', e10++;
		}
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
			if (digits < DIGITS_MAX) {
				if (digits || *p != '0')
					mul_add(&d, 10, (uint32_t)(*p - '0')), digits++;
				e10--;
			} else {
				sticky |= *p != '0';
			}
		}
	if (!any) {
		if (end)
			*end = (char *)str;
		return 0;
	}
	e10 += exponent(&p, 'e');
	if (end)
		*end = (char *)p;
	if (!d.n)
		return make((uint64_t)neg << 63);
	if (sticky) /* beyond the digits kept: a last 1, below every rounding boundary */
		mul_add(&d, 10, 1), e10--, digits++;
	if (digits + e10 > 310) {
		errno = ERANGE;
		return make((uint64_t)neg << 63 | 0x7ffull << 52);
	}
	if (digits + e10 < -330) {
		errno = ERANGE;
		return make((uint64_t)neg << 63);
	}
	if (e10 >= 0) {
		for (long i = 0; i < e10; i++)
			mul_add(&d, 10, 0);
		return assemble(&d, 0, 0, neg);
	}
	/* d / 10^-e10: long division of d * 2^k, with 56 and more quotient bits */
	big_t q10 = {{1}, 1};
	for (long i = 0; i < -e10; i++)
		mul_add(&q10, 10, 0);
	int k = 56 + bitlen(&q10) - bitlen(&d);
	if (k < 0)
		k = 0;
	big_t quot = {{0}, 0}, rem = {{0}, 0};
	int total = bitlen(&d) + k;
	for (int i = total - 1; i >= 0; i--) {
		shl1_or(&rem, i >= k ? bit(&d, i - k) : 0);
		int one = cmp(&rem, &q10) >= 0;
		if (one)
			sub(&rem, &q10);
		shl1_or(&quot, one);
	}
	return assemble(&quot, -k, rem.n != 0, neg);
}

double atof(const char *s)
{
	return strtod(s, NULL);
}
