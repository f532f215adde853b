/*
 * Component entry: the creator sets rsp and passes one argument in rdi.
 * Call component_entry(arg); if it returns, exit through the parent.
 */
	.text
	.global _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call component_entry
	movq %rax, %rdi
	call component_exit
1:	jmp 1b
