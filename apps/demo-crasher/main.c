/*
 * The demo's faulting component: it writes through a wild pointer, an
 * address nothing is attached at. Its pager (core) stops the thread and
 * reports the fault; nothing else in the system is disturbed.
 */
#include <env.h>

int component_main(env_t *env)
{
	volatile word_t *wild = (volatile word_t *)0x5ead0000;
	log_session_printf(env->log, "writing through the wild pointer %p", (void *)wild);
	*wild = 1;
	log_session_printf(env->log, "FAIL: the write went through");
	return 1;
}
