/*
 * Slab allocator: objects of one fixed size, carved from blocks that come
 * from a backing allocator (the heap or the sliced heap). Allocation and
 * free are O(1); a double free or a pointer that is not one of this slab's
 * objects is reported, never acted upon. Nothing here blocks, except that
 * the backing allocator may when a block is taken or given back.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <alloc/allocator.h>
#include <abi/err.h>

#define SLAB_BLOCK_DEFAULT ((size_t)4032) /* fits a page with a heap header */
#define SLAB_DIR_INLINE 8		  /* directory buckets held in slab_t */

typedef struct slab_block slab_block_t;

typedef struct slab {
	size_t obj_size;
	size_t stride;	   /* bytes per object: the object size rounded up to 8 */
	size_t block_size; /* bytes per block, taken from the backing allocator */
	uint32_t per_block;
	uint32_t dir_shift; /* block_size <= 1 << dir_shift */
	size_t objs_off;    /* offset of the first object inside a block */
	allocator_t backing;
	size_t span;	       /* bytes of the object area of a block */
	slab_block_t *partial; /* blocks with a free object */
	slab_block_t *full;    /* blocks without a free object */
	slab_block_t *spare;   /* the one block allowed to be empty, or NULL */
	slab_block_t *last;    /* the block of the last free: a lookup cache */
	slab_block_t **dir;    /* block directory: hash of block addresses */
	size_t dir_cap;	       /* buckets, a power of two */
	size_t blocks;	       /* blocks held */
	slab_block_t *dir_inline[SLAB_DIR_INLINE];
} slab_t;

/*
 * slab_init: a slab for objects of obj_size bytes in blocks of block_size
 * bytes (0 picks SLAB_BLOCK_DEFAULT, raised to hold at least 8 objects),
 * fed by backing. Takes its first block at once, so that consumed() after
 * init is the value it returns to when every object is freed. Objects are
 * 16-byte aligned when obj_size is a multiple of 16, else 8-byte aligned.
 * Errors: ERR_INVALID_ARGS (obj_size 0, or a block too small for one
 * object), ERR_OVERFLOW (sizes overflow), and those of backing's alloc.
 */
err_t slab_init(slab_t *s, size_t obj_size, size_t block_size, const allocator_t *backing);

/* slab_destroy: give every block back, live objects or not. */
void slab_destroy(slab_t *s);

/*
 * slab_alloc: one object into *out (NULL on error). O(1) unless a block
 * must be taken. Errors: those of the backing allocator (ERR_OUT_OF_RAM).
 */
err_t slab_alloc(slab_t *s, void **out);

/*
 * slab_free: give obj back; NULL is a no-op. O(1). Keeps at most one empty
 * block and gives further empty blocks back to the backing allocator.
 * Errors: ERR_DOUBLE_FREE (obj is a free object of this slab),
 * ERR_FOREIGN_PTR (obj is not the start of one of this slab's objects).
 * On error nothing changes.
 */
err_t slab_free(slab_t *s, void *obj);

/* slab_consumed: bytes taken from the backing allocator and still held. */
size_t slab_consumed(const slab_t *s);

/* slab_overhead: bytes of block space per object beyond obj_size. */
size_t slab_overhead(const slab_t *s);

/*
 * slab_allocator: s behind the generic interface (allocator.h), for code
 * that takes any allocator: a request of up to the object size gets one
 * object, a larger one INVALID_ARGS; overhead() adds the unused rest of
 * the object to slab_overhead().
 */
allocator_t slab_allocator(slab_t *s);

/* slab_live: objects currently allocated. O(blocks): kept off the fast path. */
size_t slab_live(const slab_t *s);

/*
 * slab_check: walk every block, list and directory bucket and count broken
 * invariants; 0 means consistent. O(objects held).
 */
unsigned slab_check(const slab_t *s);

/*
 * SLAB_TYPED(prefix, type): typed wrappers prefix_slab_t, prefix_slab_init,
 * prefix_slab_destroy, prefix_alloc and prefix_free, with the contracts of
 * the functions above.
 */
#define SLAB_TYPED(prefix, type)                                                               \
	typedef struct {                                                                       \
		slab_t slab;                                                                   \
	} prefix##_slab_t;                                                                     \
	static inline err_t prefix##_slab_init(prefix##_slab_t *s, const allocator_t *backing) \
	{                                                                                      \
		return slab_init(&s->slab, sizeof(type), 0, backing);                          \
	}                                                                                      \
	static inline void prefix##_slab_destroy(prefix##_slab_t *s)                           \
	{                                                                                      \
		slab_destroy(&s->slab);                                                        \
	}                                                                                      \
	static inline err_t prefix##_alloc(prefix##_slab_t *s, type **out)                     \
	{                                                                                      \
		void *p;                                                                       \
		err_t e = slab_alloc(&s->slab, &p);                                            \
		*out = (type *)p;                                                              \
		return e;                                                                      \
	}                                                                                      \
	static inline err_t prefix##_free(prefix##_slab_t *s, type *obj)                       \
	{                                                                                      \
		return slab_free(&s->slab, obj);                                               \
	}
