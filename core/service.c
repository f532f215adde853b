/*
 * core's service loop: one endpoint for everything. The badge of the
 * capability a request came through says what it is: a component's parent
 * requests, a thread's page fault, or a call on a session. core serves its
 * own services only: a component's services are announced to init, the
 * parent of their clients (apps/init/sibling.c).
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <parent.h>

static cap_t pending_delete; /* a transferred copy, freed once the reply is out */

void free_after_reply(cap_t slot)
{
	if (pending_delete)
		slot_free(pending_delete); /* one per reply: cannot happen twice */
	pending_delete = slot;
}
err_t kept_signal_set(kept_signal_t *k, account_t *payer, cap_t sig)
{
	if (k->cap) {
		slot_free(k->cap);
	} else {
		err_t e = account_charge(payer, 0, 1);
		if (e != ERR_OK)
			return e;
		k->payer = payer;
	}
	k->cap = sig;
	keep_received = sig;
	return ERR_OK;
}

void kept_signal_drop(kept_signal_t *k)
{
	if (!k->cap)
		return;
	slot_free(k->cap);
	account_uncharge(k->payer, 0, 1);
	k->cap = 0;
}

word_t reply_caps(err_t e, cap_t a, cap_t b, unsigned words)
{
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	sys_utcb()->send_caps[0] = a;
	sys_utcb()->send_caps[1] = b;
	return MSG_INFO(0, words, b ? 2 : a ? 1 : 0);
}

static word_t do_session_open(component_t *c, msg_t *m)
{
	char args[SESSION_ARGS_MAX];
	cap_t cap = 0;
	msg_get_string(m, args, sizeof(args));
	err_t e = session_open(c, args, &cap);
	return reply_caps(e, cap, 0, 0);
}

static word_t session_badge_request(component_t *c, msg_t *m, int upgrade)
{
	word_t badge;
	if (!received_badge(m, 0, &badge))
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	quota_req_t *q = MSG_AS(m, quota_req_t);
	err_t e = upgrade ? session_upgrade(c, badge, q->ram, q->caps) : session_close(c, badge);
	return MSG_INFO(e, 0, 0);
}

/* parent_request: one request of c to its parent; returns the reply info or SYS_NO_REPLY. */
static word_t parent_request_of(component_t *c, msg_t *m)
{
	char text[64];
	switch (MSG_LABEL(m->info)) {
	case PARENT_LOG:
		msg_get_string(m, text, sizeof(text));
		log_labelled(c->name, "", text);
		return MSG_INFO(0, 0, 0);
	case PARENT_EXIT:
		log_printf("core: '%s' exited with %ld\n", c->name, (long)m->mr[0]);
		component_destroy(c);
		return SYS_NO_REPLY;
	case PARENT_SESSION_OPEN: return do_session_open(c, m);
	case PARENT_SESSION_CLOSE: return session_badge_request(c, m, 0);
	case PARENT_SESSION_UPGRADE: return session_badge_request(c, m, 1);
	default: return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
	}
}

/* handle: one request, by the kind of capability it came through. */
static word_t handle(msg_t *m)
{
	word_t badge = m->badge, serial = CORE_BADGE_SERIAL(badge);
	component_t *c;
	switch (CORE_BADGE_KIND(badge)) {
	case BADGE_PARENT: /* an earlier component in the same slot had another serial */
		c = component_by_serial(serial);
		return c ? parent_request_of(c, m) : MSG_INFO(ERR_INVALID_CAP, 0, 0);
	case BADGE_PAGER:
		c = component_by_serial(serial >> 3);
		if (!c || MSG_LABEL(m->info) != FAULT_LABEL)
			return c ? MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0) : SYS_NO_REPLY;
		return rmap_fault(c, serial & 7, m->mr[0], m->mr[1], m->mr[2], m->mr[3]);
	case BADGE_SESSION: return session_request(badge, m);
	default: return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	}
}

cap_t keep_received;

/* recv_of: what place i of the request m carried, or NULL beyond its capabilities. */
static const utcb_recv_t *recv_of(const msg_t *m, unsigned i)
{
	return i < MSG_CAPS(m->info) && i < UTCB_CAP_COUNT ? &sys_utcb()->recv[i] : 0;
}

int received_badge(const msg_t *m, unsigned i, word_t *badge)
{
	const utcb_recv_t *r = recv_of(m, i);
	if (!r || r->kind != RECV_BADGE)
		return 0;
	*badge = r->badge;
	return 1;
}

cap_t received_slot(const msg_t *m, unsigned i, unsigned type, unsigned rights)
{
	const utcb_recv_t *r = recv_of(m, i);
	if (!r || r->kind != RECV_SLOT || r->type != type || (r->rights & rights) != rights)
		return 0;
	return sys_utcb()->recv_slots[i];
}

/* arm_receive: each place of the next request's capabilities has an empty slot to land in. */
static void arm_receive(void)
{
	utcb_t *u = sys_utcb();
	for (unsigned i = 0; i < UTCB_CAP_COUNT; i++)
		if (!u->recv_slots[i])
			u->recv_slots[i] = slot_alloc(); /* 0 when full: that place gets nothing */
}

/* settle_received: the slots the request kept are core's now; others are emptied for reuse. */
static void settle_received(word_t info)
{
	utcb_t *u = sys_utcb();
	for (unsigned i = 0; i < MSG_CAPS(info) && i < UTCB_CAP_COUNT; i++) {
		if (u->recv[i].kind != RECV_SLOT)
			continue;
		if (u->recv_slots[i] == keep_received)
			u->recv_slots[i] = 0; /* arm_receive takes a fresh one */
		else
			sys_cap_delete(u->recv_slots[i]);
	}
}

void service_loop(void)
{
	msg_t m = {.info = SYS_NO_REPLY};
	for (;;) {
		arm_receive();
		err_t e = sys_reply_wait(core_ep, &m);
		if (pending_delete)
			slot_free(pending_delete), pending_delete = 0;
		if (e != ERR_OK) {
			m.info = SYS_NO_REPLY;
			continue;
		}
		word_t info = m.info;
		keep_received = 0;
		m.info = handle(&m);
		settle_received(info);
	}
}
