/*
 * Accounts and the records core keeps. A component's account is funded by
 * the quota its parent gave it; a session's by the quota its client
 * donated when opening it, which moved from the client's account. Records
 * for a component come from its own heap, whose frames are charged to it;
 * records for a session come from frames of the session's own, charged to
 * its account, so that what a session needs is paid from its donation and
 * returns, to the frame, when it closes.
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
	if (a->ram_used > a->ram_peak)
		a->ram_peak = a->ram_used;
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

/*
 * ---- a session's records: in frames of its own, charged to its account ----
 *
 * No two sessions share a frame, so what one session holds can never keep
 * memory another session's donation paid for: closing a session returns
 * exactly its frames. Records up to RECORD_SLOT bytes take a slot of a
 * slot page (a page header and 15 slots); larger ones take whole pages of
 * their own, a header in front. Both kinds return their frames as soon as
 * they are empty.
 */
#define RECORD_SLOT 256
#define SLOTS_PER_PAGE (PAGE_SIZE / RECORD_SLOT - 1)

typedef struct record_page {
	struct record_page *next, *prev; /* the session's slot pages */
	void *free;			 /* free slots, through their first word */
	unsigned used;
	paddr_t pa;
} record_page_t;

typedef struct {
	uint64_t bytes; /* of the block, header included: whole pages */
	paddr_t pa;
} big_head_t;

_Static_assert(sizeof(record_page_t) <= RECORD_SLOT, "the header fits the first slot");
_Static_assert(sizeof(big_head_t) <= 16, "a large record's header keeps 16-byte alignment");

uint64_t records_cost(size_t size)
{
	return size <= RECORD_SLOT ? PAGE_SIZE : (size + 16 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* slot_page_new: a fresh slot page for r, its slots on the free list. OUT_OF_RAM. */
static err_t slot_page_new(records_t *r, record_page_t **out)
{
	paddr_t pa;
	err_t e = account_alloc_raw(r->acct, PAGE_SIZE, &pa);
	if (e != ERR_OK)
		return e;
	record_page_t *pg = phys_window(pa);
	memset(pg, 0, sizeof(*pg));
	pg->pa = pa;
	for (unsigned i = SLOTS_PER_PAGE; i >= 1; i--) {
		void **slot = (void **)((uint8_t *)pg + i * RECORD_SLOT);
		*slot = pg->free;
		pg->free = slot;
	}
	pg->next = r->pages;
	if (r->pages)
		r->pages->prev = pg;
	r->pages = pg;
	*out = pg;
	return ERR_OK;
}

static err_t slot_alloc_in(records_t *r, void **out)
{
	record_page_t *pg = r->pages;
	while (pg && !pg->free)
		pg = pg->next;
	err_t e = pg ? ERR_OK : slot_page_new(r, &pg);
	if (e != ERR_OK)
		return e;
	void **slot = pg->free;
	pg->free = *slot;
	pg->used++;
	*out = slot;
	return ERR_OK;
}

static void slot_free_in(records_t *r, void *p)
{
	record_page_t *pg = (record_page_t *)((uint64_t)p & ~(PAGE_SIZE - 1));
	*(void **)p = pg->free;
	pg->free = p;
	if (--pg->used)
		return;
	if (pg->prev) /* empty: the frame goes back to the session's account */
		pg->prev->next = pg->next;
	else
		r->pages = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	account_free(r->acct, pg->pa, PAGE_SIZE);
}

static err_t charged_alloc(void *self, size_t size, void **out)
{
	records_t *r = self;
	*out = 0;
	if (size > MAX_ATTACH_SIZE)
		return ERR_OUT_OF_RAM;
	if (size <= RECORD_SLOT)
		return slot_alloc_in(r, out);
	uint64_t bytes = records_cost(size);
	paddr_t pa;
	err_t e = account_alloc_raw(r->acct, bytes, &pa);
	if (e != ERR_OK)
		return e;
	big_head_t *h = phys_window(pa);
	h->bytes = bytes, h->pa = pa;
	*out = (uint8_t *)h + 16;
	return ERR_OK;
}

static err_t charged_free(void *self, void *ptr)
{
	records_t *r = self;
	if (!ptr)
		return ERR_OK;
	if ((uint64_t)ptr & (PAGE_SIZE - 1) & ~(uint64_t)(RECORD_SLOT - 1)) {
		slot_free_in(r, ptr); /* a slot: past the first slot of its page */
		return ERR_OK;
	}
	big_head_t *h = (big_head_t *)((uint8_t *)ptr - 16);
	account_free(r->acct, h->pa, h->bytes);
	return ERR_OK;
}

static size_t charged_consumed(const void *self)
{
	return ((const records_t *)self)->acct->ram_used;
}

static size_t charged_overhead(const void *self, size_t size)
{
	return records_cost(size) - size;
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
