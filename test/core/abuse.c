/*
 * A self-test of the privileged calls, linked only into the test variant of
 * core (module test-core) and run with core_test=abuse on the command line:
 * every call below must fail with exactly the expected error, and a
 * capability to a destroyed object must stay dead even after its frame
 * holds a new object.
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <session_args.h>

static unsigned passed, failed;

static void expect(const char *what, err_t got, err_t want)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	log_printf("core: abuse: %s: got %s, expected %s\n", what, err_name(got), err_name(want));
}

#define K SLOT_KERNEL
#define CALL(nr, ...) kcall(nr, __VA_ARGS__, 0, 0)

static err_t kcall(word_t nr, word_t a, word_t b, word_t c, word_t d, word_t e, ...)
{
	return sys6(nr, K, a, b, c, d, e);
}

static void abuse_create(paddr_t frame)
{
	cap_t s = slot_alloc();
	expect("create: unknown type", CALL(SYS_CREATE, 99, s, frame, 0, 0), ERR_INVALID_ARGS);
	expect("create: slot 0", CALL(SYS_CREATE, OBJ_ENDPOINT, 0, frame, 0, 0), ERR_INVALID_CAP);
	expect("create: slot in use", CALL(SYS_CREATE, OBJ_ENDPOINT, SLOT_KERNEL, frame, 0, 0),
	       ERR_SLOT_IN_USE);
	expect("create: slot beyond table", CALL(SYS_CREATE, OBJ_ENDPOINT, 1u << 30, frame, 0, 0),
	       ERR_INVALID_CAP);
	expect("create: slot wider than cap_t",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, 1ull << 40, frame, 0, 0), ERR_INVALID_CAP);
	expect("create: unaligned frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, frame + 8, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("create: kernel image frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, 0x100000, 0, 0),
	       ERR_BUSY);
	expect("create: frame beyond RAM", CALL(SYS_CREATE, OBJ_ENDPOINT, s, 1ull << 45, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("create: thread in a non-PD", CALL(SYS_CREATE, OBJ_THREAD, s, frame, core_ep, 1),
	       ERR_WRONG_TYPE);
	expect("create: thread priority", CALL(SYS_CREATE, OBJ_THREAD, s, frame, SLOT_SELF_PD, 99),
	       ERR_INVALID_ARGS);
	expect("create: PD with one frame twice", CALL(SYS_CREATE, OBJ_PD, s, frame, frame, 0),
	       ERR_INVALID_ARGS);
	expect("create: IRQ line 99", CALL(SYS_CREATE, OBJ_IRQ, s, frame, 99, 0), ERR_INVALID_ARGS);
	expect("create: timer IRQ", CALL(SYS_CREATE, OBJ_IRQ, s, frame, 0, 0), ERR_BUSY);
	slot_free(s);
}

static void abuse_map(paddr_t frame, paddr_t kobj_frame)
{
	vaddr_t va = 0x10000000;
	expect("map: kernel object frame",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, kobj_frame, MAP_WRITE, 0), ERR_DENIED);
	expect("map: kernel image", CALL(SYS_MAP, SLOT_SELF_PD, va, 0x100000, 0, 0), ERR_DENIED);
	expect("map: write+exec", CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_WRITE | MAP_EXEC, 0),
	       ERR_INVALID_ARGS);
	expect("map: unknown flags", CALL(SYS_MAP, SLOT_SELF_PD, va, frame, 0x80, 0),
	       ERR_INVALID_ARGS);
	expect("map: kernel address",
	       CALL(SYS_MAP, SLOT_SELF_PD, 0xffff800000000000ull, frame, 0, 0), ERR_BAD_ADDRESS);
	expect("map: non-canonical",
	       CALL(SYS_MAP, SLOT_SELF_PD, 0x0000800000000000ull, frame, 0, 0), ERR_BAD_ADDRESS);
	expect("map: unaligned address", CALL(SYS_MAP, SLOT_SELF_PD, va + 1, frame, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("map: unaligned frame", CALL(SYS_MAP, SLOT_SELF_PD, va, frame + 1, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("map: physical address too wide", CALL(SYS_MAP, SLOT_SELF_PD, va, 1ull << 60, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("map: not a PD", CALL(SYS_MAP, core_ep, va, frame, 0, 0), ERR_WRONG_TYPE);
	paddr_t table;
	while (CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_WRITE, 0) == ERR_NO_MEMORY) {
		if (phys_alloc(CORE_OWNER, &table) != ERR_OK)
			return;
		expect("pt_add", CALL(SYS_PT_ADD, SLOT_SELF_PD, va, table, 0), ERR_OK);
	}
	expect("pt_add: kernel object frame", CALL(SYS_PT_ADD, SLOT_SELF_PD, va, kobj_frame, 0),
	       ERR_BUSY);
	if (phys_alloc(CORE_OWNER, &table) == ERR_OK) {
		expect("pt_add: nothing missing", CALL(SYS_PT_ADD, SLOT_SELF_PD, va, table, 0),
		       ERR_EXISTS);
		phys_free(table);
	}
	expect("map: mapped now", *(volatile uint64_t *)va == 0 ? ERR_OK : ERR_INVALID_ARGS,
	       ERR_OK);
	expect("map: twice", CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_WRITE, 0), ERR_EXISTS);
	cap_t s = slot_alloc();
	expect("create: mapped frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, frame, 0, 0), ERR_BUSY);
	slot_free(s);
	expect("unmap: overflow",
	       CALL(SYS_UNMAP, SLOT_SELF_PD, 0x00007ffffffff000ull, 1ull << 40, 0),
	       ERR_BAD_ADDRESS);
	expect("unmap: wraps", CALL(SYS_UNMAP, SLOT_SELF_PD, va, ~0ull / 4096, 0), ERR_BAD_ADDRESS);
	expect("unmap: unaligned", CALL(SYS_UNMAP, SLOT_SELF_PD, va + 4, 1, 0), ERR_BAD_ADDRESS);
	expect("unmap: ok", CALL(SYS_UNMAP, SLOT_SELF_PD, va, 1, 0), ERR_OK);
	expect("pt_add: kernel half",
	       CALL(SYS_PT_ADD, SLOT_SELF_PD, 0xffffffff80000000ull, frame, 0), ERR_BAD_ADDRESS);
}

static void abuse_objects(void)
{
	expect("destroy: kernel cap", CALL(SYS_DESTROY, SLOT_KERNEL, 0, 0, 0, 0), ERR_DENIED);
	expect("destroy: own thread", CALL(SYS_DESTROY, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BUSY);
	expect("destroy: own PD", CALL(SYS_DESTROY, SLOT_SELF_PD, 0, 0, 0, 0), ERR_BUSY);
	expect("destroy: empty slot", CALL(SYS_DESTROY, 4000, 0, 0, 0, 0), ERR_INVALID_CAP);
	cap_t s = slot_alloc();
	expect("mint: kernel cap", CALL(SYS_CAP_MINT, SLOT_SELF_PD, s, SLOT_KERNEL, 0, RIGHTS_ALL),
	       ERR_DENIED);
	expect("mint: bad rights", CALL(SYS_CAP_MINT, SLOT_SELF_PD, s, core_ep, 0, 0x80),
	       ERR_INVALID_ARGS);
	slot_free(s);
	thread_start_t *p = (thread_start_t *)sys_utcb()->mr;
	memset(p, 0, sizeof(*p));
	expect("thread start: zero UTCB frame",
	       CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BAD_ADDRESS);
	p->utcb_paddr = 0x100000; /* the kernel image */
	expect("thread start: kernel frame as UTCB",
	       CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BAD_ADDRESS);
	p->ip = 0xffffffff80000000ull;
	expect("thread start: kernel ip", CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0),
	       ERR_BAD_ADDRESS);

	expect("thread state: bad op", CALL(SYS_THREAD_STATE, SLOT_SELF_THREAD, 77, 0, 0, 0),
	       ERR_INVALID_ARGS);
	expect("thread state: stop self",
	       CALL(SYS_THREAD_STATE, SLOT_SELF_THREAD, THREAD_STATE_STOP, 0, 0, 0), ERR_BUSY);
	expect("io ports: bad value", CALL(SYS_PD_IO_PORTS, SLOT_SELF_PD, 7, 0, 0, 0),
	       ERR_INVALID_ARGS);
}

