/*
 * x86_64 4-level page tables.
 *
 * Invariants: the kernel half (PML4 entries 256..511) is the same in every
 * root because every root copies the kernel's PML4 entries and the kernel
 * never adds new ones after vm_init, with one exception: entry 510, the I/O
 * window (iomap.c), where the CPU finds the TSS and the running PD's I/O
 * permission bitmap. A root whose PD holds ports has its own tables there,
 * from frames core donated; every other root keeps the kernel's entry,
 * which maps an all-closed bitmap. Kernel mappings are supervisor-only and
 * global but for the bitmap pages of the I/O window; only the kernel text
 * is executable and nothing of the kernel is both writeable and executable. User mappings never
 * combine write and execute. Page-table frames of user halves come from core (vm_pt_add) or, for
 * core itself, from the boot allocator.
 */
#include "cpu.h"
#include "x86.h"
#include "pte.h"
#include <vm.h>
#include <frame.h>
#include <kstring.h>
#include <panic.h>
#include <abi/syscall.h>
#include <abi/utcb.h>
#include <print.h>

#define CR4_PGE (1ull << 7)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

static pte_t kernel_pml4[512] __attribute__((aligned(4096)));
static pte_t direct_pdpt[512] __attribute__((aligned(4096)));
static pte_t direct_pd[4][512] __attribute__((aligned(4096)));
static pte_t image_pdpt[512] __attribute__((aligned(4096)));
static pte_t image_pd[512] __attribute__((aligned(4096)));
#define IMAGE_PTS 4 /* the kernel image may span 8 MiB */
static pte_t image_pt[IMAGE_PTS][512] __attribute__((aligned(4096)));

pte_t vm_nx_bit;
static paddr_t core_root; /* for the RAM window */

extern const char kernel_image_start[], kernel_text_start[], kernel_text_end[];
extern const char kernel_rodata_start[], kernel_data_start[], kernel_image_end[];

static pte_t image_flags(uint64_t va)
{
	if (va >= (uint64_t)kernel_text_start && va < (uint64_t)kernel_text_end)
		return PTE_P | PTE_G;
	if (va >= (uint64_t)kernel_rodata_start && va < (uint64_t)kernel_data_start)
		return PTE_P | PTE_G | vm_nx_bit;
	if (va >= (uint64_t)kernel_data_start && va < (uint64_t)kernel_image_end)
		return PTE_P | PTE_W | PTE_G | vm_nx_bit;
	return PTE_P | PTE_W | PTE_G | vm_nx_bit; /* boot section: data only from now on */
}

static void map_image(void)
{
	uint64_t start = (uint64_t)kernel_image_start & ~0x1fffffull;
	uint64_t end = (uint64_t)kernel_image_end;
	if (end - start > IMAGE_PTS * 0x200000ull)
		panic("vm: kernel image larger than %d MiB", IMAGE_PTS * 2);
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t i = (va - start) >> PAGE_SHIFT;
		image_pt[i / 512][i % 512] = vm_virt_to_phys((void *)va) | image_flags(va);
	}
	unsigned pd0 = (start >> 21) & 511;
	for (int t = 0; t < IMAGE_PTS; t++)
		image_pd[pd0 + t] = vm_virt_to_phys(image_pt[t]) | PTE_P | PTE_W;
	image_pdpt[(start >> 30) & 511] = vm_virt_to_phys(image_pd) | PTE_P | PTE_W;
	kernel_pml4[511] = vm_virt_to_phys(image_pdpt) | PTE_P | PTE_W;
}

static void map_direct(void)
{
	for (int g = 0; g < 4; g++) {
		for (int i = 0; i < 512; i++) {
			uint64_t pa = ((uint64_t)g << 30) | ((uint64_t)i << 21);
			direct_pd[g][i] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | vm_nx_bit;
		}
		direct_pdpt[g] = vm_virt_to_phys(direct_pd[g]) | PTE_P | PTE_W;
	}
	kernel_pml4[256] = vm_virt_to_phys(direct_pdpt) | PTE_P | PTE_W;
}

