/*
 * AVL range allocator.
 *
 * The managed space is a set of blocks, free or used, each a node of one
 * AVL tree ordered by base. Bounds are inclusive ([base, last]) so that a
 * block ending at 2^64 needs no 65th bit. Each node also caches the largest
 * free span in its subtree (saturated at UINT64_MAX), which lets a search
 * skip every subtree too small for the request.
 *
 * Invariants:
 *  - blocks do not overlap and base <= last;
 *  - two free blocks are never adjacent (free merges them);
 *  - max_free of a node is the largest free span of its subtree;
 *  - 'free' is the sum of the free spans, used_blocks the used count.
 *
 * Changing a node's bounds in place is safe for the tree as long as no
 * other block lies between the old and new bounds: the order is unchanged,
 * and avl_refresh() repairs the cached spans on the way to the root. Every
 * operation takes the nodes it may need before it changes anything, so an
 * error leaves the allocator as it was.
 */
#include <alloc/range_alloc.h>

typedef struct range_node {
	avl_node_t avl; /* first: a node pointer is an avl pointer */
	uint64_t base, last;
	uint64_t max_free; /* largest free span in this subtree, 0 = none */
	bool used;
} range_node_t;

/* The request of one range_alloc_alloc call. */
typedef struct fit_req {
	uint64_t size, align, lo, hi; /* hi inclusive */
} fit_req_t;

static range_node_t *node_of(const avl_node_t *a)
{
	return (range_node_t *)a;
}

static uint64_t span_sat(const range_node_t *n)
{
	return n->last - n->base == UINT64_MAX ? UINT64_MAX : n->last - n->base + 1;
}

static int node_cmp(const avl_node_t *a, const avl_node_t *b)
{
	uint64_t x = node_of(a)->base, y = node_of(b)->base;

	return x < y ? -1 : x > y;
}

static uint64_t own_free(const range_node_t *n)
{
	return n->used ? 0 : span_sat(n);
}

static uint64_t subtree_free(const avl_node_t *a)
{
	return a ? node_of(a)->max_free : 0;
}

static void node_update(avl_node_t *a)
{
	range_node_t *n = node_of(a);
	uint64_t l = subtree_free(a->left), r = subtree_free(a->right), m = own_free(n);

	m = l > m ? l : m;
	n->max_free = r > m ? r : m;
}

/* Last address of [base, base + size), or an error if that passes 2^64. */
static err_t range_last(uint64_t base, uint64_t size, uint64_t *last)
{
	if (size == 0)
		return ERR_INVALID_ARGS;
	if (base > UINT64_MAX - (size - 1))
		return ERR_OVERFLOW;
	*last = base + (size - 1);
	return ERR_OK;
}

/* ---- nodes ---- */

static err_t node_new(range_alloc_t *ra, range_node_t **out)
{
	void *p;
	err_t e = slab_alloc(&ra->nodes, &p);

	*out = p;
	return e;
}

/* Take n nodes (0..2) up front; all or none. */
static err_t nodes_reserve(range_alloc_t *ra, int n, range_node_t *spare[2])
{
	err_t e = ERR_OK;

	spare[0] = spare[1] = NULL;
	if (n > 0)
		e = node_new(ra, &spare[0]);
	if (e == ERR_OK && n > 1)
		e = node_new(ra, &spare[1]);
	if (e != ERR_OK && spare[0])
		slab_free(&ra->nodes, spare[0]);
	return e;
}

static void node_insert(range_alloc_t *ra, range_node_t *n, uint64_t base, uint64_t last, bool used)
{
	n->base = base;
	n->last = last;
	n->used = used;
	avl_insert(&ra->tree, &n->avl);
}

static void node_drop(range_alloc_t *ra, range_node_t *n)
{
	avl_remove(&ra->tree, &n->avl);
	slab_free(&ra->nodes, n);
}

/* ---- lookups ---- */

static range_node_t *find_containing(const range_alloc_t *ra, uint64_t addr)
{
	const avl_node_t *a = ra->tree.root;

	while (a) {
		const range_node_t *n = node_of(a);

		if (addr < n->base)
			a = a->left;
		else if (addr > n->last)
			a = a->right;
		else
			return node_of(a);
	}
	return NULL;
}

/* Any block intersecting [base, last]. */
static range_node_t *find_overlap(const range_alloc_t *ra, uint64_t base, uint64_t last)
{
	const avl_node_t *a = ra->tree.root;

	while (a) {
		const range_node_t *n = node_of(a);

		if (n->last < base)
			a = a->right;
		else if (n->base > last)
			a = a->left;
		else
			return node_of(a);
	}
	return NULL;
}

/* The free block ending right before n, or NULL. */
static range_node_t *free_before(const range_alloc_t *ra, const range_node_t *n)
{
	range_node_t *p = n->base ? find_containing(ra, n->base - 1) : NULL;

	return p && !p->used ? p : NULL;
}

