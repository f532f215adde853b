/*
 * Malformed session requests to the parent: absurd or missing quota,
 * unknown services, malformed argument strings, impossible ranges for RM,
 * IO_PORT, IO_MEM, IRQ and ROM; closing twice; an unterminated LOG write;
 * and, last, closing the component's own address space.
 */
#include <log.h>
#include <mem.h>
#include <parent.h>
#include "abuse.h"

static const struct {
	const char *args;
	err_t want;
} bad_opens[] = {
    {"LOG ram_quota=1000G", ERR_OUT_OF_RAM},
    {"LOG ram_quota=18446744073709551615", ERR_OUT_OF_RAM},
    {"LOG ram_quota=99999999999999999999999", ERR_OUT_OF_RAM},
    {"LOG label=x", ERR_OUT_OF_RAM},
    {"LOG ram_quota=4095", ERR_OUT_OF_RAM},
    {"LOG ram_quota=4096 cap_quota=1000000", ERR_OUT_OF_CAPS},
    {"LOG ram_quota=4096 cap_quota=18446744073709551615", ERR_OUT_OF_CAPS},
    {"NOPE ram_quota=4096", ERR_NOT_FOUND},
    {"log ram_quota=4096", ERR_NOT_FOUND},
    {"PD ram_quota=4096", ERR_INVALID_ARGS},			 /* a child needs a name */
    {"PD label=kid ram_quota=4096", ERR_OUT_OF_RAM},		 /* all of it for the record */
    {"PD label=kid ram_quota=65536", ERR_OUT_OF_CAPS},		 /* caps for its PD */
    {"PD label=kid ram_quota=8192 cap_quota=8", ERR_OUT_OF_RAM}, /* frames for it */
    {" LOG ram_quota=4096", ERR_INVALID_ARGS},
    {"LOG\tram_quota=4096", ERR_INVALID_ARGS},
    {"A_SERVICE_NAME_TOO_LONG ram_quota=4096", ERR_INVALID_ARGS},
    {"RM size=0 ram_quota=8192", ERR_INVALID_ARGS},
    {"RM ram_quota=8192", ERR_INVALID_ARGS},
    {"RM size=0x4000000000000 ram_quota=8192", ERR_INVALID_ARGS},
    {"RM size=0x1001 ram_quota=8192", ERR_UNALIGNED},
    {"RM size=0x100000 ram_quota=8192", ERR_OUT_OF_RAM}, /* its records take three frames */
    {"IO_PORT base=0x10000 size=1 ram_quota=4096", ERR_INVALID_ARGS},
    {"IO_PORT base=0xfff0 size=0x11 ram_quota=4096", ERR_INVALID_ARGS},
    {"IO_PORT base=0 size=0x10001 ram_quota=4096", ERR_INVALID_ARGS},
    {"IO_PORT base=0x80 size=0 ram_quota=4096", ERR_INVALID_ARGS},
    {"IO_PORT base=0xffffffffffffffff size=2 ram_quota=4096", ERR_INVALID_ARGS},
    {"IO_MEM base=0x100000 size=0x1000 ram_quota=4096", ERR_DENIED},
    {"IO_MEM base=0x9f000 size=0x2000 ram_quota=4096", ERR_DENIED},
    {"IO_MEM base=0 size=0x1000 ram_quota=4096", ERR_DENIED},
    {"IO_MEM size=0x1000 ram_quota=4096", ERR_UNALIGNED}, /* base 1 by default */
    {"IO_MEM base=0xfffffffffffff000 size=0x2000 ram_quota=4096", ERR_INVALID_ARGS},
    {"IRQ line=16 ram_quota=16384 cap_quota=2", ERR_INVALID_ARGS},
    {"IRQ line=7 ram_quota=4096 cap_quota=2", ERR_OUT_OF_RAM}, /* two kernel objects: 8 KiB */
    {"IRQ line=7 ram_quota=16384", ERR_OUT_OF_CAPS},	       /* and two capabilities */
    {"IRQ ram_quota=8192", ERR_INVALID_ARGS},
    {"IRQ line=0 ram_quota=16384 cap_quota=2", ERR_BUSY},
    {"ROM ram_quota=4096", ERR_INVALID_ARGS},
    {"ROM label=no-such-module ram_quota=4096", ERR_NOT_FOUND},
    {"ROM label=a-label-far-longer-than-the-48-bytes-any-module-name-can-have "
     "ram_quota=4096",
     ERR_INVALID_ARGS},
};

