/*
 * Randomized differential tests: long random alloc/free sequences against
 * a model of the live blocks. After each step (every step early on, every
 * CHECK_EVERY steps later) the allocator's check() must be 0, no two live
 * blocks may overlap and every block must still hold what was written to
 * it. Seeds are fixed and printed; ALLOC_SEED replays one, ALLOC_STEPS_SCALE
 * makes the runs longer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <alloc/heap.h>
#include <alloc/range_alloc.h>
#include <alloc/slab.h>
#include <alloc/sliced_heap.h>
#include "rand_model.h"
#include "test_backing.h"

#define CHECK_ALL_UNTIL 3000
#define CHECK_EVERY 1000

static int due(long step)
{
	return step < CHECK_ALL_UNTIL || step % CHECK_EVERY == 0;
}

/* ---- heap ---- */

static size_t heap_size(rng_t *r)
{
	unsigned k = (unsigned)rng_range(r, 0, 99);

	if (k < 70)
		return rng_range(r, 0, 256);
	if (k < 95)
		return rng_range(r, 257, 8192);
	if (k < 99)
		return rng_range(r, 8193, 60000);
	return rng_range(r, 64 << 10, 200 << 10);
}

static void heap_step(heap_t *h, test_backing_t *tb, model_t *m, rng_t *r)
{
	size_t size, gets = tb->gets;
	void *p;
	err_t e;

	if (m->n && (m->n == m->cap || rng_range(r, 0, 99) < 45)) {
		live_t b = model_take(m, rng_range(r, 0, m->n - 1));
		assert_int_equal(heap_free(h, (void *)b.addr), ERR_OK);
		assert_int_equal(heap_free(h, (void *)b.addr) == ERR_OK, 0);
		return;
	}
	size = heap_size(r);
	if (rng_range(r, 0, 999) == 0)
		tb->fail_in = 1; /* the next backing request fails */
	e = heap_alloc(h, size, &p);
	tb->fail_in = 0;
	if (e == ERR_OUT_OF_RAM && tb->gets > gets)
		return;
	assert_int_equal(e, ERR_OK);
	assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
	model_add(m, (uintptr_t)p, size);
}

static void test_heap_random(void **state)
{
	rng_t r = {rng_seed("heap", 0x4ea9)};
	long steps = rng_steps(400000), i;
	test_backing_t tb;
	heap_t h;
	model_t m;
	size_t start;

	test_backing_init(&tb, (size_t)1 << 30);
	assert_int_equal(heap_init(&h, &tb.backing, NULL), ERR_OK);
	start = heap_consumed(&h);
	model_init(&m, 1500, 1);
	for (i = 0; i < steps; i++) {
		heap_step(&h, &tb, &m, &r);
		if (due(i)) {
			assert_int_equal(heap_check(&h), 0);
			assert_int_equal(model_verify(&m), 0);
			assert_int_equal(heap_live(&h), m.n);
		}
		if (i % 100000 == 99999)
			while (m.n) /* drain now and then: chunks must go back */
				assert_int_equal(heap_free(&h, (void *)model_take(&m, 0).addr),
						 ERR_OK);
	}
	while (m.n)
		assert_int_equal(heap_free(&h, (void *)model_take(&m, 0).addr), ERR_OK);
	assert_int_equal(heap_check(&h), 0);
	assert_int_equal(heap_consumed(&h), start);
	heap_destroy(&h);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	model_fini(&m);
}

/* ---- slab ---- */

#define SLABS 3
static const size_t slab_sizes[SLABS] = {8, 64, 200};

/* Free something that is not a live object and expect a refusal. */
static void slab_bad_free(slab_t *s, model_t *m, rng_t *r, uintptr_t recent)
{
	uintptr_t p = recent;
	err_t e;

	if (m->n && rng_range(r, 0, 1))
		p = m->v[rng_range(r, 0, m->n - 1)].addr + 8 * rng_range(r, 1, 3);
	if (!p || model_find(m, p) >= 0)
		return;
	e = slab_free(s, (void *)p);
	assert_true(e == ERR_DOUBLE_FREE || e == ERR_FOREIGN_PTR);
}

static void slab_step(slab_t *s, model_t *m, rng_t *r, uintptr_t *recent)
{
	void *p;

	if (rng_range(r, 0, 99) == 0)
		slab_bad_free(s, m, r, *recent);
	if (m->n && (m->n == m->cap || rng_range(r, 0, 99) < 48)) {
		live_t b = model_take(m, rng_range(r, 0, m->n - 1));
		assert_int_equal(slab_free(s, (void *)b.addr), ERR_OK);
		*recent = b.addr;
		return;
	}
	assert_int_equal(slab_alloc(s, &p), ERR_OK);
	model_add(m, (uintptr_t)p, s->obj_size);
}

