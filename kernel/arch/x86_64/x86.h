/* Declarations shared between the x86_64 arch files. */
#pragma once

#include <stdint.h>
#include <abi/bootinfo.h>

/* The register frame that trap.S builds on the kernel stack. */
typedef struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
} trap_frame_t;

_Static_assert(sizeof(trap_frame_t) == 22 * 8, "trap frame layout is fixed by trap.S");

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x23 /* 0x20 | RPL 3 */
#define GDT_UCODE 0x2b /* 0x28 | RPL 3 */
#define GDT_TSS 0x30

void serial_init(void);
void gdt_init(void);
void tss_set_kernel_stack(uint64_t rsp0);
void idt_init(void);
void multiboot_parse(uint64_t magic, uint64_t info_phys, bootinfo_t *bi);
void trap_dispatch(trap_frame_t *f);
void dump_frame(const trap_frame_t *f);
