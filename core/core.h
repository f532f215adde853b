/*
 * core's internal interfaces. core owns all physical memory and hands it
 * out as dataspaces; every byte and capability it spends for a component is
 * charged to an account: the component's own, or that of a session, which
 * the client funds with the quota it donates when it opens the session.
 * All of it returns when the session closes or the component is destroyed.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/bootinfo.h>
#include <abi/syscall.h>
#include <abi/slots.h>
#include <sys.h>
#include <core_proto.h>
#include <alloc/avl.h>
#include <alloc/heap.h>
#include <alloc/range_alloc.h>

#define CORE_OWNER 0 /* frames core keeps for itself */
#define MAX_COMPONENTS 32
#define MAX_THREADS 8  /* per component */
#define MAX_OBJECTS 64 /* endpoints and signals per component */
#define MAX_WAITING 16
#define MAX_ATTACH_SIZE (1ull << 30) /* RAM, IO_MEM and RM sizes: one unmap call covers it */
#define MAX_NESTING 4		     /* managed dataspaces inside each other */
#define MAX_MANAGED_ATTACH 4	     /* places one managed dataspace may be attached */
#define LARGE_PAGE (2ull << 20)	     /* what one MAP_LARGE page covers */
#define MAP_WINDOW_PAGES 16	     /* a fault maps this aligned window around it */

/* Address-space layout of components. */
#define COMP_UTCB_BASE 0x00006f0000000000ull /* thread i's UTCB at + i pages */
#define COMP_STACK_TOP 0x0000700000000000ull /* main thread stack below this */
#define COMP_STACK_SIZE (64 * 1024)
#define COMP_RM_BASE 0x0000000040000000ull  /* attachments of the address space go here */
#define CHILD_RM_BASE 0x0000000000010000ull /* a child's: all of it, its image too */
#define COMP_RM_END 0x0000400000000000ull

typedef struct component component_t;
typedef struct dataspace dataspace_t;
typedef struct rm rm_t;
typedef struct attachment attachment_t;
typedef struct session session_t;

/* ---- physical memory (phys.c) ---- */
void phys_init(const bootinfo_t *bi);
/* phys_alloc_range: size bytes (page multiple) of zeroed contiguous RAM for owner. OUT_OF_RAM. */
err_t phys_alloc_range(unsigned owner, uint64_t size, paddr_t *pa);
/*
 * phys_alloc_raw: the same, not zeroed: for frames the kernel claims (it
 * zeroes them then) and for core's own records. Never for memory a
 * component can see.
 */
err_t phys_alloc_raw(unsigned owner, uint64_t size, paddr_t *pa);
static inline err_t phys_alloc(unsigned owner, paddr_t *pa)
{
	return phys_alloc_range(owner, PAGE_SIZE, pa);
}
/*
 * phys_zero: zero [pa, pa + size) of RAM core owns (page multiples), through
 * the kernel, which has the widest stores (SYS_ZERO).
 */
void phys_zero(paddr_t pa, uint64_t size);
/* phys_free: give back the block that phys_alloc_range returned at pa. */
void phys_free(paddr_t pa);
/* phys_free_range: the same, its size known (no look-up). */
void phys_free_range(paddr_t pa, uint64_t size);
/* phys_free_owner: return every block of owner; the number of pages. */
uint64_t phys_free_owner(unsigned owner);
uint64_t phys_avail(void); /* bytes */
/* phys_node_memory: bytes holding the range allocator's nodes (it grows with the blocks). */
uint64_t phys_node_memory(void);
void *phys_window(paddr_t pa);

/* ---- accounts (account.c) ---- */
/*
 * An account: the RAM and capabilities core may spend for a component or
 * for one of its sessions, and what it spent. Frames charged to an
 * account belong to `owner` (a component id) in core's frame table, so
 * that nothing outlives the component even if an account forgot it.
 */
typedef struct account {
	uint64_t ram_quota, ram_used;
	uint64_t ram_peak; /* the most ram_used has been */
	uint64_t cap_quota, cap_used;
	unsigned owner;
} account_t;

/*
 * A signal capability core keeps for a client (a fault handler), its slot
 * charged to the client's account until it is dropped.
 */
typedef struct kept_signal {
	cap_t cap;
	account_t *payer;
} kept_signal_t;

/* account_charge: count ram bytes and caps against a. OUT_OF_RAM, OUT_OF_CAPS (nothing charged). */
err_t account_charge(account_t *a, uint64_t ram, uint64_t caps);
void account_uncharge(account_t *a, uint64_t ram, uint64_t caps);
/* account_alloc: size bytes of zeroed RAM charged to a. OUT_OF_RAM. account_free undoes it. */
err_t account_alloc(account_t *a, uint64_t size, paddr_t *pa);
/* account_alloc_raw: the same, not zeroed (see phys_alloc_raw). */
err_t account_alloc_raw(account_t *a, uint64_t size, paddr_t *pa);
void account_free(account_t *a, paddr_t pa, uint64_t size);

