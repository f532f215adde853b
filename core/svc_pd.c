/*
 * The PD service: a component's protection domain: RAM dataspaces, its
 * quota and quota transfer, its address space, threads, signals and
 * endpoints, spent from the component's own account. Every component has
 * one from its start; opening one ("PD label=NAME ram_quota=N
 * cap_quota=N") creates a child, an empty component the creator fills
 * (doc/architecture.md: children).
 */
#include "session.h"
#include <mem.h>

#define ALLOC_MAX MAX_ATTACH_SIZE

typedef struct {
	session_t s;
	component_t *pd;    /* the component whose PD this is: the client, or its child */
	session_t *aspace;  /* the RM session of the address space, made on first request */
	uint64_t ram, caps; /* a child's: the quota it started with */
} pd_session_t;

void pd_session_bind(session_t *s, component_t *pd)
{
	((pd_session_t *)s)->pd = pd;
}

component_t *pd_of(session_t *s)
{
	return s->ops == &svc_pd ? ((pd_session_t *)s)->pd : 0;
}

/*
 * pd_open: a PD session opened by a component creates its child: an empty
 * component whose account holds all of the donation but what the session's
 * record took; the creator fills it through this session.
 */
static err_t pd_open(session_t *s, const char *args)
{
	pd_session_t *r = (pd_session_t *)s;
	account_t *own = &s->own;
	uint64_t ram = own->ram_quota - own->ram_used, caps = own->cap_quota - own->cap_used;
	if (!s->label[0])
		return ERR_INVALID_ARGS; /* the child's name */
	err_t e = component_create_child(s->client, s->label, ram, caps, &r->pd);
	if (e != ERR_OK)
		return e;
	r->ram = ram, r->caps = caps;
	own->ram_used += ram, own->cap_used += caps; /* the child's now */
	return ERR_OK;
}

/* received_ds: the dataspace named by the request's first capability, or NULL. */
static dataspace_t *received_ds(const msg_t *m)
{
	word_t badge;
	return received_badge(m, 0, &badge) ? ds_from_badge(badge) : 0;
}

static word_t pd_alloc(session_t *s, msg_t *m)
{
	component_t *c = pd_of(s);
	pd_alloc_req_t *req = MSG_AS(m, pd_alloc_req_t);
	uint64_t size = req->size;
	if (size == 0 || size > ALLOC_MAX || (req->flags & ~(word_t)PD_ALLOC_UNCACHED))
		return REPLY(ERR_INVALID_ARGS);
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	paddr_t pa;
	dataspace_t *ds;
	cap_t cap;
	err_t e = ds_zero_lazily(size) ? account_alloc_raw(&c->acct, size, &pa)
				       : account_alloc(&c->acct, size, &pa);
	if (e != ERR_OK)
		return REPLY(e);
	e = ds_create(&c->records, c, DS_RAM, pa, size, 1, req->flags & PD_ALLOC_UNCACHED, &ds);
	if (e == ERR_OK && (e = ds_cap(ds, &c->acct, &cap)) != ERR_OK)
		ds_destroy(ds);
	if (e != ERR_OK) {
		account_free(&c->acct, pa, size);
		comp_trim(c);
		return REPLY(e);
	}
	MSG_AS(m, pd_alloc_reply_t)->size = size;
	return reply_caps(ERR_OK, cap, 0, MSG_WORDS_OF(pd_alloc_reply_t));
}

static word_t pd_free(session_t *s, msg_t *m)
{
	dataspace_t *ds = received_ds(m);
	if (!ds)
		return REPLY(ERR_INVALID_DATASPACE);
	component_t *c = pd_of(s);
	if (ds->kind != DS_RAM || ds->owner != c)
		return REPLY(ERR_DENIED);
	paddr_t pa = ds->paddr;
	uint64_t size = ds->size;
	ds_destroy(ds); /* unmapped everywhere before the memory goes back */
	account_free(&c->acct, pa, size);
	comp_trim(c);
	return REPLY(ERR_OK);
}

