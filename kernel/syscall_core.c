/*
 * The privileged system calls, authorised by the kernel capability in
 * ARG(0), which only core holds. Core is trusted with policy, not with the
 * kernel's integrity: frames are checked against the frame table, so core
 * can neither map a kernel object nor build one in a frame still mapped.
 */
#include "syscall_core.h"
#include <pd.h>
#include <thread.h>
#include <ipc.h>
#include <signal.h>
#include <sched.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <kstring.h>
#include <abi/slots.h>

#define MAP_FLAGS_ALL (MAP_WRITE | MAP_EXEC | MAP_UNCACHED)
#define UNMAP_MAX_PAGES (1ull << 24)

#define KERNEL_AUTH() LOOKUP(ARG(0), OBJ_KERNEL, 0, kernel)

/* check_frame: may frame become a kernel object (without claiming it yet)? */
static err_t check_frame(word_t pa)
{
	frame_info_t *fi = frame_info(pa);
	if ((pa & (PAGE_SIZE - 1)) || !fi)
		return ERR_BAD_ADDRESS;
	return fi->type == FRAME_USER && !fi->mapcount ? ERR_OK : ERR_BUSY;
}

static err_t check_empty_slot(word_t slot)
{
	cap_entry_t *e;
	if (slot == 0 || slot > 0xffffffffull || !cap_slot(current->pd, (cap_t)slot))
		return ERR_INVALID_CAP;
	return cap_lookup(current->pd, (cap_t)slot, OBJ_NONE, 0, &e) == ERR_OK ? ERR_SLOT_IN_USE
									       : ERR_OK;
}

/* decode_create: the type-specific checks of SYS_CREATE. */
static err_t decode_create(trap_frame_t *f, word_t type, pd_t **pd)
{
	switch (type) {
	case OBJ_PD:
		if (ARG(4) == ARG(3))
			return ERR_INVALID_ARGS;
		return check_frame(ARG(4));
	case OBJ_THREAD: {
		LOOKUP(ARG(4), OBJ_PD, RIGHT_CTRL, p);
		if (ARG(5) > PRIORITY_MAX)
			return ERR_INVALID_ARGS;
		*pd = (pd_t *)cap_entry_obj(p_cap);
		return ERR_OK;
	}
	case OBJ_ENDPOINT:
	case OBJ_SIGNAL: return ERR_OK;
	case OBJ_IRQ: return ARG(4) < 16 ? ERR_OK : ERR_INVALID_ARGS;
	default: return ERR_INVALID_ARGS;
	}
}

/* perform_create: build the object of type in the claimed frame. */
static err_t perform_create(trap_frame_t *f, word_t type, pd_t *pd, obj_t **obj)
{
	paddr_t frame = ARG(3);
	switch (type) {
	case OBJ_PD:
		frame_claim(ARG(4));
		*obj = &pd_create(frame, ARG(4))->head;
		return ERR_OK;
	case OBJ_THREAD: *obj = &thread_create(frame, pd, (unsigned)ARG(5))->head; return ERR_OK;
	case OBJ_ENDPOINT: *obj = &endpoint_create(frame)->head; return ERR_OK;
	case OBJ_SIGNAL: *obj = &signal_create(frame)->head; return ERR_OK;
	default: {
		irq_t *irq;
		err_t e = irq_create(frame, (unsigned)ARG(4), &irq);
		*obj = &irq->head;
		return e;
	}
	}
}

err_t sys_create(trap_frame_t *f)
{
	KERNEL_AUTH();
	word_t type = ARG(1);
	pd_t *pd = 0;
	err_t e = check_empty_slot(ARG(2));
	if (e == ERR_OK)
		e = check_frame(ARG(3));
	if (e == ERR_OK)
		e = decode_create(f, type, &pd);
	if (e != ERR_OK)
		return e;
	frame_claim(ARG(3));
	obj_t *obj;
	e = perform_create(f, type, pd, &obj);
	if (e != ERR_OK) { /* only an IRQ line can turn out busy */
		frame_release(ARG(3));
		return e;
	}
	return cap_install(current->pd, (cap_t)ARG(2), obj, RIGHTS_ALL, 0);
}

