/*
 * The demo's "mailbox" service: the producer hands a RAM dataspace it
 * filled to its clients, who attach it and write an answer into it.
 */
#pragma once

#include <core_proto.h>

enum mailbox_op {
	MAILBOX_GET = 1, /* reply: the dataspace capability; mailbox_get_reply_t */
	MAILBOX_READ =
	    2, /* the client wrote its answer at MAILBOX_ANSWER_AT: the producer reads it */
};

#define MAILBOX_ANSWER_AT 2048 /* where a client writes, inside the dataspace */

#define MAILBOX_RAM_MIN 4096 /* a session must donate this much: the producer's record of it */

typedef struct {
	word_t size;	/* of the dataspace */
	word_t session; /* the session's number at the producer */
} mailbox_get_reply_t;
MSG_LAYOUT(mailbox_get_reply_t);
