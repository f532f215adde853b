/*
 * The Multiboot2 header. GRUB finds it in the first 32 KiB of the image and
 * enters the kernel at boot_entry32 in 32-bit protected mode.
 */
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_TAG_END 0
#define MB2_TAG_ENTRY 3

	.section .multiboot, "a"
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* entry address tag: GRUB jumps here, not to the 64-bit ELF entry */
	.align 8
	.short MB2_TAG_ENTRY
	.short 0
	.long 12
	.long boot_entry32 - 0xffffffff80000000

	.align 8
	.short MB2_TAG_END
	.short 0
	.long 8
mb2_header_end:
