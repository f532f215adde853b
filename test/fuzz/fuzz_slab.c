/* libFuzzer target: a slab, fed by a heap or a sliced heap, driven by an operation stream. */
#include <alloc/heap.h>
#include <alloc/sliced_heap.h>
#include <alloc/slab.h>
#include "../alloc/test_backing.h"
#include "fuzz_input.h"

static void op_bad_free(slab_t *s, fuzz_slot_t *t, fuzz_in_t *in)
{
	uint8_t *p = fuzz_bad_ptr(t, in);
	size_t live = slab_live(s);
	err_t e;

	if (!p)
		return;
	e = slab_free(s, p);
	FUZZ_REQUIRE(e == ERR_DOUBLE_FREE || e == ERR_FOREIGN_PTR);
	FUZZ_REQUIRE(slab_live(s) == live);
}

static void run(slab_t *s, fuzz_slot_t *t, fuzz_in_t *in)
{
	while (in->n) {
		fuzz_slot_t *slot = &t[fuzz_take(in, 1) % FUZZ_SLOTS];
		void *p;
		err_t e;

		switch (fuzz_take(in, 1) % 3) {
		case 0:
			if (slot->p)
				FUZZ_REQUIRE(slab_free(s, fuzz_empty(slot)) == ERR_OK);
			e = slab_alloc(s, &p);
			FUZZ_REQUIRE(e == ERR_OK || (e == ERR_OUT_OF_RAM && !p));
			if (e == ERR_OK)
				fuzz_fill(slot, p, s->obj_size, (uint8_t)(uintptr_t)p);
			break;
		case 1:
			if (slot->p)
				FUZZ_REQUIRE(slab_free(s, fuzz_empty(slot)) == ERR_OK);
			break;
		default: op_bad_free(s, t, in);
		}
		FUZZ_REQUIRE(slab_check(s) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in_t in = {data, size};
	fuzz_slot_t t[FUZZ_SLOTS] = {{0}};
	size_t obj = 1 + fuzz_take(&in, 2) % 1024, block = fuzz_take(&in, 2);
	int sliced = fuzz_take(&in, 1) & 1, i;
	test_backing_t tb;
	heap_t h;
	sliced_heap_t sh;
	allocator_t a;
	slab_t s;

	test_backing_init(&tb, 4096 * (8 + fuzz_take(&in, 1)));
	sliced_heap_init(&sh, &tb.backing);
	if (heap_init(&h, &tb.backing, NULL) != ERR_OK)
		return test_backing_fini(&tb), 0;
	a = sliced ? sliced_heap_allocator(&sh) : heap_allocator(&h);
	if (slab_init(&s, obj, block, &a) == ERR_OK) {
		run(&s, t, &in);
		for (i = 0; i < FUZZ_SLOTS; i++)
			if (t[i].p)
				FUZZ_REQUIRE(slab_free(&s, fuzz_empty(&t[i])) == ERR_OK);
		FUZZ_REQUIRE(slab_check(&s) == 0 && slab_consumed(&s) == s.block_size);
		slab_destroy(&s);
	}
	FUZZ_REQUIRE(heap_live(&h) == 0 && sliced_heap_live(&sh) == 0);
	heap_destroy(&h);
	FUZZ_REQUIRE(tb.errors == 0 && tb.held == 0);
	test_backing_fini(&tb);
	return 0;
}
