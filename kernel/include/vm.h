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

/*
 * vm_map: map the page at pa to user address va in root. Fails with
 * NO_MEMORY when an intermediate table is missing (add one with vm_pt_add),
 * EXISTS when va is already mapped, INVALID_ARGS for writeable+executable.
 * With alloc set (boot only), missing tables are taken from it instead.
 */
err_t vm_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, paddr_t (*alloc)(void));

/* vm_pt_add: install frame as the first missing table on the walk to va; EXISTS if none. */
err_t vm_pt_add(paddr_t root, vaddr_t va, paddr_t frame);

/* vm_unmap: remove the mapping of va; returns its frame in *pa. NOT_MAPPED if none. */
err_t vm_unmap(paddr_t root, vaddr_t va, paddr_t *pa);

/* vm_lookup: the frame and flags of the user mapping of va. NOT_MAPPED if none. */
err_t vm_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags);

/*
 * vm_teardown: call page(pa) for every user mapping and table(pa) for every
 * user page-table frame of root, then clear the user half.
 */
void vm_teardown(paddr_t root, void (*page)(paddr_t), void (*table)(paddr_t));

/* The kernel's part of core's RAM window (a frame becomes a kernel object). */
void vm_core_window_init(paddr_t core_root, const bootinfo_t *bi, paddr_t (*alloc)(void));
void vm_core_window_map(paddr_t pa);
void vm_core_window_unmap(paddr_t pa);

/*
 * vm_copy_from_user: copy len bytes at user address src in root to dst.
 * BAD_ADDRESS if any byte is outside the user half or not readable.
 */
err_t vm_copy_from_user(paddr_t root, void *dst, vaddr_t src, size_t len);
