/*
 * Host benchmark of the allocators against glibc, jemalloc and mimalloc,
 * all in one process: glibc's malloc is the one the binary links; jemalloc
 * and mimalloc are loaded with dlopen(RTLD_LOCAL), so neither replaces the
 * process's malloc, and are called through their own malloc/free symbols.
 * Every allocator is called through the same function pointers.
 *
 * Usage: host_alloc FIGURES.json   (prints a table, writes the figures)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unistd.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <alloc/heap.h>
#include <alloc/slab.h>

#define RUNS 7
#define PAIRS 10000000L
#define LIVE 10000
#define RANDOM_OPS 10000000L
#define LARSON_SLOTS 2000
#define LARSON_OPS 10000000L

enum { OURS, GLIBC, JEMALLOC, MIMALLOC, WHO };
static const char *const who_name[WHO] = {"ours", "glibc", "jemalloc", "mimalloc"};

typedef struct peer {
	void *(*alloc)(size_t);
	void (*free)(void *);
} peer_t;

static peer_t peers[WHO];
static int (*je_mallctl)(const char *, void *, size_t *, void *, size_t);
static void (*mi_info)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *,
		       size_t *);

/* ---- our allocators behind the same pointers ---- */

static heap_t heap;
static slab_t slab64;

static err_t mmap_get(void *ctx, size_t size, void **out)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*out = p == MAP_FAILED ? NULL : p;
	return p == MAP_FAILED ? ERR_OUT_OF_RAM : ERR_OK;
}

static void mmap_put(void *ctx, void *base, size_t size)
{
	munmap(base, size);
}

static size_t mmap_avail(void *ctx)
{
	return SIZE_MAX;
}

static const backing_ops_t mmap_ops = {mmap_get, mmap_put, mmap_avail};
static const backing_t mmap_backing = {&mmap_ops, NULL};

static void *heap_malloc(size_t size)
{
	void *p;

	heap_alloc(&heap, size, &p);
	return p;
}

static void heap_release(void *p)
{
	heap_free(&heap, p);
}

static void *slab64_malloc(size_t size)
{
	void *p;

	slab_alloc(&slab64, &p);
	return p;
}

static void slab64_release(void *p)
{
	slab_free(&slab64, p);
}

/* Set up our heap (and a 64-byte slab on it) for one run. */
static void ours_begin(int slab)
{
	allocator_t a;

	if (heap_init(&heap, &mmap_backing, NULL) != ERR_OK)
		abort();
	a = heap_allocator(&heap);
	if (slab && slab_init(&slab64, 64, 0, &a) != ERR_OK)
		abort();
	peers[OURS] =
	    slab ? (peer_t){slab64_malloc, slab64_release} : (peer_t){heap_malloc, heap_release};
}

static void ours_end(int slab)
{
	if (slab)
		slab_destroy(&slab64);
	heap_destroy(&heap);
}

/* ---- peers ---- */

static void *sym(void *lib, const char *name)
{
	void *p = dlsym(lib, name);

	if (!p) {
		fprintf(stderr, "host_alloc: %s: %s\n", name, dlerror());
		exit(1);
	}
	return p;
}

static void *load(const char *file)
{
	void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		fprintf(stderr, "host_alloc: %s\n", dlerror());
		exit(1);
	}
	return lib;
}

static void peers_load(void)
{
	void *je = load("libjemalloc.so.2"), *mi = load("libmimalloc.so.2");
	Dl_info info;

	peers[GLIBC] = (peer_t){malloc, free};
	peers[JEMALLOC] = (peer_t){sym(je, "malloc"), sym(je, "free")};
	peers[MIMALLOC] = (peer_t){sym(mi, "mi_malloc"), sym(mi, "mi_free")};
	je_mallctl = sym(je, "mallctl");
	mi_info = sym(mi, "mi_process_info");
	if (!dladdr(dlsym(RTLD_DEFAULT, "malloc"), &info) || !strstr(info.dli_fname, "libc.so")) {
		fprintf(stderr, "host_alloc: the process's malloc is not glibc's\n");
		exit(1);
	}
	printf("process malloc from %s; jemalloc and mimalloc loaded locally\n", info.dli_fname);
}

