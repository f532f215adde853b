/*
 * run/init_mute, a server that never answers: it announces "kv" (at a
 * priority above the others, so before anyone asks) and then neither
 * fetches its session requests nor serves; a thread at the default
 * priority spends all its RAM, the donations with it, and after a long
 * while ends it with a fault. Its clients wait; init and their
 * siblings must not.
 */
#include <env.h>
#include <log.h>
#include <parent.h>
#include <service.h>

static err_t create(service_t *svc, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	return ERR_OK;
}

static void close(service_t *svc, word_t badge)
{
}

static const service_ops_t never = {create, 0, close};

static uint8_t stack[8192] __attribute__((aligned(16)));
static env_t *env_of;

/* later: a thread below the others' priority, which ends the server after a long while */
static uint64_t start_quota;

static void later(word_t arg, utcb_t *utcb)
{
	pd_quota_t q;
	uint64_t start = start_quota;
	/* wait for both clients' donations, then spend all RAM, donations included */
	for (int i = 0;
	     i < 100000 && pd_quota(env_of->pd, &q) == ERR_OK && q.ram_quota < start + 2 * 8192;
	     i++)
		sys_yield();
	cap_t ds;
	uint64_t spent = 0;
	for (uint64_t size = 256 * 1024; size >= 4096; size /= 2)
		while (pd_alloc(env_of->pd, size, 0, &ds) == ERR_OK)
			spent += size;
	log_session_printf(env_of->log, "spent all its RAM: %lu KiB more",
			   (unsigned long)(spent >> 10));
	for (int i = 0; i < 20000; i++)
		sys_yield(); /* its requests wait at init; its waiting thread calls in vain */
	log_session_printf(env_of->log, "ending without having answered: a fault");
	*(volatile int *)arg = 1; /* arg: an address nothing is attached at */
}

int component_main(env_t *env)
{
	static service_t svc;
	cap_t ep, never_submitted;
	env_of = env;
	err_t e = pd_alloc_endpoint(env->pd, &ep);
	if (e == ERR_OK)
		e = service_announce(env, &svc, ep, "kv", &never, 0);
	log_session_printf(env->log, "announced 'kv': %s; answering nothing", err_name(e));
	if (e == ERR_OK)
		e = pd_alloc_signal(env->pd, &never_submitted);
	pd_quota_t q;
	if (e == ERR_OK)
		e = pd_quota(env->pd, &q);
	if (e == ERR_OK)
		start_quota = q.ram_quota,
		e = pd_thread(env->pd, later, stack + sizeof(stack), PRIORITY_DEFAULT, 0x20);
	word_t count;
	if (e == ERR_OK)
		sys_signal_wait(never_submitted, &count); /* blocks: the ep is never served */
	return 1;
}
