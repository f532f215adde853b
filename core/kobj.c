/* The capabilities core mints and the kernel objects it makes, each in a slot of its own. */
#include "core.h"

err_t mint(word_t badge, cap_t *slot)
{
	cap_t s = slot_alloc();
	if (!s)
		return ERR_OUT_OF_CAPS;
	err_t e = sys6(SYS_CAP_MINT, SLOT_KERNEL, SLOT_SELF_PD, s, core_ep, badge, RIGHT_SEND);
	if (e != ERR_OK) {
		slot_release(s);
		return e;
	}
	*slot = s;
	return ERR_OK;
}

err_t kobj_create(account_t *a, word_t type, word_t arg0, word_t arg1, cap_t *slot,
		  paddr_t *frame_out)
{
	uint64_t frames = type == OBJ_PD ? 2 : 1;
	paddr_t frame = 0, root = 0;
	err_t e = account_charge(a, frames * PAGE_SIZE, 1);
	if (e != ERR_OK)
		return e;
	cap_t s = slot_alloc();
	if (!s)
		e = ERR_OUT_OF_CAPS; /* core's table: sized for the quotas it hands out */
	if (e == ERR_OK)	     /* the kernel zeroes what it claims */
		e = phys_alloc_raw(a->owner, PAGE_SIZE, &frame);
	if (e == ERR_OK && type == OBJ_PD &&
	    (e = phys_alloc_raw(a->owner, PAGE_SIZE, &root)) == ERR_OK)
		arg0 = root;
	if (e == ERR_OK)
		e = sys6(SYS_CREATE, SLOT_KERNEL, type, s, frame, arg0, arg1);
	if (e != ERR_OK) {
		if (frame)
			phys_free(frame);
		if (root)
			phys_free(root);
		slot_release(s);
		account_uncharge(a, frames * PAGE_SIZE, 1);
		return e;
	}
	*slot = s;
	if (frame_out)
		*frame_out = frame;
	return ERR_OK;
}

void kobj_destroy(account_t *a, cap_t slot, paddr_t frame)
{
	if (!slot)
		return;
	sys6(SYS_DESTROY, SLOT_KERNEL, slot, 0, 0, 0, 0);
	slot_free(slot);
	if (frame)
		phys_free(frame); /* the kernel released it on destroy */
	account_uncharge(a, PAGE_SIZE, 1);
}

/* ---- the registry of badges ---- */

static avl_tree_t registry;
static uint64_t next_serial = 1;

static int badge_cmp(const avl_node_t *a, const avl_node_t *b)
{
	word_t x = ((const reg_node_t *)a)->badge, y = ((const reg_node_t *)b)->badge;
	return x < y ? -1 : x > y;
}

void registry_add(reg_node_t *n, unsigned kind)
{
	if (!registry.cmp)
		avl_init(&registry, badge_cmp, 0);
	n->badge = CORE_BADGE(kind, next_serial++);
	avl_insert(&registry, &n->avl);
}

void registry_remove(reg_node_t *n)
{
	avl_remove(&registry, &n->avl);
	n->badge = 0;
}

reg_node_t *registry_find(word_t badge)
{
	avl_node_t *n = registry.root;
	while (n) {
		word_t b = ((reg_node_t *)n)->badge;
		if (b == badge)
			return (reg_node_t *)n;
		n = n->child[badge > b];
	}
	return 0;
}

size_t registry_count(void)
{
	return registry.count;
}
