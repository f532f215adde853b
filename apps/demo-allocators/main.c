/*
 * The demo's allocators side by side: the same 32 objects of 64 bytes from
 * a heap, the sliced heap and a slab, each allocator fresh and local to
 * this component. Per allocator it prints the RAM dataspaces it took from
 * core, the RAM quota that cost, the bookkeeping bytes per object and the
 * instructions one alloc+free pair takes (rdtsc counts guest instructions
 * under QEMU -icount, as run/demo boots it). All three are used through
 * the one generic interface of lib/include/alloc/allocator.h.
 *
 * The heap puts many objects into one RAM dataspace: cheap to get, cheap
 * to keep. The sliced heap gives every allocation a dataspace of its own
 * (at least 4 KiB), so it can be freed back to core on its own and its
 * cost is accounted one by one. A slab holds objects of one size in blocks
 * from a backing allocator: the least bookkeeping and the fastest path.
 */
#include <env.h>
#include <mem.h>
#include <alloc/slab.h>

#define OBJECTS 32
#define OBJECT_SIZE 64
#define PAIRS 100

/* dataspaces: the RAM dataspaces the component's backing holds now. */
static unsigned dataspaces(const env_t *env)
{
	return env_backing_regions(env);
}

static uint64_t ram_used(env_t *env)
{
	pd_quota_t q = {0};
	pd_quota(env->pd, &q);
	return q.ram_used;
}

/* show: OBJECTS objects from a, what they cost, and the price of one pair. */
static err_t show(env_t *env, const char *name, const allocator_t *a, unsigned ds0, uint64_t ram0)
{
	void *objs[OBJECTS];
	err_t e = ERR_OK;
	unsigned n = 0;
	while (n < OBJECTS && (e = allocator_alloc(a, OBJECT_SIZE, &objs[n])) == ERR_OK)
		memset(objs[n++], 0xa5, OBJECT_SIZE);
	unsigned ds = dataspaces(env) - ds0;
	uint64_t ram = ram_used(env) - ram0;
	uint64_t t0 = rdtsc();
	for (int i = 0; e == ERR_OK && i < PAIRS; i++) {
		void *p;
		allocator_alloc(a, OBJECT_SIZE, &p);
		allocator_free(a, p);
	}
	uint64_t pair = (rdtsc() - t0) / PAIRS;
	for (unsigned i = 0; i < n; i++)
		allocator_free(a, objs[i]);
	if (e != ERR_OK) {
		log_session_printf(env->log, "%s: FAIL: object %u: %s", name, n, err_name(e));
		return e;
	}
	log_session_printf(
	    env->log,
	    "%-11s %2u objects of %u bytes: %2u dataspaces, %6lu bytes of RAM quota, "
	    "%4lu bookkeeping bytes per object, %4lu instructions per alloc+free",
	    name, OBJECTS, OBJECT_SIZE, ds, (unsigned long)ram,
	    (unsigned long)allocator_overhead(a, OBJECT_SIZE), (unsigned long)pair);
	return ERR_OK;
}

int component_main(env_t *env)
{
	heap_t heap, slab_heap;
	sliced_heap_t sliced;
	slab_t slab;
	unsigned ds0;
	uint64_t ram0;
	err_t e;
	log_session_printf(env->log,
			   "%u objects of %u bytes from three allocators of this "
			   "component, each fresh:",
			   OBJECTS, OBJECT_SIZE);

	ds0 = dataspaces(env), ram0 = ram_used(env);
	if ((e = heap_init(&heap, &env->backing, 0)) != ERR_OK)
		return 1;
	allocator_t h = heap_allocator(&heap);
	e = show(env, "heap", &h, ds0, ram0);
	heap_destroy(&heap);

	ds0 = dataspaces(env), ram0 = ram_used(env);
	sliced_heap_init(&sliced, &env->backing);
	allocator_t s = sliced_heap_allocator(&sliced);
	if (e == ERR_OK)
		e = show(env, "sliced heap", &s, ds0, ram0);
	sliced_heap_destroy(&sliced);

	ds0 = dataspaces(env), ram0 = ram_used(env);
	if (e == ERR_OK && (e = heap_init(&slab_heap, &env->backing, 0)) == ERR_OK) {
		allocator_t backing = heap_allocator(&slab_heap);
		if ((e = slab_init(&slab, OBJECT_SIZE, 0, &backing)) == ERR_OK) {
			allocator_t b = slab_allocator(&slab);
			e = show(env, "slab", &b, ds0, ram0);
			slab_destroy(&slab);
		}
		heap_destroy(&slab_heap);
	}
	log_session_printf(env->log, "all given back: %u dataspaces beyond the start, %s",
			   dataspaces(env) - ds0, e == ERR_OK ? "done" : err_name(e));
	return e == ERR_OK ? 0 : 1;
}