/* ---- measurement ---- */

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * Bytes the allocator holds from the system: ours, its backing regions;
 * glibc, mallinfo2 arena + mmapped bytes; jemalloc, stats.resident;
 * mimalloc, the committed bytes of mi_process_info.
 */
static size_t held_bytes(int who)
{
	struct mallinfo2 mi;
	size_t v = 0, len = sizeof(v), a, b, c, rss, peak, commit, peak_commit, faults;
	uint64_t epoch = 1;

	switch (who) {
	case OURS: return heap_consumed(&heap);
	case GLIBC: mi = mallinfo2(); return mi.arena + mi.hblkhd;
	case JEMALLOC:
		je_mallctl("epoch", NULL, NULL, &epoch, sizeof(epoch));
		je_mallctl("stats.resident", &v, &len, NULL, 0);
		return v;
	default: mi_info(&a, &b, &c, &rss, &peak, &commit, &peak_commit, &faults); return commit;
	}
}

/*
 * The workloads are written once, inlined into one copy per allocator: ours
 * calls heap_alloc/slab_alloc directly, the peers are called through the
 * function pointers dlsym gave, one call per operation either way.
 */
#define WORKLOAD static inline __attribute__((always_inline)) double

/* Workload 1: 64-byte alloc/free pairs; ns per pair. */
WORKLOAD pairs(peer_t p)
{
	double t0 = now_ns();
	long i;

	for (i = 0; i < PAIRS; i++) {
		char *b = p.alloc(64);

		b[0] = (char)i;
		p.free(b);
	}
	return (now_ns() - t0) / PAIRS;
}

static void *slot[LIVE];
static size_t slot_size[LIVE];

/* Workload 2: random sizes 16..4096, 10,000 live; ns per alloc or free. */
WORKLOAD random_sizes(peer_t p, int who, double *held_per_live)
{
	size_t before = who == OURS ? 0 : held_bytes(who), live = 0, k;
	double t0;
	long i;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (k = 0; k < LIVE; k++) {
		slot_size[k] = 16 + rnd() % 4081;
		*(char *)(slot[k] = p.alloc(slot_size[k])) = 1;
		live += slot_size[k];
	}
	t0 = now_ns();
	for (i = 0; i < RANDOM_OPS / 2; i++) {
		k = rnd() % LIVE;
		p.free(slot[k]);
		live -= slot_size[k];
		slot_size[k] = 16 + rnd() % 4081;
		*(char *)(slot[k] = p.alloc(slot_size[k])) = 1;
		live += slot_size[k];
	}
	t0 = now_ns() - t0;
	*held_per_live = (double)(held_bytes(who) - before) / live;
	for (k = 0; k < LIVE; k++)
		p.free(slot[k]);
	return t0 / RANDOM_OPS;
}

static size_t larson_size(void)
{
	uint64_t r = rnd();

	return r % 5 ? 8 + (r >> 8) % 121 : 129 + (r >> 8) % 1920;
}

/*
 * Workload 3, after Larson's server benchmark: long-lived objects replaced
 * in random order, and now and then a burst of 16 short-lived request
 * objects freed in reverse; ns per alloc or free.
 */
WORKLOAD larson(peer_t p)
{
	void *burst[16];
	long ops = 0;
	double t0;
	size_t k;
	int j;

	rng_state = 0x2545f4914f6cdd1dull;
	for (k = 0; k < LARSON_SLOTS; k++)
		slot[k] = p.alloc(larson_size());
	t0 = now_ns();
	while (ops < LARSON_OPS) {
		if ((rnd() & 31) == 0) {
			for (j = 0; j < 16; j++)
				*(char *)(burst[j] = p.alloc(larson_size())) = 1;
			for (j = 15; j >= 0; j--)
				p.free(burst[j]);
			ops += 32;
			continue;
		}
		k = rnd() % LARSON_SLOTS;
		p.free(slot[k]);
		*(char *)(slot[k] = p.alloc(larson_size())) = 1;
		ops += 2;
	}
	t0 = now_ns() - t0;
	for (k = 0; k < LARSON_SLOTS; k++)
		p.free(slot[k]);
	return t0 / ops;
}

static const peer_t ours_heap = {heap_malloc, heap_release};
static const peer_t ours_slab = {slab64_malloc, slab64_release};

