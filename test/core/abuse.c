/*
 * A self-test of the privileged calls, linked only into the test variant of
 * core (module test-core) and run with core_test=abuse on the command line:
 * every call below must fail with exactly the expected error, and a
 * capability to a destroyed object must stay dead even after its frame
 * holds a new object.
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <session_args.h>

static unsigned passed, failed;

static void expect(const char *what, err_t got, err_t want)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	log_printf("core: abuse: %s: got %s, expected %s\n", what, err_name(got), err_name(want));
}

#define K SLOT_KERNEL
#define CALL(nr, ...) kcall(nr, __VA_ARGS__, 0, 0)

static err_t kcall(word_t nr, word_t a, word_t b, word_t c, word_t d, word_t e, ...)
{
	return sys6(nr, K, a, b, c, d, e);
}

/* abuse_debug_log: the kernel's copy from user memory refuses every bad address and length. */
static void abuse_debug_log(void)
{
	static const char text[] = "x";
	expect("log: kernel address", sys_debug_log((const char *)0xffffffff80100000ull, 8),
	       ERR_BAD_ADDRESS);
	expect("log: direct map", sys_debug_log((const char *)0xffff800000000000ull, 8),
	       ERR_BAD_ADDRESS);
	expect("log: non-canonical", sys_debug_log((const char *)0x0000800000000000ull, 8),
	       ERR_BAD_ADDRESS);
	expect("log: null", sys_debug_log(0, 8), ERR_BAD_ADDRESS);
	expect("log: unmapped", sys_debug_log((const char *)0x0000100000000000ull, 8),
	       ERR_BAD_ADDRESS);
	expect("log: too long", sys_debug_log(text, 257), ERR_INVALID_ARGS);
	expect("log: huge length", sys_debug_log(text, ~(word_t)0), ERR_INVALID_ARGS);
	expect("log: end of user half", sys_debug_log((const char *)0x00007ffffffffffcull, 8),
	       ERR_BAD_ADDRESS);
	expect("log: ok", sys_debug_log("core: abuse: a valid log call\n", 30), ERR_OK);
}

