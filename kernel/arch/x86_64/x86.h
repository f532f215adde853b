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

void serial_init(void);
void gdt_init(void);
void idt_init(void);
void multiboot_parse(uint64_t magic, uint64_t info_phys, bootinfo_t *bi);
void trap_dispatch(trap_frame_t *f);
void dump_frame(const trap_frame_t *f);
void pic_init(void);
void pic_eoi(unsigned line);
void pit_init(unsigned hz);
void cpu_syscall_init(void);
void fpu_init(void);
