/* The capabilities core mints and the kernel objects it makes, each in a slot of its own. */
#include "core.h"

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
	err_t e = phys_alloc(owner, &frame);
	if (e == ERR_OK && type == OBJ_PD && (e = phys_alloc(owner, &extra)) == ERR_OK)
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
