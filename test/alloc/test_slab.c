/* Host unit tests for the slab allocator (lib/alloc/slab.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/heap.h>
#include <alloc/sliced_heap.h>
#include <alloc/slab.h>
#include "test_backing.h"

static test_backing_t tb;
static heap_t heap;
static allocator_t backing;
static slab_t slab;

static int setup(void **state)
{
	test_backing_init(&tb, (size_t)64 << 20);
	assert_int_equal(heap_init(&heap, &tb.backing, NULL), ERR_OK);
	backing = heap_allocator(&heap);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(heap_check(&heap), 0);
	heap_destroy(&heap);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	return 0;
}

static void *must_alloc(slab_t *s)
{
	void *p = NULL;

	assert_int_equal(slab_alloc(s, &p), ERR_OK);
	assert_non_null(p);
	return p;
}

static void test_init_arguments(void **state)
{
	assert_int_equal(slab_init(&slab, 0, 0, &backing), ERR_INVALID_ARGS);
	assert_int_equal(slab_init(&slab, SIZE_MAX, 0, &backing), ERR_OVERFLOW);
	assert_int_equal(slab_init(&slab, SIZE_MAX / 8, 0, &backing), ERR_OVERFLOW);
	assert_int_equal(slab_init(&slab, 4096, 1024, &backing), ERR_INVALID_ARGS);
	assert_int_equal(heap_live(&heap), 0);
}

static void test_size_one_and_alignment(void **state)
{
	slab_t s16;
	char *a, *b;
	int i;

	assert_int_equal(slab_init(&slab, 1, 0, &backing), ERR_OK);
	assert_int_equal(slab_init(&s16, 48, 0, &backing), ERR_OK);
	a = must_alloc(&slab);
	b = must_alloc(&slab);
	assert_int_equal(b - a, 8);
	assert_int_equal((uintptr_t)a % 8, 0);
	for (i = 0; i < 100; i++)
		assert_int_equal((uintptr_t)must_alloc(&s16) % 16, 0);
	assert_int_equal(slab_check(&s16), 0);
	slab_destroy(&s16);
	slab_destroy(&slab);
	assert_int_equal(heap_live(&heap), 0);
}

static void test_fill_free_consumed(void **state)
{
	size_t start, i, n;
	void **p;

	assert_int_equal(slab_init(&slab, 64, 0, &backing), ERR_OK);
	start = slab_consumed(&slab);
	assert_int_equal(start, slab.block_size);
	n = slab.per_block * 300; /* enough blocks to grow the directory */
	p = calloc(n, sizeof(*p));
	for (i = 0; i < n; i++) {
		p[i] = must_alloc(&slab);
		memset(p[i], (int)i, 64);
	}
	assert_int_equal(slab_check(&slab), 0);
	assert_true(slab.dir_cap > SLAB_DIR_INLINE);
	for (i = 0; i < n; i++)
		assert_int_equal(((unsigned char *)p[i])[63], (unsigned char)i);
	for (i = 0; i < n; i++)
		assert_int_equal(slab_free(&slab, p[(i * 7919) % n]), ERR_OK);
	assert_int_equal(slab_check(&slab), 0);
	assert_int_equal(slab_live(&slab), 0);
	assert_int_equal(slab_consumed(&slab), start);
	assert_int_equal(slab.dir_cap, SLAB_DIR_INLINE);
	free(p);
	slab_destroy(&slab);
}

static void test_double_free_and_foreign(void **state)
{
	char local[64];
	slab_t other;
	char *a, *b, *c;

	assert_int_equal(slab_init(&slab, 40, 0, &backing), ERR_OK);
	assert_int_equal(slab_init(&other, 40, 0, &backing), ERR_OK);
	a = must_alloc(&slab);
	b = must_alloc(&slab);
	c = must_alloc(&other);
	assert_int_equal(slab_free(&slab, a), ERR_OK);
	assert_int_equal(slab_free(&slab, a), ERR_DOUBLE_FREE);
	assert_int_equal(slab_free(&slab, b + 8), ERR_FOREIGN_PTR);
	assert_int_equal(slab_free(&slab, b + 1), ERR_FOREIGN_PTR);
	assert_int_equal(slab_free(&slab, b + 40), ERR_DOUBLE_FREE); /* never handed out */
	assert_int_equal(slab_free(&slab, c), ERR_FOREIGN_PTR);
	assert_int_equal(slab_free(&slab, local), ERR_FOREIGN_PTR);
	assert_int_equal(slab_free(&slab, (void *)(uintptr_t)16), ERR_FOREIGN_PTR);
	assert_int_equal(slab_free(&slab, (char *)slab.partial), ERR_FOREIGN_PTR); /* a header */
	assert_int_equal(slab_free(&slab, NULL), ERR_OK);
	assert_int_equal(slab_check(&slab), 0);
	assert_int_equal(slab_live(&slab), 1);
	assert_int_equal(slab_free(&slab, b), ERR_OK);
	assert_int_equal(slab_free(&other, c), ERR_OK);
	slab_destroy(&other);
	slab_destroy(&slab);
}

static void test_reuse_after_free(void **state)
{
	void *a, *b;

	assert_int_equal(slab_init(&slab, 24, 0, &backing), ERR_OK);
	a = must_alloc(&slab);
	assert_int_equal(slab_free(&slab, a), ERR_OK);
	b = must_alloc(&slab);
	assert_ptr_equal(a, b);
	slab_destroy(&slab);
}

