/* x86_64 early init, machine exit, backtraces. */
#include "cpu.h"
#include "x86.h"
#include <arch.h>
#include <ksyms.h>
#include <print.h>

#define DEBUG_EXIT_PORT 0xf4

extern uint64_t boot_pml4[512];
extern const char kernel_image_start[], kernel_image_end[];

void arch_init_early(uint64_t loader_magic, uint64_t loader_info, bootinfo_t *bi)
{
	serial_init();
	gdt_init();
	idt_init();
	multiboot_parse(loader_magic, loader_info, bi);
	bi->vga_text_phys = 0xb8000;
	bi->kernel_start = vm_virt_to_phys(kernel_image_start);
	bi->kernel_end = vm_virt_to_phys(kernel_image_end);
	/* the identity map was only needed to reach the higher half */
	boot_pml4[0] = 0;
	write_cr3(read_cr3());
}

void arch_init_late(unsigned timer_hz)
{
	cpu_syscall_init();
	fpu_init();
	pic_init();
	pit_init(timer_hz);
}

void arch_exit(unsigned code)
{
	outl(DEBUG_EXIT_PORT, code);
	arch_halt_forever(); /* no debug-exit device: just stop */
}

void arch_page_zero(void *page)
{
	uint64_t words = PAGE_SIZE / 8;
	__asm__ volatile("rep stosq" : "+D"(page), "+c"(words) : "a"(0ull) : "memory");
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

extern uint64_t boot_entry_cycles; /* written by boot/entry.S */

uint64_t arch_boot_cycles(void)
{
	return boot_entry_cycles;
}

uint64_t arch_current_fp(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

void arch_print_frame_line(uint64_t ip)
{
	uint64_t off;
	const char *name = ksyms_lookup(ip, &off);
	if (name)
		kprintf("  %016lx %s+0x%lx\n", ip, name, off);
	else
		kprintf("  %016lx ?\n", ip);
}

/* Walk saved rbp chains; stop at the first frame outside the kernel half. */
void arch_backtrace(uint64_t fp)
{
	for (int depth = 0; depth < 32; depth++) {
		if (fp < ARCH_KERNEL_VBASE || (fp & 7))
			break;
		const uint64_t *frame = (const uint64_t *)fp;
		uint64_t ret = frame[1];
		if (ret < ARCH_KERNEL_VBASE)
			break;
		arch_print_frame_line(ret - 1); /* inside the call instruction */
		fp = frame[0];
	}
}
