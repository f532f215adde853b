/*
 * The user thread control block: one page per thread, mapped into its PD,
 * through which message words beyond the register window and capabilities
 * travel.
 */
#pragma once

#include "types.h"

#define UTCB_MR_COUNT 64 /* message words; mr0..mr3 also travel in registers */
#define UTCB_CAP_COUNT 4 /* capabilities per message */

/* What arrived in place i of a message's capabilities (utcb_t.recv). */
enum utcb_recv_kind {
	RECV_NONE = 0,	/* nothing: the sender's slot was empty or stale, or no slot was named */
	RECV_SLOT = 1,	/* installed into the slot the receiver named in recv_slots[i] */
	RECV_BADGE = 2, /* a capability to the endpoint the message came through: only its badge */
};

typedef struct {
	word_t badge;	/* RECV_BADGE: the badge of the capability */
	uint8_t kind;	/* enum utcb_recv_kind */
	uint8_t type;	/* enum obj_type of the object (RECV_SLOT and RECV_BADGE) */
	uint8_t rights; /* RIGHT_* of the capability */
	uint8_t pad[5];
} utcb_recv_t;

/*
 * The first word points at the UTCB itself: a thread's FS base is its UTCB,
 * so `mov %fs:0` finds it from any thread without a global (the x86-64 TLS
 * convention of a self pointer at the thread pointer).
 */
typedef struct utcb {
	struct utcb *self;		 /* set by the kernel when the thread starts */
	cap_t send_caps[UTCB_CAP_COUNT]; /* slots to transfer with the next send */
	cap_t
	    recv_slots[UTCB_CAP_COUNT]; /* empty slots received capabilities may go to (0: none) */
	utcb_recv_t recv[UTCB_CAP_COUNT]; /* what the last received message carried */
	word_t tls;			  /* free for the user */
	word_t mr[UTCB_MR_COUNT];
} utcb_t;

_Static_assert(sizeof(utcb_t) <= 4096, "the UTCB is one page");
_Static_assert(__builtin_offsetof(utcb_t, self) == 0, "the self pointer is at the thread pointer");

/* Thread start parameters, passed in the caller's UTCB (mr0..) to SYS_THREAD_START. */
typedef struct {
	word_t ip, sp;
	word_t utcb_vaddr, utcb_paddr;
	word_t pager_slot;  /* endpoint cap in the caller's table, or 0 */
	word_t pager_badge; /* set by the kernel from the pager capability's badge */
	word_t arg;	    /* initial rdi; rsi holds the UTCB address */
	char name[32];
} thread_start_t;

/* Registers for SYS_THREAD_STATE, in mr0.. */
typedef struct {
	word_t ip, sp, flags;
	word_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	word_t r8, r9, r10, r11, r12, r13, r14, r15;
} thread_regs_t;

/* Fixed addresses of core's address space. */
#define CORE_PHYS_WINDOW 0x0000100000000000ull /* all free RAM at window + paddr */
#define CORE_BOOTINFO 0x00007fff00000000ull
#define CORE_UTCB 0x00007fff00001000ull
#define CORE_STACK_TOP 0x00007fff00100000ull
#define CORE_STACK_SIZE (256 * 1024)
