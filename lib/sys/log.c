/*
 * Text output. A component's goes through its LOG session, where core puts
 * the component's label in front of every line; core's own (it has no LOG
 * session) goes to the kernel log unlabelled, which only core may use.
 */
#include <log.h>
#include <sys.h>
#include <mem.h>
#include <core_proto.h>

#define LOG_LINE_MAX 1024				   /* longer output is cut */
#define LOG_PIECE 256					   /* what one SYS_DEBUG_LOG takes */
#define LOG_WRITE_MAX (UTCB_MR_COUNT * sizeof(word_t) - 1) /* what one LOG_WRITE takes */

static cap_t session; /* the component's LOG session, once env_init opened it */

void log_set_session(cap_t log)
{
	session = log;
}

/* write: one LOG_WRITE of n bytes of s. */
static void write(const char *s, size_t n)
{
	msg_t m = {0};
	char piece[LOG_WRITE_MAX + 1];
	memcpy(piece, s, n);
	piece[n] = 0;
	unsigned words = msg_put_string(&m, piece, UTCB_MR_COUNT);
	m.info = MSG_INFO(LOG_WRITE, words, 0);
	sys_call(session, &m);
}

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	size_t n = format_vbuf(buf, sizeof(buf), fmt, ap);
	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (!session) {
		for (size_t off = 0; off < n; off += LOG_PIECE)
			sys_debug_log(buf + off, n - off < LOG_PIECE ? n - off : LOG_PIECE);
		return;
	}
	for (size_t off = 0; off < n;) { /* pieces end at a line's end where one is near */
		size_t len = n - off < LOG_WRITE_MAX ? n - off : LOG_WRITE_MAX;
		for (size_t i = 0; i < len; i++)
			if (buf[off + i] == '\n') {
				len = i + 1;
				break;
			}
		write(buf + off, len);
		off += len;
	}
}

void log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}
