/*
 * Scheduling: fixed priorities (0..PRIORITY_MAX, higher runs first),
 * round-robin within one priority on timer ticks, an idle loop that halts.
 */
#pragma once

#include <thread.h>
#include <pd.h>
#include <arch.h>
#include <arch/switch.h>

void sched_init(void);

/* sched_ready: make t runnable (at the tail of its queue); may request a switch. */
void sched_ready(thread_t *t);

/* sched_remove: take t out of its run queue if it is in one. */
void sched_remove(thread_t *t);

/* sched_block: the current thread stops running (state already set); switch away. */
void sched_block(void);

/* sched_yield: the current thread goes to the tail of its queue. */
void sched_yield(void);

/* sched_switch_to: run t now (t not in a queue); the current thread must be blocked. */
void sched_switch_to(thread_t *t);

/*
 * sched_switch_direct: make t (not in a queue) current without a kernel
 * context switch; the caller then leaves the kernel on t's user frame. The
 * current thread must be blocked already; it will resume from its frame.
 */
/* sched_enter: make t current: its kernel stack, FS base and FPU, address space and ports. */
static inline void sched_enter(thread_t *prev, thread_t *t)
{
	t->state = THREAD_RUNNING;
	current = t;
	arch_kernel_stack(THREAD_STACK_TOP(t));
	arch_thread_switch(&prev->arch, &t->arch);
	if (prev->pd != t->pd)
		arch_address_space(t->pd->root); /* and with it the PD's I/O bitmap */
}

static inline void sched_switch_direct(thread_t *t)
{
	thread_t *prev = current;
	prev->frame_resume = 1;
	t->frame_resume = 0;
	sched_enter(prev, t);
}

/* sched_tick: timer interrupt: rotate the current priority. */
void sched_tick(void);

/* sched_preempt_point: switch if a higher-priority thread became ready. */
extern int sched_need_switch;
void sched_preempt_slow(void);
static inline void sched_preempt_point(void)
{
	if (__builtin_expect(sched_need_switch, 0))
		sched_preempt_slow();
}

/* sched_idle: the boot thread becomes the idle loop; never returns. */
_Noreturn void sched_idle(void);

extern uint64_t sched_ticks;

/* sched_can_run_now: no ready thread has a higher priority than t. */
extern uint32_t sched_ready_mask; /* bit p: a thread of priority p is ready */
static inline int sched_can_run_now(const thread_t *t)
{
	return t->prio == PRIORITY_MAX || !(sched_ready_mask >> (t->prio + 1));
}
