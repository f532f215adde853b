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
#define MAX_SESSIONS 16 /* per child */
#define NAME_MAX 32
#define SERVICE_MAX 16 /* a service name, with its end */
#define PROVIDES_MAX 4 /* services per child */
#define DEVICES_MAX 4  /* <io_mem> and <irq> grants per child, each */

typedef struct init_child init_child_t;

typedef struct {
	cap_t cap;	    /* init's; the child holds a copy */
	uint64_t ram, caps; /* the donation: at init (core's sessions) or at the server */
	word_t badge;	    /* to recognise the copy the child sends back: core's or init's */
	int local;	    /* LOCAL_SIBLING or LOCAL_CONFIG: badge is init's */
	cap_t ds;	    /* LOCAL_CONFIG: the dataspace holding the child's <config> */
	/* LOCAL_SIBLING: a session of a sibling's service (sibling.c) */
	init_child_t *server;
	uint8_t want, sent; /* a request the server has yet to fetch; one it has not answered */
	uint8_t owed;	    /* closed, but the server did not give the donation back */
	uint64_t up_ram, up_caps;    /* donated more since the server last heard */
	uint64_t seq;		     /* requests go to the server in the order they came */
	char args[SESSION_ARGS_MAX]; /* the arguments the server's create gets */
} forwarded_t;

enum { LOCAL_SIBLING = 1, LOCAL_CONFIG = 2 }; /* a sibling's session; init's own ROM session */
#define CONFIG_BADGE (1ull << 56)	      /* | child index: a config ROM session of init's */

struct init_child {
	char name[NAME_MAX], binary[NAME_MAX];
	uint64_t ram, caps, prio;
	int running;
	char state[64];		  /* how it ended, for the resource table */
	const xml_node_t *config; /* its <config>, served as its ROM "config" */
	const xml_node_t *route;  /* its <route>, or 0 */
	struct {
		uint64_t base, size;
	} io_mem[DEVICES_MAX],	   /* <io_mem base size/>: the device memory it may open */
	    io_port[DEVICES_MAX];  /* <io_port base size/>: the I/O ports it may open */
	uint64_t irq[DEVICES_MAX]; /* <irq line/>: the interrupt lines it may open */
	unsigned io_mems, io_ports, irqs;
	pd_quota_t last;    /* its quota and use as it ended */
	uint64_t last_peak; /* the most RAM it had in use */
	child_t child;
	attached_ds_t rom; /* its binary, checked with the config, until child_create takes it */
	forwarded_t sessions[MAX_SESSIONS];
	char provides[PROVIDES_MAX][SERVICE_MAX];
	unsigned provided;
	cap_t requests; /* a server's: init submits it when it holds a session request */
};

typedef struct {
	char name[SERVICE_MAX];
	cap_t ep;	      /* the server's endpoint, whole: PD_MINT copies it */
	init_child_t *server; /* 0: not announced (yet, or any more) */
} announced_t;

typedef struct {
	env_t *env;
	xml_doc_t doc;
	init_child_t children[MAX_CHILDREN];
	unsigned count, running;
	char provides[8][SERVICE_MAX]; /* services of <parent-provides> */
	unsigned provided;
	announced_t services[MAX_CHILDREN * PROVIDES_MAX]; /* announced by children */
	word_t next_badge;   /* of sessions to children's services: below core's kinds */
	uint64_t next_seq;   /* of session requests queued for servers */
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
/* device_granted: a device request (IO_MEM, IO_PORT, IRQ) within c's grants: OK, DENIED,
 * INVALID_ARGS. */
err_t device_granted(const init_child_t *c, const char *service, const char *args);

/* ---- session.c: the parent requests of children ---- */
/* child_of: the running child whose parent capability carries badge, or 0. */
init_child_t *child_of(word_t badge);
/* close_forwarded: end one of c's sessions; 1 if its server has yet to answer (sibling.c). */
int close_forwarded(init_child_t *c, forwarded_t *f);
word_t session_open(rpc_server_t *s, word_t badge, msg_t *m);
word_t session_close(rpc_server_t *s, word_t badge, msg_t *m);
word_t session_upgrade(rpc_server_t *s, word_t badge, msg_t *m);
word_t rom_dataspace(rpc_server_t *s, word_t badge, msg_t *m);
/* relabel: args with the label prefixed by the child's name ("child -> label"). */
void relabel(const init_child_t *c, const char *args, const char *service, char *out, size_t size);

/* ---- sibling.c: children's services ---- */
word_t announce(rpc_server_t *s, word_t badge, msg_t *m);
word_t session_request(rpc_server_t *s, word_t badge, msg_t *m);
/* sibling_open: c's session of p's service: the reply to PARENT_SESSION_OPEN. */
word_t sibling_open(init_child_t *c, init_child_t *p, const char *service, const char *args,
		    forwarded_t *f, msg_t *m);
/* sibling_close: queue the close for the server; 1 if it has yet to answer. */
int sibling_close(init_child_t *c, forwarded_t *f);
/* sibling_upgrade: c donates more to the server of f. */
err_t sibling_upgrade(init_child_t *c, forwarded_t *f, uint64_t ram, uint64_t caps);
/* server_ended: p has been destroyed: its services go, its clients get their donations back. */
void server_ended(init_child_t *p);