/*
 * Records core keeps (dataspaces, attachments, region maps, sessions)
 * come from an allocator: the component's own heap for what belongs to the
 * component, or frames of a session's own, charged to its account
 * (account_records: small records share a page of 15 slots, larger ones
 * take whole pages). record_new gives a zeroed block or NULL (the account
 * is exhausted: OUT_OF_RAM), record_delete frees it.
 */
typedef struct {
	account_t *acct;
	struct record_page *pages; /* its slot pages */
} records_t;
allocator_t account_records(records_t *r);
void *record_new(const allocator_t *a, size_t size);
/* records_cost: what a record of size bytes costs a session's account when alone in its frames. */
uint64_t records_cost(size_t size);
void record_delete(const allocator_t *a, void *p);

/* ---- capabilities and kernel objects core makes (kobj.c) ---- */
/* mint: a badged send capability to core's endpoint in a fresh slot of core. OUT_OF_CAPS. */
err_t mint(word_t badge, cap_t *slot);
/*
 * kobj_create: a kernel object of type (arg0, arg1 as SYS_CREATE takes
 * them) in a frame charged to a, with one capability charged too; the
 * frame in *frame if not NULL. A PD takes a second frame, its page-table
 * root. Errors: OUT_OF_RAM, OUT_OF_CAPS, the kernel's; nothing stays
 * charged on failure. kobj_destroy undoes it.
 */
err_t kobj_create(account_t *a, word_t type, word_t arg0, word_t arg1, cap_t *slot, paddr_t *frame);
void kobj_destroy(account_t *a, cap_t slot, paddr_t frame);

/* ---- badges of the capabilities core mints (registry.c) ---- */
/*
 * A dataspace or session is named by a badge of its kind and a 60-bit
 * serial number that is never given out twice: at one new object per
 * thousand instructions, a 5 GHz machine would need 7,000 years to use
 * them up, so an old capability can never come to name a new object. The
 * registry finds an object by its badge in a tree whose nodes live in the
 * objects themselves, so it has no size of its own.
 */
typedef struct {
	avl_node_t avl;
	word_t badge;
} reg_node_t;

/* registry_add: give n a fresh badge of kind and make it findable. */
void registry_add(reg_node_t *n, unsigned kind);
void registry_remove(reg_node_t *n);
/* registry_find: the node with badge, or NULL. O(log n). */
reg_node_t *registry_find(word_t badge);
/* registry_count: how many objects are registered (for tests and reports). */
size_t registry_count(void);

/* ---- components (component.c) ---- */
struct component {
	int used;
	unsigned index;	 /* in the component table; also the frame owner id minus one */
	uint64_t serial; /* unique per incarnation: index in the low bits */
	char name[48];
	cap_t pd;
	cap_t threads[MAX_THREADS];
	cap_t pagers[MAX_THREADS];
	unsigned thread_count;
	unsigned max_prio;
	int may_io;	     /* policy: device sessions allowed */
	unsigned may_create; /* policy: children it may have at once (the table is shared) */
	unsigned children;
	cap_t objects[MAX_OBJECTS]; /* endpoints and signals made for it */
	unsigned object_count;
	account_t acct;
	heap_t heap; /* core's records for this component, charged to it */
	backing_t backing;
	allocator_t records;  /* heap_allocator(&heap) */
	rm_t *aspace;	      /* its address space */
	session_t *sessions;  /* it opened, through session_t.next */
	dataspace_t *owned;   /* RAM dataspaces it allocated, through dataspace_t.next_owned */
	paddr_t io_bitmap;    /* its IO_PORTS_FRAMES I/O bitmap frames, once it has them */
	unsigned cap_leaves;  /* frames its capability table grew by (PD_GROW_SLOTS) */
	component_t *creator; /* a child: the component that made it (its quota came from there) */
	kept_signal_t fault_sig; /* the creator's, submitted when a thread stops on a fault */
	pd_fault_info_reply_t last_fault; /* the last stop: faults counts them all */
	paddr_t spare[MAP_TABLES_MAX];	  /* charged frames for its next page tables */
	unsigned spare_count;
};

/* component_id: the frame owner id of c. */
static inline unsigned component_id(const component_t *c)
{
	return c->index + 1;
}

/* comp_alloc / comp_free: RAM charged to c's own account. OUT_OF_RAM. */
err_t comp_alloc(component_t *c, uint64_t size, paddr_t *pa);
/* comp_alloc_raw: the same, not zeroed (see phys_alloc_raw). */
err_t comp_alloc_raw(component_t *c, uint64_t size, paddr_t *pa);
void comp_free(component_t *c, paddr_t pa, uint64_t size);
/* comp_trim: give c's unused record memory back, so its quota shows only live records. */
void comp_trim(component_t *c);

