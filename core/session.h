/* Internal to core's session code: the session record and its lookup. */
#pragma once

#include "core.h"

#define MAX_SESSIONS 256
#define SESSION_RAM_MIN 4096 /* every session must bring at least this much */

enum service { SVC_PD = 1, SVC_RM, SVC_ROM, SVC_IO_MEM, SVC_IO_PORT, SVC_IRQ, SVC_LOG };

typedef struct {
	uint32_t index, gen;
	uint8_t type;
	uint8_t rm_owned;
	component_t *client;
	uint64_t ram_quota, cap_quota;
	cap_t cap;
	rm_t *rm;
	dataspace_t *ds;
	uint64_t base, size;
	cap_t irq, sig;
	paddr_t irq_frame, sig_frame; /* given back to the allocator when the session closes */
	char label[48];
	cap_t aspace_cap; /* PD sessions: the RM capability of the address space */
} session_t;

/* session_lookup: the session named by badge, or NULL (closed, forged, other kind). */
session_t *session_lookup(word_t badge);

/* session_new: a record of type for c, charged with the donated quota, and its capability. */
err_t session_new(component_t *c, uint8_t type, uint64_t ram, uint64_t caps, session_t **out);
