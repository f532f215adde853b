/*
 * I/O permission bitmaps, switched by the address space.
 *
 * The CPU finds the bitmap of ports user mode may use through the TSS, at
 * a linear address. The TSS ends the first page of the I/O window (PML4
 * entry 510, x86.h) and its bitmap fills the window's next two pages, so
 * what those pages map in the running root is the running PD's bitmap:
 * loading CR3 switches the ports along with the memory, and a switch costs
 * the same whatever ports the two PDs hold.
 *
 * Invariants: every root's entry 510 maps, at window page 0, the TSS page
 * and, at page 3, a page that starts with ones (the byte the CPU may read
 * past the bitmap), both global; at pages 1 and 2, not global, either the
 * kernel's shared all-closed bitmap (the entry every root copies) or the
 * PD's own bitmap in frames core donated, with the PDPT, PD and PT that map
 * it (IO_PORTS_FRAMES frames: bitmap, bitmap, PDPT, PD, PT). No bitmap ever
 * opens a port of the kernel's own (kernel_ports).
 *
 * With more CPUs, each CPU's TSS gets its own four pages in the window and
 * each PD's table maps its bitmap at every CPU's place.
 */
#include "cpu.h"
#include "x86.h"
#include "pte.h"
#include <arch.h>
#include <kstring.h>
#include <abi/syscall.h>

enum { FRAME_MAP = 0, FRAME_PDPT = 2, FRAME_PD = 3, FRAME_PT = 4 };
_Static_assert(IO_PORTS_FRAMES == FRAME_PT + 1, "a PD's bitmap and the tables that map it");
_Static_assert(IO_BITMAP_BYTES == 2 * PAGE_SIZE, "the bitmap fills two pages");
_Static_assert((IO_WINDOW >> 39) % 512 == IO_WINDOW_SLOT, "the window is PML4 entry 510");

/* Ports the kernel drives: both PICs, the PIT, the debug-exit device, the COM1 console. */
static const struct {
	uint16_t base, size;
} kernel_ports[] = {{0x20, 2}, {0x40, 4}, {0xa0, 2}, {0xf4, 4}, {0x3f8, 8}};

static pte_t shared_pdpt[512] __attribute__((aligned(PAGE_SIZE)));
static pte_t shared_pd[512] __attribute__((aligned(PAGE_SIZE)));
static pte_t shared_pt[512] __attribute__((aligned(PAGE_SIZE)));
static uint8_t closed_map[IO_BITMAP_BYTES] __attribute__((aligned(PAGE_SIZE)));

/* table: the direct-map address of the page-table frame pa. */
static pte_t *table(paddr_t pa)
{
	return vm_phys_to_virt(pa);
}

/* window_build: fill tables pdpt, pd, pt to show the bitmap at map; returns the PML4 entry. */
static pte_t window_build(paddr_t pdpt, paddr_t pd, paddr_t pt, paddr_t map)
{
	pte_t fixed = PTE_P | PTE_G | vm_nx_bit, bitmap = PTE_P | vm_nx_bit;
	table(pt)[0] = gdt_tss_frame() | fixed;
	table(pt)[1] = map | bitmap;
	table(pt)[2] = (map + PAGE_SIZE) | bitmap;
	table(pt)[3] = vm_virt_to_phys(closed_map) | fixed; /* starts with ones */
	table(pd)[0] = pt | PTE_P | PTE_W;
	table(pdpt)[0] = pd | PTE_P | PTE_W;
	return pdpt | PTE_P | PTE_W;
}

void iomap_init(uint64_t *kernel_pml4)
{
	memset(closed_map, 0xff, sizeof(closed_map));
	kernel_pml4[IO_WINDOW_SLOT] =
	    window_build(vm_virt_to_phys(shared_pdpt), vm_virt_to_phys(shared_pd),
			 vm_virt_to_phys(shared_pt), vm_virt_to_phys(closed_map));
}

void arch_io_attach(paddr_t root, paddr_t frames)
{
	memset(vm_phys_to_virt(frames + FRAME_MAP * PAGE_SIZE), 0xff, IO_BITMAP_BYTES);
	table(root)[IO_WINDOW_SLOT] =
	    window_build(frames + FRAME_PDPT * PAGE_SIZE, frames + FRAME_PD * PAGE_SIZE,
			 frames + FRAME_PT * PAGE_SIZE, frames + FRAME_MAP * PAGE_SIZE);
	if ((read_cr3() & PTE_ADDR) == root) { /* the old bitmap pages may be in the TLB */
		invlpg(IO_WINDOW + PAGE_SIZE);
		invlpg(IO_WINDOW + 2 * PAGE_SIZE);
	}
}

int arch_io_kernel_ports(unsigned base, unsigned size)
{
	for (unsigned i = 0; i < sizeof(kernel_ports) / sizeof(kernel_ports[0]); i++)
		if (base < kernel_ports[i].base + kernel_ports[i].size &&
		    kernel_ports[i].base < base + size)
			return 1;
	return 0;
}

void arch_io_set(paddr_t frames, unsigned base, unsigned size, int allow)
{
	uint8_t *map = vm_phys_to_virt(frames + FRAME_MAP * PAGE_SIZE);
	for (unsigned port = base; port < base + size; port++) {
		if (allow)
			map[port / 8] &= (uint8_t) ~(1u << (port % 8));
		else
			map[port / 8] |= (uint8_t)(1u << (port % 8));
	}
}
