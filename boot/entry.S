/*
 * 32-bit entry from GRUB: check the Multiboot2 magic, build early page
 * tables (identity and direct map of the first 4 GiB, the kernel image at
 * -2 GiB), enable PAE, long mode, NX and write-protect, load a 64-bit GDT and
 * jump to the higher-half kernel. The kernel replaces these tables with its
 * own precise ones in vm_init; these only have to get it there.
 */
#define KERNEL_VBASE 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VBASE)

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80

#define CR0_PG (1 << 31)
#define CR0_WP (1 << 16)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

	.section .boot.text, "ax"
	.code32
	.global boot_entry32
boot_entry32:
	cli
	cld
	movl $PHYS(boot_stack_top), %esp
	movl %eax, %edi          /* multiboot magic, kept for kernel_main */
	movl %ebx, %esi          /* physical address of the multiboot info */
	rdtsc                    /* the kernel's first cycle: guest.boot_to_init_done */
	movl %eax, PHYS(boot_entry_cycles)
	movl %edx, PHYS(boot_entry_cycles) + 4

	cmpl $0x36d76289, %edi
	jne boot_fail

	/* CPUID: long mode must exist */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb boot_fail
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz boot_fail
	movl %edx, %ebp          /* bit 20: NX available */

	/* four page directories of 2 MiB pages cover 0..4 GiB */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax           /* high bits of the physical address */
	movl %eax, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* low PDPT: entries 0..3 point to the four page directories */
	movl $PHYS(boot_pdpt_low), %ebx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%ebx)
	addl $4096, %eax
	movl %eax, 8(%ebx)
	addl $4096, %eax
	movl %eax, 16(%ebx)
	addl $4096, %eax
	movl %eax, 24(%ebx)

	/* high PDPT: entry 510 (-2 GiB) maps the first GiB again */
	movl $PHYS(boot_pdpt_high), %ebx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 510 * 8(%ebx)

	/* PML4: 0 identity, 256 direct map, 511 kernel image */
	movl $PHYS(boot_pml4), %ebx
	movl $PHYS(boot_pdpt_low) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%ebx)
	movl %eax, 256 * 8(%ebx)
	movl $PHYS(boot_pdpt_high) + (PTE_P | PTE_W), %eax
	movl %eax, 511 * 8(%ebx)

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	testl $(1 << 20), %ebp
	jz 2f
	orl $EFER_NXE, %eax
2:	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(boot_entry64)

boot_fail:
	/* not multiboot2 or no long mode: say so on COM1 and stop */
	movl $PHYS(boot_fail_msg), %esi
3:	lodsb
	testb %al, %al
	jz 4f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 3b
4:	hlt
	jmp 4b

	.code64
boot_entry64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_high, %rax
	jmp *%rax

	.section .text
boot_high:
	movabsq $kernel_stack_top, %rsp
	xorl %ebp, %ebp
	/* rdi = magic, rsi = multiboot info (physical), from the 32-bit part */
	call kernel_main
5:	cli
	hlt
	jmp 5b

	.section .boot.data, "aw"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff  /* 0x08: 64-bit code, ring 0 */
	.quad 0x00cf92000000ffff  /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
boot_fail_msg:
	.asciz "boot: not started by a Multiboot2 loader on a 64-bit CPU\r\n"

	.section .boot.bss, "aw", @nobits
	.align 4096
	.global boot_pml4
boot_pml4: .skip 4096
boot_pdpt_low: .skip 4096
boot_pdpt_high: .skip 4096
boot_pd: .skip 4 * 4096
boot_stack: .skip 4096
boot_stack_top:

	.section .bss
	.align 16
	.global kernel_stack_top
kernel_stack: .skip 16384
kernel_stack_top:

	.section .data
	.balign 8
	.global boot_entry_cycles
boot_entry_cycles:
	.quad 0
