/*
 * Kernel entry after the switch to long mode: bring up the console and the
 * CPU tables, report what the boot loader handed over, then start core.
 */
#include <arch.h>
#include <kstring.h>
#include <panic.h>
#include <print.h>
#include <abi/bootinfo.h>
#include <frame.h>
#include <sched.h>
#include <vm.h>

#define TIMER_HZ 100

void core_start(bootinfo_t *bi);

static bootinfo_t boot_info __attribute__((aligned(4096)));

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOTINFO_MEM_AVAILABLE: return "available";
	case BOOTINFO_MEM_ACPI: return "ACPI";
	case BOOTINFO_MEM_NVS: return "ACPI NVS";
	case BOOTINFO_MEM_BAD: return "bad";
	default: return "reserved";
	}
}

static void report_boot_info(const bootinfo_t *bi)
{
	kprintf("command line: '%s'\n", bi->cmdline);
	kprintf("memory map:\n");
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		kprintf("  [%016lx-%016lx) %8lu KiB %s\n", m->base, m->base + m->size,
			m->size >> 10, mem_type_name(m->type));
	}
	kprintf("boot modules: %u\n", bi->module_count);
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const bootinfo_module_t *m = &bi->modules[i];
		kprintf("  [%016lx-%016lx) %8lu bytes %s\n", m->base, m->base + m->size, m->size,
			m->name);
	}
}

/* A deliberate kernel fault for run/panic: a write through a null pointer. */
static volatile uint64_t panic_test_address = 0x10;

__attribute__((noinline)) static void panic_test_fault(void)
{
	*(volatile uint64_t *)panic_test_address = 0xdead;
}

void kernel_main(uint64_t loader_magic, uint64_t loader_info)
{
	arch_init_early(loader_magic, loader_info, &boot_info);
	kprintf("\nKernel: x86_64 microkernel booting\n");
	kprintf("kernel: entered at cycle %lu\n", arch_boot_cycles());
	report_boot_info(&boot_info);
	if (str_has_word(boot_info.cmdline, "test=panic"))
		panic_test_fault();
	vm_init(&boot_info);
	frame_init(&boot_info);
	sched_init();
	core_start(&boot_info);
	arch_init_late(TIMER_HZ);
	sched_idle();
}