#define IO(base, size, allow, pa) CALL(SYS_PD_IO_PORTS, SLOT_SELF_PD, base, size, allow, pa)

/*
 * abuse_io_ports: the kernel's own ports are never opened, bitmap frames are
 * checked, all of them, before any is taken; core itself keeps no ports.
 */
static void abuse_io_ports(void)
{
	paddr_t run;
	cap_t ep = slot_alloc();
	expect("io ports: the debug-exit device", IO(0xf7, 1, 1, 0), ERR_DENIED);
	expect("io ports: the PIT, in a wide range", IO(0x40, 0x100, 1, 0), ERR_DENIED);
	expect("io ports: the slave PIC", IO(0xa1, 1, 1, 0), ERR_DENIED);
	expect("io ports: the console", IO(0x3fc, 1, 1, 0), ERR_DENIED);
	expect("io ports: closing without a bitmap", IO(0x2f8, 8, 0, 0), ERR_OK);
	expect("io ports: bitmap in the kernel image", IO(0x2f8, 8, 1, 0x100000), ERR_BUSY);
	expect("io ports: bitmap frames wrap", IO(0x2f8, 8, 1, ~0xfffull), ERR_BAD_ADDRESS);
	if (phys_alloc_range(CORE_OWNER, IO_PORTS_FRAMES * PAGE_SIZE, &run) != ERR_OK)
		return;
	expect("io ports: unaligned bitmap frames", IO(0x2f8, 8, 1, run + 8), ERR_BAD_ADDRESS);
	paddr_t last = run + (IO_PORTS_FRAMES - 1) * PAGE_SIZE;
	if (CALL(SYS_CREATE, OBJ_ENDPOINT, ep, last, 0, 0) == ERR_OK) {
		expect("io ports: the last bitmap frame holds an object", IO(0x2f8, 8, 1, run),
		       ERR_BUSY);
		CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
		expect("io ports: a refused bitmap took no frame",
		       CALL(SYS_CREATE, OBJ_ENDPOINT, ep, run, 0, 0), ERR_OK);
		CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
	}
	slot_free(ep);
	phys_free(run);
}

