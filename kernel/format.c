/*
 * printf-style formatting: no allocation, no floating point. The integer,
 * character, string and pointer conversions behave as C's (tested against
 * the host's snprintf, test/kernel/test_format.c).
 */
#include <format.h>
#include <stdint.h>

typedef struct {
	format_sink_t sink;
	void *ctx;
	size_t count;
} out_t;

typedef struct {
	int left, zero, plus, space, alt, width, prec;
} spec_t;

static void out_char(out_t *o, char c)
{
	o->sink(c, o->ctx);
	o->count++;
}

static void out_pad(out_t *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/*
 * out_field: prefix (sign, 0x), then zeros up to zeros digits, then body,
 * in a field of the spec's width: padded with spaces on the left or right,
 * or, with the '0' flag, with zeros after the prefix.
 */
static void out_field(out_t *o, const spec_t *s, const char *prefix, int zeros, const char *body,
		      int len)
{
	int plen = 0;
	while (prefix[plen])
		plen++;
	if (zeros < len)
		zeros = len;
	int pad = s->width > zeros + plen ? s->width - zeros - plen : 0;
	if (!s->left && !s->zero)
		out_pad(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!s->left && s->zero)
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros - len);
	for (int i = 0; i < len; i++)
		out_char(o, body[i]);
	if (s->left)
		out_pad(o, ' ', pad);
}

/* out_number: an integer conversion of v (its sign apart) in base, as C's printf does. */
static void out_number(out_t *o, spec_t *s, uint64_t v, int neg, unsigned base, int upper,
		       int is_signed)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0;
	if (v || s->prec != 0) /* precision 0 prints no digit for 0 */
		do {
			buf[sizeof(buf) - 1 - len++] = digits[v % base];
			v /= base;
		} while (v);
	int zeros = s->prec > 0 ? s->prec : 0;
	if (s->prec >= 0)
		s->zero = 0; /* a precision overrides the '0' flag */
	char prefix[3] = "";
	if (is_signed)
		prefix[0] = neg ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	else if (s->alt && base == 8 && zeros <= len && (len == 0 || buf[sizeof(buf) - len] != '0'))
		zeros = len + 1; /* '#' with 'o': the first digit is a 0 */
	else if (s->alt && base == 16 && len && buf[sizeof(buf) - len] != '0')
		prefix[0] = '0',
		prefix[1] = upper ? 'X' : 'x'; /* '#' with 'x': 0x before a nonzero */
	out_field(o, s, prefix, zeros, buf + sizeof(buf) - len, len);
}

static void out_string(out_t *o, spec_t *s, const char *str)
{
	if (!str)
		str = s->prec < 0 || s->prec >= 6 ? "(null)" : "";
	int len = 0;
	while (str[len] && (s->prec < 0 || len < s->prec))
		len++;
	s->zero = 0;
	out_field(o, s, "", 0, str, len);
}

#ifdef FORMAT_FLOAT
#include "format_float.h"
#endif

static const char *parse_spec(const char *f, spec_t *s, va_list *ap)
{
	s->left = s->zero = s->plus = s->space = s->alt = s->width = 0;
	s->prec = -1;
	for (;; f++) {
		if (*f == '-')
			s->left = 1;
		else if (*f == '0')
			s->zero = 1;
		else if (*f == '+')
			s->plus = 1;
		else if (*f == ' ')
			s->space = 1;
		else if (*f == '#')
			s->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) /* a negative width is the '-' flag and its magnitude */
			s->left = 1, s->width = s->width == INT32_MIN ? INT32_MAX : -s->width;
		f++;
	} else {
		while (*f >= '0' && *f <= '9') /* saturated: no overflow however many digits */
			s->width = s->width > (INT32_MAX - 9) / 10 ? INT32_MAX
								   : s->width * 10 + (*f - '0'),
			f++;
	}
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			if (s->prec < 0)
				s->prec = -1; /* as if there were none */
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				s->prec = s->prec > (INT32_MAX - 9) / 10
					      ? INT32_MAX
					      : s->prec * 10 + (*f - '0'),
				f++;
		}
	}
	if (s->left)
		s->zero = 0;
	return f;
}

/* Length modifiers of the integer conversions. */
enum { LEN_HH, LEN_H, LEN_INT, LEN_LONG, LEN_LL, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static const char *parse_length(const char *f, int *len)
{
	*len = LEN_INT;
	switch (*f) {
	case 'h': return f[1] == 'h' ? (*len = LEN_HH, f + 2) : (*len = LEN_H, f + 1);
	case 'l': return f[1] == 'l' ? (*len = LEN_LL, f + 2) : (*len = LEN_LONG, f + 1);
	case 'z': return *len = LEN_SIZE, f + 1;
	case 't': return *len = LEN_PTRDIFF, f + 1;
	case 'j': return *len = LEN_MAX, f + 1;
	case 'L': return *len = LEN_LL, f + 1; /* long double is not formatted; as ll */
	default: return f;
	}
}

static uint64_t arg_unsigned(int len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_INT: return va_arg(*ap, unsigned);
	default: return va_arg(*ap, unsigned long long); /* every other is 64 bits here */
	}
}

static int64_t arg_signed(int len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_INT: return va_arg(*ap, int);
	default: return va_arg(*ap, long long);
	}
}

size_t format_v(format_sink_t sink, void *ctx, const char *fmt, va_list args)
{
	out_t o = {sink, ctx, 0};
	va_list ap;
	va_copy(ap, args);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		const char *start = f;
		spec_t s;
		int len;
		f = parse_length(parse_spec(f + 1, &s, &ap), &len);
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(len, &ap);
			uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
			out_number(&o, &s, m, v < 0, 10, 0, 1);
			break;
		}
		case 'u': out_number(&o, &s, arg_unsigned(len, &ap), 0, 10, 0, 0); break;
		case 'o': out_number(&o, &s, arg_unsigned(len, &ap), 0, 8, 0, 0); break;
		case 'x':
		case 'X': out_number(&o, &s, arg_unsigned(len, &ap), 0, 16, *f == 'X', 0); break;
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			if (!v) { /* as the C library prints it */
				s.zero = 0, s.prec = -1;
				out_string(&o, &s, "(nil)");
				break;
			}
			s.alt = 1, s.prec = -1;
			out_number(&o, &s, v, 0, 16, 0, 0);
			break;
		}
#ifdef FORMAT_FLOAT
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
		case 'a':
		case 'A':
			out_float(&o, &s,
				  f[-1] == 'L' ? (double)va_arg(ap, long double)
					       : va_arg(ap, double),
				  *f);
			break;
#endif
		case 's': out_string(&o, &s, va_arg(ap, const char *)); break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			s.zero = 0;
			out_field(&o, &s, "", 0, &c, 1);
			break;
		}
		case '%': out_char(&o, '%'); break;
		case 0:
			f--; /* a lone '%' at the end */
			break;
		default: /* not a conversion of this formatter (floating point, %n): as written */
			for (const char *c = start; c <= f; c++)
				out_char(&o, *c);
		}
	}
	va_end(ap);
	return o.count;
}

typedef struct {
	char *buf;
	size_t size, pos;
} buf_ctx_t;

static void buf_sink(char c, void *ctx)
{
	buf_ctx_t *b = ctx;
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list args)
{
	buf_ctx_t b = {buf, size, 0};
	size_t n = format_v(buf_sink, &b, fmt, args);
	if (size)
		buf[b.pos < size ? b.pos : size - 1] = 0;
	return n;
}

size_t format_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = format_vbuf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
