/*
 * Guest measurements, meant to run under QEMU -icount shift=0, where rdtsc
 * counts guest instructions: a null system call, an IPC round trip to a
 * server in another PD (test-ipc-server; also to core, whose request loop
 * does more), first touches of pages resolved by the pager through the
 * region map (per page, most of them mapped ahead by an earlier fault;
 * and per fault that maps a whole window), RAM dataspace cycles and heap
 * pairs; then the IPC round trip again once client and server each hold an
 * IO_PORT session (both need `:io`), and once both hold FPU state.
 */
#include <log.h>
#include <mem.h>
#include <env.h>
#include <parent.h>
#include <abi/slots.h>

#define ROUNDS 1000
#define OP_PORTS 5   /* test-ipc-server: open an IO_PORT session for words 0 and 1 */
#define OP_USE_FPU 6 /* test-ipc-server: its thread touches the FPU */
#define FAULT_PAGES 256

static uint64_t loop_overhead(void)
{
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < ROUNDS; i++)
		;
	return rdtsc() - t0;
}

static uint64_t bench_null(void)
{
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < ROUNDS; i++)
		sys_null();
	return rdtsc() - t0;
}

/* bench_ipc: round trips to cap with a one-word message of label. */
static uint64_t bench_ipc(cap_t cap, unsigned label)
{
	msg_t m = {0};
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < ROUNDS; i++) {
		m.info = MSG_INFO(label, 1, 0);
		m.mr[0] = i;
		sys_call(cap, &m);
	}
	return rdtsc() - t0;
}

static uint64_t bench_fault(volatile uint8_t *area)
{
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < FAULT_PAGES; i++)
		area[i * 4096] = 1;
	uint64_t faults = rdtsc() - t0;
	t0 = rdtsc();
	for (volatile int i = 0; i < FAULT_PAGES; i++)
		area[i * 4096] = 2; /* the same loop without faults */
	return faults - (rdtsc() - t0);
}

#define WINDOW (16 * 4096) /* what core maps around a fault (MAP_WINDOW_PAGES) */

/* bench_fault_window: faults that each map a whole window: touch the first page of each. */
static uint64_t bench_fault_window(env_t *env)
{
	attached_ds_t ds;
	if (attached_ram_ds(env, FAULT_PAGES * 4096, &ds) != ERR_OK)
		return 0;
	vaddr_t first = (ds.addr + WINDOW - 1) & ~(vaddr_t)(WINDOW - 1);
	unsigned n = (unsigned)((ds.addr + ds.size - first) / WINDOW);
	volatile uint8_t *p = (volatile uint8_t *)first;
	uint64_t t0 = rdtsc();
	for (volatile unsigned i = 0; i < n; i++)
		p[i * WINDOW] = 1;
	uint64_t faults = rdtsc() - t0;
	t0 = rdtsc();
	for (volatile unsigned i = 0; i < n; i++)
		p[i * WINDOW] = 2; /* the same loop without faults */
	faults -= rdtsc() - t0;
	attached_ds_release(env, &ds);
	return faults / n;
}

/* bench_ds_cycle: allocate, attach, touch every page, detach, free; per cycle. */
static uint64_t bench_ds_cycle(env_t *env, uint64_t size, int rounds)
{
	uint64_t t0 = rdtsc();
	for (int r = 0; r < rounds; r++) {
		attached_ds_t ds;
		if (attached_ram_ds(env, size, &ds) != ERR_OK)
			return 0;
		for (uint64_t off = 0; off < size; off += 4096)
			((volatile uint8_t *)ds.addr)[off] = 1;
		attached_ds_release(env, &ds);
	}
	return (rdtsc() - t0) / rounds;
}

/* bench_heap_pair: a 64-byte heap_alloc and heap_free, per pair. */
static uint64_t bench_heap_pair(env_t *env)
{
	void *p;
	heap_alloc(&env->heap, 64, &p); /* warm: the first chunk exists */
	heap_free(&env->heap, p);
	uint64_t t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++) {
		heap_alloc(&env->heap, 64, &p);
		heap_free(&env->heap, p);
	}
	return (rdtsc() - t0) / ROUNDS;
}

/*
 * hold_ports: an IO_PORT session here and one in the server, of harmless
 * ranges (COM2 and COM3; COM1 is the kernel's console).
 */
static err_t hold_ports(cap_t echo)
{
	cap_t ports;
	err_t e = parent_session_open("IO_PORT base=0x2f8 size=8 ram_quota=4096", &ports);
	msg_t m = {.info = MSG_INFO(OP_PORTS, 2, 0), .mr = {0x3e8, 8}};
	if (e == ERR_OK && (e = sys_call(echo, &m)) == ERR_OK)
		e = MSG_LABEL(m.info);
	if (e != ERR_OK)
		log_printf("bench: FAIL: no IO_PORT sessions: %s\n", err_name(e));
	return e;
}

