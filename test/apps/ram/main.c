/*
 * run/ram: RAM dataspaces: allocate, attach, write, read back, detach,
 * free; quota exhaustion is answered with OUT_OF_RAM and the component
 * carries on; the quota figures add up; the heap grows and shrinks by
 * dataspaces.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <abi/slots.h>

#define CHUNK (1u << 20)
#define MAX_CHUNKS 64

static unsigned failures;

static void check(int ok, const char *what)
{
	log_printf("test-ram: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

/* refused: expr must answer want and leave the quota in use as it was just before. */
#define refused(env, what, expr, want)                                                          \
	do {                                                                                    \
		pd_quota_t b_, a_;                                                              \
		pd_quota((env)->pd, &b_);                                                       \
		err_t e_ = (expr);                                                              \
		pd_quota((env)->pd, &a_);                                                       \
		check(e_ == (want) && a_.ram_used == b_.ram_used && a_.cap_used == b_.cap_used, \
		      what);                                                                    \
	} while (0)

static uint64_t used(env_t *env)
{
	pd_quota_t q;
	return pd_quota(env->pd, &q) == ERR_OK ? q.ram_used : ~0ull;
}

static void round_trip(env_t *env)
{
	uint64_t before = used(env);
	attached_ds_t ds;
	err_t e = attached_ram_ds(env, 3 * 4096 + 100, &ds);
	check(e == ERR_OK, "allocate and attach 12388 bytes");
	if (e != ERR_OK)
		return;
	uint32_t *w = (uint32_t *)ds.addr;
	int zero = 1, same = 1;
	for (unsigned i = 0; i < 4 * 1024; i++)
		zero &= w[i] == 0;
	for (unsigned i = 0; i < 4 * 1024; i++)
		w[i] = i * 2654435761u;
	for (unsigned i = 0; i < 4 * 1024; i++)
		same &= w[i] == i * 2654435761u;
	check(zero, "fresh dataspace is zeroed");
	check(same, "written words read back");
	check(used(env) - before >= 4 * 4096, "quota charged for 4 pages");
	attached_ds_release(env, &ds);
	check(used(env) == before, "quota back after detach and free");
}

static uint8_t idle_stack[4096] __attribute__((aligned(16)));

static void idle(word_t arg, utcb_t *utcb)
{
	for (;;)
		sys_yield();
}

/*
 * thread_at_the_limit: with the quota short of what a thread needs (its
 * UTCB fits, its kernel object does not), pd_thread fails halfway and must
 * give back what it took, its UTCB unmapped.
 */
static void thread_at_the_limit(env_t *env)
{
	static cap_t small[64];
	unsigned n = 0;
	for (uint64_t size = 65536; size >= 4096; size /= 16)
		while (n < 64 && pd_alloc(env->pd, size, 0, &small[n]) == ERR_OK)
			n++;
	if (n) /* between one and two pages of quota left */
		pd_free(env->pd, small[--n]);
	refused(env, "a thread beyond the quota, nothing kept",
		pd_thread(env->pd, idle, idle_stack + sizeof(idle_stack), PRIORITY_DEFAULT, 0),
		ERR_OUT_OF_RAM);
	while (n)
		pd_free(env->pd, small[--n]);
}

#define BIG (4u << 20) /* zeroed lazily by core, mapped with large pages where it can */
#define PROBE (60u << 10)

/* probe_zero: every PROBE-th word of [p, p + size) reads zero. */
static int probe_zero(const volatile uint32_t *p, uint32_t size)
{
	int zero = 1;
	for (uint32_t off = 0; off < size; off += PROBE)
		zero &= p[off / 4] == 0;
	return zero;
}

/* big_dataspace: a large dataspace reads zero, keeps what was written, and its frames come back
 * zeroed. */
static void big_dataspace(env_t *env)
{
	attached_ds_t ds;
	if (attached_ram_ds(env, BIG, &ds) != ERR_OK) {
		check(0, "allocate and attach 4 MiB");
		return;
	}
	volatile uint32_t *w = (volatile uint32_t *)ds.addr;
	check(probe_zero(w, BIG), "a fresh 4 MiB dataspace reads zero");
	for (uint32_t off = 0; off < BIG; off += PROBE)
		w[off / 4 + 1] = off;
	rm_detach(env->rm, ds.addr);
	rm_attach_attr_t a = {.offset = 4096, .flags = RM_WRITEABLE};
	vaddr_t at = 0;
	check(rm_attach(env->rm, ds.ds, &a, &at) == ERR_OK, "attached again, one page in");
	int kept = 1;
	for (uint32_t off = PROBE; off < BIG; off += PROBE)
		kept &= ((volatile uint32_t *)(at - 4096))[off / 4 + 1] == off;
	check(kept, "what was written is still there");
	rm_detach(env->rm, at);
	attached_ds_release(env, &ds);
	if (attached_ram_ds(env, BIG, &ds) != ERR_OK) {
		check(0, "allocate 4 MiB again");
		return;
	}
	check(probe_zero((volatile uint32_t *)ds.addr + 1, BIG - 4), "its frames come back zeroed");
	attached_ds_release(env, &ds);
}