/* The free block starting right after n, or NULL. */
static range_node_t *free_after(const range_alloc_t *ra, const range_node_t *n)
{
	range_node_t *s = n->last < UINT64_MAX ? find_containing(ra, n->last + 1) : NULL;

	return s && !s->used ? s : NULL;
}

/* Free n (already marked free, counted) and merge it with free neighbours. */
static void merge_free(range_alloc_t *ra, range_node_t *n)
{
	range_node_t *p = free_before(ra, n), *s = free_after(ra, n);

	if (p) {
		uint64_t base = p->base;

		node_drop(ra, p);
		n->base = base;
	}
	if (s) {
		uint64_t last = s->last;

		node_drop(ra, s);
		n->last = last;
	}
	avl_refresh(&ra->tree, &n->avl);
}

/* ---- life cycle ---- */

err_t range_alloc_init(range_alloc_t *ra, const allocator_t *md)
{
	avl_init(&ra->tree, node_cmp, node_update);
	ra->free = 0;
	ra->used_blocks = 0;
	return slab_init(&ra->nodes, sizeof(range_node_t), 0, md);
}

void range_alloc_destroy(range_alloc_t *ra)
{
	slab_destroy(&ra->nodes);
	avl_init(&ra->tree, node_cmp, node_update);
	ra->free = 0;
	ra->used_blocks = 0;
}

err_t range_alloc_add(range_alloc_t *ra, uint64_t base, uint64_t size)
{
	range_node_t *n;
	uint64_t last;
	err_t e = range_last(base, size, &last);

	if (e != ERR_OK)
		return e;
	if (find_overlap(ra, base, last))
		return ERR_REGION_CONFLICT;
	e = node_new(ra, &n);
	if (e != ERR_OK)
		return e;
	node_insert(ra, n, base, last, false);
	ra->free += (unsigned __int128)(last - base) + 1;
	merge_free(ra, n);
	return ERR_OK;
}

/* ---- remove ---- */

static bool any_used_in(const avl_node_t *a, uint64_t base, uint64_t last)
{
	const range_node_t *n;

	if (!a)
		return false;
	n = node_of(a);
	if (n->last < base)
		return any_used_in(a->right, base, last);
	if (n->base > last)
		return any_used_in(a->left, base, last);
	return n->used || any_used_in(a->left, base, last) || any_used_in(a->right, base, last);
}

/* Cut [base, last] out of the middle of free block n. */
static err_t split_out(range_alloc_t *ra, range_node_t *n, uint64_t base, uint64_t last)
{
	range_node_t *m;
	uint64_t old_last = n->last;
	err_t e = node_new(ra, &m);

	if (e != ERR_OK)
		return e;
	ra->free -= (unsigned __int128)(last - base) + 1;
	n->last = base - 1;
	avl_refresh(&ra->tree, &n->avl);
	node_insert(ra, m, last + 1, old_last, false);
	return ERR_OK;
}

/* Take the part of free block n inside [base, last] away. */
static void trim(range_alloc_t *ra, range_node_t *n, uint64_t base, uint64_t last)
{
	uint64_t lo = n->base > base ? n->base : base;
	uint64_t hi = n->last < last ? n->last : last;

	ra->free -= (unsigned __int128)(hi - lo) + 1;
	if (n->base < base)
		n->last = base - 1;
	else if (n->last > last)
		n->base = last + 1;
	else
		return node_drop(ra, n);
	avl_refresh(&ra->tree, &n->avl);
}

err_t range_alloc_remove(range_alloc_t *ra, uint64_t base, uint64_t size)
{
	range_node_t *n;
	uint64_t last;
	err_t e = range_last(base, size, &last);

	if (e != ERR_OK)
		return e;
	if (any_used_in(ra->tree.root, base, last))
		return ERR_REGION_CONFLICT;
	n = find_overlap(ra, base, last);
	if (n && n->base < base && n->last > last)
		return split_out(ra, n, base, last);
	while ((n = find_overlap(ra, base, last)))
		trim(ra, n, base, last);
	return ERR_OK;
}

/* ---- alloc ---- */

/* Where request q fits into free block n, if it does. */
static bool place(const fit_req_t *q, const range_node_t *n, uint64_t *at)
{
	uint64_t start = n->base > q->lo ? n->base : q->lo;
	uint64_t cap = n->last < q->hi ? n->last : q->hi;
	uint64_t a;

	if (start > UINT64_MAX - (q->align - 1))
		return false;
	a = (start + q->align - 1) & ~(q->align - 1);
	if (a > UINT64_MAX - (q->size - 1) || a + (q->size - 1) > cap)
		return false;
	*at = a;
	return true;
}

