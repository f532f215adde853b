/*
 * run/fault: page faults reach the pager. Touching a demand-paged area
 * makes the pager map fresh pages and the thread continues; a write to a
 * read-only page and an execute from a non-executable page arrive at the
 * pager as such (each in a thread of its own, which the pager stops).
 */
#include <log.h>
#include <env.h>
#include <parent.h>

static const uint64_t read_only_word = 0x1234;
static uint8_t data_code[16] = {0xc3}; /* "ret", in a writeable, non-executable page */
static uint8_t stacks[2][8192] __attribute__((aligned(16)));

static void writer(word_t arg, utcb_t *utcb)
{
	log_printf("test-fault: writing to the read-only word at %p\n", (void *)&read_only_word);
	*(volatile uint64_t *)&read_only_word = 1;
	log_printf("test-fault: FAIL: the write went through\n");
	for (;;)
		sys_yield();
}

static void executor(word_t arg, utcb_t *utcb)
{
	log_printf("test-fault: executing data at %p\n", (void *)data_code);
	((void (*)(void))(uintptr_t)data_code)();
	log_printf("test-fault: FAIL: executed a non-executable page\n");
	for (;;)
		sys_yield();
}

int component_main(env_t *env)
{
	attached_ds_t ds; /* attached, not yet touched: the pager maps each page on first use */
	if (attached_ram_ds(env, 3 * 4096, &ds) != ERR_OK)
		return 1;
	volatile uint64_t *area = (volatile uint64_t *)ds.addr;
	for (int i = 0; i < 3; i++)
		area[i * 512] = 0xabc0 + i; /* one word on each of three fresh pages */
	int ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= area[i * 512] == (uint64_t)(0xabc0 + i) && area[i * 512 + 1] == 0;
	log_printf("test-fault: demand paging at %p: %s\n", (void *)area, ok ? "ok" : "FAIL");

	pd_thread(env->pd, writer, stacks[0] + sizeof(stacks[0]), PRIORITY_DEFAULT, 0);
	pd_thread(env->pd, executor, stacks[1] + sizeof(stacks[1]), PRIORITY_DEFAULT, 0);
	for (int i = 0; i < 20; i++)
		sys_yield();
	log_printf("test-fault: main thread still running, read-only word is %lx\n",
		   read_only_word);
	return 0;
}
