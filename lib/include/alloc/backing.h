/*
 * Backing store: the few things an allocator needs from its environment.
 * In a component, a backing region is a RAM dataspace attached to the
 * component's region map; in host tests it is a recorded host allocation.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <abi/err.h>

/* Regions are handed out in multiples of this many bytes, aligned to it. */
#define BACKING_GRANULE ((size_t)4096)

typedef struct backing_ops {
	/*
	 * get: obtain a region of size bytes (a multiple of BACKING_GRANULE,
	 * nonzero), aligned to BACKING_GRANULE. Errors: ERR_OUT_OF_RAM when
	 * the quota does not cover it, ERR_NO_MEMORY when the environment has
	 * no address space left. May block (it is an RPC in a component).
	 */
	err_t (*get)(void *ctx, size_t size, void **out);
	/* put: give back a region obtained by get, with its size. May block. */
	void (*put)(void *ctx, void *base, size_t size);
	/* avail: the quota left, in bytes. Does not block. */
	size_t (*avail)(void *ctx);
} backing_ops_t;

typedef struct backing {
	const backing_ops_t *ops;
	void *ctx;
} backing_t;

/* backing_round: size rounded up to the granule; 0 if that overflows. */
static inline size_t backing_round(size_t size)
{
	if (size > SIZE_MAX - (BACKING_GRANULE - 1))
		return 0;
	return (size + BACKING_GRANULE - 1) & ~(BACKING_GRANULE - 1);
}

/* backing_get: see backing_ops_t.get; also ERR_INVALID_ARGS for size 0. */
static inline err_t backing_get(const backing_t *b, size_t size, void **out)
{
	*out = NULL;
	if (size == 0 || size % BACKING_GRANULE != 0)
		return ERR_INVALID_ARGS;
	return b->ops->get(b->ctx, size, out);
}

/* backing_put: see backing_ops_t.put. */
static inline void backing_put(const backing_t *b, void *base, size_t size)
{
	b->ops->put(b->ctx, base, size);
}

/* backing_avail: see backing_ops_t.avail. */
static inline size_t backing_avail(const backing_t *b)
{
	return b->ops->avail(b->ctx);
}
