/* Component text output: format a line, hand it to the kernel log. */
#include <log.h>
#include <sys.h>
#include <mem.h>

#define LINE_MAX 256

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[LINE_MAX];
	size_t n = format_vbuf(buf, sizeof(buf), fmt, ap);
	sys_debug_log(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}
