/*
 * The interface between generic kernel code and the architecture. Generic
 * code calls only these; kernel/arch/<arch>/ implements them.
 */
#pragma once

#include <abi/types.h>
#include <abi/bootinfo.h>
#include <abi/err.h>
#include <abi/utcb.h>

/* Early init: console, CPU tables, traps. Fills bi from the boot loader. */
void arch_init_early(uint64_t loader_magic, uint64_t loader_info, bootinfo_t *bi);

void arch_console_putc(char c);

/* arch_exit: end the machine's run with status code (debug-exit device). */
_Noreturn void arch_exit(unsigned code);

/* arch_backtrace: print the call chain starting at frame pointer fp. */
void arch_backtrace(uint64_t fp);

/* arch_print_frame_line: print one backtrace line for a code address. */
void arch_print_frame_line(uint64_t ip);

/* arch_boot_cycles: the cycle counter at the kernel's first instruction (instructions under -icount). */
uint64_t arch_boot_cycles(void);

/* arch_current_fp: the caller's frame pointer. */
uint64_t arch_current_fp(void);

/* arch_page_zero: clear one page-aligned page, eight bytes a step. */
void arch_page_zero(void *page);

/*
 * arch_zero: clear size bytes (a multiple of 4 KiB) at the page-aligned
 * dst with the widest stores the CPU has; may borrow the FPU registers, of
 * whose owner it saves the state first.
 */
void arch_zero(void *dst, uint64_t size);

/* arch_halt_forever: stop this CPU with interrupts off. */
_Noreturn void arch_halt_forever(void);

/* Late init: system-call entry, interrupt controller, timer at hz. */
void arch_init_late(unsigned timer_hz);

struct thread;

/* arch_thread_setup: prepare t to enter user mode at ip with stack sp and first argument arg. */
void arch_thread_setup(struct thread *t, uint64_t ip, uint64_t sp, uint64_t arg);

/* arch_thread_resume_from_frame: the next switch to t returns to user mode from its frame. */
void arch_thread_resume_from_frame(struct thread *t);

/* arch_context_switch: save the kernel context into *save_ksp and resume new_ksp. */
void arch_context_switch(uint64_t *save_ksp, uint64_t new_ksp);

/*
 * I/O ports: a PD that may use ports has its own permission bitmap (a set
 * bit forbids the port) in IO_PORTS_FRAMES frames core donated, which the
 * arch code places where the CPU finds it while the PD's page-table root
 * is loaded. Every other PD has every port closed. Changing address space
 * changes the ports: nothing to do on a switch.
 */
/* arch_io_attach: the claimed, zeroed frames at frames become root's bitmap, every port closed. */
void arch_io_attach(paddr_t root, paddr_t frames);

/* arch_io_kernel_ports: [base, base + size) holds a port the kernel drives (never opened). */
int arch_io_kernel_ports(unsigned base, unsigned size);

/* arch_io_set: open (allow) or close ports [base, base + size) in the bitmap at frames;
 * the caller keeps the kernel's ports out of an opening (arch_io_kernel_ports). */
void arch_io_set(paddr_t frames, unsigned base, unsigned size, int allow);

/* Interrupt lines: mask, unmask, whether a user may own the line. */
void arch_irq_mask(unsigned line);
void arch_irq_unmask(unsigned line);
int arch_irq_line_free(unsigned line);

/* arch_wait_for_interrupt: enable interrupts, halt until one came, disable again. */
void arch_wait_for_interrupt(void);

/* Register access for SYS_THREAD_STATE; write checks addresses and flags. */
void arch_thread_read_regs(struct thread *t, thread_regs_t *r);
err_t arch_thread_write_regs(struct thread *t, const thread_regs_t *r);

/* Exit codes handed to arch_exit, seen by the run tool. */
#define EXIT_PANIC_CODE 0x31 /* QEMU exits with 99 */
