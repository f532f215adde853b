/* printf-style formatting: no allocation, no floating point. */
#include <format.h>
#include <stdint.h>

typedef struct {
	format_sink_t sink;
	void *ctx;
	size_t count;
} out_t;

typedef struct {
	int left, zero, width, prec;
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

/* out_field: emit prefix and body in a field of spec width. */
static void out_field(out_t *o, const spec_t *s, const char *prefix, const char *body, int len)
{
	int plen = 0;
	while (prefix[plen])
		plen++;
	int pad = s->width - len - plen;
	if (!s->left && !s->zero)
		out_pad(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	if (!s->left && s->zero)
		out_pad(o, '0', pad);
	for (int i = 0; i < len; i++)
		out_char(o, body[i]);
	if (s->left)
		out_pad(o, ' ', pad);
}

static void out_number(out_t *o, spec_t *s, uint64_t v, int neg, unsigned base, int upper,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0;
	do {
		buf[sizeof(buf) - 1 - len++] = digits[v % base];
		v /= base;
	} while (v);
	while (s->prec > len && len < (int)sizeof(buf))
		buf[sizeof(buf) - 1 - len++] = '0';
	out_field(o, s, neg ? "-" : prefix, buf + sizeof(buf) - len, len);
}

static void out_string(out_t *o, spec_t *s, const char *str)
{
	if (!str)
		str = "(null)";
	int len = 0;
	while (str[len] && (s->prec < 0 || len < s->prec))
		len++;
	s->zero = 0;
	out_field(o, s, "", str, len);
}

static const char *parse_spec(const char *f, spec_t *s, va_list *ap)
{
	s->left = s->zero = s->width = 0;
	s->prec = -1;
	for (;; f++) {
		if (*f == '-')
			s->left = 1;
		else if (*f == '0')
			s->zero = 1;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	return f;
}

static uint64_t arg_unsigned(int lng, va_list *ap)
{
	return lng ? va_arg(*ap, unsigned long long) : va_arg(*ap, unsigned);
}

static int64_t arg_signed(int lng, va_list *ap)
{
	return lng ? va_arg(*ap, long long) : va_arg(*ap, int);
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
		spec_t s;
		f = parse_spec(f + 1, &s, &ap);
		int lng = 0;
		while (*f == 'l' || *f == 'z')
			lng = 1, f++;
		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(lng, &ap);
			uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
			out_number(&o, &s, m, v < 0, 10, 0, "");
			break;
		}
		case 'u': out_number(&o, &s, arg_unsigned(lng, &ap), 0, 10, 0, ""); break;
		case 'x':
		case 'X': out_number(&o, &s, arg_unsigned(lng, &ap), 0, 16, *f == 'X', ""); break;
		case 'p': out_number(&o, &s, (uintptr_t)va_arg(ap, void *), 0, 16, 0, "0x"); break;
		case 's': out_string(&o, &s, va_arg(ap, const char *)); break;
		case 'c': out_char(&o, (char)va_arg(ap, int)); break;
		case '%': out_char(&o, '%'); break;
		case 0:
			f--; /* lone '%' at the end */
			break;
		default: out_char(&o, '%'); out_char(&o, *f);
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
