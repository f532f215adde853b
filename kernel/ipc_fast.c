/*
 * The IPC fast paths. They handle the common round trip, a short message
 * (at most four words, no capabilities) between a client and a server that
 * is already waiting, without the general machinery: no run-queue
 * operations and no kernel context switch. The thread that blocks keeps
 * nothing on its kernel stack: it is marked to resume from its user frame
 * (frame_resume), and the kernel leaves on the partner's frame. Anything
 * unusual (long messages, capabilities, faults, a pending sender, a
 * higher-priority thread ready, slots beyond the PD frame) takes the
 * general path, which gives the same results.
 */
#include <ipc.h>
#include <pd.h>
#include <sched.h>
#include <frame.h>
#include <arch/frame.h>

#define SHORT_INFO_MASK 0xffffffff000000ffull /* label and word count */

/*
 * fast_endpoint: the endpoint behind a live capability in an inline slot
 * with the given right, or NULL; *cap is the entry.
 */
static inline endpoint_t *fast_endpoint(pd_t *pd, word_t slot, uint8_t right, cap_entry_t **cap)
{
	if (slot - 1 >= PD_SLOTS_INLINE - 1)
		return 0; /* slot 0 and the leaves: the general path */
	cap_entry_t *e = &pd->slots[slot];
	/* cap_entry_live, reduced: the type is known to be an endpoint */
	if (e->type != OBJ_ENDPOINT || !(e->rights & right) || frame_table[e->pfn].gen != e->gen)
		return 0;
	*cap = e;
	return (endpoint_t *)cap_entry_obj(e);
}

static inline int short_message(word_t info)
{
	return (info & 0xff00) == 0 && MSG_WORDS(info) <= FRAME_MR_REGS;
}

trap_frame_t *ipc_fast_call(trap_frame_t *f)
{
	thread_t *self = current;
	word_t slot = *frame_sreg(f, SREG_A0), info = *frame_sreg(f, SREG_A1);
	cap_entry_t *cap;
	endpoint_t *ep = fast_endpoint(self->pd, slot, RIGHT_SEND, &cap);
	if (!ep || !ep->receivers || !short_message(info))
		return 0;
	word_t badge = cap->badge;
	thread_t *server = ep->receivers;
	if (server->q_next == server) { /* the usual case: one server thread waits */
		ep->receivers = 0;
		server->q_next = server->q_prev = 0;
		server->q_owner = 0;
	} else {
		queue_remove(&ep->receivers, server);
	}
	trap_frame_t *sf = thread_frame(server);
	frame_copy_mrs(sf, f);
	frame_set_msg(sf, ERR_OK, badge, info & SHORT_INFO_MASK);
	self->in_fault = 0;
	self->send_badge = badge;
	self->state = THREAD_REPLY;
	self->callee = server;
	server->caller = self;
	sched_switch_direct(server);
	return sf;
}

trap_frame_t *ipc_fast_reply_wait(trap_frame_t *f)
{
	thread_t *self = current, *c = self->caller;
	word_t slot = *frame_sreg(f, SREG_A0), info = *frame_sreg(f, SREG_A1);
	if (!c || c->in_fault || !short_message(info))
		return 0;
	cap_entry_t *cap;
	endpoint_t *ep = fast_endpoint(self->pd, slot, RIGHT_RECV, &cap);
	if (!ep || ep->senders || !sched_can_run_now(c))
		return 0;
	trap_frame_t *cf = thread_frame(c);
	frame_copy_mrs(cf, f);
	frame_set_msg(cf, ERR_OK, 0, info & SHORT_INFO_MASK);
	self->caller = 0;
	c->callee = 0;
	self->state = THREAD_RECV;
	self->q_owner = ep;
	if (!ep->receivers) {
		self->q_next = self->q_prev = self;
		ep->receivers = self;
	} else {
		queue_push(&ep->receivers, self);
	}
	sched_switch_direct(c);
	return cf;
}