err_t sys_destroy(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_NONE, RIGHT_CTRL, c);
	obj_t *obj = cap_entry_obj(c_cap);
	switch (c_cap->type) {
	case OBJ_PD:
		if ((pd_t *)obj == current->pd)
			return ERR_BUSY;
		pd_destroy((pd_t *)obj);
		break;
	case OBJ_THREAD:
		if ((thread_t *)obj == current)
			return ERR_BUSY;
		thread_destroy((thread_t *)obj);
		break;
	case OBJ_ENDPOINT: endpoint_destroy((endpoint_t *)obj); break;
	case OBJ_SIGNAL: signal_destroy((signal_t *)obj); break;
	case OBJ_IRQ: irq_destroy((irq_t *)obj); break;
	default: return ERR_DENIED; /* the kernel object is forever */
	}
	cap_delete(current->pd, (cap_t)ARG(1));
	return ERR_OK;
}

err_t sys_map(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	word_t va = ARG(2), pa = ARG(3), flags = ARG(4);
	if (flags & ~(word_t)MAP_FLAGS_ALL)
		return ERR_INVALID_ARGS;
	frame_info_t *fi = frame_info(pa);
	if (fi && (fi->type == FRAME_KOBJ || fi->type == FRAME_KERNEL))
		return ERR_DENIED;
	if (pa >= (1ull << 52))
		return ERR_BAD_ADDRESS;
	err_t e = vm_map(((pd_t *)cap_entry_obj(p_cap))->root, va, pa, (unsigned)flags, 0);
	if (e == ERR_OK && fi)
		fi->mapcount++;
	return e;
}

err_t sys_unmap(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	word_t va = ARG(2), pages = ARG(3);
	if ((va & (PAGE_SIZE - 1)) || va >= USER_TOP || pages > UNMAP_MAX_PAGES ||
	    pages * PAGE_SIZE > USER_TOP - va)
		return ERR_BAD_ADDRESS;
	for (word_t i = 0; i < pages; i++) {
		paddr_t pa;
		if (vm_unmap(((pd_t *)cap_entry_obj(p_cap))->root, va + i * PAGE_SIZE, &pa) !=
		    ERR_OK)
			continue;
		frame_info_t *fi = frame_info(pa);
		if (fi && fi->mapcount)
			fi->mapcount--;
	}
	return ERR_OK;
}

err_t sys_pt_add(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	if (ARG(2) >= USER_TOP)
		return ERR_BAD_ADDRESS;
	err_t e = check_frame(ARG(3));
	if (e != ERR_OK)
		return e;
	frame_claim(ARG(3));
	e = vm_pt_add(((pd_t *)cap_entry_obj(p_cap))->root, ARG(2), ARG(3));
	if (e != ERR_OK)
		frame_release(ARG(3));
	return e;
}

err_t sys_cap_mint(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	LOOKUP(ARG(3), OBJ_NONE, 0, src);
	if (src_cap->type == OBJ_KERNEL)
		return ERR_DENIED;
	if (ARG(5) & ~(word_t)RIGHTS_ALL)
		return ERR_INVALID_ARGS;
	if (ARG(2) == 0 || ARG(2) > 0xffffffffull)
		return ERR_INVALID_CAP;
	cap_entry_t e = *src_cap;
	e.badge = ARG(4);
	e.rights &= (uint8_t)ARG(5);
	return cap_copy((pd_t *)cap_entry_obj(p_cap), (cap_t)ARG(2), &e);
}

