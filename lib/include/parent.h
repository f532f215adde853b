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
	PARENT_LOG = 1,		   /* mr: packed text; logged with the component's label */
	PARENT_EXIT = 2,	   /* mr0: exit code */
	PARENT_ALLOC_ENDPOINT = 3, /* reply: an endpoint capability (send and receive) */
	PARENT_ALLOC_SIGNAL = 4,   /* reply: a signal capability */
	PARENT_THREAD = 5,	   /* mr0 ip, mr1 sp, mr2 priority, mr3 arg: a new thread */
	PARENT_ANNOUNCE = 6,	   /* mr: service name; cap: the service's endpoint */
	PARENT_SESSION = 7,	   /* mr: service name; reply: a badged capability */
	PARENT_ECHO = 10,	   /* reply with the same words (IPC measurements) */
	PARENT_DEMAND_ZERO = 11,   /* reply mr0/mr1: base and size of a demand-paged area */
};

/* parent_log: print text with the component's label. */
err_t parent_log(const char *text);

/* parent_exit: end the component; does not return. */
_Noreturn void component_exit(int code);

/* parent_request: call the parent with label and up to four words; the reply replaces m. */
err_t parent_request(unsigned label, msg_t *m);

/* parent_alloc: a request whose reply carries capabilities; the first lands in *cap. */
err_t parent_alloc(unsigned label, word_t arg, cap_t *cap);

/* parent_request_string: a request whose words are the string s (service names). */
err_t parent_request_string(unsigned label, const char *s, msg_t *m);

/* parent_thread: start entry(arg, utcb) on stack top sp with priority prio. */
err_t parent_thread(void (*entry)(word_t, utcb_t *), void *sp, unsigned prio, word_t arg);

/* parent_pack / parent_unpack: a string in message words (at most 8 words). */
unsigned parent_pack(word_t *mr, const char *s);
void parent_unpack(const word_t *mr, unsigned words, char *out, size_t size);
