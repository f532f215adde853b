/*
 * Protection domains. Destroying one destroys its threads, drops every user
 * mapping (so mapped frames lose a mapping count) and releases the frames
 * of its page tables, capability leaves and I/O bitmap; core, which
 * donated all of them, takes them back into its free pool.
 */
#include <pd.h>
#include <thread.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <kstring.h>
#include <panic.h>
#include <abi/syscall.h>

pd_t *pd_create(paddr_t frame, paddr_t root)
{
	pd_t *pd = vm_phys_to_virt(frame);
	pd->head.type = OBJ_PD;
	pd->root = root;
	vm_root_init(root);
	return pd;
}

cap_t pd_slot_count(const pd_t *pd)
{
	return PD_SLOTS_INLINE + pd->leaf_count * PD_SLOTS_PER_LEAF;
}

err_t pd_grow(pd_t *pd, paddr_t frame)
{
	if (pd->leaf_count == PD_LEAVES_MAX)
		return ERR_NO_SLOT;
	pd->leaves[pd->leaf_count++] = vm_phys_to_virt(frame);
	return ERR_OK;
}

void pd_destroy(pd_t *pd)
{
	while (pd->threads)
		thread_destroy(pd->threads);
	if (current && current->pd == pd)
		panic("pd_destroy: destroying the running PD");
	vm_teardown(pd->root, frame_unmapped, frame_release);
	frame_release(pd->root);
	for (unsigned i = 0; i < pd->leaf_count; i++)
		frame_release(vm_virt_to_phys(pd->leaves[i]));
	for (unsigned i = 0; pd->io_frames && i < IO_PORTS_FRAMES; i++)
		frame_release(pd->io_frames + i * PAGE_SIZE);
	frame_release(vm_virt_to_phys(pd));
}
