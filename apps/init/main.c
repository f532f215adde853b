/*
 * init: reads its ROM "config" and starts the children it names, each with
 * the quota and priority its <start> node gives, and is their parent: it
 * opens the sessions they ask for at its own parent (core), with their
 * labels prefixed by the child's name and paid from the child's quota, and
 * destroys a child that exits, reporting its exit code. A config it does
 * not fully understand starts nothing: the error names line and column.
 *
 * A child may also serve: the services its <provides> lists it may
 * announce, and a sibling that asks for one (PARENT_SESSION) gets a
 * send-only copy of the server's endpoint with a badge of its own, minted
 * by core on init's behalf (PD_MINT). A service is found by its name: two
 * children cannot provide the same one, and one nobody provides is denied.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include <child.h>
#include <xml.h>
#include <session_args.h>

#define MAX_CHILDREN 16
#define MAX_SESSIONS 8 /* per child */
#define NAME_MAX 32
#define SERVICE_MAX 16 /* a service name, with its end */
#define PROVIDES_MAX 4 /* services per child */
#define DEVICES_MAX 4  /* <io_mem> and <irq> grants per child, each */

typedef struct {
	cap_t cap; /* init's; the child holds a copy */
	uint64_t ram, caps;
	word_t badge; /* to recognise the copy the child sends back: core's */
	int local;    /* LOCAL_COPY or LOCAL_CONFIG: badge is init's */
	cap_t ds;     /* LOCAL_CONFIG: the dataspace holding the child's <config> */
} forwarded_t;

enum { LOCAL_COPY = 1, LOCAL_CONFIG = 2 }; /* a sibling's endpoint; init's own ROM session */
#define CONFIG_BADGE (1ull << 56)	   /* | child index: a config ROM session of init's */

typedef struct {
	char name[NAME_MAX], binary[NAME_MAX];
	uint64_t ram, caps, prio;
	int running;
	char state[64];		  /* how it ended, for the resource table */
	const xml_node_t *config; /* its <config>, served as its ROM "config" */
	const xml_node_t *route;  /* its <route>, or 0 */
	struct {
		uint64_t base, size;
	} io_mem[DEVICES_MAX];	   /* <io_mem base size/>: the device memory it may open */
	uint64_t irq[DEVICES_MAX]; /* <irq line/>: the interrupt lines it may open */
	unsigned io_mems, irqs;
	pd_quota_t last;    /* its quota and use as it ended */
	uint64_t last_peak; /* the most RAM it had in use */
	child_t child;
	forwarded_t sessions[MAX_SESSIONS];
	char provides[PROVIDES_MAX][SERVICE_MAX];
	unsigned provided;
} init_child_t;

typedef struct {
	char name[SERVICE_MAX];
	cap_t ep;	      /* the server's endpoint, whole: PD_MINT copies it */
	init_child_t *server; /* 0: not announced (yet, or any more) */
} service_t;

typedef struct {
	env_t *env;
	xml_doc_t doc;
	init_child_t children[MAX_CHILDREN];
	unsigned count, running;
	char provides[8][SERVICE_MAX]; /* services of <parent-provides> */
	unsigned provided;
	service_t services[MAX_CHILDREN * PROVIDES_MAX]; /* announced by children */
	word_t next_badge;   /* of sessions to children's services: below core's kinds */
	cap_t ep, fault_sig; /* init's endpoint; core submits the signal on a child's fault */
	attached_ds_t config_rom;
	const xml_node_t *default_route; /* <default-route>, or 0 */
	bool report_cycles;		 /* <report cycles="yes"/>: rdtsc at each start */
	bool report_resources; /* <report resources="yes"/>: the table once all have ended */
} init_t;

static init_t init;

/* ---- the config ---- */

