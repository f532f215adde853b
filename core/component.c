/*
 * Components started by core: a PD with the ELF image of a boot module, a
 * main thread, an address-space region map and a PD session. Everything
 * core spends on a component (its frames, its kernel objects, core's
 * records about it) is charged to its quota and owned by it in core's frame
 * table, so destroying the component gives all of it back.
 */
#include "core.h"
#include <abi/elf.h>
#include <log.h>
#include <mem.h>

static component_t components[MAX_COMPONENTS];

component_t *component_by_id(unsigned id)
{
	if (id == 0 || id > MAX_COMPONENTS || !components[id - 1].used)
		return 0;
	return &components[id - 1];
}

err_t charge(component_t *c, uint64_t bytes, uint64_t caps)
{
	if (bytes > c->ram_quota - c->ram_used)
		return ERR_OUT_OF_RAM;
	if (caps > c->cap_quota - c->cap_used)
		return ERR_OUT_OF_CAPS;
	c->ram_used += bytes;
	c->cap_used += caps;
	return ERR_OK;
}

void uncharge(component_t *c, uint64_t bytes, uint64_t caps)
{
	c->ram_used -= bytes;
	c->cap_used -= caps;
}

err_t comp_alloc_raw(component_t *c, uint64_t size, paddr_t *pa)
{
	err_t e = charge(c, size, 0);
	if (e != ERR_OK)
		return e;
	if ((e = phys_alloc_raw(c->id, size, pa)) != ERR_OK)
		uncharge(c, size, 0);
	return e;
}

err_t comp_alloc(component_t *c, uint64_t size, paddr_t *pa)
{
	err_t e = comp_alloc_raw(c, size, pa);
	if (e == ERR_OK)
		memset(phys_window(*pa), 0, size);
	return e;
}

void comp_free(component_t *c, paddr_t pa, uint64_t size)
{
	phys_free_range(pa, size);
	uncharge(c, size, 0);
}

static err_t comp_backing_get(void *ctx, size_t size, void **out)
{
	paddr_t pa;
	err_t e = comp_alloc_raw(ctx, size, &pa); /* core's records: the heap needs no zeroes */
	*out = e == ERR_OK ? phys_window(pa) : 0;
	return e;
}

static void comp_backing_put(void *ctx, void *base, size_t size)
{
	comp_free(ctx, (paddr_t)base - CORE_PHYS_WINDOW, size);
}

static size_t comp_backing_avail(void *ctx)
{
	component_t *c = ctx;
	return c->ram_quota - c->ram_used;
}

static const backing_ops_t comp_backing_ops = {comp_backing_get, comp_backing_put,
					       comp_backing_avail};

void *comp_new(component_t *c, size_t size)
{
	void *p;
	return heap_alloc(&c->heap, size, &p) == ERR_OK ? p : 0;
}

void comp_delete(component_t *c, void *p)
{
	heap_free(&c->heap, p);
}

void comp_trim(component_t *c)
{
	heap_trim(&c->heap);
}

/* spare_fill: top c's spare table frames up to what one SYS_MAP may need, as quota allows. */
static void spare_fill(component_t *c)
{
	while (c->spare_count < MAP_TABLES_MAX &&
	       comp_alloc_raw(c, PAGE_SIZE, &c->spare[c->spare_count]) == ERR_OK)
		c->spare_count++;
}

/* spare_taken: the kernel made the first n spares page tables. */
static void spare_taken(component_t *c, unsigned n)
{
	c->spare_count -= n;
	memmove(c->spare, c->spare + n, c->spare_count * sizeof(c->spare[0]));
}

/* spare_back: a page table the kernel emptied and handed back: a spare again, or freed. */
static void spare_back(component_t *c, paddr_t frame)
{
	if (c->spare_count < MAP_TABLES_MAX)
		c->spare[c->spare_count++] = frame;
	else
		comp_free(c, frame, PAGE_SIZE);
}

/*
 * The spares are topped up after every call that used some, so that a
 * component's quota does not move on a map that needs no new table.
 */
err_t component_map(component_t *c, vaddr_t va, paddr_t pa, uint64_t pages, unsigned flags)
{
	spare_fill(c);
	for (unsigned i = 0; i < c->spare_count; i++)
		sys_utcb->mr[i] = c->spare[i];
	sys_regs_t s = {
	    {SYS_MAP, SLOT_KERNEL, c->pd, va, pa, MAP_RUN(flags, pages), c->spare_count}};
	err_t e = sys_invoke(&s);
	if (e == ERR_OK && s.r[2]) {
		spare_taken(c, (unsigned)s.r[2]);
		spare_fill(c);
	}
	return e == ERR_NO_MEMORY ? ERR_OUT_OF_RAM : e; /* the quota did not cover the tables */
}

