/*
 * Sliced heap. Each block is a backing region that starts with a slice
 * header (its tree node and size) followed by the payload. The regions are
 * kept in an AVL tree by address so that free() can refuse a pointer that
 * is not ours without reading memory in front of it.
 */
#include <alloc/sliced_heap.h>

typedef struct slice {
	avl_region_t reg; /* reg.size: bytes of the region */
} slice_t;

_Static_assert(sizeof(slice_t) == SLICED_HEAP_HEADER, "header size is part of the contract");

void sliced_heap_init(sliced_heap_t *sh, const backing_t *backing)
{
	sh->backing = *backing;
	avl_init(&sh->slices, avl_region_cmp, NULL);
	sh->consumed = 0;
}

void sliced_heap_destroy(sliced_heap_t *sh)
{
	slice_t *s;

	while (sh->slices.root) {
		s = (slice_t *)sh->slices.root;
		avl_remove(&sh->slices, &s->reg.avl);
		backing_put(&sh->backing, s, s->reg.size);
	}
	sh->consumed = 0;
}

err_t sliced_heap_alloc(sliced_heap_t *sh, size_t size, void **out)
{
	size_t bytes =
	    size <= SIZE_MAX - SLICED_HEAP_HEADER ? backing_round(size + SLICED_HEAP_HEADER) : 0;
	slice_t *s;
	err_t e;

	*out = NULL;
	if (bytes == 0)
		return ERR_OVERFLOW;
	e = backing_get(&sh->backing, bytes, (void **)&s);
	if (e != ERR_OK)
		return e;
	s->reg.size = bytes;
	avl_insert(&sh->slices, &s->reg.avl);
	sh->consumed += bytes;
	*out = (char *)s + SLICED_HEAP_HEADER;
	return ERR_OK;
}

err_t sliced_heap_free(sliced_heap_t *sh, void *ptr)
{
	slice_t *s;

	if (!ptr)
		return ERR_OK;
	s = (slice_t *)avl_region_find(&sh->slices, (uintptr_t)ptr);
	if (!s || (char *)ptr != (char *)s + SLICED_HEAP_HEADER)
		return ERR_FOREIGN_PTR;
	avl_remove(&sh->slices, &s->reg.avl);
	sh->consumed -= s->reg.size;
	backing_put(&sh->backing, s, s->reg.size);
	return ERR_OK;
}

size_t sliced_heap_consumed(const sliced_heap_t *sh)
{
	return sh->consumed;
}

size_t sliced_heap_overhead(const sliced_heap_t *sh, size_t size)
{
	size_t bytes =
	    size <= SIZE_MAX - SLICED_HEAP_HEADER ? backing_round(size + SLICED_HEAP_HEADER) : 0;

	return bytes ? bytes - size : 0;
}

static void check_slices(const avl_node_t *a, size_t *sum, unsigned *bad)
{
	const slice_t *s = (const slice_t *)a;

	if (!a)
		return;
	check_slices(a->left, sum, bad);
	*sum += s->reg.size;
	*bad += s->reg.size == 0 || s->reg.size % BACKING_GRANULE != 0;
	*bad += a->right && (uintptr_t)s + s->reg.size > (uintptr_t)a->right;
	check_slices(a->right, sum, bad);
}

unsigned sliced_heap_check(const sliced_heap_t *sh)
{
	size_t sum = 0;
	unsigned bad = 0;

	check_slices(sh->slices.root, &sum, &bad);
	return bad + (sum != sh->consumed) + avl_check(&sh->slices);
}

/* ---- generic interface ---- */

ALLOCATOR_OPS(sliced_heap_ops, sliced_heap_t, sliced_heap);

allocator_t sliced_heap_allocator(sliced_heap_t *sh)
{
	return (allocator_t){&sliced_heap_ops, sh};
}