static err_t config_error(const xml_node_t *n, const char *what, const char *name)
{
	log_printf("init: config %u:%u: %s%s%s%s\n", n->line, n->column, what, name ? " '" : "",
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

static init_child_t *provider_of(const char *service)
{
	for (unsigned i = 0; i < init.count; i++)
		for (unsigned j = 0; j < init.children[i].provided; j++)
			if (!strcmp(init.children[i].provides[j], service))
				return &init.children[i];
	return 0;
}

/*
 * read_devices: the device memory ranges and interrupt lines a child may
 * open: without a grant, an IO_MEM or IRQ request is refused even where
 * <parent-provides> lists the service.
 */
static err_t read_devices(const xml_node_t *start, init_child_t *c)
{
	for (const xml_node_t *d = xml_first_child(start, "io_mem"); d; d = xml_next(d, "io_mem")) {
		uint64_t base, size;
		if (xml_attr_u64(d, "base", ~0ull, &base) != ERR_OK ||
		    xml_attr_u64(d, "size", 0, &size) != ERR_OK || base == ~0ull || size == 0 ||
		    base + size < base)
			return config_error(d, "an <io_mem> needs a base and a size for", c->name);
		if (c->io_mems == DEVICES_MAX)
			return config_error(d, "more <io_mem> ranges than init keeps for", c->name);
		c->io_mem[c->io_mems].base = base, c->io_mem[c->io_mems++].size = size;
	}
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

/* device_granted: a device request within what c's <start> grants. */
static int device_granted(const init_child_t *c, const char *service, const char *args)
{
	if (!strcmp(service, "IO_MEM")) {
		uint64_t base = args_number(args, "base", ~0ull),
			 size = args_number(args, "size", 0);
		for (unsigned i = 0; i < c->io_mems; i++)
			if (size && base >= c->io_mem[i].base && base + size >= base &&
			    base + size <= c->io_mem[i].base + c->io_mem[i].size)
				return 1;
		return 0;
	}
	if (!strcmp(service, "IRQ")) {
		uint64_t line = args_number(args, "line", ~0ull);
		for (unsigned i = 0; i < c->irqs; i++)
			if (line == c->irq[i])
				return 1;
		return 0;
	}
	/*
	 * IO_PORT: core opens the ports in the bitmap of the session's client,
	 * which for a forwarded session is init: never for a child.
	 */
	return strcmp(service, "IO_PORT") != 0;
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

/* check_binary: the boot module a child is to run from exists: asked of core before anything
 * starts. */
static err_t check_binary(const xml_node_t *start, const init_child_t *c)
{
	char args[SESSION_ARGS_MAX];
	cap_t rom;
	format_buf(args, sizeof(args), "ROM label=%s ram_quota=4096", c->binary);
	err_t e = parent_session_open(args, &rom);
	if (e != ERR_OK) {
		log_printf("init: config %u:%u: no binary '%s' for '%s': %s\n", start->line,
			   start->column, c->binary, c->name, err_name(e));
		return e;
	}
	parent_session_close(rom);
	return ERR_OK;
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
typedef enum { ROUTE_BY_NAME, ROUTE_DENIED, ROUTE_PARENT, ROUTE_CHILD, ROUTE_ANY_CHILD } route_t;

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
static route_t route_of(const init_child_t *c, const char *service, init_child_t **to)
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
static err_t read_config(env_t *env)
{
	attached_ds_t *rom = &init.config_rom; /* kept: the children's <config> are slices of it */
	xml_error_t xe;
	err_t e = attached_rom_ds(env, "config", rom);
	if (e != ERR_OK) {
		log_printf("init: no config: %s\n", err_name(e));
		return e;
	}
	allocator_t a = heap_allocator(&env->heap);
	e = xml_parse((const char *)rom->addr, rom->size, &a, 0, &init.doc, &xe);
	if (e != ERR_OK) {
		log_printf("init: config %u:%u: %s\n", xe.line, xe.column, xe.message);
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
		if ((e = read_start(s, c)) != ERR_OK || (e = check_binary(s, c)) != ERR_OK)
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
		log_printf("init: config: the children want %lu KiB and %lu caps, init has %lu KiB "
			   "and %lu caps\n",
			   ram >> 10, caps, (q.ram_quota - q.ram_used) >> 10,
			   q.cap_quota - q.cap_used);
		return ERR_OUT_OF_RAM;
	}
	return ERR_OK;
}

/* ---- serving the children ---- */

static init_child_t *child_of(word_t badge)
{
	return badge >= 1 && badge <= init.count && init.children[badge - 1].running
		   ? &init.children[badge - 1]
		   : 0;
}

static int parent_provides(const char *service)
{
	for (unsigned i = 0; i < init.provided; i++)
		if (!strcmp(init.provides[i], service))
			return 1;
	return 0;
}

/* relabel: args with the label prefixed by the child's name ("child -> label"). */
static void relabel(const init_child_t *c, const char *args, const char *service, char *out,
		    size_t size)
{
	char label[48] = "", rest[SESSION_ARGS_MAX];
	args_string(args, "label", label, sizeof(label));
	size_t n = 0;
	const char *p = args + strlen(service), *w;
	size_t l;
	while ((w = args_word(&p, &l))) /* every argument but the label, as it came */
		if (!(l >= 6 && !strncmp(w, "label=", 6)))
			n += format_buf(rest + n, n < sizeof(rest) ? sizeof(rest) - n : 0, " %.*s",
					(int)l, w);
	rest[n < sizeof(rest) ? n : sizeof(rest) - 1] = 0;
	if (!strcmp(service, "ROM")) /* a boot module by its own name */
		format_buf(out, size, "%s label=%s%s", service, label, rest);
	else
		format_buf(out, size, "%s label=%s%s%s%s", service, c->name, label[0] ? " -> " : "",
			   label, rest);
}

/* free_session: an unused entry of c's session table, or 0 (it holds MAX_SESSIONS). */
static forwarded_t *free_session(init_child_t *c)
{
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (!c->sessions[i].cap)
			return &c->sessions[i];
	return 0;
}

/*
 * config_open: the child's ROM "config", its <config> node as text: a RAM
 * dataspace of init's, paid from the child's quota (moved to init for the
 * session's life), behind a ROM session init serves itself on its own
 * endpoint. A child without <config> has no ROM "config" (NOT_FOUND): it
 * does not see init's.
 */
static word_t config_open(init_child_t *c, forwarded_t *f)
{
	if (!c->config)
		return MSG_INFO(ERR_NOT_FOUND, 0, 0);
	size_t size = c->config->length;
	f->ram = (size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1), f->caps = 1;
	f->badge = CONFIG_BADGE | (word_t)(c - init.children), f->local = LOCAL_CONFIG;
	attached_ds_t ds;
	err_t e = pd_transfer(c->child.pd, init.env->pd, f->ram, f->caps);
	if (e != ERR_OK) {
		memset(f, 0, sizeof(*f));
		return MSG_INFO(e, 0, 0);
	}
	if ((e = attached_ram_ds(init.env, size, &ds)) == ERR_OK) {
		memcpy((void *)ds.addr, (const char *)init.config_rom.addr + c->config->offset,
		       size);
		rm_detach(init.env->rm, ds.addr);
		f->ds = ds.ds;
		if ((e = pd_mint(init.env->pd, init.ep, f->badge, &f->cap)) != ERR_OK)
			pd_free(init.env->pd, f->ds);
	}
	if (e != ERR_OK) {
		pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
		memset(f, 0, sizeof(*f));
		return MSG_INFO(e, 0, 0);
	}
	sys_utcb()->send_caps[0] = f->cap;
	return MSG_INFO(0, 0, 1);
}

/* rom_dataspace: ROM_DATASPACE on a config ROM session init serves. */
static word_t rom_dataspace(rpc_server_t *s, word_t badge, msg_t *m)
{
	word_t i = badge & ~CONFIG_BADGE;
	if (!(badge & CONFIG_BADGE) || i >= init.count || !init.children[i].running)
		return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0); /* label 1 from a child's parent cap */
	init_child_t *c = &init.children[i];
	for (unsigned j = 0; j < MAX_SESSIONS; j++)
		if (c->sessions[j].local == LOCAL_CONFIG && c->sessions[j].badge == badge) {
			sys_utcb()->send_caps[0] = c->sessions[j].ds;
			MSG_AS(m, ds_size_reply_t)->size = c->config->length;
			return MSG_INFO(0, MSG_WORDS_OF(ds_size_reply_t), 1);
		}
	return MSG_INFO(ERR_INVALID_CAP, 0, 0); /* closed */
}

static word_t session_open(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	char args[SESSION_ARGS_MAX], service[16], routed[SESSION_ARGS_MAX];
	if (!c)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	msg_get_string(m, args, sizeof(args));
	if (!args_valid(args, sizeof(args)) || !args_service(args, service, sizeof(service)))
		return MSG_INFO(ERR_INVALID_ARGS, 0, 0);
	init_child_t *to = 0;
	route_t route = route_of(c, service, &to);
	if (route == ROUTE_DENIED || route == ROUTE_CHILD || route == ROUTE_ANY_CHILD) {
		/* a sibling's service is reached with PARENT_SESSION (parent_service_session) */
		log_printf("init: '%s' asks for a session of '%s': %s\n", c->name, service,
			   route == ROUTE_DENIED ? "no route" : "its route leads to a child");
		return MSG_INFO(ERR_DENIED, 0, 0);
	}
	if (!parent_provides(service)) {
		log_printf("init: '%s' asks for a session of '%s': no route\n", c->name, service);
		return MSG_INFO(ERR_NOT_FOUND, 0, 0);
	}
	forwarded_t *f = free_session(c);
	if (!f)
		return MSG_INFO(ERR_LIMIT, 0, 0);
	char label[48] = "";
	args_string(args, "label", label, sizeof(label));
	if (!strcmp(service, "ROM") && !strcmp(label, "config"))
		return config_open(c, f);
	if (!device_granted(c, service, args)) {
		log_printf("init: '%s' asks for %s%s: not granted by its <start>\n", c->name,
			   service, args + strlen(service));
		return MSG_INFO(ERR_DENIED, 0, 0);
	}
	f->ram = args_number(args, "ram_quota", 0), f->caps = args_number(args, "cap_quota", 0);
	/* the child pays: its quota moves to init for as long as the session lives */
	err_t e = pd_transfer(c->child.pd, init.env->pd, f->ram, f->caps);
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	relabel(c, args, service, routed, sizeof(routed));
	word_t type, rights;
	if ((e = parent_session_open(routed, &f->cap)) != ERR_OK ||
	    (e = sys_cap_identify(f->cap, &type, &rights, &f->badge)) != ERR_OK) {
		pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
		f->cap = 0;
		return MSG_INFO(e, 0, 0);
	}
	sys_utcb()->send_caps[0] = f->cap;
	return MSG_INFO(0, 0, 1);
}

/* close_forwarded: close f at core and give the child its quota back. */
static void close_forwarded(init_child_t *c, forwarded_t *f)
{
	if (f->local) { /* a copy of a sibling's endpoint, or init's own: nothing at core */
		slot_free(f->cap);
		if (f->local == LOCAL_CONFIG) {
			pd_free(init.env->pd, f->ds);
			if (c->running)
				pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
		}
		memset(f, 0, sizeof(*f));
		return;
	}
	parent_session_close(f->cap);
	if (c->running)
		pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
	memset(f, 0, sizeof(*f));
}

static word_t session_close(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	word_t type, rights, b;
	if (rpc_received_badge(m, 0, &b)) { /* init's own endpoint: a config ROM session */
		if (!(b & CONFIG_BADGE))
			return MSG_INFO(ERR_INVALID_CAP, 0,
					0); /* a parent capability is no session */
		for (unsigned i = 0; c && i < MAX_SESSIONS; i++)
			if (c->sessions[i].local == LOCAL_CONFIG && c->sessions[i].badge == b) {
				close_forwarded(c, &c->sessions[i]);
				return MSG_INFO(0, 0, 0);
			}
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	}
	cap_t theirs = rpc_take_cap(s, m, OBJ_ENDPOINT);
	err_t e = theirs ? sys_cap_identify(theirs, &type, &rights, &b) : ERR_INVALID_CAP;
	if (theirs)
		slot_free(theirs);
	if (!c || e != ERR_OK)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (c->sessions[i].cap && c->sessions[i].badge == b) {
			close_forwarded(c, &c->sessions[i]);
			return MSG_INFO(0, 0, 0);
		}
	return MSG_INFO(ERR_INVALID_CAP, 0, 0);
}

static void report_resources(void);

/* child_end: close c's sessions, forget its services, destroy it; its quota is init's again. */
static void child_end(init_child_t *c)
{
	pd_quota(c->child.pd, &c->last);
	pd_ram_peak(c->child.pd, &c->last_peak);
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (c->sessions[i].cap)
			close_forwarded(c, &c->sessions[i]);
	for (unsigned i = 0; i < sizeof(init.services) / sizeof(init.services[0]); i++)
		if (init.services[i].server == c) { /* its clients' copies fail from now on */
			slot_free(init.services[i].ep);
			memset(&init.services[i], 0, sizeof(init.services[i]));
		}
	c->running = 0;
	child_destroy(init.env, &c->child);
	init.running--;
}

/* ended: after a child's end is reported: the table, once none runs any more. */
static void ended(void)
{
	if (init.running == 0 && init.report_resources)
		report_resources();
}

static word_t child_exit(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	if (!c)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	log_printf("init: '%s' exited with %ld\n", c->name, (long)m->mr[0]);
	format_buf(c->state, sizeof(c->state), "exited with %ld", (long)m->mr[0]);
	child_end(c);
	ended();
	return SYS_NO_REPLY;
}

/*
 * faults: init's own watcher thread (badge 0: no child's capability has
 * it) saw core's fault signal: every child with a thread stopped on a
 * fault is reported and destroyed; its siblings carry on.
 */
static word_t faults(rpc_server_t *s, word_t badge, msg_t *m)
{
	if (badge != 0)
		return MSG_INFO(ERR_DENIED, 0, 0);
	for (unsigned i = 0; i < init.count; i++) {
		init_child_t *c = &init.children[i];
		pd_fault_info_reply_t f;
		if (!c->running || pd_fault_info(c->child.pd, &f) != ERR_OK || !f.faults)
			continue;
		format_buf(c->state, sizeof(c->state), "faulted (%s at 0x%lx)",
			   fault_kind_name(f.kind), f.addr);
		pd_quota_t before, after;
		pd_quota(init.env->pd, &before);
		child_end(c);
		pd_quota(init.env->pd, &after);
		log_printf("init: '%s' faulted: thread %u, %s fault at 0x%lx, ip 0x%lx; destroyed, "
			   "%lu KiB and %lu caps back at init\n",
			   c->name, f.thread, fault_kind_name(f.kind), f.addr, f.ip,
			   (before.ram_used - after.ram_used) >> 10,
			   before.cap_used - after.cap_used);
		ended();
	}
	return MSG_INFO(0, 0, 0);
}

/* report_resources: one row per child, as it ended. */
static void report_resources(void)
{
	log_printf("init: %-12s %10s %10s %10s %6s %6s  %s\n", "child", "RAM KiB", "used KiB",
		   "peak KiB", "caps", "used", "state");
	for (unsigned i = 0; i < init.count; i++) {
		const init_child_t *c = &init.children[i];
		log_printf("init: %-12s %10lu %10lu %10lu %6lu %6lu  %s\n", c->name,
			   c->last.ram_quota >> 10, c->last.ram_used >> 10, c->last_peak >> 10,
			   c->last.cap_quota, c->last.cap_used,
			   c->state[0] ? c->state : "not started");
	}
}

#define INIT_FAULTS 0x1f /* the watcher's call: not a parent request */
#define WATCHER_STACK 16384

/* watcher: waits for core's fault signal and tells init's server thread. */
static void watcher(word_t sig, utcb_t *utcb)
{
	for (;;) {
		word_t count;
		if (sys_signal_wait(sig, &count) != ERR_OK)
			return;
		msg_t m = {.info = MSG_INFO(INIT_FAULTS, 0, 0)};
		sys_call(init.ep, &m);
	}
}

/* watch_faults: a signal for every child's faults and the thread that waits for it. */
static err_t watch_faults(env_t *env)
{
	void *stack;
	err_t e = pd_alloc_signal(env->pd, &init.fault_sig);
	if (e == ERR_OK && (e = heap_alloc(&env->heap, WATCHER_STACK, &stack)) == ERR_OK)
		e = pd_thread(env->pd, watcher, (char *)stack + WATCHER_STACK, PRIORITY_MAX - 1,
			      init.fault_sig);
	return e;
}

/* service_named: the record of an announced service, or 0. */
static service_t *service_named(const char *name)
{
	for (unsigned i = 0; i < sizeof(init.services) / sizeof(init.services[0]); i++)
		if (init.services[i].server && !strcmp(init.services[i].name, name))
			return &init.services[i];
	return 0;
}

/* announce: c serves a service its <provides> lists, at the endpoint it sends. */
static word_t announce(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	char name[64];
	msg_get_string(m, name, sizeof(name));
	cap_t ep = rpc_take_cap(s, m, OBJ_ENDPOINT);
	err_t e = ERR_OK;
	if (!c || !ep)
		e = ERR_INVALID_CAP;
	else if (provider_of(name) != c) {
		log_printf("init: '%s' announces '%s', which its <provides> does not list\n",
			   c->name, name);
		e = ERR_DENIED;
	} else if (service_named(name))
		e = ERR_EXISTS; /* until the server ends */
	service_t *svc = 0;
	for (unsigned i = 0; e == ERR_OK && i < sizeof(init.services) / sizeof(init.services[0]);
	     i++)
		if (!init.services[i].server) {
			svc = &init.services[i];
			break;
		}
	if (e == ERR_OK && !svc)
		e = ERR_LIMIT; /* cannot happen: one record per <provides> entry */
	if (e != ERR_OK) {
		if (ep)
			slot_free(ep);
		return MSG_INFO(e, 0, 0);
	}
	strcpy(svc->name, name);
	svc->ep = ep, svc->server = c;
	log_printf("init: '%s' announces service '%s'\n", c->name, name);
	return MSG_INFO(0, 0, 0);
}

/*
 * session: a session of a sibling's service: a send-only copy of its
 * endpoint with a fresh badge, mr0 the badge. NOT_FOUND while the service
 * is not announced (a client may wait), DENIED if no child provides it.
 */
static word_t session(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	char name[64];
	msg_get_string(m, name, sizeof(name));
	if (!c)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	init_child_t *to = 0, *p = provider_of(name);
	route_t route = route_of(c, name, &to);
	if (route == ROUTE_DENIED || route == ROUTE_PARENT) {
		log_printf("init: '%s' asks for service '%s': %s\n", c->name, name,
			   route == ROUTE_DENIED ? "no route" : "its route leads to the parent");
		return MSG_INFO(ERR_DENIED, 0, 0);
	}
	if (route == ROUTE_CHILD && to != p)
		p = 0; /* cannot happen: the config check made the named child the provider */
	if (!p || !p->running) {
		log_printf("init: '%s' asks for service '%s': %s\n", c->name, name,
			   p ? "its server has ended" : "no child provides it");
		return MSG_INFO(ERR_DENIED, 0, 0);
	}
	service_t *svc = service_named(name);
	if (!svc)
		return MSG_INFO(ERR_NOT_FOUND, 0, 0);
	forwarded_t *f = free_session(c);
	if (!f)
		return MSG_INFO(ERR_LIMIT, 0, 0);
	word_t b = ++init.next_badge;
	err_t e = pd_mint(init.env->pd, svc->ep, b, &f->cap);
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	f->badge = b, f->local = LOCAL_COPY, f->ram = f->caps = 0;
	m->mr[0] = b;
	sys_utcb()->send_caps[0] = f->cap;
	return MSG_INFO(0, 1, 1);
}

static const rpc_op_t init_ops[] = {
    {PARENT_SESSION_OPEN, session_open}, {PARENT_SESSION_CLOSE, session_close},
    {PARENT_EXIT, child_exit},		 {PARENT_ANNOUNCE, announce},
    {PARENT_SESSION, session},		 {INIT_FAULTS, faults},
    {ROM_DATASPACE, rom_dataspace}};

int component_main(env_t *env)
{
	init.env = env;
	if (read_config(env) != ERR_OK) {
		log_printf("init: nothing started\n");
		return 1;
	}
	err_t e = pd_alloc_endpoint(env->pd, &init.ep);
	if (e == ERR_OK)
		e = watch_faults(env);
	if (e != ERR_OK) {
		log_printf("init: cannot set up: %s; nothing started\n", err_name(e));
		return 1;
	}
	cap_t ep = init.ep;
	for (unsigned i = 0; i < init.count; i++) {
		init_child_t *c = &init.children[i];
		child_args_t a = {c->name,	     c->binary, c->ram, c->caps,
				  (unsigned)c->prio, ep,	i + 1,	0};
		if (init.report_cycles)
			log_printf("init: starting '%s' at cycle %lu\n", c->name, rdtsc());
		e = child_create(env, &a, &c->child);
		if (e == ERR_OK && (e = pd_fault_signal(c->child.pd, init.fault_sig)) != ERR_OK)
			child_destroy(env, &c->child);
		if (e != ERR_OK) {
			log_printf("init: cannot start '%s': %s\n", c->name, err_name(e));
			format_buf(c->state, sizeof(c->state), "not started: %s", err_name(e));
			continue;
		}
		c->running = 1, init.running++;
		log_printf("init: started '%s' (%s) with %lu KiB RAM and %lu caps\n", c->name,
			   c->binary, c->ram >> 10, c->caps);
	}
	if (init.report_cycles)
		log_printf("init: %u of %u children started at cycle %lu\n", init.running,
			   init.count, rdtsc());
	else
		log_printf("init: %u of %u children started\n", init.running, init.count);
	rpc_server_t s;
	rpc_server_init(&s, ep, RPC_OPS(init_ops), &init);
	faults(&s, 0, 0); /* one may have faulted before its signal was set */
	rpc_serve(&s);	  /* for good: init lives as long as the system */
	return 0;
}