void component_unmap(component_t *c, vaddr_t va, uint64_t size)
{
	word_t pages = size >> PAGE_SHIFT;
	while (pages) {
		sys_regs_t s = {{SYS_UNMAP, SLOT_KERNEL, c->pd, va, pages, 0, 0}};
		err_t e = sys_invoke(&s);
		if (e != ERR_OK) { /* sizes and addresses are checked: say so if it happens */
			log_printf("core: unmap of [%lx, +%lx) in '%s' failed: %s\n", va,
				   pages << PAGE_SHIFT, c->name, err_str(e));
			return;
		}
		for (word_t i = 0; i < s.r[5] && i < UNMAP_RELEASE_MAX; i++)
			spare_back(c, sys_utcb->mr[i]); /* makes no system call */
		va = s.r[3], pages = s.r[4];
	}
}

/* map_fresh: a zeroed, charged frame of c at va; its window address in *win. */
static err_t map_fresh(component_t *c, vaddr_t va, unsigned flags, void **win)
{
	paddr_t pa;
	err_t e = comp_alloc(c, PAGE_SIZE, &pa);
	if (e == ERR_OK && (e = component_map(c, va, pa, 1, flags)) != ERR_OK)
		comp_free(c, pa, PAGE_SIZE);
	if (win && e == ERR_OK)
		*win = phys_window(pa);
	return e;
}

static err_t load_segment(component_t *c, const uint8_t *image, const elf64_phdr_t *ph)
{
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X))
		return ERR_INVALID_ARGS; /* writeable and executable */
	unsigned flags =
	    ((ph->flags & ELF_PF_W) ? MAP_WRITE : 0) | ((ph->flags & ELF_PF_X) ? MAP_EXEC : 0);
	for (vaddr_t va = ph->vaddr & ~(PAGE_SIZE - 1); va < ph->vaddr + ph->memsz;
	     va += PAGE_SIZE) {
		uint8_t *dst;
		err_t e = map_fresh(c, va, flags, (void **)&dst);
		if (e != ERR_OK)
			return e;
		vaddr_t from = va < ph->vaddr ? ph->vaddr : va;
		vaddr_t to = va + PAGE_SIZE < ph->vaddr + ph->filesz ? va + PAGE_SIZE
								     : ph->vaddr + ph->filesz;
		if (from < to)
			memcpy(dst + (from - va), image + ph->offset + (from - ph->vaddr),
			       to - from);
	}
	return ERR_OK;
}

static err_t load_elf(component_t *c, const bootinfo_module_t *m, word_t *entry)
{
	const uint8_t *image = phys_window(m->base);
	const elf64_ehdr_t *eh = (const void *)image;
	if (!elf_header_ok(eh, m->size))
		return ERR_INVALID_ARGS;
	const elf64_phdr_t *ph = (const void *)(image + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != ELF_PT_LOAD)
			continue;
		if (!elf_segment_ok(&ph[i], m->size, COMP_RM_BASE))
			return ERR_INVALID_ARGS;
		err_t e = load_segment(c, image, &ph[i]);
		if (e != ERR_OK)
			return e;
	}
	*entry = eh->entry;
	return ERR_OK;
}

err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot)
{
	if (c->object_count == sizeof(c->objects) / sizeof(c->objects[0]))
		return ERR_OUT_OF_CAPS;
	err_t e = charge(c, PAGE_SIZE, 1);
	if (e != ERR_OK)
		return e;
	if ((e = kobj_create(c->id, type, arg, 0, slot)) != ERR_OK) {
		uncharge(c, PAGE_SIZE, 1);
		return e;
	}
	c->objects[c->object_count++] = *slot;
	return ERR_OK;
}

err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out)
{
	if (c->thread_count == MAX_THREADS)
		return ERR_OUT_OF_CAPS;
	if (ip >= USER_TOP || sp >= USER_TOP)
		return ERR_BAD_ADDRESS;
	if (prio > c->max_prio)
		prio = c->max_prio;
	unsigned idx = c->thread_count;
	vaddr_t utcb_va = COMP_UTCB_BASE + idx * PAGE_SIZE;
	paddr_t utcb_pa;
	cap_t thread = 0, pager = 0;
	err_t e = charge(c, 2 * PAGE_SIZE, 2);
	if (e != ERR_OK)
		return e;
	if ((e = phys_alloc(c->id, &utcb_pa)) == ERR_OK &&
	    (e = component_map(c, utcb_va, utcb_pa, 1, MAP_WRITE)) == ERR_OK &&
	    (e = kobj_create(c->id, OBJ_THREAD, c->pd, prio, &thread)) == ERR_OK)
		e = mint(CORE_BADGE(BADGE_PAGER, c->gen, (c->id << 8) | idx), &pager);
	if (e == ERR_OK) {
		thread_start_t *p = (thread_start_t *)sys_utcb->mr;
		memset(p, 0, sizeof(*p));
		p->ip = ip, p->sp = sp, p->utcb_vaddr = utcb_va, p->utcb_paddr = utcb_pa;
		p->pager_slot = pager, p->arg = arg;
		memcpy(p->name, c->name, sizeof(p->name) - 1);
		e = sys6(SYS_THREAD_START, SLOT_KERNEL, thread, 0, 0, 0, 0);
	}
	if (e != ERR_OK) { /* the frames stay the component's until it dies */
		slot_free(pager);
		if (thread)
			sys6(SYS_DESTROY, SLOT_KERNEL, thread, 0, 0, 0, 0), slot_free(thread);
		return e;
	}
	c->threads[idx] = thread;
	c->pagers[idx] = pager;
	c->thread_count++;
	*out = idx;
	return ERR_OK;
}

