/*
 * run/isolation: a child that never stops computing. Started at a low
 * priority, it gets the CPU only when nobody else wants it, so its
 * siblings finish regardless.
 */
#include <env.h>

int component_main(env_t *env)
{
	log_session_printf(env->log, "spinning for good");
	for (volatile uint64_t n = 0;; n++)
		;
}
