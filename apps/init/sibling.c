/*
 * init: children's services. A child may announce what its <provides>
 * lists; a sibling's session of it is a badged copy of the server's
 * endpoint that core mints for init (PD_MINT), and the client's donation
 * moves into the server's quota. init never calls a server: it queues the
 * request (create, upgrade, close) in the client's session record, submits
 * the server's signal, and the server fetches its requests in order with
 * PARENT_SESSION_REQUEST, answering each with the next call. A server that
 * refuses, or closes, gets the donation moved back; one that ends takes
 * its sessions with it and init gives their donations back from the quota
 * that came back with it. The protocol is in core_proto.h.
 */
#include "init.h"

/* announced_named: the record of an announced service, or 0. */
static announced_t *announced_named(const char *name)
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
	word_t type, rights, b;
	err_t e = ERR_OK;
	if (!c || !ep || sys_cap_identify(ep, &type, &rights, &b) != ERR_OK ||
	    !(rights & RIGHT_CTRL))
		e = ERR_INVALID_CAP; /* init mints from it: the endpoint whole, as its maker holds
					it */
	else if (provider_of(name) != c) {
		log_printf("'%s' announces '%s', which its <provides> does not list\n",
			   c->name, name);
		e = ERR_DENIED;
	} else if (announced_named(name))
		e = ERR_EXISTS; /* until the server ends */
	else if (!c->requests)
		e = pd_alloc_signal(init.env->pd, &c->requests); /* init's, until c ends */
	announced_t *a = 0;
	for (unsigned i = 0; e == ERR_OK && i < sizeof(init.services) / sizeof(init.services[0]);
	     i++)
		if (!init.services[i].server) {
			a = &init.services[i];
			break;
		}
	if (e == ERR_OK && !a)
		e = ERR_LIMIT; /* cannot happen: one record per <provides> entry */
	if (e != ERR_OK) {
		if (ep)
			slot_free(ep);
		return MSG_INFO(e, 0, 0);
	}
	strcpy(a->name, name);
	a->ep = ep, a->server = c;
	log_printf("'%s' announces service '%s'\n", c->name, name);
	sys_utcb()->send_caps[0] = c->requests; /* a copy: what the server waits for */
	return MSG_INFO(0, 0, 1);
}

/* queued: f has a request for its server; the server hears of it. */
static void queued(forwarded_t *f)
{
	f->seq = ++init.next_seq;
	sys_signal_submit(f->server->requests);
}

static void forget(forwarded_t *f)
{
	if (f->cap)
		slot_free(f->cap);
	memset(f, 0, sizeof(*f));
}

/*
 * given_back: the server p has ended f; its donation moves back to c (to
 * init if c has ended, whose quota went back to init). A server that
 * spent it keeps it until it ends (owed).
 */
static void given_back(init_child_t *p, init_child_t *c, forwarded_t *f)
{
	err_t e =
	    pd_transfer(p->child.pd, c->running ? c->child.pd : init.env->pd, f->ram, f->caps);
	if (e == ERR_OK) {
		forget(f);
		return;
	}
	log_printf("'%s' does not give back the %lu KiB and %lu caps of a session of "
		   "'%s' (%s): they return when it ends\n",
		   p->name, f->ram >> 10, f->caps, c->name, err_name(e));
	if (f->cap)
		slot_free(f->cap);
	f->cap = 0, f->want = f->sent = 0, f->owed = 1;
}

word_t sibling_open(init_child_t *c, init_child_t *p, const char *service, const char *args,
		    forwarded_t *f, msg_t *m)
{
	announced_t *a = announced_named(service);
	if (!p->running) {
		log_printf("'%s' asks for a session of '%s': its server has ended\n", c->name,
			   service);
		return MSG_INFO(ERR_DENIED, 0, 0);
	}
	if (!a)
		return MSG_INFO(ERR_NOT_FOUND, 0, 0); /* not announced yet: the client may wait */
	uint64_t ram = args_number(args, "ram_quota", 0), caps = args_number(args, "cap_quota", 0);
	word_t b = ++init.next_badge;
	err_t e = pd_mint(init.env->pd, a->ep, b, &f->cap);
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	/* last: once in the server's quota the donation is the server's to spend */
	if ((e = pd_transfer(c->child.pd, p->child.pd, ram, caps)) != ERR_OK) {
		slot_free(f->cap), f->cap = 0;
		return MSG_INFO(e, 0, 0);
	}
	f->badge = b, f->local = LOCAL_SIBLING, f->server = p;
	f->ram = ram, f->caps = caps, f->want = SESSION_CREATE;
	relabel(c, args, service, f->args, sizeof(f->args));
	queued(f);
	m->mr[0] = SESSION_PENDING; /* the client syncs on the session for the server's answer */
	sys_utcb()->send_caps[0] = f->cap;
	return MSG_INFO(0, 1, 1);
}

int sibling_close(init_child_t *c, forwarded_t *f)
{
	if (f->owed) /* closed already; the server keeps what it owes until it ends */
		return 0;
	if (f->want == SESSION_CREATE) { /* the server never heard of it */
		given_back(f->server, c, f);
		return 0;
	}
	if (f->want != SESSION_CLOSE && f->sent != SESSION_CLOSE) {
		f->want = SESSION_CLOSE;
		queued(f);
	}
	return 1;
}

