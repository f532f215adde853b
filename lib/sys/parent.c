/* The client side of the parent protocol. */
#include <parent.h>
#include <env.h>
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

cap_t parent_session_await(const char *args)
{
	cap_t cap;
	err_t e;
	while ((e = parent_session_open(args, &cap)) == ERR_NOT_FOUND)
		sys_yield(); /* the server has not announced it yet */
	return e == ERR_OK ? cap : 0;
}

err_t parent_log(const char *text)
{
	msg_t m = {0};
	return parent_request_string(PARENT_LOG, text, &m);
}
