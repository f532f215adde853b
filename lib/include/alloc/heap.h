/*
 * Heap: general-purpose allocation of any size, 16-byte aligned, freed
 * without a size. It grows by backing-store chunks of geometrically growing
 * size and gives large blocks a backing region of their own.
 *
 * Why TLSF (two-level segregated fit): alloc and free are O(1) with a small
 * constant (two bitmap scans, list operations, at most two merges), which a
 * component that allocates on its RPC paths needs; it is a good fit, not a
 * first fit, so fragmentation stays low without a search; and it needs only
 * one 16-byte header per block. Buddy allocators waste up to half a block,
 * size-class slabs inside the heap waste partial pages per class and hold
 * memory per class, and address-ordered first fit is O(n).
 *
 * Nothing here blocks except the backing store when a chunk or a large
 * block's region is taken or given back.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <alloc/allocator.h>
#include <alloc/avl.h>
#include <alloc/backing.h>
#include <abi/err.h>

#define HEAP_ALIGN 16
#define HEAP_HEADER 16				 /* bytes of bookkeeping per block */
#define HEAP_LARGE_DEFAULT ((size_t)64 << 10)	 /* own region from this size on */
#define HEAP_CHUNK_FIRST ((size_t)16 << 10)	 /* the first chunk, kept for good */
#define HEAP_CHUNK_MAX_DEFAULT ((size_t)1 << 20) /* chunk growth stops here */
#define HEAP_CHUNK_LIMIT ((size_t)1 << 32)	 /* largest chunk_max accepted */
#define HEAP_SL_LOG2 5				 /* 32 second-level lists */
#define HEAP_SL_COUNT (1 << HEAP_SL_LOG2)
#define HEAP_FL_COUNT 25    /* first-level classes: blocks < 2^33 */
#define HEAP_QUICK_MAX 4096 /* freed blocks up to this size are cached by size */
#define HEAP_QUICK_CLASSES (HEAP_QUICK_MAX / HEAP_ALIGN)
#define HEAP_QUICK_DEPTH 16 /* cached blocks per size, at most */

typedef struct heap_config {
	size_t large_threshold; /* 0: HEAP_LARGE_DEFAULT */
	size_t chunk_first;	/* 0: HEAP_CHUNK_FIRST */
	size_t chunk_max;	/* 0: HEAP_CHUNK_MAX_DEFAULT */
} heap_config_t;

typedef struct heap_block heap_block_t;
typedef struct heap_region heap_region_t;

typedef struct heap {
	backing_t backing;
	size_t large_threshold, next_chunk, chunk_max;
	size_t consumed;	 /* bytes of backing regions held */
	size_t live;		 /* blocks handed out */
	avl_tree_t regions;	 /* chunks and large blocks, by address */
	heap_region_t *first;	 /* the first chunk, never given back */
	heap_region_t *spare;	 /* one more empty chunk kept, or NULL */
	heap_region_t *last_hit; /* region of the last free: a lookup cache */
	uint64_t fl_map;	 /* bit f: some list of class f is not empty */
	uint32_t sl_map[HEAP_FL_COUNT];
	heap_block_t *lists[HEAP_FL_COUNT][HEAP_SL_COUNT];
	heap_block_t *quick[HEAP_QUICK_CLASSES]; /* freed blocks by exact size, LIFO */
	uint8_t quick_n[HEAP_QUICK_CLASSES];
	size_t quick_outside; /* cached blocks outside the first chunk */
} heap_t;

/*
 * heap_init: a heap fed by backing, configured by cfg (NULL: defaults).
 * Takes the first chunk at once (smaller than chunk_first if the quota is
 * short); consumed() returns to the value it has after init once every
 * block is freed. Errors: ERR_INVALID_ARGS (chunk_max
 * above HEAP_CHUNK_LIMIT, or a threshold above chunk_max or below 1 KiB),
 * ERR_OUT_OF_RAM.
 */
err_t heap_init(heap_t *h, const backing_t *backing, const heap_config_t *cfg);

/* heap_destroy: give every region back, blocks in use or not. */
void heap_destroy(heap_t *h);

/*
 * heap_trim: give back every chunk that holds no block (cached blocks
 * outside the first chunk first go back to their chunks), so that
 * consumed() is what the live blocks need. For an owner that must account exactly, e.g. after a
 * client closed a session. Does not block unless the backing store does.
 */
void heap_trim(heap_t *h);

/*
 * heap_alloc: size bytes, 16-byte aligned, into *out (NULL on error); size
 * 0 gives a unique minimal block. O(1) unless the backing store is asked.
 * Errors: ERR_OUT_OF_RAM (the backing quota is exhausted), ERR_OVERFLOW
 * (size too large to represent with its bookkeeping), ERR_NO_MEMORY.
 */
err_t heap_alloc(heap_t *h, size_t size, void **out);

/*
 * heap_free: give back a block from heap_alloc; NULL is a no-op. A block of
 * up to HEAP_QUICK_MAX bytes is first cached for reuse by its exact size
 * (at most HEAP_QUICK_DEPTH per size); other blocks merge with their free
 * neighbours at once. A large block's region goes back at once; an empty
 * chunk goes back unless it is the first chunk or the one spare kept while
 * blocks are live. When the last block is freed, every chunk but the first
 * goes back (cached blocks outside it are returned to the lists first).
 * O(log regions) to find the block's region. Errors: ERR_DOUBLE_FREE (the
 * block is already free), ERR_FOREIGN_PTR (ptr is not a block of this heap;
 * a large block that was already freed is no longer this heap's and reports
 * this too). On error nothing changes.
 */
err_t heap_free(heap_t *h, void *ptr);

/* heap_consumed: bytes of backing store held. */
size_t heap_consumed(const heap_t *h);

/* heap_overhead: bytes beyond size that an allocation of size occupies. */
size_t heap_overhead(const heap_t *h, size_t size);

/* heap_live: blocks handed out and not freed. */
static inline size_t heap_live(const heap_t *h)
{
	return h->live;
}

/* heap_allocator: h behind the generic allocator interface. */
allocator_t heap_allocator(heap_t *h);

/*
 * heap_check: walk every chunk, block, free list and bitmap and count broken
 * invariants; 0 means consistent. O(blocks).
 */
unsigned heap_check(const heap_t *h);
