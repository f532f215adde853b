/*
 * Internal to core's sessions: the record every session begins with and
 * the operations table each service provides, one service a file
 * (svc_*.c). A new service is one file and one line in session.c's list.
 */
#pragma once

#include "core.h"

struct session {
	reg_node_t reg; /* its badge: the capability's */
	const struct service_ops *ops;
	component_t *client;
	session_t *next; /* in client->sessions */
	account_t *acct; /* what it may spend: own, or the client's for its PD */
	account_t own;	 /* funded by the quota donated with the session */
	records_t records_ctx;
	allocator_t records; /* its records, charged to acct */
	cap_t cap;
	uint8_t permanent; /* lives as long as the component: cannot be closed */
	char label[48];
};

typedef struct service_ops {
	const char *name;
	size_t size; /* of the service's record, which begins with session_t */
	/* open: the service's part of opening s with args; undone by the caller on error. */
	err_t (*open)(session_t *s, const char *args);
	/* request: one call on s; the reply info. */
	word_t (*request)(session_t *s, unsigned op, msg_t *m);
	/* close: give back what open and the requests took (not the record itself). */
	void (*close)(session_t *s);
} service_ops_t;

extern const service_ops_t svc_pd, svc_rm, svc_rom, svc_io_mem, svc_io_port, svc_irq, svc_log;

/* pd_of: the component whose PD session s is, or NULL (s is of another service). */
component_t *pd_of(session_t *s);

/* session_lookup: the session named by badge, or NULL (closed, forged, other kind). */
session_t *session_lookup(word_t badge);

/*
 * session_new: a session of ops for c, paying from acct (NULL: an account
 * funded by ram and caps from c's quota; its records then in frames of its
 * own, charged to that account), and its capability. OUT_OF_RAM,
 * OUT_OF_CAPS; nothing is charged on failure.
 */
err_t session_new(component_t *c, const service_ops_t *ops, account_t *acct, uint64_t ram,
		  uint64_t caps, session_t **out);
/* session_free: close s and give back all it held, its donation to the client. */
void session_free(session_t *s);

/* REPLY: the reply info of an answer that is only an error. */
#define REPLY(e) MSG_INFO((e), 0, 0)

/* Device policy (devices.c): ranges no component gets, and what touches RAM. */
int device_ports_denied(uint64_t base, uint64_t size);
int device_mmio_denied(uint64_t base, uint64_t size);

/* A range of a device one session holds exclusively, in the set of its service. */
typedef struct device_range {
	struct device_range *next;
	uint64_t base, size;
} device_range_t;
/* device_range_claim: add r = [base, base + size) to set. BUSY if another session holds part. */
err_t device_range_claim(device_range_t **set, device_range_t *r, uint64_t base, uint64_t size);
void device_range_release(device_range_t **set, device_range_t *r);

/* pd_session_bind: s is the PD session of pd (its own, made at its start). */
void pd_session_bind(session_t *s, component_t *pd);

/* rm_session_of_aspace: s (an RM session the PD session made) stands for aspace. */
void rm_session_of_aspace(session_t *s, rm_t *aspace);

/* ds_session_reply: the reply with the dataspace of a ROM or IO_MEM session and its size. */
word_t ds_session_reply(session_t *s, dataspace_t *ds, uint64_t size, msg_t *m);
