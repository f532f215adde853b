/* Declarations shared between the x86_64 arch files. */
#pragma once

#include <stdint.h>
#include <abi/bootinfo.h>

#include <arch/frame.h>

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x23 /* 0x20 | RPL 3 */
#define GDT_UCODE 0x2b /* 0x28 | RPL 3 */
#define GDT_TSS 0x30

/*
 * The I/O window (iomap.c), PML4 entry 510: page 0 ends with the TSS,
 * pages 1 and 2 hold the running PD's I/O permission bitmap, page 3 starts
 * with the byte of ones that ends it. The TSS is reached there, through its
 * descriptor; the kernel writes it through its image address.
 */
#define IO_WINDOW 0xffffff0000000000ull
#define IO_WINDOW_SLOT 510
#define IO_BITMAP_BYTES 8192

void serial_init(void);
void gdt_init(void);
uint64_t gdt_tss_frame(void); /* the physical page whose end holds the TSS */
void iomap_init(uint64_t *kernel_pml4);
void idt_init(void);
void multiboot_parse(uint64_t magic, uint64_t info_phys, bootinfo_t *bi);
void trap_dispatch(trap_frame_t *f);
void dump_frame(const trap_frame_t *f);
void pic_init(void);
void pic_eoi(unsigned line);
void pit_init(unsigned hz);
void cpu_syscall_init(void);
void fpu_init(void);
