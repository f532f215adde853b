/*
 * core's physical memory: all free RAM in one AVL range allocator, an
 * owner byte per frame so that a component's blocks come back when it is
 * destroyed. The range allocator's nodes come from a heap over a static
 * pool, and once that is nearly used up, from chunks of RAM taken ahead:
 * the heap's backing never calls the range allocator (that would recurse
 * in the middle of a tree operation); instead every allocation first makes
 * sure that a spare chunk waits (node_reserve), taken while no tree
 * operation is under way. So the nodes, one per block of RAM, have no
 * fixed limit that components could use up between them.
 *
 * Single frames (page tables, kernel objects, small dataspaces) come and
 * go all the time, and a tree operation costs about 1,500 instructions: up
 * to FRAME_CACHE freed single frames wait in a stack instead, still
 * one-frame blocks to the range allocator, marked CACHED in the owner
 * table. A request the tree cannot meet flushes the stack first.
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <parent.h>

#define NOT_OURS 0xff
#define CACHED 0xfe /* a free single frame on the stack */
#define FRAME_CACHE 64
#define NODE_POOL (2u << 20)  /* room for about 30,000 blocks of RAM, then it grows */
#define NODE_GROW (64u << 10) /* by chunks of this, core's own memory */

static range_alloc_t ram;
static uint8_t *owner_of; /* per frame below top_pfn */
static uint64_t top_pfn;
static heap_t node_heap;
static allocator_t node_alloc_if;
static uint8_t node_pool[NODE_POOL] __attribute__((aligned(4096)));
static size_t node_pool_used;
static paddr_t frame_cache[FRAME_CACHE];
static unsigned frame_cached;

typedef struct node_chunk {
	struct node_chunk *next;
} node_chunk_t;
static void *node_spare;	    /* a chunk taken ahead for the node heap's next request */
static node_chunk_t *node_returned; /* chunks the heap gave back, for its next requests */
static uint64_t node_grown;	    /* bytes of chunks taken beyond the static pool */

static err_t pool_get(void *ctx, size_t size, void **out)
{
	if (size <= NODE_POOL - node_pool_used) {
		*out = node_pool + node_pool_used;
		node_pool_used += size;
		return ERR_OK;
	}
	if (size > NODE_GROW)
		return ERR_OUT_OF_RAM; /* the node heap asks for at most NODE_GROW */
	if (node_returned) {
		*out = node_returned;
		node_returned = node_returned->next;
		return ERR_OK;
	}
	if (!node_spare)
		return ERR_OUT_OF_RAM;
	*out = node_spare;
	node_spare = 0;
	return ERR_OK;
}

static void pool_put(void *ctx, void *base, size_t size)
{
	uint8_t *p = base;
	if (p >= node_pool && p < node_pool + NODE_POOL) {
		if (p + size == node_pool + node_pool_used)
			node_pool_used -= size; /* only the last piece can go back */
		return;
	}
	node_chunk_t *c = base; /* a grown chunk: kept for the heap's next request */
	c->next = node_returned;
	node_returned = c;
}

static size_t pool_avail(void *ctx)
{
	return NODE_POOL - node_pool_used + (node_spare ? NODE_GROW : 0);
}

/*
 * node_reserve: once the static pool is nearly used up, make sure a chunk
 * waits for the node heap; taking it may itself need a node, which the
 * heap still has room for. Called before every tree operation that may
 * need nodes, never from inside one.
 */
static void node_reserve(void)
{
	uint64_t p;
	if (node_spare || node_returned || NODE_POOL - node_pool_used >= 2 * NODE_GROW)
		return;
	if (range_alloc_alloc(&ram, NODE_GROW, PAGE_SIZE, 0, RANGE_ALLOC_TOP, &p) != ERR_OK)
		return; /* no RAM left: the allocation that follows fails on its own */
	for (uint64_t off = 0; off < NODE_GROW; off += PAGE_SIZE)
		owner_of[(p + off) >> PAGE_SHIFT] = CORE_OWNER;
	node_spare = phys_window(p);
	node_grown += NODE_GROW;
}

uint64_t phys_node_memory(void)
{
	return NODE_POOL + node_grown;
}

static const backing_ops_t pool_ops = {pool_get, pool_put, pool_avail};
static const backing_t pool_backing = {&pool_ops, 0};

void *phys_window(paddr_t pa)
{
	return (void *)(CORE_PHYS_WINDOW + pa);
}

/* owner_table: placed in the first free range large enough for it. */
static void owner_table(const bootinfo_t *bi, paddr_t *base, uint64_t *bytes)
{
	paddr_t top = 0;
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_FREE && bi->mem[i].base + bi->mem[i].size > top)
			top = bi->mem[i].base + bi->mem[i].size;
	top_pfn = top >> PAGE_SHIFT;
	*bytes = (top_pfn + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		if (bi->mem[i].type == BOOTINFO_MEM_FREE && bi->mem[i].size >= *bytes) {
			*base = bi->mem[i].base;
			owner_of = phys_window(*base);
			memset(owner_of, NOT_OURS, top_pfn);
			return;
		}
	}
	log_printf("core: no room for the frame owner table\n");
	component_exit(1);
}