void vm_init(const bootinfo_t *bi)
{
	uint32_t r[4];
	cpuid(0x80000001, 0, r);
	vm_nx_bit = (r[3] & (1u << 20)) ? PTE_NX : 0;
	map_image();
	map_direct();
	iomap_init(kernel_pml4);
	uint64_t cr4 = read_cr4() | CR4_PGE;
	cpuid(7, 0, r);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	write_cr3(vm_virt_to_phys(kernel_pml4));
	kprintf("vm: NX %s, SMEP %s, SMAP %s, direct map of %lu MiB\n", vm_nx_bit ? "on" : "off",
		(cr4 & CR4_SMEP) ? "on" : "off", (cr4 & CR4_SMAP) ? "on" : "off",
		(unsigned long)(VM_DIRECT_MAP_SIZE >> 20));
}

paddr_t vm_kernel_root(void)
{
	return vm_virt_to_phys(kernel_pml4);
}

void vm_root_init(paddr_t root)
{
	pte_t *pml4 = vm_phys_to_virt(root);
	memset(pml4, 0, 256 * sizeof(pte_t));
	memcpy(pml4 + 256, kernel_pml4 + 256, 256 * sizeof(pte_t));
}

static unsigned index_at(vaddr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static int user_address(vaddr_t va)
{
	return va < USER_TOP && !(va & (PAGE_SIZE - 1));
}

/* walk: the leaf PTE slot for va, or NULL with *missing = level of the absent table. */
static pte_t *walk(paddr_t root, vaddr_t va, int *missing)
{
	pte_t *table = vm_phys_to_virt(root);
	for (int level = 3; level > 0; level--) {
		pte_t e = table[index_at(va, level)];
		if (!(e & PTE_P)) {
			*missing = level;
			return 0;
		}
		table = vm_phys_to_virt(e & PTE_ADDR);
	}
	return &table[index_at(va, 0)];
}

err_t vm_pt_add(paddr_t root, vaddr_t va, paddr_t frame)
{
	int missing;
	if (!user_address(va & ~(PAGE_SIZE - 1)))
		return ERR_BAD_ADDRESS;
	if (walk(root, va, &missing))
		return ERR_EXISTS;
	pte_t *table = vm_phys_to_virt(root);
	for (int level = 3; level > missing; level--)
		table = vm_phys_to_virt(table[index_at(va, level)] & PTE_ADDR);
	memset(vm_phys_to_virt(frame), 0, PAGE_SIZE);
	table[index_at(va, missing)] = frame | PTE_P | PTE_W | PTE_U;
	return ERR_OK;
}

static pte_t user_pte(paddr_t pa, unsigned flags)
{
	pte_t e = pa | PTE_P | PTE_U;
	if (flags & MAP_WRITE)
		e |= PTE_W;
	if (!(flags & MAP_EXEC))
		e |= vm_nx_bit;
	if (flags & MAP_UNCACHED)
		e |= PTE_PCD | PTE_PWT;
	return e;
}

err_t vm_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, paddr_t (*alloc)(void))
{
	if (!user_address(va) || (pa & (PAGE_SIZE - 1)))
		return ERR_BAD_ADDRESS;
	if ((flags & MAP_WRITE) && (flags & MAP_EXEC))
		return ERR_INVALID_ARGS;
	int missing;
	pte_t *slot;
	while (!(slot = walk(root, va, &missing))) {
		if (!alloc)
			return ERR_NO_MEMORY;
		vm_pt_add(root, va, alloc());
	}
	if (*slot & PTE_P)
		return ERR_EXISTS;
	*slot = user_pte(pa, flags);
	return ERR_OK;
}

err_t vm_unmap(paddr_t root, vaddr_t va, paddr_t *pa)
{
	int missing;
	if (!user_address(va))
		return ERR_BAD_ADDRESS;
	pte_t *slot = walk(root, va, &missing);
	if (!slot || !(*slot & PTE_P))
		return ERR_NOT_MAPPED;
	*pa = *slot & PTE_ADDR;
	*slot = 0;
	if ((read_cr3() & PTE_ADDR) == root)
		invlpg(va);
	return ERR_OK;
}

