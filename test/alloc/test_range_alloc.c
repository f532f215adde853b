/* Host unit tests for the AVL range allocator (lib/alloc/range_alloc.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/heap.h>
#include <alloc/range_alloc.h>
#include "test_backing.h"

#define TOP_PAGE (UINT64_MAX - 0xfff)

static test_backing_t tb;
static heap_t heap;
static allocator_t md;
static range_alloc_t ra;
static size_t start;

static int setup(void **state)
{
	test_backing_init(&tb, (size_t)64 << 20);
	assert_int_equal(heap_init(&heap, &tb.backing, NULL), ERR_OK);
	md = heap_allocator(&heap);
	assert_int_equal(range_alloc_init(&ra, &md), ERR_OK);
	start = range_alloc_consumed(&ra);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(range_alloc_check(&ra), 0);
	range_alloc_destroy(&ra);
	assert_int_equal(heap_live(&heap), 0);
	heap_destroy(&heap);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	return 0;
}

static uint64_t must_alloc(uint64_t size, uint64_t align, uint64_t from, uint64_t to)
{
	uint64_t at = 1;

	assert_int_equal(range_alloc_alloc(&ra, size, align, from, to, &at), ERR_OK);
	assert_int_equal(range_alloc_check(&ra), 0);
	return at;
}

static void test_add_alloc_free(void **state)
{
	uint64_t a, b, size;

	assert_int_equal(range_alloc_add(&ra, 0x1000, 0x10000), ERR_OK);
	assert_int_equal(range_alloc_avail(&ra), 0x10000);
	a = must_alloc(0x100, 0, 0, RANGE_ALLOC_TOP);
	b = must_alloc(1, 0, 0, RANGE_ALLOC_TOP);
	assert_int_equal(a, 0x1000);
	assert_int_equal(b, 0x1100);
	assert_int_equal(range_alloc_size_at(&ra, a, &size), ERR_OK);
	assert_int_equal(size, 0x100);
	assert_int_equal(range_alloc_size_at(&ra, a + 1, &size), ERR_NOT_FOUND);
	assert_int_equal(range_alloc_avail(&ra), 0x10000 - 0x101);
	assert_int_equal(range_alloc_free(&ra, a), ERR_OK);
	assert_int_equal(must_alloc(0x80, 0, 0, RANGE_ALLOC_TOP), 0x1000); /* reuse */
	assert_int_equal(range_alloc_free(&ra, 0x1000), ERR_OK);
	assert_int_equal(range_alloc_free(&ra, b), ERR_OK);
	assert_int_equal(range_alloc_avail(&ra), 0x10000);
	assert_int_equal(ra.tree.count, 1); /* merged back into one block */
}

static void test_errors(void **state)
{
	uint64_t a, at;

	assert_int_equal(range_alloc_add(&ra, 0, 0x1000), ERR_OK); /* a range at 0 */
	assert_int_equal(range_alloc_add(&ra, 0x800, 0x1000), ERR_REGION_CONFLICT);
	assert_int_equal(range_alloc_add(&ra, 5, 0), ERR_INVALID_ARGS);
	assert_int_equal(range_alloc_add(&ra, UINT64_MAX, 2), ERR_OVERFLOW);
	assert_int_equal(range_alloc_alloc(&ra, 0, 0, 0, 0, &at), ERR_INVALID_ARGS);
	assert_int_equal(range_alloc_alloc(&ra, 16, 3, 0, 0, &at), ERR_INVALID_ARGS);
	assert_int_equal(range_alloc_alloc(&ra, 16, 0, 0x100, 0x100, &at), ERR_INVALID_ARGS);
	assert_int_equal(range_alloc_alloc(&ra, 0x1001, 0, 0, 0, &at), ERR_NO_MEMORY);
	assert_int_equal(range_alloc_alloc(&ra, UINT64_MAX, 0, 0, 0, &at), ERR_NO_MEMORY);
	a = must_alloc(0x100, 0, 0, RANGE_ALLOC_TOP);
	assert_int_equal(a, 0);
	assert_int_equal(range_alloc_free(&ra, 0x10), ERR_INVALID_ARGS);
	assert_int_equal(range_alloc_free(&ra, 0x200), ERR_DOUBLE_FREE);
	assert_int_equal(range_alloc_free(&ra, 0x5000), ERR_FOREIGN_PTR);
	assert_int_equal(range_alloc_free(&ra, a), ERR_OK);
	assert_int_equal(range_alloc_free(&ra, a), ERR_DOUBLE_FREE);
	assert_int_equal(range_alloc_alloc_at(&ra, 0xf00, 0x200), ERR_REGION_CONFLICT);
	assert_int_equal(range_alloc_alloc_at(&ra, 0x5000, 1), ERR_REGION_CONFLICT);
	assert_int_equal(range_alloc_alloc_at(&ra, UINT64_MAX, 2), ERR_OVERFLOW);
	assert_int_equal(range_alloc_check(&ra), 0);
}

