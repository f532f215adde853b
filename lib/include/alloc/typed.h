/*
 * Typed allocation from any allocator, what `new (alloc) T` is in Genode:
 *
 *     point_t *p;
 *     err_t e = alloc_new(&env->heap, &p);        // one zeroed point_t
 *     e = alloc_new_array(&env->sliced_heap, &v, 100);  // 100 zeroed ones
 *     alloc_delete(&env->heap, p);               // give it back
 *
 * The allocator may be a heap_t *, a sliced_heap_t *, a slab_t * (whose
 * object size must hold the type) or any allocator_t *; the pointer's type
 * gives the size, so no size is ever written by hand. Each object comes
 * zeroed. Errors: the allocator's (OUT_OF_RAM, ...), INVALID_ARGS for an
 * array whose byte count overflows, a type aligned to more than 16 bytes,
 * a block the allocator did not align as the type needs (a slab aligns
 * its objects to their stride's alignment, at least 8 bytes), or a slab
 * whose objects are too small. On error *pp is NULL.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <mem.h>
#include <alloc/allocator.h>
#include <alloc/heap.h>
#include <alloc/sliced_heap.h>
#include <alloc/slab.h>

#define ALLOC_TYPED_ALIGN 16 /* what every allocator here aligns to */

/* alloc_generic: the generic interface of any of the allocators above. */
static inline allocator_t alloc_generic_of(allocator_t *a)
{
	return *a;
}
#define alloc_generic(a)                           \
	_Generic((a), heap_t *                     \
		 : heap_allocator, sliced_heap_t * \
		 : sliced_heap_allocator, slab_t * \
		 : slab_allocator, allocator_t *   \
		 : alloc_generic_of)(a)

/* alloc_typed: count zeroed objects of size bytes and alignment align from a, into *out. */
static inline err_t alloc_typed(allocator_t a, size_t size, size_t count, size_t align, void **out)
{
	*out = NULL;
	if (count == 0 || size > SIZE_MAX / count || align > ALLOC_TYPED_ALIGN)
		return ERR_INVALID_ARGS;
	err_t e = allocator_alloc(&a, size * count, out);
	if (e == ERR_OK && (uintptr_t)*out % align) { /* a slab of a smaller stride */
		allocator_free(&a, *out);
		*out = NULL;
		return ERR_INVALID_ARGS;
	}
	if (e == ERR_OK)
		memset(*out, 0, size * count);
	return e;
}

/* alloc_new(a, pp): one zeroed object of *pp's type into *pp. */
#define alloc_new(a, pp) alloc_new_array(a, pp, 1)

/* alloc_new_array(a, pp, n): n zeroed objects of *pp's type, contiguous, into *pp. */
#define alloc_new_array(a, pp, n)                                                        \
	alloc_typed(alloc_generic(a), sizeof(**(pp)), (n), _Alignof(__typeof__(**(pp))), \
		    (void **)(pp))

/* alloc_delete(a, p): give back what alloc_new or alloc_new_array took; NULL is a no-op. */
#define alloc_delete(a, p)                                      \
	__extension__({                                         \
		allocator_t alloc_delete_a_ = alloc_generic(a); \
		allocator_free(&alloc_delete_a_, (void *)(p));  \
	})