static void exhaust(env_t *env)
{
	cap_t ds[MAX_CHUNKS];
	unsigned n = 0;
	err_t e = ERR_OK;
	while (n < MAX_CHUNKS && (e = pd_alloc(env->pd, CHUNK, 0, &ds[n])) == ERR_OK)
		n++;
	log_printf("test-ram: allocated %u MiB until: %s\n", n, err_name(e));
	check(e == ERR_OUT_OF_RAM && n > 0, "exhaustion answered with OUT_OF_RAM");
	cap_t more;
	refused(env, "and again, nothing charged", pd_alloc(env->pd, CHUNK, 0, &more),
		ERR_OUT_OF_RAM);
	refused(env, "a session beyond the quota, nothing charged",
		parent_session_open("LOG label=x ram_quota=16777216", &more), ERR_OUT_OF_RAM);
	pd_quota_t q;
	pd_quota(env->pd, &q);
	check(q.ram_used <= q.ram_quota && q.ram_quota - q.ram_used < CHUNK,
	      "quota nearly used up, never over");
	thread_at_the_limit(env);
	for (unsigned i = 0; i < n; i++)
		pd_free(env->pd, ds[i]);
	attached_ds_t again;
	e = attached_ram_ds(env, CHUNK, &again);
	check(e == ERR_OK, "allocation works again after freeing");
	if (e == ERR_OK)
		attached_ds_release(env, &again);
}

static void bad_sizes(env_t *env)
{
	cap_t ds;
	refused(env, "size 0 refused", pd_alloc(env->pd, 0, 0, &ds), ERR_INVALID_ARGS);
	refused(env, "size 2^62 refused", pd_alloc(env->pd, 1ull << 62, 0, &ds), ERR_INVALID_ARGS);
	refused(env, "1 GiB beyond the quota refused, nothing charged",
		pd_alloc(env->pd, 1ull << 30, 0, &ds), ERR_OUT_OF_RAM);
	refused(env, "unknown flags refused", pd_alloc(env->pd, 4096, 0x80, &ds), ERR_INVALID_ARGS);
}

/* full_table: with every slot of its own table taken, a PD_ALLOC is refused before it is sent. */
/* table_pages: the RAM the capability table grew by (PD_GROW_SLOTS), kept until the end. */
static uint64_t table_pages(void)
{
	return (slot_capacity() - SLOT_COUNT_MIN + CAP_SLOTS_PER_PAGE - 1) / CAP_SLOTS_PER_PAGE *
	       4096;
}

static void full_table(env_t *env)
{
	static cap_t held[4288];
	unsigned n = 0;
	while (n < 4288 && (held[n] = slot_alloc())) /* it grows until it is as large as it gets */
		n++;
	log_printf("test-ram: %u capability slots taken, the table grown to %u slots\n", n,
		   (unsigned)slot_capacity());
	check(slot_capacity() > SLOT_COUNT_MIN + 20 * CAP_SLOTS_PER_PAGE,
	      "the capability table grows from the RAM quota");
	cap_t ds;
	refused(env, "a full capability table: NO_SLOT, nothing charged",
		pd_alloc(env->pd, 4096, 0, &ds), ERR_NO_SLOT);
	while (n)
		slot_release(held[--n]);
	check(pd_alloc(env->pd, 4096, 0, &ds) == ERR_OK && pd_free(env->pd, ds) == ERR_OK,
	      "and allocation works again with slots free");
}

static void heap_use(env_t *env)
{
	void *blocks[200];
	size_t start = heap_consumed(&env->heap);
	for (unsigned i = 0; i < 200; i++)
		if (heap_alloc(&env->heap, 64 + i * 97, &blocks[i]) != ERR_OK)
			blocks[i] = 0;
	size_t grown = heap_consumed(&env->heap);
	for (unsigned i = 0; i < 200; i++)
		heap_free(&env->heap, blocks[i]);
	check(grown > start && heap_check(&env->heap) == 0,
	      "heap grew by dataspaces and is consistent");
	log_printf("test-ram: heap consumed %lu -> %lu -> %lu bytes\n", start, grown,
		   heap_consumed(&env->heap));
}

/*
 * sliced_round: sliced-heap blocks until the quota ends (at most 4096),
 * all freed again; how many there were and the error that ended them.
 */