void phys_init(const bootinfo_t *bi)
{
	heap_config_t cfg = {.large_threshold = NODE_GROW, .chunk_max = NODE_GROW};
	heap_init(&node_heap, &pool_backing, &cfg);
	node_alloc_if = heap_allocator(&node_heap);
	range_alloc_init(&ram, &node_alloc_if);
	paddr_t table = 0;
	uint64_t table_bytes = 0;
	owner_table(bi, &table, &table_bytes);
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type != BOOTINFO_MEM_FREE)
			continue;
		paddr_t base = m->base, end = m->base + m->size;
		if (base == table)
			base += table_bytes;
		if (base < end && range_alloc_add(&ram, base, end - base) != ERR_OK)
			log_printf("core: cannot add RAM [%lx, %lx)\n", base, end);
		for (paddr_t p = base; p < end; p += PAGE_SIZE)
			owner_of[p >> PAGE_SHIFT] = CORE_OWNER;
	}
}

static void set_owner(paddr_t pa, uint64_t size, uint8_t owner)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		owner_of[(pa + off) >> PAGE_SHIFT] = owner;
}

/* cache_flush: every cached frame back to the range allocator. */
static void cache_flush(void)
{
	while (frame_cached) {
		paddr_t pa = frame_cache[--frame_cached];
		owner_of[pa >> PAGE_SHIFT] = CORE_OWNER;
		range_alloc_free(&ram, pa);
	}
}

/* tree_alloc: size bytes aligned to align from the range allocator. */
static err_t tree_alloc(uint64_t size, uint64_t align, paddr_t *pa)
{
	err_t e = range_alloc_alloc(&ram, size, align, 0, RANGE_ALLOC_TOP, pa);
	if (e == ERR_NO_MEMORY && frame_cached) {
		cache_flush();
		e = range_alloc_alloc(&ram, size, align, 0, RANGE_ALLOC_TOP, pa);
	}
	return e;
}

/*
 * Blocks of a large page or more start on a large-page boundary when they
 * can, so that the pager can map them with large pages.
 */
err_t phys_alloc_raw(unsigned owner, uint64_t size, paddr_t *pa)
{
	if (size == 0 || (size & (PAGE_SIZE - 1)))
		return ERR_INVALID_ARGS;
	node_reserve();
	err_t e = ERR_NO_MEMORY;
	if (size == PAGE_SIZE && frame_cached) {
		*pa = frame_cache[--frame_cached];
		e = ERR_OK;
	}
	if (e != ERR_OK && size >= LARGE_PAGE)
		e = tree_alloc(size, LARGE_PAGE, pa);
	if (e == ERR_NO_MEMORY)
		e = tree_alloc(size, PAGE_SIZE, pa);
	if (e == ERR_NO_MEMORY)
		return ERR_OUT_OF_RAM;
	if (e == ERR_OK)
		set_owner(*pa, size, (uint8_t)owner);
	return e;
}

void phys_zero(paddr_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += ZERO_MAX) {
		uint64_t n = size - off < ZERO_MAX ? size - off : ZERO_MAX;
		if (sys6(SYS_ZERO, SLOT_KERNEL, pa + off, n, 0, 0, 0) != ERR_OK)
			memset(phys_window(pa + off), 0, n); /* cannot happen to RAM core owns */
	}
}

err_t phys_alloc_range(unsigned owner, uint64_t size, paddr_t *pa)
{
	err_t e = phys_alloc_raw(owner, size, pa);
	if (e == ERR_OK)
		phys_zero(*pa, size);
	return e;
}

void phys_free_range(paddr_t pa, uint64_t size)
{
	if (size == PAGE_SIZE && owner_of[pa >> PAGE_SHIFT] == CACHED) {
		log_printf("core: freeing %lx, which is free already\n", pa);
		return;
	}
	if (size == PAGE_SIZE && frame_cached < FRAME_CACHE) {
		owner_of[pa >> PAGE_SHIFT] = CACHED;
		frame_cache[frame_cached++] = pa;
		return;
	}
	set_owner(pa, size, CORE_OWNER);
	if (range_alloc_free(&ram, pa) != ERR_OK)
		log_printf("core: freeing %lx, which is not an allocated block\n", pa);
}

void phys_free(paddr_t pa)
{
	uint64_t size;
	if (range_alloc_size_at(&ram, pa, &size) != ERR_OK) {
		log_printf("core: freeing %lx, which is not an allocated block\n", pa);
		return;
	}
	phys_free_range(pa, size);
}

uint64_t phys_free_owner(unsigned owner)
{
	uint64_t pages = 0;
	for (uint64_t pfn = 0; pfn < top_pfn; pfn++) {
		if (owner_of[pfn] != owner)
			continue;
		uint64_t size;
		paddr_t pa = pfn << PAGE_SHIFT;
		if (range_alloc_size_at(&ram, pa, &size) != ERR_OK)
			continue; /* inside a block: its start frees it */
		pages += size >> PAGE_SHIFT;
		phys_free_range(pa, size);
	}
	return pages;
}

uint64_t phys_avail(void)
{
	return range_alloc_avail(&ram) + frame_cached * PAGE_SIZE;
}
