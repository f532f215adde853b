/*
 * Regression checks for what a review of core found a component could do:
 * leaking core's capability slots through gaps in a transfer, draining RAM
 * by opening and closing IRQ sessions, unbounded managed-dataspace fan-out,
 * oversized region maps, per-component table limits, forbidden device
 * ranges, and a stale capability core kept coming to name another object.
 */
#include "abuse.h"
#include <log.h>
#include <mem.h>
#include <parent.h>

/* gap_transfers: [invalid, valid] capability pairs, many times; core must not run out of slots. */
static void gap_transfers(env_t *env, cap_t ram)
{
	for (int i = 0; i < 3000; i++) {
		msg_t m = {.info = MSG_INFO(PD_QUOTA, 0, 2)};
		sys_utcb()->send_caps[0] = 0;
		sys_utcb()->send_caps[1] = ram;
		if (sys_call(env->pd, &m) != ERR_OK)
			break;
	}
	cap_t s = 0;
	err_t e = parent_session_open("LOG label=after ram_quota=4096", &s);
	expect("a session still opens after 3000 gapped transfers", e, ERR_OK);
	if (e == ERR_OK)
		parent_session_close(s);
}

/* irq_churn: open and close an IRQ session many times. */
static void irq_churn(void)
{
	for (int i = 0; i < 200; i++) {
		cap_t s;
		if (parent_session_open("IRQ line=5 ram_quota=16384 cap_quota=2", &s) != ERR_OK) {
			expect("IRQ session for churn", ERR_BUSY, ERR_OK);
			return;
		}
		parent_session_close(s);
	}
	log_printf("test-core-abuse: 200 IRQ sessions opened and closed\n");
}

/* fan_out: a managed dataspace may be attached four times, not more. */
static void fan_out(env_t *env)
{
	cap_t sub = session("RM size=0x10000 ram_quota=16384"), ds = 0;
	if (!sub || rm_dataspace(sub, &ds) != ERR_OK)
		return;
	rm_attach_attr_t a = {0};
	vaddr_t addr[5];
	for (int i = 0; i < 4; i++)
		expect("attach a managed dataspace (up to 4 times)",
		       rm_attach(env->rm, ds, &a, &addr[i]), ERR_OK);
	expect("attach it a fifth time", rm_attach(env->rm, ds, &a, &addr[4]), ERR_OUT_OF_CAPS);
	for (int i = 0; i < 4; i++)
		rm_detach(env->rm, addr[i]);
	close_keep(sub);
}

/*
 * denied_ports: ranges no component gets, not even with :io: ports that
 * reset the machine, end QEMU or power it off, PCI configuration, and the
 * kernel's own (PICs, PIT, debug exit, console).
 */
static void denied_ports(void)
{
	static const char *const ranges[] = {
	    "base=0xcf8 size=8", "base=0xcf9 size=1", "base=0x92 size=1",   "base=0x64 size=1",
	    "base=0x60 size=8",	 "base=0x604 size=1", "base=0x605 size=1",  "base=0x600 size=0x40",
	    "base=0xf4 size=1",	 "base=0xf5 size=1",  "base=0xf6 size=1",   "base=0xf7 size=1",
	    "base=0xf0 size=8",	 "base=0x20 size=2",  "base=0x43 size=1",   "base=0xa1 size=1",
	    "base=0x3f8 size=8", "base=0x3ff size=1", "base=0 size=0x10000"};
	for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		char args[64], what[48];
		cap_t x;
		format_buf(args, sizeof(args), "IO_PORT %s ram_quota=4096", ranges[i]);
		format_buf(what, sizeof(what), "IO_PORT %s", ranges[i]);
		expect(what, parent_session_open(args, &x), ERR_DENIED);
	}
}

/*
 * limits: sessions are bounded by the client's quota alone (core has no
 * table of its own to fill): opening them until the RAM quota is gone ends
 * with OUT_OF_RAM, and closing them gives all of it back.
 */
static void limits(env_t *env)
{
	static cap_t s[200];
	int n = 0;
	err_t e = ERR_OK;
	pd_quota_t before, after;
	pd_quota(env->pd, &before);
	while (n < 200 &&
	       (e = parent_session_open("LOG label=many ram_quota=131072", &s[n])) == ERR_OK)
		n++;
	log_printf("test-core-abuse: %d sessions opened before: %s\n", n, err_name(e));
	expect("sessions are limited by the quota", e, ERR_OUT_OF_RAM);
	while (n > 0)
		parent_session_close(s[--n]);
	pd_quota(env->pd, &after);
	expect("their quota is back after closing them",
	       after.ram_used == before.ram_used && after.cap_used == before.cap_used
		   ? ERR_OK
		   : ERR_OUT_OF_RAM,
	       ERR_OK);
	cap_t x;
	expect("an RM of 2 GiB", parent_session_open("RM size=0x80000000 ram_quota=16384", &x),
	       ERR_INVALID_ARGS);
	denied_ports();
	expect("the local APIC",
	       parent_session_open("IO_MEM base=0xfee00000 size=4096 ram_quota=4096", &x),
	       ERR_DENIED);
}

/* stale_handler: the fault handler core keeps dies; the slot must not come to name other things. */
static void stale_handler(env_t *env, cap_t ram)
{
	cap_t irq = session("IRQ line=6 ram_quota=16384 cap_quota=2"), caps[2] = {0, 0};
	msg_t m = {.info = MSG_INFO(IRQ_CAPS, 0, 0)};
	if (!irq || sys_call_caps(irq, &m, 2, caps) != ERR_OK || !caps[1])
		return;
	expect("fault handler: the IRQ session's signal", rm_fault_handler(env->rm, caps[1]),
	       ERR_OK);
	close_keep(irq); /* the signal dies; core still holds its slot */
	for (int i = 0; i < 3; i++) {
		uint64_t size;
		unsigned kind;
		int w;
		pd_ds_info(env->pd, ram, &size, &kind, &w); /* transfers a capability each time */
	}
	cap_t sig;
	expect("a new fault handler",
	       pd_alloc_signal(env->pd, &sig) == ERR_OK ? rm_fault_handler(env->rm, sig)
							: ERR_INVALID_CAP,
	       ERR_OK);
	uint64_t size = 0;
	unsigned kind = 0;
	int w;
	expect("the dataspace is still ours afterwards", pd_ds_info(env->pd, ram, &size, &kind, &w),
	       ERR_OK);
	expect("and still the same size", size == 4096 ? ERR_OK : ERR_INVALID_DATASPACE, ERR_OK);
}

void abuse_review(env_t *env)
{
	cap_t ram;
	if (pd_alloc(env->pd, 4096, 0, &ram) != ERR_OK) {
		expect("a RAM dataspace for the review checks", ERR_OUT_OF_RAM, ERR_OK);
		return;
	}
	gap_transfers(env, ram);
	irq_churn();
	fan_out(env);
	limits(env);
	stale_handler(env, ram);
	pd_free(env->pd, ram);
}
