/*
 * The frame table: one entry per physical page of RAM, kept by the kernel to
 * decide what core may do with a frame. Core owns all free RAM, but the
 * kernel refuses to map a frame that holds a kernel object or page table,
 * and refuses to turn a frame that is still mapped into a kernel object.
 * Each frame also carries a generation, bumped whenever a kernel object in
 * it is destroyed; capabilities record it, so a stale capability never
 * reaches a freed or reused object. The generation is 64 bits and never
 * comes round again: even one object created and destroyed in a frame
 * every 100 instructions at 5 GHz would take about 11,000 years to reach
 * 2^64, so a value a capability recorded is never the frame's again.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/bootinfo.h>
#include <vm.h>

enum frame_type {
	FRAME_DEVICE = 0, /* not RAM (or reserved): mappable, never a kernel object */
	FRAME_USER = 1,	  /* RAM core owns: mappable, may become a kernel object */
	FRAME_KOBJ = 2,	  /* holds a kernel object or page table: not mappable */
	FRAME_KERNEL = 3, /* kernel image, frame table, boot structures */
};

typedef uint64_t frame_gen_t; /* 64 bits: see above, it must never wrap */

typedef struct {
	frame_gen_t gen;   /* bumped when a kernel object in the frame dies */
	uint32_t mapcount; /* user mappings, not counting core's RAM window */
	uint8_t type;	   /* enum frame_type */
	uint8_t pad[3];
} frame_info_t;

_Static_assert(sizeof(frame_gen_t) == 8, "a generation must not wrap in any lifetime");
_Static_assert(sizeof(frame_info_t) == 16, "the frame table costs 16 bytes a page");

/* frame_init: build the table for the memory in bi, reserving the kernel image and modules. */
void frame_init(bootinfo_t *bi);

extern frame_info_t *frame_table;
extern uint64_t frame_table_size; /* entries */

/* frame_info: the entry for paddr, or NULL for addresses beyond RAM (devices). */
static inline frame_info_t *frame_info(paddr_t paddr)
{
	uint64_t pfn = paddr >> PAGE_SHIFT;
	return pfn < frame_table_size ? &frame_table[pfn] : 0;
}

/* frame_boot_alloc: a zeroed frame for boot structures (core's PD); panics when out. */
paddr_t frame_boot_alloc(enum frame_type type);

/* frame_boot_reserve: n contiguous frames for kernel tables, not zeroed; returns the lowest. */
paddr_t frame_boot_reserve(uint64_t n);

/* frame_publish_free: append the free RAM (type BOOTINFO_MEM_FREE) to bi. */
void frame_publish_free(bootinfo_t *bi);

/*
 * frame_claim: turn a core-owned, unmapped RAM frame into a kernel frame,
 * zeroed (the one zeroing of a kernel frame: core may have written into
 * it). Errors: BAD_ADDRESS (unaligned, not RAM), BUSY (mapped, or not core's).
 */
err_t frame_claim(paddr_t paddr);

/* frame_release: give a kernel frame back to core as it is; bumps the generation (it never wraps). */
void frame_release(paddr_t paddr);

/* frame_mappable: DENIED if any of the frames from pa holds the kernel or a kernel object. */
err_t frame_mappable(paddr_t pa, uint64_t frames);

/* frame_mapped / frame_unmapped: one user mapping more / less of each of the frames from pa. */
void frame_mapped(paddr_t pa, uint64_t frames);
void frame_unmapped(paddr_t pa, uint64_t frames);

/* frame_pfn: the number of the frame holding obj (a direct-map address). */
static inline uint32_t frame_pfn(const void *obj)
{
	return (uint32_t)(((uint64_t)obj - ARCH_DIRECT_MAP_BASE) >> PAGE_SHIFT);
}

/* frame_object: the object at the start of frame pfn (its direct-map address). */
static inline void *frame_object(uint32_t pfn)
{
	return vm_phys_to_virt((paddr_t)pfn << PAGE_SHIFT);
}

/* frame_gen: the current generation of the frame holding object obj (a direct-map address). */
static inline frame_gen_t frame_gen(const void *obj)
{
	return frame_table[frame_pfn(obj)].gen;
}
