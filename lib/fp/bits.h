/* A double's bits and back, for lib/fp. */
#pragma once

#include <stdint.h>

static inline uint64_t fp_bits(double x)
{
	union {
		double d;
		uint64_t u;
	} v = {x};
	return v.u;
}

static inline double fp_from(uint64_t u)
{
	union {
		uint64_t u;
		double d;
	} v = {u};
	return v.d;
}
