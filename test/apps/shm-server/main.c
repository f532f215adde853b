/*
 * run/shared_memory and run/ds_ownership, the owner: allocates a RAM
 * dataspace, writes into it, and hands its capability to clients of its
 * service "shm"; it checks what a client wrote and frees the dataspace on
 * request.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

enum { OP_GET = 1, OP_CHECK = 2, OP_FREE = 3 };

static word_t serve_one(env_t *env, attached_ds_t *ds, msg_t *m)
{
	switch (MSG_LABEL(m->info)) {
	case OP_GET: sys_utcb()->send_caps[0] = ds->ds; return MSG_INFO(0, 0, 1);
	case OP_CHECK: {
		int ok = !strcmp((const char *)ds->addr + 512, "hello from the client");
		log_printf("shm-server: the client's words in my mapping: %s\n",
			   ok ? "ok" : "FAIL");
		return MSG_INFO(ok ? 0 : ERR_INVALID_ARGS, 0, 0);
	}
	case OP_FREE: {
		err_t e = ERR_OK;
		if (ds->ds) {
			attached_ds_release(env,
					    ds); /* detaches it everywhere, also at the client */
			log_printf("shm-server: freed the dataspace\n");
		}
		return MSG_INFO(e, 0, 0);
	}
	default: return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
	}
}

int component_main(env_t *env)
{
	cap_t ep;
	attached_ds_t ds;
	if (pd_alloc_endpoint(env->pd, &ep) != ERR_OK ||
	    attached_ram_ds(env, 4096, &ds) != ERR_OK) {
		log_printf("shm-server: FAIL: set-up\n");
		return 1;
	}
	strcpy((char *)ds.addr, "hello from the server");
	msg_t m = {.info = MSG_INFO(0, 0, 1)};
	sys_utcb()->send_caps[0] = ep;
	parent_request_string(PARENT_ANNOUNCE, "shm", &m);
	m.info = SYS_NO_REPLY;
	for (;;) {
		if (sys_reply_wait(ep, &m) != ERR_OK) {
			m.info = SYS_NO_REPLY;
			continue;
		}
		m.info = serve_one(env, &ds, &m);
	}
}
