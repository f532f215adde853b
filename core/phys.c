/*
 * core's frame allocator: every free frame on one list, linked through the
 * frames themselves (via core's RAM window), and an owner table so that a
 * component's frames come back when it is destroyed.
 */
#include "core.h"
#include <log.h>
#include <mem.h>

static paddr_t free_head; /* 0: empty */
static uint64_t free_count;
static uint8_t *owner_of; /* per frame below top; 0xff: not core's */
static uint64_t top_pfn;

#define NOT_OURS 0xff

void *phys_window(paddr_t pa)
{
	return (void *)(CORE_PHYS_WINDOW + pa);
}

static void push(paddr_t pa)
{
	*(paddr_t *)phys_window(pa) = free_head;
	free_head = pa;
	free_count++;
}

void phys_init(const bootinfo_t *bi)
{
	paddr_t top = 0;
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_FREE && bi->mem[i].base + bi->mem[i].size > top)
			top = bi->mem[i].base + bi->mem[i].size;
	top_pfn = top >> PAGE_SHIFT;
	uint64_t table_pages = (top_pfn + PAGE_SIZE - 1) / PAGE_SIZE;
	/* the owner table takes the first pages of the first large enough range */
	for (uint32_t i = 0; i < bi->mem_count && !owner_of; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_FREE &&
		    bi->mem[i].size >= table_pages * PAGE_SIZE)
			owner_of = phys_window(bi->mem[i].base);
	memset(owner_of, NOT_OURS, top_pfn);
	paddr_t table_pa = (paddr_t)owner_of - CORE_PHYS_WINDOW;
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type != BOOTINFO_MEM_FREE)
			continue;
		for (paddr_t p = m->base + m->size; p > m->base; p -= PAGE_SIZE) {
			paddr_t pa = p - PAGE_SIZE;
			if (pa >= table_pa && pa < table_pa + table_pages * PAGE_SIZE)
				continue;
			owner_of[pa >> PAGE_SHIFT] = CORE_OWNER;
			push(pa);
		}
	}
}

err_t phys_alloc(unsigned owner, paddr_t *pa)
{
	if (!free_head)
		return ERR_OUT_OF_RAM;
	paddr_t p = free_head;
	free_head = *(paddr_t *)phys_window(p);
	free_count--;
	memset(phys_window(p), 0, PAGE_SIZE);
	owner_of[p >> PAGE_SHIFT] = (uint8_t)owner;
	*pa = p;
	return ERR_OK;
}

void phys_free(paddr_t pa)
{
	owner_of[pa >> PAGE_SHIFT] = CORE_OWNER;
	push(pa);
}

uint64_t phys_free_owner(unsigned owner)
{
	uint64_t n = 0;
	for (uint64_t pfn = 0; pfn < top_pfn; pfn++) {
		if (owner_of[pfn] != owner)
			continue;
		phys_free(pfn << PAGE_SHIFT);
		n++;
	}
	return n;
}

uint64_t phys_free_count(void)
{
	return free_count;
}
