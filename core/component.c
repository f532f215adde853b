/*
 * Components started by core: a PD with the ELF image of a boot module, a
 * main thread, an address-space region map and a PD session. Everything
 * core spends on a component (its frames, its kernel objects, core's
 * records about it) is charged to its account and owned by it in core's
 * frame table, so destroying the component gives all of it back. A
 * component's slot in the table gets a new serial with each incarnation,
 * found again from the serial's low bits.
 */
#include "core.h"
#include <abi/elf.h>
#include <log.h>
#include <mem.h>

static component_t components[MAX_COMPONENTS];
/*
 * Every capability core holds for a component is charged to some cap
 * quota, so core's table cannot run out while the quotas it handed out
 * add up to no more than the slots it has: components_caps_free says how
 * many may still be handed out. Two slots per component are core's own
 * (its PD session and address-space capabilities) and are counted here too.
 */
static uint64_t caps_committed;
#define CAPS_OF_CORE 2 /* main.c's start_init leaves them out of init's quota */

uint64_t component_caps_free(void)
{
	uint64_t slots = slot_available();
	return slots > CORE_CAP_RESERVE + caps_committed ? slots - CORE_CAP_RESERVE - caps_committed
							 : 0;
}

component_t *component_by_serial(uint64_t serial)
{
	component_t *c = &components[serial % MAX_COMPONENTS];
	return c->used && c->serial == serial ? c : 0;
}

err_t comp_alloc_raw(component_t *c, uint64_t size, paddr_t *pa)
{
	return account_alloc_raw(&c->acct, size, pa);
}

err_t comp_alloc(component_t *c, uint64_t size, paddr_t *pa)
{
	return account_alloc(&c->acct, size, pa);
}

void comp_free(component_t *c, paddr_t pa, uint64_t size)
{
	account_free(&c->acct, pa, size);
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
	return c->acct.ram_quota - c->acct.ram_used;
}

static const backing_ops_t comp_backing_ops = {comp_backing_get, comp_backing_put,
					       comp_backing_avail};

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
		sys_utcb()->mr[i] = c->spare[i];
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
			spare_back(c, sys_utcb()->mr[i]); /* makes no system call */
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

/* load_segment: charged, zeroed frames of c for the pages of s, filled from image. */
static err_t load_segment(component_t *c, const uint8_t *image, const elf_segment_t *s)
{
	unsigned flags =
	    ((s->flags & ELF_PF_W) ? MAP_WRITE : 0) | ((s->flags & ELF_PF_X) ? MAP_EXEC : 0);
	for (vaddr_t va = s->page_start; va < s->page_end; va += PAGE_SIZE) {
		uint8_t *dst;
		elf_fill_t f;
		err_t e = map_fresh(c, va, flags, (void **)&dst);
		if (e != ERR_OK)
			return e;
		elf_page_fill(s, va, &f);
		memcpy(dst + f.page_offset, image + f.image_offset, f.length);
	}
	return ERR_OK;
}

/*
 * load_elf: the image of module m in c's address space below its region
 * map; its entry point in *entry. Errors: those of elf_check (logged with
 * the module's name), OUT_OF_RAM, OUT_OF_CAPS.
 */
static err_t load_elf(component_t *c, const bootinfo_module_t *m, word_t *entry)
{
	const uint8_t *image = phys_window(m->base);
	elf_image_t plan;
	err_t e = elf_check(image, m->size, COMP_RM_BASE, &plan);
	if (e != ERR_OK) {
		log_printf("core: ELF loader refuses module '%s': %s (%s)\n", m->name, err_name(e),
			   err_str(e));
		return e;
	}
	for (unsigned i = 0; e == ERR_OK && i < plan.count; i++)
		e = load_segment(c, image, &plan.segment[i]);
	*entry = plan.entry;
	return e;
}

err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot)
{
	if (c->object_count == MAX_OBJECTS)
		return ERR_LIMIT; /* a documented per-component limit, not quota */
	err_t e = kobj_create(&c->acct, type, arg, 0, slot, 0);
	if (e == ERR_OK)
		c->objects[c->object_count++] = *slot;
	return e;
}