static double run_pairs(int who)
{
	double ns;

	if (who != OURS)
		return pairs(peers[who]);
	ours_begin(1);
	ns = pairs(ours_slab);
	ours_end(1);
	return ns;
}

static double run_random(int who, double *held_per_live)
{
	double ns;

	if (who != OURS)
		return random_sizes(peers[who], who, held_per_live);
	ours_begin(0);
	ns = random_sizes(ours_heap, OURS, held_per_live);
	ours_end(0);
	return ns;
}

static double run_larson(int who)
{
	double ns;

	if (who != OURS)
		return larson(peers[who]);
	ours_begin(0);
	ns = larson(ours_heap);
	ours_end(0);
	return ns;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), by_value);
	return v[RUNS / 2];
}

/* ---- report ---- */

enum { PAIR, RANDOM, LARSON, HELD, ROWS };
static const char *const row_name[ROWS] = {"slab64 ns/pair (ours: slab)", "heap_random ns/op",
					   "larson ns/op", "held/live byte, workload 2"};
static const char *const row_key[ROWS] = {"host.slab64.ns_per_pair", "host.heap_random.ns_per_op",
					  "host.larson.ns_per_op",
					  "host.heap_random.held_per_live_byte"};

static void measure(double fig[ROWS][WHO])
{
	double v[ROWS - 1][WHO][RUNS];
	int w, r;

	for (r = 0; r < RUNS; r++) {
		for (w = 0; w < WHO; w++) {
			v[RANDOM][w][r] = run_random(w, r == 0 ? &fig[HELD][w] : &(double){0});
			v[PAIR][w][r] = run_pairs(w);
			v[LARSON][w][r] = run_larson(w);
		}
	}
	for (r = 0; r < ROWS - 1; r++)
		for (w = 0; w < WHO; w++)
			fig[r][w] = median(v[r][w]);
}

static void print_table(double fig[ROWS][WHO])
{
	char label[32];
	int r, w;

	snprintf(label, sizeof(label), "median of %d runs", RUNS);
	printf("%-30s %9s %9s %9s %9s  %8s %8s %8s\n", label, "ours", "glibc", "jemalloc",
	       "mimalloc", "/glibc", "/jemalloc", "/mimalloc");
	for (r = 0; r < ROWS; r++) {
		printf("%-30s", row_name[r]);
		for (w = 0; w < WHO; w++)
			printf(" %9.3f", fig[r][w]);
		printf(" ");
		for (w = 1; w < WHO; w++)
			printf(" %8.2f", fig[r][OURS] / fig[r][w]);
		printf("\n");
	}
	printf("%-30s %9zu   (header per block; plus rounding to 16)\n",
	       "heap bookkeeping bytes/alloc", (size_t)HEAP_HEADER);
}

static int write_json(const char *path, double fig[ROWS][WHO])
{
	FILE *f = fopen(path, "w");
	int r, w;

	if (!f)
		return 1;
	fprintf(f, "{\n");
	for (r = 0; r < ROWS; r++)
		for (w = 0; w < WHO; w++)
			fprintf(f, "  \"%s.%s\": %.4f,\n", row_key[r], who_name[w], fig[r][w]);
	fprintf(f, "  \"host.heap.overhead_bytes_per_alloc.ours\": %zu\n}\n", (size_t)HEAP_HEADER);
	return fclose(f) != 0;
}

/*
 * jemalloc keeps its thread state in initial-exec TLS, which dlopen can only
 * place in the loader's static TLS surplus: start again with a larger one.
 */
static void reexec_with_tls_surplus(char **argv)
{
	if (getenv("HOST_ALLOC_REEXEC"))
		return;
	setenv("HOST_ALLOC_REEXEC", "1", 1);
	setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
	execv("/proc/self/exe", argv);
	perror("host_alloc: execv");
	exit(1);
}

int main(int argc, char **argv)
{
	double fig[ROWS][WHO];

	if (argc != 2) {
		fprintf(stderr, "usage: host_alloc FIGURES.json\n");
		return 2;
	}
	reexec_with_tls_surplus(argv);
	peers_load();
	measure(fig);
	print_table(fig);
	return write_json(argv[1], fig);
}
