/*
 * run/rm_fault: read, write and execute violations in the address space
 * reach the fault handler registered for it, with the right address and
 * type; attaching a dataspace there resumes the faulting thread.
 */
#include <log.h>
#include <env.h>
#include <mem.h>

#define REGION 0x50000000ul /* inside the attachable part of the address space */

static volatile uint64_t seen;
static volatile int done;
static uint8_t stack[16384] __attribute__((aligned(16)));
static unsigned failures;

static void worker(word_t arg, utcb_t *utcb)
{
	seen = *(volatile uint64_t *)REGION; /* nothing attached: read fault */
	log_printf("test-rm-fault: worker read %lu\n", seen);
	*(volatile uint64_t *)REGION = 7; /* attached read-only: write fault */
	log_printf("test-rm-fault: worker wrote\n");
	((void (*)(void))(REGION + 4096))(); /* attached without execute: exec fault */
	log_printf("test-rm-fault: worker executed code from the dataspace\n");
	done = 1;
	for (;;)
		sys_yield();
}

static const char *type_name(unsigned t)
{
	return t == RM_FAULT_READ    ? "read"
	       : t == RM_FAULT_WRITE ? "write"
	       : t == RM_FAULT_EXEC  ? "exec"
				     : "none";
}

/* expect_fault: wait for the handler's signal and check the fault state. */
static void expect_fault(env_t *env, cap_t sig, unsigned type, vaddr_t addr)
{
	word_t count;
	unsigned t;
	vaddr_t a;
	sys_signal_wait(sig, &count);
	rm_fault_state(env->rm, &t, &a);
	int ok = t == type && a == addr;
	failures += !ok;
	log_printf("test-rm-fault: handler saw a %s fault at %lx: %s\n", type_name(t), a,
		   ok ? "ok" : "FAIL");
}

static void attach_at(env_t *env, cap_t ds, unsigned flags)
{
	rm_attach_attr_t at = {.at = REGION, .flags = flags | RM_USE_AT};
	vaddr_t addr;
	err_t e = rm_attach(env->rm, ds, &at, &addr);
	if (e != ERR_OK) {
		failures++;
		log_printf("test-rm-fault: FAIL: attach at %lx: %s\n", REGION, err_name(e));
	}
}

int component_main(env_t *env)
{
	cap_t sig;
	attached_ds_t ds;
	if (pd_alloc_signal(env->pd, &sig) != ERR_OK || rm_fault_handler(env->rm, sig) != ERR_OK ||
	    attached_ram_ds(env, 2 * 4096, &ds) != ERR_OK) {
		log_printf("test-rm-fault: FAIL: set-up\n");
		return 1;
	}
	*(uint64_t *)ds.addr = 42;
	*(uint8_t *)(ds.addr + 4096) = 0xc3; /* ret */
	pd_thread(env->pd, worker, stack + sizeof(stack), PRIORITY_DEFAULT, 0);

	expect_fault(env, sig, RM_FAULT_READ, REGION);
	attach_at(env, ds.ds, 0);
	expect_fault(env, sig, RM_FAULT_WRITE, REGION);
	rm_detach(env->rm, REGION);
	attach_at(env, ds.ds, RM_WRITEABLE);
	expect_fault(env, sig, RM_FAULT_EXEC, REGION + 4096);
	rm_detach(env->rm, REGION);
	attach_at(env, ds.ds, RM_EXECUTABLE);
	for (int i = 0; i < 1000 && !done; i++)
		sys_yield();
	int ok = done && seen == 42 && *(uint64_t *)ds.addr == 7;
	failures += !ok;
	log_printf("test-rm-fault: worker resumed after each attach: %s\n", ok ? "ok" : "FAIL");
	return failures ? 1 : 0;
}
