/*
 * Capability tables. Slots 0..PD_SLOTS_INLINE-1 live in the PD's frame,
 * further slots in leaf frames that core donates (pd_grow). An entry is
 * valid while its type is not OBJ_NONE and the generation it recorded
 * still matches its object's frame. Generations are 64 bits and only grow
 * (frame_release), so they never come round to a value an old entry holds,
 * however many objects core creates and destroys in one frame. An entry
 * names its object by frame number (objects start at their frame), which
 * keeps it at 24 bytes with the full generation; the kernel object is never
 * in a frame table, so its entries hold frame 0 and are checked by type
 * alone. A stale entry stays occupied until its holder deletes it, so that
 * a slot number the holder remembers never silently comes to name
 * something else.
 */
#include <object.h>
#include <pd.h>
#include <frame.h>
#include <abi/slots.h>

extern obj_t kernel_object;

obj_ref_t obj_ref_make(obj_t *obj)
{
	obj_ref_t r = {obj, obj ? frame_gen(obj) : 0};
	return r;
}

obj_t *obj_ref_get(obj_ref_t ref, uint8_t type)
{
	if (!ref.obj || frame_gen(ref.obj) != ref.gen || ref.obj->type != type)
		return 0;
	return ref.obj;
}

cap_entry_t *cap_slot(pd_t *pd, cap_t slot)
{
	if (slot < PD_SLOTS_INLINE)
		return &pd->slots[slot];
	cap_t i = slot - PD_SLOTS_INLINE;
	if (i / PD_SLOTS_PER_LEAF >= pd->leaf_count)
		return 0;
	return &pd->leaves[i / PD_SLOTS_PER_LEAF][i % PD_SLOTS_PER_LEAF];
}

err_t cap_lookup(pd_t *pd, cap_t slot, uint8_t type, uint8_t rights, cap_entry_t **out)
{
	cap_entry_t *e;
	if (slot - 1u < PD_SLOTS_INLINE - 1u)
		e = &pd->slots[slot];
	else if (!slot || !(e = cap_slot(pd, slot)))
		return ERR_INVALID_CAP;
	if (!cap_entry_live(e))
		return ERR_INVALID_CAP;
	if (type != OBJ_NONE && e->type != type)
		return ERR_WRONG_TYPE;
	if ((e->rights & rights) != rights)
		return ERR_NO_RIGHTS;
	*out = e;
	return ERR_OK;
}

err_t cap_install(pd_t *pd, cap_t slot, obj_t *obj, uint8_t rights, word_t badge)
{
	cap_entry_t *e = slot ? cap_slot(pd, slot) : 0;
	if (!e)
		return ERR_INVALID_CAP;
	if (e->type != OBJ_NONE)
		return ERR_SLOT_IN_USE; /* stale entries too: the owner deletes them */
	int in_frame = obj != &kernel_object;
	e->pfn = in_frame ? frame_pfn(obj) : 0;
	e->gen = in_frame ? frame_gen(obj) : 0;
	e->type = obj->type;
	e->rights = rights;
	e->badge = badge;
	return ERR_OK;
}

err_t cap_copy(pd_t *pd, cap_t slot, const cap_entry_t *src)
{
	cap_entry_t *e = slot ? cap_slot(pd, slot) : 0;
	if (!e)
		return ERR_INVALID_CAP;
	if (e->type != OBJ_NONE)
		return ERR_SLOT_IN_USE;
	*e = *src;
	return ERR_OK;
}

err_t cap_delete(pd_t *pd, cap_t slot)
{
	cap_entry_t *e = slot ? cap_slot(pd, slot) : 0;
	if (!e || e->type == OBJ_NONE)
		return ERR_INVALID_CAP;
	e->type = OBJ_NONE;
	e->pfn = 0;
	return ERR_OK;
}
