/*
 * The component environment and the clients of core's services. A
 * component's entry is `int component_main(env_t *env)`; its environment
 * holds the parent, its PD session, its address space (a region map), a
 * LOG session and a heap that grows by RAM dataspaces.
 *
 * All calls below block (they are calls to core), may be made from any
 * thread of the component, and return err_t: the kernel's errors for a
 * broken capability (INVALID_CAP, WRONG_TYPE, NO_RIGHTS), or the service's
 * answer as listed with each. The heap and sliced heap are not
 * thread-safe: threads that share them must take turns.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <core_proto.h>
#include <sys.h>
#include <alloc/heap.h>
#include <alloc/sliced_heap.h>

/* The record of one backing region of the heaps: a RAM dataspace attached at base. */
typedef struct {
	vaddr_t base;
	size_t size;
	cap_t ds;
} env_region_t;

#define ENV_REGIONS_INLINE 64 /* records in env_t; more in pages of their own */
#define ENV_REGIONS_PAGE 170  /* records in one such 4 KiB page */

/* A page of region records: one more RAM dataspace, taken when the others are full. */
typedef struct env_region_page {
	struct env_region_page *next;
	cap_t ds;
	unsigned used;
	env_region_t region[ENV_REGIONS_PAGE];
} env_region_page_t;

typedef struct env {
	cap_t parent, pd, rm, log;
	word_t arg;
	heap_t heap;
	sliced_heap_t sliced_heap;
	backing_t backing;			  /* RAM dataspaces attached to rm */
	env_region_t regions[ENV_REGIONS_INLINE]; /* their records: no limit below the quota */
	env_region_page_t *more;
} env_t;

/* component_env: the environment component_main got (the C runtime's malloc uses its heap). */
env_t *component_env(void);
/* env_backing_regions: the RAM dataspaces the heap and sliced heap hold now. */
unsigned env_backing_regions(const env_t *env);
/* env_init: the environment of this component (done before component_main). */
err_t env_init(env_t *env, word_t arg);

/* ---- parent: sessions ---- */
/*
 * parent_session_open: open a session with args "SERVICE key=value ...",
 * donating ram_quota and cap_quota from this component's quota; the
 * capability in *session. Errors: INVALID_ARGS (malformed or too long),
 * NOT_FOUND (no such service), DENIED (the policy forbids it), OUT_OF_RAM /
 * OUT_OF_CAPS (this component cannot donate that much, or the donation does
 * not cover what the service needs: donate more), NO_SLOT, and the
 * service's own (BUSY, UNALIGNED, OUT_OF_RANGE, ...).
 */
err_t parent_session_open(const char *args, cap_t *session);
/* parent_session_close: close it; the donation returns. INVALID_CAP, DENIED (the PD session). */
err_t parent_session_close(cap_t session);
/* parent_session_upgrade: donate ram bytes and caps more. OUT_OF_RAM, OUT_OF_CAPS, INVALID_CAP. */
/*
 * io_port_use: open the ports of IO_PORT session in the PD of pd, the
 * session holder's own or a child's (how a parent hands a child the
 * ports it opened for it); closed where they were. DENIED (another's PD).
 */
err_t io_port_use(cap_t session, cap_t pd);
err_t parent_session_upgrade(cap_t session, uint64_t ram, uint64_t caps);

/* ---- PD session ---- */
/*
 * pd_alloc: a zeroed RAM dataspace of size bytes (rounded up to pages),
 * owned by this PD. flags: PD_ALLOC_UNCACHED. Errors: INVALID_ARGS (size 0
 * or above 1 GiB, unknown flags), OUT_OF_RAM, OUT_OF_CAPS, NO_SLOT.
 */
err_t pd_alloc(cap_t pd, uint64_t size, unsigned flags, cap_t *ds);
/* pd_free: free a RAM dataspace this PD allocated, detached everywhere first. INVALID_DATASPACE,
 * DENIED. */
err_t pd_free(cap_t pd, cap_t ds);
typedef struct {
	uint64_t ram_quota, ram_used, cap_quota, cap_used;
} pd_quota_t;
err_t pd_quota(cap_t pd, pd_quota_t *q);
/* pd_ram_peak: the most RAM the PD has had in use at once, in bytes. */
err_t pd_ram_peak(cap_t pd, uint64_t *peak);
/* pd_transfer: move quota to another PD session. INVALID_CAP, OUT_OF_RAM, OUT_OF_CAPS. */
err_t pd_transfer(cap_t pd, cap_t to_pd, uint64_t ram, uint64_t caps);
err_t pd_address_space(cap_t pd, cap_t *rm);
/* pd_ds_info: size, kind (enum ds_kind) and writeability of any dataspace. INVALID_DATASPACE. */
err_t pd_ds_info(cap_t pd, cap_t ds, uint64_t *size, unsigned *kind, int *writeable);
/*
 * pd_grow_slots: one page more of the PD's capability table (170 slots),
 * paid from its RAM quota until it ends; the slot count now in *count.
 * slot_alloc asks for it by itself when no slot is left (up to 4,240). OUT_OF_RAM,
 * NO_SLOT (the table has its largest size).
 */
