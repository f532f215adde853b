/*
 * run/shared_memory and run/ds_ownership, the client: receives the
 * server's dataspace through a session, attaches it, reads the server's
 * words and writes its own; it cannot free a dataspace it does not own, and
 * once the owner frees it, the client's mapping is gone too.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>
#include <xml.h>
#include <rpc.h>
#include "../shm-server/shm.h"

static volatile char *shared;
static uint8_t stack[16384] __attribute__((aligned(16)));
static unsigned failures;

static void check(int ok, const char *what)
{
	log_printf("shm-client: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

/* The client stubs of the "shm" protocol (shm.h). */
static err_t shm_get(cap_t s, cap_t *ds, uint64_t *size)
{
	msg_t m = {0};
	err_t e = rpc_call(s, SHM_GET, &m, 0, 0, ds);
	*size = e == ERR_OK ? MSG_AS(&m, shm_get_reply_t)->size : 0;
	return e;
}

static err_t shm_check(cap_t s, word_t offset)
{
	msg_t m = {0};
	MSG_AS(&m, shm_check_req_t)->offset = offset;
	return rpc_call(s, SHM_CHECK, &m, MSG_WORDS_OF(shm_check_req_t), 0, 0);
}

static err_t shm_simple(cap_t s, unsigned op)
{
	msg_t m = {0};
	return rpc_call(s, op, &m, 0, 0, 0);
}

/* late_read: the config says <config late_read="yes"/>: a thread reads the freed dataspace. */
static bool late_read(env_t *env)
{
	attached_ds_t rom;
	xml_doc_t doc;
	xml_error_t xe;
	bool yes = false;
	if (attached_rom_ds(env, "config", &rom) != ERR_OK)
		return false;
	allocator_t a = heap_allocator(&env->heap);
	if (xml_parse((const char *)rom.addr, rom.size, &a, 0, &doc, &xe) == ERR_OK) {
		xml_attr_bool(doc.root, "late_read", false, &yes);
		xml_free(&doc);
	}
	attached_ds_release(env, &rom);
	return yes;
}

static void late_reader(word_t arg, utcb_t *utcb)
{
	log_printf("shm-client: reading the freed dataspace at %p\n", (void *)shared);
	log_printf("shm-client: FAIL: still readable: %c\n", shared[0]);
	for (;;)
		sys_yield();
}

int component_main(env_t *env)
{
	cap_t s = parent_session_await("shm label=client"), ds;
	uint64_t size;
	check(shm_get(s, &ds, &size) == ERR_OK && ds && size == 4096,
	      "received the server's dataspace");
	attached_ds_t mine; /* the attached-dataspace helper for a capability received */
	check(attached_received_ds(env, ds, RM_WRITEABLE, &mine) == ERR_OK && mine.size == 4096,
	      "attached it");
	vaddr_t addr = mine.addr;
	shared = (volatile char *)addr;
	check(!strcmp((const char *)addr, "hello from the server"),
	      "the server's words in my mapping");
	strcpy((char *)addr + 512, "hello from the client");
	check(shm_check(s, 512) == ERR_OK, "the server sees my words");

	attached_ds_t rom, wrong; /* a boot module: core's read-only ROM dataspace */
	if (attached_rom_ds(env, "test-shm-client", &rom) == ERR_OK) {
		check(attached_received_ds(env, rom.ds, RM_WRITEABLE, &wrong) == ERR_INVALID_ARGS,
		      "a read-only dataspace attached writeable: INVALID_ARGS");
		attached_ds_release(env, &rom);
	}
	err_t e = pd_free(env->pd, ds);
	log_printf("shm-client: freeing a dataspace I do not own: %s\n", err_name(e));
	check(e == ERR_DENIED, "free by a non-owner refused");
	check(shared[0] == 'h', "the dataspace is still there after the refused free");
	check(shm_simple(s, SHM_FREE) == ERR_OK, "the owner freed it");
	if (late_read(env)) { /* the fault ends this component: init destroys it */
		pd_thread(env->pd, late_reader, stack + sizeof(stack), PRIORITY_DEFAULT, 0);
		for (;;)
			sys_yield();
	}
	check(shm_simple(s, SHM_FINISH) == ERR_OK, "the server answered its last call");
	for (int i = 0; i < 50; i++)
		sys_yield(); /* init destroys the server meanwhile */
	err_t gone = shm_simple(s, SHM_GET);
	log_printf("shm-client: a call to the ended server: %s\n", err_name(gone));
	check(gone == ERR_INVALID_CAP, "the ended server's endpoint is gone");
	attached_ds_release(env, &mine); /* detached already by the owner's free: drops the copy */
	log_printf("shm-client: done, %u failures\n", failures);
	return failures ? 1 : 0;
}
