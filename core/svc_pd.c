/*
 * The PD service: a component's own protection domain, created with the
 * component (never opened by request): RAM dataspaces, its quota and
 * quota transfer, its address space, threads, signals and endpoints. It
 * spends the component's own account.
 */
#include "session.h"
#include <mem.h>

#define ALLOC_MAX MAX_ATTACH_SIZE

typedef struct {
	session_t s;
	session_t *aspace; /* the RM session of the address space, made on first request */
} pd_session_t;

static err_t pd_open(session_t *s, const char *args)
{
	return ERR_DENIED;
}

/* received_ds: the dataspace named by the request's first capability, or NULL. */
static dataspace_t *received_ds(const msg_t *m)
{
	word_t badge;
	return received_badge(m, 0, &badge) ? ds_from_badge(badge) : 0;
}

static word_t pd_alloc(session_t *s, msg_t *m)
{
	component_t *c = s->client;
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
	if (ds->kind != DS_RAM || ds->owner != s->client)
		return REPLY(ERR_DENIED);
	paddr_t pa = ds->paddr;
	uint64_t size = ds->size;
	ds_destroy(ds); /* unmapped everywhere before the memory goes back */
	account_free(&s->client->acct, pa, size);
	comp_trim(s->client);
	return REPLY(ERR_OK);
}

static word_t pd_transfer(session_t *s, msg_t *m)
{
	word_t badge;
	session_t *to = received_badge(m, 0, &badge) ? session_lookup(badge) : 0;
	if (!to || to->ops != &svc_pd)
		return REPLY(ERR_INVALID_CAP);
	quota_req_t *q = MSG_AS(m, quota_req_t);
	account_t *from = &s->client->acct, *dst = &to->client->acct;
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
		err_t e = session_new(s->client, &svc_rm, &s->client->acct, 0, 0, &pd->aspace);
		if (e != ERR_OK)
			return REPLY(e);
		pd->aspace->permanent = 1;
		rm_session_of_aspace(pd->aspace, s->client->aspace);
	}
	return reply_caps(ERR_OK, pd->aspace->cap, 0, 0);
}

static word_t pd_quota(session_t *s, msg_t *m)
{
	const account_t *a = &s->client->acct;
	pd_quota_reply_t *r = MSG_AS(m, pd_quota_reply_t);
	r->ram_quota = a->ram_quota, r->ram_used = a->ram_used;
	r->cap_quota = a->cap_quota, r->cap_used = a->cap_used;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(pd_quota_reply_t), 0);
}

static word_t pd_thread(session_t *s, msg_t *m)
{
	pd_thread_req_t req = *MSG_AS(m, pd_thread_req_t);
	unsigned idx;
	err_t e = component_thread(s->client, req.ip, req.sp, (unsigned)req.prio, req.arg, &idx);
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
	err_t e = component_object(s->client, type, 0, &cap);
	return reply_caps(e, cap, 0, 0);
}

static word_t pd_request(session_t *s, unsigned op, msg_t *m)
{
	switch (op) {
	case PD_ALLOC: return pd_alloc(s, m);
	case PD_FREE: return pd_free(s, m);
	case PD_QUOTA: return pd_quota(s, m);
	case PD_TRANSFER: return pd_transfer(s, m);
	case PD_ADDRESS_SPACE: return pd_address_space(s, m);
	case PD_THREAD: return pd_thread(s, m);
	case PD_ALLOC_SIGNAL: return pd_object(s, OBJ_SIGNAL);
	case PD_ALLOC_ENDPOINT: return pd_object(s, OBJ_ENDPOINT);
	case PD_DS_INFO: return pd_ds_info(s, m);
	default: return REPLY(ERR_UNKNOWN_OPCODE);
	}
}

static void pd_close(session_t *s)
{
	/* the component is being destroyed: its address space goes with it (component.c) */
}

const service_ops_t svc_pd = {"PD", sizeof(pd_session_t), pd_open, pd_request, pd_close};
