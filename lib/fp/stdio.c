/*
 * The printf family of the component runtime, with the floating-point
 * conversions: compiled with the FPU (a variadic function compiled
 * without it cannot receive doubles), on format.c's FORMAT_FLOAT build
 * (format_fp_v). The streams are lib/sys/libc.c's.
 */
#include <stdarg.h>
#include <stddef.h>

typedef struct libc_file FILE;
typedef void (*format_sink_t)(char c, void *ctx);
size_t format_fp_v(format_sink_t sink, void *ctx, const char *fmt, va_list ap);
size_t format_fp_vbuf(char *buf, size_t size, const char *fmt, va_list ap);
void libc_put(char c, void *ctx);
extern FILE *stdout;

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return (int)format_fp_v(libc_put, f, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return (int)format_fp_vbuf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = (int)format_fp_vbuf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
