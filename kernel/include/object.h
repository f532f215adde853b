/*
 * Kernel objects and capabilities.
 *
 * Every object lives at the start of its own frame, which core donated. A
 * capability names the object by its frame number and records the frame's
 * generation at the time it was made; destroying an object bumps that
 * generation, so every capability to it turns stale at once, without a
 * search, and a later object in the same frame cannot be reached through it.
 * Generations are 64 bits and never wrap (frame.h), so a recorded value
 * never matches again once the frame moved past it, however often a
 * component has core create and destroy objects in that frame. The kernel
 * object has no frame: its entries hold frame 0 (low memory, never an
 * object) and are checked by type.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/syscall.h>
#include <frame.h>

typedef struct pd pd_t;
typedef struct thread thread_t;
typedef struct endpoint endpoint_t;
typedef struct signal signal_t;
typedef struct irq irq_t;

/* The common head of every object. */
typedef struct {
	uint8_t type; /* enum obj_type */
} obj_t;

/* A reference that survives its target's destruction: check with obj_ref_get. */
typedef struct {
	obj_t *obj;
	frame_gen_t gen;
} obj_ref_t;

/*
 * A capability. The object is named by frame number rather than address,
 * which leaves room for a 64-bit generation within 24 bytes.
 */
typedef struct {
	frame_gen_t gen; /* the frame's generation when the capability was made */
	word_t badge;
	uint32_t pfn; /* the object's frame; 0 for the kernel object */
	uint8_t type; /* OBJ_NONE: free slot */
	uint8_t rights;
	uint16_t pad;
} cap_entry_t;

_Static_assert(sizeof(cap_entry_t) == 24, "cap entries are packed into PD and leaf frames");
_Static_assert(sizeof(((cap_entry_t *)0)->gen) == sizeof(frame_gen_t), "a full generation");
_Static_assert((VM_DIRECT_MAP_SIZE >> PAGE_SHIFT) - 1 <= UINT32_MAX,
	       "every frame number fits a capability");

/*
 * cap_entry_live: the entry names a live object. While the frame's
 * generation is the one recorded, the frame still holds the very object the
 * capability was made for: generations only grow and never wrap, so once
 * the object died no later one in the frame brings the value back. The
 * kernel object has no frame.
 */
static inline int cap_entry_live(const cap_entry_t *e)
{
	if (e->type == OBJ_NONE)
		return 0;
	return e->type == OBJ_KERNEL || frame_table[e->pfn].gen == e->gen;
}

/* cap_entry_obj: the object a live entry names (not for the kernel object, which has no frame). */
static inline obj_t *cap_entry_obj(const cap_entry_t *e)
{
	return frame_object(e->pfn);
}

/* obj_ref_make / obj_ref_get: a checked reference; get gives NULL once the object died. */
obj_ref_t obj_ref_make(obj_t *obj);
obj_t *obj_ref_get(obj_ref_t ref, uint8_t type);

/*
 * cap_lookup: the object behind slot in pd, checked for type (OBJ_NONE:
 * any) and rights. Errors: INVALID_CAP (empty, out of range or stale),
 * WRONG_TYPE, NO_RIGHTS.
 */
err_t cap_lookup(pd_t *pd, cap_t slot, uint8_t type, uint8_t rights, cap_entry_t **out);

/* cap_install: put a capability to obj into an empty slot. SLOT_IN_USE, INVALID_CAP. */
err_t cap_install(pd_t *pd, cap_t slot, obj_t *obj, uint8_t rights, word_t badge);

/* cap_copy: copy entry into an empty slot (with narrowed rights and a new badge if given). */
err_t cap_copy(pd_t *pd, cap_t slot, const cap_entry_t *entry);

/* cap_delete: empty a slot. INVALID_CAP if out of range or empty. */
err_t cap_delete(pd_t *pd, cap_t slot);

/* cap_slot: the entry for slot, or NULL beyond the table. */
cap_entry_t *cap_slot(pd_t *pd, cap_t slot);