/* A capability to a destroyed endpoint must not reach the next object in its frame. */
static void abuse_stale(void)
{
	paddr_t frame;
	cap_t ep = slot_alloc(), copy = slot_alloc(), again = slot_alloc();
	if (phys_alloc(CORE_OWNER, &frame) != ERR_OK)
		return;
	expect("stale: create", CALL(SYS_CREATE, OBJ_ENDPOINT, ep, frame, 0, 0), ERR_OK);
	expect("stale: mint", CALL(SYS_CAP_MINT, SLOT_SELF_PD, copy, ep, 42, RIGHT_SEND), ERR_OK);
	expect("stale: destroy", CALL(SYS_DESTROY, ep, 0, 0, 0, 0), ERR_OK);
	msg_t m = {0};
	expect("stale: call the dead copy", sys_call(copy, &m), ERR_INVALID_CAP);
	expect("stale: re-create in the same frame",
	       CALL(SYS_CREATE, OBJ_SIGNAL, again, frame, 0, 0), ERR_OK);
	expect("stale: copy still dead", sys_call(copy, &m), ERR_INVALID_CAP);
	expect("stale: submit through the copy", sys_signal_submit(copy), ERR_INVALID_CAP);
	expect("stale: destroy the signal", CALL(SYS_DESTROY, again, 0, 0, 0, 0), ERR_OK);
	slot_free(ep), slot_free(copy), slot_free(again);
	phys_free(frame);
}

static uint8_t nopager_stack[4096] __attribute__((aligned(16)));
static uint8_t noports_stack[4096] __attribute__((aligned(16)));

/* nopager_entry: a thread of core with no pager; its fault stops it with a kernel log line. */
static volatile uintptr_t nopager_target = 0x8; /* nothing is mapped there */

static void nopager_entry(void)
{
	*(volatile int *)nopager_target = 1;
	for (;;)
		;
}

