/*
 * Formatted text output for components. log_printf writes through the
 * component's LOG session (opened by env_init), whose every line core
 * prints with the component's label in front ("[init -> name] text"); a
 * newline in the text starts another labelled line. Only core, which has
 * no LOG session, writes to the kernel's debug log, unlabelled: the kernel
 * refuses it to everyone else, so no component can print a line that
 * looks like the kernel's or core's.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <abi/types.h>

/* log_set_session: log_printf writes through log from now on (env_init sets it). */
void log_set_session(cap_t log);

/*
 * log_printf: format and emit; output over 1023 bytes is cut. Each line
 * is one LOG write (a line over 511 bytes is split into several, each
 * labelled). Before env_init has opened the LOG session a component's
 * output is lost: the kernel refuses it the debug log.
 */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

/* format_buf: snprintf semantics (always terminated, returns the full length). */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list ap);
/* format_v: format into sink, one character at a time; the number of characters. */
typedef void (*format_sink_t)(char c, void *ctx);
size_t format_v(format_sink_t sink, void *ctx, const char *fmt, va_list ap);
