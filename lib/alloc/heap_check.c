/*
 * heap_check: walks every region, block and free list of a heap and counts
 * broken invariants (the ones listed at the top of heap.c).
 */
#include <alloc/heap.h>
#include "heap_impl.h"

typedef struct tally {
	size_t consumed, used, free_blocks, quick_blocks, empty_chunks;
	unsigned bad;
} tally_t;

/* Walk the blocks of chunk r from the first to the sentinel. */
static void check_chunk(const heap_t *h, const heap_region_t *r, tally_t *t)
{
	const heap_block_t *b = chunk_first(r), *prev = NULL, *end = chunk_sentinel(r);
	bool prev_free = false;

	while (b < end) {
		t->bad += b->prev_phys != prev || !block_tag_ok(b);
		t->bad += (b->size & BLOCK_FLAGS & ~(BLOCK_FREE | BLOCK_QUICK)) != 0;
		t->bad +=
		    block_size(b) < BLOCK_MIN || (block_is_free(b) && (b->size & BLOCK_QUICK));
		t->bad += prev_free && block_is_free(b);
		if (block_is_free(b))
			t->free_blocks++;
		else if (b->size & BLOCK_QUICK)
			t->quick_blocks++;
		else
			t->used++;
		prev_free = block_is_free(b);
		prev = b;
		if (block_size(b) > (size_t)((const char *)end - (const char *)b) - HEAP_HEADER) {
			t->bad++; /* a size that runs past the chunk: stop walking */
			return;
		}
		b = block_next(b);
	}
	t->bad += b != end || end->prev_phys != prev || end->size != block_tag(end);
	if (chunk_first(r)->prev_phys == NULL && block_next(chunk_first(r)) == end &&
	    block_is_free(chunk_first(r))) {
		t->empty_chunks++;
		t->bad += r != h->first && r != h->spare;
	}
}

static void check_regions(const heap_t *h, const avl_node_t *a, tally_t *t)
{
	const heap_region_t *r = (const heap_region_t *)a;

	if (!a)
		return;
	check_regions(h, a->left, t);
	t->consumed += r->reg.size;
	t->bad += r->reg.size % BACKING_GRANULE != 0;
	if (r->large)
		t->used++;
	else
		check_chunk(h, r, t);
	check_regions(h, a->right, t);
}

/* Check list (fl, sl); returns its length, at most limit + 1. */
static size_t check_list(const heap_t *h, unsigned fl, unsigned sl, size_t limit, unsigned *bad)
{
	const heap_block_t *b = h->lists[fl][sl], *prev = NULL;
	unsigned f, s;
	size_t n = 0;

	for (; b && n <= limit; prev = b, b = b->next_free, n++) {
		size_class(block_size(b), &f, &s);
		*bad += !block_is_free(b) || f != fl || s != sl || b->prev_free != prev;
	}
	*bad += ((h->sl_map[fl] >> sl) & 1) != (h->lists[fl][sl] != NULL);
	return n;
}

static unsigned check_lists(const heap_t *h, size_t free_blocks)
{
	unsigned bad = 0, fl, sl;
	size_t listed = 0;

	for (fl = 0; fl < HEAP_FL_COUNT; fl++) {
		for (sl = 0; sl < HEAP_SL_COUNT; sl++)
			listed += check_list(h, fl, sl, free_blocks, &bad);
		bad += ((h->fl_map >> fl) & 1) != (h->sl_map[fl] != 0);
	}
	return bad + (listed != free_blocks);
}

/* Every cached block is marked, of its list's size, and counted right. */
static unsigned check_quick(const heap_t *h, size_t quick_blocks)
{
	const heap_block_t *b;
	unsigned bad = 0;
	size_t c, n, total = 0, outside = 0;

	for (c = 0; c < HEAP_QUICK_CLASSES; c++) {
		for (b = h->quick[c], n = 0; b && n <= HEAP_QUICK_DEPTH; b = b->next_free, n++) {
			bad += !(b->size & BLOCK_QUICK) || quick_class(block_size(b)) != c;
			outside += (uintptr_t)b - (uintptr_t)h->first >= h->first->reg.size;
		}
		bad += n != h->quick_n[c] || n > HEAP_QUICK_DEPTH;
		total += n;
	}
	return bad + (total != quick_blocks) + (outside != h->quick_outside);
}

unsigned heap_check(const heap_t *h)
{
	tally_t t = {0, 0, 0, 0, 0, 0};

	check_regions(h, h->regions.root, &t);
	t.bad += t.consumed != h->consumed || t.used != h->live;
	t.bad += h->spare && h->live == 0;
	t.bad += !h->first || (h->spare && h->spare->large);
	t.bad += check_lists(h, t.free_blocks);
	t.bad += check_quick(h, t.quick_blocks);
	return t.bad + avl_check(&h->regions);
}
