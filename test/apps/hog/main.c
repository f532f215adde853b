/*
 * run/quota_isolation, the hog: takes everything its quota allows from
 * core and keeps it: RAM dataspaces (dropping its own capability to each,
 * so that only core's records hold them), sessions, signals and
 * endpoints, until core answers with an error each time. Then it announces
 * "full-N" (the first free N) so that the victim knows, and waits.
 */
#include <log.h>
#include <env.h>
#include <parent.h>
#include <service.h>

static err_t take_ds(env_t *env)
{
	cap_t ds;
	err_t e = pd_alloc(env->pd, 4096, 0, &ds);
	if (e == ERR_OK)
		slot_free(ds); /* core keeps the dataspace; only its record names it now */
	return e;
}

static err_t take_session(env_t *env)
{
	cap_t s;
	err_t e = parent_session_open("LOG label=hog ram_quota=4096", &s);
	if (e == ERR_OK)
		slot_free(s);
	return e;
}

static err_t take_signal(env_t *env)
{
	cap_t s;
	return pd_alloc_signal(env->pd, &s);
}

static err_t take_endpoint(env_t *env)
{
	cap_t s;
	return pd_alloc_endpoint(env->pd, &s);
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

/* announce: offer ep as "full-N", the first N not taken; the name in name. */
static err_t announce(env_t *env, cap_t ep, char *name, size_t size)
{
	err_t e = ERR_EXISTS;
	/* EXISTS: another hog has it; DENIED: under init, another's <provides> lists it */
	for (int i = 1; (e == ERR_EXISTS || e == ERR_DENIED) && i < 16; i++) {
		format_buf(name, size, "full-%d", i);
		e = service_announce(env, &svc, ep, name, &accept_all, 0);
	}
	return e;
}

int component_main(env_t *env)
{
	cap_t ep;
	char name[16];
	if (pd_alloc_endpoint(env->pd, &ep) != ERR_OK ||
	    announce(env, ep, name, sizeof(name)) != ERR_OK)
		return 1;
	unsigned sig = 0, eps = 0, ses = 0, ds = 0;
	err_t e_sig, e_ep, e_ses = ERR_OK, e_ds = ERR_OK;
	while (e_ses == ERR_OK || e_ds == ERR_OK) { /* both kinds, until core refuses both */
		if (e_ds == ERR_OK && (e_ds = take_ds(env)) == ERR_OK)
			ds++;
		if (e_ses == ERR_OK && (e_ses = take_session(env)) == ERR_OK)
			ses++;
	}
	while ((e_sig = take_signal(env)) == ERR_OK)
		sig++;
	while ((e_ep = take_endpoint(env)) == ERR_OK)
		eps++;
	pd_quota_t q;
	pd_quota(env->pd, &q);
	log_printf("hog: %s: %u signals (%s), %u endpoints (%s), %u sessions (%s), %u dataspaces "
		   "(%s); RAM %lu of %lu KiB, caps %lu of %lu\n",
		   name, sig, err_name(e_sig), eps, err_name(e_ep), ses, err_name(e_ses), ds,
		   err_name(e_ds), q.ram_used >> 10, q.ram_quota >> 10, q.cap_used, q.cap_quota);
	msg_t m = {.info = SYS_NO_REPLY};
	for (;;) { /* full: answer whoever asks, holding everything until the end */
		sys_reply_wait(ep, &m);
		m.info = MSG_LABEL(m.info) >= SESSION_SYNC ? service_dispatch(&svc, m.badge, &m)
							   : MSG_INFO(0, 0, 0);
	}
}
