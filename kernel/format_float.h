/*
 * Floating-point conversions for format.c, compiled only where there is
 * an FPU (FORMAT_FLOAT: the components' formatter, lib/fp). Exact: the
 * double's decimal expansion is computed in full with big integers and
 * rounded once, to nearest with ties to even, as the C library does.
 */
#include <stdint.h>

#define BIG_LIMBS 90 /* 32-bit limbs: m * 5^1074 has under 2,560 bits */

typedef struct {
	uint32_t l[BIG_LIMBS];
	int n; /* limbs in use */
} big_t;

static void big_mul(big_t *b, uint32_t f)
{
	uint64_t carry = 0;
	for (int i = 0; i < b->n; i++) {
		uint64_t v = (uint64_t)b->l[i] * f + carry;
		b->l[i] = (uint32_t)v, carry = v >> 32;
	}
	if (carry)
		b->l[b->n++] = (uint32_t)carry;
}

static void big_shl(big_t *b, int bits)
{
	int words = bits / 32, r = bits % 32;
	for (int i = b->n - 1; i >= 0; i--)
		b->l[i + words] = b->l[i];
	for (int i = 0; i < words; i++)
		b->l[i] = 0;
	b->n += words;
	if (r) {
		uint32_t carry = 0;
		for (int i = words; i < b->n; i++) {
			uint32_t v = b->l[i];
			b->l[i] = v << r | carry, carry = v >> (32 - r);
		}
		if (carry)
			b->l[b->n++] = carry;
	}
}

/* big_div: b /= d, the remainder returned */
static uint32_t big_div(big_t *b, uint32_t d)
{
	uint64_t rem = 0;
	for (int i = b->n - 1; i >= 0; i--) {
		uint64_t v = rem << 32 | b->l[i];
		b->l[i] = (uint32_t)(v / d), rem = v % d;
	}
	while (b->n && !b->l[b->n - 1])
		b->n--;
	return (uint32_t)rem;
}

/*
 * decimal: the digits of |v| (finite) into out, most significant first,
 * without leading zeros ("0" for zero); *frac: how many of them are after
 * the decimal point. Returns the number of digits (at most 1100).
 */
