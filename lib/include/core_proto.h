/*
 * The protocol of core's services (PD, RM, ROM, IO_MEM, IO_PORT, IRQ, LOG)
 * and of the parent's session requests. Every request is a call on a
 * capability core minted to its endpoint; the label is the opcode, the
 * reply's label is an err_t (0: success), and capabilities travel in the
 * message (see kernel/abi/syscall.h). Shared by core and lib: each
 * operation's request and reply words have one layout here, a struct of
 * words that overlays the message's register words (MSG_AS), so that no
 * side packs a message by hand.
 */
#pragma once

#include <abi/types.h>
#include <sys.h>

/*
 * MSG_AS(m, type): the register words of message m seen as a layout;
 * MSG_WORDS_OF(type): how many words it takes. Layouts fit the four
 * register words (checked where each is defined).
 */
#define MSG_AS(m, type) ((type *)(void *)(m)->mr)
#define MSG_WORDS_OF(type) ((unsigned)(sizeof(type) / sizeof(word_t)))
#define MSG_LAYOUT(type)                                             \
	_Static_assert(sizeof(type) % sizeof(word_t) == 0 &&         \
			   sizeof(type) <= sizeof(((msg_t *)0)->mr), \
		       #type " fits the register words")

/*
 * Badges of the capabilities core mints to its endpoint: a kind in the top
 * four bits and a 60-bit serial number that core never gives out twice.
 */
#define CORE_BADGE_KIND_SHIFT 60
#define CORE_BADGE_SERIAL_MASK ((1ull << CORE_BADGE_KIND_SHIFT) - 1)
#define CORE_BADGE(kind, serial) \
	(((word_t)(kind) << CORE_BADGE_KIND_SHIFT) | ((word_t)(serial)&CORE_BADGE_SERIAL_MASK))
#define CORE_BADGE_KIND(b) ((unsigned)((b) >> CORE_BADGE_KIND_SHIFT))
#define CORE_BADGE_SERIAL(b) ((b)&CORE_BADGE_SERIAL_MASK)

enum core_badge_kind {
	BADGE_PARENT = 1,    /* a component's parent capability (serial: the component's) */
	BADGE_PAGER = 2,     /* a thread's pager capability (serial: component << 3 | thread) */
	BADGE_SESSION = 3,   /* a session */
	BADGE_DATASPACE = 4, /* a dataspace */
};

/* Parent requests for sessions (labels on the parent capability). */
enum parent_session_label {
	PARENT_SESSION_OPEN = 20,    /* words: "SERVICE key=value ..."; reply: the session cap */
	PARENT_SESSION_CLOSE = 21,   /* cap: the session; its quota returns to the client */
	PARENT_SESSION_UPGRADE = 22, /* cap: the session; quota_req_t: more quota donated */
	PARENT_SESSION_REQUEST = 23, /* a server: session_answer_t; reply: its next request */
};

/*
 * Sessions of a sibling's service (under init). The server announces its
 * endpoint (PARENT_ANNOUNCE) and gets a signal back; its parent never
 * calls it, so a server that does not answer holds up only its own
 * clients. A client's PARENT_SESSION_OPEN of such a service returns at
 * once a badged copy of the server's endpoint with mr0 SESSION_PENDING:
 * the donation has moved to the server, the request waits at the parent,
 * which submits the server's signal. The server fetches its requests with
 * PARENT_SESSION_REQUEST, each call carrying the answer to the one before
 * (NOT_FOUND: none left). The client then calls SESSION_SYNC on the new
 * capability, which returns once the server has answered (OK, or why it
 * refuses). A close answered SESSION_PENDING is synced the same way; an
 * upgrade needs no answer. lib/sys/service.c does the server's part.
 */
#define SESSION_PENDING 0x5e55
enum session_label {
	SESSION_SYNC = 0xfff0,	   /* on a session of a sibling: wait for the server's answer */
	SESSION_REQUESTS = 0xfff1, /* the server's own thread: fetch the parent's requests */
}; /* labels from 0xfff0 on belong to lib, not to a service's operations */
enum session_request_kind { SESSION_CREATE = 1, SESSION_UPGRADE = 2, SESSION_CLOSE = 3 };
/* session_answer_t: the server's answer to its last request (badge 0: none to give). */
typedef struct {
	word_t badge, err;
} session_answer_t;
MSG_LAYOUT(session_answer_t);
/* session_request_t: a request; a CREATE's arguments follow as a string from word 4 on. */
typedef struct {
	word_t kind, badge, ram, caps;
} session_request_t;
MSG_LAYOUT(session_request_t);
#define SESSION_REQUEST_ARGS_AT 4

/* Session arguments every service understands: label=NAME ram_quota=BYTES cap_quota=N. */
#define SESSION_ARGS_MAX 256 /* bytes of the argument string */
#define SESSION_RAM_MIN 4096 /* every session must bring at least this much */

/* quota_req_t: RAM bytes and capabilities (PARENT_SESSION_UPGRADE, PD_TRANSFER). */
typedef struct {
	word_t ram, caps;
} quota_req_t;
MSG_LAYOUT(quota_req_t);

/* PD session: the component's protection domain, its RAM and its quota. */
enum pd_op {
	PD_ALLOC = 1,	       /* pd_alloc_req_t; reply: ds cap, pd_alloc_reply_t */
	PD_FREE = 2,	       /* cap: a RAM ds this PD allocated */
	PD_QUOTA = 3,	       /* reply: pd_quota_reply_t */
	PD_TRANSFER = 4,       /* cap: another PD session; quota_req_t */
	PD_ADDRESS_SPACE = 5,  /* reply: an RM cap for the PD's own region map */
	PD_THREAD = 6,	       /* pd_thread_req_t; reply: pd_thread_reply_t */
	PD_ALLOC_SIGNAL = 7,   /* reply: a signal cap */
	PD_ALLOC_ENDPOINT = 8, /* reply: an endpoint cap */
	PD_DS_INFO = 9,	       /* cap: any ds; reply: pd_ds_info_reply_t */
	PD_PARENT = 10,	      /* a child's only; cap: an endpoint of the creator; pd_parent_req_t */
	PD_FAULT_SIGNAL = 12, /* a child's only; cap: a signal submitted when a thread of the child
				 stops on a fault no handler takes */
	PD_FAULT_INFO = 13,   /* reply: pd_fault_info_reply_t, the last such stop */
	PD_RAM_PEAK = 14,     /* reply: pd_ram_peak_reply_t */
	PD_ECHO = 15,	      /* reply: the same words, up to four (IPC measurements) */
	PD_GROW_SLOTS = 16,   /* one page more of capability slots; reply: pd_slots_reply_t */
	PD_MINT = 11, /* cap: an endpoint held with RIGHT_CTRL; pd_mint_req_t; reply: a badged
			 send-only copy */
};
#define PD_ALLOC_UNCACHED 0x1

typedef struct {
	word_t size, flags; /* bytes (rounded up to pages), PD_ALLOC_UNCACHED */
} pd_alloc_req_t;
typedef struct {
	word_t size; /* what was allocated */
} pd_alloc_reply_t;
typedef struct {
	word_t ram_quota, ram_used, cap_quota, cap_used;
} pd_quota_reply_t;
typedef struct {
	word_t ip, sp, prio, arg;
} pd_thread_req_t;
typedef struct {
	word_t index;
} pd_thread_reply_t;
typedef struct {
	word_t size, kind, writeable;
} pd_ds_info_reply_t;
MSG_LAYOUT(pd_alloc_req_t);
MSG_LAYOUT(pd_alloc_reply_t);
MSG_LAYOUT(pd_quota_reply_t);
MSG_LAYOUT(pd_thread_req_t);
MSG_LAYOUT(pd_thread_reply_t);
typedef struct {
	word_t badge; /* the child's parent capability carries it */
} pd_parent_req_t;
MSG_LAYOUT(pd_ds_info_reply_t);
typedef struct {
	word_t badge; /* the copy carries it: its holder's calls arrive with it */
} pd_mint_req_t;
MSG_LAYOUT(pd_parent_req_t);
MSG_LAYOUT(pd_mint_req_t);
typedef struct {
	word_t faults;	 /* threads stopped on a fault so far; 0: none, the rest is 0 */
	word_t addr, ip; /* of the last */
	uint32_t thread; /* its index in the component, 0 the first */
	uint16_t kind;	 /* FAULT_* bits (fault_kind_name) */
	uint16_t vector;
} pd_fault_info_reply_t;
MSG_LAYOUT(pd_fault_info_reply_t);
typedef struct {
	word_t peak; /* bytes: the most RAM the PD's account has had in use */
} pd_ram_peak_reply_t;
MSG_LAYOUT(pd_ram_peak_reply_t);

enum ds_kind { DS_RAM = 1, DS_ROM = 2, DS_IO_MEM = 3, DS_MANAGED = 4 };

/* RM session (and the address space of a PD): a region map. */
enum rm_op {
	RM_ATTACH = 1,	      /* cap: ds; rm_attach_req_t; reply: rm_addr_t */
	RM_DETACH = 2,	      /* rm_addr_t: an address inside the attachment */
	RM_FAULT_HANDLER = 3, /* cap: a signal submitted on a fault */
	RM_FAULT_STATE = 4,   /* reply: rm_fault_state_reply_t */
	RM_DATASPACE = 5,     /* reply: the managed ds of this RM (RM sessions only) */
};
#define RM_WRITEABLE 0x1
#define RM_EXECUTABLE 0x2
#define RM_USE_AT 0x4

typedef struct {
	word_t size;   /* 0: to the end of the dataspace */
	word_t offset; /* into the dataspace, page aligned */
	word_t at;     /* with RM_USE_AT */
	word_t flags;  /* RM_WRITEABLE, RM_EXECUTABLE, RM_USE_AT */
} rm_attach_req_t;
typedef struct {
	word_t addr;
} rm_addr_t;
typedef struct {
	word_t type, addr; /* enum rm_fault_type; the address, relative to this RM */
} rm_fault_state_reply_t;
MSG_LAYOUT(rm_attach_req_t);
MSG_LAYOUT(rm_addr_t);
MSG_LAYOUT(rm_fault_state_reply_t);

enum rm_fault_type { RM_FAULT_NONE = 0, RM_FAULT_READ = 1, RM_FAULT_WRITE = 2, RM_FAULT_EXEC = 3 };

/* ROM session ("ROM label=NAME"): a boot module. */
enum rom_op { ROM_DATASPACE = 1 }; /* reply: a read-only ds cap, ds_size_reply_t */

/* IO_MEM session ("IO_MEM base=PADDR size=BYTES"): device memory. */
enum io_mem_op { IO_MEM_DATASPACE = 1 }; /* reply: the uncached ds cap, ds_size_reply_t */

typedef struct {
	word_t size; /* bytes of content (a ROM module's exact size) */
} ds_size_reply_t;
MSG_LAYOUT(ds_size_reply_t);

/* pd_slots_reply_t: the PD's capability slots now (0 .. count - 1). */
typedef struct {
	word_t count;
} pd_slots_reply_t;
MSG_LAYOUT(pd_slots_reply_t);

/* IO_PORT session ("IO_PORT base=PORT size=N"): port I/O for the component. */
enum io_port_op {
	IO_PORT_INFO = 1, /* reply: io_port_info_reply_t */
	IO_PORT_USE = 2,  /* cap: a PD session, the client's own or its child's: the ports move there */
};
typedef struct {
	word_t base, size;
} io_port_info_reply_t;
MSG_LAYOUT(io_port_info_reply_t);

/* IRQ session ("IRQ line=N"): an interrupt line delivered as a signal. */
enum irq_op { IRQ_CAPS = 1 }; /* reply: caps: the IRQ (for SYS_IRQ_ACK) and its signal */

/* LOG session ("LOG label=NAME"): labelled output on the console. */
enum log_op { LOG_WRITE = 1 }; /* words: the text (at most 64 words) */

/* Components started by core find these slots filled. */
#define SLOT_PD_SESSION 4 /* the component's own PD session */