static void test_alignment_and_window(void **state)
{
	assert_int_equal(range_alloc_add(&ra, 0x1001, 0x100000), ERR_OK);
	assert_int_equal(must_alloc(0x10, 0x1000, 0, 0), 0x2000);
	assert_int_equal(must_alloc(0x10, 0, 0, 0), 0x1001);
	assert_int_equal(must_alloc(0x10, 0x10000, 0, 0), 0x10000);
	assert_int_equal(must_alloc(0x10, 0, 0x50000, 0x50010), 0x50000);
	assert_int_equal(must_alloc(0x8, 8, 0x50004, 0x60000), 0x50010);
	assert_int_equal(must_alloc(0x1000, 0x1000, 0x80000, 0), 0x80000);
	assert_int_equal(range_alloc_check(&ra), 0);
	uint64_t at;
	assert_int_equal(range_alloc_alloc(&ra, 0x20, 0, 0x50000, 0x50018, &at), ERR_NO_MEMORY);
	assert_int_equal(range_alloc_alloc(&ra, 0x10, (uint64_t)1 << 63, 0, 0, &at), ERR_NO_MEMORY);
}

static void test_top_of_64bit_space(void **state)
{
	uint64_t a, size;

	assert_int_equal(range_alloc_add(&ra, TOP_PAGE, 0x1000), ERR_OK);
	a = must_alloc(0x1000, 0x1000, 0, RANGE_ALLOC_TOP);
	assert_int_equal(a, TOP_PAGE);
	assert_int_equal(range_alloc_size_at(&ra, a, &size), ERR_OK);
	assert_int_equal(size, 0x1000);
	assert_int_equal(range_alloc_free(&ra, a), ERR_OK);
	assert_int_equal(range_alloc_alloc_at(&ra, UINT64_MAX, 1), ERR_OK);
	assert_int_equal(range_alloc_free(&ra, UINT64_MAX), ERR_OK);
	/* the whole space: two adds that merge into a block of 2^64 bytes */
	assert_int_equal(range_alloc_add(&ra, 0, TOP_PAGE), ERR_OK);
	assert_int_equal(ra.tree.count, 1);
	assert_int_equal(range_alloc_avail(&ra), UINT64_MAX);
	a = must_alloc(UINT64_MAX, 0, 0, 0);
	assert_int_equal(a, 0);
	assert_int_equal(range_alloc_avail(&ra), 1);
	assert_int_equal(must_alloc(1, 0, 0, 0), UINT64_MAX);
	assert_int_equal(range_alloc_free(&ra, a), ERR_OK);
	assert_int_equal(range_alloc_free(&ra, UINT64_MAX), ERR_OK);
	assert_int_equal(range_alloc_remove(&ra, 0, UINT64_MAX), ERR_OK);
	assert_int_equal(range_alloc_avail(&ra), 1);
	assert_int_equal(range_alloc_remove(&ra, UINT64_MAX, 1), ERR_OK);
	assert_int_equal(ra.tree.count, 0);
}

