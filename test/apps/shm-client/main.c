/*
 * run/shared_memory and run/ds_ownership, the client: receives the
 * server's dataspace through a session, attaches it, reads the server's
 * words and writes its own; it cannot free a dataspace it does not own, and
 * once the owner frees it, the client's mapping is gone too.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

enum { OP_GET = 1, OP_CHECK = 2, OP_FREE = 3 };

static volatile char *shared;
static uint8_t stack[16384] __attribute__((aligned(16)));
static unsigned failures;

static void check(int ok, const char *what)
{
	log_printf("shm-client: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

static err_t request(cap_t s, unsigned op, cap_t *got)
{
	msg_t m = {.info = MSG_INFO(op, 0, 0)};
	cap_t cap = 0;
	err_t e = sys_call_caps(s, &m, got ? 1 : 0, &cap);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m.info);
	if (got)
		*got = e == ERR_OK ? cap : 0;
	return e;
}

static void late_reader(word_t arg, utcb_t *utcb)
{
	log_printf("shm-client: reading the freed dataspace at %p\n", (void *)shared);
	log_printf("shm-client: FAIL: still readable: %c\n", shared[0]);
	for (;;)
		sys_yield();
}

int component_main(env_t *env)
{
	cap_t s = parent_session_await("shm", 0), ds;
	check(request(s, OP_GET, &ds) == ERR_OK && ds, "received the server's dataspace");
	rm_attach_attr_t a = {.flags = RM_WRITEABLE};
	vaddr_t addr;
	check(rm_attach(env->rm, ds, &a, &addr) == ERR_OK, "attached it");
	shared = (volatile char *)addr;
	check(!strcmp((const char *)addr, "hello from the server"),
	      "the server's words in my mapping");
	strcpy((char *)addr + 512, "hello from the client");
	check(request(s, OP_CHECK, 0) == ERR_OK, "the server sees my words");

	err_t e = pd_free(env->pd, ds);
	log_printf("shm-client: freeing a dataspace I do not own: %s\n", err_name(e));
	check(e == ERR_DENIED, "free by a non-owner refused");
	check(shared[0] == 'h', "the dataspace is still there after the refused free");
	check(request(s, OP_FREE, 0) == ERR_OK, "the owner freed it");
	pd_thread(env->pd, late_reader, stack + sizeof(stack), PRIORITY_DEFAULT, 0);
	for (int i = 0; i < 50; i++)
		sys_yield();
	log_printf("shm-client: done, %u failures\n", failures);
	return failures ? 1 : 0;
}