static word_t pd_transfer(session_t *s, msg_t *m)
{
	word_t badge;
	session_t *to = received_badge(m, 0, &badge) ? session_lookup(badge) : 0;
	if (!to || to->ops != &svc_pd)
		return REPLY(ERR_INVALID_CAP);
	quota_req_t *q = MSG_AS(m, quota_req_t);
	account_t *from = &pd_of(s)->acct, *dst = &pd_of(to)->acct;
	if (q->ram > from->ram_quota - from->ram_used)
		return REPLY(ERR_OUT_OF_RAM);
	if (q->caps > from->cap_quota - from->cap_used)
		return REPLY(ERR_OUT_OF_CAPS);
	from->ram_quota -= q->ram, dst->ram_quota += q->ram;
	from->cap_quota -= q->caps, dst->cap_quota += q->caps;
	return REPLY(ERR_OK);
}

static word_t pd_address_space(session_t *s, msg_t *m)
{
	pd_session_t *pd = (pd_session_t *)s;
	if (!pd->aspace) {
		err_t e = session_new(pd->pd, &svc_rm, &pd->pd->acct, 0, 0, &pd->aspace);
		if (e != ERR_OK)
			return REPLY(e);
		pd->aspace->permanent = 1;
		rm_session_of_aspace(pd->aspace, pd->pd->aspace);
	}
	return reply_caps(ERR_OK, pd->aspace->cap, 0, 0);
}

static word_t pd_quota(session_t *s, msg_t *m)
{
	const account_t *a = &pd_of(s)->acct;
	pd_quota_reply_t *r = MSG_AS(m, pd_quota_reply_t);
	r->ram_quota = a->ram_quota, r->ram_used = a->ram_used;
	r->cap_quota = a->cap_quota, r->cap_used = a->cap_used;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_quota_reply_t), 0);
}

static word_t pd_ram_peak(session_t *s, msg_t *m)
{
	MSG_AS(m, pd_ram_peak_reply_t)->peak = pd_of(s)->acct.ram_peak;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_ram_peak_reply_t), 0);
}

/*
 * pd_grow_slots: one frame more for the component's capability table,
 * paid from its RAM quota and the kernel's until the PD ends (with
 * ram_used, like the frames of its kernel objects).
 */
static word_t pd_grow_slots(session_t *s, msg_t *m)
{
	component_t *c = pd_of(s);
	paddr_t frame;
	err_t e = account_alloc(&c->acct, PAGE_SIZE, &frame);
	if (e != ERR_OK)
		return REPLY(e);
	if ((e = sys6(SYS_CAP_TABLE_GROW, SLOT_KERNEL, c->pd, frame, 0, 0, 0)) != ERR_OK) {
		account_free(&c->acct, frame, PAGE_SIZE);
		return REPLY(e); /* NO_SLOT: the table is as large as it gets */
	}
	c->cap_leaves++;
	MSG_AS(m, pd_slots_reply_t)->count = SLOT_COUNT_MIN + c->cap_leaves * CAP_SLOTS_PER_PAGE;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_slots_reply_t), 0);
}

static word_t pd_thread(session_t *s, msg_t *m)
{
	pd_thread_req_t req = *MSG_AS(m, pd_thread_req_t);
	unsigned idx;
	err_t e = component_thread(pd_of(s), req.ip, req.sp, (unsigned)req.prio, req.arg, &idx);
	if (e != ERR_OK)
		return REPLY(e);
	MSG_AS(m, pd_thread_reply_t)->index = idx;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_thread_reply_t), 0);
}

static word_t pd_ds_info(session_t *s, msg_t *m)
{
	dataspace_t *ds = received_ds(m);
	if (!ds)
		return REPLY(ERR_INVALID_DATASPACE);
	pd_ds_info_reply_t *r = MSG_AS(m, pd_ds_info_reply_t);
	r->size = ds->size, r->kind = ds->kind, r->writeable = ds->writeable;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_ds_info_reply_t), 0);
}

static word_t pd_object(session_t *s, word_t type)
{
	cap_t cap;
	err_t e = component_object(pd_of(s), type, 0, &cap);
	return reply_caps(e, cap, 0, 0);
}

/*
 * pd_set_parent: a child's parent capability, a badged copy of an endpoint
 * of its creator, in the child's SLOT_PARENT (once).
 */
static word_t pd_set_parent(session_t *s, msg_t *m)
{
	component_t *c = pd_of(s);
	cap_t ep = received_slot(m, 0, OBJ_ENDPOINT, RIGHT_SEND);
	if (c == s->client)
		return REPLY(ERR_DENIED); /* a component's own parent is not its to choose */
	if (!ep)
		return REPLY(ERR_INVALID_CAP);
	word_t badge = MSG_AS(m, pd_parent_req_t)->badge;
	return REPLY(sys6(SYS_CAP_MINT, SLOT_KERNEL, c->pd, SLOT_PARENT, ep, badge, RIGHT_SEND));
}

