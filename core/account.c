/*
 * Accounts and the records core keeps. A component's account is funded by
 * the quota its parent gave it; a session's by the quota its client
 * donated when opening it, which moved from the client's account. Records
 * for a component come from its own heap, whose frames are charged to it;
 * records for a session come from core's record heap, each block charged
 * to the session's account with its size and bookkeeping, so that what a
 * session needs is paid from its donation and returns when it closes.
 */
#include "core.h"
#include <mem.h>

err_t account_charge(account_t *a, uint64_t ram, uint64_t caps)
{
	if (ram > a->ram_quota - a->ram_used)
		return ERR_OUT_OF_RAM;
	if (caps > a->cap_quota - a->cap_used)
		return ERR_OUT_OF_CAPS;
	a->ram_used += ram;
	a->cap_used += caps;
	return ERR_OK;
}

void account_uncharge(account_t *a, uint64_t ram, uint64_t caps)
{
	a->ram_used -= ram;
	a->cap_used -= caps;
}

err_t account_alloc_raw(account_t *a, uint64_t size, paddr_t *pa)
{
	err_t e = account_charge(a, size, 0);
	if (e == ERR_OK && (e = phys_alloc_raw(a->owner, size, pa)) != ERR_OK)
		account_uncharge(a, size, 0);
	return e;
}

err_t account_alloc(account_t *a, uint64_t size, paddr_t *pa)
{
	err_t e = account_alloc_raw(a, size, pa);
	if (e == ERR_OK)
		phys_zero(*pa, size);
	return e;
}

void account_free(account_t *a, paddr_t pa, uint64_t size)
{
	phys_free_range(pa, size);
	account_uncharge(a, size, 0);
}

/* ---- core's record heap: blocks charged to session accounts ---- */

static heap_t record_heap;

static err_t record_backing_get(void *ctx, size_t size, void **out)
{
	paddr_t pa;
	err_t e = phys_alloc_raw(CORE_OWNER, size, &pa); /* records: no zeroes needed */
	*out = e == ERR_OK ? phys_window(pa) : 0;
	return e;
}

static void record_backing_put(void *ctx, void *base, size_t size)
{
	phys_free((paddr_t)base - CORE_PHYS_WINDOW);
}

static size_t record_backing_avail(void *ctx)
{
	return phys_avail();
}

static const backing_ops_t record_backing_ops = {record_backing_get, record_backing_put,
						 record_backing_avail};
static const backing_t record_backing = {&record_backing_ops, 0};

void records_init(void)
{
	heap_config_t cfg = {.chunk_first = 16384};
	heap_init(&record_heap, &record_backing, &cfg);
}

void records_trim(void)
{
	heap_trim(&record_heap);
}

/* A block remembers what it was charged, in front of what the caller sees. */
#define RECORD_HEAD 16

uint64_t records_cost(size_t size)
{
	return size + RECORD_HEAD + heap_overhead(&record_heap, size + RECORD_HEAD);
}

static err_t charged_alloc(void *self, size_t size, void **out)
{
	records_t *r = self;
	uint64_t cost = records_cost(size);
	*out = 0;
	if (size > MAX_ATTACH_SIZE)
		return ERR_OUT_OF_RAM;
	err_t e = account_charge(r->acct, cost, 0);
	if (e != ERR_OK)
		return e;
	uint64_t *p;
	if ((e = heap_alloc(&record_heap, size + RECORD_HEAD, (void **)&p)) != ERR_OK) {
		account_uncharge(r->acct, cost, 0);
		return e == ERR_NO_MEMORY ? ERR_OUT_OF_RAM : e;
	}
	p[0] = cost;
	*out = (uint8_t *)p + RECORD_HEAD;
	return ERR_OK;
}

static err_t charged_free(void *self, void *ptr)
{
	records_t *r = self;
	if (!ptr)
		return ERR_OK;
	uint64_t *p = (uint64_t *)((uint8_t *)ptr - RECORD_HEAD);
	account_uncharge(r->acct, p[0], 0);
	return heap_free(&record_heap, p);
}

static size_t charged_consumed(const void *self)
{
	return ((const records_t *)self)->acct->ram_used;
}

static size_t charged_overhead(const void *self, size_t size)
{
	return RECORD_HEAD + heap_overhead(&record_heap, size + RECORD_HEAD);
}

static const alloc_ops_t charged_ops = {charged_alloc, charged_free, charged_consumed,
					charged_overhead};

allocator_t account_records(records_t *r)
{
	allocator_t a = {&charged_ops, r};
	return a;
}

void *record_new(const allocator_t *a, size_t size)
{
	void *p;
	if (allocator_alloc(a, size, &p) != ERR_OK)
		return 0;
	memset(p, 0, size);
	return p;
}

void record_delete(const allocator_t *a, void *p)
{
	allocator_free(a, p);
}
