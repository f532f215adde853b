/*
 * Host unit tests for the capability slot set (lib/sys/slot.c): every
 * slot of the range exactly once, the fixed slots never, a release twice
 * keeps it a set, and threads allocating and releasing at once never get
 * the same slot (the set is shared by a component's threads).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <cmocka.h>

#include <sys.h>
#include <abi/slots.h>

#define COUNT 300

static void test_all_once(void **state)
{
	static uint8_t seen[COUNT];
	slot_init(SLOT_FIRST_FREE, COUNT);
	assert_int_equal(slot_available(), COUNT - SLOT_FIRST_FREE);
	for (unsigned i = SLOT_FIRST_FREE; i < COUNT; i++) {
		cap_t s = slot_alloc();
		assert_true(s >= SLOT_FIRST_FREE && s < COUNT);
		assert_false(seen[s]);
		seen[s] = 1;
	}
	assert_int_equal(slot_alloc(), 0);
	assert_int_equal(slot_available(), 0);
	slot_release(42);
	slot_release(42); /* twice: still one slot */
	slot_release(3);  /* a fixed slot: never in the set */
	slot_release(COUNT + 5);
	assert_int_equal(slot_available(), 1);
	assert_int_equal(slot_alloc(), 42);
	assert_int_equal(slot_alloc(), 0);
	for (unsigned i = SLOT_FIRST_FREE; i < COUNT; i++)
		slot_release(i);
	assert_int_equal(slot_available(), COUNT - SLOT_FIRST_FREE);
}

static volatile int owner[COUNT];
static volatile int clashes;

static void *churn(void *arg)
{
	int me = (int)(intptr_t)arg;
	cap_t held[16];
	for (int round = 0; round < 20000; round++) {
		unsigned n = 0;
		while (n < 16 && (held[n] = slot_alloc()))
			n++;
		for (unsigned i = 0; i < n; i++)
			if (__atomic_exchange_n(&owner[held[i]], me, __ATOMIC_RELAXED) != 0)
				__atomic_fetch_add(&clashes, 1, __ATOMIC_RELAXED);
		for (unsigned i = 0; i < n; i++) {
			__atomic_store_n(&owner[held[i]], 0, __ATOMIC_RELAXED);
			slot_release(held[i]);
		}
	}
	return 0;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	slot_init(SLOT_FIRST_FREE, 40); /* fewer slots than the threads want: contention */
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, churn, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], 0);
	assert_int_equal(clashes, 0);
	assert_int_equal(slot_available(), 40 - SLOT_FIRST_FREE);
}

/* a table that grows by 32 slots per request up to its largest size, 200 */
static cap_t table = 40;
static volatile int grows;
static cap_t grow_by_32(void)
{
	__atomic_fetch_add(&grows, 1, __ATOMIC_RELAXED);
	cap_t was = __atomic_load_n(&table, __ATOMIC_RELAXED), now;
	do {
		if (was >= 200)
			return 0;
		now = was + 32 > 200 ? 200 : was + 32;
	} while (
	    !__atomic_compare_exchange_n(&table, &was, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return now;
}

/* When none is left, slot_alloc grows the table; every slot still exactly once. */
static void test_grow(void **state)
{
	static uint8_t seen[COUNT];
	table = 40, grows = 0;
	slot_init(SLOT_FIRST_FREE, 40);
	slot_set_grow(grow_by_32);
	for (unsigned i = SLOT_FIRST_FREE; i < 200; i++) {
		cap_t s = slot_alloc();
		assert_true(s >= SLOT_FIRST_FREE && s < 200);
		assert_false(seen[s]);
		seen[s] = 1;
	}
	assert_int_equal(grows, 5);	   /* 40 -> 72 -> ... -> 200 */
	assert_int_equal(slot_alloc(), 0); /* the table at its largest: grow says no */
	assert_int_equal(slot_available(), 0);
	for (unsigned i = SLOT_FIRST_FREE; i < 200; i++)
		slot_release(i);
	assert_int_equal(slot_available(), 200 - SLOT_FIRST_FREE);
	slot_set_grow(0);
}

/* Threads that run out at once each grow it; no slot is handed out twice. */
static void test_grow_threads(void **state)
{
	pthread_t t[4];
	table = 40, clashes = 0;
	slot_init(SLOT_FIRST_FREE, 40);
	slot_set_grow(grow_by_32);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, churn, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], 0);
	assert_int_equal(clashes, 0);
	assert_true(table > 40);
	assert_int_equal(slot_available(), table - SLOT_FIRST_FREE);
	slot_set_grow(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_once),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_grow),
	    cmocka_unit_test(test_grow_threads),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
