/*
 * Heap: TLSF blocks inside chunks, plus large blocks in regions of their own.
 *
 * Free blocks of similar size share a list; lists are indexed by a first
 * level (the power of two) and a second level (32 linear steps inside it),
 * and two bitmaps say which lists are non-empty, so finding a block that
 * surely fits takes two bit scans. A request is rounded up to the next list
 * boundary first: any block on that list or a later one fits (good fit).
 *
 * Invariants (heap_check verifies them):
 *  - in a chunk, blocks tile the space from the first block to a sentinel
 *    (a used block of size 0); each block's prev_phys names the one before,
 *    and each header's size word carries the tag of its own address;
 *  - no two free blocks are adjacent (free merges them at once);
 *  - every free block is on exactly the list its size maps to, and a bitmap
 *    bit is set exactly when its list is non-empty;
 *  - a chunk with no used block is the first chunk or the spare; the spare
 *    exists only while blocks are live (hysteresis of one chunk);
 *  - every region is in the region tree, consumed is the sum of their sizes.
 *
 * In front of the lists sits a cache of recently freed blocks up to 4 KiB,
 * one LIFO per exact size: a block cached there is marked BLOCK_QUICK and
 * counts as used to its neighbours, so reusing it costs no split, no merge
 * and no list update. The cache is bounded per size and emptied into the
 * lists when the backing store refuses memory, and when the last block is
 * freed while some cached block lies outside the first chunk; so it never
 * costs a failed allocation nor keeps chunks from going back once the heap
 * is empty.
 *
 * free() finds the region of a pointer in the tree (with a one-entry cache)
 * before it reads any header, so a foreign pointer is refused without
 * touching memory that is not the heap's; a header is then believed only if
 * it carries the tag of its own address (see heap_impl.h), which costs no
 * look at the next block.
 */
#include <alloc/heap.h>
#include <mem.h>
#include "heap_impl.h"

_Static_assert(REGION_HDR % HEAP_ALIGN == 0, "payloads stay aligned");
_Static_assert(HEAP_FL_COUNT <= 64, "fl_map has 64 bits");

/* ---- free lists ---- */

static void list_insert(heap_t *h, heap_block_t *b)
{
	unsigned fl, sl;
	heap_block_t *head;

	size_class(block_size(b), &fl, &sl);
	head = h->lists[fl][sl];
	b->next_free = head;
	b->prev_free = NULL;
	if (head)
		head->prev_free = b;
	h->lists[fl][sl] = b;
	h->fl_map |= (uint64_t)1 << fl;
	h->sl_map[fl] |= (uint32_t)1 << sl;
}

static void list_remove(heap_t *h, heap_block_t *b)
{
	unsigned fl, sl;

	size_class(block_size(b), &fl, &sl);
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (b->prev_free) {
		b->prev_free->next_free = b->next_free;
		return;
	}
	h->lists[fl][sl] = b->next_free;
	if (b->next_free)
		return;
	h->sl_map[fl] &= ~((uint32_t)1 << sl);
	if (!h->sl_map[fl])
		h->fl_map &= ~((uint64_t)1 << fl);
}

/* A free block of at least size bytes (still on its list), or NULL. */
static heap_block_t *list_find(const heap_t *h, size_t size)
{
	unsigned fl, sl;
	uint32_t sl_bits;
	uint64_t fl_bits;

	if (size >= SMALL_LIMIT)
		size += ((size_t)1 << (msb(size) - HEAP_SL_LOG2)) - 1;
	size_class(size, &fl, &sl);
	if (fl >= HEAP_FL_COUNT)
		return NULL;
	sl_bits = h->sl_map[fl] & (~(uint32_t)0 << sl);
	if (!sl_bits) {
		fl_bits = h->fl_map & (~(uint64_t)0 << (fl + 1));
		if (!fl_bits)
			return NULL;
		fl = (unsigned)__builtin_ctzll(fl_bits);
		sl_bits = h->sl_map[fl];
	}
	return h->lists[fl][__builtin_ctz(sl_bits)];
}

/* ---- regions ---- */

