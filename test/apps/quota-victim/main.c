/*
 * run/quota_isolation, the victim: after the hogs have taken everything
 * their quotas allow, this component still gets every kind of session
 * and dataspace its own quota covers: core keeps nothing shared that the
 * others could have filled.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

#define HOGS 5

static unsigned failures;

static void check(err_t e, const char *what)
{
	log_printf("victim: %s: %s\n", what, e == ERR_OK ? "ok" : err_name(e));
	failures += e != ERR_OK;
}

/* refused: a request init must deny (its <start> does not grant it). */
static void refused(err_t e, const char *what)
{
	log_printf("victim: %s: %s\n", what, e == ERR_DENIED ? "DENIED: ok" : "FAIL");
	failures += e != ERR_DENIED;
}

/* wait_for_hogs: each hog answers its "full-N" service once it holds all it can. */
static void wait_for_hogs(void)
{
	char name[16];
	for (int i = 1; i <= HOGS; i++) {
		cap_t s;
		format_buf(name, sizeof(name), "full-%d label=victim", i);
		while (!(s = parent_session_await(name)))
			sys_yield(); /* DENIED while no hog has announced it yet */
		msg_t m = {.info = MSG_INFO(0, 0, 0)};
		sys_call(s, &m); /* returns when that hog is full */
		parent_session_close(s);
	}
	log_printf("victim: all %d hogs are full\n", HOGS);
}

/* ram: many dataspaces, attached, written, read back and freed. */
static err_t ram(env_t *env)
{
	static attached_ds_t ds[100];
	err_t e = ERR_OK;
	unsigned n = 0;
	for (; n < 100 && (e = attached_ram_ds(env, 8192, &ds[n])) == ERR_OK; n++)
		((volatile uint64_t *)ds[n].addr)[1000] = n;
	for (unsigned i = 0; i < n; i++) {
		if (((volatile uint64_t *)ds[i].addr)[1000] != i)
			e = ERR_INVALID_DATASPACE;
		attached_ds_release(env, &ds[i]);
	}
	return e;
}

/* session_of: open a session, close it again. */
static err_t session_of(const char *args)
{
	cap_t s;
	err_t e = parent_session_open(args, &s);
	return e == ERR_OK ? parent_session_close(s) : e;
}

/* managed: an RM session whose dataspace is attached and backed by a RAM dataspace. */
static err_t managed(env_t *env)
{
	cap_t rm, mds;
	attached_ds_t r;
	vaddr_t at;
	err_t e = parent_session_open("RM size=0x100000 ram_quota=32768", &rm);
	if (e != ERR_OK)
		return e;
	rm_attach_attr_t in = {.flags = RM_WRITEABLE}, out = {.flags = RM_WRITEABLE};
	if ((e = rm_dataspace(rm, &mds)) == ERR_OK &&
	    (e = attached_ram_ds(env, 4096, &r)) == ERR_OK) {
		if ((e = rm_attach(rm, r.ds, &in, &at)) == ERR_OK &&
		    (e = rm_attach(env->rm, mds, &out, &at)) == ERR_OK) {
			*(volatile uint64_t *)at = 42;
			e = *(volatile uint64_t *)r.addr == 42 ? ERR_OK : ERR_INVALID_DATASPACE;
			rm_detach(env->rm, at);
		}
		attached_ds_release(env, &r);
	}
	parent_session_close(rm);
	return e;
}

static err_t objects(env_t *env)
{
	cap_t s, ep;
	err_t e = pd_alloc_signal(env->pd, &s);
	return e == ERR_OK ? pd_alloc_endpoint(env->pd, &ep) : e;
}

int component_main(env_t *env)
{
	wait_for_hogs();
	attached_ds_t rom, vga;
	check(ram(env), "100 RAM dataspaces attached, written and freed");
	check(attached_rom_ds(env, "config", &rom), "a ROM dataspace");
	if (!failures)
		attached_ds_release(env, &rom);
	check(attached_io_mem_ds(env, 0xb8000, 4096, &vga), "an IO_MEM dataspace");
	if (!failures)
		attached_ds_release(env, &vga);
	check(managed(env), "an RM session as a managed dataspace");
	check(session_of("LOG label=victim ram_quota=4096"), "a LOG session");
	check(session_of("IO_PORT base=0x70 size=2 ram_quota=4096"), "an IO_PORT session");
	check(session_of("IRQ line=8 ram_quota=16384 cap_quota=2"), "an IRQ session");
	/* under init: only what the <start> grants */
	refused(session_of("IRQ line=9 ram_quota=16384 cap_quota=2"), "an IRQ line not granted");
	refused(session_of("IO_PORT base=0x72 size=1 ram_quota=4096"), "a port not granted");
	check(objects(env), "a signal and an endpoint");
	log_printf("victim: %s\n",
		   failures ? "checks FAILED" : "every kind of session and dataspace");
	return failures ? 1 : 0;
}
