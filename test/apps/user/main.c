/*
 * run/user: a component in ring 3 that prints, then reads kernel memory.
 * The read must arrive at its pager (core) as a fault of this thread, and
 * the system carries on.
 */
#include <log.h>
#include <env.h>
#include <parent.h>

int component_main(env_t *env)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	log_printf("test-user: hello from ring %u\n", cs & 3);
	parent_log("test-user: logging through the parent works");
	parent_log("a line\ncore: 'nobody' exited with 0"); /* its second line is labelled too */
	volatile uint64_t *kernel = (volatile uint64_t *)0xffffffff80100000ull;
	log_printf("test-user: reading kernel memory at %p\n", (void *)kernel);
	uint64_t v = *kernel;
	log_printf("test-user: FAIL: read kernel memory: %lx\n", v);
	return 1;
}