static void region_add(heap_t *h, heap_region_t *r, size_t size, bool large)
{
	r->reg.size = size;
	r->large = large;
	avl_insert(&h->regions, &r->reg.avl);
	h->consumed += size;
}

static void region_release(heap_t *h, heap_region_t *r)
{
	avl_remove(&h->regions, &r->reg.avl);
	h->consumed -= r->reg.size;
	if (h->last_hit == r)
		h->last_hit = NULL;
	backing_put(&h->backing, r, r->reg.size);
}

/* The region that holds p, or NULL; reads only the heap's own memory. */
static heap_region_t *region_find(heap_t *h, const void *p)
{
	heap_region_t *r = h->last_hit;

	if (r && (uintptr_t)p - (uintptr_t)r < r->reg.size)
		return r;
	r = (heap_region_t *)avl_region_find(&h->regions, (uintptr_t)p);
	if (r)
		h->last_hit = r;
	return r;
}

/* ---- chunks ---- */

/* Lay out a fresh chunk r of size bytes as one free block (not yet listed). */
static heap_block_t *chunk_format(heap_t *h, heap_region_t *r, size_t size)
{
	heap_block_t *b = chunk_first(r), *end;

	region_add(h, r, size, false);
	end = chunk_sentinel(r);
	b->prev_phys = NULL;
	b->size = block_tag(b) | (size - REGION_HDR - 2 * HEAP_HEADER) | BLOCK_FREE;
	end->prev_phys = b;
	end->size = block_tag(end);
	return b;
}

/* A new chunk able to hold a block of size bytes; its free block in *out. */
static err_t chunk_grow(heap_t *h, size_t size, heap_block_t **out)
{
	size_t need = backing_round(REGION_HDR + 2 * HEAP_HEADER + size);
	size_t want = h->next_chunk > need ? h->next_chunk : need;
	heap_region_t *r;
	err_t e = backing_get(&h->backing, want, (void **)&r);

	if (e != ERR_OK && want > need) {
		want = need;
		e = backing_get(&h->backing, want, (void **)&r);
	}
	if (e != ERR_OK)
		return e;
	*out = chunk_format(h, r, want);
	if (h->next_chunk < h->chunk_max)
		h->next_chunk = h->next_chunk * 2 < h->chunk_max ? h->next_chunk * 2 : h->chunk_max;
	return ERR_OK;
}

/* Give the spare chunk back. */
static void spare_release(heap_t *h)
{
	heap_region_t *r = h->spare;

	if (!r)
		return;
	list_remove(h, chunk_first(r));
	h->spare = NULL;
	region_release(h, r);
}

/* Chunk r just became empty; b is its one free block, not listed. */
static void chunk_emptied(heap_t *h, heap_region_t *r, heap_block_t *b)
{
	if (r != h->first && (h->spare || h->live == 0)) {
		region_release(h, r);
		return;
	}
	if (r != h->first)
		h->spare = r;
	list_insert(h, b);
}

/* ---- blocks ---- */

/* Cut free block b down to size bytes; the rest becomes a listed free block. */
static void block_split(heap_t *h, heap_block_t *b, size_t size)
{
	size_t rest = block_size(b) - size;
	heap_block_t *r;

	if (rest < HEAP_HEADER + BLOCK_MIN)
		return;
	r = (heap_block_t *)((char *)b + HEAP_HEADER + size);
	r->size = block_tag(r) | (rest - HEAP_HEADER) | BLOCK_FREE;
	r->prev_phys = b;
	block_next(r)->prev_phys = r;
	b->size = block_tag(b) | size | BLOCK_FREE;
	list_insert(h, r);
}

/* Free used block b of chunk r, merging it with free neighbours. */
static void small_free(heap_t *h, heap_region_t *r, heap_block_t *b)
{
	heap_block_t *prev = b->prev_phys, *next = block_next(b);

	b->size |= BLOCK_FREE;
	if (prev && block_is_free(prev)) {
		list_remove(h, prev);
		prev->size += HEAP_HEADER + block_size(b);
		b = prev;
	}
	if (block_is_free(next)) {
		list_remove(h, next);
		b->size += HEAP_HEADER + block_size(next);
	}
	block_next(b)->prev_phys = b;
	if (!b->prev_phys && block_next(b) == chunk_sentinel(r))
		chunk_emptied(h, r, b);
	else
		list_insert(h, b);
}

