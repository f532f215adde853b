/*
 * The RM service: a region map of a given size, usable as a managed
 * dataspace; also the face of a PD's own address space (made by the PD
 * session, not owned). The region map's records come from the session's
 * account, so attaching more than the donation covers answers OUT_OF_RAM.
 */
#include "session.h"
#include <mem.h>
#include <session_args.h>

typedef struct {
	session_t s;
	rm_t *rm;
	uint8_t owned; /* an RM session's own region map, not a PD's address space */
} rm_session_t;

void rm_session_of_aspace(session_t *s, rm_t *aspace)
{
	((rm_session_t *)s)->rm = aspace;
}

static err_t rm_open(session_t *s, const char *args)
{
	rm_session_t *r = (rm_session_t *)s;
	uint64_t size = args_number(args, "size", 0);
	if (size == 0 || size > MAX_ATTACH_SIZE)
		return ERR_INVALID_ARGS;
	if (size & (PAGE_SIZE - 1))
		return ERR_UNALIGNED;
	err_t e = rmap_create(&s->records, 0, 0, size, &r->rm);
	if (e != ERR_OK)
		return e;
	r->owned = 1;
	if ((e = ds_create(&s->records, 0, DS_MANAGED, 0, size, 1, 0, &r->rm->ds)) != ERR_OK) {
		rmap_destroy(r->rm);
		r->rm = 0;
		return e;
	}
	r->rm->ds->rm = r->rm;
	return ERR_OK;
}

static word_t rm_fault_handler(rm_session_t *r, msg_t *m)
{
	cap_t sig = received_slot(m, 0, OBJ_SIGNAL, RIGHT_SEND);
	if (!sig)
		return REPLY(ERR_INVALID_CAP);
	return REPLY(kept_signal_set(&r->rm->fault_sig, &r->s.client->acct, sig));
}

static word_t rm_attach(rm_session_t *r, msg_t *m)
{
	word_t badge;
	dataspace_t *ds = received_badge(m, 0, &badge) ? ds_from_badge(badge) : 0;
	if (!ds)
		return REPLY(ERR_INVALID_DATASPACE);
	rm_attach_req_t req = *MSG_AS(m, rm_attach_req_t);
	vaddr_t addr;
	err_t e = rmap_attach(r->rm, ds, req.size, req.offset, req.at, (unsigned)req.flags, &addr);
	if (e != ERR_OK)
		return REPLY(e);
	MSG_AS(m, rm_addr_t)->addr = addr;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(rm_addr_t), 0);
}

static word_t rm_request(session_t *s, unsigned op, msg_t *m)
{
	rm_session_t *r = (rm_session_t *)s;
	rm_fault_state_reply_t *fs = MSG_AS(m, rm_fault_state_reply_t);
	err_t e;
	cap_t cap;
	switch (op) {
	case RM_ATTACH: return rm_attach(r, m);
	case RM_DETACH:
		e = rmap_detach(r->rm, MSG_AS(m, rm_addr_t)->addr);
		if (!r->owned)
			comp_trim(s->client);
		return REPLY(e);
	case RM_FAULT_HANDLER: return rm_fault_handler(r, m);
	case RM_FAULT_STATE:
		fs->type = r->rm->fault_type, fs->addr = r->rm->fault_addr;
		return MSG_INFO(ERR_OK, MSG_WORDS_OF(rm_fault_state_reply_t), 0);
	case RM_DATASPACE:
		if (!r->rm->ds)
			return REPLY(ERR_INVALID_DATASPACE);
		e = ds_cap(r->rm->ds, &s->client->acct, &cap);
		return reply_caps(e, cap, 0, 0);
	default: return REPLY(ERR_UNKNOWN_OPCODE);
	}
}

static void rm_close(session_t *s)
{
	rm_session_t *r = (rm_session_t *)s;
	if (r->owned && r->rm)
		rmap_destroy(r->rm); /* detaches its dataspace everywhere, unmapping it */
	r->rm = 0;
}

const service_ops_t svc_rm = {"RM", sizeof(rm_session_t), rm_open, rm_request, rm_close};
