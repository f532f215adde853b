/*
 * Synchronous IPC through endpoints. A call blocks the caller until the
 * reply; replying never blocks the server. Message words 0..3 travel in
 * registers, the rest in the UTCBs; up to four capabilities travel along.
 */
#pragma once

#include <thread.h>

struct endpoint {
	obj_t head;
	thread_t *senders;   /* FIFO of callers (circular through q_next/q_prev) */
	thread_t *receivers; /* FIFO of servers in reply_wait */
};

endpoint_t *endpoint_create(paddr_t frame);
void endpoint_destroy(endpoint_t *ep);

/* ipc_call: the current thread calls ep with badge; blocks until the reply; ABORTED if the server
 * died. */
err_t ipc_call(endpoint_t *ep, word_t badge);

/*
 * ipc_reply: reply to the current caller with info and go on running (a
 * server that ends after its last answer). NOT_FOUND if there is no caller
 * (or it is gone). Never blocks.
 */
err_t ipc_reply(word_t info);

/* ipc_reply_wait: reply to the current caller (unless info is SYS_NO_REPLY), then receive on ep. */
err_t ipc_reply_wait(endpoint_t *ep, word_t info);

/*
 * The fast paths: a short call to a waiting server, a short reply to a
 * caller that may run now while no one else waits. They return the frame to
 * leave the kernel with (the partner's), or NULL when the general path must
 * handle the request (nothing has changed then).
 */
trap_frame_t *ipc_fast_call(trap_frame_t *f);
trap_frame_t *ipc_fast_reply_wait(trap_frame_t *f);

/* ipc_fault: deliver a fault of the current thread to its pager, or stop it. */
void ipc_fault(word_t addr, word_t type, word_t ip, word_t vector);

/* ipc_abort_thread: t dies: release its partners and its queue place. */
void ipc_abort_thread(thread_t *t);

/* The queue helpers, shared with signals. */
void queue_push(thread_t **q, thread_t *t);
thread_t *queue_pop(thread_t **q);
void queue_remove(thread_t **q, thread_t *t);
