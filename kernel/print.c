/* Kernel console output: formats straight into the arch console. */
#include <print.h>
#include <arch.h>

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		arch_console_putc('\r');
	arch_console_putc(c);
}

void kvprintf(const char *fmt, va_list args)
{
	format_v(console_sink, 0, fmt, args);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
