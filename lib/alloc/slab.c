/*
 * Slab allocator.
 *
 * A block is one allocation from the backing allocator: a header, a bitmap,
 * then per_block objects of stride bytes. Free objects of a block are
 * threaded through their first word; objects never handed out yet are not
 * threaded at all (a bump index), so a new block costs no loop.
 *
 * Invariants:
 *  - a block with every object used is on 'full', any other on 'partial';
 *    a block without a used object is the 'spare' (so there is at most one);
 *  - a bit of the bitmap is set exactly when an allocated object starts at
 *    that 8-byte granule, so 'used' equals the bits set and an interior or
 *    freed pointer finds its bit clear;
 *  - every block is in the directory bucket of (block address >> dir_shift).
 *
 * Why a directory: free() must reject a pointer that is not ours without
 * touching memory that might not be ours. Since a block spans at most
 * 1 << dir_shift bytes, the block holding p starts in the window numbered
 * p >> dir_shift or the one before, so two buckets of a hash table find it
 * in O(1) expected time. The last block freed into is checked first.
 *
 * Hysteresis: one empty block is kept so that alloc/free pairs at a block
 * boundary do not bounce blocks to the backing allocator; a second empty
 * block goes back at once. The spare stays where it is on 'partial', and
 * only a block that becomes empty looks at it (an allocation need not), so
 * an alloc/free pair costs no list operation and no bookkeeping store. The first block is taken
 * at init, so consumed() returns to its value after init once every object
 * is freed.
 */
#include <alloc/slab.h>
#include <mem.h>

struct slab_block {
	slab_block_t *next, *prev; /* on the list its fill state selects */
	slab_block_t *dir_next;	   /* directory bucket chain */
	void *free;		   /* free objects, threaded through their first word */
	uint32_t used;		   /* objects handed out */
	uint32_t bumped;	   /* objects ever handed out; the rest is untouched */
	uint64_t map[];		   /* a bit per granule: an allocated object starts here */
};

#define GRANULE 8
#define DIR_HASH 0x9E3779B97F4A7C15ull

static char *block_objs(const slab_t *s, const slab_block_t *b)
{
	return (char *)b + s->objs_off;
}

static size_t objs_span(const slab_t *s)
{
	return s->span;
}

/* Block bytes for n objects of stride bytes, or SIZE_MAX if that overflows. */
static size_t block_bytes(size_t n, size_t stride, size_t *objs_off)
{
	size_t granules, words, off;

	if (stride && n > SIZE_MAX / 2 / stride)
		return SIZE_MAX;
	granules = n * stride / GRANULE;
	words = (granules + 63) / 64;
	off = (sizeof(slab_block_t) + words * 8 + 15) & ~(size_t)15;
	*objs_off = off;
	return off + n * stride;
}

/* ---- lists ---- */

static void list_push(slab_block_t **head, slab_block_t *b)
{
	b->prev = NULL;
	b->next = *head;
	if (*head)
		(*head)->prev = b;
	*head = b;
}

static void list_drop(slab_block_t **head, slab_block_t *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		*head = b->next;
	if (b->next)
		b->next->prev = b->prev;
	b->next = b->prev = NULL;
}

/* ---- directory ---- */

static size_t dir_bucket(const slab_t *s, uintptr_t window)
{
	return (size_t)((window * DIR_HASH) >> 40) & (s->dir_cap - 1);
}

static void dir_insert(slab_t *s, slab_block_t *b)
{
	slab_block_t **head = &s->dir[dir_bucket(s, (uintptr_t)b >> s->dir_shift)];

	b->dir_next = *head;
	*head = b;
}

static void dir_remove(slab_t *s, slab_block_t *b)
{
	slab_block_t **at = &s->dir[dir_bucket(s, (uintptr_t)b >> s->dir_shift)];

	while (*at && *at != b)
		at = &(*at)->dir_next;
	if (*at)
		*at = b->dir_next;
}

