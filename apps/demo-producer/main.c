/*
 * The demo's producer: allocates a RAM dataspace, attaches it to its own
 * region map, writes a text into it and serves it as the "mailbox" service.
 * A client gets the dataspace capability, attaches it where its own region
 * map has room, reads the text and writes an answer, which the producer
 * then reads through its own mapping: one dataspace, two addresses, one
 * memory. It serves until its clients are done (two MAILBOX_READs).
 */
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include "mailbox.h"

typedef struct {
	env_t *env;
	attached_ds_t ds;
	unsigned answers;
} producer_t;

static word_t mailbox_get(rpc_server_t *s, word_t badge, msg_t *m)
{
	producer_t *p = s->obj;
	sys_utcb()->send_caps[0] =
	    p->ds.ds; /* a copy travels; the dataspace stays the producer's */
	MSG_AS(m, mailbox_get_reply_t)->size = p->ds.size;
	return MSG_INFO(0, MSG_WORDS_OF(mailbox_get_reply_t), 1);
}

static word_t mailbox_read(rpc_server_t *s, word_t badge, msg_t *m)
{
	producer_t *p = s->obj;
	char answer[64];
	memcpy(answer, (const char *)p->ds.addr + MAILBOX_ANSWER_AT, sizeof(answer) - 1);
	answer[sizeof(answer) - 1] = 0;
	log_session_printf(p->env->log, "client %lu wrote, I read at my address 0x%lx: \"%s\"",
			   (unsigned long)badge, p->ds.addr + MAILBOX_ANSWER_AT, answer);
	if (++p->answers == 2)
		rpc_stop(s);
	return MSG_INFO(0, 0, 0);
}

static const rpc_op_t mailbox_ops[] = {{MAILBOX_GET, mailbox_get}, {MAILBOX_READ, mailbox_read}};

int component_main(env_t *env)
{
	producer_t p = {env, {0}, 0};
	cap_t ep;
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
	msg_t m = {.info = MSG_INFO(0, 0, 1)};
	sys_utcb()->send_caps[0] = ep;
	if ((e = parent_request_string(PARENT_ANNOUNCE, "mailbox", &m)) != ERR_OK) {
		log_session_printf(env->log, "cannot announce: %s", err_name(e));
		return 1;
	}
	rpc_server_t s;
	rpc_server_init(&s, ep, RPC_OPS(mailbox_ops), &p);
	e = rpc_serve(&s);
	attached_ds_release(env, &p.ds); /* detached everywhere, the RAM back in the quota */
	log_session_printf(env->log, "both clients answered; dataspace freed");
	return e == ERR_OK ? 0 : 1;
}