static void test_one_empty_block_kept(void **state)
{
	void *p[2][512];
	size_t i, per;

	assert_int_equal(slab_init(&slab, 256, 0, &backing), ERR_OK);
	per = slab.per_block;
	assert_true(per <= 512);
	for (i = 0; i < per; i++) {
		p[0][i] = must_alloc(&slab);
		p[1][i] = NULL;
	}
	for (i = 0; i < per; i++)
		p[1][i] = must_alloc(&slab);
	assert_int_equal(slab_consumed(&slab), 2 * slab.block_size);
	for (i = 0; i < per; i++)
		assert_int_equal(slab_free(&slab, p[1][i]), ERR_OK);
	assert_int_equal(slab_consumed(&slab), 2 * slab.block_size); /* kept */
	p[1][0] = must_alloc(&slab);
	assert_int_equal(slab_free(&slab, p[1][0]), ERR_OK);
	for (i = 0; i < per; i++)
		assert_int_equal(slab_free(&slab, p[0][i]), ERR_OK);
	assert_int_equal(slab_consumed(&slab), slab.block_size);
	assert_int_equal(slab_check(&slab), 0);
	slab_destroy(&slab);
}

static void test_quota_exhaustion(void **state)
{
	void *p;
	size_t n = 0;
	err_t e;

	assert_int_equal(slab_init(&slab, 512, 0, &backing), ERR_OK);
	tb.quota = tb.held + (256 << 10);
	while ((e = slab_alloc(&slab, &p)) == ERR_OK)
		n++;
	assert_int_equal(e, ERR_OUT_OF_RAM);
	assert_null(p);
	assert_true(n > 100);
	assert_int_equal(slab_check(&slab), 0);
	slab_destroy(&slab);
}

static void test_sliced_heap_backing(void **state)
{
	sliced_heap_t sh;
	allocator_t a;
	void *p[100];
	int i;

	sliced_heap_init(&sh, &tb.backing);
	a = sliced_heap_allocator(&sh);
	assert_int_equal(slab_init(&slab, 100, 4000, &a), ERR_OK);
	assert_int_equal(sliced_heap_consumed(&sh), 4096);
	for (i = 0; i < 100; i++)
		p[i] = must_alloc(&slab);
	for (i = 0; i < 100; i++)
		assert_int_equal(slab_free(&slab, p[i]), ERR_OK);
	assert_int_equal(sliced_heap_consumed(&sh), 4096);
	slab_destroy(&slab);
	assert_int_equal(sliced_heap_consumed(&sh), 0);
	sliced_heap_destroy(&sh);
}

typedef struct point {
	long x, y;
} point_t;

SLAB_TYPED(point, point_t)

static void test_typed_wrapper(void **state)
{
	point_slab_t ps;
	point_t *pt;

	assert_int_equal(point_slab_init(&ps, &backing), ERR_OK);
	assert_int_equal(point_alloc(&ps, &pt), ERR_OK);
	pt->x = 1;
	pt->y = 2;
	assert_int_equal(point_free(&ps, pt), ERR_OK);
	assert_int_equal(point_free(&ps, pt), ERR_DOUBLE_FREE);
	point_slab_destroy(&ps);
}

static void test_overhead_and_check(void **state)
{
	void *p;

	assert_int_equal(slab_init(&slab, 64, 0, &backing), ERR_OK);
	assert_true(slab_overhead(&slab) < 8);
	p = must_alloc(&slab);
	assert_int_equal(slab_check(&slab), 0);
	slab.blocks++;
	assert_true(slab_check(&slab) > 0);
	slab.blocks--;
	assert_int_equal(slab_free(&slab, p), ERR_OK);
	slab_destroy(&slab);
}

/* slab_allocator: the generic interface hands out objects up to obj_size, no more */
static void test_generic_interface(void **state)
{
	void *p, *q;

	assert_int_equal(slab_init(&slab, 64, 0, &backing), ERR_OK);
	allocator_t a = slab_allocator(&slab);
	size_t base = allocator_consumed(&a);
	assert_int_equal(base, slab_consumed(&slab));
	assert_int_equal(allocator_alloc(&a, 64, &p), ERR_OK);
	assert_int_equal(allocator_alloc(&a, 1, &q), ERR_OK);
	assert_ptr_not_equal(p, q);
	assert_int_equal(slab_live(&slab), 2);
	assert_int_equal(allocator_alloc(&a, 65, &q), ERR_INVALID_ARGS);
	assert_null(q);
	assert_int_equal(allocator_overhead(&a, 64), slab_overhead(&slab));
	assert_int_equal(allocator_overhead(&a, 48), slab_overhead(&slab) + 16);
	assert_int_equal(allocator_free(&a, p), ERR_OK);
	assert_int_equal(allocator_free(&a, p), ERR_DOUBLE_FREE);
	assert_int_equal(slab_live(&slab), 1);
	slab_destroy(&slab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_arguments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_size_one_and_alignment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fill_free_consumed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_double_free_and_foreign, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reuse_after_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_empty_block_kept, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quota_exhaustion, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sliced_heap_backing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_typed_wrapper, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overhead_and_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generic_interface, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
