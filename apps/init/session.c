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
void relabel(const init_child_t *c, const char *args, const char *service, char *out, size_t size)
{
	char label[48] = "", rest[SESSION_ARGS_MAX];
	args_string(args, "label", label, sizeof(label));
	for (char *q = label; *q; q++)
		if (*q == '"') /* it goes in quotes */
			*q = '\'';
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
	else if (label[0]) /* quoted: the label has spaces now */
		format_buf(out, size, "%s label=\"%s -> %s\"%s", service, c->name, label, rest);
	else
		format_buf(out, size, "%s label=%s%s", service, c->name, rest);
}

/* free_session: an unused entry of c's session table, or 0 (it holds MAX_SESSIONS). */
static forwarded_t *free_session(init_child_t *c)
{
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (!c->sessions[i].cap && !c->sessions[i].local)
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
	init_child_t *to = 0, *p = provider_of(service);
	route_t route = route_of(c, service, &to);
	const char *no = 0;
	err_t why = ERR_DENIED;
	if (route == ROUTE_DENIED)
		no = "no route";
	else if (route == ROUTE_CHILD && to != p)
		no = "its route leads to a child that does not provide it";
	else if (route == ROUTE_ANY_CHILD && !p)
		no = "no child provides it";
	else if (route != ROUTE_PARENT && p == c)
		no = "it provides it itself";
	else if (route == ROUTE_PARENT || !p) {
		if (!parent_provides(service) && route == ROUTE_PARENT)
			no = "its parent does not provide it", why = ERR_NOT_FOUND;
		else if (!parent_provides(service)) /* nothing to wait for */
			no = "no child provides it";
		p = 0;
	}
	if (no) {
		log_printf("'%s' asks for a session of '%s': %s\n", c->name, service, no);
		return MSG_INFO(why, 0, 0);
	}
	forwarded_t *f = free_session(c);
	if (!f)
		return MSG_INFO(ERR_LIMIT, 0, 0);
	if (p)
		return sibling_open(c, p, service, args, f, m);
	char label[48] = "";
	args_string(args, "label", label, sizeof(label));
	if (!strcmp(service, "ROM") && !strcmp(label, "config"))
		return config_open(c, f);
	err_t g = device_granted(c, service, args);
	if (g != ERR_OK) {
		log_printf(
		    "'%s' asks for %s%s: %s\n", c->name, service, args + strlen(service),
		    g == ERR_DENIED ? "not granted by its <start>" : "no such range or line");
		return MSG_INFO(g, 0, 0);
	}
	f->ram = args_number(args, "ram_quota", 0), f->caps = args_number(args, "cap_quota", 0);
	/* the child pays: its quota moves to init for as long as the session lives */
	err_t e = pd_transfer(c->child.pd, init.env->pd, f->ram, f->caps);
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	relabel(c, args, service, routed, sizeof(routed));
	word_t type, rights;
	if ((e = parent_session_open(routed, &f->cap)) == ERR_OK &&
	    (e = sys_cap_identify(f->cap, &type, &rights, &f->badge)) != ERR_OK)
		parent_session_close(f->cap); /* cannot happen: core's own capability */
	if (e != ERR_OK) {
		pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
		f->cap = 0;
		return MSG_INFO(e, 0, 0);
	}
	if (!strcmp(service, "IO_PORT") && (e = io_port_use(f->cap, c->child.pd)) != ERR_OK) {
		close_forwarded(c, f); /* core opened them for init, the session's client */
		return MSG_INFO(e, 0, 0);
	}
	sys_utcb()->send_caps[0] = f->cap;
	return MSG_INFO(0, 0, 1);
}

/* close_forwarded: close f (at core, or at its server) and give the child its donation back. */
int close_forwarded(init_child_t *c, forwarded_t *f)
{
	if (f->local == LOCAL_SIBLING)
		return sibling_close(c, f);
	if (f->local == LOCAL_CONFIG) /* init's own ROM session: nothing at core */
		slot_free(f->cap), pd_free(init.env->pd, f->ds);
	else
		parent_session_close(f->cap);
	if (c->running)
		pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps);
	memset(f, 0, sizeof(*f));
	return 0;
}

/*
 * session_of: the session of c that the call m names: a capability to
 * init's endpoint (a config ROM session, as its badge) or to another
 * (core's or a sibling's, in the receive slot), or 0.
 */
static forwarded_t *session_of(rpc_server_t *s, init_child_t *c, msg_t *m)
{
	word_t type, rights, b;
	int local = rpc_received_badge(m, 0, &b);
	if (!local) {
		cap_t theirs = rpc_take_cap(s, m, OBJ_ENDPOINT);
		err_t e = theirs ? sys_cap_identify(theirs, &type, &rights, &b) : ERR_INVALID_CAP;
		if (theirs)
			slot_free(theirs);
		if (e != ERR_OK)
			return 0;
	} else if (!(b & CONFIG_BADGE)) {
		return 0; /* a parent capability is no session */
	}
	for (unsigned i = 0; c && i < MAX_SESSIONS; i++) {
		forwarded_t *f = &c->sessions[i];
		if (f->cap && f->badge == b && (f->local == LOCAL_CONFIG) == local)
			return f;
	}
	return 0;
}

word_t session_close(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	forwarded_t *f = session_of(s, c, m);
	if (!f)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	if (!close_forwarded(c, f))
		return MSG_INFO(0, 0, 0);
	m->mr[0] = SESSION_PENDING; /* the client waits on the session for its server's answer */
	return MSG_INFO(0, 1, 0);
}

/* session_upgrade: c donates more to one of its sessions: to core, to a sibling, or to init. */
word_t session_upgrade(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	quota_req_t q = *MSG_AS(m, quota_req_t);
	forwarded_t *f = session_of(s, c, m);
	if (!f)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	if (f->local == LOCAL_SIBLING)
		return MSG_INFO(sibling_upgrade(c, f, q.ram, q.caps), 0, 0);
	err_t e = pd_transfer(c->child.pd, init.env->pd, q.ram, q.caps);
	if (e == ERR_OK && !f->local &&
	    (e = parent_session_upgrade(f->cap, q.ram, q.caps)) != ERR_OK)
		pd_transfer(init.env->pd, c->child.pd, q.ram, q.caps);
	if (e == ERR_OK) /* init's config ROM keeps it until the close, like core */
		f->ram += q.ram, f->caps += q.caps;
	return MSG_INFO(e, 0, 0);
}
