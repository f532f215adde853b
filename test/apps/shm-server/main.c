/*
 * run/shared_memory and run/ds_ownership, the owner: allocates a RAM
 * dataspace, writes into it, and hands its capability to clients of its
 * service "shm"; it checks what a client wrote and frees the dataspace on
 * request, and ends after answering SHM_FINISH. A table of operations
 * served by rpc_serve (lib/include/rpc.h).
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <service.h>
#include <rpc.h>
#include "shm.h"

typedef struct {
	env_t *env;
	attached_ds_t ds;
} shm_server_t;

static word_t shm_get(rpc_server_t *s, word_t badge, msg_t *m)
{
	shm_server_t *srv = s->obj;
	if (!srv->ds.ds)
		return MSG_INFO(ERR_INVALID_DATASPACE, 0, 0);
	sys_utcb()->send_caps[0] = srv->ds.ds;
	MSG_AS(m, shm_get_reply_t)->size = srv->ds.size;
	return MSG_INFO(0, MSG_WORDS_OF(shm_get_reply_t), 1);
}

static word_t shm_check(rpc_server_t *s, word_t badge, msg_t *m)
{
	shm_server_t *srv = s->obj;
	word_t off = MSG_AS(m, shm_check_req_t)->offset;
	int ok = srv->ds.ds && off < srv->ds.size - 32 &&
		 !strcmp((const char *)srv->ds.addr + off, "hello from the client");
	log_printf("shm-server: the client's words in my mapping: %s\n", ok ? "ok" : "FAIL");
	return MSG_INFO(ok ? 0 : ERR_INVALID_ARGS, 0, 0);
}

static word_t shm_free(rpc_server_t *s, word_t badge, msg_t *m)
{
	shm_server_t *srv = s->obj;
	if (srv->ds.ds) {
		attached_ds_release(srv->env,
				    &srv->ds); /* detaches it everywhere, also at the client */
		log_printf("shm-server: freed the dataspace\n");
	}
	return MSG_INFO(0, 0, 0);
}

static word_t shm_finish(rpc_server_t *s, word_t badge, msg_t *m)
{
	rpc_stop(s);
	return MSG_INFO(0, 0, 0);
}

/* Sessions: every one is welcome; the badge names it. */
static err_t create(service_t *svc, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	return ERR_OK;
}

static void close(service_t *svc, word_t badge)
{
}

static const service_ops_t accept_all = {create, 0, close};
static service_t svc;

static const rpc_op_t shm_ops[] = {
    {SHM_GET, shm_get}, {SHM_CHECK, shm_check}, {SHM_FREE, shm_free}, {SHM_FINISH, shm_finish}};

int component_main(env_t *env)
{
	cap_t ep;
	shm_server_t srv = {env, {0}};
	if (pd_alloc_endpoint(env->pd, &ep) != ERR_OK ||
	    attached_ram_ds(env, 4096, &srv.ds) != ERR_OK) {
		log_printf("shm-server: FAIL: set-up\n");
		return 1;
	}
	strcpy((char *)srv.ds.addr, "hello from the server");
	rpc_server_t s;
	rpc_server_init(&s, ep, RPC_OPS(shm_ops), &srv);
	s.service = &svc;
	if (service_announce(env, &svc, ep, "shm", &accept_all, 0) != ERR_OK) {
		log_printf("shm-server: FAIL: cannot announce\n");
		return 1;
	}
	err_t e = rpc_serve(&s);
	log_printf("shm-server: answered its last call, ending: %s\n", err_name(e));
	return e == ERR_OK ? 0 : 1;
}
