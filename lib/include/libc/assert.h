/*
 * <assert.h> of the component runtime: a failed assertion names file,
 * line and expression on the LOG session and ends the component with 134,
 * which its parent reports. NDEBUG turns it off, as in C.
 */
#pragma once

_Noreturn void libc_assert_failed(const char *expr, const char *file, int line, const char *fn);

#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : libc_assert_failed(#e, __FILE__, __LINE__, __func__))
#endif
