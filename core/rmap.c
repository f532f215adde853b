/*
 * Region maps. An RM is either the address space of a PD or the region map
 * behind a managed dataspace (an RM session), which can itself be attached
 * into other RMs. Attachments are found by address through a sorted list;
 * free virtual space comes from an AVL range allocator.
 *
 * Invariants: every attachment lies inside its RM and is on the list of its
 * dataspace; a page is mapped into a PD only while an attachment (possibly
 * through managed dataspaces) covers it, so removing an attachment unmaps
 * its range in every PD that can see it. Faults are resolved lazily: the
 * pager walks the attachments, down through managed dataspaces, and maps
 * the faulting page with the pages around it that the same attachments
 * cover: its large page where the frames and the addresses allow one, else
 * an aligned window of MAP_WINDOW_PAGES; one SYS_MAP either way. A
 * violation goes to the fault handler of the innermost RM involved, the
 * thread waits stopped until an attach in that RM resumes it.
 */
#include "core.h"
#include <log.h>
#include <mem.h>

err_t rmap_create(const allocator_t *md, component_t *pd, vaddr_t base, uint64_t size, rm_t **out)
{
	rm_t *rm = record_new(md, sizeof(*rm));
	if (!rm)
		return ERR_OUT_OF_RAM;
	rm->pd = pd;
	rm->base = base;
	rm->size = size;
	rm->md = *md;
	err_t e = range_alloc_init(&rm->va, &rm->md);
	if (e == ERR_OK && (e = range_alloc_add(&rm->va, base, size)) != ERR_OK)
		range_alloc_destroy(&rm->va);
	if (e != ERR_OK) {
		record_delete(md, rm);
		return e == ERR_NO_MEMORY ? ERR_OUT_OF_RAM : e;
	}
	*out = rm;
	return ERR_OK;
}

/*
 * rmap_unmap: drop the mappings of [addr, addr + size) of rm in every PD
 * that sees it. Region maps can be attached into each other in a cycle;
 * the depth bound (as in resolve) ends the walk.
 */
static void rmap_unmap(rm_t *rm, vaddr_t addr, uint64_t size, int depth)
{
	if (depth > MAX_NESTING)
		return;
	if (rm->pd)
		component_unmap(rm->pd, addr, size);
	if (!rm->ds)
		return;
	for (attachment_t *a = rm->ds->attachments; a; a = a->next_in_ds) {
		uint64_t from = addr > a->offset ? addr : a->offset;
		uint64_t to = addr + size < a->offset + a->size ? addr + size : a->offset + a->size;
		if (from < to)
			rmap_unmap(a->rm, a->base + (from - a->offset), to - from, depth + 1);
	}
}

static void resume_waiting(rm_t *rm)
{
	for (unsigned i = 0; i < rm->waiting_count; i++) {
		component_t *c = component_by_serial(rm->waiting[i].serial);
		if (c && rm->waiting[i].idx < c->thread_count)
			sys6(SYS_THREAD_STATE, SLOT_KERNEL, c->threads[rm->waiting[i].idx],
			     THREAD_STATE_RESUME, 0, 0, 0);
	}
	rm->waiting_count = 0;
	rm->fault_type = RM_FAULT_NONE;
}

static unsigned count_attachments(const dataspace_t *ds)
{
	unsigned n = 0;
	for (const attachment_t *a = ds->attachments; a; a = a->next_in_ds)
		n++;
	return n;
}

