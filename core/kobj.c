/* core's capability slots, the capabilities it mints, kernel objects it makes. */
#include "core.h"

#define SLOT_LIMIT (160 + 16 * 170)

static cap_t next_slot = SLOT_FIRST_FREE;
static cap_t free_slots[SLOT_LIMIT];
static unsigned free_slot_count;
static uint8_t on_free_list[SLOT_LIMIT];

/* slot_take: the next candidate slot, or 0 when the table is full. */
static cap_t slot_take(void)
{
	if (free_slot_count) {
		cap_t s = free_slots[--free_slot_count];
		on_free_list[s] = 0;
		return s;
	}
	return next_slot < SLOT_LIMIT ? next_slot++ : 0;
}

/* slot_alloc: an empty slot; skips slots the kernel filled with received capabilities. */
cap_t slot_alloc(void)
{
	word_t type, rights, badge;
	cap_t s;
	while ((s = slot_take()) && sys_cap_identify(s, &type, &rights, &badge) == ERR_OK)
		; /* a capability the kernel put there on receive: its request frees it */
	if (s)
		sys_cap_delete(s); /* a stale entry stays occupied until deleted */
	return s;
}

uint64_t slot_available(void)
{
	return SLOT_LIMIT - next_slot + free_slot_count;
}

void slot_free(cap_t slot)
{
	if (!slot)
		return;
	sys_cap_delete(slot);
	if (slot >= SLOT_LIMIT || on_free_list[slot])
		return; /* freed twice: keep the list a set */
	on_free_list[slot] = 1;
	free_slots[free_slot_count++] = slot;
}

err_t mint(word_t badge, cap_t *slot)
{
	cap_t s = slot_alloc();
	if (!s)
		return ERR_OUT_OF_CAPS;
	err_t e = sys6(SYS_CAP_MINT, SLOT_KERNEL, SLOT_SELF_PD, s, core_ep, badge, RIGHT_SEND);
	if (e != ERR_OK) {
		slot_free(s);
		return e;
	}
	*slot = s;
	return ERR_OK;
}

err_t kobj_create_at(unsigned owner, word_t type, word_t arg0, word_t arg1, cap_t *slot,
		     paddr_t *frame_out)
{
	paddr_t frame = 0, extra = 0;
	cap_t s = slot_alloc();
	if (!s)
		return ERR_OUT_OF_CAPS;
	err_t e = phys_alloc_raw(owner, PAGE_SIZE, &frame); /* the kernel zeroes what it claims */
	if (e == ERR_OK && type == OBJ_PD &&
	    (e = phys_alloc_raw(owner, PAGE_SIZE, &extra)) == ERR_OK)
		arg0 = extra;
	if (e == ERR_OK)
		e = sys6(SYS_CREATE, SLOT_KERNEL, type, s, frame, arg0, arg1);
	if (e != ERR_OK) {
		if (frame)
			phys_free(frame);
		if (extra)
			phys_free(extra);
		slot_free(s);
		return e;
	}
	*slot = s;
	if (frame_out)
		*frame_out = frame;
	return ERR_OK;
}

err_t kobj_create(unsigned owner, word_t type, word_t arg0, word_t arg1, cap_t *slot)
{
	return kobj_create_at(owner, type, arg0, arg1, slot, 0);
}
