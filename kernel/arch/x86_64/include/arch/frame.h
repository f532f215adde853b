/*
 * The saved user register frame, as generic code sees it: system-call
 * arguments and results by number, the instruction and stack pointers.
 * Register r0 carries the call number in and the error out; r1..r6 carry
 * arguments in and message words out.
 */
#pragma once

#include <stdint.h>

/* The register frame that trap.S builds on the kernel stack. */
typedef struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
} trap_frame_t;

_Static_assert(sizeof(trap_frame_t) == 22 * 8, "trap frame layout is fixed by trap.S");

/* Syscall register numbers: r0 = rax, then rdi, rsi, rdx, r10, r8, r9. */
#define SREG_RESULT 0
#define SREG_A0 1
#define SREG_A1 2
#define SREG_A2 3
#define SREG_A3 4
#define SREG_A4 5
#define SREG_A5 6

static inline uint64_t *frame_sreg(trap_frame_t *f, int i)
{
	switch (i) {
	case 0: return &f->rax;
	case 1: return &f->rdi;
	case 2: return &f->rsi;
	case 3: return &f->rdx;
	case 4: return &f->r10;
	case 5: return &f->r8;
	default: return &f->r9;
	}
}

#define FRAME_MR_REGS 4 /* message words that travel in registers: rdx, r10, r8, r9 */

static inline uint64_t *frame_mr(trap_frame_t *f, int i)
{
	return frame_sreg(f, SREG_A2 + i);
}

/* frame_copy_mrs: message words 0..3 from s to d. */
static inline void frame_copy_mrs(trap_frame_t *d, const trap_frame_t *s)
{
	d->rdx = s->rdx;
	d->r10 = s->r10;
	d->r8 = s->r8;
	d->r9 = s->r9;
}

/* frame_set_msg: what a receiver finds: error, badge and message info. */
static inline void frame_set_msg(trap_frame_t *f, uint64_t err, uint64_t badge, uint64_t info)
{
	f->rax = err;
	f->rdi = badge;
	f->rsi = info;
}