static void test_remove(void **state)
{
	uint64_t a;

	assert_int_equal(range_alloc_add(&ra, 0x10000, 0x10000), ERR_OK);
	assert_int_equal(range_alloc_remove(&ra, 0x14000, 0x1000), ERR_OK); /* split */
	assert_int_equal(ra.tree.count, 2);
	assert_int_equal(range_alloc_avail(&ra), 0xf000);
	assert_int_equal(range_alloc_alloc_at(&ra, 0x13000, 0x2000), ERR_REGION_CONFLICT);
	a = must_alloc(0x1000, 0, 0x15000, 0);
	assert_int_equal(a, 0x15000);
	assert_int_equal(range_alloc_remove(&ra, 0x12000, 0x8000), ERR_REGION_CONFLICT);
	assert_int_equal(range_alloc_free(&ra, a), ERR_OK);
	assert_int_equal(range_alloc_remove(&ra, 0x12000, 0x8000), ERR_OK); /* trims two */
	assert_int_equal(range_alloc_avail(&ra), 0x8000);
	assert_int_equal(range_alloc_remove(&ra, 0, 0x100000), ERR_OK);
	assert_int_equal(range_alloc_avail(&ra), 0);
	assert_int_equal(ra.tree.count, 0);
	assert_int_equal(range_alloc_remove(&ra, 0, 0x100000), ERR_OK);
	assert_int_equal(range_alloc_remove(&ra, UINT64_MAX, 2), ERR_OVERFLOW);
}

static void test_many_blocks_and_consumed(void **state)
{
	static uint64_t a[5000];
	int i;

	assert_int_equal(range_alloc_add(&ra, 0, (uint64_t)1 << 40), ERR_OK);
	for (i = 0; i < 5000; i++)
		a[i] = must_alloc(0x1000 + (uint64_t)(i % 7) * 0x1000, 0x1000, 0, 0);
	assert_true(range_alloc_consumed(&ra) > start);
	for (i = 0; i < 5000; i += 2)
		assert_int_equal(range_alloc_free(&ra, a[i]), ERR_OK);
	assert_int_equal(range_alloc_check(&ra), 0);
	for (i = 1; i < 5000; i += 2)
		assert_int_equal(range_alloc_free(&ra, a[i]), ERR_OK);
	assert_int_equal(ra.tree.count, 1);
	assert_int_equal(range_alloc_remove(&ra, 0, (uint64_t)1 << 40), ERR_OK);
	assert_int_equal(range_alloc_consumed(&ra), start);
	assert_true(range_alloc_overhead(&ra) <= 64);
}

static void test_metadata_exhaustion(void **state)
{
	uint64_t at;
	int i;
	err_t e = ERR_OK;

	assert_int_equal(range_alloc_add(&ra, 0, 0x100000), ERR_OK);
	tb.quota = tb.held; /* no more chunks: the node slab cannot grow */
	for (i = 0; i < 100000 && e == ERR_OK; i++)
		e = range_alloc_alloc(&ra, 1, 2, 0, 0, &at);
	assert_int_equal(e, ERR_OUT_OF_RAM);
	assert_int_equal(range_alloc_check(&ra), 0);
	assert_int_equal(range_alloc_add(&ra, 0x200000, 0x100), ERR_OUT_OF_RAM);
	assert_int_equal(range_alloc_check(&ra), 0);
}

static void test_check_detects_corruption(void **state)
{
	assert_int_equal(range_alloc_add(&ra, 0x1000, 0x1000), ERR_OK);
	ra.free += 1;
	assert_true(range_alloc_check(&ra) > 0);
	ra.free -= 1;
	assert_int_equal(range_alloc_check(&ra), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_add_alloc_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alignment_and_window, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_top_of_64bit_space, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_blocks_and_consumed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_metadata_exhaustion, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_detects_corruption, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
