/* Component text output: format a line, hand it to the kernel log in pieces. */
#include <log.h>
#include <sys.h>
#include <mem.h>

#define LOG_LINE_MAX 1024 /* longer output is cut */
#define LOG_PIECE 256	  /* what one SYS_DEBUG_LOG takes */

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	size_t n = format_vbuf(buf, sizeof(buf), fmt, ap);
	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	for (size_t off = 0; off < n; off += LOG_PIECE)
		sys_debug_log(buf + off, n - off < LOG_PIECE ? n - off : LOG_PIECE);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}
