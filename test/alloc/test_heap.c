/* Host unit tests for the heap (lib/alloc/heap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/heap.h>
#include "test_backing.h"

#define MIB ((size_t)1 << 20)

static test_backing_t tb;
static heap_t heap;
static size_t start;

static int setup(void **state)
{
	test_backing_init(&tb, 64 * MIB);
	assert_int_equal(heap_init(&heap, &tb.backing, NULL), ERR_OK);
	start = heap_consumed(&heap);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(heap_check(&heap), 0);
	heap_destroy(&heap);
	assert_int_equal(tb.held, 0);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	return 0;
}

static void *must_alloc(size_t size)
{
	void *p = (void *)1;

	assert_int_equal(heap_alloc(&heap, size, &p), ERR_OK);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
	memset(p, 0x5a, size);
	return p;
}

static void test_init_takes_first_chunk(void **state)
{
	assert_int_equal(start, HEAP_CHUNK_FIRST);
	assert_int_equal(tb.held, start);
	assert_int_equal(heap_check(&heap), 0);
}

static void test_sizes_zero_and_one(void **state)
{
	void *a = must_alloc(0), *b = must_alloc(1), *c = must_alloc(0);

	assert_true(a != b && b != c && a != c);
	assert_int_equal(heap_free(&heap, a), ERR_OK);
	assert_int_equal(heap_free(&heap, b), ERR_OK);
	assert_int_equal(heap_free(&heap, c), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_alignment_all_small_sizes(void **state)
{
	void *p[600];
	size_t i;

	for (i = 0; i < 600; i++)
		p[i] = must_alloc(i);
	assert_int_equal(heap_check(&heap), 0);
	for (i = 0; i < 600; i += 2)
		assert_int_equal(heap_free(&heap, p[i]), ERR_OK);
	for (i = 1; i < 600; i += 2)
		assert_int_equal(heap_free(&heap, p[i]), ERR_OK);
	assert_int_equal(heap_live(&heap), 0);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_huge_sizes_overflow(void **state)
{
	void *p = (void *)1;

	assert_int_equal(heap_alloc(&heap, SIZE_MAX, &p), ERR_OVERFLOW);
	assert_null(p);
	assert_int_equal(heap_alloc(&heap, SIZE_MAX - 64, &p), ERR_OVERFLOW);
	assert_int_equal(heap_alloc(&heap, SIZE_MAX - 2 * BACKING_GRANULE, &p), ERR_OUT_OF_RAM);
	assert_int_equal(heap_alloc(&heap, (size_t)1 << 40, &p), ERR_OUT_OF_RAM);
	assert_null(p);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_quota_exhaustion(void **state)
{
	void *p[4096];
	size_t n = 0;
	err_t e;

	tb.quota = 256 << 10;
	while ((e = heap_alloc(&heap, 1000, &p[n])) == ERR_OK)
		n++;
	assert_int_equal(e, ERR_OUT_OF_RAM);
	assert_null(p[n]);
	assert_true(n > 200);
	assert_int_equal(heap_check(&heap), 0);
	while (n)
		assert_int_equal(heap_free(&heap, p[--n]), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_backing_failure_keeps_heap_intact(void **state)
{
	void *p = NULL, *q = (void *)1;

	tb.fail_in = 1;
	assert_int_equal(heap_alloc(&heap, 200 << 10, &q), ERR_OUT_OF_RAM);
	assert_null(q);
	tb.fail_in = 1;
	assert_int_equal(heap_alloc(&heap, 30 << 10, &q), ERR_OUT_OF_RAM);
	assert_int_equal(heap_check(&heap), 0);
	p = must_alloc(100);
	assert_int_equal(heap_free(&heap, p), ERR_OK);
}

static void test_double_free(void **state)
{
	void *a = must_alloc(64), *b = must_alloc(64), *c = must_alloc(64);
	void *big = must_alloc(100 << 10);

	assert_int_equal(heap_free(&heap, b), ERR_OK);
	assert_int_equal(heap_free(&heap, b), ERR_DOUBLE_FREE);
	assert_int_equal(heap_free(&heap, a), ERR_OK); /* merges with b */
	assert_int_equal(heap_free(&heap, b), ERR_DOUBLE_FREE);
	assert_int_equal(heap_free(&heap, a), ERR_DOUBLE_FREE);
	assert_int_equal(heap_free(&heap, big), ERR_OK);
	assert_int_equal(heap_free(&heap, big), ERR_FOREIGN_PTR);
	assert_int_equal(heap_check(&heap), 0);
	assert_int_equal(heap_free(&heap, c), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_foreign_pointers(void **state)
{
	char local[64];
	heap_t other;
	void *mine = must_alloc(256), *theirs = NULL, *big = must_alloc(80 << 10);

	assert_int_equal(heap_init(&other, &tb.backing, NULL), ERR_OK);
	assert_int_equal(heap_alloc(&other, 256, &theirs), ERR_OK);
	assert_int_equal(heap_free(&heap, local), ERR_FOREIGN_PTR);
	assert_int_equal(heap_free(&heap, theirs), ERR_FOREIGN_PTR);
	assert_int_equal(heap_free(&heap, (char *)mine + 1), ERR_FOREIGN_PTR);
	memset(mine, 0, 256);
	assert_int_equal(heap_free(&heap, (char *)mine + 16), ERR_FOREIGN_PTR);
	((size_t *)mine)[3] = 32; /* a plausible header in front of mine + 32 */
	((void **)mine)[2] = (char *)mine - 16;
	assert_int_equal(heap_free(&heap, (char *)mine + 32), ERR_FOREIGN_PTR);
	assert_int_equal(heap_free(&heap, (char *)big + 16), ERR_FOREIGN_PTR);
	assert_int_equal(heap_free(&heap, (void *)(uintptr_t)0x1000), ERR_FOREIGN_PTR);
	assert_int_equal(heap_check(&heap), 0);
	assert_int_equal(heap_free(&other, theirs), ERR_OK);
	heap_destroy(&other);
	assert_int_equal(heap_free(&heap, mine), ERR_OK);
	assert_int_equal(heap_free(&heap, big), ERR_OK);
}

static void test_free_null(void **state)
{
	assert_int_equal(heap_free(&heap, NULL), ERR_OK);
	assert_int_equal(heap_check(&heap), 0);
}

static void test_pair_on_empty_heap_keeps_cache(void **state)
{
	void *p = must_alloc(64);

	assert_int_equal(heap_free(&heap, p), ERR_OK);
	assert_int_equal(heap.quick_n[64 / HEAP_ALIGN - 1], 1); /* not swept */
	assert_int_equal(heap_consumed(&heap), start);
	assert_ptr_equal(must_alloc(64), p);
	assert_int_equal(heap_free(&heap, p), ERR_OK);
}

static void test_trim_returns_cached_chunks(void **state)
{
	void *keep = must_alloc(32), *p[200];
	int i;

	for (i = 0; i < 200; i++)
		p[i] = must_alloc(1000); /* spills into further chunks */
	for (i = 0; i < 200; i++)
		assert_int_equal(heap_free(&heap, p[i]), ERR_OK);
	assert_true(heap_consumed(&heap) > start); /* cached blocks and the spare hold chunks */
	heap_trim(&heap);
	assert_int_equal(heap_check(&heap), 0);
	assert_int_equal(heap_consumed(&heap), start);
	assert_int_equal(heap_free(&heap, keep), ERR_OK);
	heap_trim(&heap); /* nothing left to give back */
	assert_int_equal(heap_consumed(&heap), start);
}

/* Cached blocks of the first chunk hold nothing back: trim leaves them cached (and is cheap). */
static void test_trim_keeps_first_chunk_cache(void **state)
{
	void *keep = must_alloc(32), *p = must_alloc(64);

	assert_int_equal(heap_free(&heap, p), ERR_OK);
	heap_trim(&heap);
	assert_int_equal(heap.quick_n[64 / HEAP_ALIGN - 1], 1);
	assert_int_equal(heap_consumed(&heap), start);
	assert_int_equal(heap_check(&heap), 0);
	assert_ptr_equal(must_alloc(64), p);
	assert_int_equal(heap_free(&heap, p), ERR_OK);
	assert_int_equal(heap_free(&heap, keep), ERR_OK);
}

static void test_reuse_after_free(void **state)
{
	void *a = must_alloc(100), *b;

	assert_int_equal(heap_free(&heap, a), ERR_OK);
	b = must_alloc(100);
	assert_ptr_equal(a, b);
	assert_int_equal(heap_free(&heap, b), ERR_OK);
}

static void test_large_blocks_own_region(void **state)
{
	void *p = must_alloc(HEAP_LARGE_DEFAULT);
	size_t with = heap_consumed(&heap);

	assert_true(with - start >= HEAP_LARGE_DEFAULT);
	assert_true(with - start <= HEAP_LARGE_DEFAULT + 2 * BACKING_GRANULE);
	assert_int_equal(heap_free(&heap, p), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
	p = must_alloc(HEAP_LARGE_DEFAULT - 1); /* just below: from a chunk */
	assert_int_equal(heap_free(&heap, p), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_growth_and_shrink(void **state)
{
	static void *p[8000];
	size_t i, peak;

	for (i = 0; i < 8000; i++)
		p[i] = must_alloc(16 + (i * 37) % 3000);
	peak = heap_consumed(&heap);
	assert_true(peak > 8 * MIB);
	assert_true(tb.regions < 40); /* chunks grew geometrically */
	for (i = 0; i < 8000; i += 2)
		assert_int_equal(heap_free(&heap, p[i]), ERR_OK);
	assert_int_equal(heap_check(&heap), 0);
	for (i = 1; i < 8000; i += 2)
		assert_int_equal(heap_free(&heap, p[i]), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
	assert_int_equal(tb.regions, 1);
}

static void test_spare_chunk_hysteresis(void **state)
{
	void *keep = must_alloc(32), *fill[64];
	size_t i, one;

	for (i = 0; i < 64; i++)
		fill[i] = must_alloc(1000); /* spills into a second chunk */
	assert_true(tb.regions >= 2);
	for (i = 0; i < 64; i++)
		assert_int_equal(heap_free(&heap, fill[i]), ERR_OK);
	one = heap_consumed(&heap);
	assert_true(one > start); /* the spare is kept while 'keep' lives */
	assert_non_null(heap.spare);
	fill[0] = must_alloc(10000); /* comes from the spare, no new chunk */
	assert_int_equal(heap_consumed(&heap), one);
	assert_int_equal(heap_free(&heap, fill[0]), ERR_OK);
	assert_int_equal(heap_free(&heap, keep), ERR_OK);
	assert_int_equal(heap_consumed(&heap), start);
}

static void test_cache_flushed_when_backing_refuses(void **state)
{
	void *p[64], *big;
	size_t n = 0, c = 496 / HEAP_ALIGN - 1;

	tb.quota = tb.held; /* the first chunk is all there is */
	while (n < 64 && heap_alloc(&heap, 496, &p[n]) == ERR_OK)
		n++;
	assert_true(n > HEAP_QUICK_DEPTH + 4);
	while (n > 1) /* the first ones freed are cached, the last ones merge */
		assert_int_equal(heap_free(&heap, p[--n]), ERR_OK);
	assert_int_equal(heap.quick_n[c], HEAP_QUICK_DEPTH);
	assert_int_equal(heap_alloc(&heap, 10000, &big), ERR_OK);
	assert_int_equal(heap.quick_n[c], 0);
	assert_int_equal(heap_check(&heap), 0);
	assert_int_equal(heap_free(&heap, big), ERR_OK);
	assert_int_equal(heap_free(&heap, p[0]), ERR_OK);
}

static void test_config(void **state)
{
	heap_t h;
	heap_config_t bad = {.large_threshold = 512}, small = {.large_threshold = 4096};
	heap_config_t too_big = {.chunk_max = HEAP_CHUNK_LIMIT * 2};
	void *p;

	assert_int_equal(heap_init(&h, &tb.backing, &bad), ERR_INVALID_ARGS);
	assert_int_equal(heap_init(&h, &tb.backing, &too_big), ERR_INVALID_ARGS);
	assert_int_equal(heap_init(&h, &tb.backing, &small), ERR_OK);
	assert_int_equal(heap_alloc(&h, 4096, &p), ERR_OK);
	assert_int_equal(heap_consumed(&h), HEAP_CHUNK_FIRST + 2 * BACKING_GRANULE);
	assert_int_equal(heap_overhead(&h, 4096), BACKING_GRANULE);
	assert_int_equal(heap_free(&h, p), ERR_OK);
	heap_destroy(&h);
	tb.quota = tb.held + BACKING_GRANULE - 1;
	assert_int_equal(heap_init(&h, &tb.backing, NULL), ERR_OUT_OF_RAM);
	tb.quota =
	    tb.held + BACKING_GRANULE; /* too little for the first chunk's size: a smaller one */
	assert_int_equal(heap_init(&h, &tb.backing, NULL), ERR_OK);
	assert_int_equal(heap_consumed(&h), BACKING_GRANULE);
	heap_destroy(&h);
}

static void test_overhead_and_interface(void **state)
{
	allocator_t a = heap_allocator(&heap);
	void *p;

	assert_int_equal(heap_overhead(&heap, 64), HEAP_HEADER);
	assert_int_equal(heap_overhead(&heap, 1), 31);
	assert_true(heap_overhead(&heap, 100) <= 16 + 15);
	assert_int_equal(allocator_alloc(&a, 48, &p), ERR_OK);
	assert_int_equal(allocator_consumed(&a), start);
	assert_int_equal(allocator_overhead(&a, 48), HEAP_HEADER);
	assert_int_equal(allocator_free(&a, p), ERR_OK);
}

static void test_check_detects_corruption(void **state)
{
	char *p = must_alloc(64), *q = must_alloc(64);
	size_t word = ((size_t *)p)[-1];

	assert_int_equal(heap_check(&heap), 0);
	memset(p - 8, 0xff, 8); /* smash p's size word */
	assert_true(heap_check(&heap) > 0);
	((size_t *)p)[-1] = word;
	assert_int_equal(heap_check(&heap), 0);
	assert_int_equal(heap_free(&heap, p), ERR_OK);
	assert_int_equal(heap_free(&heap, q), ERR_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_takes_first_chunk, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sizes_zero_and_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alignment_all_small_sizes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_huge_sizes_overflow, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quota_exhaustion, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backing_failure_keeps_heap_intact, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_double_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_pointers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_free_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reuse_after_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trim_returns_cached_chunks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trim_keeps_first_chunk_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pair_on_empty_heap_keeps_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_blocks_own_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_growth_and_shrink, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_spare_chunk_hysteresis, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_flushed_when_backing_refuses, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overhead_and_interface, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_detects_corruption, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
