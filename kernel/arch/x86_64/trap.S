/*
 * Trap entry: one stub per vector pushes a dummy error code where the CPU
 * pushes none, then the vector, and joins trap_common, which saves the
 * general registers into a trap_frame_t, swaps GS when coming from user
 * mode and calls trap_dispatch(frame). trap_return restores the frame.
 */
	.macro SAVE_GPRS /* the general registers, in trap_frame_t order (r15 lowest) */
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro STUB vec
	.align 16
trap_stub_\vec:
	.if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
	.endm

	.text
	.global trap_common
trap_common:
	testb $3, 24(%rsp)       /* CS of the interrupted context */
	jz 1f
	swapgs
1:	SAVE_GPRS
	cld
	movq %rsp, %rdi
	call trap_dispatch

	.global trap_return
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp           /* vector, error */
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

	.altmacro
	.set i, 0
	.rept 256
	STUB %i
	.set i, i + 1
	.endr

	.macro STUBADDR vec
	.quad trap_stub_\vec
	.endm

	.section .rodata
	.global trap_stubs
	.align 8
trap_stubs:
	.set i, 0
	.rept 256
	STUBADDR %i
	.set i, i + 1
	.endr

/*
 * System-call entry. The CPU left the user rip in rcx and rflags in r11.
 * Build the same trap_frame_t that interrupts build, at the top of the
 * current thread's kernel stack, so that every way out is trap_return.
 */
#define CPU_KSTACK_TOP 8
#define CPU_USER_RSP 16
#define SYSCALL_VECTOR 0x100

	.text
	.global syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_KSTACK_TOP, %rsp
	pushq $0x23              /* user ss */
	pushq %gs:CPU_USER_RSP
	pushq %r11               /* rflags */
	pushq $0x2b              /* user cs */
	pushq %rcx               /* rip */
	subq $16, %rsp           /* error and vector: unused for system calls */
	SAVE_GPRS
	movq %rsp, %rdi
	cmpq $1, %rax            /* SYS_CALL or SYS_REPLY_WAIT: try the IPC fast paths */
	ja 3f
	jb 1f
	call ipc_fast_reply_wait
	jmp 2f
1:	call ipc_fast_call
2:	testq %rax, %rax
	jnz 4f
	movq %rsp, %rdi
3:	call syscall_dispatch
4:	movq %rax, %rsp          /* the frame to leave with: ours, or the partner's */
	/*
	 * Leave through sysret: rcx and r11 carry rip and rflags. The frame's
	 * rip is a user address (the kernel never stores another), so sysret's
	 * non-canonical-rip hazard cannot arise; interrupts stay off until the
	 * user rflags take effect.
	 */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	addq $8, %rsp            /* r11: replaced by rflags */
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	addq $8, %rsp            /* rcx: replaced by rip */
	popq %rbx
	popq %rax
	movq 16(%rsp), %rcx      /* rip */
	movq 32(%rsp), %r11      /* rflags */
	movq 40(%rsp), %rsp      /* user rsp */
	swapgs
	sysretq

/* void arch_context_switch(uint64_t *save_ksp, uint64_t new_ksp) */
	.global arch_context_switch
arch_context_switch:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* the first switch to a new thread returns here, its frame on the stack */
	.global thread_first_entry
thread_first_entry:
	jmp trap_return
