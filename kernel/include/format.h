/* printf-style formatting into a sink (portable; host-tested). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_t)(char c, void *ctx);

/*
 * format_v: format fmt with args into sink; returns the number of
 * characters produced. As C's printf: conversions d i u o x X c s p %,
 * flags '-' '0' '+' ' ' '#', a width and a precision (also as '*'),
 * lengths hh h l ll z t j. Not floating point (this formatter runs where
 * there is no FPU: the kernel, core, lib): f e g a and their capitals are
 * printed as written, their argument not taken; nor %n.
 */
size_t format_v(format_sink_t sink, void *ctx, const char *fmt, va_list args);

/* format_buf: snprintf semantics: always terminated, returns full length. */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list args);
