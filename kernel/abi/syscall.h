/*
 * The system-call ABI. Entry is the `syscall` instruction with the number in
 * rax and arguments in rdi, rsi, rdx, r10, r8, r9. The error (err_t) comes
 * back in rax; IPC calls also return message registers (see below).
 */
#pragma once

#include "types.h"

enum syscall_nr {
	/* calls every thread may make */
	SYS_CALL = 0,	       /* rdi=endpoint cap, rsi=info, rdx,r10,r8,r9 = mr0..3 */
	SYS_REPLY_WAIT = 1,    /* rdi=endpoint cap, rsi=reply info (or SYS_NO_REPLY); rdi=0:
				  reply only and go on (NOT_FOUND: no caller to answer) */
	SYS_SIGNAL_SUBMIT = 2, /* rdi=signal cap */
	SYS_SIGNAL_WAIT = 3,   /* rdi=signal cap; returns the count in rsi */
	SYS_YIELD = 4,
	SYS_CAP_DELETE = 5,   /* rdi=slot */
	SYS_IRQ_ACK = 6,      /* rdi=irq cap: unmask the line */
	SYS_DEBUG_LOG = 7,    /* rdi=user string, rsi=length (max 256); core only (DENIED) */
	SYS_NULL = 8,	      /* does nothing: measures the entry path */
	SYS_CAP_IDENTIFY = 9, /* rdi=slot, rsi=other slot or 0; returns type in rsi, rights in rdx,
				 badge in r10, r8=1 if both name the same object */

	/* calls authorised by the kernel capability (only core has it); rdi=kernel cap */
	SYS_CREATE = 16,  /* rsi=type, rdx=dest slot, r10=frame, r8=arg0, r9=arg1 */
	SYS_DESTROY = 17, /* rsi=object cap */
	SYS_MAP = 18,	  /* rsi=pd cap, rdx=vaddr, r10=paddr, r8=MAP_RUN(flags, pages),
			     r9=table frames offered in UTCB mr[0..r9-1] (at most MAP_TABLES_MAX);
			     returns rsi=frames taken (mr[0] first), rdx=pages newly mapped */
	SYS_UNMAP = 19,	  /* rsi=pd cap, rdx=vaddr, r10=pages; does a bounded part and returns
			     rdx=where to go on, r10=pages left, r8=empty tables handed back in
			     UTCB mr[0..r8-1]: call again while r10 is not 0 */
	/* 20 is free (it added one page table; SYS_MAP takes them now) */
	SYS_CAP_MINT = 21, /* rsi=dest pd cap, rdx=dest slot, r10=src slot, r8=badge, r9=rights */
	SYS_THREAD_START = 22,	 /* rsi=thread cap; thread_start_t in the caller's UTCB */
	SYS_THREAD_STATE = 23,	 /* rsi=thread cap, rdx=op (read/write/stop); regs in the UTCB */
	SYS_IRQ_BIND = 24,	 /* rsi=irq cap, rdx=signal cap */
	SYS_CAP_TABLE_GROW = 25, /* rsi=pd cap, rdx=frame */
	SYS_PD_IO_PORTS = 26,	 /* rsi=pd cap, rdx=first port, r10=count, r8=1 allow / 0 forbid,
				    r9=IO_PORTS_FRAMES contiguous frames for the PD's bitmap
				    (read only when the PD has none and r8=1) */
	SYS_ZERO = 27,		 /* rsi=paddr, rdx=bytes: zero frames of core's RAM (see ZERO_MAX) */
	SYS_COUNT
};

/* Frames a PD's I/O permission bitmap takes: two for the bitmap, three page tables. */
#define IO_PORTS_FRAMES 5

#define SYS_NO_REPLY (~(word_t)0) /* reply info for reply_wait: only wait */

/*
 * SYS_ZERO zeroes at most this many bytes per call, with the widest stores
 * the CPU has (32 bytes with AVX, where rep stosq stores 8 per step): one
 * call stays within the kernel's bound on a non-preemptible operation.
 */
#define ZERO_MAX (2ull << 20)

