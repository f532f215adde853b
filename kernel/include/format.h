/* printf-style formatting into a sink (portable; host-tested). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_t)(char c, void *ctx);

/*
 * format_v: format fmt with args into sink; returns the number of
 * characters produced. As C's printf: conversions d i u o x X c s p %,
 * flags '-' '0' '+' ' ' '#', a width and a precision (also as '*'),
 * lengths hh h l ll z t j. Floating point (f F e E g G a A, exactly
 * rounded, host-tested against snprintf) only in the FORMAT_FLOAT build,
 * which the components' printf family uses (lib/fp); where there is no
 * FPU (the kernel, core, lib's log_printf) such a conversion is printed as
 * written, its argument not taken. Never %n.
 */
size_t format_v(format_sink_t sink, void *ctx, const char *fmt, va_list args);

/* format_buf: snprintf semantics: always terminated, returns full length. */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list args);
