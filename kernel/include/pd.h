/* Protection domains: a page-table root, a capability table, its threads. */
#pragma once

#include <object.h>
#include <abi/slots.h>

#define PD_SLOTS_INLINE 160 /* capability slots in the PD's own frame */
#define PD_SLOTS_PER_LEAF (4096 / sizeof(cap_entry_t))
_Static_assert(PD_SLOTS_PER_LEAF == CAP_SLOTS_PER_PAGE, "a leaf holds what the ABI states");
#define PD_LEAVES_MAX 24
_Static_assert(PD_SLOTS_INLINE == SLOT_COUNT_MIN, "the ABI promises the inline slots");

struct pd {
	obj_t head;
	uint8_t pad0;
	uint16_t leaf_count;
	uint32_t thread_count;
	paddr_t root;	   /* page-table root */
	paddr_t io_frames; /* IO_PORTS_FRAMES frames of its I/O bitmap, or 0: no ports */
	thread_t *threads; /* list through thread_t.pd_next */
	cap_entry_t *leaves[PD_LEAVES_MAX];
	char name[24];
	cap_entry_t slots[PD_SLOTS_INLINE];
};

_Static_assert(sizeof(pd_t) <= 4096, "a PD fits its frame");

/* pd_create: a PD in frame (already claimed) with page-table root frame root. */
pd_t *pd_create(paddr_t frame, paddr_t root);

/* pd_destroy: destroy the PD's threads, drop its mappings, release its frames. */
void pd_destroy(pd_t *pd);

/* pd_grow: add frame (already claimed) as another leaf of capability slots. NO_SLOT when full. */
err_t pd_grow(pd_t *pd, paddr_t frame);

/* pd_slot_count: number of capability slots pd has. */
cap_t pd_slot_count(const pd_t *pd);