static void test_slab_random(void **state)
{
	rng_t r = {rng_seed("slab", 0x51ab)};
	long steps = rng_steps(300000), i;
	test_backing_t tb;
	heap_t h;
	allocator_t a;
	slab_t s[SLABS];
	model_t m[SLABS];
	uintptr_t recent[SLABS] = {0};
	int k;

	test_backing_init(&tb, (size_t)1 << 30);
	assert_int_equal(heap_init(&h, &tb.backing, NULL), ERR_OK);
	a = heap_allocator(&h);
	for (k = 0; k < SLABS; k++) {
		assert_int_equal(slab_init(&s[k], slab_sizes[k], 0, &a), ERR_OK);
		model_init(&m[k], 3000, 1);
	}
	for (i = 0; i < steps; i++) {
		k = (int)rng_range(&r, 0, SLABS - 1);
		slab_step(&s[k], &m[k], &r, &recent[k]);
		if (due(i)) {
			assert_int_equal(slab_check(&s[k]), 0);
			assert_int_equal(model_verify(&m[k]), 0);
			assert_int_equal(slab_live(&s[k]), m[k].n);
		}
	}
	for (k = 0; k < SLABS; k++) {
		while (m[k].n)
			assert_int_equal(slab_free(&s[k], (void *)model_take(&m[k], 0).addr),
					 ERR_OK);
		assert_int_equal(slab_check(&s[k]), 0);
		assert_int_equal(slab_consumed(&s[k]), s[k].block_size);
		slab_destroy(&s[k]);
		model_fini(&m[k]);
	}
	assert_int_equal(heap_live(&h), 0);
	heap_destroy(&h);
	test_backing_fini(&tb);
}

/* ---- range allocator ---- */

#define SPAN ((uint64_t)1 << 24)
static const uint64_t range_base[2] = {0x10000, 0 - SPAN}; /* the second ends at 2^64 */

typedef struct sorted {
	uint64_t addr[400], size[400];
	size_t n;
} sorted_t;

