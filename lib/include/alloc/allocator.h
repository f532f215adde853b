/*
 * The generic allocator interface: what a slab (or any client that should
 * not care which allocator feeds it) needs. The heap and the sliced heap
 * each hand out one through heap_allocator() and sliced_heap_allocator().
 */
#pragma once

#include <stddef.h>
#include <abi/err.h>

typedef struct alloc_ops {
	/* alloc: size bytes into *out (NULL on error), 16-byte aligned (a slab: its stride's, >= 8). */
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

/*
 * ALLOCATOR_OPS(name, type, prefix): a static alloc_ops_t called name whose
 * entries call prefix_alloc, prefix_free, prefix_consumed and
 * prefix_overhead of an allocator of the given type.
 */
#define ALLOCATOR_OPS(name, type, prefix)                                            \
	static err_t name##_alloc(void *self, size_t size, void **out)               \
	{                                                                            \
		return prefix##_alloc((type *)self, size, out);                      \
	}                                                                            \
	static err_t name##_free(void *self, void *ptr)                              \
	{                                                                            \
		return prefix##_free((type *)self, ptr);                             \
	}                                                                            \
	static size_t name##_consumed(const void *self)                              \
	{                                                                            \
		return prefix##_consumed((const type *)self);                        \
	}                                                                            \
	static size_t name##_overhead(const void *self, size_t size)                 \
	{                                                                            \
		return prefix##_overhead((const type *)self, size);                  \
	}                                                                            \
	static const alloc_ops_t name = {name##_alloc, name##_free, name##_consumed, \
					 name##_overhead}
