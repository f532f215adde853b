/*
 * Intrusive AVL tree, the index under the range allocator, the heap's chunk
 * directory and the sliced heap's region directory. Nodes live inside the
 * objects they index, so the tree itself never allocates.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct avl_node {
	union {
		struct {
			struct avl_node *left, *right;
		};
		struct avl_node *child[2]; /* [0] left, [1] right: for branch-free descents */
	};
	int height; /* of the subtree rooted here; a leaf has 1 */
} avl_node_t;

/* Orders two distinct nodes: negative, zero (same key) or positive. */
typedef int (*avl_cmp_fn)(const avl_node_t *a, const avl_node_t *b);
/* Recomputes a node's augmented data from its children; may be NULL. */
typedef void (*avl_update_fn)(avl_node_t *n);

typedef struct avl_tree {
	avl_node_t *root;
	avl_cmp_fn cmp;
	avl_update_fn update;
	size_t count;
} avl_tree_t;

/* avl_init: an empty tree ordered by cmp, augmented by update (or NULL). */
void avl_init(avl_tree_t *t, avl_cmp_fn cmp, avl_update_fn update);

/* avl_insert: insert n, whose key must not be in the tree. O(log n). */
void avl_insert(avl_tree_t *t, avl_node_t *n);

/* avl_remove: remove n, which must be in the tree. O(log n). */
void avl_remove(avl_tree_t *t, avl_node_t *n);

/*
 * avl_refresh: rerun update on n and its ancestors after the caller changed
 * n's augmented inputs (not its key). O(log n).
 */
void avl_refresh(avl_tree_t *t, avl_node_t *n);

/*
 * avl_check: walk the whole tree and count broken invariants: order, stored
 * heights, balance, node count. 0 means consistent. O(n).
 */
unsigned avl_check(const avl_tree_t *t);

/* avl_height: height of the subtree at n (0 for NULL). */
static inline int avl_height(const avl_node_t *n)
{
	return n ? n->height : 0;
}

/*
 * A region that starts with its own node and spans [node, node + size):
 * how the heap and the sliced heap index their backing regions.
 */
typedef struct avl_region {
	avl_node_t avl;
	size_t size;
} avl_region_t;

/* avl_region_cmp: orders regions by address; pass it to avl_init. */
int avl_region_cmp(const avl_node_t *a, const avl_node_t *b);

/* avl_region_find: the region of t that holds address p, or NULL. O(log n). */
avl_region_t *avl_region_find(const avl_tree_t *t, uintptr_t p);