/*
 * pd_mint: a badged, send-only copy of an endpoint the caller controls
 * (holds with RIGHT_CTRL, as the endpoint's maker does and whoever it gave
 * the endpoint to in full): how a parent hands out sessions of a service a
 * child announced. The copy travels in the reply from a slot of core's
 * that is emptied right after.
 */
static word_t pd_mint(session_t *s, msg_t *m)
{
	cap_t ep = received_slot(m, 0, OBJ_ENDPOINT, RIGHT_CTRL);
	if (!ep)
		return REPLY(ERR_INVALID_CAP);
	cap_t copy = slot_alloc();
	if (!copy)
		return REPLY(ERR_OUT_OF_CAPS);
	err_t e = sys6(SYS_CAP_MINT, SLOT_KERNEL, SLOT_SELF_PD, copy, ep,
		       MSG_AS(m, pd_mint_req_t)->badge, RIGHT_SEND);
	if (e != ERR_OK) {
		slot_release(copy);
		return REPLY(e);
	}
	free_after_reply(copy);
	return reply_caps(ERR_OK, copy, 0, 0);
}

/*
 * pd_fault_signal: the creator's signal for the child's faults: submitted
 * whenever a thread of the child stops on a fault no region-map handler
 * takes. Its slot is charged to the creator until the child ends; a second
 * one replaces the first.
 */
static word_t pd_fault_signal(session_t *s, msg_t *m)
{
	component_t *c = pd_of(s);
	cap_t sig = received_slot(m, 0, OBJ_SIGNAL, RIGHT_SEND);
	if (c == s->client)
		return REPLY(ERR_DENIED); /* a stopped component could not act on it */
	if (!sig)
		return REPLY(ERR_INVALID_CAP);
	return REPLY(kept_signal_set(&c->fault_sig, &s->client->acct, sig));
}

static word_t pd_fault_info(session_t *s, msg_t *m)
{
	*MSG_AS(m, pd_fault_info_reply_t) = pd_of(s)->last_fault;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_fault_info_reply_t), 0);
}

static word_t pd_request(session_t *s, unsigned op, msg_t *m)
{
	switch (op) {
	case PD_GROW_SLOTS: return pd_grow_slots(s, m);
	case PD_ECHO: return MSG_INFO(0, MSG_WORDS(m->info) > 4 ? 4 : MSG_WORDS(m->info), 0);
	case PD_ALLOC: return pd_alloc(s, m);
	case PD_FREE: return pd_free(s, m);
	case PD_QUOTA: return pd_quota(s, m);
	case PD_RAM_PEAK: return pd_ram_peak(s, m);
	case PD_TRANSFER: return pd_transfer(s, m);
	case PD_ADDRESS_SPACE: return pd_address_space(s, m);
	case PD_THREAD: return pd_thread(s, m);
	case PD_ALLOC_SIGNAL: return pd_object(s, OBJ_SIGNAL);
	case PD_ALLOC_ENDPOINT: return pd_object(s, OBJ_ENDPOINT);
	case PD_DS_INFO: return pd_ds_info(s, m);
	case PD_PARENT: return pd_set_parent(s, m);
	case PD_MINT: return pd_mint(s, m);
	case PD_FAULT_SIGNAL: return pd_fault_signal(s, m);
	case PD_FAULT_INFO: return pd_fault_info(s, m);
	default: return REPLY(ERR_UNKNOWN_OPCODE);
	}
}

/*
 * pd_close: a component's own PD session closes as the component is
 * destroyed; a child's, when its creator closes it: the child is destroyed
 * and its quota, as it is now, goes back to the creator.
 */
static void pd_close(session_t *s)
{
	pd_session_t *r = (pd_session_t *)s;
	component_t *c = r->pd, *p = s->client;
	if (c == p)
		return; /* the component is being destroyed: the rest is component.c's */
	account_t *own = &s->own, now = c->acct;
	own->ram_used -= r->ram, own->cap_used -= r->caps; /* the donation returns as given */
	p->acct.ram_quota += now.ram_quota - r->ram;	   /* and what transfers changed, with it */
	p->acct.cap_quota += now.cap_quota - r->caps;
	component_destroy(c);
}

const service_ops_t svc_pd = {"PD", sizeof(pd_session_t), pd_open, pd_request, pd_close};