static void bad_session_args(void)
{
	char what[128];
	for (unsigned i = 0; i < sizeof(bad_opens) / sizeof(bad_opens[0]); i++) {
		cap_t s = 0;
		err_t e = parent_session_open(bad_opens[i].args, &s);
		format_buf(what, sizeof(what), "session '%s'", bad_opens[i].args);
		expect(what, e, bad_opens[i].want);
		if (e == ERR_OK)
			parent_session_close(s);
	}
}

/* raw_open: a session request of 32 words (256 bytes), none of them a terminator. */
static void unterminated_open(void)
{
	msg_t m = {.info = MSG_INFO(PARENT_SESSION_OPEN, 32, 0)};
	for (unsigned i = 0; i < 32; i++) {
		word_t w = 0x4141414141414141ull; /* "AAAAAAAA" */
		if (i < 4)
			m.mr[i] = w;
		else
			sys_utcb()->mr[i] = w;
	}
	err_t e = sys_call(SLOT_PARENT, &m);
	expect("session: 256 bytes without a terminator", e ? e : (err_t)MSG_LABEL(m.info),
	       ERR_INVALID_ARGS);
}

static void bad_closes(env_t *env)
{
	cap_t s = session("LOG label=twice ram_quota=4096");
	if (s) {
		expect("close: first", close_keep(s), ERR_OK);
		expect("close: second", close_keep(s), ERR_INVALID_CAP);
		expect("LOG: write on a closed session",
		       request(s, LOG_WRITE, 0, 0x6f6c63, 0, 0, 0), ERR_INVALID_CAP);
		sys_cap_delete(s);
	}
	expect("close: no capability", close_keep(0), ERR_INVALID_CAP);
	expect("close: the PD session", close_keep(env->pd), ERR_DENIED);
	expect("close: the parent", close_keep(SLOT_PARENT), ERR_INVALID_CAP);
	expect("upgrade: 2^64-1 bytes",
	       request(SLOT_PARENT, PARENT_SESSION_UPGRADE, env->log, ~0ull, 0, 0, 0),
	       ERR_OUT_OF_RAM);
	expect("upgrade: 2^64-1 caps",
	       request(SLOT_PARENT, PARENT_SESSION_UPGRADE, env->log, 0, ~0ull, 0, 0),
	       ERR_OUT_OF_CAPS);
}

/* unterminated_log: 64 words of text and no terminator; core prints at most that. */
static void unterminated_log(env_t *env)
{
	msg_t m = {.info = MSG_INFO(LOG_WRITE, UTCB_MR_COUNT, 0)};
	for (unsigned i = 0; i < UTCB_MR_COUNT; i++) {
		word_t w = 0x2d2d2d2d2d2d2d2dull; /* "--------" */
		memcpy(&w,
		       i == 0			? "[64-word"
		       : i == UTCB_MR_COUNT - 1 ? "-end-64]"
						: "--------",
		       sizeof(w));
		if (i < 4)
			m.mr[i] = w;
		else
			sys_utcb()->mr[i] = w;
	}
	err_t e = sys_call(env->log, &m);
	expect("LOG: 64 words without a terminator", e ? e : (err_t)MSG_LABEL(m.info), ERR_OK);
	m = (msg_t){.info = MSG_INFO(LOG_WRITE, 255, 0), .mr = {0x0a0d1b07}};
	e = sys_call(env->log, &m);
	expect("LOG: 255 words and control characters", e ? e : (err_t)MSG_LABEL(m.info), ERR_OK);
}

void abuse_sessions(env_t *env)
{
	bad_session_args();
	unterminated_open();
	bad_closes(env);
	unterminated_log(env);
}

/*
 * abuse_address_space: the address space is the component's for life;
 * closing it must be refused. Last, because if core lets it go the
 * environment has no region map any more.
 */
void abuse_address_space(env_t *env)
{
	cap_t rm = 0, ds = 0;
	word_t type, rights, before = 0, now = 0;
	sys_cap_identify(env->rm, &type, &rights, &before);
	expect("close: the address space", close_keep(env->rm), ERR_DENIED);
	err_t e = pd_alloc(env->pd, PAGE_SIZE, 0, &ds); /* core mints a capability */
	expect("PD_ALLOC: after the close attempt", e, ERR_OK);
	e = pd_address_space(env->pd, &rm);
	expect("PD_ADDRESS_SPACE: after the close attempt", e, ERR_OK);
	if (e == ERR_OK)
		sys_cap_identify(rm, &type, &rights, &now);
	log_printf("test-core-abuse: address space badge %lx before, %lx after\n", before, now);
	expect("PD_ADDRESS_SPACE: the same region map as before",
	       before == now ? ERR_OK : ERR_INVALID_CAP, ERR_OK);
	if (ds)
		pd_free(env->pd, ds);
}
