/*
 * run/sub_rm: a managed dataspace. Two RAM dataspaces attached into an RM
 * session appear, through the session's dataspace, in the address space;
 * a hole in the nested map faults to the nested map's handler, and
 * attaching there resumes the thread.
 */
#include <log.h>
#include <env.h>
#include <mem.h>

#define SUB_SIZE 0x100000ul
#define SECOND 0x80000ul

static volatile uint8_t *outer;
static volatile int seen = -1;
static uint8_t stack[16384] __attribute__((aligned(16)));
static unsigned failures;

static void check(int ok, const char *what)
{
	log_printf("test-sub-rm: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

static void reader(word_t arg, utcb_t *utcb)
{
	seen = outer[SECOND]; /* the nested map has a hole here now */
	for (;;)
		sys_yield();
}

static vaddr_t attach(cap_t rm, cap_t ds, vaddr_t at, unsigned flags)
{
	rm_attach_attr_t a = {.at = at, .flags = flags};
	vaddr_t addr = 0;
	err_t e = rm_attach(rm, ds, &a, &addr);
	if (e != ERR_OK)
		log_printf("test-sub-rm: FAIL: attach: %s\n", err_name(e));
	failures += e != ERR_OK;
	return addr;
}

int component_main(env_t *env)
{
	cap_t sub, managed, ds1, ds2, sig;
	if (parent_session_open("RM size=0x100000 ram_quota=16384", &sub) != ERR_OK ||
	    pd_alloc(env->pd, 0x10000, 0, &ds1) != ERR_OK ||
	    pd_alloc(env->pd, 0x10000, 0, &ds2) != ERR_OK ||
	    rm_dataspace(sub, &managed) != ERR_OK || pd_alloc_signal(env->pd, &sig) != ERR_OK) {
		log_printf("test-sub-rm: FAIL: set-up\n");
		return 1;
	}
	attach(sub, ds1, 0, RM_USE_AT | RM_WRITEABLE);
	attach(sub, ds2, SECOND, RM_USE_AT | RM_WRITEABLE);
	outer = (volatile uint8_t *)attach(env->rm, managed, 0, RM_WRITEABLE);
	log_printf("test-sub-rm: nested map of %lu KiB attached at %p\n", SUB_SIZE >> 10,
		   (void *)outer);
	outer[0] = 'A';
	outer[SECOND] = 'B';
	volatile uint8_t *d1 = (volatile uint8_t *)attach(env->rm, ds1, 0, 0);
	volatile uint8_t *d2 = (volatile uint8_t *)attach(env->rm, ds2, 0, 0);
	check(d1[0] == 'A' && d2[0] == 'B',
	      "writes through the nested map land in both dataspaces");

	rm_fault_handler(sub, sig);
	rm_detach(sub, SECOND);
	pd_thread(env->pd, reader, stack + sizeof(stack), PRIORITY_DEFAULT, 0);
	word_t count;
	unsigned type;
	vaddr_t addr;
	sys_signal_wait(sig, &count);
	rm_fault_state(sub, &type, &addr);
	log_printf("test-sub-rm: nested handler saw fault type %u at %lx\n", type, addr);
	check(type == RM_FAULT_READ && addr == SECOND,
	      "the hole faults to the nested map's handler");
	attach(sub, ds2, SECOND, RM_USE_AT | RM_WRITEABLE);
	for (int i = 0; i < 1000 && seen < 0; i++)
		sys_yield();
	check(seen == 'B', "attaching in the nested map resumed the reader");

	/* two nested maps attached into each other: core must neither loop nor fall over */
	cap_t other, other_ds;
	if (parent_session_open("RM size=0x100000 ram_quota=16384", &other) == ERR_OK &&
	    rm_dataspace(other, &other_ds) == ERR_OK) {
		vaddr_t a = attach(other, managed, 0, 0);
		rm_attach_attr_t part = {.size = 0x10000, .at = 0x40000, .flags = RM_USE_AT};
		vaddr_t b = 0;
		check(rm_attach(sub, other_ds, &part, &b) == ERR_OK,
		      "attach the second map into the first");
		check(rm_detach(sub, b) == ERR_OK && rm_detach(other, a) == ERR_OK,
		      "a cycle of nested maps attached and detached");
		check(parent_session_close(other) == ERR_OK, "closing a nested map's session");
	}
	return failures ? 1 : 0;
}
