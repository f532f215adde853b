/* Serving siblings: the server's side of the session protocol (see service.h). */
#include <service.h>
#include <parent.h>
#include <mem.h>
#include <abi/slots.h>

/*
 * refused: keep a refusal for the client's SESSION_SYNC, which reads it
 * once; an acceptance needs no record (SYNC's answer is OK by default).
 * The oldest unread refusal goes when more than SERVICE_OUTCOMES wait.
 */
static void refused(service_t *svc, word_t badge, err_t err)
{
	svc->outcome[svc->next].badge = badge, svc->outcome[svc->next].err = err;
	svc->next = (svc->next + 1) % SERVICE_OUTCOMES;
}

/* request_args: a CREATE's argument string, from word SESSION_REQUEST_ARGS_AT of the reply. */
static void request_args(const msg_t *m, char *out, size_t size)
{
	size_t words = MSG_WORDS(m->info), n = 0;
	const utcb_t *u = sys_utcb();
	for (size_t i = SESSION_REQUEST_ARGS_AT; i < words && i < UTCB_MR_COUNT; i++)
		for (unsigned b = 0; b < sizeof(word_t) && n + 1 < size; b++)
			out[n++] = (char)(u->mr[i] >> (8 * b));
	out[n] = 0;
}

/*
 * fetch: every request the parent holds for this server, each answered
 * with the call that fetches the next; the last answer goes with the call
 * that finds none left.
 */
static void fetch(service_t *svc)
{
	session_answer_t answer = {0, 0};
	for (;;) {
		msg_t m = {0};
		*MSG_AS(&m, session_answer_t) = answer;
		m.info = MSG_INFO(PARENT_SESSION_REQUEST, MSG_WORDS_OF(session_answer_t), 0);
		if (sys_call(SLOT_PARENT, &m) != ERR_OK || MSG_LABEL(m.info) != ERR_OK)
			return; /* NOT_FOUND: nothing left */
		session_request_t r = *MSG_AS(&m, session_request_t);
		answer.badge = 0;
		switch (r.kind) {
		case SESSION_CREATE: {
			char args[SESSION_ARGS_MAX];
			request_args(&m, args, sizeof(args));
			err_t e = svc->ops->create(svc, r.badge, args, r.ram, r.caps);
			answer.badge = r.badge, answer.err = e;
			if (e != ERR_OK)
				refused(svc, r.badge, e);
			break;
		}
		case SESSION_UPGRADE:
			if (svc->ops->upgrade)
				svc->ops->upgrade(svc, r.badge, r.ram, r.caps);
			break;
		case SESSION_CLOSE:
			svc->ops->close(svc, r.badge);
			answer.badge = r.badge, answer.err = ERR_OK;
			break;
		}
	}
}

word_t service_dispatch(service_t *svc, word_t badge, msg_t *m)
{
	if (!svc || !svc->sig)
		return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
	switch (MSG_LABEL(m->info)) {
	case SESSION_REQUESTS:
		if (badge != 0) /* only the server's own endpoint capability has badge 0 */
			return MSG_INFO(ERR_DENIED, 0, 0);
		fetch(svc);
		return MSG_INFO(0, 0, 0);
	case SESSION_SYNC:
		fetch(svc);
		for (unsigned i = 0; i < SERVICE_OUTCOMES; i++)
			if (svc->outcome[i].badge == badge && badge) {
				svc->outcome[i].badge = 0;
				return MSG_INFO(svc->outcome[i].err, 0, 0);
			}
		return MSG_INFO(ERR_OK, 0, 0); /* accepted (or closed): no refusal waits */
	default: return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
	}
}

/* waiter: the server's thread for the parent's signal: each submission a SESSION_REQUESTS. */
static void waiter(word_t arg, utcb_t *utcb)
{
	service_t *svc = (service_t *)arg;
	for (;;) {
		word_t count;
		if (sys_signal_wait(svc->sig, &count) != ERR_OK)
			return;
		msg_t m = {.info = MSG_INFO(SESSION_REQUESTS, 0, 0)};
		sys_call(svc->ep, &m);
	}
}

err_t service_announce(env_t *env, service_t *svc, cap_t ep, const char *name,
		       const service_ops_t *ops, void *obj)
{
	static service_t *announced; /* the component's one service_t: the parent's requests */
	msg_t m = {0};
	unsigned n = msg_put_string(&m, name, PARENT_STRING_WORDS);
	if (!n)
		return ERR_INVALID_ARGS;
	if (announced && announced != svc)
		return ERR_BUSY; /* its requests, for all its services, go to one service_t */
	int first = !svc->sig;
	if (first) {
		memset(svc, 0, sizeof(*svc));
		svc->ep = ep, svc->ops = ops, svc->obj = obj;
	} else if (ep != svc->ep) {
		return ERR_INVALID_ARGS; /* one endpoint for all its names */
	}
	sys_utcb()->send_caps[0] = ep;
	m.info = MSG_INFO(PARENT_ANNOUNCE, n, 1);
	cap_t sig = 0;
	err_t e = sys_call_caps(SLOT_PARENT, &m, 1, &sig);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m.info);
	if (e == ERR_OK && !sig)
		e = ERR_NO_CAP_RECEIVED;
	if (e != ERR_OK || !first) { /* a further name: the parent's signal is the same */
		if (sig)
			slot_free(sig);
		if (e != ERR_OK && first)
			memset(svc, 0, sizeof(*svc));
		return e;
	}
	void *stack;
	if ((e = heap_alloc(&env->heap, SERVICE_STACK, &stack)) != ERR_OK) {
		slot_free(sig);
		return e;
	}
	svc->sig = sig;
	if ((e = pd_thread(env->pd, waiter, (char *)stack + SERVICE_STACK, PRIORITY_MAX,
			   (word_t)svc)) != ERR_OK) {
		svc->sig = 0; /* SYNC still fetches; a client's end is heard at the next call */
		slot_free(sig);
		heap_free(&env->heap, stack);
	}
	announced = svc; /* the parent lists the name either way */
	return e;
}