static bool holds(const slab_t *s, const slab_block_t *b, uintptr_t p)
{
	return p - (uintptr_t)block_objs(s, b) < objs_span(s);
}

/* The block whose object area holds p, or NULL. */
static slab_block_t *dir_find(const slab_t *s, uintptr_t p)
{
	uintptr_t window = p >> s->dir_shift;
	slab_block_t *b;

	for (b = s->dir[dir_bucket(s, window)]; b; b = b->dir_next)
		if (holds(s, b, p))
			return b;
	for (b = s->dir[dir_bucket(s, window - 1)]; b; b = b->dir_next)
		if (holds(s, b, p))
			return b;
	return NULL;
}

static void dir_fill(slab_t *s, slab_block_t *list)
{
	for (; list; list = list->next)
		dir_insert(s, list);
}

/* Rehash into cap buckets; on failure the old table stays (longer chains). */
static void dir_resize(slab_t *s, size_t cap)
{
	slab_block_t **old = s->dir, **table = s->dir_inline;

	if (cap > SLAB_DIR_INLINE &&
	    allocator_alloc(&s->backing, cap * sizeof(*table), (void **)&table) != ERR_OK)
		return;
	memset(table, 0, cap * sizeof(*table));
	if (old == s->dir_inline && table == s->dir_inline)
		return;
	s->dir = table;
	s->dir_cap = cap;
	dir_fill(s, s->partial);
	dir_fill(s, s->full);
	if (old != s->dir_inline)
		allocator_free(&s->backing, old);
}

/* ---- blocks ---- */

static err_t block_new(slab_t *s, slab_block_t **out)
{
	slab_block_t *b;
	err_t e = allocator_alloc(&s->backing, s->block_size, (void **)&b);

	if (e != ERR_OK)
		return e;
	memset(b, 0, s->objs_off);
	if (s->blocks + 1 > 2 * s->dir_cap)
		dir_resize(s, 2 * s->dir_cap); /* rehashes listed blocks: b is not yet */
	dir_insert(s, b);
	s->blocks++;
	*out = b;
	return ERR_OK;
}

static void block_release(slab_t *s, slab_block_t *b)
{
	dir_remove(s, b);
	if (s->last == b)
		s->last = NULL;
	if (s->spare == b)
		s->spare = NULL;
	s->blocks--;
	allocator_free(&s->backing, b);
	if (s->dir_cap > SLAB_DIR_INLINE && s->blocks < s->dir_cap / 4)
		dir_resize(s, s->dir_cap / 2);
}

/* A new (so far empty) block on the partial list. */
static err_t block_take(slab_t *s, slab_block_t **out)
{
	err_t e = block_new(s, out);

	if (e != ERR_OK)
		return e;
	list_push(&s->partial, *out);
	s->spare = *out; /* no other block is empty, or this one would not be needed */
	return ERR_OK;
}

/* b has no used object left: keep it as the spare or give it back. */
static void block_retire(slab_t *s, slab_block_t *b)
{
	if (b == s->spare)
		return;
	if (!s->spare || s->spare->used) {
		s->spare = b; /* the old spare is in use: b is the only empty block */
		return;
	}
	list_drop(&s->partial, b);
	block_release(s, b);
}

/* ---- objects ---- */

static void map_flip(slab_block_t *b, size_t granule)
{
	b->map[granule / 64] ^= (uint64_t)1 << (granule % 64);
}

static bool map_test(const slab_block_t *b, size_t granule)
{
	return (b->map[granule / 64] >> (granule % 64)) & 1;
}

static void *object_take(slab_t *s, slab_block_t *b)
{
	char *p = b->free;

	if (p)
		memcpy(&b->free, p, sizeof(void *));
	else
		p = block_objs(s, b) + (size_t)b->bumped++ * s->stride;
	map_flip(b, (size_t)(p - block_objs(s, b)) / GRANULE);
	if (++b->used == s->per_block) {
		list_drop(&s->partial, b);
		list_push(&s->full, b);
	}
	return p;
}

