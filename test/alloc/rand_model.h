/*
 * Helpers of the randomized differential tests: a seeded generator whose
 * seed can be set from the environment, and a model of live blocks that
 * writes a pattern into each block and checks it and their disjointness.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
	uint64_t s;
} rng_t;

/* A seed: $ALLOC_SEED if set, else fixed; printed so a failure can be replayed. */
uint64_t rng_seed(const char *test, uint64_t fixed);

/* Steps to run: fixed, scaled by $ALLOC_STEPS_SCALE (a factor, default 1). */
long rng_steps(long fixed);

uint64_t rng_next(rng_t *r);

/* A number in [lo, hi]. */
uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi);

typedef struct live {
	uintptr_t addr;
	size_t size;
	uint32_t tag;
} live_t;

typedef struct model {
	live_t *v;
	size_t n, cap;
	uint32_t next_tag;
	int touch; /* write and verify contents (not for address ranges) */
} model_t;

void model_init(model_t *m, size_t cap, int touch);
void model_fini(model_t *m);

/* Record a new block and fill it with its pattern. */
void model_add(model_t *m, uintptr_t addr, size_t size);

/* Verify the pattern of block i and forget it (swap with the last). */
live_t model_take(model_t *m, size_t i);

/* Index of the live block that contains addr, or -1. */
long model_find(const model_t *m, uintptr_t addr);

/* Verify every pattern and that no two blocks overlap; returns problems found. */
unsigned model_verify(model_t *m);
