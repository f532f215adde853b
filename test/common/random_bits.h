/*
 * For host tests: a xorshift generator (seeded by the test: RANDOM_SEED
 * before the include) and a double from its bits.
 */
#pragma once

#include <stdint.h>
#include <string.h>

static uint64_t rng = RANDOM_SEED;

static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

static double from(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}