/* The lowest free block of the subtree at a that fits q; its start in *at. */
static range_node_t *fit(const fit_req_t *q, const avl_node_t *a, uint64_t *at)
{
	range_node_t *n, *r;

	if (!a || node_of(a)->max_free < q->size)
		return NULL;
	n = node_of(a);
	if (n->base > q->lo && (r = fit(q, a->left, at)))
		return r;
	if (n->base > q->hi)
		return NULL;
	if (!n->used && place(q, n, at))
		return n;
	return fit(q, a->right, at);
}

/* Mark [a, a + size) of free block n used, splitting off the rest. */
static err_t carve(range_alloc_t *ra, range_node_t *n, uint64_t a, uint64_t size)
{
	uint64_t base = n->base, last = n->last, end = a + (size - 1);
	range_node_t *spare[2];
	int i = 0;
	err_t e = nodes_reserve(ra, (a > base) + (end < last), spare);

	if (e != ERR_OK)
		return e;
	n->base = a;
	n->last = end;
	n->used = true;
	avl_refresh(&ra->tree, &n->avl);
	if (a > base)
		node_insert(ra, spare[i++], base, a - 1, false);
	if (end < last)
		node_insert(ra, spare[i], end + 1, last, false);
	ra->free -= size;
	ra->used_blocks++;
	return ERR_OK;
}

err_t range_alloc_alloc(range_alloc_t *ra, uint64_t size, uint64_t align, uint64_t from,
			uint64_t to, uint64_t *out)
{
	fit_req_t q = {size, align ? align : 1, from, to - 1};
	range_node_t *n;
	uint64_t at;
	err_t e;

	*out = 0;
	if (size == 0 || (q.align & (q.align - 1)) || (to != RANGE_ALLOC_TOP && from >= to))
		return ERR_INVALID_ARGS;
	n = fit(&q, ra->tree.root, &at);
	if (!n)
		return ERR_NO_MEMORY;
	e = carve(ra, n, at, size);
	if (e == ERR_OK)
		*out = at;
	return e;
}

err_t range_alloc_alloc_at(range_alloc_t *ra, uint64_t addr, uint64_t size)
{
	range_node_t *n;
	uint64_t last;
	err_t e = range_last(addr, size, &last);

	if (e != ERR_OK)
		return e;
	n = find_containing(ra, addr);
	if (!n || n->used || last > n->last)
		return ERR_REGION_CONFLICT;
	return carve(ra, n, addr, size);
}

err_t range_alloc_free(range_alloc_t *ra, uint64_t addr)
{
	range_node_t *n = find_containing(ra, addr);

	if (!n)
		return ERR_FOREIGN_PTR;
	if (!n->used)
		return ERR_DOUBLE_FREE;
	if (n->base != addr)
		return ERR_INVALID_ARGS;
	n->used = false;
	ra->free += (unsigned __int128)(n->last - n->base) + 1;
	ra->used_blocks--;
	merge_free(ra, n);
	return ERR_OK;
}

err_t range_alloc_size_at(const range_alloc_t *ra, uint64_t addr, uint64_t *size)
{
	const range_node_t *n = find_containing(ra, addr);

	*size = 0;
	if (!n || !n->used || n->base != addr)
		return ERR_NOT_FOUND;
	*size = n->last - n->base + 1;
	return ERR_OK;
}

uint64_t range_alloc_avail(const range_alloc_t *ra)
{
	return ra->free > UINT64_MAX ? UINT64_MAX : (uint64_t)ra->free;
}

size_t range_alloc_consumed(const range_alloc_t *ra)
{
	return slab_consumed(&ra->nodes);
}

size_t range_alloc_overhead(const range_alloc_t *ra)
{
	return sizeof(range_node_t) + slab_overhead(&ra->nodes);
}

/* ---- consistency ---- */

typedef struct walk {
	const range_node_t *prev;
	unsigned __int128 free;
	uint64_t used;
	unsigned bad;
} walk_t;

static void check_node(const avl_node_t *a, walk_t *w)
{
	const range_node_t *n, *p;
	range_node_t copy;

	if (!a)
		return;
	check_node(a->left, w);
	n = node_of(a);
	p = w->prev;
	copy = *n;
	node_update(&copy.avl);
	w->bad += n->base > n->last;
	w->bad += copy.max_free != n->max_free;
	w->bad += p && p->last >= n->base;
	w->bad += p && !p->used && !n->used && p->last + 1 == n->base;
	if (n->used)
		w->used++;
	else
		w->free += (unsigned __int128)(n->last - n->base) + 1;
	w->prev = n;
	check_node(a->right, w);
}

unsigned range_alloc_check(const range_alloc_t *ra)
{
	walk_t w = {NULL, 0, 0, 0};

	check_node(ra->tree.root, &w);
	w.bad += w.free != ra->free || w.used != ra->used_blocks;
	w.bad += slab_live(&ra->nodes) != ra->tree.count;
	return w.bad + avl_check(&ra->tree) + slab_check(&ra->nodes);
}
