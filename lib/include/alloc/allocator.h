/*
 * The generic allocator interface: what a slab (or any client that should
 * not care which allocator feeds it) needs. The heap and the sliced heap
 * each hand out one through heap_allocator() and sliced_heap_allocator().
 */
#pragma once

#include <stddef.h>
#include <abi/err.h>

typedef struct alloc_ops {
	/* alloc: size bytes, 16-byte aligned, into *out (NULL on error). */
	err_t (*alloc)(void *self, size_t size, void **out);
	/* free: give back a block from alloc; NULL is a no-op. */
	err_t (*free)(void *self, void *ptr);
	/* consumed: bytes of backing store the allocator holds. */
	size_t (*consumed)(const void *self);
	/* overhead: bookkeeping bytes one allocation of size costs. */
	size_t (*overhead)(const void *self, size_t size);
} alloc_ops_t;

typedef struct allocator {
	const alloc_ops_t *ops;
	void *self;
} allocator_t;

/* allocator_alloc: a.alloc; errors as the implementation documents. */
static inline err_t allocator_alloc(const allocator_t *a, size_t size, void **out)
{
	return a->ops->alloc(a->self, size, out);
}

/* allocator_free: a.free; errors as the implementation documents. */
static inline err_t allocator_free(const allocator_t *a, void *ptr)
{
	return a->ops->free(a->self, ptr);
}

/* allocator_consumed: a.consumed. */
static inline size_t allocator_consumed(const allocator_t *a)
{
	return a->ops->consumed(a->self);
}

/* allocator_overhead: a.overhead. */
static inline size_t allocator_overhead(const allocator_t *a, size_t size)
{
	return a->ops->overhead(a->self, size);
}
