/*
 * Trap dispatch. A fault in kernel mode is a broken invariant: dump the
 * frame and a symbolised backtrace and end the run with the panic code.
 */
#include "cpu.h"
#include "x86.h"
#include <arch.h>
#include <ksyms.h>
#include <print.h>
#include <ipc.h>
#include <signal.h>
#include <sched.h>
#include <abi/syscall.h>
#include <arch/thread.h>

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FP error",
    "alignment check",
    "machine check",
    "SIMD FP error",
    "virtualization",
    "control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return vector < 32 ? "reserved exception" : "interrupt";
}

void dump_frame(const trap_frame_t *f)
{
	kprintf("vector %lu (%s) error %lx cr2 %016lx\n", f->vector, trap_name(f->vector), f->error,
		read_cr2());
	kprintf("rip %016lx cs %04lx rflags %08lx rsp %016lx ss %04lx\n", f->rip, f->cs, f->rflags,
		f->rsp, f->ss);
	kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n", f->r13, f->r14, f->r15,
		read_cr3());
}

_Noreturn static void kernel_fault(trap_frame_t *f)
{
	kprintf("\nPANIC: kernel fault: %s\n", trap_name(f->vector));
	dump_frame(f);
	kprintf("backtrace:\n");
	arch_print_frame_line(f->rip);
	/*
	 * gcc omits the frame of a leaf function even when asked not to: then
	 * the return address sits at rsp, and the rbp chain starts one frame up.
	 */
	uint64_t top = *(const uint64_t *)f->rsp;
	uint64_t unused;
	if (f->rsp >= ARCH_KERNEL_VBASE && ksyms_lookup(top, &unused) &&
	    (f->rbp < ARCH_KERNEL_VBASE || top != ((const uint64_t *)f->rbp)[1]))
		arch_print_frame_line(top - 1);
	arch_backtrace(f->rbp);
	arch_exit(EXIT_PANIC_CODE);
}

/* user_fault: a user thread's exception goes to its pager as a fault message. */
static void user_fault(trap_frame_t *f)
{
	if (f->vector == 7) { /* device not available: the thread's first FPU instruction */
		arch_fpu_first_use(&current->arch);
		return;
	}
	if (f->vector == 14) {
		word_t type = (f->error & 0x10)	 ? FAULT_EXEC
			      : (f->error & 0x2) ? FAULT_WRITE
						 : FAULT_READ;
		if (f->error & 0x1)
			type |= FAULT_PRESENT;
		ipc_fault(read_cr2(), type, f->rip, f->vector);
		return;
	}
	ipc_fault(f->rip, FAULT_EXCEPTION, f->rip, f->vector);
}

static void interrupt(unsigned line)
{
	if (line == 7 || line == 15) { /* spurious unless in service */
		uint16_t port = line == 7 ? 0x20 : 0xa0;
		outb(port, 0x0b);
		if (!(inb(port) & 0x80)) {
			if (line == 15)
				pic_eoi(2);
			return;
		}
	}
	if (line == 0)
		sched_tick();
	else
		irq_deliver(line);
	pic_eoi(line);
}

void trap_dispatch(trap_frame_t *f)
{
	if (f->vector < 32) {
		if ((f->cs & 3) == 0)
			kernel_fault(f);
		user_fault(f);
	} else if (f->vector < 48) {
		interrupt((unsigned)f->vector - 32);
	} else {
		kprintf("kernel: unexpected trap %lu from ip %lx\n", f->vector, f->rip);
		if ((f->cs & 3) == 3)
			ipc_fault(f->rip, FAULT_EXCEPTION, f->rip, f->vector);
	}
	sched_preempt_point();
}
