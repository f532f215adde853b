/*
 * Heap internals shared by heap.c and heap_check.c: the block and region
 * layouts and the TLSF size mapping.
 */
#pragma once

#include <stdbool.h>
#include <alloc/heap.h>

/*
 * A block: a 16-byte header, then the payload. The header of the block
 * after it follows the payload directly. Free blocks keep their list links
 * in the payload, so the smallest payload is 16 bytes.
 */
struct heap_block {
	heap_block_t *prev_phys;	     /* block before it in the chunk; NULL for the first */
	size_t size;			     /* payload bytes (a multiple of 16) | BLOCK_FREE */
	heap_block_t *next_free, *prev_free; /* free blocks only */
};

/* A backing region: a chunk of blocks, or one large block. */
struct heap_region {
	avl_region_t reg; /* reg.size: bytes of the backing region */
	size_t large;
};

#define BLOCK_FREE ((size_t)1)
#define BLOCK_QUICK ((size_t)2) /* freed, but cached by size: used as TLSF sees it */
#define BLOCK_FLAGS ((size_t)HEAP_ALIGN - 1)
#define BLOCK_MIN ((size_t)16)
#define REGION_HDR ((sizeof(heap_region_t) + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1))
#define FL_SHIFT (HEAP_SL_LOG2 + 4) /* sizes below 1 << FL_SHIFT map linearly */
#define SMALL_LIMIT ((size_t)1 << FL_SHIFT)

/*
 * The top TAG_BITS of a header's size word hold a hash of the header's own
 * address: free() believes a header only if its tag matches, so a pointer
 * into the middle of a block is refused unless the bytes in front of it
 * happen to be exactly the tag for that address (a 2^-24 chance).
 */
#define TAG_SHIFT 40 /* sizes stay below 2^40 */
#define SIZE_MASK ((((size_t)1 << TAG_SHIFT) - 1) & ~BLOCK_FLAGS)

static inline size_t block_tag(const heap_block_t *b)
{
	return ((uintptr_t)b * 0x9E3779B97F4A7C15ull) >> TAG_SHIFT << TAG_SHIFT;
}

static inline size_t block_size(const heap_block_t *b)
{
	return b->size & SIZE_MASK;
}

static inline bool block_tag_ok(const heap_block_t *b)
{
	return (b->size & ~(((size_t)1 << TAG_SHIFT) - 1)) == block_tag(b);
}

static inline bool block_is_free(const heap_block_t *b)
{
	return b->size & BLOCK_FREE;
}

static inline size_t quick_class(size_t size)
{
	return size / HEAP_ALIGN - 1;
}

static inline heap_block_t *block_next(const heap_block_t *b)
{
	return (heap_block_t *)((char *)b + HEAP_HEADER + block_size(b));
}

static inline heap_block_t *chunk_first(const heap_region_t *r)
{
	return (heap_block_t *)((char *)r + REGION_HDR);
}

static inline heap_block_t *chunk_sentinel(const heap_region_t *r)
{
	return (heap_block_t *)((char *)r + r->reg.size - HEAP_HEADER);
}

static inline unsigned msb(size_t x)
{
	return 63 - (unsigned)__builtin_clzll(x);
}

/* The list (first level *fl, second level *sl) that holds free blocks of size. */
static inline void size_class(size_t size, unsigned *fl, unsigned *sl)
{
	unsigned f;

	if (size < SMALL_LIMIT) {
		*fl = 0;
		*sl = (unsigned)(size / HEAP_ALIGN);
		return;
	}
	f = msb(size);
	*sl = (unsigned)(size >> (f - HEAP_SL_LOG2)) ^ HEAP_SL_COUNT;
	*fl = f - FL_SHIFT + 1;
}
