/*
 * A backing store for host tests: hands out page-aligned host memory,
 * enforces a quota, records every region and notices a region given back
 * twice or with the wrong size. Can also be told to fail a coming request.
 */
#pragma once

#include <stddef.h>
#include <alloc/backing.h>

typedef struct test_backing {
	backing_t backing; /* pass this to the allocator under test */
	size_t quota;	   /* bytes that may be held at once */
	size_t held;	   /* bytes held now */
	size_t regions;	   /* regions held now */
	size_t gets, puts;
	unsigned errors; /* puts of unknown regions or with a wrong size */
	long fail_in;	 /* fail the get this many gets from now (1 = next); 0 = never */
	void *tree;	 /* the recorded regions */
} test_backing_t;

/* test_backing_init: an empty store with the given quota. */
void test_backing_init(test_backing_t *tb, size_t quota);

/* test_backing_fini: free what is still held; returns the number of such regions. */
size_t test_backing_fini(test_backing_t *tb);

/* test_backing_holds: does the store have a region that contains p? */
int test_backing_holds(const test_backing_t *tb, const void *p);