static void abuse_create(paddr_t frame)
{
	cap_t s = slot_alloc();
	expect("create: unknown type", CALL(SYS_CREATE, 99, s, frame, 0, 0), ERR_INVALID_ARGS);
	expect("create: slot 0", CALL(SYS_CREATE, OBJ_ENDPOINT, 0, frame, 0, 0), ERR_INVALID_CAP);
	expect("create: slot in use", CALL(SYS_CREATE, OBJ_ENDPOINT, SLOT_KERNEL, frame, 0, 0),
	       ERR_SLOT_IN_USE);
	expect("create: slot beyond table", CALL(SYS_CREATE, OBJ_ENDPOINT, 1u << 30, frame, 0, 0),
	       ERR_INVALID_CAP);
	expect("create: slot wider than cap_t",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, 1ull << 40, frame, 0, 0), ERR_INVALID_CAP);
	expect("create: unaligned frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, frame + 8, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("create: kernel image frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, 0x100000, 0, 0),
	       ERR_BUSY);
	expect("create: frame beyond RAM", CALL(SYS_CREATE, OBJ_ENDPOINT, s, 1ull << 45, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("create: thread in a non-PD", CALL(SYS_CREATE, OBJ_THREAD, s, frame, core_ep, 1),
	       ERR_WRONG_TYPE);
	expect("create: thread priority", CALL(SYS_CREATE, OBJ_THREAD, s, frame, SLOT_SELF_PD, 99),
	       ERR_INVALID_ARGS);
	expect("create: PD with one frame twice", CALL(SYS_CREATE, OBJ_PD, s, frame, frame, 0),
	       ERR_INVALID_ARGS);
	expect("create: IRQ line 99", CALL(SYS_CREATE, OBJ_IRQ, s, frame, 99, 0), ERR_INVALID_ARGS);
	expect("create: timer IRQ", CALL(SYS_CREATE, OBJ_IRQ, s, frame, 0, 0), ERR_BUSY);
	slot_free(s);
}

/* map_call: SYS_MAP in core's own PD with n table frames offered; frames taken, pages mapped. */
static err_t map_call(vaddr_t va, paddr_t pa, word_t run, const paddr_t *tables, word_t n,
		      word_t *taken, word_t *mapped)
{
	memcpy(sys_utcb()->mr, tables, n * sizeof(paddr_t));
	sys_regs_t s = {{SYS_MAP, K, SLOT_SELF_PD, va, pa, run, n}};
	err_t e = sys_invoke(&s);
	if (taken)
		*taken = s.r[2];
	if (mapped)
		*mapped = s.r[3];
	return e;
}

#define MAP1(va, pa, flags) CALL(SYS_MAP, SLOT_SELF_PD, va, pa, MAP_RUN(flags, 1), 0)
#define DEVICE 0x40000000ull /* beyond the RAM of every scenario: device memory */

/* abuse_map_args: flags, counts, addresses and frames of the mapping itself. */
static void abuse_map_args(paddr_t frame, paddr_t kobj_frame)
{
	vaddr_t va = 0x10000000;
	expect("map: kernel object frame", MAP1(va, kobj_frame, MAP_WRITE), ERR_DENIED);
	expect("map: kernel image", MAP1(va, 0x100000, 0), ERR_DENIED);
	expect("map: write+exec", MAP1(va, frame, MAP_WRITE | MAP_EXEC), ERR_INVALID_ARGS);
	expect("map: unknown flags", MAP1(va, frame, 0x80), ERR_INVALID_ARGS);
	expect("map: kernel address", MAP1(0xffff800000000000ull, frame, 0), ERR_BAD_ADDRESS);
	expect("map: non-canonical", MAP1(0x0000800000000000ull, frame, 0), ERR_BAD_ADDRESS);
	expect("map: unaligned address", MAP1(va + 1, frame, 0), ERR_BAD_ADDRESS);
	expect("map: unaligned frame", MAP1(va, frame + 1, 0), ERR_BAD_ADDRESS);
	expect("map: physical address too wide", MAP1(va, 1ull << 60, 0), ERR_BAD_ADDRESS);
	expect("map: not a PD", CALL(SYS_MAP, core_ep, va, frame, MAP_RUN(0, 1), 0),
	       ERR_WRONG_TYPE);
	expect("map: no pages", CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_RUN(0, 0), 0),
	       ERR_INVALID_ARGS);
	expect("map: a count that overflows",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_RUN(0, 1ull << 47), 0), ERR_INVALID_ARGS);
	expect("map: more pages than a table",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, frame, MAP_RUN(0, MAP_RUN_PAGES_MAX + 1), 0),
	       ERR_INVALID_ARGS);
	expect("map: a run across two tables",
	       CALL(SYS_MAP, SLOT_SELF_PD, va + LARGE_PAGE - PAGE_SIZE, DEVICE, MAP_RUN(0, 2), 0),
	       ERR_INVALID_ARGS);
	expect("map: a run beyond the user half",
	       CALL(SYS_MAP, SLOT_SELF_PD, USER_TOP - LARGE_PAGE, DEVICE, MAP_RUN(MAP_LARGE, 2), 0),
	       ERR_BAD_ADDRESS);
	expect("map: a run over a kernel frame",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, 0x100000 - 4 * PAGE_SIZE, MAP_RUN(0, 8), 0),
	       ERR_DENIED);
	expect("map: a large page over the kernel",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, 0, MAP_RUN(MAP_LARGE, 1), 0), ERR_DENIED);
	expect("map: an unaligned large page",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, LARGE_PAGE + PAGE_SIZE, MAP_RUN(MAP_LARGE, 1), 0),
	       ERR_BAD_ADDRESS);
	expect("map: more large pages than a call may cover",
	       CALL(SYS_MAP, SLOT_SELF_PD, va, DEVICE, MAP_RUN(MAP_LARGE, 9), 0), ERR_INVALID_ARGS);
}