err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out)
{
	if (c->thread_count == MAX_THREADS)
		return ERR_LIMIT; /* a documented per-component limit, not quota */
	if (ip >= USER_TOP || sp >= USER_TOP)
		return ERR_BAD_ADDRESS;
	if (prio > c->max_prio)
		prio = c->max_prio;
	unsigned idx = c->thread_count;
	vaddr_t utcb_va = COMP_UTCB_BASE + idx * PAGE_SIZE;
	paddr_t utcb_pa = 0, thread_frame = 0;
	cap_t thread = 0, pager = 0;
	int mapped = 0;
	err_t e = account_charge(&c->acct, 0, 1); /* the pager capability */
	if (e != ERR_OK)
		return e;
	if ((e = comp_alloc(c, PAGE_SIZE, &utcb_pa)) == ERR_OK &&
	    (e = component_map(c, utcb_va, utcb_pa, 1, MAP_WRITE)) == ERR_OK && (mapped = 1) &&
	    (e = kobj_create(&c->acct, OBJ_THREAD, c->pd, prio, &thread, &thread_frame)) == ERR_OK)
		e = mint(CORE_BADGE(BADGE_PAGER, (c->serial << 3) | idx), &pager);
	if (e == ERR_OK) {
		thread_start_t *p = (thread_start_t *)sys_utcb()->mr;
		memset(p, 0, sizeof(*p));
		p->ip = ip, p->sp = sp, p->utcb_vaddr = utcb_va, p->utcb_paddr = utcb_pa;
		p->pager_slot = pager, p->arg = arg;
		memcpy(p->name, c->name, sizeof(p->name) - 1);
		e = sys6(SYS_THREAD_START, SLOT_KERNEL, thread, 0, 0, 0, 0);
	}
	if (e != ERR_OK) { /* give back all of it, the UTCB unmapped first */
		slot_free(pager);
		kobj_destroy(&c->acct, thread, thread_frame);
		if (mapped)
			sys6(SYS_UNMAP, SLOT_KERNEL, c->pd, utcb_va, 1, 0, 0);
		if (utcb_pa)
			comp_free(c, utcb_pa, PAGE_SIZE);
		account_uncharge(&c->acct, 0, 1);
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
		/* a serial new to this slot: an old parent or pager capability names nothing */
		uint64_t serial = (c->serial ? c->serial : i) + MAX_COMPONENTS;
		memset(c, 0, sizeof(*c));
		c->serial = serial;
		c->used = 1;
		c->index = i;
		c->max_prio = PRIORITY_DEFAULT;
		c->acct = (account_t){.ram_quota = ram, .cap_quota = caps, .owner = i + 1};
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

/* pd_session: c's own PD session, in its slot SLOT_PD_SESSION. */
static err_t pd_session(component_t *c)
{
	cap_t cap;
	word_t badge;
	err_t e = session_create_pd(c, &cap, &badge);
	if (e == ERR_OK)
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PD_SESSION, cap, badge, RIGHT_SEND);
	return e;
}

/* populate: PD, image, stack, capabilities, sessions and the main thread of c. */
static err_t populate(component_t *c, const bootinfo_module_t *m)
{
	word_t entry;
	unsigned idx;
	cap_t parent;
	heap_config_t cfg = {.chunk_first = 4096};
	err_t e = heap_init(&c->heap, &c->backing, &cfg);
	c->records = heap_allocator(&c->heap);
	if (e == ERR_OK)
		e = kobj_create(&c->acct, OBJ_PD, 0, 0, &c->pd, 0);
	if (e == ERR_OK)
		e = load_elf(c, m, &entry);
	for (vaddr_t va = COMP_STACK_TOP - COMP_STACK_SIZE; e == ERR_OK && va < COMP_STACK_TOP;
	     va += PAGE_SIZE)
		e = map_fresh(c, va, MAP_WRITE, 0);
	if (e == ERR_OK)
		e = rmap_create(&c->records, c, COMP_RM_BASE, COMP_RM_END - COMP_RM_BASE,
				&c->aspace);
	word_t parent_badge = CORE_BADGE(BADGE_PARENT, c->serial);
	if (e == ERR_OK && (e = mint(parent_badge, &parent)) == ERR_OK) {
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PARENT, parent, parent_badge,
			 RIGHT_SEND);
		slot_free(parent);
	}
	if (e == ERR_OK)
		e = pd_session(c);
	if (e == ERR_OK)
		e = component_thread(c, entry, COMP_STACK_TOP - 8, PRIORITY_DEFAULT, 0, &idx);
	return e;
}

err_t component_create_child(component_t *creator, const char *name, uint64_t ram, uint64_t caps,
			     component_t **out)
{
	if (creator->children >= creator->may_create)
		return ERR_DENIED; /* the component table is shared: children are a policy right */
	component_t *c = component_alloc(name, ram, caps);
	if (!c)
		return ERR_LIMIT;
	c->creator = creator;
	creator->children++;
	c->max_prio = creator->max_prio;
	heap_config_t cfg = {.chunk_first = 4096};
	err_t e = heap_init(&c->heap, &c->backing, &cfg);
	c->records = heap_allocator(&c->heap);
	if (e == ERR_OK && (e = account_charge(&c->acct, 0, CAPS_OF_CORE)) == ERR_OK)
		e = kobj_create(&c->acct, OBJ_PD, 0, 0, &c->pd, 0);
	if (e == ERR_OK)
		e = rmap_create(&c->records, c, CHILD_RM_BASE, COMP_RM_END - CHILD_RM_BASE,
				&c->aspace);
	if (e == ERR_OK)
		e = pd_session(c);
	if (e != ERR_OK) {
		component_destroy(c);
		return e;
	}
	log_printf("core: '%s' created '%s' with %lu KiB RAM and %lu caps\n", creator->name, name,
		   ram >> 10, caps);
	*out = c;
	return ERR_OK;
}

err_t component_start(const bootinfo_t *bi, const char *name, const component_policy_t *p,
		      component_t **out)
{
	const bootinfo_module_t *m = find_module(name);
	if (!m)
		return ERR_NOT_FOUND;
	if (p->caps + CAPS_OF_CORE > component_caps_free())
		return ERR_OUT_OF_CAPS; /* more than core's capability table can back */
	component_t *c = component_alloc(name, p->ram, p->caps);
	if (!c)
		return ERR_LIMIT;
	caps_committed += p->caps + CAPS_OF_CORE;
	c->max_prio = p->max_prio;
	c->may_io = p->io;
	c->may_create = p->children;
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
	session_close_all(c);
	io_port_user_gone(c);
	ds_free_owned(c);
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
	kept_signal_drop(&c->fault_sig);
	memset(&c->last_fault, 0, sizeof(c->last_fault));
	uint64_t pages = phys_free_owner(component_id(c)); /* frames, kernel objects, records */
	if (!c->creator) /* a child's quota is part of its creator's */
		caps_committed -= c->acct.cap_quota + CAPS_OF_CORE; /* transfers keep the sum */
	else
		c->creator->children--;
	log_printf("core: component '%s' destroyed, %lu KiB returned (%lu KiB held), core has %lu "
		   "KiB free\n",
		   c->name, (phys_avail() - before) >> 10, pages * 4, phys_avail() >> 10);
	c->used = 0;
}
