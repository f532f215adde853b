/* init: reading and checking the config; where a request may go. */
#include "init.h"
#include <abi/elf.h>

/* ---- the config ---- */

static err_t config_error(const xml_node_t *n, const char *what, const char *name)
{
	log_printf("config %u:%u: %s%s%s%s\n", n->line, n->column, what, name ? " '" : "",
		   name ? name : "", name ? "'" : "");
	return ERR_INVALID_ARGS;
}

/* copy_name: an attribute that must be there, at most NAME_MAX - 1 characters. */
static err_t copy_name(const xml_node_t *n, const char *attr, char *out, const char *def)
{
	const char *v = xml_attr(n, attr);
	if (!v)
		v = def;
	if (!v || !v[0])
		return config_error(n, "a name is missing", 0);
	size_t len = strlen(v);
	int spaces = 0;
	for (size_t i = 0; i < len; i++)
		spaces |= v[i] == ' ';
	if (len >= NAME_MAX || spaces)
		return config_error(n, "a name too long or with a space:", v);
	strcpy(out, v);
	return ERR_OK;
}

init_child_t *provider_of(const char *service)
{
	for (unsigned i = 0; i < init.count; i++)
		for (unsigned j = 0; j < init.children[i].provided; j++)
			if (!strcmp(init.children[i].provides[j], service))
				return &init.children[i];
	return 0;
}

/*
 * read_devices: the device memory ranges, I/O port ranges and interrupt
 * lines a child may open: without a grant, an IO_MEM, IO_PORT or IRQ
 * request is refused even where <parent-provides> lists the service.
 */
static err_t read_ranges(const xml_node_t *start, const char *tag, init_child_t *c, unsigned *count,
			 typeof(c->io_mem[0]) *range)
{
	for (const xml_node_t *d = xml_first_child(start, tag); d; d = xml_next(d, tag)) {
		uint64_t base, size;
		if (xml_attr_u64(d, "base", ~0ull, &base) != ERR_OK ||
		    xml_attr_u64(d, "size", 0, &size) != ERR_OK || base == ~0ull || size == 0 ||
		    base + size < base)
			return config_error(d,
					    !strcmp(tag, "io_mem")
						? "an <io_mem> needs a base and a size for"
						: "an <io_port> needs a base and a size for",
					    c->name);
		if (*count == DEVICES_MAX)
			return config_error(d, "more device ranges than init keeps for", c->name);
		range[*count].base = base, range[(*count)++].size = size;
	}
	return ERR_OK;
}

static err_t read_devices(const xml_node_t *start, init_child_t *c)
{
	err_t e = read_ranges(start, "io_mem", c, &c->io_mems, c->io_mem);
	if (e == ERR_OK)
		e = read_ranges(start, "io_port", c, &c->io_ports, c->io_port);
	if (e != ERR_OK)
		return e;
	for (const xml_node_t *d = xml_first_child(start, "irq"); d; d = xml_next(d, "irq")) {
		uint64_t line;
		if (xml_attr_u64(d, "line", ~0ull, &line) != ERR_OK || line == ~0ull)
			return config_error(d, "an <irq> needs a line for", c->name);
		if (c->irqs == DEVICES_MAX)
			return config_error(d, "more <irq> lines than init keeps for", c->name);
		c->irq[c->irqs++] = line;
	}
	return ERR_OK;
}

/*
 * device_granted: OK for a device request within what c's <start>
 * grants; INVALID_ARGS for one that names no range or line (no base, size
 * 0, a range that wraps), as core would answer it; DENIED otherwise.
 */
err_t device_granted(const init_child_t *c, const char *service, const char *args)
{
	int mem = !strcmp(service, "IO_MEM"), port = !strcmp(service, "IO_PORT");
	if (mem || port) {
		uint64_t base = args_number(args, "base", ~0ull),
			 size = args_number(args, "size", 0);
		if (base == ~0ull || size == 0 || base + size < base)
			return ERR_INVALID_ARGS;
		unsigned n = mem ? c->io_mems : c->io_ports;
		for (unsigned i = 0; i < n; i++) {
			uint64_t b = mem ? c->io_mem[i].base : c->io_port[i].base,
				 s = mem ? c->io_mem[i].size : c->io_port[i].size;
			if (base >= b && base + size <= b + s)
				return ERR_OK;
		}
		return ERR_DENIED;
	}
	if (!strcmp(service, "IRQ")) {
		uint64_t line = args_number(args, "line", ~0ull);
		if (line == ~0ull)
			return ERR_INVALID_ARGS;
		for (unsigned i = 0; i < c->irqs; i++)
			if (line == c->irq[i])
				return ERR_OK;
		return ERR_DENIED;
	}
	return ERR_OK;
}

