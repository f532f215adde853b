/*
 * The protocol of the "shm" service of test-shm-server, shared by the
 * server and its client (test-shm-client): the operations and the layout
 * of their words.
 */
#pragma once

#include <core_proto.h>

enum shm_op {
	SHM_GET = 1,	/* reply: the dataspace's capability, shm_get_reply_t */
	SHM_CHECK = 2,	/* shm_check_req_t: the client wrote its words there */
	SHM_FREE = 3,	/* the server frees the dataspace (detached everywhere) */
	SHM_FINISH = 4, /* the server answers, then ends */
};

typedef struct {
	word_t size;
} shm_get_reply_t;
typedef struct {
	word_t offset;
} shm_check_req_t;
MSG_LAYOUT(shm_get_reply_t);
MSG_LAYOUT(shm_check_req_t);
