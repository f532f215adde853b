/* The recording, quota-enforcing backing store of the host tests. */
#define _GNU_SOURCE
#include <search.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_backing.h"

typedef struct region {
	char *base;
	size_t size;
} region_t;

static int region_cmp(const void *a, const void *b)
{
	const region_t *x = a, *y = b;

	if (x->base + x->size <= y->base)
		return -1;
	if (y->base + y->size <= x->base)
		return 1;
	return 0;
}

static err_t tb_get(void *ctx, size_t size, void **out)
{
	test_backing_t *tb = ctx;
	region_t *r;

	tb->gets++;
	if (tb->fail_in && --tb->fail_in == 0)
		return ERR_OUT_OF_RAM;
	if (tb->held > tb->quota || size > tb->quota - tb->held)
		return ERR_OUT_OF_RAM;
	r = malloc(sizeof(*r));
	r->base = aligned_alloc(BACKING_GRANULE, size);
	if (!r->base) {
		free(r);
		return ERR_NO_MEMORY;
	}
	r->size = size;
	memset(r->base, 0xa5, size); /* a dataspace is zeroed; do not rely on it */
	tsearch(r, &tb->tree, region_cmp);
	tb->held += size;
	tb->regions++;
	*out = r->base;
	return ERR_OK;
}

static void tb_put(void *ctx, void *base, size_t size)
{
	test_backing_t *tb = ctx;
	region_t key = {base, 1}, **found = tfind(&key, &tb->tree, region_cmp);
	region_t *r;

	tb->puts++;
	if (!found || (*found)->base != base || (*found)->size != size) {
		tb->errors++;
		return;
	}
	r = *found;
	tdelete(r, &tb->tree, region_cmp);
	tb->held -= r->size;
	tb->regions--;
	free(r->base);
	free(r);
}

static size_t tb_avail(void *ctx)
{
	test_backing_t *tb = ctx;

	return tb->held > tb->quota ? 0 : tb->quota - tb->held;
}

static const backing_ops_t tb_ops = {tb_get, tb_put, tb_avail};

void test_backing_init(test_backing_t *tb, size_t quota)
{
	memset(tb, 0, sizeof(*tb));
	tb->backing.ops = &tb_ops;
	tb->backing.ctx = tb;
	tb->quota = quota;
}

static void free_region(void *p)
{
	region_t *r = p;

	free(r->base);
	free(r);
}

size_t test_backing_fini(test_backing_t *tb)
{
	size_t left = tb->regions;

	tdestroy(tb->tree, free_region);
	tb->tree = NULL;
	tb->regions = 0;
	tb->held = 0;
	return left;
}

int test_backing_holds(const test_backing_t *tb, const void *p)
{
	region_t key = {(char *)p, 1};

	return tfind(&key, (void *const *)&tb->tree, region_cmp) != NULL;
}
