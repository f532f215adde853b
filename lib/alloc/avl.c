/*
 * Intrusive AVL tree.
 *
 * Invariants: in-order traversal is strictly increasing under cmp; each
 * node's height is 1 + the larger child height; child heights differ by at
 * most one; count is the number of nodes. The optional update callback keeps
 * augmented data (the range allocator's largest free span) valid: it runs on
 * every node whose subtree changed, bottom-up.
 *
 * The operations are recursive: depth is at most 1.44 log2(n), about 90
 * frames for 2^64 nodes, which suits component and core stacks. Lookups are
 * left to the users, who walk left/right with their own key arithmetic.
 */
#include <alloc/avl.h>

void avl_init(avl_tree_t *t, avl_cmp_fn cmp, avl_update_fn update)
{
	t->root = NULL;
	t->cmp = cmp;
	t->update = update;
	t->count = 0;
}

/* Recompute n's height and augmented data from its children. */
static void fix(const avl_tree_t *t, avl_node_t *n)
{
	int l = avl_height(n->left), r = avl_height(n->right);

	n->height = 1 + (l > r ? l : r);
	if (t->update)
		t->update(n);
}

/* Lift n's child on side 'up' (0 left, 1 right) above n; returns the new subtree root. */
static avl_node_t *rotate(const avl_tree_t *t, avl_node_t *n, int up)
{
	avl_node_t *c = n->child[up];

	n->child[up] = c->child[!up];
	c->child[!up] = n;
	fix(t, n);
	fix(t, c);
	return c;
}

/* Restore balance at n after one of its subtrees changed by one level. */
static avl_node_t *balance(const avl_tree_t *t, avl_node_t *n)
{
	int diff = avl_height(n->left) - avl_height(n->right);
	int heavy = diff < 0; /* the side that is too tall */
	avl_node_t *c = n->child[heavy];

	if (diff >= -1 && diff <= 1) {
		fix(t, n);
		return n;
	}
	if (avl_height(c->child[heavy]) < avl_height(c->child[!heavy]))
		n->child[heavy] = rotate(t, c, !heavy); /* zig-zag: straighten first */
	return rotate(t, n, heavy);
}

static avl_node_t *insert(const avl_tree_t *t, avl_node_t *at, avl_node_t *n)
{
	int side;

	if (!at)
		return n;
	side = t->cmp(n, at) >= 0;
	at->child[side] = insert(t, at->child[side], n);
	return balance(t, at);
}

void avl_insert(avl_tree_t *t, avl_node_t *n)
{
	n->left = n->right = NULL;
	n->height = 1;
	if (t->update)
		t->update(n);
	t->root = insert(t, t->root, n);
	t->count++;
}

/* Detach the leftmost node of the subtree at 'at' into *min. */
static avl_node_t *remove_min(const avl_tree_t *t, avl_node_t *at, avl_node_t **min)
{
	if (!at->left) {
		*min = at;
		return at->right;
	}
	at->left = remove_min(t, at->left, min);
	return balance(t, at);
}

/* Replace n by its in-order successor, or by its only child. */
static avl_node_t *unlink_node(const avl_tree_t *t, avl_node_t *n)
{
	avl_node_t *succ;

	if (!n->right)
		return n->left;
	n->right = remove_min(t, n->right, &succ);
	succ->left = n->left;
	succ->right = n->right;
	return balance(t, succ);
}

static avl_node_t *remove_node(const avl_tree_t *t, avl_node_t *at, avl_node_t *n)
{
	int side;

	if (!at)
		return NULL; /* not in the tree: the caller broke the contract */
	if (at == n)
		return unlink_node(t, n);
	side = t->cmp(n, at) >= 0;
	at->child[side] = remove_node(t, at->child[side], n);
	return balance(t, at);
}

void avl_remove(avl_tree_t *t, avl_node_t *n)
{
	t->root = remove_node(t, t->root, n);
	t->count--;
}

static void refresh(const avl_tree_t *t, avl_node_t *at, avl_node_t *n)
{
	if (!at)
		return;
	if (at != n)
		refresh(t, at->child[t->cmp(n, at) >= 0], n);
	fix(t, at);
}

void avl_refresh(avl_tree_t *t, avl_node_t *n)
{
	refresh(t, t->root, n);
}

/* Check the subtree at n; *count accumulates its nodes, *prev the last seen. */
static unsigned check(const avl_tree_t *t, const avl_node_t *n, const avl_node_t **prev,
		      size_t *count)
{
	unsigned bad = 0;
	int l, r;

	if (!n)
		return 0;
	bad += check(t, n->left, prev, count);
	if (*prev && t->cmp(*prev, n) >= 0)
		bad++;
	*prev = n;
	(*count)++;
	bad += check(t, n->right, prev, count);
	l = avl_height(n->left);
	r = avl_height(n->right);
	if (n->height != 1 + (l > r ? l : r))
		bad++;
	if (l - r > 1 || r - l > 1)
		bad++;
	return bad;
}

unsigned avl_check(const avl_tree_t *t)
{
	const avl_node_t *prev = NULL;
	size_t count = 0;
	unsigned bad = check(t, t->root, &prev, &count);

	return bad + (count != t->count);
}

int avl_region_cmp(const avl_node_t *a, const avl_node_t *b)
{
	return a < b ? -1 : a > b;
}

/*
 * The descent indexes the child rather than branching to it: the direction
 * depends on a random pointer, so a branch would mispredict at every level.
 */
avl_region_t *avl_region_find(const avl_tree_t *t, uintptr_t p)
{
	const avl_node_t *a = t->root;

	while (a) {
		const avl_region_t *r = (const avl_region_t *)a;

		if (p - (uintptr_t)r < r->size)
			return (avl_region_t *)r;
		a = a->child[p > (uintptr_t)r];
	}
	return NULL;
}