err_t sys_thread_start(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_THREAD, RIGHT_CTRL, t);
	thread_start_t p;
	memcpy(&p, current->utcb->mr, sizeof(p));
	if (p.ip >= USER_TOP || p.sp >= USER_TOP || p.utcb_vaddr >= USER_TOP ||
	    (p.utcb_vaddr & (PAGE_SIZE - 1)))
		return ERR_BAD_ADDRESS;
	frame_info_t *fi = frame_info(p.utcb_paddr);
	if ((p.utcb_paddr & (PAGE_SIZE - 1)) || !fi || fi->type != FRAME_USER)
		return ERR_BAD_ADDRESS;
	obj_ref_t pager = {0, 0};
	if (p.pager_slot) {
		LOOKUP(p.pager_slot, OBJ_ENDPOINT, RIGHT_SEND, pg);
		pager = obj_ref_make(cap_entry_obj(pg_cap));
		p.pager_badge = pg_cap->badge; /* the pager learns the thread from the badge */
	}
	return thread_start((thread_t *)cap_entry_obj(t_cap), &p, pager, p.utcb_paddr);
}

err_t sys_thread_state(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_THREAD, RIGHT_CTRL, t);
	thread_t *th = (thread_t *)cap_entry_obj(t_cap);
	switch (ARG(2)) {
	case THREAD_STATE_READ:
		arch_thread_read_regs(th, (thread_regs_t *)current->utcb->mr);
		ARG(3) = th->state;
		return ERR_OK;
	case THREAD_STATE_WRITE:
		if (th == current || th->state == THREAD_RUNNING)
			return ERR_BUSY;
		return arch_thread_write_regs(th, (const thread_regs_t *)current->utcb->mr);
	case THREAD_STATE_STOP:
		if (th == current || th->state == THREAD_INACTIVE)
			return ERR_BUSY;
		ipc_abort_thread(th);
		sched_remove(th);
		thread_stop(th);
		return ERR_OK;
	case THREAD_STATE_RESUME:
		if (th->state != THREAD_STOPPED)
			return ERR_BUSY;
		th->in_fault = 0;
		sched_ready(th);
		return ERR_OK;
	default: return ERR_INVALID_ARGS;
	}
}

err_t sys_irq_bind(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_IRQ, RIGHT_CTRL, irq);
	LOOKUP(ARG(2), OBJ_SIGNAL, RIGHT_SEND, s);
	irq_bind((irq_t *)cap_entry_obj(irq_cap), (signal_t *)cap_entry_obj(s_cap));
	return ERR_OK;
}

err_t sys_cap_table_grow(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	pd_t *pd = (pd_t *)cap_entry_obj(p_cap);
	if (pd->leaf_count == PD_LEAVES_MAX)
		return ERR_NO_SLOT;
	err_t e = check_frame(ARG(2));
	if (e != ERR_OK)
		return e;
	frame_claim(ARG(2));
	return pd_grow(pd, ARG(2));
}

/* check_io_frames: the IO_PORTS_FRAMES frames from pa can become an I/O bitmap. */
static err_t check_io_frames(word_t pa)
{
	if (pa + IO_PORTS_FRAMES * PAGE_SIZE < pa)
		return ERR_BAD_ADDRESS;
	for (unsigned i = 0; i < IO_PORTS_FRAMES; i++) {
		err_t e = check_frame(pa + i * PAGE_SIZE);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* io_attach: the checked frames at pa become pd's I/O bitmap, every port closed. */
static void io_attach(pd_t *pd, word_t pa)
{
	for (unsigned i = 0; i < IO_PORTS_FRAMES; i++)
		frame_claim(pa + i * PAGE_SIZE);
	arch_io_attach(pd->root, pa);
	pd->io_frames = pa;
}

err_t sys_pd_io_ports(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	pd_t *pd = (pd_t *)cap_entry_obj(p_cap);
	word_t base = ARG(2), size = ARG(3), allow = ARG(4);
	if (size == 0 || base > 0xffff || size > 0x10000 - base || allow > 1)
		return ERR_INVALID_ARGS;
	if (allow && arch_io_kernel_ports((unsigned)base, (unsigned)size))
		return ERR_DENIED;
	if (!pd->io_frames && !allow)
		return ERR_OK; /* no bitmap: every port is closed already */
	if (!pd->io_frames) {
		err_t e = check_io_frames(ARG(5));
		if (e != ERR_OK)
			return e;
		io_attach(pd, ARG(5));
	}
	arch_io_set(pd->io_frames, (unsigned)base, (unsigned)size, (int)allow);
	return ERR_OK;
}
