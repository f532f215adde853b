/*
 * run/threads: four threads of one component, preempting each other, each
 * allocate, attach, touch, detach and free dataspaces, open and close
 * sessions and call a server, 1,000 rounds each. Every lib call must work
 * from any thread (each finds its own UTCB); every result is checked, and
 * the component's quota is back to its start value at the end.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

#define THREADS 4
#define ROUNDS 1000
#define OP_ADD 1 /* the "ipc" service of test-ipc-server */

static env_t *the_env;
static uint8_t stacks[THREADS][16384] __attribute__((aligned(16)));
static volatile unsigned finished, failures, preempted;
static volatile uint64_t progress; /* bumped by every thread while it computes */

static void fail(word_t t, unsigned round, const char *what, err_t e)
{
	if (__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED) < 20)
		log_printf("test-threads: FAIL: thread %lu round %u: %s: %s\n", t, round, what,
			   err_name(e));
}

/* touch: fill every page of ds with the thread's pattern and read it back; 0 if it differs. */
static int touch(const attached_ds_t *ds, word_t t, unsigned round)
{
	uint64_t *p = (uint64_t *)ds->addr, words = ds->size / 8;
	uint64_t pattern = (t << 56) | round;
	for (uint64_t i = 0; i < words; i += 64) {
		if (p[i] != 0)
			return 0; /* a fresh dataspace is zeroed */
		p[i] = pattern + i;
	}
	for (uint64_t i = 0; i < words; i += 64)
		if (p[i] != pattern + i)
			return 0;
	return 1;
}

/* one_round: a dataspace cycle, a LOG session opened and closed, a call to the server. */
static void one_round(word_t t, unsigned round, cap_t server, word_t badge)
{
	attached_ds_t ds;
	uint64_t size = 4096 * (1 + (round + t) % 8);
	err_t e = attached_ram_ds(the_env, size, &ds);
	if (e != ERR_OK)
		return fail(t, round, "attached_ram_ds", e);
	if (!touch(&ds, t, round))
		fail(t, round, "dataspace contents", ERR_INVALID_DATASPACE);
	attached_ds_release(the_env, &ds);
	cap_t log;
	if ((e = parent_session_open("LOG label=threads ram_quota=4096", &log)) != ERR_OK)
		return fail(t, round, "LOG session", e);
	if ((e = parent_session_close(log)) != ERR_OK)
		fail(t, round, "closing the LOG session", e);
	msg_t m = {.info = MSG_INFO(OP_ADD, 2, 0), .mr = {t * 1000000, round}};
	e = sys_call(server, &m);
	if (e != ERR_OK || m.mr[0] != t * 1000000 + round || m.mr[1] != badge)
		fail(t, round, "call to the server", e != ERR_OK ? e : ERR_INVALID_ARGS);
}

/*
 * spin: compute without a system call until another thread has run in
 * between (the shared counter moved by more than this thread added): this
 * one was preempted. Bounded, in case the timer never comes.
 */
static void spin(void)
{
	uint64_t start = progress, mine = 0;
	while (mine < 100000000) {
		for (int i = 0; i < 1024; i++, mine++)
			__atomic_fetch_add(&progress, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&progress, __ATOMIC_RELAXED) - start > mine) {
			__atomic_fetch_add(&preempted, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

static void worker(word_t t, utcb_t *utcb)
{
	cap_t server;
	word_t badge;
	err_t e;
	if (sys_utcb() != utcb || utcb->self != utcb)
		fail(t, 0, "the thread's own UTCB", ERR_BAD_ADDRESS);
	char args[48];
	format_buf(args, sizeof(args), "ipc label=thread-%lu", t);
	while ((e = parent_session_open(args, &server)) == ERR_NOT_FOUND)
		sys_yield();
	if (e != ERR_OK)
		fail(t, 0, "session to the server", e);
	msg_t probe = {.info = MSG_INFO(1, 0, 0)}; /* ADD of nothing: the server says the badge */
	badge = e == ERR_OK && sys_call(server, &probe) == ERR_OK ? probe.mr[1] : 0;
	for (unsigned round = 0; e == ERR_OK && round < ROUNDS; round++) {
		one_round(t, round, server, badge);
		if (round % 500 == 0) /* twice per thread: preempted amid the others' rounds */
			spin();
	}
	if (sys_utcb() != utcb)
		fail(t, ROUNDS, "the thread's own UTCB at the end", ERR_BAD_ADDRESS);
	slot_free(server);
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	for (;;)
		sys_yield(); /* the component ends when main returns */
}

int component_main(env_t *env)
{
	pd_quota_t before, after;
	the_env = env;
	pd_quota(env->pd, &before);
	unsigned slots = slot_available();
	for (word_t t = 0; t < THREADS; t++) {
		err_t e =
		    pd_thread(env->pd, worker, stacks[t] + sizeof(stacks[t]), PRIORITY_DEFAULT, t);
		if (e != ERR_OK) {
			log_printf("test-threads: FAIL: thread %lu: %s\n", t, err_name(e));
			return 1;
		}
	}
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < THREADS)
		sys_yield();
	pd_quota(env->pd, &after);
	log_printf("test-threads: %u threads, %u rounds each, %u failures, %u preemptions seen\n",
		   THREADS, ROUNDS, failures, preempted);
	/* the threads themselves (their TCB and UTCB frames) stay until the component ends */
	uint64_t thread_ram = THREADS * 2 * 4096, thread_caps = THREADS * 2;
	int quota_ok = after.ram_used == before.ram_used + thread_ram &&
		       after.cap_used == before.cap_used + thread_caps;
	log_printf("test-threads: quota after the rounds: %s (RAM %lu -> %lu, caps %lu -> %lu, "
		   "%lu bytes and %lu caps of them the threads')\n",
		   quota_ok ? "back to its start" : "FAIL: changed", before.ram_used,
		   after.ram_used, before.cap_used, after.cap_used, thread_ram, thread_caps);
	log_printf("test-threads: capability slots after the rounds: %s (%u -> %u)\n",
		   slots == slot_available() ? "all free again" : "FAIL: leaked", slots,
		   slot_available());
	int ok = !failures && preempted >= THREADS && quota_ok && slots == slot_available();
	log_printf("test-threads: %s\n", ok ? "all checks passed" : "checks FAILED");
	return ok ? 0 : 1;
}
