/* The client side of the parent protocol. */
#include <parent.h>
#include <mem.h>
#include <abi/slots.h>

err_t parent_request(unsigned label, msg_t *m)
{
	m->info = MSG_INFO(label, MSG_WORDS(m->info), MSG_CAPS(m->info));
	err_t e = sys_call(SLOT_PARENT, m);
	return e != ERR_OK ? e : (err_t)MSG_LABEL(m->info); /* the parent's answer */
}

err_t parent_request_string(unsigned label, const char *s, msg_t *m)
{
	unsigned n = msg_put_string(m, s, PARENT_STRING_WORDS);
	if (!n)
		return ERR_INVALID_ARGS;
	m->info = MSG_INFO(0, n, MSG_CAPS(m->info));
	return parent_request(label, m);
}

cap_t parent_session_await(const char *service, word_t *badge)
{
	for (;;) {
		msg_t m = {0};
		if (parent_request_string(PARENT_SESSION, service, &m) == ERR_OK) {
			if (badge)
				*badge = m.mr[0];
			return sys_utcb->recv_caps[0];
		}
		sys_yield(); /* the server has not announced it yet */
	}
}

err_t parent_log(const char *text)
{
	msg_t m = {0};
	return parent_request_string(PARENT_LOG, text, &m);
}
