/*
 * The component environment and the clients of core's services. A
 * component's entry is `int component_main(env_t *env)`; its environment
 * holds the parent, its PD session, its address space (a region map), a
 * LOG session and a heap that grows by RAM dataspaces.
 *
 * All calls below block (they are calls to core) and return err_t: the
 * kernel's errors for a broken capability, or the service's answer
 * (OUT_OF_RAM, OUT_OF_CAPS, REGION_CONFLICT, INVALID_DATASPACE, ...).
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <core_proto.h>
#include <sys.h>
#include <alloc/heap.h>
#include <alloc/sliced_heap.h>

#define ENV_HEAP_REGIONS 64

typedef struct {
	vaddr_t base;
	size_t size;
	cap_t ds;
} env_region_t;

typedef struct env {
	cap_t parent, pd, rm, log;
	word_t arg;
	heap_t heap;
	sliced_heap_t sliced_heap;
	backing_t backing; /* RAM dataspaces attached to rm */
	env_region_t regions[ENV_HEAP_REGIONS];
} env_t;

/* env_init: the environment of this component (done before component_main). */
err_t env_init(env_t *env, word_t arg);

/* ---- parent: sessions ---- */
/* parent_session_open: open a session with args "SERVICE key=value ..."; the cap in *session. */
err_t parent_session_open(const char *args, cap_t *session);
err_t parent_session_close(cap_t session);
err_t parent_session_upgrade(cap_t session, uint64_t ram, uint64_t caps);

/* ---- PD session ---- */
err_t pd_alloc(cap_t pd, uint64_t size, unsigned flags, cap_t *ds);
err_t pd_free(cap_t pd, cap_t ds);
typedef struct {
	uint64_t ram_quota, ram_used, cap_quota, cap_used;
} pd_quota_t;
err_t pd_quota(cap_t pd, pd_quota_t *q);
err_t pd_transfer(cap_t pd, cap_t to_pd, uint64_t ram, uint64_t caps);
err_t pd_address_space(cap_t pd, cap_t *rm);
err_t pd_ds_info(cap_t pd, cap_t ds, uint64_t *size, unsigned *kind, int *writeable);
err_t pd_alloc_signal(cap_t pd, cap_t *sig);
err_t pd_alloc_endpoint(cap_t pd, cap_t *ep);
err_t pd_thread(cap_t pd, void (*entry)(word_t, utcb_t *), void *stack_top, unsigned prio,
		word_t arg);

/* ---- region maps ---- */
typedef struct {
	uint64_t size;	 /* 0: to the end of the dataspace */
	uint64_t offset; /* into the dataspace, page aligned */
	vaddr_t at;	 /* used with RM_USE_AT */
	unsigned flags;	 /* RM_WRITEABLE, RM_EXECUTABLE, RM_USE_AT */
} rm_attach_attr_t;

/* rm_attach: attach ds; errors REGION_CONFLICT, INVALID_DATASPACE, OUT_OF_RAM, OUT_OF_CAPS,
 * INVALID_ARGS. */
err_t rm_attach(cap_t rm, cap_t ds, const rm_attach_attr_t *attr, vaddr_t *addr);
err_t rm_detach(cap_t rm, vaddr_t addr);
err_t rm_fault_handler(cap_t rm, cap_t sig);
err_t rm_fault_state(cap_t rm, unsigned *type, vaddr_t *addr);
err_t rm_dataspace(cap_t rm, cap_t *ds);

/* ---- one-step helpers: allocate or open, then attach; undone on failure ---- */
typedef struct {
	cap_t session; /* ROM or IO_MEM session (0 for RAM) */
	cap_t ds;
	vaddr_t addr;
	uint64_t size;
} attached_ds_t;

err_t attached_ram_ds(env_t *env, uint64_t size, attached_ds_t *out);
err_t attached_rom_ds(env_t *env, const char *name, attached_ds_t *out);
err_t attached_io_mem_ds(env_t *env, paddr_t base, uint64_t size, attached_ds_t *out);
/* attached_ds_release: detach and free (RAM) or close (ROM, IO_MEM). */
void attached_ds_release(env_t *env, attached_ds_t *ds);

/* ---- LOG ---- */
err_t log_session_write(cap_t log, const char *text);