static size_t sorted_pos(const sorted_t *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->addr[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void sorted_insert(sorted_t *s, uint64_t addr, uint64_t size)
{
	size_t i = sorted_pos(s, addr);

	memmove(&s->addr[i + 1], &s->addr[i], (s->n - i) * sizeof(uint64_t));
	memmove(&s->size[i + 1], &s->size[i], (s->n - i) * sizeof(uint64_t));
	s->addr[i] = addr;
	s->size[i] = size;
	s->n++;
}

static void sorted_remove(sorted_t *s, size_t i)
{
	memmove(&s->addr[i], &s->addr[i + 1], (s->n - i - 1) * sizeof(uint64_t));
	memmove(&s->size[i], &s->size[i + 1], (s->n - i - 1) * sizeof(uint64_t));
	s->n--;
}

typedef unsigned __int128 u128;

/* Lowest fit of the request in the gap [glo, ghi]; 0 if none, else fit + 1. */
static u128 gap_fit(u128 glo, u128 ghi, uint64_t size, uint64_t align, u128 lo, u128 hi)
{
	u128 a = glo > lo ? glo : lo;

	a = (a + align - 1) / align * align;
	if (a + size - 1 > (ghi < hi ? ghi : hi))
		return 0;
	return a + 1;
}

/* What the allocator must answer: the lowest fitting address, + 1; 0 if none. */
static u128 model_fit(const sorted_t *s, uint64_t size, uint64_t align, u128 lo, u128 hi)
{
	size_t i = 0;
	int k;
	u128 f;

	for (k = 0; k < 2; k++) {
		u128 cur = range_base[k], end = (u128)range_base[k] + SPAN - 1;

		for (; i < s->n && s->addr[i] <= end; i++) {
			if (s->addr[i] > cur &&
			    (f = gap_fit(cur, s->addr[i] - 1, size, align, lo, hi)))
				return f;
			cur = (u128)s->addr[i] + s->size[i];
		}
		if (cur <= end && (f = gap_fit(cur, end, size, align, lo, hi)))
			return f;
	}
	return 0;
}

static void range_alloc_step(range_alloc_t *ra, sorted_t *s, rng_t *r)
{
	uint64_t size = rng_range(r, 0, 3) ? rng_range(r, 1, 4096) : rng_range(r, 1, 1 << 18);
	uint64_t align = rng_range(r, 0, 1) ? (uint64_t)1 << rng_range(r, 0, 16) : 0;
	uint64_t from = 0, to = RANGE_ALLOC_TOP, at;
	u128 want;
	err_t e;

	if (rng_range(r, 0, 4) == 0) {
		from = range_base[rng_range(r, 0, 1)] + rng_range(r, 0, SPAN);
		to = rng_range(r, 0, 1) ? from + rng_range(r, 1, SPAN) : RANGE_ALLOC_TOP;
		if (to && to <= from)
			to = RANGE_ALLOC_TOP;
	}
	want = model_fit(s, size, align ? align : 1, from, to ? (u128)to - 1 : UINT64_MAX);
	e = range_alloc_alloc(ra, size, align, from, to, &at);
	if (!want) {
		assert_int_equal(e, ERR_NO_MEMORY);
		return;
	}
	assert_int_equal(e, ERR_OK);
	assert_true(at == (uint64_t)(want - 1));
	sorted_insert(s, at, size);
}

static void range_alloc_at_step(range_alloc_t *ra, sorted_t *s, rng_t *r)
{
	uint64_t addr = range_base[rng_range(r, 0, 1)] + rng_range(r, 0, SPAN - 1);
	uint64_t size = rng_range(r, 1, 8192);
	u128 fit = model_fit(s, size, 1, addr, (u128)addr + size - 1);
	err_t e = range_alloc_alloc_at(ra, addr, size);

	if (addr > UINT64_MAX - (size - 1)) {
		assert_int_equal(e, ERR_OVERFLOW);
		return;
	}
	assert_int_equal(e, fit ? ERR_OK : ERR_REGION_CONFLICT);
	if (fit)
		sorted_insert(s, addr, size);
}

static void range_step(range_alloc_t *ra, sorted_t *s, rng_t *r)
{
	unsigned k = (unsigned)rng_range(r, 0, 99);
	size_t i;

	if (s->n && (s->n == 400 || k < 40)) {
		i = rng_range(r, 0, s->n - 1);
		assert_int_equal(range_alloc_free(ra, s->addr[i]), ERR_OK);
		assert_int_equal(range_alloc_free(ra, s->addr[i]), ERR_DOUBLE_FREE);
		sorted_remove(s, i);
	} else if (k < 45) {
		range_alloc_at_step(ra, s, r);
	} else {
		range_alloc_step(ra, s, r);
	}
}

static void test_range_random(void **state)
{
	rng_t r = {rng_seed("range_alloc", 0x2a9e)};
	long steps = rng_steps(150000), i;
	static sorted_t s;
	test_backing_t tb;
	heap_t h;
	allocator_t a;
	range_alloc_t ra;
	uint64_t used;
	size_t k;

	test_backing_init(&tb, (size_t)1 << 30);
	assert_int_equal(heap_init(&h, &tb.backing, NULL), ERR_OK);
	a = heap_allocator(&h);
	assert_int_equal(range_alloc_init(&ra, &a), ERR_OK);
	assert_int_equal(range_alloc_add(&ra, range_base[0], SPAN), ERR_OK);
	assert_int_equal(range_alloc_add(&ra, range_base[1], SPAN), ERR_OK);
	for (i = 0; i < steps; i++) {
		range_step(&ra, &s, &r);
		if (!due(i))
			continue;
		assert_int_equal(range_alloc_check(&ra), 0);
		for (k = 0, used = 0; k < s.n; k++)
			used += s.size[k];
		assert_int_equal(range_alloc_avail(&ra), 2 * SPAN - used);
	}
	while (s.n) {
		assert_int_equal(range_alloc_free(&ra, s.addr[0]), ERR_OK);
		sorted_remove(&s, 0);
	}
	assert_int_equal(range_alloc_check(&ra), 0);
	assert_int_equal(range_alloc_avail(&ra), 2 * SPAN);
	range_alloc_destroy(&ra);
	heap_destroy(&h);
	test_backing_fini(&tb);
}

/* ---- sliced heap ---- */

static void test_sliced_heap_random(void **state)
{
	rng_t r = {rng_seed("sliced_heap", 0x511c)};
	long steps = rng_steps(100000), i;
	test_backing_t tb;
	sliced_heap_t sh;
	model_t m;
	size_t want = 0, size;
	void *p;

	test_backing_init(&tb, (size_t)1 << 30);
	sliced_heap_init(&sh, &tb.backing);
	model_init(&m, 200, 1);
	for (i = 0; i < steps; i++) {
		if (m.n && (m.n == m.cap || rng_range(&r, 0, 1))) {
			live_t b = model_take(&m, rng_range(&r, 0, m.n - 1));
			assert_int_equal(sliced_heap_free(&sh, (void *)b.addr), ERR_OK);
			want -= backing_round(b.size + SLICED_HEAP_HEADER);
		} else {
			size = rng_range(&r, 0, 20000);
			assert_int_equal(sliced_heap_alloc(&sh, size, &p), ERR_OK);
			model_add(&m, (uintptr_t)p, size);
			want += backing_round(size + SLICED_HEAP_HEADER);
		}
		assert_int_equal(sliced_heap_consumed(&sh), want);
		if (due(i)) {
			assert_int_equal(sliced_heap_check(&sh), 0);
			assert_int_equal(model_verify(&m), 0);
		}
	}
	sliced_heap_destroy(&sh);
	assert_int_equal(tb.errors, 0);
	test_backing_fini(&tb);
	model_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heap_random),
	    cmocka_unit_test(test_slab_random),
	    cmocka_unit_test(test_range_random),
	    cmocka_unit_test(test_sliced_heap_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
