/*
 * run/preempt: two busy threads of one priority both make progress (the
 * timer preempts them), and a thread of higher priority runs before its
 * creator continues.
 */
#include <log.h>
#include <env.h>
#include <parent.h>

static volatile uint64_t counter[2];
static volatile int high_ran, main_continued;
static uint8_t stacks[3][8192] __attribute__((aligned(16)));

static void spinner(word_t i, utcb_t *utcb)
{
	for (;;)
		counter[i]++;
}

static void high(word_t arg, utcb_t *utcb)
{
	high_ran = 1;
	if (main_continued)
		log_printf("test-preempt: FAIL: creator ran before the high-priority thread\n");
	sys_signal_wait((cap_t)arg, 0); /* nobody submits: this thread is done */
}

int component_main(env_t *env)
{
	pd_thread(env->pd, spinner, stacks[0] + sizeof(stacks[0]), PRIORITY_DEFAULT, 0);
	pd_thread(env->pd, spinner, stacks[1] + sizeof(stacks[1]), PRIORITY_DEFAULT, 1);
	int progress = 0;
	for (int round = 0; round < 5; round++) {
		uint64_t a = counter[0], b = counter[1];
		sys_yield(); /* both spinners run until the timer preempts them */
		progress += counter[0] > a && counter[1] > b;
	}
	log_printf("test-preempt: both busy threads progressed in %d of 5 rounds (%lu, %lu)\n",
		   progress, counter[0], counter[1]);
	cap_t never;
	if (pd_alloc_signal(env->pd, &never) != ERR_OK)
		return 1;
	pd_thread(env->pd, high, stacks[2] + sizeof(stacks[2]), PRIORITY_DEFAULT + 2, never);
	main_continued = 1;
	log_printf("test-preempt: higher priority ran first: %s\n", high_ran ? "yes" : "FAIL");
	return 0;
}
