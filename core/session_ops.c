/*
 * The requests on core's sessions: one function per service, each reading
 * its arguments from the message, checking all of them and answering with
 * an err_t in the reply label.
 */
#include "session.h"
#include <log.h>
#include <mem.h>
#include <parent.h>

#define ALLOC_MAX MAX_ATTACH_SIZE
#define REPLY(e) MSG_INFO((e), 0, 0)

cap_t keep_received;

static cap_t received(const msg_t *m)
{
	return MSG_CAPS(m->info) ? sys_utcb->recv_caps[0] : 0;
}

static word_t pd_alloc(session_t *s, msg_t *m)
{
	component_t *c = s->client;
	uint64_t size = m->mr[0];
	if (size == 0 || size > ALLOC_MAX || (m->mr[1] & ~(word_t)PD_ALLOC_UNCACHED))
		return REPLY(ERR_INVALID_ARGS);
	size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	paddr_t pa;
	dataspace_t *ds;
	cap_t cap;
	err_t e = ds_zero_lazily(size) ? comp_alloc_raw(c, size, &pa) : comp_alloc(c, size, &pa);
	if (e != ERR_OK)
		return REPLY(e);
	if ((e = ds_create(c, DS_RAM, pa, size, 1, m->mr[1] & PD_ALLOC_UNCACHED, &ds)) != ERR_OK) {
		comp_free(c, pa, size);
		return REPLY(e);
	}
	if ((e = ds_cap(ds, &cap)) != ERR_OK) {
		ds_destroy(ds);
		comp_free(c, pa, size);
		return REPLY(e);
	}
	m->mr[0] = size;
	return reply_caps(ERR_OK, cap, 0, 1, 1);
}

static word_t pd_free(session_t *s, msg_t *m)
{
	dataspace_t *ds = ds_from_cap(received(m));
	if (!ds)
		return REPLY(ERR_INVALID_DATASPACE);
	if (ds->kind != DS_RAM || ds->owner != s->client)
		return REPLY(ERR_DENIED);
	comp_free(s->client, ds->paddr, ds->size);
	ds_destroy(ds);
	comp_trim(s->client);
	return REPLY(ERR_OK);
}

static word_t pd_transfer(session_t *s, msg_t *m)
{
	word_t badge;
	session_t *to = 0;
	if (received(m) && sys_cap_badge_of(received(m), core_ep, &badge) == ERR_OK)
		to = session_lookup(badge);
	if (!to || to->type != SVC_PD)
		return REPLY(ERR_INVALID_CAP);
	component_t *from = s->client, *dst = to->client;
	if (m->mr[0] > from->ram_quota - from->ram_used)
		return REPLY(ERR_OUT_OF_RAM);
	if (m->mr[1] > from->cap_quota - from->cap_used)
		return REPLY(ERR_OUT_OF_CAPS);
	from->ram_quota -= m->mr[0], dst->ram_quota += m->mr[0];
	from->cap_quota -= m->mr[1], dst->cap_quota += m->mr[1];
	return REPLY(ERR_OK);
}

static word_t pd_address_space(session_t *s, msg_t *m)
{
	if (!s->aspace_cap) {
		session_t *r;
		err_t e = session_new(s->client, SVC_RM, 0, 0, &r);
		if (e != ERR_OK)
			return REPLY(e);
		r->rm = s->client->aspace;
		s->aspace_cap = r->cap;
	}
	return reply_caps(ERR_OK, s->aspace_cap, 0, 1, 0);
}

static word_t pd_ds_info(session_t *s, msg_t *m)
{
	dataspace_t *ds = ds_from_cap(received(m));
	if (!ds)
		return REPLY(ERR_INVALID_DATASPACE);
	m->mr[0] = ds->size, m->mr[1] = ds->kind, m->mr[2] = ds->writeable;
	return MSG_INFO(ERR_OK, 3, 0);
}

static word_t pd_object(session_t *s, word_t type)
{
	cap_t cap;
	err_t e = component_object(s->client, type, 0, &cap);
	return reply_caps(e, cap, 0, 1, 0);
}

static word_t pd_request(session_t *s, unsigned op, msg_t *m)
{
	component_t *c = s->client;
	unsigned idx;
	err_t e;
	switch (op) {
	case PD_ALLOC: return pd_alloc(s, m);
	case PD_FREE: return pd_free(s, m);
	case PD_QUOTA:
		m->mr[0] = c->ram_quota, m->mr[1] = c->ram_used, m->mr[2] = c->cap_quota,
		m->mr[3] = c->cap_used;
		return MSG_INFO(ERR_OK, 4, 0);
	case PD_TRANSFER: return pd_transfer(s, m);
	case PD_ADDRESS_SPACE: return pd_address_space(s, m);
	case PD_THREAD:
		e = component_thread(c, m->mr[0], m->mr[1], (unsigned)m->mr[2], m->mr[3], &idx);
		m->mr[0] = idx;
		return MSG_INFO(e, e == ERR_OK ? 1 : 0, 0);
	case PD_ALLOC_SIGNAL: return pd_object(s, OBJ_SIGNAL);
	case PD_ALLOC_ENDPOINT: return pd_object(s, OBJ_ENDPOINT);
	case PD_DS_INFO: return pd_ds_info(s, m);
	default: return REPLY(ERR_UNKNOWN_OPCODE);
	}
}

