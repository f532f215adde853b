/* Host unit tests for typed allocation (lib/include/alloc/typed.h) from every allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/typed.h>
#include "test_backing.h"

typedef struct {
	uint64_t a, b;
	char name[40];
} thing_t;

typedef struct {
	_Alignas(64) char line[64];
} aligned_t;

static test_backing_t tb;
static heap_t heap;
static sliced_heap_t sliced;

static int setup(void **state)
{
	test_backing_init(&tb, (size_t)16 << 20);
	assert_int_equal(heap_init(&heap, &tb.backing, NULL), ERR_OK);
	sliced_heap_init(&sliced, &tb.backing);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(heap_check(&heap), 0);
	heap_destroy(&heap);
	assert_int_equal(tb.errors, 0);
	assert_int_equal(test_backing_fini(&tb), 0);
	return 0;
}

/* dirty: fill a fresh heap block with garbage and free it, so the next one must be zeroed. */
static void dirty(size_t size)
{
	void *p;
	assert_int_equal(heap_alloc(&heap, size, &p), ERR_OK);
	memset(p, 0xa5, size);
	heap_free(&heap, p);
}

static void test_heap(void **state)
{
	dirty(sizeof(thing_t));
	thing_t *t;
	assert_int_equal(alloc_new(&heap, &t), ERR_OK);
	assert_non_null(t);
	assert_int_equal(t->a | t->b, 0);
	assert_int_equal(t->name[0] | t->name[39], 0);
	strcpy(t->name, "a thing");
	assert_int_equal(alloc_delete(&heap, t), ERR_OK);

	dirty(100 * sizeof(thing_t));
	thing_t *v;
	assert_int_equal(alloc_new_array(&heap, &v, 100), ERR_OK);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i].a | v[i].b | (uint64_t)v[i].name[7], 0);
	v[99].b = 7;
	assert_int_equal(alloc_delete(&heap, v), ERR_OK);
	assert_int_equal(alloc_delete(&heap, (thing_t *)NULL), ERR_OK);
}

static void test_sliced_heap(void **state)
{
	size_t before = tb.regions;
	thing_t *t;
	assert_int_equal(alloc_new(&sliced, &t), ERR_OK);
	assert_int_equal(tb.regions, before + 1); /* a region of its own */
	assert_int_equal(t->a, 0);
	assert_int_equal(alloc_delete(&sliced, t), ERR_OK);
	assert_int_equal(tb.regions, before);
}

static void test_slab(void **state)
{
	allocator_t backing = heap_allocator(&heap);
	slab_t s;
	assert_int_equal(slab_init(&s, sizeof(thing_t), 0, &backing), ERR_OK);
	thing_t *t[10];
	for (int i = 0; i < 10; i++) {
		assert_int_equal(alloc_new(&s, &t[i]), ERR_OK);
		assert_int_equal(t[i]->a | t[i]->b, 0);
		t[i]->a = ~0ull;
	}
	for (int i = 0; i < 10; i++)
		assert_int_equal(alloc_delete(&s, t[i]), ERR_OK);
	/* freed dirty objects come back zeroed */
	assert_int_equal(alloc_new(&s, &t[0]), ERR_OK);
	assert_int_equal(t[0]->a, 0);
	alloc_delete(&s, t[0]);
	/* more than one object of the slab's size, or a larger type: refused */
	thing_t *two;
	assert_int_equal(alloc_new_array(&s, &two, 2), ERR_INVALID_ARGS);
	assert_null(two);
	slab_destroy(&s);
	/* a slab of 24-byte objects aligns every second one to 8 only: a 16-aligned type is refused
	 */
	typedef struct {
		_Alignas(16) uint64_t a;
	} wide_t;
	slab_t s24;
	assert_int_equal(slab_init(&s24, 24, 0, &backing), ERR_OK);
	wide_t *w;
	unsigned refused = 0;
	for (int i = 0; i < 8; i++) { /* strides of 24: at least every second object is off by 8 */
		err_t e = alloc_new(&s24, &w);
		if (e == ERR_OK)
			assert_int_equal((uintptr_t)w % 16, 0);
		else
			assert_int_equal(e, ERR_INVALID_ARGS), assert_null(w), refused++;
	}
	assert_true(refused > 0);
	slab_destroy(&s24);
}

static void test_generic(void **state)
{
	allocator_t a = sliced_heap_allocator(&sliced);
	uint32_t *words;
	assert_int_equal(alloc_new_array(&a, &words, 1000), ERR_OK);
	assert_int_equal(words[0] | words[999], 0);
	assert_int_equal(alloc_delete(&a, words), ERR_OK);
}

static void test_refusals(void **state)
{
	thing_t *v = (thing_t *)1;
	assert_int_equal(alloc_new_array(&heap, &v, SIZE_MAX / 8), ERR_INVALID_ARGS); /* overflow */
	assert_null(v);
	assert_int_equal(alloc_new_array(&heap, &v, 0), ERR_INVALID_ARGS);
	aligned_t *al;
	assert_int_equal(alloc_new(&heap, &al), ERR_INVALID_ARGS); /* 64-byte alignment */
	assert_null(al);
	/* the quota: refused with the allocator's error, nothing kept */
	size_t held = tb.held;
	assert_int_equal(alloc_new_array(&heap, &v, (32u << 20) / sizeof(thing_t)), ERR_OUT_OF_RAM);
	assert_null(v);
	assert_int_equal(tb.held, held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_heap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sliced_heap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_slab, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generic, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
