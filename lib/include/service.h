/*
 * Serving siblings: a component's service, announced to its parent
 * (init), whose sessions its siblings open with parent_session_open like
 * any other. The parent never calls the server: it queues each session
 * request (create, upgrade, close) and submits a signal; a thread of the
 * server's own waits for that signal and tells the server's RPC thread,
 * which fetches the requests from the parent and answers each through
 * the operations below. A client's SESSION_SYNC also makes the RPC thread
 * fetch, so that it returns with the server's answer.
 *
 * A session is a badged copy of the server's endpoint, minted by the
 * parent: the badge in each call names the session. What the server
 * spends for a session it pays from the session's donation, which has
 * moved into the server's quota before create is called and moves back
 * when the session closes: a server must not keep it.
 */
#pragma once

#include <env.h>
#include <rpc.h>

typedef struct service service_t;

typedef struct {
	/*
	 * create: the session with badge, args as the parent wrote them
	 * ("SERVICE label=client -> label key=value ..."), ram bytes and caps
	 * donated. ERR_OK accepts it; an error refuses it (the client gets
	 * that error, its donation back).
	 */
	err_t (*create)(service_t *svc, word_t badge, const char *args, uint64_t ram,
			uint64_t caps);
	/* upgrade: the client donated ram bytes and caps more (may be 0). */
	void (*upgrade)(service_t *svc, word_t badge, uint64_t ram, uint64_t caps);
	/* close: the session ends (its client closed it or ended); its donation goes back. */
	void (*close)(service_t *svc, word_t badge);
} service_ops_t;

#define SERVICE_OUTCOMES 16 /* refusals kept for clients' SESSION_SYNC */
#define SERVICE_STACK 8192

struct service {
	const service_ops_t *ops;
	void *obj;     /* the server's state, for its operations */
	cap_t ep, sig; /* sig 0: not announced yet */
	struct {
		word_t badge;
		err_t err;
	} outcome[SERVICE_OUTCOMES];
	unsigned next;
};

/*
 * service_announce: offer name at endpoint ep, with ops answering session
 * requests; the first announcement of svc starts the thread that waits
 * for the parent's signal (at the component's highest priority). A
 * component has one service_t for all the names it announces, with one
 * ep and one ops: create sees the service's name as the first word of
 * its arguments. The thread serving ep hands calls with a label of lib's
 * (SESSION_SYNC and on) to service_dispatch; rpc_serve does so for an
 * rpc_server_t whose service the caller set to svc. Errors: the parent's
 * (DENIED: its config does not let this component provide name; EXISTS:
 * announced already; OUT_OF_RAM, OUT_OF_CAPS: the parent's signal),
 * INVALID_CAP (ep is not an endpoint held whole), INVALID_ARGS (name too
 * long, or another ep than the first name's), BUSY (another service_t of
 * this component announced before),
 * NO_CAP_RECEIVED, and heap_alloc's and pd_thread's (the name is
 * announced then, but a client's end reaches the server only with its
 * next call).
 */
err_t service_announce(env_t *env, service_t *svc, cap_t ep, const char *name,
		       const service_ops_t *ops, void *obj);

/* service_dispatch: the answer to a call on ep with a label of lib's; m's reply info. */
word_t service_dispatch(service_t *svc, word_t badge, msg_t *m);