/*
 * component_map: map pages pages from pa at va in c's PD with one SYS_MAP
 * (flags as SYS_MAP's, MAP_LARGE included), the tables it needs from c's
 * spare frames; pages already mapped stay. Errors: EXISTS (all of them
 * were mapped, or a large page does not fit), OUT_OF_RAM (no quota for a
 * table), and SYS_MAP's for bad arguments.
 */
err_t component_map(component_t *c, vaddr_t va, paddr_t pa, uint64_t pages, unsigned flags);
/*
 * component_unmap: remove c's mappings in [va, va + size) with as many
 * bounded SYS_UNMAP calls as it takes; the tables the kernel hands back
 * become spares or go back to c's quota.
 */
void component_unmap(component_t *c, vaddr_t va, uint64_t size);
typedef struct {
	uint64_t ram, caps; /* quota */
	unsigned max_prio;  /* highest priority of its threads */
	int io;		    /* may open IO_PORT, IO_MEM and IRQ sessions */
	unsigned children;  /* children it may have at once (PD sessions it opens) */
} component_policy_t;

/*
 * component_start: the component of boot module name with policy p. Errors:
 * NOT_FOUND, OUT_OF_CAPS (more cap quota than core's table can back; see
 * component_caps_free), LIMIT (MAX_COMPONENTS), the loader's, OUT_OF_RAM.
 */
err_t component_start(const bootinfo_t *bi, const char *name, const component_policy_t *p,
		      component_t **out);
/*
 * component_create_child: an empty component made by creator: its PD, an
 * address space over [CHILD_RM_BASE, COMP_RM_END) for the creator to fill
 * (image, stack), its own PD session in SLOT_PD_SESSION; no thread, no
 * parent capability yet. Its account holds ram and caps. Errors: LIMIT,
 * OUT_OF_RAM, OUT_OF_CAPS.
 */
err_t component_create_child(component_t *creator, const char *name, uint64_t ram, uint64_t caps,
			     component_t **out);
/* component_caps_free: cap quota core can still hand out, its reserve kept. */
uint64_t component_caps_free(void);
#define CORE_CAP_RESERVE 64 /* slots core keeps for itself: receiving, replies */
err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out);
err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot);
void component_destroy(component_t *c);
/* component_by_serial: the live component of that serial, or NULL. */
component_t *component_by_serial(uint64_t serial);

/* ---- dataspaces (ds.c) ---- */
struct dataspace {
	reg_node_t reg; /* its badge */
	uint8_t kind, writeable, uncached;
	paddr_t paddr;
	uint64_t size;
	component_t *owner;	 /* DS_RAM: who allocated it and may free it */
	dataspace_t *next_owned; /* DS_RAM: in owner->owned */
	const allocator_t *md;	 /* where its record came from */
	rm_t *rm;		 /* DS_MANAGED: the region map behind it */
	attachment_t *attachments;
	cap_t cap;	     /* core's minted capability, made on first hand-out */
	account_t *cap_acct; /* charged for cap */
	uint64_t *zeroed;    /* a lazily zeroed RAM dataspace: a bit per chunk zeroed */
};

#define DS_ZERO_EAGER LARGE_PAGE    /* RAM dataspaces up to this are zeroed when allocated */
#define DS_ZERO_CHUNK (64ull << 10) /* larger ones in chunks of this, when first mapped */
static inline int ds_zero_lazily(uint64_t size)
{
	return size > DS_ZERO_EAGER;
}

/*
 * ds_create: a dataspace record from md (NULL: OUT_OF_RAM), registered
 * under a fresh badge. For DS_RAM, owner is the allocating component.
 */
err_t ds_create(const allocator_t *md, component_t *owner, unsigned kind, paddr_t pa, uint64_t size,
		int writeable, int uncached, dataspace_t **out);
/* ds_zero: zero the chunks of [off, off + size) of a lazily zeroed RAM dataspace not zeroed yet. */
void ds_zero(dataspace_t *ds, uint64_t off, uint64_t size);
/* ds_destroy: detach it everywhere (unmapping it), forget it; the memory is the caller's. */
void ds_destroy(dataspace_t *ds);
/* ds_from_badge: the dataspace a received capability to core's endpoint names, or NULL. */
dataspace_t *ds_from_badge(word_t badge);
/* ds_cap: core's capability to ds, charged to acct on first hand-out. OUT_OF_CAPS. */
err_t ds_cap(dataspace_t *ds, account_t *acct, cap_t *slot);
/* ds_free_owned: free every RAM dataspace c allocated, unmapped first. */
void ds_free_owned(component_t *c);

