/*
 * The parent protocol between a component and its parent (core, later
 * init): requests are calls on the parent capability (SLOT_PARENT) with a
 * label from this list; strings travel packed in message words.
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <sys.h>

enum parent_label {
	PARENT_LOG = 1,	     /* mr: packed text; logged with the component's label */
	PARENT_EXIT = 2,     /* mr0: exit code */
	PARENT_ANNOUNCE = 6, /* mr: service name; cap: the service's endpoint; reply: a signal */
};

/* parent_log: print text with the component's label. */
err_t parent_log(const char *text);

/* component_exit: end the component with code (its parent learns it); does not return. */
_Noreturn void component_exit(int code);

/* parent_request: call the parent with label and up to four words; the reply replaces m. */
err_t parent_request(unsigned label, msg_t *m);

#define PARENT_STRING_WORDS 8 /* service names and log lines: at most 63 characters */

/* parent_request_string: a request whose words are the string s; INVALID_ARGS if too long. */
err_t parent_request_string(unsigned label, const char *s, msg_t *m);

/*
 * parent_session_await: parent_session_open, waiting (yielding) while the
 * answer is NOT_FOUND: a sibling's service its server has not announced
 * yet. The capability, 0 on another error. Blocks for as long as nobody
 * announces the service.
 */
cap_t parent_session_await(const char *args);
