/*
 * Guest measurements, meant to run under QEMU -icount shift=0, where rdtsc
 * counts guest instructions: a null system call, an IPC round trip to core
 * (another PD), and a page fault resolved by the pager.
 */
#include <log.h>
#include <parent.h>
#include <abi/slots.h>

#define ROUNDS 1000
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

static uint64_t bench_ipc(void)
{
	msg_t m = { 0 };
	uint64_t t0 = rdtsc();
	for (volatile int i = 0; i < ROUNDS; i++) {
		m.info = MSG_INFO(PARENT_ECHO, 1, 0);
		m.mr[0] = i;
		sys_call(SLOT_PARENT, &m);
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

int component_main(word_t arg)
{
	msg_t m = { 0 };
	if (parent_request(PARENT_DEMAND_ZERO, &m) != ERR_OK)
		return 1;
	volatile uint8_t *area = (volatile uint8_t *)m.mr[0];
	bench_null(); /* warm up: caches of the emulator, lazily mapped pages */
	bench_ipc();
	uint64_t base = loop_overhead();
	uint64_t null = (bench_null() - base) / ROUNDS;
	uint64_t ipc = (bench_ipc() - base) / ROUNDS;
	uint64_t fault = bench_fault(area) / FAULT_PAGES;
	log_printf("bench: guest.null_syscall.instructions %lu\n", null);
	log_printf("bench: guest.ipc_roundtrip.instructions %lu\n", ipc);
	log_printf("bench: guest.page_fault.instructions %lu\n", fault);
	return 0;
}