/* Is p the payload of a used block of chunk r? Reads only r's memory. */
static err_t block_validate(const heap_region_t *r, const void *p)
{
	const char *lo = (const char *)chunk_first(r) + HEAP_HEADER;
	const char *end = (const char *)chunk_sentinel(r);
	const heap_block_t *b = (const heap_block_t *)((const char *)p - HEAP_HEADER);

	if ((uintptr_t)p % HEAP_ALIGN || (const char *)p < lo || (const char *)p >= end)
		return ERR_FOREIGN_PTR;
	if (!block_tag_ok(b) || (b->size & BLOCK_FLAGS & ~(BLOCK_FREE | BLOCK_QUICK)) ||
	    block_size(b) > (size_t)(end - (const char *)p))
		return ERR_FOREIGN_PTR;
	return b->size & (BLOCK_FREE | BLOCK_QUICK) ? ERR_DOUBLE_FREE : ERR_OK;
}

/* ---- size cache ---- */

static bool in_first_chunk(const heap_t *h, const heap_block_t *b)
{
	return (uintptr_t)b - (uintptr_t)h->first < h->first->reg.size;
}

/* Cache freed block b by its size; false if it is too large or the list is full. */
static bool quick_put(heap_t *h, heap_block_t *b)
{
	size_t size = block_size(b), c = quick_class(size);

	if (size > HEAP_QUICK_MAX || h->quick_n[c] == HEAP_QUICK_DEPTH)
		return false;
	h->quick_outside += !in_first_chunk(h, b);
	b->size |= BLOCK_QUICK;
	b->next_free = h->quick[c];
	h->quick[c] = b;
	h->quick_n[c]++;
	return true;
}

/* A cached block of exactly size bytes, marked used, or NULL. */
static heap_block_t *quick_take(heap_t *h, size_t size)
{
	size_t c = quick_class(size);
	heap_block_t *b = h->quick[c];

	if (b) {
		h->quick[c] = b->next_free;
		h->quick_n[c]--;
		h->quick_outside -= !in_first_chunk(h, b);
		b->size &= ~BLOCK_QUICK;
	}
	return b;
}

/* Return every cached block to the lists; true if there was any. */
static bool quick_flush(heap_t *h)
{
	bool any = false;
	size_t c;
	heap_block_t *b;

	for (c = 0; c < HEAP_QUICK_CLASSES; c++) {
		while ((b = quick_take(h, (c + 1) * HEAP_ALIGN))) {
			small_free(h, region_find(h, b), b);
			any = true;
		}
	}
	return any;
}

/* A free block of at least size bytes, off the lists; a new chunk if need be. */
static err_t block_find(heap_t *h, size_t size, heap_block_t **out)
{
	heap_block_t *b = list_find(h, size);

	if (!b)
		return chunk_grow(h, size, out);
	list_remove(h, b);
	if (h->spare && b == chunk_first(h->spare))
		h->spare = NULL;
	*out = b;
	return ERR_OK;
}

static err_t small_alloc(heap_t *h, size_t size, void **out)
{
	heap_block_t *b = size <= HEAP_QUICK_MAX ? quick_take(h, size) : NULL;
	err_t e = ERR_OK;

	if (!b) {
		e = block_find(h, size, &b);
		if (e != ERR_OK && quick_flush(h))
			e = block_find(h, size, &b);
		if (e != ERR_OK)
			return e;
		block_split(h, b, size);
		b->size &= ~BLOCK_FREE;
	}
	h->live++;
	*out = (char *)b + HEAP_HEADER;
	return ERR_OK;
}

/* ---- large blocks ---- */

static err_t large_alloc(heap_t *h, size_t size, void **out)
{
	heap_region_t *r;
	size_t bytes;
	err_t e;

	if (size > SIZE_MAX - REGION_HDR - BACKING_GRANULE)
		return ERR_OVERFLOW;
	bytes = backing_round(REGION_HDR + size);
	e = backing_get(&h->backing, bytes, (void **)&r);
	if (e != ERR_OK)
		return e;
	region_add(h, r, bytes, true);
	h->live++;
	*out = (char *)r + REGION_HDR;
	return ERR_OK;
}