static word_t rm_fault_handler(session_t *s, msg_t *m)
{
	word_t type, rights, badge;
	cap_t sig = received(m);
	if (!sig || sys_cap_identify(sig, &type, &rights, &badge) != ERR_OK || type != OBJ_SIGNAL ||
	    !(rights & RIGHT_SEND))
		return REPLY(ERR_INVALID_CAP);
	if (s->rm->fault_sig)
		slot_free(s->rm->fault_sig);
	s->rm->fault_sig = sig;
	keep_received = sig;
	return REPLY(ERR_OK);
}

static word_t rm_request(session_t *s, unsigned op, msg_t *m)
{
	vaddr_t addr;
	dataspace_t *ds;
	err_t e;
	cap_t cap;
	switch (op) {
	case RM_ATTACH:
		if (!(ds = ds_from_cap(received(m))))
			return REPLY(ERR_INVALID_DATASPACE);
		e = rmap_attach(s->rm, ds, m->mr[0], m->mr[1], m->mr[2], (unsigned)m->mr[3], &addr);
		m->mr[0] = addr;
		return MSG_INFO(e, e == ERR_OK ? 1 : 0, 0);
	case RM_DETACH:
		e = rmap_detach(s->rm, m->mr[0]);
		comp_trim(s->rm->owner);
		return REPLY(e);
	case RM_FAULT_HANDLER: return rm_fault_handler(s, m);
	case RM_FAULT_STATE:
		m->mr[0] = s->rm->fault_type, m->mr[1] = s->rm->fault_addr;
		return MSG_INFO(ERR_OK, 2, 0);
	case RM_DATASPACE:
		if (!s->rm->ds)
			return REPLY(ERR_INVALID_DATASPACE);
		e = ds_cap(s->rm->ds, &cap);
		return reply_caps(e, cap, 0, 1, 0);
	default: return REPLY(ERR_UNKNOWN_OPCODE);
	}
}

static word_t ds_reply(session_t *s, msg_t *m, uint64_t size)
{
	cap_t cap;
	err_t e = ds_cap(s->ds, &cap);
	m->mr[0] = size;
	return reply_caps(e, cap, 0, 1, 1);
}

static word_t log_write(session_t *s, msg_t *m)
{
	char text[UTCB_MR_COUNT * sizeof(word_t) + 1];
	msg_get_string(m, text, sizeof(text));
	for (char *p = text; *p; p++)
		if ((*p < 32 && *p != '\n') || *p == 127)
			*p = '?';
	size_t n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[n - 1] = 0;
	log_printf("[%s%s%s] %s\n", s->client->name, s->label[0] ? " -> " : "", s->label, text);
	return REPLY(ERR_OK);
}

word_t session_request(word_t badge, msg_t *m)
{
	session_t *s = session_lookup(badge);
	unsigned op = MSG_LABEL(m->info);
	if (!s)
		return REPLY(ERR_INVALID_CAP);
	switch (s->type) {
	case SVC_PD: return pd_request(s, op, m);
	case SVC_RM: return rm_request(s, op, m);
	case SVC_ROM:
		return op == ROM_DATASPACE ? ds_reply(s, m, s->size) : REPLY(ERR_UNKNOWN_OPCODE);
	case SVC_IO_MEM:
		return op == IO_MEM_DATASPACE ? ds_reply(s, m, s->size) : REPLY(ERR_UNKNOWN_OPCODE);
	case SVC_IO_PORT:
		m->mr[0] = s->base, m->mr[1] = s->size;
		return op == IO_PORT_INFO ? MSG_INFO(ERR_OK, 2, 0) : REPLY(ERR_UNKNOWN_OPCODE);
	case SVC_IRQ:
		return op == IRQ_CAPS ? reply_caps(ERR_OK, s->irq, s->sig, 2, 0)
				      : REPLY(ERR_UNKNOWN_OPCODE);
	case SVC_LOG: return op == LOG_WRITE ? log_write(s, m) : REPLY(ERR_UNKNOWN_OPCODE);
	default: return REPLY(ERR_INVALID_CAP);
	}
}
