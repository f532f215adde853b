/*
 * core's sessions: PD, RM, ROM, IO_MEM, IO_PORT, IRQ and LOG. A session is
 * named by a capability with a badge of table index and generation, so a
 * closed session's capability names nothing. The client donates quota when
 * it opens a session and gets it back when it closes it.
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <session_args.h>

#include "session.h"

static session_t *table[MAX_SESSIONS];
static uint32_t gens[MAX_SESSIONS];
static unsigned free_hint; /* no free index below it */

static const struct {
	const char *name;
	uint8_t type;
} services[] = {{"PD", SVC_PD},		{"RM", SVC_RM},		  {"ROM", SVC_ROM},
		{"IO_MEM", SVC_IO_MEM}, {"IO_PORT", SVC_IO_PORT}, {"IRQ", SVC_IRQ},
		{"LOG", SVC_LOG}};

session_t *session_lookup(word_t badge)
{
	uint32_t i = CORE_BADGE_INDEX(badge);
	if (CORE_BADGE_KIND(badge) != BADGE_SESSION || i >= MAX_SESSIONS || !table[i] ||
	    table[i]->gen != CORE_BADGE_GEN(badge))
		return 0;
	return table[i];
}

/* session_new: a record of type for c, with donated quota, and its capability. */
err_t session_new(component_t *c, uint8_t type, uint64_t ram, uint64_t caps, session_t **out)
{
	unsigned i = free_hint;
	while (i < MAX_SESSIONS && table[i])
		i++;
	if (i == MAX_SESSIONS || c->session_count >= MAX_SESSIONS_PER_COMPONENT ||
	    caps >= c->cap_quota - c->cap_used)
		return ERR_OUT_OF_CAPS; /* also keeps caps + 1 from wrapping */
	err_t e = charge(c, ram, caps + 1);
	if (e != ERR_OK)
		return e;
	session_t *s = comp_new(c, sizeof(*s));
	if (!s) {
		uncharge(c, ram, caps + 1);
		return ERR_OUT_OF_RAM;
	}
	memset(s, 0, sizeof(*s));
	s->index = i, s->gen = ++gens[i] & 0xffffff, s->type = type, s->client = c;
	s->ram_quota = ram, s->cap_quota = caps;
	if ((e = mint(CORE_BADGE(BADGE_SESSION, s->gen, i), &s->cap)) != ERR_OK) {
		comp_delete(c, s);
		uncharge(c, ram, caps + 1);
		return e;
	}
	table[i] = s;
	c->session_count++;
	*out = s;
	return ERR_OK;
}

/* destroy_object: a kernel object core made, its slot and its frame given back. */
static void destroy_object(cap_t *slot, paddr_t *frame)
{
	if (*slot) {
		sys6(SYS_DESTROY, SLOT_KERNEL, *slot, 0, 0, 0, 0);
		slot_free(*slot);
	}
	if (*frame)
		phys_free(*frame); /* the kernel released it on destroy (or never took it) */
	*slot = 0, *frame = 0;
}

/* irq_objects_free: the IRQ object and signal of an IRQ session, with their charge. */
static void irq_objects_free(session_t *s)
{
	destroy_object(&s->irq, &s->irq_frame);
	destroy_object(&s->sig, &s->sig_frame);
	uncharge(s->client, 2 * PAGE_SIZE, 2);
}

static void session_free(session_t *s)
{
	component_t *c = s->client;
	switch (s->type) {
	case SVC_RM:
		if (s->rm_owned)
			rmap_destroy(s->rm);
		break;
	case SVC_ROM:
	case SVC_IO_MEM: ds_destroy(s->ds); break;
	case SVC_IO_PORT: sys6(SYS_PD_IO_PORTS, SLOT_KERNEL, c->pd, s->base, s->size, 0, 0); break;
	case SVC_IRQ: irq_objects_free(s); break;
	}
	table[s->index] = 0;
	gens[s->index]++;
	c->session_count--;
	if (s->index < free_hint)
		free_hint = s->index;
	slot_free(s->cap);
	uncharge(c, s->ram_quota, s->cap_quota + 1);
	comp_delete(c, s);
	comp_trim(c);
}

/* overlaps_session: another session of type covers part of [base, base + size). */
static int overlaps_session(uint8_t type, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (table[i] && table[i]->type == type && base < table[i]->base + table[i]->size &&
		    table[i]->base < base + size)
			return 1;
	return 0;
}