/* Object types. */
enum obj_type {
	OBJ_NONE = 0,
	OBJ_KERNEL = 1, /* the authority for privileged calls */
	OBJ_PD = 2,	/* create: frame = PD, arg0 = page-table root frame */
	OBJ_THREAD = 3, /* create: frame = TCB + kernel stack, arg0 = PD cap, arg1 = priority */
	OBJ_ENDPOINT = 4,
	OBJ_SIGNAL = 5,
	OBJ_IRQ = 6, /* create: arg0 = interrupt line */
	OBJ_TYPE_COUNT
};

/* Capability rights. */
#define RIGHT_SEND 0x1 /* call an endpoint, submit a signal */
#define RIGHT_RECV 0x2 /* reply_wait on an endpoint, wait on a signal, ack an IRQ */
#define RIGHT_CTRL 0x4 /* manage the object (destroy, start, bind) */
#define RIGHTS_ALL 0x7

/*
 * Message info word: number of message words (0..UTCB_MR_COUNT), number of
 * capabilities transferred (0..UTCB_CAP_COUNT), and a 32-bit label.
 */
#define MSG_INFO(label, words, caps) \
	(((word_t)(label) << 32) | ((word_t)(caps) << 8) | (word_t)(words))
#define MSG_WORDS(info) ((unsigned)((info)&0xff))
#define MSG_CAPS(info) ((unsigned)(((info) >> 8) & 0x7))
#define MSG_LABEL(info) ((uint32_t)((info) >> 32))

/*
 * SYS_MAP maps a run of pages (va + i * size to pa + i * size), skipping
 * those already mapped; size is 4 KiB, or 2 MiB with MAP_LARGE (va and pa
 * aligned to it). The run lies in one leaf table (it does not cross a
 * 2 MiB boundary, or a 1 GiB one for large pages) and covers at most
 * MAP_RUN_FRAMES_MAX frames of 4 KiB. No page may be both writeable and
 * executable.
 */
#define MAP_WRITE 0x1
#define MAP_EXEC 0x2
#define MAP_UNCACHED 0x4
#define MAP_LARGE 0x8
#define MAP_COUNT_SHIFT 16 /* r8 = flags | pages << MAP_COUNT_SHIFT */
#define MAP_RUN(flags, pages) ((word_t)(flags) | ((word_t)(pages) << MAP_COUNT_SHIFT))
#define MAP_RUN_PAGES_MAX 512
#define MAP_RUN_FRAMES_MAX 4096 /* 16 MiB: eight large pages */
#define MAP_TABLES_MAX 3	/* a 4 KiB page may need three new tables */
#define UNMAP_RELEASE_MAX 4	/* empty tables one SYS_UNMAP call hands back */

/* Page-fault and exception messages to a pager: label FAULT_LABEL. */
#define FAULT_LABEL 0xfa017
#define FAULT_READ 0x1
#define FAULT_WRITE 0x2
#define FAULT_EXEC 0x4
#define FAULT_PRESENT 0x8    /* a protection violation, not a missing page */
#define FAULT_EXCEPTION 0x10 /* not a page fault: mr3 holds the vector */
/* fault message: mr0 = address, mr1 = access type, mr2 = ip, mr3 = vector */
/* fault_kind_name: "read", "write", "execute" or "exception" for a fault type. */
static inline const char *fault_kind_name(word_t type)
{
	if (type & FAULT_EXCEPTION)
		return "exception";
	if (type & FAULT_EXEC)
		return "execute";
	return (type & FAULT_WRITE) ? "write" : "read";
}

/* pager reply label: resume the thread, or leave it stopped */
#define FAULT_REPLY_RESUME 0
#define FAULT_REPLY_STOP 1

/* SYS_THREAD_STATE operations */
#define THREAD_STATE_READ 0
#define THREAD_STATE_WRITE 1
#define THREAD_STATE_STOP 2
#define THREAD_STATE_RESUME 3 /* a stopped thread runs again */

#define PRIORITY_MAX 31
#define PRIORITY_DEFAULT 16
