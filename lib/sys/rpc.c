/* The RPC server loop and the client's call step (see rpc.h). */
#include <rpc.h>
#include <service.h>

void rpc_server_init(rpc_server_t *s, cap_t ep, const rpc_op_t *ops, unsigned op_count, void *obj)
{
	s->ep = ep, s->ops = ops, s->op_count = op_count, s->obj = obj;
	s->stopping = 0, s->taken = 0, s->slot = 0, s->got = 0, s->got_type = 0;
	s->service = 0;
}

void rpc_stop(rpc_server_t *s)
{
	s->stopping = 1;
}

static const rpc_op_t *op_of(const rpc_server_t *s, unsigned label)
{
	for (unsigned i = 0; i < s->op_count; i++)
		if (s->ops[i].op == label)
			return &s->ops[i];
	return 0;
}

int rpc_received_badge(const msg_t *m, unsigned i, word_t *badge)
{
	const utcb_recv_t *r = &sys_utcb()->recv[i];
	if (i >= MSG_CAPS(m->info) || i >= UTCB_CAP_COUNT || r->kind != RECV_BADGE)
		return 0;
	*badge = r->badge;
	return 1;
}

cap_t rpc_take_cap(rpc_server_t *s, const msg_t *m, unsigned type)
{
	if (!s->got || s->taken || (type != OBJ_NONE && s->got_type != type))
		return 0;
	s->taken = s->slot;
	return s->taken;
}

/* settle: the received capability the operation did not take is deleted; a taken slot is replaced.
 */
static void settle(rpc_server_t *s)
{
	if (s->got) {
		if (s->taken)
			s->slot = slot_alloc(); /* 0 when none is left: accept none */
		else
			sys_cap_delete(s->slot);
	}
	s->taken = 0, s->got = 0;
}

err_t rpc_serve(rpc_server_t *s)
{
	utcb_t *u = sys_utcb();
	msg_t m = {.info = SYS_NO_REPLY};
	s->slot = slot_alloc();
	err_t e = s->slot ? ERR_OK : ERR_NO_SLOT;
	for (;;) {
		u->recv_slots[0] = s->slot;
		err_t r = sys_reply_wait(s->ep, &m);
		u->recv_slots[0] = 0; /* the operation's own calls receive elsewhere */
		if (r == ERR_INVALID_CAP || r == ERR_WRONG_TYPE || r == ERR_NO_RIGHTS) {
			e = r;
			break;
		}
		if (r != ERR_OK) { /* the caller vanished: wait for the next one */
			m.info = SYS_NO_REPLY;
			continue;
		}
		/* what arrived, before the operation's own calls overwrite the UTCB */
		s->got = s->slot && MSG_CAPS(m.info) && u->recv[0].kind == RECV_SLOT;
		s->got_type = u->recv[0].type;
		const rpc_op_t *op = op_of(s, MSG_LABEL(m.info));
		if (MSG_LABEL(m.info) >= SESSION_SYNC)
			m.info = service_dispatch(s->service, m.badge, &m);
		else
			m.info = op ? op->fn(s, m.badge, &m) : MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
		settle(s);
		if (s->stopping) {
			sys_ipc(SYS_REPLY_WAIT, 0, &m); /* the last reply: no endpoint, no wait */
			break;
		}
	}
	if (s->slot)
		slot_release(s->slot);
	s->slot = 0;
	return e;
}

err_t rpc_call(cap_t cap, unsigned label, msg_t *m, unsigned words, cap_t send, cap_t *recv)
{
	if (send)
		sys_utcb()->send_caps[0] = send;
	m->info = MSG_INFO(label, words, send ? 1 : 0);
	cap_t got = 0;
	err_t e = recv ? sys_call_caps(cap, m, 1, &got) : sys_call(cap, m);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m->info);
	if (recv)
		*recv = e == ERR_OK ? got : 0;
	if (e != ERR_OK && got)
		slot_free(got);
	return e;
}