/* overlaps_ram: [base, base + size) touches RAM (or the kernel and modules in it). */
static int overlaps_ram(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < core_bootinfo->mem_count; i++) {
		const bootinfo_mem_t *m = &core_bootinfo->mem[i];
		if ((m->type == BOOTINFO_MEM_AVAILABLE || m->type == BOOTINFO_MEM_FREE) &&
		    base < m->base + m->size && m->base < base + size)
			return 1;
	}
	return 0;
}

static err_t open_rom(session_t *s, const char *args)
{
	if (!args_string(args, "label", s->label, sizeof(s->label)))
		return ERR_INVALID_ARGS;
	for (uint32_t i = 0; i < core_bootinfo->module_count; i++) {
		const bootinfo_module_t *m = &core_bootinfo->modules[i];
		if (strcmp(m->name, s->label))
			continue;
		if (m->base & (PAGE_SIZE - 1))
			return ERR_INVALID_DATASPACE; /* a module that does not start on a page */
		s->size = m->size;
		return ds_create(s->client, DS_ROM, m->base,
				 (m->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), 0, 0, &s->ds);
	}
	return ERR_NOT_FOUND;
}

/* Ranges no component gets: system reset, PCI configuration, interrupt controllers. */
static const struct {
	uint64_t base, size;
} denied_ports[] = {{0x92, 1}, {0xcf8, 8}},
  denied_mmio[] = {{0xfec00000, 0x100000}, {0xfee00000, 0x100000}};

static int overlaps_denied(int ports, uint64_t base, uint64_t size)
{
	unsigned n = ports ? sizeof(denied_ports) / sizeof(denied_ports[0])
			   : sizeof(denied_mmio) / sizeof(denied_mmio[0]);
	for (unsigned i = 0; i < n; i++) {
		uint64_t b = ports ? denied_ports[i].base : denied_mmio[i].base;
		uint64_t sz = ports ? denied_ports[i].size : denied_mmio[i].size;
		if (base < b + sz && b < base + size)
			return 1;
	}
	return 0;
}

static err_t open_io_mem(session_t *s, const char *args)
{
	uint64_t base = args_number(args, "base", 1), size = args_number(args, "size", 0);
	if ((base | size) & (PAGE_SIZE - 1) || size == 0 || base + size < base ||
	    base + size > (1ull << 52) || size > MAX_ATTACH_SIZE)
		return ERR_INVALID_ARGS;
	if (!s->client->may_io || overlaps_ram(base, size) || overlaps_denied(0, base, size))
		return ERR_DENIED;
	if (overlaps_session(SVC_IO_MEM, base, size))
		return ERR_BUSY;
	s->base = base, s->size = size;
	return ds_create(s->client, DS_IO_MEM, base, size, 1, 1, &s->ds);
}

static err_t open_io_port(session_t *s, const char *args)
{
	uint64_t base = args_number(args, "base", ~0ull), size = args_number(args, "size", 0);
	if (size == 0 || base > 0xffff || size > 0x10000 - base)
		return ERR_INVALID_ARGS;
	if (!s->client->may_io || overlaps_denied(1, base, size))
		return ERR_DENIED;
	if (overlaps_session(SVC_IO_PORT, base, size))
		return ERR_BUSY;
	component_t *c = s->client;
	paddr_t frames = c->io_bitmap;
	err_t e = frames ? ERR_OK : comp_alloc_raw(c, 2 * PAGE_SIZE, &frames);
	if (e != ERR_OK)
		return e;
	if ((e = sys6(SYS_PD_IO_PORTS, SLOT_KERNEL, c->pd, base, size, 1, frames)) != ERR_OK) {
		if (!c->io_bitmap)
			comp_free(c, frames, 2 * PAGE_SIZE);
		return e;
	}
	c->io_bitmap = frames; /* the kernel keeps it until the PD dies */
	s->base = base, s->size = size;
	return ERR_OK;
}

