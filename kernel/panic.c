/* panic: print the reason and a backtrace, then end the run with a failure. */
#include <panic.h>
#include <print.h>
#include <arch.h>

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	arch_backtrace(arch_current_fp());
	arch_exit(EXIT_PANIC_CODE);
}
