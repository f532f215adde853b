/*
 * GDT and TSS. The selector order is fixed by syscall/sysret: kernel code,
 * kernel data, then (at STAR base 0x18) a 32-bit user code slot, user data
 * and 64-bit user code. The TSS ends its page so that its I/O bitmap can
 * follow it in the I/O window (x86.h, iomap.c).
 */
#include "cpu.h"
#include "x86.h"
#include <arch.h>
#include <kstring.h>

typedef struct __attribute__((packed)) {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} tss_t;

static struct __attribute__((packed)) {
	uint8_t before[PAGE_SIZE - sizeof(tss_t)];
	tss_t tss;
} tss_page __attribute__((aligned(PAGE_SIZE)));

_Static_assert(sizeof(tss_page) == PAGE_SIZE, "the TSS ends its page");

void *const arch_tss_rsp0 = (char *)&tss_page.tss + 4; /* rsp[0]: only 4-byte aligned */

/* The TSS as the CPU sees it: the bitmap starts the next page, the limit takes in the end byte. */
#define TSS_VA (IO_WINDOW + PAGE_SIZE - sizeof(tss_t))
#define TSS_LIMIT (sizeof(tss_t) + IO_BITMAP_BYTES)
static uint64_t gdt[8] __attribute__((aligned(16)));

uint64_t gdt_tss_frame(void)
{
	return vm_virt_to_phys(&tss_page);
}

/*
 * gdt_init: load the GDT and the task register. The TSS's window address is
 * mapped only from vm_init on; nothing reads the TSS before user mode (ltr
 * only marks the descriptor busy, and no kernel vector uses an IST stack).
 */
void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* kernel code 64 */
	gdt[2] = 0x00cf92000000ffffull; /* kernel data */
	gdt[3] = 0x00cffa000000ffffull; /* user code 32 (unused) */
	gdt[4] = 0x00cff2000000ffffull; /* user data */
	gdt[5] = 0x00affa000000ffffull; /* user code 64 */
	uint64_t base = TSS_VA, limit = TSS_LIMIT;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;
	tss_page.tss.iomap_base = sizeof(tss_t);

	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = {sizeof(gdt) - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0\n"
			 "mov %1, %%ds\n mov %1, %%es\n mov %1, %%ss\n"
			 "pushq %2\n lea 1f(%%rip), %%rax\n pushq %%rax\n lretq\n"
			 "1: ltr %w3\n"
			 :
			 : "m"(ptr), "r"((uint64_t)GDT_KDATA), "i"(GDT_KCODE), "r"(GDT_TSS)
			 : "rax", "memory");
}
