/*
 * GDT and TSS. The selector order is fixed by syscall/sysret: kernel code,
 * kernel data, then (at STAR base 0x18) a 32-bit user code slot, user data
 * and 64-bit user code.
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
	uint8_t iomap[8192 + 1]; /* a set bit forbids the port; the last byte ends the map */
} tss_t;

static tss_t tss;
void *const arch_tss_rsp0 = (char *)&tss + 4; /* rsp[0]: only 4-byte aligned */

/* the kernel's own ports stay forbidden even to a PD with port access */
static const uint16_t kernel_ports[] = {0x20, 0x21, 0xa0, 0xa1, 0x40, 0x41, 0x42, 0x43, 0xf4};

#define IOMAP_OFF ((uint16_t) __builtin_offsetof(tss_t, iomap))
#define IOMAP_NONE ((uint16_t)sizeof(tss_t)) /* beyond the limit: every port forbidden */
static uint64_t gdt[8] __attribute__((aligned(16)));

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* kernel code 64 */
	gdt[2] = 0x00cf92000000ffffull; /* kernel data */
	gdt[3] = 0x00cffa000000ffffull; /* user code 32 (unused) */
	gdt[4] = 0x00cff2000000ffffull; /* user data */
	gdt[5] = 0x00affa000000ffffull; /* user code 64 */
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;
	tss.iomap_base = IOMAP_NONE;
	tss.iomap[8192] = 0xff;

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

static const uint8_t *io_loaded;

void arch_set_io_bitmap(const uint8_t *map, int force)
{
	if (!map) {
		tss.iomap_base = IOMAP_NONE;
		return;
	}
	if (map != io_loaded || force) {
		memcpy(tss.iomap, map, ARCH_IO_BITMAP_SIZE);
		for (unsigned i = 0; i < sizeof(kernel_ports) / sizeof(kernel_ports[0]); i++)
			tss.iomap[kernel_ports[i] / 8] |= 1u << (kernel_ports[i] % 8);
		io_loaded = map;
	}
	tss.iomap_base = IOMAP_OFF;
}

void arch_io_bitmap_changed(const uint8_t *map)
{
	if (io_loaded == map)
		io_loaded = 0;
}