/* noports_entry: core holds no port, not even the harmless POST port: a #GP. */
static void noports_entry(void)
{
	__asm__ volatile("inb $0x80, %%al" ::: "rax");
	for (;;)
		;
}

/* map_self: map frame pa at va in core's own PD, adding page tables as needed. */
static err_t map_self(vaddr_t va, paddr_t pa)
{
	err_t e;
	paddr_t table;
	while ((e = CALL(SYS_MAP, SLOT_SELF_PD, va, pa, MAP_WRITE, 0)) == ERR_NO_MEMORY) {
		if ((e = phys_alloc(CORE_OWNER, &table)) != ERR_OK ||
		    (e = CALL(SYS_PT_ADD, SLOT_SELF_PD, va, table, 0)) != ERR_OK)
			return e;
	}
	return e;
}

/* fault_without_pager: start a thread of core without a pager; the kernel stops its fault. */
static void fault_without_pager(const char *name, void (*entry)(void), uint8_t *stack,
				vaddr_t utcb_va)
{
	cap_t t;
	paddr_t utcb;
	account_t acct = {~0ull, 0, ~0ull, 0, CORE_OWNER};
	if (kobj_create(&acct, OBJ_THREAD, SLOT_SELF_PD, PRIORITY_DEFAULT, &t, 0) != ERR_OK ||
	    phys_alloc(CORE_OWNER, &utcb) != ERR_OK || map_self(utcb_va, utcb) != ERR_OK) {
		expect("thread without pager: set-up", ERR_OUT_OF_RAM, ERR_OK);
		return;
	}
	thread_start_t *p = (thread_start_t *)sys_utcb()->mr;
	memset(p, 0, sizeof(*p));
	p->ip = (word_t)entry;
	p->sp = (word_t)(stack + 4096 - 8);
	p->utcb_vaddr = utcb_va, p->utcb_paddr = utcb;
	format_buf(p->name, sizeof(p->name), "%s", name);
	expect("thread without pager: start", CALL(SYS_THREAD_START, t, 0, 0, 0, 0), ERR_OK);
	/* it runs once core waits for requests, and the kernel stops it */
}

/* slot_churn: many slots taken and given back; none may get lost. */
static void slot_churn(void)
{
	static cap_t slots[700];
	uint64_t before = slot_available();
	for (unsigned i = 0; i < 700; i++)
		slots[i] = slot_alloc();
	for (unsigned i = 0; i < 700; i++)
		slot_free(slots[i]);
	slot_free(slots[0]); /* twice: must not count twice */
	expect("slots: all back after 700 taken and freed",
	       slot_available() == before ? ERR_OK : ERR_NO_SLOT, ERR_OK);
}

static void abuse_run(void)
{
	paddr_t frame, kobj;
	cap_t ep = slot_alloc();
	if (phys_alloc(CORE_OWNER, &frame) != ERR_OK || phys_alloc(CORE_OWNER, &kobj) != ERR_OK ||
	    CALL(SYS_CREATE, OBJ_ENDPOINT, ep, kobj, 0, 0) != ERR_OK) {
		log_printf("core: abuse: cannot set up\n");
		return;
	}
	abuse_create(frame);
	abuse_map(frame, kobj);
	abuse_objects();
	abuse_stale();
	slot_churn();
	abuse_io_ports();
	fault_without_pager("nopager", nopager_entry, nopager_stack, 0x20000000);
	fault_without_pager("noports", noports_entry, noports_stack, 0x20001000);
	expect("unknown syscall", sys6(999, 0, 0, 0, 0, 0, 0), ERR_UNKNOWN_SYSCALL);
	CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
	slot_free(ep);
	phys_free(frame);
	phys_free(kobj);
	log_printf("core: abuse: %u privileged calls rejected as expected, %u unexpected\n", passed,
		   failed);
}

static int cmdline_has(const char *cmdline, const char *word)
{
	size_t wl = strlen(word), l;
	const char *pos = cmdline, *w;
	while ((w = args_word(&pos, &l)))
		if (l == wl && !strncmp(w, word, l))
			return 1;
	return 0;
}

void core_selftest(const bootinfo_t *bi)
{
	if (cmdline_has(bi->cmdline, "core_test=abuse"))
		abuse_run();
}
