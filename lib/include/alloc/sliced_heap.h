/*
 * Sliced heap: every allocation is a backing region of its own (a RAM
 * dataspace in a component), with a small header in front. A freed block's
 * region goes back at once, so consumed() is exact at every moment: memory
 * that must be accounted on its own (session objects paid by a client's
 * quota) comes from here. Costly per call (a backing round trip each) and
 * page-granular: meant for few, long-lived or large objects.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <alloc/allocator.h>
#include <alloc/avl.h>
#include <alloc/backing.h>
#include <abi/err.h>

#define SLICED_HEAP_HEADER ((size_t)32) /* bytes in front of each block */

typedef struct sliced_heap {
	backing_t backing;
	avl_tree_t slices; /* every region, by address */
	size_t consumed;   /* bytes of backing regions held */
} sliced_heap_t;

/* sliced_heap_init: an empty sliced heap fed by backing; takes nothing yet. */
void sliced_heap_init(sliced_heap_t *sh, const backing_t *backing);

/* sliced_heap_destroy: give every region back, blocks in use or not. */
void sliced_heap_destroy(sliced_heap_t *sh);

/*
 * sliced_heap_alloc: size bytes (0 allowed), 16-byte aligned, in a region
 * of their own, into *out (NULL on error). Blocks on the backing store.
 * Errors: ERR_OUT_OF_RAM (quota), ERR_OVERFLOW (size plus header and page
 * rounding passes SIZE_MAX), and other errors of the backing store.
 */
err_t sliced_heap_alloc(sliced_heap_t *sh, size_t size, void **out);

/*
 * sliced_heap_free: give ptr's region back at once; NULL is a no-op.
 * O(log n) to find it. Errors: ERR_FOREIGN_PTR (ptr is not the start of a
 * block of this sliced heap; a block freed before is no longer one, so a
 * double free reports this too). On error nothing changes.
 */
err_t sliced_heap_free(sliced_heap_t *sh, void *ptr);

/* sliced_heap_consumed: bytes of backing regions held, exactly. */
size_t sliced_heap_consumed(const sliced_heap_t *sh);

/* sliced_heap_overhead: bytes beyond size an allocation of size occupies. */
size_t sliced_heap_overhead(const sliced_heap_t *sh, size_t size);

/* sliced_heap_live: blocks handed out and not freed. */
static inline size_t sliced_heap_live(const sliced_heap_t *sh)
{
	return sh->slices.count;
}

/* sliced_heap_allocator: sh behind the generic allocator interface. */
allocator_t sliced_heap_allocator(sliced_heap_t *sh);

/* sliced_heap_check: count broken invariants of the region tree; 0 = consistent. */
unsigned sliced_heap_check(const sliced_heap_t *sh);
