/* The LOG service ("LOG label=NAME"): lines on the console, labelled with their sender. */
#include "session.h"
#include <log.h>
#include <mem.h>

static err_t log_open(session_t *s, const char *args)
{
	return ERR_OK;
}

void log_labelled(const char *name, const char *label, char *text)
{
	for (char *p = text; *p; p++)
		if (((unsigned char)*p < 32 && *p != '\n' && *p != '\t') || *p == 127)
			*p = '?';
	size_t n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[--n] = 0;
	for (char *line = text, *end;; line = end + 1) {
		end = line;
		while (*end && *end != '\n')
			end++;
		int last = !*end;
		*end = 0;
		log_printf("[%s%s%s] %s\n", name, label[0] ? " -> " : "", label, line);
		if (last)
			break;
	}
}

static word_t log_write(session_t *s, msg_t *m)
{
	char text[UTCB_MR_COUNT * sizeof(word_t) + 1];
	msg_get_string(m, text, sizeof(text));
	log_labelled(s->client->name, s->label, text);
	return REPLY(ERR_OK);
}

static word_t log_request(session_t *s, unsigned op, msg_t *m)
{
	return op == LOG_WRITE ? log_write(s, m) : REPLY(ERR_UNKNOWN_OPCODE);
}

static void log_close(session_t *s)
{
}

const service_ops_t svc_log = {"LOG", sizeof(session_t), log_open, log_request, log_close};
