/*
 * Dataspaces: RAM (owned by the PD that allocated it), ROM (a boot module),
 * IO_MEM (device memory) and managed ones (a region map). A dataspace is
 * named by a capability core mints with a badge of table index and
 * generation; a freed dataspace's index gets a new generation, so an old
 * capability names nothing. Destroying a dataspace detaches it from every
 * region map, which unmaps it everywhere.
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

#define MAX_DS 1024

static dataspace_t *table[MAX_DS];
static uint32_t gens[MAX_DS];
static unsigned free_hint; /* no free index below it */

err_t ds_create(component_t *owner, unsigned kind, paddr_t pa, uint64_t size, int writeable,
		int uncached, dataspace_t **out)
{
	unsigned i = free_hint;
	while (i < MAX_DS && table[i])
		i++;
	if (i == MAX_DS || owner->ds_count >= MAX_DS_PER_COMPONENT)
		return ERR_OUT_OF_CAPS;
	free_hint = i;
	uint64_t chunks =
	    kind == DS_RAM && ds_zero_lazily(size) ? (size + DS_ZERO_CHUNK - 1) / DS_ZERO_CHUNK : 0;
	size_t bytes = sizeof(dataspace_t) + (chunks + 63) / 64 * sizeof(uint64_t);
	dataspace_t *ds = comp_new(owner, bytes);
	if (!ds)
		return ERR_OUT_OF_RAM;
	memset(ds, 0, bytes);
	ds->zeroed = chunks ? (uint64_t *)(ds + 1) : 0;
	ds->index = i;
	ds->gen = ++gens[i] & 0xffffff;
	ds->kind = (uint8_t)kind;
	ds->paddr = pa;
	ds->size = size;
	ds->writeable = (uint8_t)writeable;
	ds->uncached = (uint8_t)uncached;
	ds->owner = owner;
	table[i] = ds;
	owner->ds_count++;
	*out = ds;
	return ERR_OK;
}

void ds_destroy(dataspace_t *ds)
{
	while (ds->attachments)
		rmap_remove_attachment(ds->attachments);
	table[ds->index] = 0;
	gens[ds->index]++;
	ds->owner->ds_count--;
	if (ds->index < free_hint)
		free_hint = ds->index;
	if (ds->cap) {
		slot_free(ds->cap);
		uncharge(ds->owner, 0, 1);
	}
	comp_delete(ds->owner, ds);
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
		memset(phys_window(ds->paddr + from), 0, n < DS_ZERO_CHUNK ? n : DS_ZERO_CHUNK);
		*word |= bit;
	}
}

dataspace_t *ds_from_cap(cap_t slot)
{
	word_t badge;
	if (!slot || sys_cap_badge_of(slot, core_ep, &badge) != ERR_OK ||
	    CORE_BADGE_KIND(badge) != BADGE_DATASPACE)
		return 0;
	uint32_t i = CORE_BADGE_INDEX(badge);
	if (i >= MAX_DS || !table[i] || table[i]->gen != CORE_BADGE_GEN(badge))
		return 0;
	return table[i];
}

err_t ds_cap(dataspace_t *ds, cap_t *slot)
{
	if (!ds->cap) {
		err_t e = charge(ds->owner, 0, 1);
		if (e == ERR_OK &&
		    (e = mint(CORE_BADGE(BADGE_DATASPACE, ds->gen, ds->index), &ds->cap)) != ERR_OK)
			uncharge(ds->owner, 0, 1);
		if (e != ERR_OK)
			return e;
	}
	*slot = ds->cap;
	return ERR_OK;
}

void ds_destroy_owned(component_t *c)
{
	for (unsigned i = 0; i < MAX_DS; i++) {
		dataspace_t *ds = table[i];
		if (!ds || ds->owner != c)
			continue;
		if (ds->kind == DS_MANAGED)
			continue; /* its region map destroys it */
		if (ds->kind == DS_RAM)
			comp_free(c, ds->paddr, ds->size);
		ds_destroy(ds);
	}
}
