/*
 * Threads. The TCB sits at the bottom of its frame and the kernel stack
 * grows down from the top, where entry code saves the user registers. A
 * thread belongs to one PD for its whole life.
 */
#include <thread.h>
#include <pd.h>
#include <ipc.h>
#include <sched.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <kstring.h>
#include <print.h>
#include <arch/frame.h>

thread_t *current;

thread_t *thread_create(paddr_t frame, pd_t *pd, unsigned prio)
{
	thread_t *t = vm_phys_to_virt(frame);
	t->head.type = OBJ_THREAD;
	t->state = THREAD_INACTIVE;
	t->prio = prio;
	t->pd = pd;
	t->pd_next = pd->threads;
	pd->threads = t;
	pd->thread_count++;
	strlcpy(t->name, "thread", sizeof(t->name));
	return t;
}

err_t thread_start(thread_t *t, const thread_start_t *p, obj_ref_t pager, paddr_t utcb_pa)
{
	if (t->state != THREAD_INACTIVE)
		return ERR_BUSY;
	t->utcb = vm_phys_to_virt(utcb_pa);
	t->utcb_vaddr = p->utcb_vaddr;
	t->pager = pager;
	t->pager_badge = p->pager_badge;
	t->utcb->self = (utcb_t *)p->utcb_vaddr; /* the user's view: %fs:0 */
	arch_thread_init(&t->arch, p->utcb_vaddr);
	memcpy(t->name, p->name, sizeof(t->name));
	t->name[sizeof(t->name) - 1] = 0;
	arch_thread_setup(t, p->ip, p->sp, p->arg);
	sched_ready(t);
	return ERR_OK;
}

static void unlink_from_pd(thread_t *t)
{
	for (thread_t **pp = &t->pd->threads; *pp; pp = &(*pp)->pd_next) {
		if (*pp == t) {
			*pp = t->pd_next;
			break;
		}
	}
	t->pd->thread_count--;
}

void thread_destroy(thread_t *t)
{
	ipc_abort_thread(t);
	sched_remove(t);
	unlink_from_pd(t);
	arch_thread_gone(&t->arch);
	frame_release(vm_virt_to_phys(t));
}

void thread_stop(thread_t *t)
{
	t->state = THREAD_STOPPED;
}
