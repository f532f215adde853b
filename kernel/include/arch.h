/*
 * The interface between generic kernel code and the architecture. Generic
 * code calls only these; kernel/arch/<arch>/ implements them.
 */
#pragma once

#include <abi/types.h>
#include <abi/bootinfo.h>

/* Early init: console, CPU tables, traps. Fills bi from the boot loader. */
void arch_init_early(uint64_t loader_magic, uint64_t loader_info, bootinfo_t *bi);

void arch_console_putc(char c);

/* arch_exit: end the machine's run with status code (debug-exit device). */
_Noreturn void arch_exit(unsigned code);

/* arch_backtrace: print the call chain starting at frame pointer fp. */
void arch_backtrace(uint64_t fp);

/* arch_print_frame_line: print one backtrace line for a code address. */
void arch_print_frame_line(uint64_t ip);

/* arch_current_fp: the caller's frame pointer. */
uint64_t arch_current_fp(void);

/* arch_halt_forever: stop this CPU with interrupts off. */
_Noreturn void arch_halt_forever(void);

/* Exit codes handed to arch_exit, seen by the run tool. */
#define EXIT_SUCCESS_CODE 0x10 /* QEMU exits with 33 */
#define EXIT_PANIC_CODE 0x31   /* QEMU exits with 99 */
