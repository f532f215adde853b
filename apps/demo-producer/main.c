/*
 * The demo's producer: allocates a RAM dataspace, attaches it to its own
 * region map, writes a text into it and serves it as the "mailbox" service.
 * A client gets the dataspace capability, attaches it where its own region
 * map has room, reads the text and writes an answer, which the producer
 * then reads through its own mapping: one dataspace, two addresses, one
 * memory. Its clients open their sessions with parent_session_open like
 * any other; it serves until two sessions have come and gone.
 */
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include <service.h>
#include <session_args.h>
#include "mailbox.h"

#define SESSIONS 4

typedef struct {
	env_t *env;
	attached_ds_t ds;
	rpc_server_t rpc;
	struct {
		word_t badge;
		char label[48];
	} session[SESSIONS];
	unsigned closed;
} producer_t;

/* session_of: the client's record, or -1: a call on no session of ours. */
static int session_of(producer_t *p, word_t badge)
{
	for (int i = 0; i < SESSIONS; i++)
		if (badge && p->session[i].badge == badge)
			return i;
	return -1;
}

static err_t create(service_t *svc, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	producer_t *p = svc->obj;
	int i;
	for (i = 0; i < SESSIONS && p->session[i].badge; i++)
		;
	if (ram < MAILBOX_RAM_MIN)
		return ERR_OUT_OF_RAM; /* donate more */
	if (i == SESSIONS)
		return ERR_LIMIT;
	p->session[i].badge = badge;
	args_string(args, "label", p->session[i].label, sizeof(p->session[i].label));
	log_session_printf(p->env->log, "session %lu for '%s', %lu KiB and %lu caps donated",
			   (unsigned long)badge, p->session[i].label, (unsigned long)(ram >> 10),
			   (unsigned long)caps);
	return ERR_OK;
}

static void close(service_t *svc, word_t badge)
{
	producer_t *p = svc->obj;
	int i = session_of(p, badge);
	if (i < 0)
		return;
	log_session_printf(p->env->log, "session %lu for '%s' closed", (unsigned long)badge,
			   p->session[i].label);
	p->session[i].badge = 0;
	if (++p->closed == 2)
		rpc_stop(&p->rpc); /* both clients came and went */
}

static const service_ops_t mailbox_service = {create, 0, close};

static word_t mailbox_get(rpc_server_t *s, word_t badge, msg_t *m)
{
	producer_t *p = s->obj;
	if (session_of(p, badge) < 0)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	sys_utcb()->send_caps[0] =
	    p->ds.ds; /* a copy travels; the dataspace stays the producer's */
	MSG_AS(m, mailbox_get_reply_t)->size = p->ds.size;
	MSG_AS(m, mailbox_get_reply_t)->session = badge;
	return MSG_INFO(0, MSG_WORDS_OF(mailbox_get_reply_t), 1);
}

static word_t mailbox_read(rpc_server_t *s, word_t badge, msg_t *m)
{
	producer_t *p = s->obj;
	int i = session_of(p, badge);
	if (i < 0)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	char answer[64];
	memcpy(answer, (const char *)p->ds.addr + MAILBOX_ANSWER_AT, sizeof(answer) - 1);
	answer[sizeof(answer) - 1] = 0;
	log_session_printf(
	    p->env->log, "client %lu ('%s') wrote, I read at my address 0x%lx: \"%s\"",
	    (unsigned long)badge, p->session[i].label, p->ds.addr + MAILBOX_ANSWER_AT, answer);
	return MSG_INFO(0, 0, 0);
}

static const rpc_op_t mailbox_ops[] = {{MAILBOX_GET, mailbox_get}, {MAILBOX_READ, mailbox_read}};

int component_main(env_t *env)
{
	static producer_t p;
	static service_t svc;
	cap_t ep;
	p.env = env;
	err_t e = attached_ram_ds(env, 4096, &p.ds);
	if (e == ERR_OK)
		e = pd_alloc_endpoint(env->pd, &ep);
	if (e != ERR_OK) {
		log_session_printf(env->log, "cannot set up: %s", err_name(e));
		return 1;
	}
	strcpy((char *)p.ds.addr, "the producer's text, written before anyone attached it");
	log_session_printf(env->log, "a 4 KiB RAM dataspace, attached at my address 0x%lx, filled",
			   p.ds.addr);
	rpc_server_init(&p.rpc, ep, RPC_OPS(mailbox_ops), &p);
	p.rpc.service = &svc; /* rpc_serve hands it the session protocol's calls */
	if ((e = service_announce(env, &svc, ep, "mailbox", &mailbox_service, &p)) != ERR_OK) {
		log_session_printf(env->log, "cannot announce: %s", err_name(e));
		return 1;
	}
	e = rpc_serve(&p.rpc);
	attached_ds_release(env, &p.ds); /* detached everywhere, the RAM back in the quota */
	log_session_printf(env->log, "both sessions closed; dataspace freed");
	return e == ERR_OK ? 0 : 1;
}
