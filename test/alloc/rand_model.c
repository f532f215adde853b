/* The seeded generator and the live-block model of the randomized tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rand_model.h"

#define TOUCH_EDGE 256 /* bytes patterned at each end of a large block */

uint64_t rng_seed(const char *test, uint64_t fixed)
{
	const char *env = getenv("ALLOC_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : fixed;

	printf("%s: seed %llu (replay with ALLOC_SEED=%llu)\n", test, (unsigned long long)seed,
	       (unsigned long long)seed);
	fflush(stdout);
	return seed ? seed : 1;
}

long rng_steps(long fixed)
{
	const char *env = getenv("ALLOC_STEPS_SCALE");
	double f = env ? atof(env) : 1.0;

	return (long)(fixed * (f > 0 ? f : 1.0));
}

uint64_t rng_next(rng_t *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo + 1;

	return span ? lo + rng_next(r) % span : rng_next(r);
}

void model_init(model_t *m, size_t cap, int touch)
{
	m->v = calloc(cap, sizeof(*m->v));
	m->n = 0;
	m->cap = cap;
	m->next_tag = 1;
	m->touch = touch;
}

void model_fini(model_t *m)
{
	free(m->v);
	m->v = NULL;
}

static uint8_t pattern(uint32_t tag, size_t i)
{
	return (uint8_t)(tag * 31 + i * 7);
}

/* Apply fn to the patterned bytes of b: all of a small block, both ends of a big one. */
static unsigned pattern_walk(const live_t *b, int write)
{
	uint8_t *p = (uint8_t *)b->addr;
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < b->size; i++) {
		if (i == TOUCH_EDGE && b->size > 2 * TOUCH_EDGE)
			i = b->size - TOUCH_EDGE;
		if (write)
			p[i] = pattern(b->tag, i);
		else
			bad += p[i] != pattern(b->tag, i);
	}
	return bad;
}

void model_add(model_t *m, uintptr_t addr, size_t size)
{
	live_t *b = &m->v[m->n++];

	b->addr = addr;
	b->size = size;
	b->tag = m->next_tag++;
	if (m->touch)
		pattern_walk(b, 1);
}

live_t model_take(model_t *m, size_t i)
{
	live_t b = m->v[i];

	if (m->touch && pattern_walk(&b, 0)) {
		fprintf(stderr, "block %#lx (%zu bytes) lost its contents\n", (unsigned long)b.addr,
			b.size);
		abort();
	}
	m->v[i] = m->v[--m->n];
	return b;
}

long model_find(const model_t *m, uintptr_t addr)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (addr - m->v[i].addr < (m->v[i].size ? m->v[i].size : 1))
			return (long)i;
	return -1;
}

static int by_addr(const void *a, const void *b)
{
	const live_t *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

unsigned model_verify(model_t *m)
{
	live_t *s = malloc((m->n + 1) * sizeof(*s));
	unsigned bad = 0;
	size_t i;

	memcpy(s, m->v, m->n * sizeof(*s));
	qsort(s, m->n, sizeof(*s), by_addr);
	for (i = 0; i < m->n; i++) {
		if (m->touch)
			bad += pattern_walk(&s[i], 0) != 0;
		if (i && s[i - 1].addr + (s[i - 1].size ? s[i - 1].size - 1 : 0) >= s[i].addr)
			bad++;
	}
	free(s);
	return bad;
}
