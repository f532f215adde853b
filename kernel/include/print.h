/* Kernel console output (serial). */
#pragma once

#include <format.h>

/* kprintf: formatted output on the kernel console; never blocks on locks. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list args);