/* abuse_map_tables: the frames offered as page tables; frame is two frames; va has no tables. */
static void abuse_map_tables(vaddr_t va, paddr_t frame, paddr_t kobj_frame, paddr_t t[3])
{
	paddr_t bad[4] = {t[0], t[1], t[2], t[0]}, twice[3] = {t[0], t[1], t[0]};
	word_t taken = 0, mapped = 0;
	expect("map: four table frames", map_call(va, frame, MAP_RUN(MAP_WRITE, 1), bad, 4, 0, 0),
	       ERR_INVALID_ARGS);
	expect("map: one table frame twice", map_call(va, frame, MAP_RUN(0, 1), twice, 3, 0, 0),
	       ERR_INVALID_ARGS);
	bad[0] = 1ull << 45;
	expect("map: a table frame beyond RAM", map_call(va, frame, MAP_RUN(0, 1), bad, 1, 0, 0),
	       ERR_BAD_ADDRESS);
	bad[0] = t[0] + 8;
	expect("map: an unaligned table frame", map_call(va, frame, MAP_RUN(0, 1), bad, 1, 0, 0),
	       ERR_BAD_ADDRESS);
	bad[0] = 0x100000;
	expect("map: the kernel image as a table", map_call(va, frame, MAP_RUN(0, 1), bad, 1, 0, 0),
	       ERR_BUSY);
	bad[0] = kobj_frame;
	expect("map: a kernel object as a table", map_call(va, frame, MAP_RUN(0, 1), bad, 1, 0, 0),
	       ERR_BUSY);
	bad[0] = frame;
	expect("map: the mapped frame as its own table",
	       map_call(va, frame, MAP_RUN(0, 1), bad, 1, 0, 0), ERR_INVALID_ARGS);
	expect("map: three tables missing, two offered",
	       map_call(va, frame, MAP_RUN(0, 1), t, 2, 0, 0), ERR_NO_MEMORY);
	expect("map: with three tables offered",
	       map_call(va, frame, MAP_RUN(MAP_WRITE, 1), t, 3, &taken, &mapped), ERR_OK);
	expect("map: all three taken, one page mapped",
	       taken == 3 && mapped == 1 ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	expect("map: mapped now", *(volatile uint64_t *)va == 0 ? ERR_OK : ERR_INVALID_ARGS,
	       ERR_OK);
	expect("map: twice", MAP1(va, frame, MAP_WRITE), ERR_EXISTS);
	bad[0] = frame;
	expect("map: a mapped frame as a table",
	       map_call(va + (512ull << 30), frame, MAP_RUN(0, 1), bad, 1, 0, 0), ERR_BUSY);
	expect("map: frames not needed are not looked at",
	       map_call(va + 2 * PAGE_SIZE, DEVICE, MAP_RUN(0, 1), bad, 1, &taken, &mapped),
	       ERR_OK);
	expect("map: none taken", taken == 0 && mapped == 1 ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	expect("map: a run, its first page mapped already",
	       map_call(va, frame, MAP_RUN(0, 2), 0, 0, &taken, &mapped), ERR_OK);
	expect("map: the rest of the run mapped, no table taken",
	       taken == 0 && mapped == 1 ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	expect("map: a large page where a table is",
	       MAP1(va & ~(LARGE_PAGE - 1), DEVICE, MAP_LARGE), ERR_EXISTS);
	cap_t s = slot_alloc();
	expect("create: mapped frame", CALL(SYS_CREATE, OBJ_ENDPOINT, s, frame, 0, 0), ERR_BUSY);
	slot_free(s);
}

/* unmap_call: SYS_UNMAP in core's own PD; where it stopped, pages left, tables handed back. */
static err_t unmap_call(vaddr_t va, word_t pages, word_t *left, word_t *back)
{
	sys_regs_t s = {{SYS_UNMAP, K, SLOT_SELF_PD, va, pages, 0, 0}};
	err_t e = sys_invoke(&s);
	*left = s.r[4], *back = s.r[5];
	return e;
}

/* abuse_unmap: bad ranges, then the 512 GiB slot of va emptied: its three tables come back. */
static void abuse_unmap(vaddr_t va, const paddr_t t[3])
{
	word_t left, back;
	vaddr_t slot = va & ~((512ull << 30) - 1);
	expect("unmap: overflow",
	       CALL(SYS_UNMAP, SLOT_SELF_PD, 0x00007ffffffff000ull, 1ull << 40, 0),
	       ERR_BAD_ADDRESS);
	expect("unmap: wraps", CALL(SYS_UNMAP, SLOT_SELF_PD, va, ~0ull / 4096, 0), ERR_BAD_ADDRESS);
	expect("unmap: unaligned", CALL(SYS_UNMAP, SLOT_SELF_PD, va + 4, 1, 0), ERR_BAD_ADDRESS);
	expect("unmap: core's RAM window", CALL(SYS_UNMAP, SLOT_SELF_PD, CORE_PHYS_WINDOW, 1, 0),
	       ERR_DENIED);
	expect("unmap: 512 GiB, three pages mapped", unmap_call(slot, 1ull << 27, &left, &back),
	       ERR_OK);
	int all = back == 3 && left == 0;
	for (unsigned i = 0; all && i < 3; i++)
		all = sys_utcb()->mr[0] == t[i] || sys_utcb()->mr[1] == t[i] ||
		      sys_utcb()->mr[2] == t[i];
	expect("unmap: done in one call, the three tables handed back",
	       all ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	cap_t s = slot_alloc();
	expect("unmap: a handed-back table can be an object",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, s, t[0], 0, 0), ERR_OK);
	CALL(SYS_DESTROY, s, 0, 0, 0, 0);
	slot_free(s);
	expect("unmap: nothing left to unmap", unmap_call(slot, 1ull << 27, &left, &back), ERR_OK);
}

/* abuse_large: a large page of core's own RAM: every frame under it counts as mapped. */
static void abuse_large(const paddr_t t[3])
{
	paddr_t big;
	vaddr_t va = 0x0000500000000000ull;
	word_t taken, mapped, left, back;
	if (phys_alloc_range(CORE_OWNER, LARGE_PAGE, &big) != ERR_OK || (big & (LARGE_PAGE - 1))) {
		expect("large: an aligned block", ERR_OUT_OF_RAM, ERR_OK);
		return;
	}
	expect("large: map", map_call(va, big, MAP_RUN(MAP_WRITE | MAP_LARGE, 1), t, 3, &taken, 0),
	       ERR_OK);
	((volatile uint8_t *)va)[LARGE_PAGE - 1] = 0x5a;
	expect("large: written through the large page",
	       *((uint8_t *)phys_window(big) + LARGE_PAGE - 1) == 0x5a ? ERR_OK : ERR_DENIED,
	       ERR_OK);
	expect("large: a 4 KiB page inside it", MAP1(va + PAGE_SIZE, big, 0), ERR_EXISTS);
	cap_t s = slot_alloc();
	expect("large: its last frame is mapped",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, s, big + LARGE_PAGE - PAGE_SIZE, 0, 0), ERR_BUSY);
	expect("large: unmap one page of it", unmap_call(va + PAGE_SIZE, 1, &left, &back), ERR_OK);
	expect("large: the whole large page went",
	       map_call(va, big, MAP_RUN(MAP_WRITE, 2), 0, 0, 0, &mapped) == ERR_NO_MEMORY
		   ? ERR_OK
		   : ERR_EXISTS,
	       ERR_OK);
	expect("large: its frames are free for objects",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, s, big + LARGE_PAGE - PAGE_SIZE, 0, 0), ERR_OK);
	CALL(SYS_DESTROY, s, 0, 0, 0, 0);
	slot_free(s);
	expect("large: its tables handed back", unmap_call(va, 1ull << 27, &left, &back), ERR_OK);
	expect("large: two tables", back == 2 ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	phys_free(big);
}

/* map_with_pool: map a run at va, the tables from pool (taken ones zeroed out of it). */
static err_t map_with_pool(vaddr_t va, paddr_t pa, word_t run, paddr_t *pool, unsigned n)
{
	paddr_t offer[3];
	unsigned k = 0, at[3];
	for (unsigned i = 0; i < n && k < 3; i++)
		if (pool[i])
			at[k] = i, offer[k++] = pool[i];
	word_t taken = 0;
	err_t e = map_call(va, pa, run, offer, k, &taken, 0);
	for (word_t i = 0; i < taken; i++)
		pool[at[i]] = 0;
	return e;
}

/* pool_put_back: the back tables SYS_UNMAP handed back (in the UTCB) into free places of pool. */
static void pool_put_back(paddr_t *pool, unsigned n, word_t back)
{
	for (word_t i = 0; i < back; i++)
		for (unsigned j = 0; j < n; j++)
			if (!pool[j]) {
				pool[j] = sys_utcb()->mr[i];
				break;
			}
}

/*
 * abuse_unmap_calls: an unmap that takes several calls removes exactly its
 * range: five full page tables of one large block, with a page just below
 * and one just above; the tables of the range come back, the frames are
 * free for objects again.
 */
static void abuse_unmap_calls(void)
{
	paddr_t pool[12] = {0}, big;
	vaddr_t va = 0x0000600000000000ull, from = va + LARGE_PAGE, to = from + 5 * LARGE_PAGE;
	word_t left = 5 * 512, back = 0, calls = 0, released = 0;
	for (unsigned i = 0; i < 12; i++)
		if (phys_alloc_raw(CORE_OWNER, PAGE_SIZE, &pool[i]) != ERR_OK)
			return;
	if (phys_alloc_range(CORE_OWNER, LARGE_PAGE, &big) != ERR_OK)
		return;
	err_t e = map_with_pool(from - PAGE_SIZE, big, MAP_RUN(0, 1), pool, 12);
	for (vaddr_t p = from; e == ERR_OK && p <= to; p += LARGE_PAGE)
		e = map_with_pool(p, big, MAP_RUN(0, p == to ? 1 : 512), pool, 12);
	expect("unmap in calls: set-up", e, ERR_OK);
	for (vaddr_t at = from; e == ERR_OK && left && calls < 100; calls++, released += back) {
		e = unmap_call(at, left, &left, &back);
		at = to - left * PAGE_SIZE;
		pool_put_back(pool, 12, back);
	}
	expect("unmap in calls: more than one call, five tables back",
	       e == ERR_OK && !left && calls > 1 && released == 5 ? ERR_OK : ERR_INVALID_ARGS,
	       ERR_OK);
	expect("unmap in calls: the page below stays", MAP1(from - PAGE_SIZE, big, 0), ERR_EXISTS);
	expect("unmap in calls: the page above stays", MAP1(to, big, 0), ERR_EXISTS);
	expect("unmap in calls: the range is gone", MAP1(from, big, 0), ERR_NO_MEMORY);
	cap_t s = slot_alloc();
	expect("unmap in calls: a frame of the block is free for objects",
	       CALL(SYS_CREATE, OBJ_ENDPOINT, s, big + 2 * PAGE_SIZE, 0, 0), ERR_OK);
	CALL(SYS_DESTROY, s, 0, 0, 0, 0);
	slot_free(s);
	left = 1ull << 27, released = 0;
	for (vaddr_t at = va; left && calls < 200; calls++, released += back) {
		unmap_call(at, left, &left, &back);
		at = va + (512ull << 30) - left * PAGE_SIZE;
		pool_put_back(pool, 12, back);
	}
	expect("unmap in calls: the other four tables back with the slot",
	       released == 4 && !left ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	for (unsigned i = 0; i < 12; i++)
		if (pool[i])
			phys_free(pool[i]);
	phys_free(big);
}

static void abuse_map(paddr_t frame, paddr_t kobj_frame)
{
	paddr_t t[3], two;
	vaddr_t va = 0x0000400000000000ull; /* a 512 GiB slot of core with no tables */
	for (unsigned i = 0; i < 3; i++)
		if (phys_alloc_raw(CORE_OWNER, PAGE_SIZE, &t[i]) != ERR_OK)
			return;
	if (phys_alloc_range(CORE_OWNER, 2 * PAGE_SIZE, &two) != ERR_OK)
		return;
	abuse_map_args(frame, kobj_frame);
	abuse_map_tables(va, two, kobj_frame, t);
	abuse_unmap(va, t);
	abuse_large(t);
	abuse_unmap_calls();
	for (unsigned i = 0; i < 3; i++)
		phys_free(t[i]);
	phys_free(two);
	expect("the call that added one table is gone", CALL(20, SLOT_SELF_PD, va, t[0], 0, 0),
	       ERR_UNKNOWN_SYSCALL);
}

static void abuse_objects(void)
{
	expect("destroy: kernel cap", CALL(SYS_DESTROY, SLOT_KERNEL, 0, 0, 0, 0), ERR_DENIED);
	expect("destroy: own thread", CALL(SYS_DESTROY, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BUSY);
	expect("destroy: own PD", CALL(SYS_DESTROY, SLOT_SELF_PD, 0, 0, 0, 0), ERR_BUSY);
	expect("destroy: empty slot", CALL(SYS_DESTROY, 4000, 0, 0, 0, 0), ERR_INVALID_CAP);
	cap_t s = slot_alloc();
	expect("mint: kernel cap", CALL(SYS_CAP_MINT, SLOT_SELF_PD, s, SLOT_KERNEL, 0, RIGHTS_ALL),
	       ERR_DENIED);
	expect("mint: bad rights", CALL(SYS_CAP_MINT, SLOT_SELF_PD, s, core_ep, 0, 0x80),
	       ERR_INVALID_ARGS);
	slot_free(s);
	thread_start_t *p = (thread_start_t *)sys_utcb()->mr;
	memset(p, 0, sizeof(*p));
	expect("thread start: zero UTCB frame",
	       CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BAD_ADDRESS);
	p->utcb_paddr = 0x100000; /* the kernel image */
	expect("thread start: kernel frame as UTCB",
	       CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0), ERR_BAD_ADDRESS);
	p->ip = 0xffffffff80000000ull;
	expect("thread start: kernel ip", CALL(SYS_THREAD_START, SLOT_SELF_THREAD, 0, 0, 0, 0),
	       ERR_BAD_ADDRESS);

	expect("thread state: bad op", CALL(SYS_THREAD_STATE, SLOT_SELF_THREAD, 77, 0, 0, 0),
	       ERR_INVALID_ARGS);
	expect("thread state: stop self",
	       CALL(SYS_THREAD_STATE, SLOT_SELF_THREAD, THREAD_STATE_STOP, 0, 0, 0), ERR_BUSY);
	expect("io ports: bad value", CALL(SYS_PD_IO_PORTS, SLOT_SELF_PD, 7, 0, 0, 0),
	       ERR_INVALID_ARGS);
}

#define IO(base, size, allow, pa) CALL(SYS_PD_IO_PORTS, SLOT_SELF_PD, base, size, allow, pa)

/*
 * abuse_io_ports: the kernel's own ports are never opened, bitmap frames are
 * checked, all of them, before any is taken; core itself keeps no ports.
 */
static void abuse_io_ports(void)
{
	paddr_t run;
	cap_t ep = slot_alloc();
	expect("io ports: the debug-exit device", IO(0xf7, 1, 1, 0), ERR_DENIED);
	expect("io ports: the PIT, in a wide range", IO(0x40, 0x100, 1, 0), ERR_DENIED);
	expect("io ports: the slave PIC", IO(0xa1, 1, 1, 0), ERR_DENIED);
	expect("io ports: the console", IO(0x3fc, 1, 1, 0), ERR_DENIED);
	expect("io ports: closing without a bitmap", IO(0x2f8, 8, 0, 0), ERR_OK);
	expect("io ports: bitmap in the kernel image", IO(0x2f8, 8, 1, 0x100000), ERR_BUSY);
	expect("io ports: bitmap frames wrap", IO(0x2f8, 8, 1, ~0xfffull), ERR_BAD_ADDRESS);
	if (phys_alloc_range(CORE_OWNER, IO_PORTS_FRAMES * PAGE_SIZE, &run) != ERR_OK)
		return;
	expect("io ports: unaligned bitmap frames", IO(0x2f8, 8, 1, run + 8), ERR_BAD_ADDRESS);
	paddr_t last = run + (IO_PORTS_FRAMES - 1) * PAGE_SIZE;
	if (CALL(SYS_CREATE, OBJ_ENDPOINT, ep, last, 0, 0) == ERR_OK) {
		expect("io ports: the last bitmap frame holds an object", IO(0x2f8, 8, 1, run),
		       ERR_BUSY);
		CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
		expect("io ports: a refused bitmap took no frame",
		       CALL(SYS_CREATE, OBJ_ENDPOINT, ep, run, 0, 0), ERR_OK);
		CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
	}
	slot_free(ep);
	phys_free(run);
}

/* A capability to a destroyed endpoint must not reach the next object in its frame. */
static void abuse_stale(void)
{
	paddr_t frame;
	cap_t ep = slot_alloc(), copy = slot_alloc(), again = slot_alloc();
	if (phys_alloc(CORE_OWNER, &frame) != ERR_OK)
		return;
	expect("stale: create", CALL(SYS_CREATE, OBJ_ENDPOINT, ep, frame, 0, 0), ERR_OK);
	expect("stale: mint", CALL(SYS_CAP_MINT, SLOT_SELF_PD, copy, ep, 42, RIGHT_SEND), ERR_OK);
	expect("stale: destroy", CALL(SYS_DESTROY, ep, 0, 0, 0, 0), ERR_OK);
	msg_t m = {0};
	expect("stale: call the dead copy", sys_call(copy, &m), ERR_INVALID_CAP);
	expect("stale: re-create in the same frame",
	       CALL(SYS_CREATE, OBJ_SIGNAL, again, frame, 0, 0), ERR_OK);
	expect("stale: copy still dead", sys_call(copy, &m), ERR_INVALID_CAP);
	expect("stale: submit through the copy", sys_signal_submit(copy), ERR_INVALID_CAP);
	expect("stale: destroy the signal", CALL(SYS_DESTROY, again, 0, 0, 0, 0), ERR_OK);
	slot_free(ep), slot_free(copy), slot_free(again);
	phys_free(frame);
}

static uint8_t nopager_stack[4096] __attribute__((aligned(16)));
static uint8_t noports_stack[4096] __attribute__((aligned(16)));

/* nopager_entry: a thread of core with no pager; its fault stops it with a kernel log line. */
static volatile uintptr_t nopager_target = 0x8; /* nothing is mapped there */

static void nopager_entry(void)
{
	*(volatile int *)nopager_target = 1;
	for (;;)
		;
}

/* noports_entry: core holds no port, not even the harmless POST port: a #GP. */
static void noports_entry(void)
{
	__asm__ volatile("inb $0x80, %%al" ::: "rax");
	for (;;)
		;
}

/* map_self: map frame pa at va in core's own PD, with the page tables it needs. */
static err_t map_self(vaddr_t va, paddr_t pa)
{
	paddr_t t[3];
	word_t taken = 0;
	for (unsigned i = 0; i < 3; i++)
		if (phys_alloc_raw(CORE_OWNER, PAGE_SIZE, &t[i]) != ERR_OK)
			return ERR_OUT_OF_RAM;
	err_t e = map_call(va, pa, MAP_RUN(MAP_WRITE, 1), t, 3, &taken, 0);
	for (word_t i = taken; i < 3; i++)
		phys_free(t[i]);
	return e;
}

/* fault_without_pager: start a thread of core without a pager; the kernel stops its fault. */
static void fault_without_pager(const char *name, void (*entry)(void), uint8_t *stack,
				vaddr_t utcb_va)
{
	cap_t t;
	paddr_t utcb;
	account_t acct = {.ram_quota = ~0ull, .cap_quota = ~0ull, .owner = CORE_OWNER};
	if (kobj_create(&acct, OBJ_THREAD, SLOT_SELF_PD, PRIORITY_DEFAULT, &t, 0) != ERR_OK ||
	    phys_alloc(CORE_OWNER, &utcb) != ERR_OK || map_self(utcb_va, utcb) != ERR_OK) {
		expect("thread without pager: set-up", ERR_OUT_OF_RAM, ERR_OK);
		return;
	}
	thread_start_t *p = (thread_start_t *)sys_utcb()->mr;
	memset(p, 0, sizeof(*p));
	p->ip = (word_t)entry;
	p->sp = (word_t)(stack + 4096 - 8);
	p->utcb_vaddr = utcb_va, p->utcb_paddr = utcb;
	format_buf(p->name, sizeof(p->name), "%s", name);
	expect("thread without pager: start", CALL(SYS_THREAD_START, t, 0, 0, 0, 0), ERR_OK);
	/* it runs once core waits for requests, and the kernel stops it */
}

/* slot_churn: many slots taken and given back; none may get lost. */
static void slot_churn(void)
{
	static cap_t slots[700];
	uint64_t before = slot_available();
	for (unsigned i = 0; i < 700; i++)
		slots[i] = slot_alloc();
	for (unsigned i = 0; i < 700; i++)
		slot_free(slots[i]);
	slot_free(slots[0]); /* twice: must not count twice */
	expect("slots: all back after 700 taken and freed",
	       slot_available() == before ? ERR_OK : ERR_NO_SLOT, ERR_OK);
}

/* abuse_zero: SYS_ZERO clears RAM core owns and nothing else. */
static void abuse_zero(paddr_t kobj)
{
	paddr_t two;
	expect("zero: size 0", CALL(SYS_ZERO, 0x200000, 0, 0, 0), ERR_INVALID_ARGS);
	expect("zero: beyond ZERO_MAX", CALL(SYS_ZERO, 0x200000, ZERO_MAX + PAGE_SIZE, 0, 0),
	       ERR_INVALID_ARGS);
	expect("zero: unaligned address", CALL(SYS_ZERO, 0x200008, PAGE_SIZE, 0, 0),
	       ERR_BAD_ADDRESS);
	expect("zero: unaligned size", CALL(SYS_ZERO, 0x200000, 100, 0, 0), ERR_BAD_ADDRESS);
	expect("zero: the kernel image", CALL(SYS_ZERO, 0x100000, PAGE_SIZE, 0, 0), ERR_BUSY);
	expect("zero: a kernel object", CALL(SYS_ZERO, kobj, PAGE_SIZE, 0, 0), ERR_BUSY);
	expect("zero: beyond RAM", CALL(SYS_ZERO, 1ull << 40, PAGE_SIZE, 0, 0), ERR_BAD_ADDRESS);
	expect("zero: below 1 MiB (not core's)", CALL(SYS_ZERO, 0xb8000, PAGE_SIZE, 0, 0),
	       ERR_BUSY);
	if (phys_alloc_raw(CORE_OWNER, 2 * PAGE_SIZE, &two) != ERR_OK)
		return;
	uint64_t *w = phys_window(two);
	for (unsigned i = 0; i < 1024; i++)
		w[i] = ~0ull - i;
	expect("zero: two pages of core's", CALL(SYS_ZERO, two, 2 * PAGE_SIZE, 0, 0), ERR_OK);
	int zero = 1;
	for (unsigned i = 0; i < 1024; i++)
		zero &= w[i] == 0;
	expect("zero: they read zero", zero ? ERR_OK : ERR_INVALID_ARGS, ERR_OK);
	phys_free(two);
}

/*
 * abuse_many_blocks: more single frames than the node pool's static part
 * has nodes for (about 30,000): the pool grows instead of failing, and
 * everything comes back when they are freed (but the nodes' memory).
 */
static void abuse_many_blocks(void)
{
	enum { BLOCKS = 40000 };
	uint64_t before = phys_avail(), nodes = phys_node_memory();
	paddr_t head = 0, pa;
	unsigned n = 0;
	while (n < BLOCKS && phys_alloc_raw(CORE_OWNER, PAGE_SIZE, &pa) == ERR_OK) {
		*(paddr_t *)phys_window(pa) = head; /* a chain through the frames themselves */
		head = pa;
		n++;
	}
	expect("40,000 single frames, beyond the static node pool",
	       n == BLOCKS ? ERR_OK : ERR_OUT_OF_RAM, ERR_OK);
	while (head) {
		pa = head;
		head = *(paddr_t *)phys_window(pa);
		phys_free(pa);
	}
	uint64_t grown = phys_node_memory() - nodes;
	log_printf("core: abuse: %u blocks at once; the node pool grew by %lu KiB\n", n,
		   grown >> 10);
	expect("the node pool grew", grown ? ERR_OK : ERR_OUT_OF_RAM, ERR_OK);
	expect("and all RAM but the nodes' came back",
	       phys_avail() + grown == before ? ERR_OK : ERR_OUT_OF_RAM, ERR_OK);
}

static void abuse_run(void)
{
	paddr_t frame, kobj;
	cap_t ep = slot_alloc();
	if (phys_alloc(CORE_OWNER, &frame) != ERR_OK || phys_alloc(CORE_OWNER, &kobj) != ERR_OK ||
	    CALL(SYS_CREATE, OBJ_ENDPOINT, ep, kobj, 0, 0) != ERR_OK) {
		log_printf("core: abuse: cannot set up\n");
		return;
	}
	abuse_create(frame);
	abuse_debug_log();
	abuse_map(frame, kobj);
	abuse_objects();
	abuse_stale();
	slot_churn();
	abuse_io_ports();
	abuse_zero(kobj);
	abuse_many_blocks();
	fault_without_pager("nopager", nopager_entry, nopager_stack, 0x20000000);
	fault_without_pager("noports", noports_entry, noports_stack, 0x20001000);
	expect("unknown syscall", sys6(999, 0, 0, 0, 0, 0, 0), ERR_UNKNOWN_SYSCALL);
	CALL(SYS_DESTROY, ep, 0, 0, 0, 0);
	slot_free(ep);
	phys_free(frame);
	phys_free(kobj);
	log_printf("core: abuse: %u privileged calls rejected as expected, %u unexpected\n", passed,
		   failed);
}

static int cmdline_has(const char *cmdline, const char *word)
{
	size_t wl = strlen(word), l;
	const char *pos = cmdline, *w;
	while ((w = args_word(&pos, &l)))
		if (l == wl && !strncmp(w, word, l))
			return 1;
	return 0;
}

void core_selftest(const bootinfo_t *bi)
{
	if (cmdline_has(bi->cmdline, "core_test=abuse"))
		abuse_run();
}
