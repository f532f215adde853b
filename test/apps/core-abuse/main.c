/*
 * run/core_abuse: malformed requests to every service of core. Each must be
 * answered with the expected error, core must keep serving the other
 * components, and the component's quota must be what it was at the start.
 */
#include <log.h>
#include <parent.h>
#include "abuse.h"

static unsigned answered, unexpected, quota_checked;
static cap_t pd_session = SLOT_PD_SESSION;

pd_quota_t quota_now(void)
{
	pd_quota_t q = {0, 0, 0, 0};
	pd_quota(pd_session, &q);
	return q;
}

void expect_checked(const char *what, const pd_quota_t *before, err_t got, err_t want)
{
	if (got != want) {
		unexpected++;
		log_printf("test-core-abuse: FAIL: %s: got %s, expected %s\n", what, err_name(got),
			   err_name(want));
		return;
	}
	answered++;
	if (want == ERR_OK)
		return;
	pd_quota_t after = quota_now();
	quota_checked++;
	if (after.ram_used != before->ram_used || after.cap_used != before->cap_used) {
		unexpected++;
		log_printf("test-core-abuse: FAIL: %s: refused, yet charged (RAM %lu -> %lu, caps "
			   "%lu -> %lu)\n",
			   what, before->ram_used, after.ram_used, before->cap_used,
			   after.cap_used);
	}
}

err_t request(cap_t cap, unsigned label, cap_t send, word_t a, word_t b, word_t c, word_t d)
{
	msg_t m = {.info = MSG_INFO(label, 4, send ? 1 : 0), .mr = {a, b, c, d}};
	sys_utcb()->send_caps[0] = send;
	cap_t got;
	err_t e = sys_call_caps(cap, &m, 1, &got);
	if (got)
		slot_free(got); /* an unexpected success: drop what came */
	return e != ERR_OK ? e : (err_t)MSG_LABEL(m.info);
}

err_t request_cap(cap_t cap, unsigned label, cap_t send, word_t a, cap_t *got)
{
	msg_t m = {.info = MSG_INFO(label, 1, send ? 1 : 0), .mr = {a}};
	sys_utcb()->send_caps[0] = send;
	err_t e = sys_call_caps(cap, &m, 1, got);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m.info);
	return e;
}

cap_t session(const char *args)
{
	cap_t s = 0;
	err_t e = parent_session_open(args, &s);
	if (e != ERR_OK) {
		unexpected++;
		log_printf("test-core-abuse: FAIL: set-up: session '%s': %s\n", args, err_name(e));
		return 0;
	}
	return s;
}

err_t close_keep(cap_t session)
{
	return request(SLOT_PARENT, PARENT_SESSION_CLOSE, session, 0, 0, 0, 0);
}

/* check_quota: the quota in use now must equal *before. */
static void check_quota(env_t *env, const pd_quota_t *before)
{
	pd_quota_t after;
	err_t e = pd_quota(env->pd, &after);
	int same =
	    e == ERR_OK && after.ram_used == before->ram_used && after.cap_used == before->cap_used;
	log_printf("test-core-abuse: quota in use before %lu bytes %lu caps, after %lu bytes %lu "
		   "caps: %s\n",
		   before->ram_used, before->cap_used, after.ram_used, after.cap_used,
		   same ? "ok" : "FAIL");
	unexpected += !same;
}

int component_main(env_t *env)
{
	pd_quota_t before;
	port_reader_start(env);
	/*
	 * The first IO_PORT session gives the PD an I/O bitmap (IO_PORTS_FRAMES
	 * frames) that stays charged as long as the PD lives; make it exist
	 * before measuring.
	 */
	cap_t ports;
	if (parent_session_open("IO_PORT base=0x80 size=1 ram_quota=4096", &ports) == ERR_OK)
		parent_session_close(ports);
	if (pd_quota(env->pd, &before) != ERR_OK) {
		log_printf("test-core-abuse: FAIL: no quota\n");
		return 1;
	}
	abuse_services(env);
	abuse_pd(env);
	abuse_rm(env);
	abuse_sessions(env);
	check_quota(env, &before);
	abuse_review(env); /* keeps a signal and a fault handler: after the quota check */
	abuse_address_space(env);
	log_printf("test-core-abuse: %u requests answered with the expected error, %u unexpected\n",
		   answered, unexpected);
	log_printf("test-core-abuse: quota unchanged after each of %u refused requests: %s\n",
		   quota_checked, unexpected ? "see above" : "ok");
	return unexpected ? 1 : 0;
}
