/*
 * Components started by core: a PD with the ELF image of a boot module, a
 * main thread, and core as the pager of every thread. Every frame spent on a
 * component is owned by it in core's frame table, so destroying the
 * component gives all of it back.
 */
#include "core.h"
#include <log.h>
#include <mem.h>

static component_t components[MAX_COMPONENTS];

typedef struct {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf_ehdr_t;

typedef struct {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf_phdr_t;

component_t *component_by_badge(word_t badge)
{
	unsigned id = (unsigned)(badge >> 8);
	if (id == 0 || id > MAX_COMPONENTS || !components[id - 1].used)
		return 0;
	return &components[id - 1];
}

err_t component_map(component_t *c, vaddr_t va, paddr_t pa, unsigned flags)
{
	for (int tries = 0; tries < 4; tries++) {
		err_t e = sys6(SYS_MAP, SLOT_KERNEL, c->pd, va, pa, flags, 0);
		if (e != ERR_NO_MEMORY)
			return e;
		paddr_t table;
		if ((e = phys_alloc(c->id, &table)) != ERR_OK)
			return e;
		if ((e = sys6(SYS_PT_ADD, SLOT_KERNEL, c->pd, va, table, 0, 0)) != ERR_OK)
			return e;
	}
	return ERR_NO_MEMORY;
}

/* map_fresh: a zeroed frame of c at va; its window address in *win. */
static err_t map_fresh(component_t *c, vaddr_t va, unsigned flags, void **win)
{
	paddr_t pa;
	err_t e = phys_alloc(c->id, &pa);
	if (e == ERR_OK)
		e = component_map(c, va, pa, flags);
	if (win)
		*win = phys_window(pa);
	return e;
}

static err_t load_segment(component_t *c, const uint8_t *image, const elf_phdr_t *ph)
{
	if ((ph->flags & 2) && (ph->flags & 1))
		return ERR_INVALID_ARGS; /* writeable and executable */
	unsigned flags = ((ph->flags & 2) ? MAP_WRITE : 0) | ((ph->flags & 1) ? MAP_EXEC : 0);
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
	const elf_ehdr_t *eh = (const void *)image;
	if (m->size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != 2 ||
	    eh->machine != 62 || eh->phentsize != sizeof(elf_phdr_t) ||
	    eh->phoff + (uint64_t)eh->phnum * sizeof(elf_phdr_t) > m->size)
		return ERR_INVALID_ARGS;
	const elf_phdr_t *ph = (const void *)(image + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type != 1)
			continue;
		if (ph[i].offset + ph[i].filesz > m->size || ph[i].filesz > ph[i].memsz ||
		    ph[i].vaddr + ph[i].memsz >= USER_TOP)
			return ERR_INVALID_ARGS;
		err_t e = load_segment(c, image, &ph[i]);
		if (e != ERR_OK)
			return e;
	}
	*entry = eh->entry;
	return ERR_OK;
}

err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out)
{
	if (c->thread_count == MAX_THREADS)
		return ERR_OUT_OF_CAPS;
	if (prio > c->max_prio)
		prio = c->max_prio;
	unsigned idx = c->thread_count;
	vaddr_t utcb_va = COMP_UTCB_BASE + idx * PAGE_SIZE;
	paddr_t utcb_pa;
	cap_t thread, pager = slot_alloc();
	err_t e = pager ? phys_alloc(c->id, &utcb_pa) : ERR_OUT_OF_CAPS;
	if (e == ERR_OK)
		e = component_map(c, utcb_va, utcb_pa, MAP_WRITE);
	if (e == ERR_OK)
		e = kobj_create(c->id, OBJ_THREAD, c->pd, prio, &thread);
	if (e == ERR_OK)
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, SLOT_SELF_PD, pager, core_ep,
			 (c->id << 8) | idx, RIGHT_SEND);
	if (e != ERR_OK)
		return e;
	thread_start_t *p = (thread_start_t *)sys_utcb->mr;
	memset(p, 0, sizeof(*p));
	p->ip = ip, p->sp = sp, p->utcb_vaddr = utcb_va, p->utcb_paddr = utcb_pa;
	p->pager_slot = pager, p->arg = arg;
	memcpy(p->name, c->name, sizeof(p->name) - 1);
	if ((e = sys6(SYS_THREAD_START, SLOT_KERNEL, thread, 0, 0, 0, 0)) != ERR_OK)
		return e;
	c->threads[idx] = thread;
	c->pagers[idx] = pager;
	c->thread_count++;
	*out = idx;
	return ERR_OK;
}

static component_t *component_alloc(const char *name)
{
	for (unsigned i = 0; i < MAX_COMPONENTS; i++) {
		component_t *c = &components[i];
		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = 1;
		c->id = i + 1;
		c->max_prio = PRIORITY_DEFAULT + 4;
		format_buf(c->name, sizeof(c->name), "%s", name);
		return c;
	}
	return 0;
}

static const bootinfo_module_t *find_module(const bootinfo_t *bi, const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (!strcmp(bi->modules[i].name, name))
			return &bi->modules[i];
	return 0;
}

err_t component_start(const bootinfo_t *bi, const char *name, component_t **out)
{
	const bootinfo_module_t *m = find_module(bi, name);
	if (!m)
		return ERR_NOT_FOUND;
	component_t *c = component_alloc(name);
	if (!c)
		return ERR_OUT_OF_CAPS;
	word_t entry;
	unsigned idx;
	err_t e = kobj_create(c->id, OBJ_PD, 0, 0, &c->pd);
	if (e == ERR_OK)
		e = load_elf(c, m, &entry);
	for (vaddr_t va = COMP_STACK_TOP - COMP_STACK_SIZE; e == ERR_OK && va < COMP_STACK_TOP;
	     va += PAGE_SIZE)
		e = map_fresh(c, va, MAP_WRITE, 0);
	if (e == ERR_OK)
		e = sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PARENT, core_ep, c->id << 8,
			 RIGHT_SEND);
	if (e == ERR_OK)
		e = component_thread(c, entry, COMP_STACK_TOP - 8, PRIORITY_DEFAULT, 0, &idx);
	if (e != ERR_OK) {
		component_destroy(c);
		return e;
	}
	*out = c;
	return ERR_OK;
}

err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot)
{
	if (c->object_count == sizeof(c->objects) / sizeof(c->objects[0]))
		return ERR_OUT_OF_CAPS;
	err_t e = kobj_create(c->id, type, arg, 0, slot);
	if (e == ERR_OK)
		c->objects[c->object_count++] = *slot;
	return e;
}

void component_destroy(component_t *c)
{
	for (unsigned i = 0; i < c->object_count; i++) {
		sys6(SYS_DESTROY, SLOT_KERNEL, c->objects[i], 0, 0, 0, 0);
		slot_free(c->objects[i]);
	}
	if (c->pd)
		sys6(SYS_DESTROY, SLOT_KERNEL, c->pd, 0, 0, 0, 0); /* its threads die with it */
	for (unsigned i = 0; i < c->thread_count; i++) {
		slot_free(c->threads[i]);
		slot_free(c->pagers[i]);
	}
	if (c->pd)
		slot_free(c->pd);
	uint64_t frames = phys_free_owner(c->id);
	log_printf("core: component '%s' destroyed, %lu KiB returned\n", c->name, frames * 4);
	c->used = 0;
}
