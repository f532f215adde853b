/*
 * RPC helpers: a server is a table of operations, a client a set of stubs.
 * A server thread waits on its endpoint and hands each call, by its label
 * (the opcode), to the operation of the table; the operation reads the
 * request's words, through a layout the server's and the client's code
 * share in one header (see core_proto.h's MSG_AS), writes the reply's and
 * returns the reply info. Capabilities sent along land in slots the server
 * names before each wait; an operation that keeps one takes it with
 * rpc_take_cap, the others are emptied after the reply. The slot is named
 * only while the server waits: an operation may itself call other servers
 * (as a parent does for its children) without their replies landing in it.
 *
 * A server can end cleanly: an operation calls rpc_stop, its reply is
 * sent, and rpc_serve returns instead of waiting for the next call.
 */
#pragma once

#include <sys.h>

typedef struct rpc_server rpc_server_t;
struct service;

/* rpc_op_fn: the answer to one call: the reply info (MSG_INFO(err, words, caps)). */
typedef word_t (*rpc_op_fn)(rpc_server_t *s, word_t badge, msg_t *m);

typedef struct {
	unsigned op; /* the label a call carries */
	rpc_op_fn fn;
} rpc_op_t;

struct rpc_server {
	cap_t ep;
	const rpc_op_t *ops;
	unsigned op_count;
	void *obj;    /* the server's state, for its operations */
	int stopping; /* set by rpc_stop */
	cap_t taken;  /* set by rpc_take_cap during one call */
	cap_t slot;   /* where a call's capability lands: named only during the wait */
	int got;      /* the current call's capability landed in slot */
	unsigned got_type;
	struct service *service; /* set to the announced service_t: it answers lib's labels */
};

/* RPC_OPS(ops): the table and its size, for rpc_server_init. */
#define RPC_OPS(ops) (ops), (unsigned)(sizeof(ops) / sizeof((ops)[0]))

/* rpc_server_init: a server on endpoint ep (RIGHT_RECV) with the given operations. */
void rpc_server_init(rpc_server_t *s, cap_t ep, const rpc_op_t *ops, unsigned op_count, void *obj);

/*
 * rpc_serve: answer calls until an operation calls rpc_stop; a call whose
 * label no operation has is answered UNKNOWN_OPCODE, one with a label of
 * lib's (SESSION_SYNC and on) by the announced service (service.h). Blocks. Errors:
 * INVALID_CAP or NO_RIGHTS (ep is no endpoint to receive on), NO_SLOT (no
 * slot left to receive capabilities into: then none are accepted).
 */
err_t rpc_serve(rpc_server_t *s);

/* rpc_stop: the current call's reply is the server's last. */
void rpc_stop(rpc_server_t *s);

/*
 * rpc_received_badge: capability i of the call m named the server's own
 * endpoint: its badge in *badge (a capability the server made). It reads
 * the UTCB: ask before the operation makes calls of its own.
 */
int rpc_received_badge(const msg_t *m, unsigned i, word_t *badge);

/*
 * rpc_take_cap: the slot capability 0 of the call m landed in, if it is of
 * type (OBJ_NONE: any), or 0; the slot is the operation's from now on.
 */
cap_t rpc_take_cap(rpc_server_t *s, const msg_t *m, unsigned type);

/*
 * rpc_call: the client stub's one step: call cap with label, words words
 * of m (its layout written by the stub) and, if send, one capability; the
 * server's answer (its reply label) or the kernel's error. With recv, the
 * reply's first capability lands in *recv (0 if none came).
 */
err_t rpc_call(cap_t cap, unsigned label, msg_t *m, unsigned words, cap_t send, cap_t *recv);
