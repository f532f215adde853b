/*
 * core's internal interfaces. core owns all physical memory and hands it
 * out as dataspaces; every byte and capability it spends for a component is
 * charged to that component's quota, and all of it returns when the
 * component is destroyed.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/bootinfo.h>
#include <abi/syscall.h>
#include <abi/slots.h>
#include <sys.h>
#include <core_proto.h>
#include <alloc/heap.h>
#include <alloc/range_alloc.h>

#define CORE_OWNER 0 /* frames core keeps for itself */
#define MAX_COMPONENTS 32
#define MAX_THREADS 8
#define MAX_WAITING 16
#define MAX_ATTACH_SIZE (1ull << 30) /* RAM, IO_MEM and RM sizes: one unmap call covers it */
#define MAX_NESTING 4		     /* managed dataspaces inside each other */
#define MAX_MANAGED_ATTACH 4	     /* places one managed dataspace may be attached */
#define MAX_SESSIONS_PER_COMPONENT 32
#define MAX_DS_PER_COMPONENT 256
#define LARGE_PAGE (2ull << 20) /* what one MAP_LARGE page covers */
#define MAP_WINDOW_PAGES 16	/* a fault maps this aligned window around it */

/* Address-space layout of components. */
#define COMP_UTCB_BASE 0x00006f0000000000ull /* thread i's UTCB at + i pages */
#define COMP_STACK_TOP 0x0000700000000000ull /* main thread stack below this */
#define COMP_STACK_SIZE (64 * 1024)
#define COMP_RM_BASE 0x0000000040000000ull /* attachments of the address space go here */
#define COMP_RM_END 0x0000400000000000ull

typedef struct component component_t;
typedef struct dataspace dataspace_t;
typedef struct rm rm_t;
typedef struct attachment attachment_t;

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
/* phys_free: give back the block that phys_alloc_range returned at pa. */
void phys_free(paddr_t pa);
/* phys_free_range: the same, its size known (no look-up). */
void phys_free_range(paddr_t pa, uint64_t size);
/* phys_free_owner: return every block of owner; the number of pages. */
uint64_t phys_free_owner(unsigned owner);
uint64_t phys_avail(void); /* bytes */
void *phys_window(paddr_t pa);

/* ---- capability slots of core (kobj.c) ---- */
cap_t slot_alloc(void);
void slot_free(cap_t slot);
/* slot_available: how many more capabilities core can hold. */
uint64_t slot_available(void);
/* mint: a badged send capability to core's endpoint in a fresh slot. */
err_t mint(word_t badge, cap_t *slot);
err_t kobj_create(unsigned owner, word_t type, word_t arg0, word_t arg1, cap_t *slot);
/* kobj_create_at: the same, also telling the frame (for objects that are not PDs). */
err_t kobj_create_at(unsigned owner, word_t type, word_t arg0, word_t arg1, cap_t *slot,
		     paddr_t *frame);

/* ---- components and their quota (component.c) ---- */
struct component {
	int used;
	unsigned id;
	unsigned gen; /* distinguishes incarnations of the same id */
	char name[48];
	cap_t pd;
	cap_t threads[MAX_THREADS];
	cap_t pagers[MAX_THREADS];
	unsigned thread_count;
	unsigned max_prio;
	int may_io; /* policy: device sessions allowed */
	unsigned session_count, ds_count;
	cap_t objects[64]; /* endpoints, signals, IRQs made for it */
	unsigned object_count;
	uint64_t ram_quota, ram_used;
	uint64_t cap_quota, cap_used;
	heap_t heap; /* core's records for this component, charged to it */
	backing_t backing;
	rm_t *aspace;		       /* its address space */
	unsigned pd_session;	       /* index of its own PD session */
	paddr_t io_bitmap;	       /* frames of its I/O permission bitmap, once it has one */
	paddr_t spare[MAP_TABLES_MAX]; /* charged frames for its next page tables */
	unsigned spare_count;
};

/* charge / uncharge: account bytes and caps to c. OUT_OF_RAM, OUT_OF_CAPS. */
err_t charge(component_t *c, uint64_t bytes, uint64_t caps);
void uncharge(component_t *c, uint64_t bytes, uint64_t caps);
/* comp_alloc: charged, zeroed RAM for c; comp_free gives it back. */
err_t comp_alloc(component_t *c, uint64_t size, paddr_t *pa);
/* comp_alloc_raw: the same, not zeroed (see phys_alloc_raw). */
err_t comp_alloc_raw(component_t *c, uint64_t size, paddr_t *pa);
void comp_free(component_t *c, paddr_t pa, uint64_t size);
/* comp_new / comp_delete: a record of size bytes from c's heap. */
void *comp_new(component_t *c, size_t size);
void comp_delete(component_t *c, void *p);
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
} component_policy_t;

