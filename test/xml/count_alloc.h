/*
 * A host allocator for the XML tests: malloc underneath, counting the live
 * blocks and bytes so that a test sees every leak, and failing on request
 * after a number of allocations so that the parser's error paths run.
 */
#pragma once

#include <stdlib.h>
#include <alloc/allocator.h>

typedef struct count_alloc {
	size_t live, bytes, allocs;
	size_t fail_after; /* allocations that succeed before each fails; SIZE_MAX: never */
} count_alloc_t;

/* count_alloc_alloc: malloc'd, 16-aligned; NO_MEMORY once fail_after allocations happened. */
static inline err_t count_alloc_alloc(count_alloc_t *c, size_t size, void **out)
{
	*out = NULL;
	if (c->allocs >= c->fail_after)
		return ERR_NO_MEMORY;
	size_t *m = aligned_alloc(16, 16 + ((size + 15) & ~(size_t)15));
	if (!m)
		return ERR_NO_MEMORY;
	m[0] = size;
	c->allocs++, c->live++, c->bytes += size;
	*out = (char *)m + 16;
	return ERR_OK;
}

static inline err_t count_alloc_free(count_alloc_t *c, void *p)
{
	if (!p)
		return ERR_OK;
	size_t *m = (size_t *)((char *)p - 16);
	c->live--, c->bytes -= m[0];
	free(m);
	return ERR_OK;
}

static inline size_t count_alloc_consumed(const count_alloc_t *c)
{
	return c->bytes;
}

static inline size_t count_alloc_overhead(const count_alloc_t *c, size_t size)
{
	return 16;
}

ALLOCATOR_OPS(count_alloc_ops, count_alloc_t, count_alloc);

/* count_alloc_init: an allocator over c that never fails. */
static inline allocator_t count_alloc_init(count_alloc_t *c)
{
	*c = (count_alloc_t){.fail_after = (size_t)-1};
	return (allocator_t){&count_alloc_ops, c};
}
