/* The entry of ordinary components: record the UTCB, run component_main, exit. */
#include <sys.h>
#include <parent.h>

int component_main(word_t arg);

int component_entry(word_t arg, utcb_t *utcb)
{
	sys_utcb = utcb;
	component_exit(component_main(arg));
}

void component_exit(int code)
{
	msg_t m = {.info = MSG_INFO(0, 1, 0), .mr = {(word_t)code}};
	parent_request(PARENT_EXIT, &m);
	for (;;)
		sys_yield(); /* the parent destroys us */
}