/* read_provides: the services a child may announce, each provided by one child only. */
static err_t read_provides(const xml_node_t *start, init_child_t *c)
{
	const xml_node_t *p = xml_first_child(start, "provides");
	for (const xml_node_t *s = p ? xml_first_child(p, "service") : 0; s;
	     s = xml_next(s, "service")) {
		const char *name = xml_attr(s, "name");
		if (!name || !name[0] || strlen(name) >= SERVICE_MAX)
			return config_error(s, "a <service> of <provides> without a valid name", 0);
		if (c->provided == PROVIDES_MAX)
			return config_error(s, "more services than a child can provide:", name);
		if (provider_of(name))
			return config_error(s, "two children provide", name);
		for (unsigned i = 0; i < c->provided; i++)
			if (!strcmp(c->provides[i], name))
				return config_error(s, "two children provide", name);
		strcpy(c->provides[c->provided++], name);
	}
	return ERR_OK;
}

static err_t read_start(const xml_node_t *n, init_child_t *c)
{
	err_t e = copy_name(n, "name", c->name, 0);
	if (e != ERR_OK)
		return e;
	c->config = xml_first_child(n, "config");
	c->route = xml_first_child(n, "route");
	if ((e = read_devices(n, c)) != ERR_OK)
		return e;
	const xml_node_t *b = xml_first_child(n, "binary");
	if ((e = copy_name(b ? b : n, "name", c->binary, c->name)) != ERR_OK)
		return e;
	if (xml_attr_u64(n, "ram", 0, &c->ram) != ERR_OK || c->ram == 0)
		return config_error(n, "no RAM quota, or not a number, for", c->name);
	if (xml_attr_u64(n, "caps", 64, &c->caps) != ERR_OK ||
	    xml_attr_u64(n, "priority", PRIORITY_DEFAULT, &c->prio) != ERR_OK ||
	    c->prio > PRIORITY_MAX)
		return config_error(n, "a malformed caps or priority for", c->name);
	for (unsigned i = 0; i < init.count; i++)
		if (!strcmp(init.children[i].name, c->name))
			return config_error(n, "two children named", c->name);
	return read_provides(n, c);
}

static err_t read_parent_provides(const xml_node_t *root)
{
	const xml_node_t *pp = xml_first_child(root, "parent-provides");
	for (const xml_node_t *s = pp ? xml_first_child(pp, "service") : 0; s;
	     s = xml_next(s, "service")) {
		const char *name = xml_attr(s, "name");
		if (!name || !name[0] || strlen(name) >= SERVICE_MAX || init.provided == 8)
			return config_error(
			    s, "a <service> of <parent-provides> without a valid name", 0);
		strcpy(init.provides[init.provided++], name);
	}
	return ERR_OK;
}

/*
 * check_binary: the boot module a child is to run from exists and is an
 * executable the loader takes, before anything starts; it stays attached
 * for child_create.
 */
static err_t check_binary(env_t *env, const xml_node_t *start, init_child_t *c)
{
	elf_image_t plan;
	err_t e = attached_rom_ds(env, c->binary, &c->rom);
	if (e != ERR_OK) {
		log_printf("config %u:%u: no binary '%s' for '%s': %s\n", start->line,
			   start->column, c->binary, c->name, err_name(e));
		return e;
	}
	if ((e = elf_check((const void *)c->rom.addr, c->rom.size, USER_TOP, &plan)) != ERR_OK) {
		log_printf("config %u:%u: the binary '%s' for '%s' is refused: %s (%s)\n",
			   start->line, start->column, c->binary, c->name, err_name(e), err_str(e));
		attached_ds_release(env, &c->rom);
	}
	return e;
}

/* ---- routes ---- */
/*
 * A <start>'s <route>, or where it has none <default-route>, is a list
 * of rules tried in order: <service name="S"> or <any-service>, each with one target,
 * <parent/>, <child name="C"/> or <any-child/>. The first rule that
 * names the service decides; a service no rule names is denied. A config
 * with neither element routes by name: core's services to the parent,
 * the others to the child that provides them.
 */
static init_child_t *child_named(const char *name)
{
	for (unsigned i = 0; i < init.count; i++)
		if (!strcmp(init.children[i].name, name))
			return &init.children[i];
	return 0;
}

/* rule_target: the target element of a rule, or 0 if it has none or more than one. */
static const xml_node_t *rule_target(const xml_node_t *rule)
{
	const xml_node_t *t = xml_first_child(rule, 0);
	return t && !xml_next(t, 0) ? t : 0;
}

