/* Broken kernel invariants: report and end the run with a failure code. */
#pragma once

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifdef NDEBUG
#define ASSERT(c) ((void)0)
#else
#define ASSERT(c) ((c) ? (void)0 : panic("assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__))
#endif
