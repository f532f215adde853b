/*
 * The protocol of core's services (PD, RM, ROM, IO_MEM, IO_PORT, IRQ, LOG)
 * and of the parent's session requests. Every request is a call on a
 * capability core minted to its endpoint; the label is the opcode, the
 * reply's label is an err_t (0: success), and capabilities travel in the
 * message (see kernel/abi/syscall.h). Shared by core and lib.
 */
#pragma once

#include <abi/types.h>

/* Badges of the capabilities core mints to its endpoint: kind, generation, index. */
#define CORE_BADGE_KIND_SHIFT 56
#define CORE_BADGE(kind, gen, index)                                                     \
	(((word_t)(kind) << CORE_BADGE_KIND_SHIFT) | ((word_t)((gen)&0xffffffu) << 32) | \
	 (word_t)(index))
#define CORE_BADGE_KIND(b) ((unsigned)((b) >> CORE_BADGE_KIND_SHIFT))
#define CORE_BADGE_GEN(b) ((uint32_t)(((b) >> 32) & 0xffffffu))
#define CORE_BADGE_INDEX(b) ((uint32_t)(b))

enum core_badge_kind {
	BADGE_PARENT = 1,    /* a component's parent capability (index: component) */
	BADGE_PAGER = 2,     /* a thread's pager capability (index: component << 8 | thread) */
	BADGE_SESSION = 3,   /* a session (index: session table) */
	BADGE_DATASPACE = 4, /* a dataspace (index: dataspace table) */
};

/* Parent requests for sessions (labels on the parent capability). */
enum parent_session_label {
	PARENT_SESSION_OPEN = 20,    /* words: "SERVICE key=value ..."; reply: the session cap */
	PARENT_SESSION_CLOSE = 21,   /* cap: the session; its quota returns to the client */
	PARENT_SESSION_UPGRADE = 22, /* cap: the session; mr0: RAM bytes, mr1: caps */
};

/* Session arguments every service understands: label=NAME ram_quota=BYTES cap_quota=N. */
#define SESSION_ARGS_MAX 256 /* bytes of the argument string */

/* PD session: the component's protection domain, its RAM and its quota. */
enum pd_op {
	PD_ALLOC = 1,	      /* mr0 size, mr1 PD_ALLOC_UNCACHED; reply: ds cap, mr0 size */
	PD_FREE = 2,	      /* cap: a RAM ds this PD allocated */
	PD_QUOTA = 3,	      /* reply: mr0 RAM quota, mr1 RAM used, mr2 cap quota, mr3 caps used */
	PD_TRANSFER = 4,      /* cap: another PD session; mr0 RAM bytes, mr1 caps */
	PD_ADDRESS_SPACE = 5, /* reply: an RM cap for the PD's own region map */
	PD_THREAD = 6,	      /* mr0 ip, mr1 sp, mr2 priority, mr3 arg; reply: mr0 thread index */
	PD_ALLOC_SIGNAL = 7,  /* reply: a signal cap */
	PD_ALLOC_ENDPOINT = 8, /* reply: an endpoint cap */
	PD_DS_INFO = 9,	       /* cap: any ds; reply: mr0 size, mr1 kind, mr2 writeable */
};
#define PD_ALLOC_UNCACHED 0x1

enum ds_kind { DS_RAM = 1, DS_ROM = 2, DS_IO_MEM = 3, DS_MANAGED = 4 };

/* RM session (and the address space of a PD): a region map. */
enum rm_op {
	RM_ATTACH = 1, /* cap: ds; mr0 size (0: to the end), mr1 offset, mr2 at, mr3 flags; reply:
			  mr0 address */
	RM_DETACH = 2, /* mr0 an address inside the attachment */
	RM_FAULT_HANDLER = 3, /* cap: a signal submitted on a fault */
	RM_FAULT_STATE = 4,   /* reply: mr0 enum rm_fault_type, mr1 address (relative to this RM) */
	RM_DATASPACE = 5,     /* reply: the managed ds of this RM (RM sessions only) */
};
#define RM_WRITEABLE 0x1
#define RM_EXECUTABLE 0x2
#define RM_USE_AT 0x4

enum rm_fault_type { RM_FAULT_NONE = 0, RM_FAULT_READ = 1, RM_FAULT_WRITE = 2, RM_FAULT_EXEC = 3 };

/* ROM session ("ROM label=NAME"): a boot module. */
enum rom_op { ROM_DATASPACE = 1 }; /* reply: a read-only ds cap */

/* IO_MEM session ("IO_MEM base=PADDR size=BYTES"): device memory. */
enum io_mem_op { IO_MEM_DATASPACE = 1 }; /* reply: the uncached ds cap */

/* IO_PORT session ("IO_PORT base=PORT size=N"): port I/O for the component. */
enum io_port_op { IO_PORT_INFO = 1 }; /* reply: mr0 base, mr1 size */

/* IRQ session ("IRQ line=N"): an interrupt line delivered as a signal. */
enum irq_op { IRQ_CAPS = 1 }; /* reply: caps: the IRQ (for SYS_IRQ_ACK) and its signal */

/* LOG session ("LOG label=NAME"): labelled output on the console. */
enum log_op { LOG_WRITE = 1 }; /* words: the text (at most 64 words) */

/* Components started by core find these slots filled. */
#define SLOT_PD_SESSION 4 /* the component's own PD session */
