/*
 * The scheduler. Invariants: the running thread is in no run queue; a
 * thread is in the run queue of its priority exactly when its state is
 * THREAD_READY; ready_mask has bit p set exactly when queue p is non-empty.
 * The kernel is not preemptible: switches happen only at the points where
 * a thread blocks, yields, or leaves the kernel (sched_preempt_point).
 */
#include <sched.h>
#include <pd.h>
#include <ipc.h>
#include <vm.h>
#include <arch.h>
#include <arch/switch.h>
#include <panic.h>

static thread_t *run_queue[PRIORITY_MAX + 1];
uint32_t sched_ready_mask;
#define ready_mask sched_ready_mask
static thread_t idle_thread;
static pd_t idle_pd; /* the kernel's address space only, no ports */
int sched_need_switch;
#define need_switch sched_need_switch
uint64_t sched_ticks;

void sched_init(void)
{
	idle_thread.state = THREAD_RUNNING;
	idle_thread.prio = 0;
	idle_pd.root =
	    vm_kernel_root(); /* a PD of prev may be about to die: idle leaves none active */
	idle_thread.pd = &idle_pd;
	current = &idle_thread;
}

void sched_ready(thread_t *t)
{
	t->state = THREAD_READY;
	queue_push(&run_queue[t->prio], t);
	ready_mask |= 1u << t->prio;
	if (current == &idle_thread || t->prio > current->prio)
		need_switch = 1;
}

void sched_remove(thread_t *t)
{
	if (t->state != THREAD_READY)
		return;
	queue_remove(&run_queue[t->prio], t);
	if (!run_queue[t->prio])
		ready_mask &= ~(1u << t->prio);
}

/* pick: the next thread to run, taken out of its queue, or idle. */
static thread_t *pick(void)
{
	if (!ready_mask)
		return &idle_thread;
	unsigned p = 31 - __builtin_clz(ready_mask);
	thread_t *t = queue_pop(&run_queue[p]);
	if (!run_queue[p])
		ready_mask &= ~(1u << p);
	return t;
}

void sched_switch_to(thread_t *t)
{
	thread_t *prev = current;
	need_switch = 0;
	t->state = THREAD_RUNNING;
	if (t == prev)
		return;
	sched_enter(prev, t);
	if (t->frame_resume) { /* its kernel stack holds nothing: start over from its frame */
		t->frame_resume = 0;
		arch_thread_resume_from_frame(t);
	}
	arch_context_switch(&prev->ksp, t->ksp);
}

void sched_block(void)
{
	sched_switch_to(pick());
}

void sched_yield(void)
{
	if (current != &idle_thread)
		sched_ready(current);
	sched_switch_to(pick());
}

void sched_tick(void)
{
	sched_ticks++;
	if (current == &idle_thread) {
		if (ready_mask)
			need_switch = 1;
		return;
	}
	/* round robin: another thread of the same or higher priority gets a turn */
	if (ready_mask >> current->prio)
		need_switch = 1;
}

void sched_preempt_slow(void)
{
	need_switch = 0;
	if (current == &idle_thread) {
		sched_switch_to(pick());
		return;
	}
	if (current->state == THREAD_RUNNING && !(ready_mask >> current->prio))
		return;
	sched_yield();
}

void sched_idle(void)
{
	for (;;) {
		sched_preempt_point(); /* first: core is ready before any tick */
		arch_wait_for_interrupt();
	}
}