/* slab_alloc without a block to take from: take a new one. */
static __attribute__((noinline)) err_t alloc_slow(slab_t *s, void **out)
{
	slab_block_t *b;
	err_t e = block_take(s, &b);

	*out = e == ERR_OK ? object_take(s, b) : NULL;
	return e;
}

err_t slab_alloc(slab_t *s, void **out)
{
	slab_block_t *b = s->partial;

	if (!b)
		return alloc_slow(s, out);
	*out = object_take(s, b);
	return ERR_OK;
}

/* Why p, a granule of b without an allocated object, cannot be freed. */
static err_t free_refusal(const slab_t *s, size_t off)
{
	return off % s->stride == 0 ? ERR_DOUBLE_FREE : ERR_FOREIGN_PTR;
}

err_t slab_free(slab_t *s, void *obj)
{
	slab_block_t *b = s->last;
	size_t off;

	if (!b || !holds(s, b, (uintptr_t)obj)) {
		b = dir_find(s, (uintptr_t)obj);
		if (!b)
			return obj ? ERR_FOREIGN_PTR : ERR_OK;
	}
	off = (size_t)((char *)obj - block_objs(s, b));
	if (off % GRANULE || !map_test(b, off / GRANULE))
		return off % GRANULE ? ERR_FOREIGN_PTR : free_refusal(s, off);
	map_flip(b, off / GRANULE);
	memcpy(obj, &b->free, sizeof(void *));
	b->free = obj;
	s->last = b;
	if (b->used-- == s->per_block) {
		list_drop(&s->full, b);
		list_push(&s->partial, b);
	}
	if (b->used == 0)
		block_retire(s, b);
	return ERR_OK;
}

/* ---- life cycle ---- */

static unsigned log2_up(size_t n)
{
	unsigned k = 0;

	while (((size_t)1 << k) < n)
		k++;
	return k;
}

/* Choose stride, objects per block and the block layout. */
static err_t slab_layout(slab_t *s, size_t obj_size, size_t block_size)
{
	size_t n, off, want = block_size ? block_size : SLAB_BLOCK_DEFAULT;

	if (obj_size == 0)
		return ERR_INVALID_ARGS;
	if (obj_size > SIZE_MAX / 4)
		return ERR_OVERFLOW;
	s->stride = (obj_size + GRANULE - 1) & ~(size_t)(GRANULE - 1);
	if (!block_size && block_bytes(8, s->stride, &off) > want)
		want = block_bytes(8, s->stride, &off);
	if (want == SIZE_MAX)
		return ERR_OVERFLOW;
	n = want / s->stride;
	while (n && block_bytes(n, s->stride, &off) > want)
		n--;
	if (n == 0)
		return ERR_INVALID_ARGS;
	s->per_block = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	block_bytes(s->per_block, s->stride, &s->objs_off);
	s->span = (size_t)s->per_block * s->stride;
	s->block_size = want;
	s->dir_shift = log2_up(want);
	return ERR_OK;
}

err_t slab_init(slab_t *s, size_t obj_size, size_t block_size, const allocator_t *backing)
{
	slab_block_t *b;
	err_t e;

	memset(s, 0, sizeof(*s));
	s->obj_size = obj_size;
	s->backing = *backing;
	s->dir = s->dir_inline;
	s->dir_cap = SLAB_DIR_INLINE;
	e = slab_layout(s, obj_size, block_size);
	if (e == ERR_OK)
		e = block_take(s, &b);
	return e;
}

static void release_list(slab_t *s, slab_block_t *b)
{
	slab_block_t *next;

	for (; b; b = next) {
		next = b->next;
		allocator_free(&s->backing, b);
	}
}

void slab_destroy(slab_t *s)
{
	release_list(s, s->partial);
	release_list(s, s->full);
	if (s->dir != s->dir_inline)
		allocator_free(&s->backing, s->dir);
	memset(s, 0, sizeof(*s));
}

static size_t list_used(const slab_block_t *b)
{
	size_t n = 0;

	for (; b; b = b->next)
		n += b->used;
	return n;
}

