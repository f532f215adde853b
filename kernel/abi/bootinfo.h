/*
 * Boot information: what the kernel learned from the boot loader, in a form
 * that does not depend on the boot protocol. The kernel fills one page with
 * it and maps that page read-only into core.
 */
#pragma once

#include "types.h"

#define BOOTINFO_MAX_MEM 64
#define BOOTINFO_MAX_MODULES 32
#define BOOTINFO_NAME_LEN 48
#define BOOTINFO_CMDLINE_LEN 256

enum bootinfo_mem_type {
	BOOTINFO_MEM_AVAILABLE = 1, /* usable RAM */
	BOOTINFO_MEM_RESERVED = 2,
	BOOTINFO_MEM_ACPI = 3,
	BOOTINFO_MEM_NVS = 4,
	BOOTINFO_MEM_BAD = 5,
	BOOTINFO_MEM_FREE = 16, /* RAM handed to core: minus kernel, modules, boot allocations */
};

typedef struct {
	paddr_t base;
	uint64_t size;
	uint32_t type;
	uint32_t pad;
} bootinfo_mem_t;

typedef struct {
	paddr_t base;
	uint64_t size;
	char name[BOOTINFO_NAME_LEN];
} bootinfo_module_t;

typedef struct {
	uint64_t magic; /* BOOTINFO_MAGIC */
	uint32_t mem_count;
	uint32_t module_count;
	bootinfo_mem_t mem[BOOTINFO_MAX_MEM];
	bootinfo_module_t modules[BOOTINFO_MAX_MODULES];
	char cmdline[BOOTINFO_CMDLINE_LEN];
	paddr_t kernel_start, kernel_end; /* physical extent of the kernel image */
	uint64_t vga_text_phys;		  /* 0xB8000 on PC */
	uint32_t core_cap_slots; /* core's capability table: slots 0 .. core_cap_slots - 1 */
	uint32_t pad;
} bootinfo_t;

#define BOOTINFO_MAGIC 0x6f666e69746f6f62ull /* "bootinfo" */

_Static_assert(sizeof(bootinfo_t) <= 4096, "boot info must fit one page");