err_t sibling_upgrade(init_child_t *c, forwarded_t *f, uint64_t ram, uint64_t caps)
{
	if (f->want == SESSION_CLOSE || f->sent == SESSION_CLOSE || f->owed)
		return ERR_INVALID_CAP; /* closing */
	err_t e = pd_transfer(c->child.pd, f->server->child.pd, ram, caps);
	if (e != ERR_OK)
		return e;
	f->ram += ram, f->caps += caps;
	if (f->want == SESSION_CREATE) /* not fetched yet: the create brings it all */
		return ERR_OK;
	f->up_ram += ram, f->up_caps += caps;
	queued(f);
	return ERR_OK;
}

/* each_session_at: every session record (of any child) whose server is p, in turn. */
#define each_session_at(p, c, f)                                                        \
	for (init_child_t *c = init.children; c < init.children + init.count; c++)      \
		for (forwarded_t *f = c->sessions; f < c->sessions + MAX_SESSIONS; f++) \
			if (f->local == LOCAL_SIBLING && f->server == (p))

/* answered: p answers the request of session badge it fetched last. */
static void answered(init_child_t *p, word_t badge, err_t err)
{
	each_session_at(p, c, f)
	{
		if (f->badge != badge || !f->sent || f->owed)
			continue;
		unsigned sent = f->sent;
		f->sent = 0;
		if (sent == SESSION_CLOSE) {
			given_back(p, c, f);
		} else if (err != ERR_OK) {
			log_printf("'%s' refuses the session '%s' of '%s': %s\n", p->name,
				   f->args, c->name, err_name(err));
			given_back(p, c, f);
		}
		return;
	}
}

/* next_request: the oldest request a session at p holds for it, or 0. */
static forwarded_t *next_request(init_child_t *p)
{
	forwarded_t *next = 0;
	each_session_at(p, c, f)
	{
		if (!f->sent && !f->owed && (f->want || f->up_ram || f->up_caps) &&
		    (!next || f->seq < next->seq))
			next = f;
	}
	return next;
}

/*
 * session_request: the server p answers its last request and fetches the
 * next (session_request_t, a create's arguments from word 4), NOT_FOUND
 * when there is none.
 */
word_t session_request(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *p = child_of(badge);
	if (!p)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	session_answer_t a = *MSG_AS(m, session_answer_t);
	if (a.badge)
		answered(p, a.badge, (err_t)a.err);
	forwarded_t *f = next_request(p);
	if (!f)
		return MSG_INFO(ERR_NOT_FOUND, 0, 0);
	session_request_t *r = MSG_AS(m, session_request_t);
	r->badge = f->badge;
	if (f->want == SESSION_CREATE) {
		r->kind = SESSION_CREATE, r->ram = f->ram, r->caps = f->caps;
		f->sent = SESSION_CREATE, f->want = 0, f->up_ram = f->up_caps = 0;
		size_t len = strlen(f->args) + 1,
		       words = (len + sizeof(word_t) - 1) / sizeof(word_t);
		utcb_t *u = sys_utcb();
		memset(&u->mr[SESSION_REQUEST_ARGS_AT], 0, words * sizeof(word_t));
		memcpy(&u->mr[SESSION_REQUEST_ARGS_AT], f->args, len);
		return MSG_INFO(0, SESSION_REQUEST_ARGS_AT + words, 0);
	}
	if (f->up_ram || f->up_caps) {
		r->kind = SESSION_UPGRADE, r->ram = f->up_ram, r->caps = f->up_caps;
		f->up_ram = f->up_caps = 0;
		if (f->want) /* a close after it stays queued, in its turn */
			f->seq = ++init.next_seq;
		return MSG_INFO(0, MSG_WORDS_OF(session_request_t), 0);
	}
	r->kind = SESSION_CLOSE, r->ram = r->caps = 0;
	f->sent = SESSION_CLOSE, f->want = 0;
	return MSG_INFO(0, MSG_WORDS_OF(session_request_t), 0);
}

void server_ended(init_child_t *p)
{
	for (unsigned i = 0; i < sizeof(init.services) / sizeof(init.services[0]); i++)
		if (init.services[i].server == p) { /* its clients' copies fail from now on */
			slot_free(init.services[i].ep);
			memset(&init.services[i], 0, sizeof(init.services[i]));
		}
	/* p->requests stays: core frees kernel objects only with their PD (one per server) */
	each_session_at(p, c, f)
	{
		err_t e = c->running /* what it donated came back to init with p's quota */
			      ? pd_transfer(init.env->pd, c->child.pd, f->ram, f->caps)
			      : ERR_OK;
		if (e != ERR_OK) /* cannot happen: init has p's whole quota back */
			log_printf(
			    "cannot give '%s' back the %lu KiB of its session at '%s': "
			    "%s\n",
			    c->name, f->ram >> 10, p->name, err_name(e));
		forget(f);
	}
}
