/*
 * AVL range allocator: hands out ranges of a 64-bit number space (virtual
 * address space in a region map, physical memory in core). Addresses are
 * uint64_t, never pointers; a range may start at 0 and end at 2^64. Every
 * operation is O(log n) in the number of blocks, except that an aligned or
 * windowed search may visit blocks that are large enough but misplaced.
 * Its nodes come from a slab fed by a metadata allocator, so it needs no
 * heap. Nothing blocks except the metadata allocator when a slab block is
 * taken or given back.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/err.h>
#include <alloc/allocator.h>
#include <alloc/avl.h>
#include <alloc/slab.h>

/* A window end of 0 means "up to 2^64": the end of a range is base + size mod 2^64. */
#define RANGE_ALLOC_TOP ((uint64_t)0)

typedef struct range_alloc {
	avl_tree_t tree;	/* every block, free or used, by base */
	slab_t nodes;		/* one node per block */
	unsigned __int128 free; /* bytes in free blocks */
	uint64_t used_blocks;
} range_alloc_t;

/*
 * range_alloc_init: an empty allocator whose nodes come from md. Errors:
 * those of slab_init (ERR_OUT_OF_RAM from md).
 */
err_t range_alloc_init(range_alloc_t *ra, const allocator_t *md);

/* range_alloc_destroy: forget every range and give the nodes back. */
void range_alloc_destroy(range_alloc_t *ra);

/*
 * range_alloc_add: make [base, base + size) available. It merges with free
 * neighbours. Errors: ERR_INVALID_ARGS (size 0), ERR_OVERFLOW (the range
 * passes 2^64), ERR_REGION_CONFLICT (it overlaps a range already added),
 * ERR_OUT_OF_RAM (no node). On error nothing changes.
 */
err_t range_alloc_add(range_alloc_t *ra, uint64_t base, uint64_t size);

/*
 * range_alloc_remove: withdraw [base, base + size); parts never added are
 * ignored. Errors: ERR_INVALID_ARGS, ERR_OVERFLOW as for add,
 * ERR_REGION_CONFLICT (an allocated block intersects it), ERR_OUT_OF_RAM
 * (splitting a free block needs a node). On error nothing changes.
 */
err_t range_alloc_remove(range_alloc_t *ra, uint64_t base, uint64_t size);

/*
 * range_alloc_alloc: the lowest free range of size bytes that starts at a
 * multiple of align (a power of two; 0 means 1) and lies inside the window
 * [from, to) (to == RANGE_ALLOC_TOP means up to 2^64); its base goes to
 * *out. Errors: ERR_INVALID_ARGS (size 0, align not a power of two, empty
 * window), ERR_NO_MEMORY (no such range), ERR_OUT_OF_RAM (no node).
 */
err_t range_alloc_alloc(range_alloc_t *ra, uint64_t size, uint64_t align, uint64_t from,
			uint64_t to, uint64_t *out);

/*
 * range_alloc_alloc_at: allocate exactly [addr, addr + size). Errors:
 * ERR_INVALID_ARGS (size 0), ERR_OVERFLOW, ERR_REGION_CONFLICT (not wholly
 * inside one free range), ERR_OUT_OF_RAM (no node).
 */
err_t range_alloc_alloc_at(range_alloc_t *ra, uint64_t addr, uint64_t size);

/*
 * range_alloc_free: free the block allocated at addr and merge it with free
 * neighbours; never needs memory. Errors: ERR_DOUBLE_FREE (addr is free),
 * ERR_FOREIGN_PTR (addr is in no range), ERR_INVALID_ARGS (addr is inside
 * an allocated block but not its start).
 */
err_t range_alloc_free(range_alloc_t *ra, uint64_t addr);

/* range_alloc_size_at: size of the block allocated at addr. ERR_NOT_FOUND if none. */
err_t range_alloc_size_at(const range_alloc_t *ra, uint64_t addr, uint64_t *size);

/* range_alloc_avail: free bytes, saturated at UINT64_MAX (2^64 does not fit). */
uint64_t range_alloc_avail(const range_alloc_t *ra);

/* range_alloc_consumed: bytes the node slab holds from the metadata allocator. */
size_t range_alloc_consumed(const range_alloc_t *ra);

/*
 * range_alloc_overhead: metadata bytes per block. An allocation costs one
 * block and may split a free range in two, so at most twice this.
 */
size_t range_alloc_overhead(const range_alloc_t *ra);

/* range_alloc_check: count broken invariants of tree, blocks and slab; 0 = consistent. */
unsigned range_alloc_check(const range_alloc_t *ra);
