/*
 * Dataspaces: RAM (owned by the PD that allocated it), ROM (a boot module),
 * IO_MEM (device memory) and managed ones (a region map). A dataspace is
 * named by a capability core mints with the dataspace's badge, which is
 * never reused, so an old capability names nothing once the dataspace is
 * gone. Destroying a dataspace detaches it from every region map, which
 * unmaps it everywhere; only then may its memory go back.
 *
 * A RAM dataspace reads as zeroes until written. Up to DS_ZERO_EAGER bytes
 * are zeroed when allocated; a larger one is zeroed a DS_ZERO_CHUNK at a
 * time, just before the pager first maps a page of the chunk (ds_zero), so
 * that no request zeroes more than a large page: a bit per chunk says it
 * was done. Pages become visible only through the pager, so a chunk whose
 * bit is clear was never seen by anybody.
 */
#include "core.h"
#include <mem.h>

err_t ds_create(const allocator_t *md, component_t *owner, unsigned kind, paddr_t pa, uint64_t size,
		int writeable, int uncached, dataspace_t **out)
{
	uint64_t chunks =
	    kind == DS_RAM && ds_zero_lazily(size) ? (size + DS_ZERO_CHUNK - 1) / DS_ZERO_CHUNK : 0;
	dataspace_t *ds = record_new(md, sizeof(*ds) + (chunks + 63) / 64 * sizeof(uint64_t));
	if (!ds)
		return ERR_OUT_OF_RAM;
	ds->zeroed = chunks ? (uint64_t *)(ds + 1) : 0;
	ds->kind = (uint8_t)kind;
	ds->paddr = pa;
	ds->size = size;
	ds->writeable = (uint8_t)writeable;
	ds->uncached = (uint8_t)uncached;
	ds->md = md;
	registry_add(&ds->reg, BADGE_DATASPACE);
	if (kind == DS_RAM) {
		ds->owner = owner;
		ds->next_owned = owner->owned;
		owner->owned = ds;
	}
	*out = ds;
	return ERR_OK;
}

static void unlink_owned(dataspace_t *ds)
{
	for (dataspace_t **pp = &ds->owner->owned; *pp; pp = &(*pp)->next_owned)
		if (*pp == ds) {
			*pp = ds->next_owned;
			return;
		}
}

void ds_destroy(dataspace_t *ds)
{
	while (ds->attachments)
		rmap_remove_attachment(ds->attachments);
	registry_remove(&ds->reg);
	if (ds->owner)
		unlink_owned(ds);
	if (ds->cap) {
		slot_free(ds->cap);
		account_uncharge(ds->cap_acct, 0, 1);
	}
	record_delete(ds->md, ds);
}

void ds_zero(dataspace_t *ds, uint64_t off, uint64_t size)
{
	if (!ds->zeroed)
		return;
	for (uint64_t c = off / DS_ZERO_CHUNK; c * DS_ZERO_CHUNK < off + size; c++) {
		uint64_t *word = &ds->zeroed[c / 64], bit = 1ull << (c % 64);
		if (*word & bit)
			continue;
		uint64_t from = c * DS_ZERO_CHUNK, n = ds->size - from;
		phys_zero(ds->paddr + from, n < DS_ZERO_CHUNK ? n : DS_ZERO_CHUNK);
		*word |= bit;
	}
}

dataspace_t *ds_from_badge(word_t badge)
{
	if (CORE_BADGE_KIND(badge) != BADGE_DATASPACE)
		return 0;
	return (dataspace_t *)registry_find(badge);
}

err_t ds_cap(dataspace_t *ds, account_t *acct, cap_t *slot)
{
	if (!ds->cap) {
		err_t e = account_charge(acct, 0, 1);
		if (e == ERR_OK && (e = mint(ds->reg.badge, &ds->cap)) != ERR_OK)
			account_uncharge(acct, 0, 1);
		if (e != ERR_OK)
			return e;
		ds->cap_acct = acct;
	}
	*slot = ds->cap;
	return ERR_OK;
}

void ds_free_owned(component_t *c)
{
	while (c->owned) {
		dataspace_t *ds = c->owned;
		paddr_t pa = ds->paddr;
		uint64_t size = ds->size;
		ds_destroy(ds); /* unmapped everywhere before the memory goes back */
		account_free(&c->acct, pa, size);
	}
}
