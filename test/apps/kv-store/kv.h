/*
 * run/init's "kv" service: each session holds a buffer of the size its
 * arguments ask for ("kv label=... size=BYTES ram_quota=..."), allocated
 * by the server from the session's donation; PUT writes four words into
 * it at an offset, GET reads them back.
 */
#pragma once

#include <core_proto.h>

enum kv_op {
	KV_PUT = 1, /* kv_req_t; words 1..4: the value */
	KV_GET = 2, /* kv_req_t; reply: the four words at offset */
};

typedef struct {
	word_t offset, w0, w1, w2;
} kv_req_t;
MSG_LAYOUT(kv_req_t);
