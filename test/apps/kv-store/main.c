/*
 * run/init, the server of "kv": a session's buffer is a RAM dataspace of
 * the size its arguments ask for, paid from its donation (a session that
 * donates less than the buffer takes is refused with OUT_OF_RAM, one
 * without a size with INVALID_ARGS). It serves until two sessions closed.
 */
#include <env.h>
#include <log.h>
#include <mem.h>
#include <rpc.h>
#include <service.h>
#include <session_args.h>
#include "kv.h"

#define SESSIONS 4

typedef struct {
	word_t badge;
	char label[48];
	attached_ds_t buf;
} kv_session_t;

static env_t *env;
static rpc_server_t rpc;
static service_t svc;
static kv_session_t sessions[SESSIONS];
static unsigned closed;

static kv_session_t *session_of(word_t badge)
{
	for (unsigned i = 0; i < SESSIONS; i++)
		if (badge && sessions[i].badge == badge)
			return &sessions[i];
	return 0;
}

static void report_quota(const char *when)
{
	pd_quota_t q;
	pd_quota(env->pd, &q);
	log_session_printf(env->log, "%s: RAM quota %lu KiB, caps %lu", when,
			   (unsigned long)(q.ram_quota >> 10), (unsigned long)q.cap_quota);
}

static err_t create(service_t *s, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	kv_session_t *k = session_of(0);
	for (unsigned i = 0; !k && i < SESSIONS; i++)
		if (!sessions[i].badge)
			k = &sessions[i];
	uint64_t size = args_number(args, "size", 0);
	char label[48] = "";
	args_string(args, "label", label, sizeof(label));
	err_t e = !k ? ERR_LIMIT : size == 0 ? ERR_INVALID_ARGS : ERR_OK;
	if (e == ERR_OK && (size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE > ram)
		e = ERR_OUT_OF_RAM; /* the buffer comes out of the donation: donate more */
	if (e == ERR_OK)
		e = attached_ram_ds(env, size, &k->buf);
	log_session_printf(env->log,
			   "session %lu for '%s', size %lu, %lu KiB and %lu caps donated: %s",
			   (unsigned long)badge, label, (unsigned long)size,
			   (unsigned long)(ram >> 10), (unsigned long)caps, err_name(e));
	if (e != ERR_OK)
		return e;
	k->badge = badge;
	memcpy(k->label, label, sizeof(label));
	report_quota("with the donation");
	return ERR_OK;
}

static void upgrade(service_t *s, word_t badge, uint64_t ram, uint64_t caps)
{
	kv_session_t *k = session_of(badge);
	log_session_printf(env->log, "session %lu for '%s' upgraded by %lu KiB and %lu caps",
			   (unsigned long)badge, k ? k->label : "?", (unsigned long)(ram >> 10),
			   (unsigned long)caps);
}

static void close(service_t *s, word_t badge)
{
	kv_session_t *k = session_of(badge);
	if (!k)
		return;
	attached_ds_release(env, &k->buf); /* the buffer's RAM: back in the donation */
	log_session_printf(env->log, "session %lu for '%s' closed", (unsigned long)badge, k->label);
	memset(k, 0, sizeof(*k));
	if (++closed == 2)
		rpc_stop(&rpc);
}

static const service_ops_t kv_service = {create, upgrade, close};

/* in_buffer: the request's four words fit the session's buffer. */
static kv_session_t *in_buffer(word_t badge, const kv_req_t *r)
{
	kv_session_t *k = session_of(badge);
	return k && r->offset % sizeof(word_t) == 0 && r->offset < k->buf.size &&
		       k->buf.size - r->offset >= 3 * sizeof(word_t)
		   ? k
		   : 0;
}

static word_t kv_put(rpc_server_t *s, word_t badge, msg_t *m)
{
	kv_req_t r = *MSG_AS(m, kv_req_t);
	kv_session_t *k = in_buffer(badge, &r);
	if (!k)
		return MSG_INFO(session_of(badge) ? ERR_OUT_OF_RANGE : ERR_INVALID_CAP, 0, 0);
	word_t *at = (word_t *)(k->buf.addr + r.offset);
	at[0] = r.w0, at[1] = r.w1, at[2] = r.w2;
	return MSG_INFO(0, 0, 0);
}

static word_t kv_get(rpc_server_t *s, word_t badge, msg_t *m)
{
	kv_req_t r = *MSG_AS(m, kv_req_t);
	kv_session_t *k = in_buffer(badge, &r);
	if (!k)
		return MSG_INFO(session_of(badge) ? ERR_OUT_OF_RANGE : ERR_INVALID_CAP, 0, 0);
	const word_t *at = (const word_t *)(k->buf.addr + r.offset);
	m->mr[0] = r.offset, m->mr[1] = at[0], m->mr[2] = at[1], m->mr[3] = at[2];
	return MSG_INFO(0, MSG_WORDS_OF(kv_req_t), 0);
}

static const rpc_op_t kv_ops[] = {{KV_PUT, kv_put}, {KV_GET, kv_get}};

int component_main(env_t *e)
{
	cap_t ep;
	env = e;
	err_t r = pd_alloc_endpoint(env->pd, &ep);
	rpc_server_init(&rpc, ep, RPC_OPS(kv_ops), 0);
	rpc.service = &svc;
	report_quota("before any session"); /* donations arrive once it is announced */
	if (r == ERR_OK)
		r = service_announce(env, &svc, ep, "kv", &kv_service, 0);
	if (r != ERR_OK) {
		log_session_printf(env->log, "cannot serve: %s", err_name(r));
		return 1;
	}
	r = rpc_serve(&rpc);
	report_quota("after both sessions closed");
	return r == ERR_OK ? 0 : 1;
}