err_t pd_grow_slots(cap_t pd, cap_t *count);
/* pd_alloc_signal, pd_alloc_endpoint: kernel objects of this PD. OUT_OF_RAM, OUT_OF_CAPS, LIMIT. */
err_t pd_alloc_signal(cap_t pd, cap_t *sig);
err_t pd_alloc_endpoint(cap_t pd, cap_t *ep);
/*
 * pd_mint: a send-only copy of endpoint ep carrying badge, in *copy: how a
 * parent hands a client a session of a service its child announced (the
 * server tells its clients apart by the badge). ep must be held with
 * RIGHT_CTRL, as the endpoint's maker holds it and whoever it gave it to
 * whole. Errors: INVALID_CAP (not such an endpoint), OUT_OF_CAPS (core's
 * slots), NO_SLOT (none free here), NO_CAP_RECEIVED.
 */
err_t pd_mint(cap_t pd, cap_t ep, word_t badge, cap_t *copy);
/*
 * pd_fault_signal: on a child's PD session, the signal core submits when a
 * thread of the child stops on a fault that no region-map handler takes
 * (one slot of the caller's cap quota, until the child ends). Errors:
 * DENIED (the caller's own PD), INVALID_CAP (no signal), OUT_OF_CAPS.
 */
err_t pd_fault_signal(cap_t pd, cap_t sig);
/* pd_fault_info: the last such stop of the PD's component (faults 0: none yet). */
err_t pd_fault_info(cap_t pd, pd_fault_info_reply_t *info);
/*
 * pd_thread: a thread of this PD at entry(arg, its UTCB) on the stack below
 * stack_top (16-byte aligned), priority capped by the policy. Every lib
 * call works from it. Errors: BAD_ADDRESS, LIMIT (8 threads), OUT_OF_RAM,
 * OUT_OF_CAPS.
 */
err_t pd_thread(cap_t pd, void (*entry)(word_t, utcb_t *), void *stack_top, unsigned prio,
		word_t arg);

/* ---- region maps ---- */
typedef struct {
	uint64_t size;	 /* 0: to the end of the dataspace */
	uint64_t offset; /* into the dataspace, page aligned */
	vaddr_t at;	 /* used with RM_USE_AT */
	unsigned flags;	 /* RM_WRITEABLE, RM_EXECUTABLE, RM_USE_AT */
} rm_attach_attr_t;

/*
 * rm_attach: attach ds; the address in *addr. Errors: INVALID_DATASPACE,
 * INVALID_ARGS (unknown flags, writeable and executable, writeable for a
 * read-only dataspace), UNALIGNED (offset or at), OUT_OF_RANGE (offset or
 * size beyond the dataspace, at outside the region map), REGION_CONFLICT
 * (at overlaps an attachment), NO_SPACE (no free range that large),
 * OUT_OF_RAM (the records of the attachment: the owner's quota, or an RM
 * session's donation).
 */
err_t rm_attach(cap_t rm, cap_t ds, const rm_attach_attr_t *attr, vaddr_t *addr);
/* rm_detach: remove the attachment holding addr, unmapping it. NOT_FOUND. */
err_t rm_detach(cap_t rm, vaddr_t addr);
/* rm_fault_handler: sig is submitted on a fault in rm. INVALID_CAP (not a signal), OUT_OF_CAPS. */
err_t rm_fault_handler(cap_t rm, cap_t sig);
err_t rm_fault_state(cap_t rm, unsigned *type, vaddr_t *addr);
/* rm_dataspace: the managed dataspace of an RM session. INVALID_DATASPACE (an address space). */
err_t rm_dataspace(cap_t rm, cap_t *ds);

/* ---- one-step helpers: allocate or open, then attach; undone on failure ---- */
typedef struct {
	cap_t session; /* ROM or IO_MEM session (0 for RAM) */
	cap_t ds;
	vaddr_t addr;
	uint64_t size;
	int received; /* another component's dataspace: release detaches it, drops this capability
		       */
} attached_ds_t;

/* The errors are those of the calls they make: pd_alloc or parent_session_open, rm_attach. */
err_t attached_ram_ds(env_t *env, uint64_t size, attached_ds_t *out);
/*
 * attached_received_ds: attach a dataspace another component handed over
 * (ds, a capability received in a call), writeable if flags has
 * RM_WRITEABLE; *out then holds ds, and attached_ds_release detaches it
 * and drops this capability, while the dataspace stays its owner's.
 * Errors: pd_ds_info's (INVALID_DATASPACE: ds is none), INVALID_ARGS
 * (writeable asked of a read-only one), rm_attach's. On error ds stays
 * the caller's.
 */
err_t attached_received_ds(env_t *env, cap_t ds, unsigned flags, attached_ds_t *out);
err_t attached_rom_ds(env_t *env, const char *name, attached_ds_t *out);
err_t attached_io_mem_ds(env_t *env, paddr_t base, uint64_t size, attached_ds_t *out);
/* attached_ds_release: detach and free (RAM) or close (ROM, IO_MEM). */
void attached_ds_release(env_t *env, attached_ds_t *ds);

/* ---- LOG ---- */
/* log_session_write: one line through the LOG session, labelled by core. INVALID_ARGS: over 511
 * bytes. */
err_t log_session_write(cap_t log, const char *text);
/* log_session_printf: format a line and write it so; a line over 511 bytes is cut. */
err_t log_session_printf(cap_t log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
