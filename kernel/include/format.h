/* printf-style formatting into a sink (portable; host-tested). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_t)(char c, void *ctx);

/*
 * format_v: format fmt with args into sink; returns the number of
 * characters produced. Conversions: %d %i %u %x %X %p %s %c %%, flags '-'
 * and '0', a width and a precision (also as '*'), length l, ll, z.
 */
size_t format_v(format_sink_t sink, void *ctx, const char *fmt, va_list args);

/* format_buf: snprintf semantics: always terminated, returns full length. */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list args);