static unsigned sliced_round(env_t *env, err_t *e, pd_quota_t *full, unsigned *regions)
{
	static void *blocks[4096];
	unsigned n = 0;
	*e = ERR_OK;
	while (n < 4096 && (*e = sliced_heap_alloc(&env->sliced_heap, 100, &blocks[n])) == ERR_OK)
		n++;
	pd_quota(env->pd, full);
	*regions = env_backing_regions(env);
	for (unsigned i = n; i; i--)
		sliced_heap_free(&env->sliced_heap, blocks[i - 1]);
	return n;
}

/*
 * sliced_many: the sliced heap holds a dataspace per block, many more
 * than env_t's inline records, and runs out only where the quota does,
 * saying which quota truthfully; a second round ends where the first
 * did: nothing stays charged but what core and the capability table keep
 * for reuse.
 */
static void sliced_many(env_t *env)
{
	pd_quota_t q0, q1, q2, full;
	err_t e;
	unsigned regions, regions_again;
	pd_quota(env->pd, &q0);
	unsigned n = sliced_round(env, &e, &full, &regions);
	pd_quota(env->pd, &q1);
	log_printf(
	    "test-ram: sliced heap: %u blocks, then %s; RAM %lu of %lu KiB, caps %lu of %lu\n", n,
	    err_name(e), full.ram_used >> 10, full.ram_quota >> 10, full.cap_used, full.cap_quota);
	check(n >= 200 && regions >= n,
	      "200 and more sliced-heap blocks, a dataspace each: no table limit");
	/* a block costs its page, core's record of it and a cap */
	int truthful = (e == ERR_OUT_OF_RAM && full.ram_quota - full.ram_used < 4 * 4096) ||
		       (e == ERR_OUT_OF_CAPS && full.cap_quota - full.cap_used < 4);
	check(truthful, "the sliced heap runs out where the quota does, and says which");
	unsigned again = sliced_round(env, &e, &full, &regions_again);
	pd_quota(env->pd, &q2);
	log_printf("test-ram: RAM used %lu before, %lu after one round, %lu after two\n",
		   q0.ram_used, q1.ram_used, q2.ram_used);
	check(again == n && q2.ram_used == q1.ram_used && q2.cap_used == q0.cap_used &&
		  q1.ram_used - q0.ram_used <= 64 * 1024 + table_pages(),
	      "all its dataspaces given back: a second round ends where the first did");
}

/* sessions: donated quota leaves the account on open and upgrade, and comes back on close. */
static void sessions(env_t *env)
{
	uint64_t before = used(env);
	cap_t log;
	err_t e = parent_session_open("LOG label=quota ram_quota=8192", &log);
	check(e == ERR_OK && used(env) >= before + 8192, "opening a session donates its quota");
	check(parent_session_upgrade(log, 4096, 0) == ERR_OK && used(env) >= before + 12288,
	      "upgrading a session donates more");
	check(log_session_write(log, "a line through a LOG session of my own") == ERR_OK,
	      "LOG write");
	check(parent_session_close(log) == ERR_OK && used(env) == before,
	      "closing returns all of it");
}

static uint8_t spin_stack[8192] __attribute__((aligned(16)));

static void spinner(word_t arg, utcb_t *utcb)
{
	for (;;)
		;
}

/* priority_capped: a busy thread that asked for priority 30 must not starve this one. */
static void priority_capped(env_t *env)
{
	check(pd_thread(env->pd, spinner, spin_stack + sizeof(spin_stack), 30, 0) == ERR_OK,
	      "a busy thread asking for priority 30");
	for (int i = 0; i < 5; i++)
		sys_yield(); /* returns only because the spinner got the default priority */
	check(1, "its priority was capped: this thread still runs");
}

int component_main(env_t *env)
{
	pd_quota_t q;
	pd_quota(env->pd, &q);
	log_printf("test-ram: quota %lu KiB, used %lu KiB, %lu of %lu caps\n", q.ram_quota >> 10,
		   q.ram_used >> 10, q.cap_used, q.cap_quota);
	uint64_t start = q.ram_used;
	round_trip(env);
	big_dataspace(env);
	bad_sizes(env);
	exhaust(env);
	heap_use(env);
	sliced_many(env);
	sessions(env);
	cap_t dev;
	refused(env, "device sessions need the io policy",
		parent_session_open("IO_PORT base=0x70 size=2 ram_quota=4096", &dev), ERR_DENIED);
	refused(env, "children need the policy too",
		parent_session_open("PD label=x ram_quota=65536 cap_quota=16", &dev), ERR_DENIED);
	full_table(env);
	priority_capped(env);
	uint64_t end = used(env);
	log_printf("test-ram: used at start %lu bytes, at the end %lu bytes\n", start, end);
	/* kept for reuse: the heap's chunks, core's record chunks (sliced_many), the grown table */
	check(end <= start + 2 * 64 * 1024 + table_pages(),
	      "nothing leaked beyond the kept chunks and the grown table");
	log_printf("test-ram: %s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