size_t slab_live(const slab_t *s)
{
	return list_used(s->partial) + list_used(s->full);
}

size_t slab_consumed(const slab_t *s)
{
	size_t dir = s->dir == s->dir_inline ? 0 : s->dir_cap * sizeof(*s->dir);

	return s->blocks * s->block_size + dir;
}

size_t slab_overhead(const slab_t *s)
{
	return (s->block_size - s->per_block * s->obj_size) / s->per_block;
}

/* ---- consistency ---- */

static unsigned popcount(uint64_t w)
{
	unsigned n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

/* Count the free list of b; a walk longer than possible means a cycle. */
static unsigned check_free_list(const slab_t *s, const slab_block_t *b)
{
	unsigned bad = 0;
	size_t n = 0, off;
	char *p = b->free;
	void *next;

	for (; p && n <= b->bumped; n++) {
		off = (size_t)(p - block_objs(s, b));
		if (!holds(s, b, (uintptr_t)p) || off % s->stride || off / s->stride >= b->bumped ||
		    map_test(b, off / GRANULE))
			return bad + 1;
		memcpy(&next, p, sizeof(next));
		p = next;
	}
	return bad + (n != (size_t)b->bumped - b->used);
}

static unsigned check_block(const slab_t *s, const slab_block_t *b)
{
	size_t words = (objs_span(s) / GRANULE + 63) / 64, set = 0, i;
	unsigned bad = 0;

	for (i = 0; i < words; i++)
		set += popcount(b->map[i]);
	bad += set != b->used;
	bad += b->used > b->bumped || b->bumped > s->per_block;
	bad += dir_find(s, (uintptr_t)block_objs(s, b)) != b;
	return bad + check_free_list(s, b);
}

/* Check the blocks of one list: fill state, links, contents. */
static unsigned check_list(const slab_t *s, const slab_block_t *b, int state, size_t *blocks,
			   size_t *empty, bool *spare_seen)
{
	unsigned bad = 0;
	const slab_block_t *prev = NULL;

	for (; b && *blocks <= s->blocks; prev = b, b = b->next) {
		int actual = b->used == s->per_block ? 2 : 1;

		bad += actual != state || b->prev != prev;
		*empty += b->used == 0 && b != s->spare;
		*spare_seen |= b == s->spare;
		bad += check_block(s, b);
		(*blocks)++;
	}
	return bad;
}

unsigned slab_check(const slab_t *s)
{
	size_t blocks = 0, empty = 0;
	bool spare_seen = false;
	unsigned bad = 0;

	bad += check_list(s, s->partial, 1, &blocks, &empty, &spare_seen);
	bad += check_list(s, s->full, 2, &blocks, &empty, &spare_seen);
	bad += empty != 0 || (s->spare && !spare_seen);
	bad += s->span != (size_t)s->per_block * s->stride;
	bad += blocks != s->blocks;
	bad += s->last && dir_find(s, (uintptr_t)block_objs(s, s->last)) != s->last;
	return bad;
}

/*
 * The generic interface (slab_allocator): a request up to the object size
 * gets one object; its overhead counts the unused rest of the object.
 */
static err_t slab_sized_alloc(slab_t *s, size_t size, void **out)
{
	if (size > s->obj_size) {
		*out = NULL;
		return ERR_INVALID_ARGS;
	}
	return slab_alloc(s, out);
}

static err_t slab_sized_free(slab_t *s, void *obj)
{
	return slab_free(s, obj);
}

static size_t slab_sized_consumed(const slab_t *s)
{
	return slab_consumed(s);
}

static size_t slab_sized_overhead(const slab_t *s, size_t size)
{
	return slab_overhead(s) + (size < s->obj_size ? s->obj_size - size : 0);
}

ALLOCATOR_OPS(slab_ops, slab_t, slab_sized);

allocator_t slab_allocator(slab_t *s)
{
	return (allocator_t){&slab_ops, s};
}
