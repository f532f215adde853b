/* init: the parent requests of its children: sessions, services, their config ROM. */
#include "init.h"

/* ---- serving the children ---- */

init_child_t *child_of(word_t badge)
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
word_t rom_dataspace(rpc_server_t *s, word_t badge, msg_t *m)
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

word_t session_open(rpc_server_t *s, word_t badge, msg_t *m)
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
void close_forwarded(init_child_t *c, forwarded_t *f)
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

word_t session_close(rpc_server_t *s, word_t badge, msg_t *m)
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

/* service_named: the record of an announced service, or 0. */
static service_t *service_named(const char *name)
{
	for (unsigned i = 0; i < sizeof(init.services) / sizeof(init.services[0]); i++)
		if (init.services[i].server && !strcmp(init.services[i].name, name))
			return &init.services[i];
	return 0;
}

/* announce: c serves a service its <provides> lists, at the endpoint it sends. */
word_t announce(rpc_server_t *s, word_t badge, msg_t *m)
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
word_t session(rpc_server_t *s, word_t badge, msg_t *m)
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
		p = 0; /* <any-service> led to a child that does not provide this one */
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
