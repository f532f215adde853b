/* libFuzzer target: the sliced heap driven by an operation stream. */
#include <alloc/sliced_heap.h>
#include "../alloc/test_backing.h"
#include "fuzz_input.h"

static void op_alloc(sliced_heap_t *sh, fuzz_slot_t *s, fuzz_in_t *in)
{
	size_t size = fuzz_take(in, 1) & 1 ? fuzz_take(in, 2) : fuzz_take(in, 8);
	size_t before = sliced_heap_consumed(sh);
	void *p;
	err_t e = sliced_heap_alloc(sh, size, &p);

	if (e != ERR_OK) {
		FUZZ_REQUIRE(!p && (e == ERR_OUT_OF_RAM || e == ERR_OVERFLOW));
		FUZZ_REQUIRE(sliced_heap_consumed(sh) == before);
		return;
	}
	FUZZ_REQUIRE((uintptr_t)p % 16 == 0);
	FUZZ_REQUIRE(sliced_heap_consumed(sh) - before == size + sliced_heap_overhead(sh, size));
	fuzz_fill(s, p, size, (uint8_t)size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in_t in = {data, size};
	fuzz_slot_t t[FUZZ_SLOTS] = {{0}};
	test_backing_t tb;
	sliced_heap_t sh;
	uint8_t *bad;
	int i;

	test_backing_init(&tb, 4096 * (1 + fuzz_take(&in, 2)));
	sliced_heap_init(&sh, &tb.backing);
	while (in.n) {
		fuzz_slot_t *s = &t[fuzz_take(&in, 1) % FUZZ_SLOTS];

		if (s->p)
			FUZZ_REQUIRE(sliced_heap_free(&sh, fuzz_empty(s)) == ERR_OK);
		switch (fuzz_take(&in, 1) % 3) {
		case 0: op_alloc(&sh, s, &in); break;
		case 1: break;
		default:
			bad = fuzz_bad_ptr(t, &in);
			if (bad)
				FUZZ_REQUIRE(sliced_heap_free(&sh, bad) == ERR_FOREIGN_PTR);
		}
		FUZZ_REQUIRE(sliced_heap_check(&sh) == 0 && sliced_heap_consumed(&sh) == tb.held);
	}
	for (i = 0; i < FUZZ_SLOTS; i++)
		if (t[i].p)
			FUZZ_REQUIRE(sliced_heap_free(&sh, fuzz_empty(&t[i])) == ERR_OK);
	FUZZ_REQUIRE(sliced_heap_consumed(&sh) == 0 && tb.held == 0 && tb.errors == 0);
	test_backing_fini(&tb);
	return 0;
}
