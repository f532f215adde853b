/* Threads: user register state, FPU state and a kernel stack in one frame, a UTCB. */
#pragma once

#include <object.h>
#include <abi/utcb.h>
#include <arch/frame.h>
#include <arch/thread.h>

enum thread_state {
	THREAD_INACTIVE, /* created, not started */
	THREAD_RUNNING,	 /* current on the CPU */
	THREAD_READY,	 /* in a run queue */
	THREAD_SEND,	 /* call: queued on an endpoint */
	THREAD_REPLY,	 /* call: waiting for the reply */
	THREAD_RECV,	 /* reply_wait: waiting on an endpoint */
	THREAD_SIGNAL,	 /* waiting on a signal */
	THREAD_STOPPED,	 /* fault without pager, or stopped by the pager */
};

struct thread {
	obj_t head;
	uint8_t state;
	uint8_t prio;
	uint8_t in_fault;     /* blocked in a fault message, not a call */
	uint8_t frame_resume; /* left by the IPC fast path: resume from its user frame */
	uint32_t pad;
	uint64_t ksp; /* saved kernel stack pointer while switched out */
	pd_t *pd;
	thread_t *pd_next;
	thread_t *q_next, *q_prev; /* run queue or endpoint queue */
	void *q_owner;		   /* the endpoint or signal it waits on */
	thread_t *caller;	   /* server: whom to reply to */
	thread_t *callee;	   /* client: who serves its call */
	word_t send_badge;	   /* badge of the capability it called through */
	utcb_t *utcb;		   /* kernel view of the UTCB (direct map) */
	vaddr_t utcb_vaddr;
	obj_ref_t pager;
	word_t pager_badge;
	word_t fault_addr, fault_type, fault_ip, fault_vector;
	arch_thread_t arch; /* FS base and FPU state */
	char name[32];
};

#define THREAD_STACK_TOP(t) ((uint64_t)(t) + 4096)

/* The frame: TCB, then the FPU state area, then the kernel stack up to the top. */
_Static_assert(sizeof(thread_t) <= ARCH_FPU_AREA_OFFSET, "the TCB stays below the FPU area");
_Static_assert(4096 - ARCH_FPU_AREA_OFFSET - ARCH_FPU_AREA_MAX >= 2048,
	       "at least 2 KiB of kernel stack");

/* thread_create: a thread of pd in frame (already claimed), inactive. */
thread_t *thread_create(paddr_t frame, pd_t *pd, unsigned prio);

/* thread_start: set entry state and make it ready. BUSY if already started. */
err_t thread_start(thread_t *t, const thread_start_t *p, obj_ref_t pager, paddr_t utcb_pa);

/* thread_destroy: unlink from every queue and partner, then free its frame. */
void thread_destroy(thread_t *t);

/* thread_frame: the user register frame at the top of the kernel stack. */
static inline trap_frame_t *thread_frame(thread_t *t)
{
	return (trap_frame_t *)THREAD_STACK_TOP(t) - 1;
}

/* thread_stop: leave t stopped (after a fault nobody resolves). */
void thread_stop(thread_t *t);

/* The thread running now. */
extern thread_t *current;
