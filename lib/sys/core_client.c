/* Clients of core's PD and RM sessions and of the parent's session requests. */
#include <env.h>
#include <parent.h>
#include <mem.h>
#include <rpc.h>
#include <abi/slots.h>

/*
 * invoke: call cap with label, up to four words and one capability; the
 * service's answer. With recv, the reply's capability lands in *recv; a
 * successful answer without one is NO_CAP_RECEIVED.
 */
static err_t invoke_recv(cap_t cap, unsigned label, msg_t *m, unsigned words, cap_t send,
			 cap_t *recv)
{
	err_t e = rpc_call(cap, label, m, words, send, recv);
	return e == ERR_OK && recv && !*recv ? ERR_NO_CAP_RECEIVED : e;
}

static err_t invoke(cap_t cap, unsigned label, msg_t *m, unsigned words, cap_t send)
{
	return invoke_recv(cap, label, m, words, send, 0);
}

/* synced: a sibling's session: wait on it until its server has answered the parent's request. */
static err_t synced(cap_t session)
{
	msg_t m = {0};
	return rpc_call(session, SESSION_SYNC, &m, 0, 0, 0);
}

err_t parent_session_open(const char *args, cap_t *session)
{
	msg_t m = {0};
	unsigned words = msg_put_string(&m, args, SESSION_ARGS_MAX / sizeof(word_t));
	if (!words)
		return ERR_INVALID_ARGS;
	err_t e = invoke_recv(SLOT_PARENT, PARENT_SESSION_OPEN, &m, words, 0, session);
	if (e != ERR_OK || !(MSG_WORDS(m.info) >= 1 && m.mr[0] == SESSION_PENDING))
		return e;
	if ((e = synced(*session)) != ERR_OK) {
		/*
		 * refused: the parent has given the donation back and forgotten
		 * the session (INVALID_CAP to the close), unless the server said
		 * otherwise there: then the close has it end the session.
		 */
		if (parent_session_close(*session) != ERR_OK)
			slot_free(*session);
		*session = 0;
	}
	return e;
}

err_t parent_session_close(cap_t session)
{
	msg_t m = {0};
	err_t e = invoke(SLOT_PARENT, PARENT_SESSION_CLOSE, &m, 0, session);
	if (e == ERR_OK && MSG_WORDS(m.info) >= 1 && m.mr[0] == SESSION_PENDING)
		synced(session); /* the server has closed it: the donation is back */
	if (e == ERR_OK)
		slot_free(session);
	return e;
}

err_t parent_session_upgrade(cap_t session, uint64_t ram, uint64_t caps)
{
	msg_t m = {0};
	*MSG_AS(&m, quota_req_t) = (quota_req_t){ram, caps};
	return invoke(SLOT_PARENT, PARENT_SESSION_UPGRADE, &m, MSG_WORDS_OF(quota_req_t), session);
}

err_t pd_grow_slots(cap_t pd, cap_t *count)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_GROW_SLOTS, &m, 0, 0);
	*count = e == ERR_OK ? (cap_t)MSG_AS(&m, pd_slots_reply_t)->count : 0;
	return e;
}

err_t io_port_use(cap_t session, cap_t pd)
{
	msg_t m = {0};
	return invoke(session, IO_PORT_USE, &m, 0, pd);
}

err_t pd_alloc(cap_t pd, uint64_t size, unsigned flags, cap_t *ds)
{
	msg_t m = {0};
	*MSG_AS(&m, pd_alloc_req_t) = (pd_alloc_req_t){size, flags};
	return invoke_recv(pd, PD_ALLOC, &m, MSG_WORDS_OF(pd_alloc_req_t), 0, ds);
}

err_t pd_free(cap_t pd, cap_t ds)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_FREE, &m, 0, ds);
	if (e == ERR_OK)
		slot_free(ds);
	return e;
}

err_t pd_quota(cap_t pd, pd_quota_t *q)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_QUOTA, &m, 0, 0);
	const pd_quota_reply_t *r = MSG_AS(&m, pd_quota_reply_t);
	if (e == ERR_OK)
		q->ram_quota = r->ram_quota, q->ram_used = r->ram_used, q->cap_quota = r->cap_quota,
		q->cap_used = r->cap_used;
	return e;
}

err_t pd_transfer(cap_t pd, cap_t to_pd, uint64_t ram, uint64_t caps)
{
	msg_t m = {0};
	*MSG_AS(&m, quota_req_t) = (quota_req_t){ram, caps};
	return invoke(pd, PD_TRANSFER, &m, MSG_WORDS_OF(quota_req_t), to_pd);
}

