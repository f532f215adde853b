/*
 * run/init, a client of "kv": opens its session with the one session call
 * (size and donation from its <config>), writes and reads a value through
 * it, upgrades it, closes it, and checks that its quota is whole again. A
 * config with refuse="yes" first asks with too small a donation, which the
 * server refuses and whose donation comes back; one with doomed="yes"
 * has a thread fault while its request waits at the server.
 */
#include <env.h>
#include <log.h>
#include <mem.h>
#include <parent.h>
#include <rpc.h>
#include <xml.h>
#include "../kv-store/kv.h"

static unsigned failures;

static void check(env_t *env, int ok, const char *what)
{
	log_session_printf(env->log, "%s: %s", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

/* open: parent_session_open, waiting while the server has not announced "kv" yet. */
static err_t open(const char *args, cap_t *kv)
{
	err_t e;
	while ((e = parent_session_open(args, kv)) == ERR_NOT_FOUND)
		sys_yield();
	return e;
}

static uint8_t doom_stack[4096] __attribute__((aligned(16)));

/* doom: a thread that faults after a while: init ends the component wherever its main thread is */
static void doom(word_t arg, utcb_t *utcb)
{
	for (int i = 0; i < 200; i++)
		sys_yield();
	*(volatile int *)arg = 1; /* arg: an address nothing is attached at */
}

static uint64_t ram_quota(env_t *env)
{
	pd_quota_t q;
	pd_quota(env->pd, &q);
	return q.ram_quota;
}

int component_main(env_t *env)
{
	attached_ds_t rom;
	xml_doc_t doc;
	xml_error_t xe;
	uint64_t size = 0, donate = 0;
	bool refuse = false, doomed = false;
	allocator_t a = heap_allocator(&env->heap);
	if (attached_rom_ds(env, "config", &rom) != ERR_OK ||
	    xml_parse((const char *)rom.addr, rom.size, &a, 0, &doc, &xe) != ERR_OK) {
		log_session_printf(env->log, "FAIL: no config");
		return 1;
	}
	xml_attr_u64(doc.root, "size", 0, &size);
	xml_attr_u64(doc.root, "donate", 0, &donate);
	xml_attr_bool(doc.root, "refuse", false, &refuse);
	xml_attr_bool(doc.root, "doomed", false, &doomed);
	xml_free(&doc);
	attached_ds_release(env, &rom);

	uint64_t before = ram_quota(env);
	char args[96];
	cap_t kv;
	if (refuse) {
		format_buf(args, sizeof(args), "kv label=small size=%lu ram_quota=4096",
			   (unsigned long)size);
		err_t e = open(args, &kv);
		log_session_printf(env->log, "a session donating 4 KiB for %lu bytes: %s",
				   (unsigned long)size, err_name(e));
		check(env, e == ERR_OUT_OF_RAM, "refused by the server");
		check(env, ram_quota(env) == before, "the refused donation came back");
	}
	format_buf(args, sizeof(args), "kv label=buffer size=%lu ram_quota=%lu cap_quota=1",
		   (unsigned long)size, (unsigned long)donate);
	if (doomed) /* it ends while its request waits at the server */
		pd_thread(env->pd, doom, doom_stack + sizeof(doom_stack), PRIORITY_DEFAULT, 0x10);
	log_session_printf(env->log, "asking for a session of kv");
	err_t e = open(args, &kv);
	log_session_printf(env->log, "session with %lu KiB donated: %s",
			   (unsigned long)(donate >> 10), err_name(e));
	if (e != ERR_OK)
		return 1;
	check(env, ram_quota(env) == before - donate, "the donation left my quota");
	msg_t m = {0};
	*MSG_AS(&m, kv_req_t) = (kv_req_t){size - 24, 0x1234, before, donate};
	check(env, rpc_call(kv, KV_PUT, &m, MSG_WORDS_OF(kv_req_t), 0, 0) == ERR_OK,
	      "a value at the end of the buffer");
	m = (msg_t){0};
	*MSG_AS(&m, kv_req_t) = (kv_req_t){size - 24, 0, 0, 0};
	e = rpc_call(kv, KV_GET, &m, MSG_WORDS_OF(kv_req_t), 0, 0);
	check(env, e == ERR_OK && m.mr[1] == 0x1234 && m.mr[2] == before && m.mr[3] == donate,
	      "read back through the session");
	m = (msg_t){0};
	*MSG_AS(&m, kv_req_t) = (kv_req_t){size, 0, 0, 0};
	check(env, rpc_call(kv, KV_GET, &m, MSG_WORDS_OF(kv_req_t), 0, 0) == ERR_OUT_OF_RANGE,
	      "beyond the buffer: OUT_OF_RANGE");
	check(env, parent_session_upgrade(kv, 8192, 0) == ERR_OK, "upgraded by 8 KiB");
	check(env, ram_quota(env) == before - donate - 8192, "the upgrade left my quota");
	check(env, parent_session_close(kv) == ERR_OK, "closed");
	check(env, ram_quota(env) == before, "the whole donation came back");
	log_session_printf(env->log, "done, %u failures", failures);
	return failures ? 1 : 0;
}
