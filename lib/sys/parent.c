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

err_t parent_service_session(const char *name, cap_t *cap, word_t *badge)
{
	msg_t m = {0};
	unsigned n = msg_put_string(&m, name, PARENT_STRING_WORDS);
	if (!n)
		return ERR_INVALID_ARGS;
	m.info = MSG_INFO(PARENT_SESSION, n, 0);
	err_t e = sys_call_caps(SLOT_PARENT, &m, 1, cap);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m.info);
	if (e == ERR_OK && !*cap)
		e = ERR_NO_CAP_RECEIVED;
	if (e != ERR_OK && *cap)
		slot_free(*cap), *cap = 0;
	if (e == ERR_OK && badge)
		*badge = m.mr[0];
	return e;
}

cap_t parent_session_await(const char *service, word_t *badge)
{
	cap_t cap;
	err_t e;
	while ((e = parent_service_session(service, &cap, badge)) == ERR_NOT_FOUND)
		sys_yield(); /* the server has not announced it yet */
	return e == ERR_OK ? cap : 0;
}

err_t parent_log(const char *text)
{
	msg_t m = {0};
	return parent_request_string(PARENT_LOG, text, &m);
}