static err_t open_irq(session_t *s, const char *args)
{
	uint64_t line = args_number(args, "line", ~0ull);
	component_t *c = s->client;
	if (line >= 16)
		return ERR_INVALID_ARGS;
	if (!c->may_io)
		return ERR_DENIED;
	err_t e = charge(c, 2 * PAGE_SIZE, 2);
	if (e != ERR_OK)
		return e;
	if ((e = kobj_create_at(c->id, OBJ_IRQ, line, 0, &s->irq, &s->irq_frame)) == ERR_OK &&
	    (e = kobj_create_at(c->id, OBJ_SIGNAL, 0, 0, &s->sig, &s->sig_frame)) == ERR_OK)
		e = sys6(SYS_IRQ_BIND, SLOT_KERNEL, s->irq, s->sig, 0, 0, 0);
	if (e != ERR_OK)
		irq_objects_free(s);
	return e;
}

static err_t open_rm(session_t *s, const char *args)
{
	uint64_t size = args_number(args, "size", 0);
	if (size == 0 || (size & (PAGE_SIZE - 1)) || size > MAX_ATTACH_SIZE)
		return ERR_INVALID_ARGS;
	err_t e = rmap_create(s->client, 0, 0, size, &s->rm);
	if (e != ERR_OK)
		return e;
	s->rm_owned = 1;
	if ((e = ds_create(s->client, DS_MANAGED, 0, size, 1, 0, &s->rm->ds)) != ERR_OK) {
		rmap_destroy(s->rm);
		return e;
	}
	s->rm->ds->rm = s->rm;
	return ERR_OK;
}

/* open_typed: the service-specific part of opening s. */
static err_t open_typed(session_t *s, const char *args)
{
	args_string(args, "label", s->label, sizeof(s->label));
	switch (s->type) {
	case SVC_RM: return open_rm(s, args);
	case SVC_ROM: return open_rom(s, args);
	case SVC_IO_MEM: return open_io_mem(s, args);
	case SVC_IO_PORT: return open_io_port(s, args);
	case SVC_IRQ: return open_irq(s, args);
	case SVC_LOG: return ERR_OK;
	default: return ERR_DENIED; /* PD sessions come with the component */
	}
}

err_t session_open(component_t *c, const char *args, cap_t *cap)
{
	char name[16];
	if (!args_valid(args, SESSION_ARGS_MAX) || !args_service(args, name, sizeof(name)))
		return ERR_INVALID_ARGS;
	uint8_t type = 0;
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (!strcmp(services[i].name, name))
			type = services[i].type;
	if (!type)
		return ERR_NOT_FOUND;
	uint64_t ram = args_number(args, "ram_quota", 0), caps = args_number(args, "cap_quota", 0);
	if (ram < SESSION_RAM_MIN)
		return ERR_OUT_OF_RAM;
	session_t *s;
	err_t e = session_new(c, type, ram, caps, &s);
	if (e != ERR_OK)
		return e;
	if ((e = open_typed(s, args)) != ERR_OK) {
		s->type = 0; /* nothing of the type to undo */
		session_free(s);
		return e;
	}
	*cap = s->cap;
	return ERR_OK;
}

err_t session_create_pd(component_t *c, cap_t *cap, word_t *badge)
{
	session_t *s;
	err_t e = session_new(c, SVC_PD, 0, 0, &s);
	if (e == ERR_OK) {
		c->pd_session = s->index;
		*cap = s->cap;
		*badge = CORE_BADGE(BADGE_SESSION, s->gen, s->index);
	}
	return e;
}

err_t session_close(component_t *c, word_t badge)
{
	session_t *s = session_lookup(badge);
	if (!s || s->client != c)
		return ERR_INVALID_CAP;
	if (s->type == SVC_PD || (s->type == SVC_RM && !s->rm_owned))
		return ERR_DENIED; /* its PD and address space live as long as the component */
	session_free(s);
	return ERR_OK;
}

err_t session_upgrade(component_t *c, word_t badge, uint64_t ram, uint64_t caps)
{
	session_t *s = session_lookup(badge);
	if (!s || s->client != c)
		return ERR_INVALID_CAP;
	err_t e = charge(c, ram, caps);
	if (e == ERR_OK)
		s->ram_quota += ram, s->cap_quota += caps;
	return e;
}

void session_close_all(component_t *c)
{
	for (unsigned pass = 0; pass < 2;
	     pass++) /* address-space sessions first, their RM is shared */
		for (unsigned i = 0; i < MAX_SESSIONS; i++)
			if (table[i] && table[i]->client == c &&
			    (pass || (table[i]->type == SVC_RM && !table[i]->rm_owned)))
				session_free(table[i]);
}
