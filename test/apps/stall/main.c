/*
 * run/stall: how long can a component's memory requests keep others from
 * running? The main thread (the storm) attaches and detaches large and nested managed
 * dataspaces (RM sessions) in a loop and touches them in between; it yields
 * after every request, so each request is one uninterrupted stretch. A
 * second thread pings test-ipc-server (another PD, the same priority) and
 * yields too, and records the longest gap between two answers: under
 * -icount shift=0 that is the longest single request of the storm, core's
 * work and the kernel's included.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

#define ROUNDS 6
#define OUTER_SIZE (1ull << 30) /* the largest region map core allows */
#define INNER_SIZE (64ull << 20)
#define PIECE_SIZE (4ull << 20) /* a RAM dataspace, attached three times in the inner map */
#define BIG_SIZE (32ull << 20)	/* a RAM dataspace attached directly, touched sparsely */
#define OUTER_SECOND (512ull << 20)
#define TOUCH_STEP (256ull << 10)

static volatile unsigned rounds_done;
static volatile int storm_failed, storm_over;
static uint8_t pinger_stack[16384] __attribute__((aligned(16)));

static uint64_t since, longest_request;
static const char *longest_what = "none";

/* yield_after: note how long the request since the last yield took, then yield. */
static void yield_after(const char *what)
{
	uint64_t took = rdtsc() - since;
	if (took > longest_request)
		longest_request = took, longest_what = what;
	sys_yield();
	since = rdtsc();
}

/* step: one request's result; the storm yields after each, so each is measured alone. */
static void step(err_t e, const char *what)
{
	if (e != ERR_OK && !storm_failed)
		log_printf("test-stall: FAIL: %s: %s\n", what, err_name(e));
	storm_failed |= e != ERR_OK;
	yield_after(what);
}

static vaddr_t attach_at(cap_t rm, cap_t ds, vaddr_t at, unsigned flags, const char *what)
{
	rm_attach_attr_t a = {.at = at, .flags = flags | RM_WRITEABLE};
	vaddr_t addr = 0;
	step(rm_attach(rm, ds, &a, &addr), what);
	return addr;
}

/* touch: write one word every TOUCH_STEP in [base, base + size), yielding after each fault. */
static void touch(vaddr_t base, uint64_t size, unsigned round)
{
	if (storm_failed)
		return;
	for (uint64_t off = 0; off < size; off += TOUCH_STEP) {
		*(volatile uint64_t *)(base + off) = round;
		yield_after("a touch (page fault)");
	}
}

/* touch_outer: the three pieces seen through both places of the inner map in the outer one. */
static void touch_outer(vaddr_t outer, unsigned round)
{
	for (uint64_t place = 0; place <= OUTER_SECOND; place += OUTER_SECOND)
		for (uint64_t piece = 0; piece < 3; piece++)
			touch(outer + place + piece * 2 * PIECE_SIZE, PIECE_SIZE, round);
}

static void storm_round(env_t *env, unsigned round)
{
	cap_t outer, inner, outer_ds = 0, inner_ds = 0, piece = 0, big = 0;
	step(parent_session_open("RM size=0x40000000 ram_quota=16384", &outer), "open outer");
	step(parent_session_open("RM size=0x4000000 ram_quota=16384", &inner), "open inner");
	step(rm_dataspace(outer, &outer_ds), "outer dataspace");
	step(rm_dataspace(inner, &inner_ds), "inner dataspace");
	step(pd_alloc(env->pd, PIECE_SIZE, 0, &piece), "alloc piece");
	step(pd_alloc(env->pd, BIG_SIZE, 0, &big), "alloc big");
	for (uint64_t i = 0; i < 3; i++)
		attach_at(inner, piece, i * 2 * PIECE_SIZE, RM_USE_AT, "piece into inner");
	attach_at(outer, inner_ds, 0, RM_USE_AT, "inner into outer");
	attach_at(outer, inner_ds, OUTER_SECOND, RM_USE_AT, "inner into outer again");
	vaddr_t o = attach_at(env->rm, outer_ds, 0, 0, "outer into the address space");
	vaddr_t b = attach_at(env->rm, big, 0, 0, "big into the address space");
	touch_outer(o, round);
	touch(b, BIG_SIZE, round);
	step(rm_detach(inner, 2 * PIECE_SIZE), "detach a piece (seen in two places)");
	attach_at(inner, piece, 2 * PIECE_SIZE, RM_USE_AT, "piece back");
	touch_outer(o, round);
	step(rm_detach(env->rm, o), "detach the outer map (1 GiB)");
	o = attach_at(env->rm, outer_ds, 0, 0, "outer again");
	touch_outer(o, round);
	step(rm_detach(env->rm, b), "detach big");
	step(parent_session_close(inner), "close inner (detached in two places)");
	step(parent_session_close(outer), "close outer (attached, 1 GiB)");
	sys_cap_delete(inner_ds), sys_cap_delete(outer_ds);
	step(pd_free(env->pd, piece), "free piece");
	step(pd_free(env->pd, big), "free big");
}

static cap_t ping;
static volatile int pinger_done;
static unsigned answers, in_round[ROUNDS + 1];
static uint64_t longest;

/* pinger: ping until the storm is over, recording the longest gap between two answers. */
static void pinger(word_t arg, utcb_t *utcb)
{
	uint64_t last = rdtsc();
	while (!storm_over) {
		msg_t m = {.info = MSG_INFO(1, 1, 0), .mr = {41}};
		if (sys_call(ping, &m) == ERR_OK && MSG_LABEL(m.info) == 0 && m.mr[0] == 41) {
			uint64_t now = rdtsc();
			longest = now - last > longest ? now - last : longest;
			last = now;
			answers++;
			in_round[rounds_done]++;
		}
		sys_yield();
	}
	pinger_done = 1;
	for (;;)
		sys_yield();
}

/* The storm runs in the main thread: the library's requests use the main thread's UTCB. */
int component_main(env_t *env)
{
	unsigned answered_rounds = 0;
	ping = parent_session_await("ipc label=pinger");
	if (pd_thread(env->pd, pinger, pinger_stack + sizeof(pinger_stack), PRIORITY_DEFAULT, 0) !=
	    ERR_OK) {
		log_printf("test-stall: FAIL: no pinger thread\n");
		return 1;
	}
	since = rdtsc();
	for (unsigned r = 1; r <= ROUNDS && !storm_failed; r++) {
		storm_round(env, r);
		rounds_done = r - storm_failed;
	}
	storm_over = 1;
	while (!pinger_done)
		sys_yield();
	for (unsigned r = 0; r < ROUNDS; r++)
		answered_rounds += in_round[r] != 0;
	log_printf("test-stall: the storm ran %u rounds%s\n", rounds_done,
		   storm_failed ? " with failures" : ", every request succeeded");
	log_printf("test-stall: the pinger got answers during %u of %u rounds\n", answered_rounds,
		   ROUNDS);
	log_printf("test-stall: %u answers; longest request: %s, %lu instructions\n", answers,
		   longest_what, longest_request);
	log_printf("bench: guest.max_stall.instructions %lu\n", longest);
	return storm_failed || answered_rounds != ROUNDS ? 1 : 0;
}
