/* Host unit tests for the sliced heap (lib/alloc/sliced_heap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/sliced_heap.h>
#include "test_backing.h"

static test_backing_t tb;
static sliced_heap_t sh;

static int setup(void **state)
{
	test_backing_init(&tb, (size_t)16 << 20);
	sliced_heap_init(&sh, &tb.backing);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(sliced_heap_check(&sh), 0);
	sliced_heap_destroy(&sh);
	assert_int_equal(tb.held, 0);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	return 0;
}

static void *must_alloc(size_t size)
{
	void *p = NULL;

	assert_int_equal(sliced_heap_alloc(&sh, size, &p), ERR_OK);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	memset(p, 0x11, size);
	return p;
}

static void test_consumed_is_exact(void **state)
{
	void *a = must_alloc(0), *b = must_alloc(1), *c, *d;

	assert_int_equal(sliced_heap_consumed(&sh), 2 * 4096);
	c = must_alloc(4096 - SLICED_HEAP_HEADER);
	assert_int_equal(sliced_heap_consumed(&sh), 3 * 4096);
	d = must_alloc(4096 - SLICED_HEAP_HEADER + 1);
	assert_int_equal(sliced_heap_consumed(&sh), 5 * 4096);
	assert_int_equal(sliced_heap_consumed(&sh), tb.held);
	assert_int_equal(sliced_heap_live(&sh), 4);
	assert_int_equal(sliced_heap_free(&sh, d), ERR_OK);
	assert_int_equal(sliced_heap_consumed(&sh), 3 * 4096);
	assert_int_equal(sliced_heap_free(&sh, a), ERR_OK);
	assert_int_equal(sliced_heap_free(&sh, b), ERR_OK);
	assert_int_equal(sliced_heap_free(&sh, c), ERR_OK);
	assert_int_equal(sliced_heap_consumed(&sh), 0);
	assert_int_equal(tb.held, 0);
}

static void test_huge_and_quota(void **state)
{
	void *p = (void *)1;

	assert_int_equal(sliced_heap_alloc(&sh, SIZE_MAX, &p), ERR_OVERFLOW);
	assert_null(p);
	assert_int_equal(sliced_heap_alloc(&sh, SIZE_MAX - SLICED_HEAP_HEADER, &p), ERR_OVERFLOW);
	assert_int_equal(sliced_heap_alloc(&sh, SIZE_MAX - 8192, &p), ERR_OUT_OF_RAM);
	assert_int_equal(sliced_heap_alloc(&sh, 16 << 20, &p), ERR_OUT_OF_RAM);
	p = must_alloc((16 << 20) - SLICED_HEAP_HEADER);
	assert_int_equal(sliced_heap_alloc(&sh, 0, &p), ERR_OUT_OF_RAM);
	assert_int_equal(sliced_heap_overhead(&sh, SIZE_MAX), 0);
	assert_int_equal(sliced_heap_overhead(&sh, 100), 4096 - 100);
}

static void test_double_free_foreign_null(void **state)
{
	char local[64];
	void *a = must_alloc(100), *b = must_alloc(100);

	assert_int_equal(sliced_heap_free(&sh, NULL), ERR_OK);
	assert_int_equal(sliced_heap_free(&sh, local), ERR_FOREIGN_PTR);
	assert_int_equal(sliced_heap_free(&sh, (char *)a + 16), ERR_FOREIGN_PTR);
	assert_int_equal(sliced_heap_free(&sh, (char *)a - SLICED_HEAP_HEADER), ERR_FOREIGN_PTR);
	assert_int_equal(sliced_heap_free(&sh, a), ERR_OK);
	assert_int_equal(sliced_heap_free(&sh, a), ERR_FOREIGN_PTR);
	assert_int_equal(sliced_heap_check(&sh), 0);
	assert_int_equal(sliced_heap_free(&sh, b), ERR_OK);
}

static void test_reuse_and_many(void **state)
{
	static void *p[500];
	allocator_t a = sliced_heap_allocator(&sh);
	int i;

	for (i = 0; i < 500; i++)
		assert_int_equal(allocator_alloc(&a, (size_t)i * 13, &p[i]), ERR_OK);
	assert_int_equal(sliced_heap_check(&sh), 0);
	assert_int_equal(allocator_consumed(&a), tb.held);
	for (i = 0; i < 500; i += 3)
		assert_int_equal(allocator_free(&a, p[i]), ERR_OK);
	for (i = 0; i < 500; i += 3)
		assert_int_equal(allocator_alloc(&a, 64, &p[i]), ERR_OK);
	for (i = 0; i < 500; i++)
		assert_int_equal(allocator_free(&a, p[i]), ERR_OK);
	assert_int_equal(allocator_consumed(&a), 0);
	assert_int_equal(allocator_overhead(&a, 32), 4096 - 32);
}

static void test_backing_failure(void **state)
{
	void *p = (void *)1;

	tb.fail_in = 1;
	assert_int_equal(sliced_heap_alloc(&sh, 10, &p), ERR_OUT_OF_RAM);
	assert_null(p);
	assert_int_equal(sliced_heap_consumed(&sh), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_consumed_is_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_huge_and_quota, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_double_free_foreign_null, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reuse_and_many, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backing_failure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