/* ---- region maps (rmap.c) ---- */
struct attachment {
	attachment_t *next_in_rm, *next_in_ds;
	rm_t *rm;
	dataspace_t *ds;
	vaddr_t base;
	uint64_t size, offset;
	unsigned flags;
};

struct rm {
	allocator_t md;	 /* its records: attachments, address ranges, itself */
	component_t *pd; /* set for a PD's address space */
	vaddr_t base, size;
	range_alloc_t va;
	attachment_t *attachments;
	dataspace_t *ds;	 /* set for an RM session: the managed dataspace */
	kept_signal_t fault_sig; /* the fault handler's, charged to the RM session's client */
	uint8_t fault_type;
	vaddr_t fault_addr;
	struct {
		uint64_t serial; /* the component (this incarnation) */
		unsigned idx;	 /* its thread */
	} waiting[MAX_WAITING];	 /* threads stopped on an unresolved fault */
	unsigned waiting_count;
};

/*
 * rmap_create: a region map over [base, base + size) with its records from
 * md; pd for a PD's address space. OUT_OF_RAM.
 */
err_t rmap_create(const allocator_t *md, component_t *pd, vaddr_t base, uint64_t size, rm_t **out);
void rmap_destroy(rm_t *rm);
err_t rmap_attach(rm_t *rm, dataspace_t *ds, uint64_t size, uint64_t offset, vaddr_t at,
		  unsigned flags, vaddr_t *out);
err_t rmap_detach(rm_t *rm, vaddr_t addr);
/* rmap_remove_attachment: remove one attachment, unmapping it (ds destruction). */
void rmap_remove_attachment(attachment_t *a);
/* rmap_fault: resolve a fault of c's thread idx; returns the reply info for the pager. */
word_t rmap_fault(component_t *c, unsigned idx, vaddr_t addr, word_t type, word_t ip,
		  word_t vector);

/* ---- sessions (session.c; one service a file, svc_*.c) ---- */
err_t session_open(component_t *c, const char *args, cap_t *cap);
err_t session_close(component_t *c, word_t badge);
err_t session_upgrade(component_t *c, word_t badge, uint64_t ram, uint64_t caps);
/* session_request: a call on a session capability; returns the reply info. */
word_t session_request(word_t badge, msg_t *m);
/* session_create_pd: the PD session of c (at start), its capability and badge. */
err_t session_create_pd(component_t *c, cap_t *cap, word_t *badge);
/* session_close_all: close every session c opened (it is being destroyed). */
void session_close_all(component_t *c);

/*
 * log_labelled: print text as lines, each with "[name -> label] " in
 * front ("[name] " for an empty label): a newline inside the text starts
 * another labelled line, never an unlabelled one; control characters
 * become '?'. Modifies text.
 */
void log_labelled(const char *name, const char *label, char *text);

/* io_port_user_gone: c is being destroyed: IO_PORT sessions it used hold no PD any more. */
void io_port_user_gone(component_t *c);

/* ---- the service loop and the parent protocol (service.c) ---- */
extern cap_t core_ep;
extern const bootinfo_t *core_bootinfo;
/*
 * core_selftest: the self-tests of the test variant of core (test/core/),
 * run after core took over the RAM and before it starts any component.
 * Weak: the core a user boots does not have it, its address is null there.
 */
void core_selftest(const bootinfo_t *bi) __attribute__((weak));
_Noreturn void service_loop(void);
/*
 * The capabilities of the request being handled. A capability to core's
 * endpoint (a session or dataspace core made) arrives as its badge; any
 * other in one of core's slots, which the handler may keep by naming it in
 * keep_received (else it is deleted after the reply).
 */
extern cap_t keep_received;
/* received_badge: capability i of m named core's endpoint; its badge in *badge. */
int received_badge(const msg_t *m, unsigned i, word_t *badge);
/* received_slot: the slot capability i of m landed in if it is of type with rights, else 0. */
cap_t received_slot(const msg_t *m, unsigned i, unsigned type, unsigned rights);
/*
 * kept_signal_set: keep sig, received in the current request, in k,
 * charged to payer; one kept before is replaced and keeps its charge.
 * OUT_OF_CAPS (nothing changed).
 */
err_t kept_signal_set(kept_signal_t *k, account_t *payer, cap_t sig);
/* kept_signal_drop: delete it and give its charge back; none kept: a no-op. */
void kept_signal_drop(kept_signal_t *k);
/* free_after_reply: slot holds a copy the reply transfers; delete it once the reply is out. */
void free_after_reply(cap_t slot);
/* reply_caps: the reply info for error e; on success with words words and caps a and b (0: none).
 */
word_t reply_caps(err_t e, cap_t a, cap_t b, unsigned words);