/* check_attach: the arguments of an attach, with size filled in. */
static err_t check_attach(rm_t *rm, dataspace_t *ds, uint64_t *size, uint64_t offset, vaddr_t at,
			  unsigned flags)
{
	if (flags & ~(unsigned)(RM_WRITEABLE | RM_EXECUTABLE | RM_USE_AT))
		return ERR_INVALID_ARGS;
	if ((flags & RM_WRITEABLE) && (flags & RM_EXECUTABLE))
		return ERR_INVALID_ARGS;
	if ((flags & RM_WRITEABLE) && !ds->writeable)
		return ERR_INVALID_ARGS;
	if (offset & (PAGE_SIZE - 1))
		return ERR_UNALIGNED;
	if (offset >= ds->size)
		return ERR_OUT_OF_RANGE;
	if (*size == 0)
		*size = ds->size - offset;
	*size = (*size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (*size == 0 || *size > ds->size - offset)
		return ERR_OUT_OF_RANGE;
	if ((flags & RM_USE_AT) && (at & (PAGE_SIZE - 1)))
		return ERR_UNALIGNED;
	if ((flags & RM_USE_AT) &&
	    (at < rm->base || at - rm->base > rm->size || *size > rm->size - (at - rm->base)))
		return ERR_OUT_OF_RANGE;
	if (ds->kind == DS_MANAGED && ds->rm == rm)
		return ERR_INVALID_DATASPACE; /* into itself */
	if (ds->kind == DS_MANAGED && count_attachments(ds) >= MAX_MANAGED_ATTACH)
		return ERR_OUT_OF_CAPS; /* bounds the work of every later unmap */
	return ERR_OK;
}

static void link_attachment(rm_t *rm, attachment_t *a)
{
	attachment_t **pp = &rm->attachments;
	while (*pp && (*pp)->base < a->base)
		pp = &(*pp)->next_in_rm;
	a->next_in_rm = *pp;
	*pp = a;
	a->next_in_ds = a->ds->attachments;
	a->ds->attachments = a;
}

/*
 * place: free room for size bytes in rm. An attachment of a large page or
 * more starts where a large page can map it (at the offset's position in
 * a large page), when there is such room.
 */
static err_t place(rm_t *rm, uint64_t size, uint64_t offset, vaddr_t *at)
{
	uint64_t skew = offset & (LARGE_PAGE - 1);
	vaddr_t from = rm->base, to = rm->base + rm->size, start;
	if (size < LARGE_PAGE)
		return range_alloc_alloc(&rm->va, size, PAGE_SIZE, from, to, at);
	if (!skew && range_alloc_alloc(&rm->va, size, LARGE_PAGE, from, to, at) == ERR_OK)
		return ERR_OK;
	if (skew &&
	    range_alloc_alloc(&rm->va, size + skew, LARGE_PAGE, from, to, &start) == ERR_OK) {
		range_alloc_free(&rm->va, start); /* only to find the place: take its tail */
		if (range_alloc_alloc_at(&rm->va, start + skew, size) == ERR_OK) {
			*at = start + skew;
			return ERR_OK;
		}
	}
	return range_alloc_alloc(&rm->va, size, PAGE_SIZE, from, to, at);
}

err_t rmap_attach(rm_t *rm, dataspace_t *ds, uint64_t size, uint64_t offset, vaddr_t at,
		  unsigned flags, vaddr_t *out)
{
	err_t e = check_attach(rm, ds, &size, offset, at, flags);
	if (e != ERR_OK)
		return e;
	attachment_t *a = record_new(&rm->md, sizeof(*a));
	if (!a)
		return ERR_OUT_OF_RAM;
	if (flags & RM_USE_AT)
		e = range_alloc_alloc_at(&rm->va, at, size);
	else
		e = place(rm, size, offset, &at);
	if (e != ERR_OK) {
		record_delete(&rm->md, a);
		if (e == ERR_NO_MEMORY) /* no free range of that size */
			return flags & RM_USE_AT ? ERR_REGION_CONFLICT : ERR_NO_SPACE;
		return e == ERR_OUT_OF_RAM ? e : ERR_REGION_CONFLICT;
	}
	a->rm = rm, a->ds = ds, a->base = at, a->size = size, a->offset = offset;
	a->flags = flags & (RM_WRITEABLE | RM_EXECUTABLE);
	link_attachment(rm, a);
	resume_waiting(rm);
	*out = at;
	return ERR_OK;
}

void rmap_remove_attachment(attachment_t *a)
{
	rm_t *rm = a->rm;
	rmap_unmap(rm, a->base, a->size, 0);
	for (attachment_t **pp = &rm->attachments; *pp; pp = &(*pp)->next_in_rm)
		if (*pp == a) {
			*pp = a->next_in_rm;
			break;
		}
	for (attachment_t **pp = &a->ds->attachments; *pp; pp = &(*pp)->next_in_ds)
		if (*pp == a) {
			*pp = a->next_in_ds;
			break;
		}
	range_alloc_free(&rm->va, a->base);
	record_delete(&rm->md, a);
}

static attachment_t *find(rm_t *rm, vaddr_t addr)
{
	for (attachment_t *a = rm->attachments; a && a->base <= addr; a = a->next_in_rm)
		if (addr - a->base < a->size)
			return a;
	return 0;
}

err_t rmap_detach(rm_t *rm, vaddr_t addr)
{
	attachment_t *a = find(rm, addr);
	if (!a)
		return ERR_NOT_FOUND;
	rmap_remove_attachment(a);
	return ERR_OK;
}

void rmap_destroy(rm_t *rm)
{
	while (rm->attachments)
		rmap_remove_attachment(rm->attachments);
	if (rm->ds)
		ds_destroy(rm->ds);
	kept_signal_drop(&rm->fault_sig);
	range_alloc_destroy(&rm->va);
	allocator_t md = rm->md;
	record_delete(&md, rm);
}

/*
 * A resolution: the frame of the faulting page, and the range [lo, hi) of
 * the faulting address space around it that maps linearly to the same
 * dataspace through the same attachments (so with the same rights): the
 * page at page + d is the frame pa + d for every such address.
 */
typedef struct {
	vaddr_t page;
	paddr_t pa;
	unsigned map_flags;
	vaddr_t lo, hi;
	dataspace_t *ds; /* the dataspace behind, and the page's offset in it */
	uint64_t off;
	rm_t *fault_rm;
	vaddr_t fault_addr;
} resolution_t;

/* resolve: the page behind addr in rm for access (RM_WRITEABLE/RM_EXECUTABLE bits). */
static err_t resolve(rm_t *rm, vaddr_t addr, unsigned access, unsigned allowed, resolution_t *r,
		     int depth)
{
	attachment_t *a = depth <= MAX_NESTING ? find(rm, addr) : 0;
	r->fault_rm = rm, r->fault_addr = addr;
	if (!a)
		return ERR_NOT_MAPPED;
	allowed &= a->flags;
	if ((access & ~allowed) & (RM_WRITEABLE | RM_EXECUTABLE))
		return ERR_DENIED;
	uint64_t in = (addr & ~(PAGE_SIZE - 1)) - a->base; /* the page's place in a */
	if (r->page - r->lo > in)
		r->lo = r->page - in;
	if (r->hi - r->page > a->size - in)
		r->hi = r->page + (a->size - in);
	uint64_t off = addr - a->base + a->offset;
	dataspace_t *ds = a->ds;
	if (ds->kind == DS_MANAGED)
		return resolve(ds->rm, ds->rm->base + off, access, allowed, r, depth + 1);
	r->ds = ds, r->off = off & ~(PAGE_SIZE - 1);
	r->pa = ds->paddr + r->off;
	r->map_flags = ((allowed & RM_WRITEABLE) && ds->writeable ? MAP_WRITE : 0) |
		       ((allowed & RM_EXECUTABLE) ? MAP_EXEC : 0) |
		       (ds->uncached ? MAP_UNCACHED : 0);
	return ERR_OK;
}

/* to_handler: record the fault in rm and wake its handler; the thread waits stopped. */
static word_t to_handler(rm_t *rm, component_t *c, unsigned idx, vaddr_t addr, word_t type)
{
	rm->fault_type = (type & FAULT_EXEC)	? RM_FAULT_EXEC
			 : (type & FAULT_WRITE) ? RM_FAULT_WRITE
						: RM_FAULT_READ;
	rm->fault_addr = addr;
	if (rm->waiting_count < MAX_WAITING) {
		rm->waiting[rm->waiting_count].serial = c->serial;
		rm->waiting[rm->waiting_count++].idx = idx;
	}
	sys_signal_submit(rm->fault_sig.cap);
	return MSG_INFO(FAULT_REPLY_STOP, 0, 0);
}

/* map_large: the large page around r.page, if r covers it and its frames are aligned. */
static err_t map_large(component_t *c, const resolution_t *r)
{
	vaddr_t va = r->page & ~(LARGE_PAGE - 1);
	paddr_t pa = r->pa - (r->page - va);
	if (va < r->lo || r->hi - va < LARGE_PAGE || (pa & (LARGE_PAGE - 1)) ||
	    r->pa < r->page - va)
		return ERR_INVALID_ARGS;
	ds_zero(r->ds, r->off - (r->page - va), LARGE_PAGE);
	return component_map(c, va, pa, 1, r->map_flags | MAP_LARGE);
}

/*
 * map_ahead: the faulting page and the pages around it that are not mapped
 * yet: the large page around it, or else its aligned window of
 * MAP_WINDOW_PAGES, both clipped to r. EXISTS means another thread's fault
 * mapped the page first: resolved too.
 */
static err_t map_ahead(component_t *c, const resolution_t *r)
{
	if (map_large(c, r) == ERR_OK)
		return ERR_OK; /* else: not aligned, not covered, or a page table is in the way */
	vaddr_t lo = r->page & ~(MAP_WINDOW_PAGES * PAGE_SIZE - 1);
	vaddr_t hi = lo + MAP_WINDOW_PAGES * PAGE_SIZE;
	lo = lo > r->lo ? lo : r->lo;
	hi = hi < r->hi ? hi : r->hi;
	ds_zero(r->ds, r->off - (r->page - lo), hi - lo);
	err_t e =
	    component_map(c, lo, r->pa - (r->page - lo), (hi - lo) >> PAGE_SHIFT, r->map_flags);
	return e == ERR_EXISTS ? ERR_OK : e;
}

word_t rmap_fault(component_t *c, unsigned idx, vaddr_t addr, word_t type, word_t ip, word_t vector)
{
	resolution_t r = {.page = addr & ~(PAGE_SIZE - 1), .hi = ~0ull};
	err_t e = ERR_DENIED;
	if (!(type & FAULT_EXCEPTION)) {
		unsigned access = (type & FAULT_WRITE ? RM_WRITEABLE : 0) |
				  (type & FAULT_EXEC ? RM_EXECUTABLE : 0);
		e = resolve(c->aspace, addr, access, RM_WRITEABLE | RM_EXECUTABLE, &r, 0);
		if (e == ERR_OK && (type & FAULT_PRESENT))
			e = ERR_DENIED; /* mapped, yet it faults: the access itself is not allowed
					 */
		else if (e == ERR_OK)
			e = map_ahead(c, &r);
		if (e == ERR_OK)
			return MSG_INFO(FAULT_REPLY_RESUME, 0, 0);
		if ((e == ERR_NOT_MAPPED || e == ERR_DENIED) && r.fault_rm->fault_sig.cap)
			return to_handler(r.fault_rm, c, idx, r.fault_addr, type);
	}
	log_printf("core: '%s' thread %u stopped: %s fault at %lx ip %lx%s (vector %lu)\n", c->name,
		   idx, fault_kind_name(type), addr, ip,
		   (type & FAULT_PRESENT) ? " (protection)" : "", (unsigned long)vector);
	word_t faults = c->last_fault.faults + 1;
	c->last_fault =
	    (pd_fault_info_reply_t){faults, addr, ip, idx, (uint16_t)type, (uint16_t)vector};
	if (c->fault_sig.cap)
		sys_signal_submit(c->fault_sig.cap); /* the creator learns, and may destroy it */
	return MSG_INFO(FAULT_REPLY_STOP, 0, 0);
}
