/*
 * Per-CPU state, system-call MSRs, user thread set-up and the I/O-port
 * permission of the running PD.
 */
#include "cpu.h"
#include "x86.h"
#include <arch.h>
#include <thread.h>
#include <kstring.h>
#include <arch/switch.h>

#define EFER_SCE 0x1
#define RFLAGS_IF 0x200
#define RFLAGS_USER_MASK 0xcd5 /* CF PF AF ZF SF DF OF: what user code may set */
#define FMASK_BITS 0x47700     /* TF IF DF IOPL NT AC cleared on entry */

arch_cpu_local_t arch_cpu0;
#define cpu0 arch_cpu0

extern void syscall_entry(void);
extern void thread_first_entry(void);

void cpu_syscall_init(void)
{
	cpu0.self = (uint64_t)&cpu0;
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)0x18 << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, FMASK_BITS);
}

void arch_thread_setup(thread_t *t, uint64_t ip, uint64_t sp, uint64_t arg)
{
	trap_frame_t *f = thread_frame(t);
	memset(f, 0, sizeof(*f));
	f->rsi = t->utcb_vaddr;
	f->rip = ip;
	f->rsp = sp;
	f->rdi = arg;
	f->cs = GDT_UCODE;
	f->ss = GDT_UDATA;
	f->rflags = RFLAGS_IF;
	arch_thread_resume_from_frame(t);
}

void arch_thread_resume_from_frame(thread_t *t)
{
	/* what arch_context_switch pops: r15 r14 r13 r12 rbx rbp, then the return address */
	uint64_t *ksp = (uint64_t *)thread_frame(t);
	*--ksp = (uint64_t)thread_first_entry;
	for (int i = 0; i < 6; i++)
		*--ksp = 0;
	t->ksp = (uint64_t)ksp;
}

void arch_thread_read_regs(thread_t *t, thread_regs_t *r)
{
	const trap_frame_t *f = thread_frame(t);
	r->ip = f->rip, r->sp = f->rsp, r->flags = f->rflags;
	r->rax = f->rax, r->rbx = f->rbx, r->rcx = f->rcx, r->rdx = f->rdx;
	r->rsi = f->rsi, r->rdi = f->rdi, r->rbp = f->rbp;
	r->r8 = f->r8, r->r9 = f->r9, r->r10 = f->r10, r->r11 = f->r11;
	r->r12 = f->r12, r->r13 = f->r13, r->r14 = f->r14, r->r15 = f->r15;
}

err_t arch_thread_write_regs(thread_t *t, const thread_regs_t *r)
{
	if (r->ip >= USER_TOP || r->sp >= USER_TOP)
		return ERR_BAD_ADDRESS;
	trap_frame_t *f = thread_frame(t);
	f->rip = r->ip, f->rsp = r->sp;
	f->rflags = (r->flags & RFLAGS_USER_MASK) | RFLAGS_IF;
	f->rax = r->rax, f->rbx = r->rbx, f->rcx = r->rcx, f->rdx = r->rdx;
	f->rsi = r->rsi, f->rdi = r->rdi, f->rbp = r->rbp;
	f->r8 = r->r8, f->r9 = r->r9, f->r10 = r->r10, f->r11 = r->r11;
	f->r12 = r->r12, f->r13 = r->r13, f->r14 = r->r14, f->r15 = r->r15;
	return ERR_OK;
}

void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}