err_t pd_address_space(cap_t pd, cap_t *rm)
{
	msg_t m = {0};
	return invoke_recv(pd, PD_ADDRESS_SPACE, &m, 0, 0, rm);
}

err_t pd_ds_info(cap_t pd, cap_t ds, uint64_t *size, unsigned *kind, int *writeable)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_DS_INFO, &m, 0, ds);
	const pd_ds_info_reply_t *r = MSG_AS(&m, pd_ds_info_reply_t);
	if (e == ERR_OK)
		*size = r->size, *kind = (unsigned)r->kind, *writeable = (int)r->writeable;
	return e;
}

/* pd_object: a signal or endpoint from the PD session. */
static err_t pd_object(cap_t pd, unsigned op, cap_t *cap)
{
	msg_t m = {0};
	return invoke_recv(pd, op, &m, 0, 0, cap);
}

err_t pd_alloc_signal(cap_t pd, cap_t *sig)
{
	return pd_object(pd, PD_ALLOC_SIGNAL, sig);
}

err_t pd_alloc_endpoint(cap_t pd, cap_t *ep)
{
	return pd_object(pd, PD_ALLOC_ENDPOINT, ep);
}

err_t pd_mint(cap_t pd, cap_t ep, word_t badge, cap_t *copy)
{
	msg_t m = {0};
	MSG_AS(&m, pd_mint_req_t)->badge = badge;
	return invoke_recv(pd, PD_MINT, &m, MSG_WORDS_OF(pd_mint_req_t), ep, copy);
}

err_t pd_ram_peak(cap_t pd, uint64_t *peak)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_RAM_PEAK, &m, 0, 0);
	if (e == ERR_OK)
		*peak = MSG_AS(&m, pd_ram_peak_reply_t)->peak;
	return e;
}

err_t pd_fault_signal(cap_t pd, cap_t sig)
{
	msg_t m = {0};
	return invoke(pd, PD_FAULT_SIGNAL, &m, 0, sig);
}

err_t pd_fault_info(cap_t pd, pd_fault_info_reply_t *info)
{
	msg_t m = {0};
	err_t e = invoke(pd, PD_FAULT_INFO, &m, 0, 0);
	if (e == ERR_OK)
		*info = *MSG_AS(&m, pd_fault_info_reply_t);
	return e;
}

err_t pd_thread(cap_t pd, void (*entry)(word_t, utcb_t *), void *stack_top, unsigned prio,
		word_t arg)
{
	msg_t m = {0};
	*MSG_AS(&m, pd_thread_req_t) =
	    (pd_thread_req_t){(word_t)entry, (word_t)stack_top - 8, prio, arg};
	return invoke(pd, PD_THREAD, &m, MSG_WORDS_OF(pd_thread_req_t), 0);
}

err_t rm_attach(cap_t rm, cap_t ds, const rm_attach_attr_t *a, vaddr_t *addr)
{
	msg_t m = {0};
	*MSG_AS(&m, rm_attach_req_t) = (rm_attach_req_t){a->size, a->offset, a->at, a->flags};
	err_t e = invoke(rm, RM_ATTACH, &m, MSG_WORDS_OF(rm_attach_req_t), ds);
	if (e == ERR_OK)
		*addr = MSG_AS(&m, rm_addr_t)->addr;
	return e;
}

err_t rm_detach(cap_t rm, vaddr_t addr)
{
	msg_t m = {0};
	MSG_AS(&m, rm_addr_t)->addr = addr;
	return invoke(rm, RM_DETACH, &m, MSG_WORDS_OF(rm_addr_t), 0);
}

err_t rm_fault_handler(cap_t rm, cap_t sig)
{
	msg_t m = {0};
	return invoke(rm, RM_FAULT_HANDLER, &m, 0, sig);
}

err_t rm_fault_state(cap_t rm, unsigned *type, vaddr_t *addr)
{
	msg_t m = {0};
	err_t e = invoke(rm, RM_FAULT_STATE, &m, 0, 0);
	const rm_fault_state_reply_t *r = MSG_AS(&m, rm_fault_state_reply_t);
	if (e == ERR_OK)
		*type = (unsigned)r->type, *addr = r->addr;
	return e;
}

err_t rm_dataspace(cap_t rm, cap_t *ds)
{
	msg_t m = {0};
	return invoke_recv(rm, RM_DATASPACE, &m, 0, 0, ds);
}
