/*
 * Formatted text output for components. log_printf writes through the
 * kernel's debug log (unlabelled); log_session_write (env.h) writes a line
 * through the component's LOG session, which core labels with its name.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* log_printf: format and emit; output up to 1023 bytes is kept whole, longer output is cut. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

/* format_buf: snprintf semantics (always terminated, returns the full length). */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list ap);
