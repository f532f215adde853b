/*
 * Synchronous IPC.
 *
 * Invariants: a thread in THREAD_SEND is in exactly one endpoint's sender
 * queue (q_owner), a thread in THREAD_RECV in exactly one receiver queue.
 * A thread in THREAD_REPLY has its callee set, and that server's caller
 * points back at it. A thread in THREAD_RECV has no caller (one it did not
 * answer got ABORTED). A faulting thread blocks like a caller, with in_fault
 * set: its message is built from the fault, and the reply label decides
 * whether it resumes, its registers untouched.
 *
 * Transfer: message words 0..3 move register to register, the rest UTCB to
 * UTCB. Capability i named in the sender's UTCB goes into the empty slot
 * the receiver named in its recv_slots[i] beforehand, or, if it names the
 * endpoint the message came through, arrives as its badge alone; the
 * receiver's recv[i] says which (a reply comes through no endpoint).
 *
 * The common short round trip does not come here: ipc_fast.c handles it
 * under the same invariants. A thread that blocked there has nothing on its
 * kernel stack (frame_resume); the scheduler resumes it from its frame.
 */
#include <ipc.h>
#include <pd.h>
#include <sched.h>
#include <signal.h>
#include <frame.h>
#include <vm.h>
#include <kstring.h>
#include <print.h>
#include <arch/frame.h>

void queue_push(thread_t **q, thread_t *t)
{
	if (!*q) {
		t->q_next = t->q_prev = t;
		*q = t;
		return;
	}
	thread_t *head = *q, *tail = head->q_prev;
	t->q_next = head;
	t->q_prev = tail;
	tail->q_next = t;
	head->q_prev = t;
}

void queue_remove(thread_t **q, thread_t *t)
{
	if (t->q_next == t) {
		*q = 0;
	} else {
		t->q_prev->q_next = t->q_next;
		t->q_next->q_prev = t->q_prev;
		if (*q == t)
			*q = t->q_next;
	}
	t->q_next = t->q_prev = 0;
	t->q_owner = 0;
}

thread_t *queue_pop(thread_t **q)
{
	thread_t *t = *q;
	if (t)
		queue_remove(q, t);
	return t;
}

endpoint_t *endpoint_create(paddr_t frame)
{
	endpoint_t *ep = vm_phys_to_virt(frame);
	ep->head.type = OBJ_ENDPOINT;
	return ep;
}

static void wake_with_error(thread_t *t, err_t e)
{
	*frame_sreg(thread_frame(t), SREG_RESULT) = e;
	sched_ready(t);
}

void endpoint_destroy(endpoint_t *ep)
{
	thread_t *t;
	while ((t = queue_pop(&ep->senders)))
		t->in_fault ? thread_stop(t) : wake_with_error(t, ERR_ABORTED);
	while ((t = queue_pop(&ep->receivers)))
		wake_with_error(t, ERR_ABORTED);
	frame_release(vm_virt_to_phys(ep));
}

/*
 * abandon_caller: t will not answer its caller (it dies, or receives anew
 * without replying): the call fails with ABORTED, a fault leaves the thread
 * stopped. Keeps the invariant that a receiving thread has no caller.
 */
static void abandon_caller(thread_t *t)
{
	thread_t *c = t->caller;
	if (!c)
		return;
	t->caller = 0;
	c->callee = 0;
	if (c->in_fault) {
		c->in_fault = 0;
		thread_stop(c);
	} else {
		wake_with_error(c, ERR_ABORTED);
	}
}

/*
 * transfer_cap: place i of src's capabilities to dst. A capability to ep,
 * the endpoint the message came through, arrives as its badge: the
 * receiver made it, so it recognises it without a slot. Any other goes
 * into the empty slot dst named for place i, or nowhere.
 */
static void transfer_cap(thread_t *src, thread_t *dst, unsigned i, const endpoint_t *ep)
{
	utcb_recv_t *r = &dst->utcb->recv[i];
	cap_entry_t *e;
	r->kind = RECV_NONE;
	if (cap_lookup(src->pd, src->utcb->send_caps[i], OBJ_NONE, 0, &e) != ERR_OK)
		return;
	r->type = e->type;
	r->rights = e->rights;
	if (ep && e->pfn == frame_pfn(ep)) {
		r->kind = RECV_BADGE;
		r->badge = e->badge;
	} else if (cap_copy(dst->pd, dst->utcb->recv_slots[i], e) == ERR_OK) {
		r->kind = RECV_SLOT;
	}
}

/* transfer_caps: up to n capabilities named in src's UTCB, see transfer_cap. */
static void transfer_caps(thread_t *src, thread_t *dst, unsigned n, const endpoint_t *ep)
{
	for (unsigned i = 0; i < UTCB_CAP_COUNT; i++) {
		if (i < n)
			transfer_cap(src, dst, i, ep);
		else
			dst->utcb->recv[i].kind = RECV_NONE;
	}
}

/* transfer_long: the UTCB part of a message and its capabilities. */
__attribute__((noinline)) static void transfer_long(thread_t *src, thread_t *dst, word_t info,
						    word_t badge, const endpoint_t *ep)
{
	unsigned words = MSG_WORDS(info) > UTCB_MR_COUNT ? UTCB_MR_COUNT : MSG_WORDS(info);
	unsigned caps = MSG_CAPS(info) > UTCB_CAP_COUNT ? UTCB_CAP_COUNT : MSG_CAPS(info);
	if (words > FRAME_MR_REGS)
		memcpy(&dst->utcb->mr[FRAME_MR_REGS], &src->utcb->mr[FRAME_MR_REGS],
		       (words - FRAME_MR_REGS) * sizeof(word_t));
	if (caps)
		transfer_caps(src, dst, caps, ep);
	frame_set_msg(thread_frame(dst), ERR_OK, badge, MSG_INFO(MSG_LABEL(info), words, caps));
}

