/*
 * libFuzzer target: the range allocator driven by an operation stream of
 * adds, removes, allocations and frees anywhere in the 64-bit space, its
 * node slab fed by a heap with a small quota.
 */
#include <alloc/heap.h>
#include <alloc/range_alloc.h>
#include "../alloc/test_backing.h"
#include "fuzz_input.h"

typedef struct block {
	uint64_t addr, size; /* size 0: empty slot */
} block_t;

/* An address: often near 0 or near the top, where overflow bugs live. */
static uint64_t fuzz_addr(fuzz_in_t *in)
{
	uint64_t v = fuzz_take(in, 3) << (fuzz_take(in, 1) % 48);

	return fuzz_take(in, 1) & 1 ? 0 - v : v;
}

static uint64_t fuzz_len(fuzz_in_t *in)
{
	return fuzz_take(in, 1) & 1 ? fuzz_take(in, 2)
				    : fuzz_take(in, 3) << (fuzz_take(in, 1) % 48);
}

static int overlaps(const block_t *t, uint64_t addr, uint64_t size)
{
	int i;

	for (i = 0; i < FUZZ_SLOTS; i++)
		if (t[i].size && addr <= t[i].addr + (t[i].size - 1) &&
		    t[i].addr <= addr + (size - 1))
			return 1;
	return 0;
}

static void note(block_t *t, block_t *slot, uint64_t addr, uint64_t size)
{
	FUZZ_REQUIRE(!overlaps(t, addr, size));
	slot->addr = addr;
	slot->size = size;
}

static void op_alloc(range_alloc_t *ra, block_t *t, block_t *slot, fuzz_in_t *in)
{
	uint64_t size = fuzz_len(in), align = (uint64_t)1 << (fuzz_take(in, 1) % 64);
	uint64_t from = fuzz_take(in, 1) & 1 ? fuzz_addr(in) : 0,
		 to = fuzz_take(in, 1) & 1 ? fuzz_addr(in) : 0;
	uint64_t at, sz;
	err_t e = range_alloc_alloc(ra, size, align, from, to, &at);

	if (e != ERR_OK) {
		FUZZ_REQUIRE(e == ERR_NO_MEMORY || e == ERR_OUT_OF_RAM || e == ERR_INVALID_ARGS);
		return;
	}
	FUZZ_REQUIRE(at % align == 0 && at >= from && (to == 0 || at + (size - 1) < to));
	FUZZ_REQUIRE(range_alloc_size_at(ra, at, &sz) == ERR_OK && sz == size);
	note(t, slot, at, size);
}

static void op_alloc_at(range_alloc_t *ra, block_t *t, block_t *slot, fuzz_in_t *in)
{
	uint64_t addr = fuzz_addr(in), size = fuzz_len(in);
	err_t e = range_alloc_alloc_at(ra, addr, size);

	if (e == ERR_OK)
		note(t, slot, addr, size);
	else
		FUZZ_REQUIRE(size == 0 || e != ERR_INVALID_ARGS);
}

static void op_free(range_alloc_t *ra, block_t *t, block_t *slot, fuzz_in_t *in)
{
	uint64_t addr = fuzz_addr(in), avail = range_alloc_avail(ra);

	if (slot->size) {
		FUZZ_REQUIRE(range_alloc_free(ra, slot->addr) == ERR_OK);
		slot->size = 0;
	} else if (!overlaps(t, addr, 1)) {
		FUZZ_REQUIRE(range_alloc_free(ra, addr) != ERR_OK);
		FUZZ_REQUIRE(range_alloc_avail(ra) == avail);
	}
}

static void op_ranges(range_alloc_t *ra, block_t *t, fuzz_in_t *in)
{
	uint64_t base = fuzz_addr(in), size = fuzz_len(in);
	err_t e;

	if (fuzz_take(in, 1) & 1) {
		range_alloc_add(ra, base, size);
		return;
	}
	e = range_alloc_remove(ra, base, size);
	FUZZ_REQUIRE(e != ERR_OK || size == 0 || !overlaps(t, base, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in_t in = {data, size};
	block_t t[FUZZ_SLOTS] = {{0}};
	test_backing_t tb;
	heap_t h;
	allocator_t md;
	range_alloc_t ra;

	test_backing_init(&tb, 4096 * (4 + fuzz_take(&in, 1)));
	if (heap_init(&h, &tb.backing, NULL) != ERR_OK)
		return test_backing_fini(&tb), 0;
	md = heap_allocator(&h);
	if (range_alloc_init(&ra, &md) != ERR_OK)
		goto out;
	while (in.n) {
		block_t *slot = &t[fuzz_take(&in, 1) % FUZZ_SLOTS];

		switch (fuzz_take(&in, 1) % 5) {
		case 0: op_ranges(&ra, t, &in); break;
		case 1:
			if (!slot->size)
				op_alloc_at(&ra, t, slot, &in);
			break;
		case 2: op_free(&ra, t, slot, &in); break;
		default:
			if (!slot->size)
				op_alloc(&ra, t, slot, &in);
		}
		FUZZ_REQUIRE(range_alloc_check(&ra) == 0);
	}
	range_alloc_destroy(&ra);
out:
	FUZZ_REQUIRE(heap_live(&h) == 0);
	heap_destroy(&h);
	FUZZ_REQUIRE(tb.errors == 0 && tb.held == 0);
	test_backing_fini(&tb);
	return 0;
}
