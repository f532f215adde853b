/*
 * The x86_64 part of a thread: its FS base (the UTCB address, so user code
 * finds its UTCB at %fs:0) and its FPU/SSE/AVX state. Switching both is
 * inline on every thread switch; the FPU part costs a test unless a thread
 * involved has used the FPU.
 */
#pragma once

#include <stdint.h>

/*
 * The FPU state area lies in the thread's frame, after the TCB and below
 * the kernel stack, 64-byte aligned as XSAVE needs.
 */
#define ARCH_FPU_AREA_OFFSET 512
#define ARCH_FPU_AREA_MAX 1024

typedef struct {
	uint64_t fs_base, gs_base;
	uint8_t fpu_used; /* it used the FPU: its state is saved and restored from now on */
	uint8_t pad[7];
} arch_thread_t;

/* Per-CPU FPU bookkeeping (fpu.c). */
extern uint8_t arch_fsgsbase;	      /* the CPU has rdfsbase/wrfsbase */
extern uint8_t arch_fpu_live;	      /* CR0.TS is clear: the running thread may use the FPU */
extern uint8_t arch_fpu_xsaveopt;     /* the CPU has XSAVEOPT: the inline path may move state */
extern arch_thread_t *arch_fpu_owner; /* whose state the registers hold, or NULL */
void arch_fpu_switch(arch_thread_t *next); /* the general part of arch_thread_switch */
void arch_fs_base_switch(arch_thread_t *prev, arch_thread_t *next); /* without FSGSBASE */

/* arch_fpu_area: where t's FPU state is saved, in its frame. */
static inline void *arch_fpu_area(arch_thread_t *t)
{
	return (void *)(((uint64_t)t & ~0xfffull) + ARCH_FPU_AREA_OFFSET);
}

/*
 * arch_thread_switch: the user state of next replaces that of prev on this
 * CPU. The FS and GS bases are saved because user code may change them
 * (wrfsbase, wrgsbase), and one thread's must never reach another;
 * FPU state moves only when next has any or the running thread had it. The
 * common move between two FPU threads is inline; the rest is in fpu.c.
 */
static inline void arch_thread_switch(arch_thread_t *prev, arch_thread_t *next)
{
	if (__builtin_expect(arch_fsgsbase, 1)) {
		/* the user's GS base is the one swapgs parks while in the kernel */
		uint64_t fs, gs;
		__asm__ volatile("rdfsbase %0" : "=r"(fs));
		__asm__ volatile("swapgs\n\trdgsbase %0\n\twrgsbase %1\n\tswapgs"
				 : "=&r"(gs)
				 : "r"(next->gs_base));
		prev->fs_base = fs, prev->gs_base = gs;
		__asm__ volatile("wrfsbase %0" ::"r"(next->fs_base));
	} else {
		arch_fs_base_switch(prev, next);
	}
	if (__builtin_expect(!(next->fpu_used | arch_fpu_live), 1))
		return;
	arch_thread_t *owner = arch_fpu_owner;
	if (next->fpu_used && arch_fpu_live && owner && owner != next && arch_fpu_xsaveopt) {
		__asm__ volatile("xsaveopt64 (%0)\n\txrstor64 (%1)" ::"r"(arch_fpu_area(owner)),
				 "r"(arch_fpu_area(next)), "a"(-1), "d"(-1)
				 : "memory");
		arch_fpu_owner = next;
	} else if (next != owner || !arch_fpu_live) {
		arch_fpu_switch(next);
	}
}

/* arch_thread_init: user state of a thread that starts with its UTCB at utcb. */
static inline void arch_thread_init(arch_thread_t *t, uint64_t utcb)
{
	t->fs_base = utcb;
	t->gs_base = 0;
	t->fpu_used = 0;
}

/* arch_thread_gone: t is destroyed; its FPU registers must not be saved into its frame. */
void arch_thread_gone(arch_thread_t *t);

/* arch_fpu_first_use: the running thread t touched the FPU for the first time (#NM). */
void arch_fpu_first_use(arch_thread_t *t);