err_t vm_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags)
{
	int missing;
	if (va >= USER_TOP)
		return ERR_BAD_ADDRESS;
	pte_t *slot = walk(root, va & ~(PAGE_SIZE - 1), &missing);
	if (!slot || !(*slot & PTE_P))
		return ERR_NOT_MAPPED;
	*pa = *slot & PTE_ADDR;
	*flags =
	    ((*slot & PTE_W) ? MAP_WRITE : 0) | ((*slot & vm_nx_bit) && vm_nx_bit ? 0 : MAP_EXEC);
	return ERR_OK;
}

static void teardown_level(pte_t *table, int level, void (*page)(paddr_t), void (*tab)(paddr_t))
{
	for (int i = 0; i < 512; i++) {
		pte_t e = table[i];
		if (!(e & PTE_P))
			continue;
		if (level == 0) {
			page(e & PTE_ADDR);
			continue;
		}
		teardown_level(vm_phys_to_virt(e & PTE_ADDR), level - 1, page, tab);
		tab(e & PTE_ADDR);
	}
}

void vm_teardown(paddr_t root, void (*page)(paddr_t), void (*table)(paddr_t))
{
	pte_t *pml4 = vm_phys_to_virt(root);
	for (int i = 0; i < 256; i++) {
		pte_t e = pml4[i];
		if (!(e & PTE_P))
			continue;
		teardown_level(vm_phys_to_virt(e & PTE_ADDR), 2, page, table);
		table(e & PTE_ADDR);
		pml4[i] = 0;
	}
}

void vm_core_window_init(paddr_t root, const bootinfo_t *bi, paddr_t (*alloc)(void))
{
	core_root = root;
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type != BOOTINFO_MEM_FREE)
			continue;
		for (paddr_t p = m->base; p < m->base + m->size; p += PAGE_SIZE)
			if (vm_map(root, CORE_PHYS_WINDOW + p, p, MAP_WRITE, alloc) != ERR_OK)
				panic("vm: cannot map core's RAM window at %lx", p);
	}
	for (uint32_t i = 0; i < bi->module_count; i++) { /* boot modules: read-only */
		const bootinfo_module_t *m = &bi->modules[i];
		for (paddr_t p = m->base & ~(PAGE_SIZE - 1); p < m->base + m->size; p += PAGE_SIZE)
			if (vm_map(root, CORE_PHYS_WINDOW + p, p, 0, alloc) != ERR_OK)
				panic("vm: cannot map module page %lx into core's window", p);
	}
}

/* The window PTE for pa; the window's tables all exist from boot on. */
static pte_t *window_slot(paddr_t pa)
{
	int missing;
	return walk(core_root, CORE_PHYS_WINDOW + pa, &missing);
}

void vm_core_window_map(paddr_t pa)
{
	pte_t *slot = window_slot(pa);
	if (slot)
		*slot = user_pte(pa, MAP_WRITE);
}

void vm_core_window_unmap(paddr_t pa)
{
	pte_t *slot = window_slot(pa);
	if (!slot)
		return;
	*slot = 0;
	if ((read_cr3() & PTE_ADDR) == core_root)
		invlpg(CORE_PHYS_WINDOW + pa);
}

err_t vm_copy_from_user(paddr_t root, void *dst, vaddr_t src, size_t len)
{
	if (src >= USER_TOP || len > USER_TOP - src)
		return ERR_BAD_ADDRESS;
	char *d = dst;
	while (len) {
		paddr_t pa;
		unsigned flags;
		frame_info_t *f;
		if (vm_lookup(root, src, &pa, &flags) != ERR_OK || !(f = frame_info(pa)) ||
		    f->type != FRAME_USER)
			return ERR_BAD_ADDRESS; /* unmapped, or device memory */
		size_t off = src & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		memcpy(d, (char *)vm_phys_to_virt(pa) + off,
		       n); /* through the direct map: no SMAP issue */
		d += n;
		src += n;
		len -= n;
	}
	return ERR_OK;
}
