/*
 * Virtual memory: the kernel's own address space and the page tables of
 * protection domains. Generic code sees page-table roots as physical
 * addresses and mapping flags from the ABI (MAP_WRITE, MAP_EXEC,
 * MAP_UNCACHED); the arch code owns the format.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/bootinfo.h>
#include <arch/layout.h>

#define VM_DIRECT_MAP_SIZE (4ull << 30) /* the direct map covers the first 4 GiB */

/* vm_init: replace the boot tables with precise ones (W^X image, NX direct map). */
void vm_init(const bootinfo_t *bi);

/* vm_phys_to_virt: the direct-map address of pa. */
static inline void *vm_phys_to_virt(paddr_t pa)
{
	return (void *)(pa + ARCH_DIRECT_MAP_BASE);
}

/* vm_virt_to_phys: the physical address of a direct-map or kernel-image address. */
static inline paddr_t vm_virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= ARCH_KERNEL_VBASE ? v - ARCH_KERNEL_VBASE : v - ARCH_DIRECT_MAP_BASE;
}

/* vm_root_init: make the zeroed frame root a page-table root sharing the kernel half. */
void vm_root_init(paddr_t root);

/* vm_kernel_root: the root that maps only the kernel (for idle). */
paddr_t vm_kernel_root(void);

#define VM_LARGE_PAGE ARCH_LARGE_PAGE_SIZE
#define VM_PHYS_LIMIT ARCH_PHYS_LIMIT
#define VM_RELEASE_MAX 4 /* empty tables one vm_unmap hands back, at most */

/* A run of user pages: count pages of PAGE_SIZE (VM_LARGE_PAGE if large) from va to pa. */
typedef struct {
	vaddr_t va;
	paddr_t pa;
	uint64_t count;
	unsigned flags; /* MAP_WRITE, MAP_EXEC, MAP_UNCACHED */
	int large;
} vm_run_t;

/* What vm_map_check found on the way, for vm_map_run. */
typedef struct {
	void *table;	 /* the deepest table present on the way (arch format) */
	int level;	 /* its level */
	unsigned tables; /* tables missing below it */
} vm_map_plan_t;

/*
 * vm_map_check: may run r be mapped in root, and how many tables are
 * missing on the way (plan->tables)? Errors: INVALID_ARGS (count 0 or above
 * 512, the run leaves one leaf table, writeable and executable),
 * BAD_ADDRESS (unaligned, outside the user half, physical address too
 * wide), EXISTS (a large page covers the run, a table is where a large
 * page would go, or every page of the run is mapped already).
 */
err_t vm_map_check(paddr_t root, const vm_run_t *r, vm_map_plan_t *plan);

/*
 * vm_map_run: map the pages of r that are not mapped yet, after
 * vm_map_check allowed it with plan and nothing changed since; cannot
 * fail. The missing tables come from table(ctx), zeroed frames;
 * mapped(pa, frames) is called for each run of new pages (may be NULL).
 * Returns the number of pages mapped.
 */
uint64_t vm_map_run(const vm_map_plan_t *plan, const vm_run_t *r, paddr_t (*table)(void *ctx),
		    void *ctx, void (*mapped)(paddr_t pa, uint64_t frames));

/* vm_map: map one page at boot, the tables from alloc; errors as vm_map_check. */
err_t vm_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, paddr_t (*alloc)(void));

/* The state of one bounded unmap: budget in, released tables out. */
typedef struct {
	uint64_t budget; /* table entries the walk may still visit (a large page counts 512) */
	void (*unmapped)(paddr_t pa, uint64_t frames); /* for each page removed */
	paddr_t released[VM_RELEASE_MAX];	       /* tables unlinked because empty */
	unsigned released_count;
} vm_unmap_t;

/*
 * vm_unmap: remove the user mappings in [va, end) of root, skipping absent
 * tables, within u's budget; a large page the range touches goes as a
 * whole. Tables the walk emptied are unlinked into u->released (the caller
 * owns their frames now). Returns where it stopped: end when done, else a
 * 2 MiB-aligned address to continue from. Needs a budget of at least 516.
 */
vaddr_t vm_unmap(paddr_t root, vaddr_t va, vaddr_t end, vm_unmap_t *u);

/* vm_lookup: the frame and flags of the user mapping of va. NOT_MAPPED if none. */
err_t vm_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags);

/*
 * vm_teardown: call page(pa, frames) for every user mapping and table(pa)
 * for every user page-table frame of root, then clear the user half.
 */
void vm_teardown(paddr_t root, void (*page)(paddr_t pa, uint64_t frames), void (*table)(paddr_t));

/* The kernel's part of core's RAM window (a frame becomes a kernel object). */
void vm_core_window_init(paddr_t core_root, const bootinfo_t *bi, paddr_t (*alloc)(void));
void vm_core_window_map(paddr_t pa);
/* vm_core_window_overlaps: does [va, end) in root touch core's RAM window? */
int vm_core_window_overlaps(paddr_t root, vaddr_t va, vaddr_t end);
void vm_core_window_unmap(paddr_t pa);

/*
 * vm_copy_from_user: copy len bytes at user address src in root to dst.
 * BAD_ADDRESS if any byte is outside the user half or not readable.
 */
err_t vm_copy_from_user(paddr_t root, void *dst, vaddr_t src, size_t len);