/* ---- interface ---- */

err_t heap_alloc(heap_t *h, size_t size, void **out)
{
	*out = NULL;
	if (size >= h->large_threshold)
		return large_alloc(h, size, out);
	size = size < BLOCK_MIN ? BLOCK_MIN : (size + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1);
	return small_alloc(h, size, out);
}

/*
 * Give back every chunk that holds no block (when the heap is empty: all
 * but the first). Blocks cached in the first chunk stay cached (that chunk
 * stays anyway), so an alloc/free pair on an empty heap, or a trim after
 * every request, does not sweep the whole cache.
 */
static void chunks_release_unused(heap_t *h)
{
	if (h->quick_outside)
		quick_flush(h);
	spare_release(h);
}

err_t heap_free(heap_t *h, void *ptr)
{
	heap_region_t *r;
	heap_block_t *b;
	err_t e;

	if (!ptr)
		return ERR_OK;
	b = (heap_block_t *)((char *)ptr - HEAP_HEADER);
	r = region_find(h, ptr);
	if (!r)
		return ERR_FOREIGN_PTR;
	if (r->large && ptr != (char *)r + REGION_HDR)
		return ERR_FOREIGN_PTR;
	e = r->large ? ERR_OK : block_validate(r, ptr);
	if (e != ERR_OK)
		return e;
	h->live--;
	if (r->large)
		region_release(h, r);
	else if (!quick_put(h, b))
		small_free(h, r, b);
	if (h->live == 0)
		chunks_release_unused(h);
	return ERR_OK;
}

static err_t config_apply(heap_t *h, const heap_config_t *cfg)
{
	size_t first = cfg && cfg->chunk_first ? cfg->chunk_first : HEAP_CHUNK_FIRST;

	h->large_threshold =
	    cfg && cfg->large_threshold ? cfg->large_threshold : HEAP_LARGE_DEFAULT;
	h->chunk_max = cfg && cfg->chunk_max ? cfg->chunk_max : HEAP_CHUNK_MAX_DEFAULT;
	h->next_chunk = backing_round(first);
	if (h->chunk_max > HEAP_CHUNK_LIMIT || h->large_threshold > h->chunk_max ||
	    h->large_threshold < 1024 || h->next_chunk == 0 || h->next_chunk > h->chunk_max)
		return ERR_INVALID_ARGS;
	return ERR_OK;
}

err_t heap_init(heap_t *h, const backing_t *backing, const heap_config_t *cfg)
{
	heap_block_t *b;
	err_t e;

	memset(h, 0, sizeof(*h));
	h->backing = *backing;
	avl_init(&h->regions, avl_region_cmp, NULL);
	e = config_apply(h, cfg);
	if (e == ERR_OK)
		e = chunk_grow(h, 0, &b);
	if (e != ERR_OK)
		return e;
	h->first = (heap_region_t *)((char *)b - REGION_HDR);
	list_insert(h, b);
	return ERR_OK;
}

void heap_trim(heap_t *h)
{
	chunks_release_unused(h);
}

void heap_destroy(heap_t *h)
{
	heap_region_t *r;

	while (h->regions.root) {
		r = (heap_region_t *)h->regions.root;
		avl_remove(&h->regions, &r->reg.avl);
		backing_put(&h->backing, r, r->reg.size);
	}
	memset(h, 0, sizeof(*h));
}

size_t heap_consumed(const heap_t *h)
{
	return h->consumed;
}

size_t heap_overhead(const heap_t *h, size_t size)
{
	if (size >= h->large_threshold)
		return backing_round(REGION_HDR + size) - size;
	if (size < BLOCK_MIN)
		return BLOCK_MIN + HEAP_HEADER - size;
	return ((size + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1)) - size + HEAP_HEADER;
}

/* ---- generic interface ---- */

ALLOCATOR_OPS(heap_ops, heap_t, heap);

allocator_t heap_allocator(heap_t *h)
{
	return (allocator_t){&heap_ops, h};
}