/*
 * bench_ipc_fpu: the round trip when both sides hold live FPU state, so
 * that it moves on every switch. Measured last: until then no thread of
 * this benchmark or of its server has touched the FPU.
 */
static uint64_t bench_ipc_fpu(cap_t echo, uint64_t base)
{
	msg_t m = {.info = MSG_INFO(OP_USE_FPU, 0, 0)};
	sys_call(echo, &m);
	__asm__ volatile("pxor %%xmm0, %%xmm0" ::: "xmm0");
	bench_ipc(echo, 1);
	return (bench_ipc(echo, 1) - base) / ROUNDS;
}

/*
 * bench_fpu_trap: what a thread's first FPU instruction costs: the #NM
 * trap, the kernel's clean state, the return. Lazy FPU switching would pay
 * such a trap on every switch between two FPU threads; eager switching
 * (this kernel) pays it once per thread.
 */
static volatile uint64_t trap_cost;
static volatile int trap_done;
static uint8_t trap_stack[8192] __attribute__((aligned(16)));

static void first_fpu_use(word_t arg, utcb_t *utcb)
{
	uint64_t t0 = rdtsc(), t1;
	__asm__ volatile("pxor %%xmm1, %%xmm1" ::: "xmm1");
	t1 = rdtsc();
	uint64_t t2 = rdtsc();
	__asm__ volatile("pxor %%xmm1, %%xmm1" ::: "xmm1"); /* the same without the trap */
	uint64_t t3 = rdtsc();
	trap_cost = (t1 - t0) - (t3 - t2);
	trap_done = 1;
	for (;;)
		sys_yield();
}

static uint64_t bench_fpu_trap(env_t *env)
{
	if (pd_thread(env->pd, first_fpu_use, trap_stack + sizeof(trap_stack), PRIORITY_DEFAULT,
		      0) != ERR_OK)
		return 0;
	while (!trap_done)
		sys_yield();
	return trap_cost;
}

int component_main(env_t *env)
{
	attached_ds_t fault_ds; /* its pages are mapped on first touch */
	if (attached_ram_ds(env, FAULT_PAGES * 4096, &fault_ds) != ERR_OK)
		return 1;
	volatile uint8_t *area = (volatile uint8_t *)fault_ds.addr;
	cap_t echo = parent_session_await("ipc label=bench");
	bench_null(); /* warm up: caches of the emulator, lazily mapped pages */
	bench_ipc(echo, 1);
	bench_ipc(env->pd, PD_ECHO);
	uint64_t base = loop_overhead();
	uint64_t null = (bench_null() - base) / ROUNDS;
	uint64_t ipc = (bench_ipc(echo, 1) - base) / ROUNDS;
	uint64_t ipc_core = (bench_ipc(env->pd, PD_ECHO) - base) / ROUNDS; /* a core service */
	uint64_t fault = bench_fault(area) / FAULT_PAGES;
	log_printf("bench: guest.null_syscall.instructions %lu\n", null);
	log_printf("bench: guest.ipc_roundtrip.instructions %lu\n", ipc);
	log_printf("bench: guest.page_fault.instructions %lu\n", fault);
	log_printf("bench: guest.page_fault_window.instructions %lu\n", bench_fault_window(env));
	log_printf("bench: guest.ipc_roundtrip_core.instructions %lu\n", ipc_core);
	bench_ds_cycle(env, 4096, 4); /* warm */
	log_printf("bench: guest.ram_ds_4k_cycle.instructions %lu\n",
		   bench_ds_cycle(env, 4096, 100));
	log_printf("bench: guest.ram_ds_1m_cycle.instructions %lu\n",
		   bench_ds_cycle(env, 1 << 20, 10));
	/* every fault is resolved through the region map now: one measurement, both names */
	log_printf("bench: guest.rm_fault.instructions %lu\n", fault);
	log_printf("bench: guest.heap_pair.instructions %lu\n", bench_heap_pair(env));
	if (hold_ports(echo) != ERR_OK)
		return 1;
	bench_ipc(echo, 1);
	log_printf("bench: guest.ipc_roundtrip_io.instructions %lu\n",
		   (bench_ipc(echo, 1) - base) / ROUNDS);
	log_printf("bench: guest.ipc_roundtrip_fpu.instructions %lu\n", bench_ipc_fpu(echo, base));
	log_printf("bench: guest.fpu_first_use.instructions %lu\n", bench_fpu_trap(env));
	return 0;
}