static int decimal(double v, char *out, int *frac)
{
	union {
		double d;
		uint64_t u;
	} x = {v};
	int ex = (int)((x.u >> 52) & 0x7ff);
	uint64_t m = x.u & ((1ull << 52) - 1);
	if (ex)
		m |= 1ull << 52;
	int e2 = (ex ? ex : 1) - 1075; /* v = m * 2^e2 */
	big_t b = {{(uint32_t)m, (uint32_t)(m >> 32)}, m >> 32 ? 2 : 1};
	if (!m)
		b.n = 0;
	*frac = 0;
	static const uint32_t pow5[14] = {1,	   5,	     25,	125,	   625,
					  3125,	   15625,    78125,	390625,	   1953125,
					  9765625, 48828125, 244140625, 1220703125};
	if (e2 >= 0) {
		big_shl(&b, e2);
	} else {
		for (int k = -e2; k > 0; k -= 13) /* times 5^-e2: the value is b / 10^-e2 */
			big_mul(&b, pow5[k >= 13 ? 13 : k]);
		*frac = -e2;
	}
	char rev[1200];
	int n = 0;
	while (b.n) {
		uint32_t chunk = big_div(&b, 1000000000u);
		for (int i = 0; i < 9; i++)
			rev[n++] = (char)('0' + chunk % 10), chunk /= 10;
	}
	while (n > 1 && rev[n - 1] == '0')
		n--;
	if (!n)
		rev[n++] = '0';
	for (int i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

/*
 * round_digits: keep the first keep of the n digits of d, rounded to
 * nearest with ties to even; the new count (keep + 1 after a carry into a
 * new leading digit, 0 when nothing is left).
 */
static int round_digits(char *d, int n, int keep)
{
	if (keep >= n)
		return n;
	if (keep < 0)
		return 0;
	int rest = 0;
	for (int i = keep + 1; i < n; i++)
		rest |= d[i] != '0';
	char r = d[keep];
	int up = r > '5' || (r == '5' && (rest || (keep > 0 && (d[keep - 1] - '0') % 2)));
	if (!up)
		return keep;
	for (int i = keep - 1; i >= 0; i--) {
		if (d[i] != '9') {
			d[i]++;
			return keep;
		}
		d[i] = '0';
	}
	for (int i = keep; i > 0; i--) /* 99..9 became 100..0 */
		d[i] = d[i - 1];
	d[0] = '1';
	return keep + 1;
}

/* fixed: |v| with prec decimals into out; its length. */
static int fixed(char *d, int n, int frac, int prec, int alt, char *out)
{
	int len;
	if (frac <= prec) {
		for (int i = 0; i < prec - frac; i++)
			d[n + i] = '0';
		len = n + prec - frac;
	} else {
		len = round_digits(d, n, n - (frac - prec));
	}
	int o = 0;
	if (len <= prec) {
		out[o++] = '0';
		if (prec || alt)
			out[o++] = '.';
		for (int i = 0; i < prec - len; i++)
			out[o++] = '0';
		for (int i = 0; i < len; i++)
			out[o++] = d[i];
		return o;
	}
	for (int i = 0; i < len - prec; i++)
		out[o++] = d[i];
	if (prec || alt)
		out[o++] = '.';
	for (int i = len - prec; i < len; i++)
		out[o++] = d[i];
	return o;
}

/* scientific: |v| with prec decimals after one digit, and the exponent, into out; its length. */
static int scientific(char *d, int n, int frac, int prec, int alt, int upper, char *out)
{
	int x = 0;
	if (!(n == 1 && d[0] == '0')) {
		x = n - 1 - frac;
		int len = round_digits(d, n, prec + 1);
		if (len == prec + 2)
			x++, len--;
		for (int i = len; i < prec + 1; i++)
			d[i] = '0';
	} else {
		for (int i = 1; i < prec + 1; i++)
			d[i] = '0';
	}
	int o = 0;
	out[o++] = d[0];
	if (prec || alt)
		out[o++] = '.';
	for (int i = 1; i <= prec; i++)
		out[o++] = d[i];
	out[o++] = upper ? 'E' : 'e';
	out[o++] = x < 0 ? '-' : '+';
	int ax = x < 0 ? -x : x;
	if (ax >= 100)
		out[o++] = (char)('0' + ax / 100);
	out[o++] = (char)('0' + ax / 10 % 10);
	out[o++] = (char)('0' + ax % 10);
	return o;
}

/* exponent10: the decimal exponent of |v| once rounded to sig significant digits. */
static int exponent10(const char *digits, int n, int frac, int sig)
{
	char d[1200];
	if (n == 1 && digits[0] == '0')
		return 0;
	for (int i = 0; i < n; i++)
		d[i] = digits[i];
	int x = n - 1 - frac;
	return round_digits(d, n, sig) == sig + 1 ? x + 1 : x;
}

/* hex: %a of |v| (finite) into out; its length. prec < 0: as many digits as needed. */
static int hex(double v, int prec, int alt, int upper, char *out)
{
	union {
		double d;
		uint64_t u;
	} x = {v};
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int ex = (int)((x.u >> 52) & 0x7ff);
	uint64_t m = x.u & ((1ull << 52) - 1);
	int lead = ex ? 1 : 0, e = ex ? ex - 1023 : (m ? -1022 : 0);
	if (prec >= 0 && prec < 13) { /* round the 52 bits to 4 * prec, ties to even */
		int drop = 52 - 4 * prec;
		uint64_t rest = m & ((1ull << drop) - 1), half = 1ull << (drop - 1);
		m >>= drop;
		uint64_t odd = prec ? m & 1 : (uint64_t)lead & 1; /* the last digit kept */
		if (rest > half || (rest == half && odd))
			m++;
		if (m >> (4 * prec)) /* a carry into the leading digit */
			lead++, m &= (1ull << (4 * prec)) - 1;
		m <<= drop;
	}
	int n = 13;
	if (prec < 0)
		while (n > 0 && !((m >> (4 * (13 - n))) & 0xf))
			n--;
	else
		n = prec;
	int o = 0;
	out[o++] = '0', out[o++] = upper ? 'X' : 'x';
	out[o++] = digits[lead];
	if (n || alt)
		out[o++] = '.';
	for (int i = 0; i < n; i++)
		out[o++] = i < 13 ? digits[(m >> (48 - 4 * i)) & 0xf] : '0';
	out[o++] = upper ? 'P' : 'p';
	out[o++] = e < 0 ? '-' : '+';
	int ae = e < 0 ? -e : e, p = o;
	do
		out[o++] = (char)('0' + ae % 10), ae /= 10;
	while (ae);
	for (int i = p, j = o - 1; i < j; i++, j--) {
		char t = out[i];
		out[i] = out[j], out[j] = t;
	}
	return o;
}

/* out_float: one floating-point conversion (f F e E g G a A) of v, as the C library prints it. */
static void out_float(out_t *o, spec_t *s, double v, char conv)
{
	char body[1500], d[1200]; /* on the stack: threads print at once */
	union {
		double d;
		uint64_t u;
	} x = {v};
	int neg = (int)(x.u >> 63), upper = conv >= 'A' && conv <= 'Z';
	char lc = (char)(upper ? conv - 'A' + 'a' : conv);
	char prefix[2] = {neg ? '-' : s->plus ? '+' : s->space ? ' ' : 0, 0};
	int ex = (int)((x.u >> 52) & 0x7ff), len;
	if (ex == 0x7ff) { /* inf, nan: no zeros */
		const char *t = (x.u << 12) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		s->zero = 0;
		out_field(o, s, prefix, 0, t, 3);
		return;
	}
	if (v < 0)
		v = -v;
	if (lc == 'a') {
		len = hex(v, s->prec, s->alt, upper, body);
		char pre[4] = {prefix[0], body[0], body[1], 0};
		if (!prefix[0])
			pre[0] = body[0], pre[1] = body[1], pre[2] = 0;
		out_field(o, s, pre, 0, body + 2, len - 2);
		return;
	}
	int prec = s->prec < 0 ? 6 : s->prec, frac;
	if (prec > 1000)
		prec = 1000; /* the buffers' bound */
	int n = decimal(v, d, &frac);
	if (lc == 'f') {
		len = fixed(d, n, frac, prec, s->alt, body);
	} else if (lc == 'e') {
		len = scientific(d, n, frac, prec, s->alt, upper, body);
	} else { /* g */
		int p = prec ? prec : 1, xp = exponent10(d, n, frac, p);
		if (p > xp && xp >= -4)
			len = fixed(d, n, frac, p - 1 - xp, s->alt, body);
		else
			len = scientific(d, n, frac, p - 1, s->alt, upper, body);
		if (!s->alt) { /* trailing zeros of the fraction go, and a point left alone */
			int e = 0;
			while (e < len && body[e] != 'e' && body[e] != 'E')
				e++;
			int dot = 0;
			while (dot < e && body[dot] != '.')
				dot++;
			if (dot < e) {
				int z = e;
				while (z > dot + 1 && body[z - 1] == '0')
					z--;
				if (z == dot + 1)
					z = dot;
				for (int i = 0; e + i < len; i++)
					body[z + i] = body[e + i];
				len -= e - z;
			}
		}
	}
	out_field(o, s, prefix, 0, body, len);
}