/* route_of: where c's request for service goes; *to the child of ROUTE_CHILD. */
route_t route_of(const init_child_t *c, const char *service, init_child_t **to)
{
	const xml_node_t *list = c->route ? c->route : init.default_route;
	if (!list)
		return ROUTE_BY_NAME;
	for (const xml_node_t *r = xml_first_child(list, 0); r; r = xml_next(r, 0)) {
		const char *name = xml_attr(r, "name");
		if (!xml_has_name(r, "any-service") && !(name && !strcmp(name, service)))
			continue;
		const xml_node_t *t = rule_target(r);
		if (xml_has_name(t, "parent"))
			return ROUTE_PARENT;
		if (xml_has_name(t, "any-child"))
			return ROUTE_ANY_CHILD;
		*to = child_named(xml_attr(t, "name"));
		return ROUTE_CHILD;
	}
	return ROUTE_DENIED;
}

/* check_routes: every rule well formed, every child it names there and providing the service. */
static err_t check_routes(const xml_node_t *list)
{
	for (const xml_node_t *r = list ? xml_first_child(list, 0) : 0; r; r = xml_next(r, 0)) {
		const char *service = xml_attr(r, "name");
		if (!(xml_has_name(r, "service") && service) && !xml_has_name(r, "any-service"))
			return config_error(r, "a route rule is <service name> or <any-service>",
					    0);
		const xml_node_t *t = rule_target(r);
		if (!t || !(xml_has_name(t, "parent") || xml_has_name(t, "any-child") ||
			    xml_has_name(t, "child")))
			return config_error(r,
					    "a route rule leads to one <parent/>, <child name/> or "
					    "<any-child/>",
					    0);
		if (!xml_has_name(t, "child"))
			continue;
		const char *name = xml_attr(t, "name");
		const init_child_t *to = name ? child_named(name) : 0;
		if (!to)
			return config_error(t, "a route to a child that does not exist:", name);
		if (service && provider_of(service) != to)
			return config_error(
			    t, "a route to a child that does not provide the service:", name);
	}
	return ERR_OK;
}

/* read_config: all of it understood, or nothing started. */
err_t read_config(env_t *env)
{
	attached_ds_t *rom = &init.config_rom; /* kept: the children's <config> are slices of it */
	xml_error_t xe;
	err_t e = attached_rom_ds(env, "config", rom);
	if (e != ERR_OK) {
		log_printf("no config: %s\n", err_name(e));
		return e;
	}
	allocator_t a = heap_allocator(&env->heap);
	e = xml_parse((const char *)rom->addr, rom->size, &a, 0, &init.doc, &xe);
	if (e != ERR_OK) {
		log_printf("config %u:%u: %s\n", xe.line, xe.column, xe.message);
		return e;
	}
	const xml_node_t *root = init.doc.root;
	if (!xml_has_name(root, "config"))
		return config_error(root, "the root element is not <config>", 0);
	if ((e = read_parent_provides(root)) != ERR_OK)
		return e;
	const xml_node_t *report = xml_first_child(root, "report");
	if (report && (xml_attr_bool(report, "cycles", false, &init.report_cycles) != ERR_OK ||
		       xml_attr_bool(report, "resources", false, &init.report_resources) != ERR_OK))
		return config_error(report, "<report> takes cycles and resources, yes or no", 0);
	uint64_t ram = 0, caps = 0;
	for (const xml_node_t *s = xml_first_child(root, "start"); s; s = xml_next(s, "start")) {
		if (init.count == MAX_CHILDREN)
			return config_error(s, "more children than init can serve", 0);
		init_child_t *c = &init.children[init.count];
		if ((e = read_start(s, c)) != ERR_OK || (e = check_binary(env, s, c)) != ERR_OK)
			return e;
		init.count++;
		ram += c->ram, caps += c->caps;
	}
	init.default_route = xml_first_child(root, "default-route");
	if ((e = check_routes(init.default_route)) != ERR_OK)
		return e;
	for (unsigned i = 0; i < init.count; i++)
		if ((e = check_routes(init.children[i].route)) != ERR_OK)
			return e;
	pd_quota_t q;
	pd_quota(env->pd, &q);
	if (ram > q.ram_quota - q.ram_used || caps > q.cap_quota - q.cap_used) {
		log_printf("config: the children want %lu KiB and %lu caps, init has %lu KiB "
			   "and %lu caps\n",
			   ram >> 10, caps, (q.ram_quota - q.ram_used) >> 10,
			   q.cap_quota - q.cap_used);
		return ERR_OUT_OF_RAM;
	}
	return ERR_OK;
}