/* transfer: deliver src's message (info in its frame) to dst, with badge, through ep (or a reply).
 */
static inline void transfer(thread_t *src, thread_t *dst, word_t info, word_t badge,
			    const endpoint_t *ep)
{
	trap_frame_t *df = thread_frame(dst);
	frame_copy_mrs(df, thread_frame(src));
	if (__builtin_expect((info & 0xff00ull) == 0 && MSG_WORDS(info) <= FRAME_MR_REGS, 1))
		frame_set_msg(df, ERR_OK, badge, info & 0xffffffff000000ffull); /* registers only */
	else
		transfer_long(src, dst, info, badge, ep);
}

/* deliver_fault: the fault message of src to receiver dst. */
static void deliver_fault(thread_t *src, thread_t *dst)
{
	trap_frame_t *df = thread_frame(dst);
	*frame_mr(df, 0) = src->fault_addr;
	*frame_mr(df, 1) = src->fault_type;
	*frame_mr(df, 2) = src->fault_ip;
	*frame_mr(df, 3) = src->fault_vector;
	*frame_sreg(df, SREG_RESULT) = ERR_OK;
	*frame_sreg(df, SREG_A0) = src->send_badge;
	*frame_sreg(df, SREG_A1) = MSG_INFO(FAULT_LABEL, 4, 0);
}

/* receive_from: server dst takes the message that the blocked sender src sent through ep. */
static void receive_from(thread_t *src, thread_t *dst, const endpoint_t *ep)
{
	if (src->in_fault)
		deliver_fault(src, dst);
	else
		transfer(src, dst, *frame_sreg(thread_frame(src), SREG_A1), src->send_badge, ep);
	src->state = THREAD_REPLY;
	src->callee = dst;
	dst->caller = src;
}

/* send_to: current sends to ep: hand over directly to a waiting server, or queue. */
static void send_to(endpoint_t *ep, word_t badge)
{
	thread_t *self = current;
	self->send_badge = badge;
	thread_t *server = queue_pop(&ep->receivers);
	if (!server) {
		self->state = THREAD_SEND;
		self->q_owner = ep;
		queue_push(&ep->senders, self);
		sched_block();
		return;
	}
	receive_from(self, server, ep);
	sched_switch_to(server); /* the caller blocks: lend the CPU to the server */
}

err_t ipc_call(endpoint_t *ep, word_t badge)
{
	current->in_fault = 0;
	send_to(ep, badge);
	return (err_t)*frame_sreg(thread_frame(current), SREG_RESULT);
}

/*
 * reply: answer the current caller; never blocks. Returns the caller when
 * it should run again (the caller of reply_wait decides how it gets the
 * CPU), NULL when there was none or it stays stopped.
 */
static thread_t *reply(word_t info)
{
	thread_t *self = current, *c = self->caller;
	self->caller = 0;
	if (!c)
		return 0;
	c->callee = 0;
	if (c->in_fault) {
		c->in_fault = 0;
		if (MSG_LABEL(info) == FAULT_REPLY_RESUME)
			return c;
		thread_stop(c);
		return 0;
	}
	transfer(self, c, info, 0, 0);
	return c;
}

err_t ipc_reply_wait(endpoint_t *ep, word_t info)
{
	thread_t *self = current;
	thread_t *c = info != SYS_NO_REPLY ? reply(info) : 0;
	abandon_caller(self); /* waiting without a reply: the caller's call fails */
	thread_t *sender = queue_pop(&ep->senders);
	if (sender) {
		if (c)
			sched_ready(c);
		receive_from(sender, self, ep);
		return ERR_OK;
	}
	self->state = THREAD_RECV;
	self->q_owner = ep;
	queue_push(&ep->receivers, self);
	if (c && sched_can_run_now(c)) {
		sched_switch_to(c); /* the common case: straight back to the client */
	} else {
		if (c)
			sched_ready(c);
		sched_block();
	}
	return (err_t)*frame_sreg(thread_frame(self), SREG_RESULT);
}

err_t ipc_reply(word_t info)
{
	thread_t *c = reply(info);
	if (c)
		sched_ready(c); /* it runs first if its priority is higher */
	return c ? ERR_OK : ERR_NOT_FOUND;
}

void ipc_fault(word_t addr, word_t type, word_t ip, word_t vector)
{
	thread_t *self = current;
	self->fault_addr = addr;
	self->fault_type = type;
	self->fault_ip = ip;
	self->fault_vector = vector;
	endpoint_t *pager = (endpoint_t *)obj_ref_get(self->pager, OBJ_ENDPOINT);
	if (!pager) {
		kprintf("kernel: thread '%s' of PD '%s' stopped: unresolved %s fault at %lx ip %lx "
			"(vector %lu, no pager)\n",
			self->name, self->pd->name, fault_kind_name(type), addr, ip, vector);
		thread_stop(self);
		sched_block();
		return;
	}
	self->in_fault = 1;
	send_to(pager, self->pager_badge);
}

void ipc_abort_thread(thread_t *t)
{
	if (t->state == THREAD_SEND)
		queue_remove(&((endpoint_t *)t->q_owner)->senders, t);
	else if (t->state == THREAD_RECV)
		queue_remove(&((endpoint_t *)t->q_owner)->receivers, t);
	else if (t->state == THREAD_SIGNAL)
		((signal_t *)t->q_owner)->waiter = 0;
	if (t->callee) /* its server forgets it */
		t->callee->caller = 0;
	t->callee = 0;
	abandon_caller(t);
}