err_t component_start(const bootinfo_t *bi, const char *name, const component_policy_t *p,
		      component_t **out);
err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out);
err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot);
void component_destroy(component_t *c);
component_t *component_by_id(unsigned id);

/* ---- dataspaces (ds.c) ---- */
struct dataspace {
	uint32_t index, gen;
	uint8_t kind, writeable, uncached;
	paddr_t paddr;
	uint64_t size;
	component_t *owner;
	rm_t *rm; /* DS_MANAGED: the region map behind it */
	attachment_t *attachments;
	cap_t cap;	  /* core's minted capability, made on first hand-out */
	uint64_t *zeroed; /* a lazily zeroed RAM dataspace: a bit per chunk zeroed */
};

#define DS_ZERO_EAGER LARGE_PAGE    /* RAM dataspaces up to this are zeroed when allocated */
#define DS_ZERO_CHUNK (64ull << 10) /* larger ones in chunks of this, when first mapped */
static inline int ds_zero_lazily(uint64_t size)
{
	return size > DS_ZERO_EAGER;
}

err_t ds_create(component_t *owner, unsigned kind, paddr_t pa, uint64_t size, int writeable,
		int uncached, dataspace_t **out);
/* ds_zero: zero the chunks of [off, off + size) of a lazily zeroed RAM dataspace not zeroed yet. */
void ds_zero(dataspace_t *ds, uint64_t off, uint64_t size);
/* ds_destroy: detach it everywhere, forget it (the memory is the caller's business). */
void ds_destroy(dataspace_t *ds);
/* ds_from_cap: the dataspace named by a capability the caller received. */
dataspace_t *ds_from_cap(cap_t slot);
/* ds_cap: core's capability to ds, for transfer in a reply. */
err_t ds_cap(dataspace_t *ds, cap_t *slot);
/* ds_destroy_owned: destroy every dataspace owned by c. */
void ds_destroy_owned(component_t *c);

/* ---- region maps (rm.c) ---- */
struct attachment {
	attachment_t *next_in_rm, *next_in_ds;
	rm_t *rm;
	dataspace_t *ds;
	vaddr_t base;
	uint64_t size, offset;
	unsigned flags;
};

struct rm {
	component_t *owner;
	component_t *pd; /* set for a PD's address space */
	vaddr_t base, size;
	range_alloc_t va;
	allocator_t md;
	attachment_t *attachments;
	dataspace_t *ds; /* set for an RM session: the managed dataspace */
	cap_t fault_sig;
	uint8_t fault_type;
	vaddr_t fault_addr;
	struct {
		unsigned id, gen, idx; /* component (and its incarnation), thread */
	} waiting[MAX_WAITING];	       /* threads stopped on an unresolved fault */
	unsigned waiting_count;
};

err_t rmap_create(component_t *owner, component_t *pd, vaddr_t base, uint64_t size, rm_t **out);
void rmap_destroy(rm_t *rm);
err_t rmap_attach(rm_t *rm, dataspace_t *ds, uint64_t size, uint64_t offset, vaddr_t at,
		  unsigned flags, vaddr_t *out);
err_t rmap_detach(rm_t *rm, vaddr_t addr);
/* rm_detach_all_of: remove one attachment (ds destruction). */
void rmap_remove_attachment(attachment_t *a);
/* rmap_fault: resolve a fault of c's thread idx; returns the reply info for the pager. */
word_t rmap_fault(component_t *c, unsigned idx, vaddr_t addr, word_t type, word_t ip,
		  word_t vector);

/* ---- sessions (session.c) ---- */
err_t session_open(component_t *c, const char *args, cap_t *cap);
err_t session_close(component_t *c, word_t badge);
err_t session_upgrade(component_t *c, word_t badge, uint64_t ram, uint64_t caps);
/* session_request: a call on a session capability; returns the reply info. */
word_t session_request(word_t badge, msg_t *m);
/* session_pd_for: make the PD session of c (at start). */
err_t session_create_pd(component_t *c, cap_t *cap, word_t *badge);
void session_close_all(component_t *c);

/* ---- the rest ---- */
extern cap_t core_ep;
extern const bootinfo_t *core_bootinfo;
void core_test_abuse(void);
_Noreturn void service_loop(void);
/* services_forget: the services a component announced end with it. */
void services_forget(unsigned server);
/* keep_received: a received capability the current request keeps (core must not free it). */
extern cap_t keep_received;
/* reply_caps: put up to two capabilities into the reply. */
word_t reply_caps(err_t e, cap_t a, cap_t b, unsigned n, unsigned words);
