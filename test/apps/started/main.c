/*
 * run/child_start: says when its first instruction ran (rdtsc at its entry,
 * instructions under QEMU -icount shift=0), for guest.child_start: init
 * prints when it began to start it.
 */
#include <env.h>

int component_main(env_t *env)
{
	return log_session_printf(env->log, "first instruction at cycle %lu",
				  (unsigned long)component_first_cycle()) == ERR_OK
		   ? 0
		   : 1;
}
