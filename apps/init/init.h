/*
 * init's parts: its state, one record per child of its config, and what
 * the parts call of each other. main.c starts the children and ends them,
 * config.c reads and checks the config and answers where a request may
 * go (routes, device grants), session.c serves the children's parent
 * requests (sessions, services, their config ROM).
 */
#pragma once

#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include <child.h>
#include <xml.h>
#include <session_args.h>

#define MAX_CHILDREN 16
#define MAX_SESSIONS 8 /* per child */
#define NAME_MAX 32
#define SERVICE_MAX 16 /* a service name, with its end */
#define PROVIDES_MAX 4 /* services per child */
#define DEVICES_MAX 4  /* <io_mem> and <irq> grants per child, each */

typedef struct {
	cap_t cap; /* init's; the child holds a copy */
	uint64_t ram, caps;
	word_t badge; /* to recognise the copy the child sends back: core's */
	int local;    /* LOCAL_COPY or LOCAL_CONFIG: badge is init's */
	cap_t ds;     /* LOCAL_CONFIG: the dataspace holding the child's <config> */
} forwarded_t;

enum { LOCAL_COPY = 1, LOCAL_CONFIG = 2 }; /* a sibling's endpoint; init's own ROM session */
#define CONFIG_BADGE (1ull << 56)	   /* | child index: a config ROM session of init's */

typedef struct {
	char name[NAME_MAX], binary[NAME_MAX];
	uint64_t ram, caps, prio;
	int running;
	char state[64];		  /* how it ended, for the resource table */
	const xml_node_t *config; /* its <config>, served as its ROM "config" */
	const xml_node_t *route;  /* its <route>, or 0 */
	struct {
		uint64_t base, size;
	} io_mem[DEVICES_MAX];	   /* <io_mem base size/>: the device memory it may open */
	uint64_t irq[DEVICES_MAX]; /* <irq line/>: the interrupt lines it may open */
	unsigned io_mems, irqs;
	pd_quota_t last;    /* its quota and use as it ended */
	uint64_t last_peak; /* the most RAM it had in use */
	child_t child;
	forwarded_t sessions[MAX_SESSIONS];
	char provides[PROVIDES_MAX][SERVICE_MAX];
	unsigned provided;
} init_child_t;

typedef struct {
	char name[SERVICE_MAX];
	cap_t ep;	      /* the server's endpoint, whole: PD_MINT copies it */
	init_child_t *server; /* 0: not announced (yet, or any more) */
} service_t;

typedef struct {
	env_t *env;
	xml_doc_t doc;
	init_child_t children[MAX_CHILDREN];
	unsigned count, running;
	char provides[8][SERVICE_MAX]; /* services of <parent-provides> */
	unsigned provided;
	service_t services[MAX_CHILDREN * PROVIDES_MAX]; /* announced by children */
	word_t next_badge;   /* of sessions to children's services: below core's kinds */
	cap_t ep, fault_sig; /* init's endpoint; core submits the signal on a child's fault */
	attached_ds_t config_rom;
	const xml_node_t *default_route; /* <default-route>, or 0 */
	bool report_cycles;		 /* <report cycles="yes"/>: rdtsc at each start */
	bool report_resources; /* <report resources="yes"/>: the table once all have ended */
} init_t;

extern init_t init;

/* ---- config.c ---- */
/* read_config: all of it understood, or nothing started (the error is logged). */
err_t read_config(env_t *env);
/* provider_of: the child whose <provides> lists service, or 0. */
init_child_t *provider_of(const char *service);
/*
 * A <start>'s <route>, or where it has none <default-route>: see route_of.
 * ROUTE_BY_NAME: the config has no routes at all.
 */
typedef enum { ROUTE_BY_NAME, ROUTE_DENIED, ROUTE_PARENT, ROUTE_CHILD, ROUTE_ANY_CHILD } route_t;
/* route_of: where c's request for service goes; *to the child of ROUTE_CHILD. */
route_t route_of(const init_child_t *c, const char *service, init_child_t **to);
/* device_granted: a device request (IO_MEM, IRQ) within c's grants; never IO_PORT. */
int device_granted(const init_child_t *c, const char *service, const char *args);

/* ---- session.c: the parent requests of children ---- */
/* child_of: the running child whose parent capability carries badge, or 0. */
init_child_t *child_of(word_t badge);
/* close_forwarded: end one of c's sessions and give c its donation back. */
void close_forwarded(init_child_t *c, forwarded_t *f);
word_t session_open(rpc_server_t *s, word_t badge, msg_t *m);
word_t session_close(rpc_server_t *s, word_t badge, msg_t *m);
word_t announce(rpc_server_t *s, word_t badge, msg_t *m);
word_t session(rpc_server_t *s, word_t badge, msg_t *m);
word_t rom_dataspace(rpc_server_t *s, word_t badge, msg_t *m);
