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

#define MAP_FLAGS_ALL (MAP_WRITE | MAP_EXEC | MAP_UNCACHED | MAP_LARGE)
/*
 * Table entries one SYS_UNMAP call may visit: bounds the call (about 20
 * instructions an entry) and still finishes a page table in one call.
 */
#define UNMAP_BUDGET 2048
_Static_assert(UNMAP_BUDGET >= 516, "vm_unmap needs room for one page table");
_Static_assert(UNMAP_RELEASE_MAX == VM_RELEASE_MAX, "the ABI and the walk agree");
_Static_assert(UNMAP_RELEASE_MAX <= FRAME_MR_REGS, "UTCB words the IPC path never uses");

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

/* check_tables: the n frames may become tables: none twice, none in the run. */
static err_t check_tables(const word_t *frames, word_t n, paddr_t pa, uint64_t bytes)
{
	for (word_t i = 0; i < n; i++) {
		err_t e = check_frame(frames[i]);
		if (e != ERR_OK)
			return e;
		for (word_t j = 0; j < i; j++)
			if (frames[j] == frames[i])
				return ERR_INVALID_ARGS;
		if (frames[i] - pa < bytes)
			return ERR_INVALID_ARGS; /* it would be a page and a table at once */
	}
	return ERR_OK;
}

typedef struct {
	const word_t *frames;
	word_t used;
} table_source_t;

/* take_table: the next offered frame, claimed (and so zeroed) as a page table. */
static paddr_t take_table(void *ctx)
{
	table_source_t *t = ctx;
	paddr_t frame = t->frames[t->used++];
	frame_claim(frame);
	return frame;
}

/* decode_map: the run of SYS_MAP from the flags word r8; INVALID_ARGS for bad flags or count. */
static err_t decode_map(trap_frame_t *f, vm_run_t *run, uint64_t *bytes)
{
	word_t flags = ARG(4) & ((1ull << MAP_COUNT_SHIFT) - 1), count = ARG(4) >> MAP_COUNT_SHIFT;
	uint64_t page = (flags & MAP_LARGE) ? VM_LARGE_PAGE : PAGE_SIZE;
	if ((flags & ~(word_t)MAP_FLAGS_ALL) || count == 0 || count > MAP_RUN_PAGES_MAX ||
	    count * page > MAP_RUN_FRAMES_MAX * PAGE_SIZE)
		return ERR_INVALID_ARGS;
	*run = (vm_run_t){ARG(2), ARG(3), count, (unsigned)(flags & ~(word_t)MAP_LARGE),
			  (flags & MAP_LARGE) != 0};
	*bytes = count * page;
	if ((run->pa & (page - 1)) || run->pa >= VM_PHYS_LIMIT)
		return ERR_BAD_ADDRESS;
	return ERR_OK;
}

/*
 * decode_tables: the first of the n frames offered in the UTCB that the
 * map needs as tables, copied to frames and checked. The kernel looks only
 * at those; the others stay core's, untouched. NO_MEMORY if too few.
 */
static err_t decode_tables(word_t n, unsigned needed, const vm_run_t *run, uint64_t bytes,
			   word_t *frames)
{
	if (n > MAP_TABLES_MAX)
		return ERR_INVALID_ARGS;
	word_t given = needed < n ? needed : n;
	memcpy(frames, current->utcb->mr, given * sizeof(word_t));
	err_t e = check_tables(frames, given, run->pa, bytes);
	return e == ERR_OK && given < needed ? ERR_NO_MEMORY : e;
}

err_t sys_map(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	paddr_t root = ((pd_t *)cap_entry_obj(p_cap))->root;
	word_t frames[MAP_TABLES_MAX];
	vm_run_t run;
	vm_map_plan_t plan;
	uint64_t bytes;
	err_t e = decode_map(f, &run, &bytes);
	if (e == ERR_OK)
		e = frame_mappable(run.pa, bytes >> PAGE_SHIFT);
	if (e == ERR_OK)
		e = vm_map_check(root, &run, &plan);
	if (e == ERR_OK)
		e = decode_tables(ARG(5), plan.tables, &run, bytes, frames);
	if (e != ERR_OK)
		return e;
	table_source_t source = {frames, 0};
	ARG(2) = vm_map_run(&plan, &run, take_table, &source, frame_mapped);
	ARG(1) = source.used;
	return ERR_OK;
}

err_t sys_unmap(trap_frame_t *f)
{
	KERNEL_AUTH();
	LOOKUP(ARG(1), OBJ_PD, RIGHT_CTRL, p);
	paddr_t root = ((pd_t *)cap_entry_obj(p_cap))->root;
	word_t va = ARG(2), pages = ARG(3);
	if ((va & (PAGE_SIZE - 1)) || va >= USER_TOP || pages > (USER_TOP - va) >> PAGE_SHIFT)
		return ERR_BAD_ADDRESS;
	vaddr_t end = va + pages * PAGE_SIZE;
	if (vm_core_window_overlaps(root, va, end))
		return ERR_DENIED; /* the kernel keeps core's window */
	vm_unmap_t u = {.budget = UNMAP_BUDGET, .unmapped = frame_unmapped};
	vaddr_t stop = vm_unmap(root, va, end, &u);
	for (unsigned i = 0; i < u.released_count; i++) {
		frame_release(u.released[i]);
		current->utcb->mr[i] = u.released[i];
	}
	ARG(2) = stop;
	ARG(3) = (end - stop) >> PAGE_SHIFT;
	ARG(4) = u.released_count;
	return ERR_OK;
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

/*
 * sys_zero: zero [ARG(1), ARG(1) + ARG(2)), frames of RAM that core owns
 * (FRAME_USER): never a kernel object, the kernel or device memory.
 */
err_t sys_zero(trap_frame_t *f)
{
	KERNEL_AUTH();
	word_t pa = ARG(1), size = ARG(2);
	if (size == 0 || size > ZERO_MAX)
		return ERR_INVALID_ARGS;
	if ((pa | size) & (PAGE_SIZE - 1))
		return ERR_BAD_ADDRESS;
	for (word_t off = 0; off < size; off += PAGE_SIZE) {
		frame_info_t *fi = frame_info(pa + off);
		if (!fi)
			return ERR_BAD_ADDRESS; /* beyond RAM */
		if (fi->type != FRAME_USER)
			return ERR_BUSY;
	}
	arch_zero(vm_phys_to_virt(pa), size);
	return ERR_OK;
}
