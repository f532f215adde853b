/* x86_64 pieces of a thread switch, inline for the scheduler's fast paths. */
#pragma once

#include <stdint.h>

/* Per-CPU data at GS in kernel mode (offsets fixed by trap.S). */
typedef struct {
	uint64_t self;
	uint64_t kstack_top; /* CPU_KSTACK_TOP */
	uint64_t user_rsp;   /* CPU_USER_RSP */
} arch_cpu_local_t;

extern arch_cpu_local_t arch_cpu0;
extern void *const arch_tss_rsp0; /* the TSS's rsp0, not 8-byte aligned */

/* arch_kernel_stack: the stack that entries from user mode use from now on. */
static inline void arch_kernel_stack(uint64_t top)
{
	arch_cpu0.kstack_top = top;
	__builtin_memcpy(arch_tss_rsp0, &top, sizeof(top));
}

/* arch_address_space: make the page-table root active (flushes non-global TLB entries). */
static inline void arch_address_space(uint64_t root)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(root) : "memory");
}
