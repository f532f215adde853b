/* libFuzzer target: the heap driven by an operation stream. */
#include <alloc/heap.h>
#include "../alloc/test_backing.h"
#include "fuzz_input.h"

static size_t fuzz_size(fuzz_in_t *in)
{
	switch (fuzz_take(in, 1) % 4) {
	case 0: return fuzz_take(in, 1);
	case 1: return fuzz_take(in, 2);
	case 2: return fuzz_take(in, 3) % (300 << 10);
	default: return fuzz_take(in, 8); /* huge: overflow paths */
	}
}

static void op_alloc(heap_t *h, fuzz_slot_t *s, fuzz_in_t *in)
{
	size_t size = fuzz_size(in);
	void *p;
	err_t e = heap_alloc(h, size, &p);

	if (e != ERR_OK) {
		FUZZ_REQUIRE(p == NULL);
		FUZZ_REQUIRE(e == ERR_OUT_OF_RAM || e == ERR_OVERFLOW);
		return;
	}
	FUZZ_REQUIRE((uintptr_t)p % HEAP_ALIGN == 0);
	fuzz_fill(s, p, size > (1 << 20) ? 1 << 20 : size, (uint8_t)size);
}

static void op_bad_free(heap_t *h, fuzz_slot_t *t, fuzz_in_t *in)
{
	uint8_t *p = fuzz_bad_ptr(t, in);
	size_t live = heap_live(h);
	err_t e;

	if (!p)
		return;
	e = heap_free(h, p);
	FUZZ_REQUIRE(e == ERR_DOUBLE_FREE || e == ERR_FOREIGN_PTR);
	FUZZ_REQUIRE(heap_live(h) == live);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in_t in = {data, size};
	fuzz_slot_t t[FUZZ_SLOTS] = {{0}};
	heap_config_t cfg = {.large_threshold = 1024 << (fuzz_take(&in, 1) % 8)};
	test_backing_t tb;
	heap_t h;
	size_t start;
	int i;

	test_backing_init(&tb, 4096 * (1 + fuzz_take(&in, 2)));
	if (heap_init(&h, &tb.backing, &cfg) != ERR_OK)
		return test_backing_fini(&tb), 0;
	start = heap_consumed(&h);
	while (in.n) {
		fuzz_slot_t *s = &t[fuzz_take(&in, 1) % FUZZ_SLOTS];

		switch (fuzz_take(&in, 1) % 4) {
		case 0: /* fall through */
		case 1:
			if (s->p)
				FUZZ_REQUIRE(heap_free(&h, fuzz_empty(s)) == ERR_OK);
			op_alloc(&h, s, &in);
			break;
		case 2:
			if (s->p)
				FUZZ_REQUIRE(heap_free(&h, fuzz_empty(s)) == ERR_OK);
			break;
		default:
			if (fuzz_take(&in, 1) == 0)
				heap_trim(&h);
			else
				op_bad_free(&h, t, &in);
		}
		FUZZ_REQUIRE(heap_check(&h) == 0);
	}
	for (i = 0; i < FUZZ_SLOTS; i++)
		if (t[i].p)
			FUZZ_REQUIRE(heap_free(&h, fuzz_empty(&t[i])) == ERR_OK);
	FUZZ_REQUIRE(heap_check(&h) == 0 && heap_consumed(&h) == start);
	heap_destroy(&h);
	FUZZ_REQUIRE(tb.errors == 0 && tb.held == 0);
	test_backing_fini(&tb);
	return 0;
}