static component_t *component_alloc(const char *name, uint64_t ram, uint64_t caps)
{
	for (unsigned i = 0; i < MAX_COMPONENTS; i++) {
		component_t *c = &components[i];
		if (c->used)
			continue;
		unsigned gen = c->gen + 1;
		memset(c, 0, sizeof(*c));
		c->gen = gen;
		c->used = 1;
		c->id = i + 1;
		c->max_prio = PRIORITY_DEFAULT;
		c->ram_quota = ram;
		c->cap_quota = caps;
		c->backing.ops = &comp_backing_ops;
		c->backing.ctx = c;
		format_buf(c->name, sizeof(c->name), "%s", name);
		return c;
	}
	return 0;
}

static const bootinfo_module_t *find_module(const char *name)
{
	for (uint32_t i = 0; i < core_bootinfo->module_count; i++)
		if (!strcmp(core_bootinfo->modules[i].name, name))
			return &core_bootinfo->modules[i];
	return 0;
}

/* populate: PD, image, stack, capabilities, sessions and the main thread of c. */
static err_t populate(component_t *c, const bootinfo_module_t *m)
{
	word_t entry;
	unsigned idx;
	cap_t pd_session, parent;
	heap_config_t cfg = {.chunk_first = 4096};
	err_t e = heap_init(&c->heap, &c->backing, &cfg);
	if (e == ERR_OK && (e = charge(c, 2 * PAGE_SIZE, 1)) == ERR_OK)
		e = kobj_create(c->id, OBJ_PD, 0, 0, &c->pd);
	if (e == ERR_OK)
		e = load_elf(c, m, &entry);
	for (vaddr_t va = COMP_STACK_TOP - COMP_STACK_SIZE; e == ERR_OK && va < COMP_STACK_TOP;
	     va += PAGE_SIZE)
		e = map_fresh(c, va, MAP_WRITE, 0);
	if (e == ERR_OK)
		e = rmap_create(c, c, COMP_RM_BASE, COMP_RM_END - COMP_RM_BASE, &c->aspace);
	if (e == ERR_OK && (e = mint(CORE_BADGE(BADGE_PARENT, c->gen, c->id), &parent)) == ERR_OK) {
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PARENT, parent,
			 CORE_BADGE(BADGE_PARENT, c->gen, c->id), RIGHT_SEND);
		slot_free(parent);
	}
	word_t badge;
	if (e == ERR_OK && (e = session_create_pd(c, &pd_session, &badge)) == ERR_OK)
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PD_SESSION, pd_session, badge,
			 RIGHT_SEND);
	if (e == ERR_OK)
		e = component_thread(c, entry, COMP_STACK_TOP - 8, PRIORITY_DEFAULT, 0, &idx);
	return e;
}

err_t component_start(const bootinfo_t *bi, const char *name, const component_policy_t *p,
		      component_t **out)
{
	const bootinfo_module_t *m = find_module(name);
	if (!m)
		return ERR_NOT_FOUND;
	component_t *c = component_alloc(name, p->ram, p->caps);
	if (!c)
		return ERR_OUT_OF_CAPS;
	c->max_prio = p->max_prio;
	c->may_io = p->io;
	err_t e = populate(c, m);
	if (e != ERR_OK) {
		component_destroy(c);
		return e;
	}
	*out = c;
	return ERR_OK;
}

void component_destroy(component_t *c)
{
	uint64_t before = phys_avail();
	services_forget(c->id);
	session_close_all(c);
	ds_destroy_owned(c);
	if (c->aspace)
		rmap_destroy(c->aspace);
	for (unsigned i = 0; i < c->object_count; i++) {
		sys6(SYS_DESTROY, SLOT_KERNEL, c->objects[i], 0, 0, 0, 0);
		slot_free(c->objects[i]);
	}
	if (c->pd) {
		component_unmap(c, 0, USER_TOP); /* in bounded calls: the teardown finds it empty */
		sys6(SYS_DESTROY, SLOT_KERNEL, c->pd, 0, 0, 0, 0); /* its threads die with it */
	}
	slot_free(c->pd);
	for (unsigned i = 0; i < c->thread_count; i++) {
		slot_free(c->threads[i]);
		slot_free(c->pagers[i]);
	}
	uint64_t pages = phys_free_owner(c->id);
	log_printf("core: component '%s' destroyed, %lu KiB returned (%lu KiB held), core has %lu "
		   "KiB free\n",
		   c->name, (phys_avail() - before) >> 10, pages * 4, phys_avail() >> 10);
	c->used = 0;
}
