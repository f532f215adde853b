/*
 * Shared by the allocator fuzz targets: reads numbers from the fuzz input
 * (zeros once it is used up), keeps a table of live blocks with a pattern
 * at both ends, and stops the run on a broken expectation.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REQUIRE(cond)                                                               \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz: '%s' failed at %s:%d\n", #cond, __FILE__, \
				__LINE__);                                               \
			abort();                                                         \
		}                                                                        \
	} while (0)

#define FUZZ_SLOTS 64
#define FUZZ_EDGE 32 /* bytes patterned at each end of a block */

typedef struct fuzz_in {
	const uint8_t *p;
	size_t n;
} fuzz_in_t;

/* The next 'bytes' bytes of input as a little-endian number. */
static inline uint64_t fuzz_take(fuzz_in_t *in, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

typedef struct fuzz_slot {
	uint8_t *p; /* NULL: empty */
	size_t size;
	uint8_t tag;
	uint8_t *freed; /* last block freed from this slot, for double frees */
} fuzz_slot_t;

static inline void fuzz_pattern(fuzz_slot_t *s, int write)
{
	size_t i;

	for (i = 0; i < s->size; i++) {
		if (i == FUZZ_EDGE && s->size > 2 * FUZZ_EDGE)
			i = s->size - FUZZ_EDGE;
		if (write)
			s->p[i] = (uint8_t)(s->tag + i);
		else
			FUZZ_REQUIRE(s->p[i] == (uint8_t)(s->tag + i));
	}
}

static inline void fuzz_fill(fuzz_slot_t *s, void *p, size_t size, uint8_t tag)
{
	s->p = p;
	s->size = size;
	s->tag = tag;
	fuzz_pattern(s, 1);
}

/* Verify slot s and empty it; returns the block. */
static inline void *fuzz_empty(fuzz_slot_t *s)
{
	void *p = s->p;

	fuzz_pattern(s, 0);
	s->freed = s->p;
	s->p = NULL;
	return p;
}

/* Is p the start of, or inside, a live block of the table? */
static inline int fuzz_is_live(const fuzz_slot_t *t, const uint8_t *p)
{
	int i;

	for (i = 0; i < FUZZ_SLOTS; i++)
		if (t[i].p && (size_t)(p - t[i].p) < (t[i].size ? t[i].size : 1))
			return 1;
	return 0;
}

/* A pointer that is not a live block start: a freed one or an interior one. */
static inline uint8_t *fuzz_bad_ptr(const fuzz_slot_t *t, fuzz_in_t *in)
{
	const fuzz_slot_t *s = &t[fuzz_take(in, 1) % FUZZ_SLOTS];
	uint8_t *p = s->p ? s->p + 1 + fuzz_take(in, 2) % (s->size ? s->size : 1) : s->freed;

	if (!p || (!s->p && fuzz_is_live(t, p)) || (s->p && p >= s->p + s->size))
		return NULL;
	return p;
}
