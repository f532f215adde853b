/*
 * The component runtime's stdio and stdlib (lib/include/libc/): output to
 * the LOG session a line at a time, malloc on the component's heap, exit
 * with the atexit handlers.
 */
#include <env.h>
#include <log.h>
#include <mem.h>
#include <parent.h>

int errno;

#define LINE_MAX 512
#define ATEXIT_MAX 32
#define ENOENT 2

typedef struct libc_file {
	char line[LINE_MAX];
	size_t used;
} FILE;

static FILE out, err;
FILE *stdout = &out, *stderr = &err;

/* flush: the buffered partial line as a LOG line of its own. */
static void flush(FILE *f)
{
	if (!f->used)
		return;
	log_printf("%.*s\n", (int)f->used, f->line);
	f->used = 0;
}

void libc_put(char c, void *ctx)
{
	FILE *f = ctx;
	if (c == '\n') {
		if (!f->used) /* an empty line is a line too */
			f->line[f->used++] = ' ';
		flush(f);
		return;
	}
	if (f->used == LINE_MAX - 1)
		flush(f);
	f->line[f->used++] = c;
}

int fputc(int c, FILE *f)
{
	libc_put((char)c, f);
	return (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	while (*s)
		libc_put(*s++, f);
	return 0;
}

int puts(const char *s)
{
	fputs(s, stdout);
	libc_put('\n', stdout);
	return 0;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	const char *c = p;
	for (size_t i = 0; i < size * n; i++)
		libc_put(c[i], f);
	return n;
}

int fflush(FILE *f)
{
	if (f)
		flush(f);
	else
		flush(stdout), flush(stderr);
	return 0;
}

FILE *fopen(const char *path, const char *mode)
{
	errno = ENOENT; /* there is no file system */
	return 0;
}

/* ---- stdlib ---- */

/* Each block has a 16-byte header before it: its size, for realloc. */
typedef struct {
	size_t size, pad;
} block_t;

void *malloc(size_t size)
{
	void *p;
	if (size > (size_t)-1 - sizeof(block_t) ||
	    heap_alloc(&component_env()->heap, size + sizeof(block_t), &p) != ERR_OK) {
		errno = 12; /* ENOMEM */
		return 0;
	}
	((block_t *)p)->size = size;
	return (block_t *)p + 1;
}

void free(void *p)
{
	if (p)
		heap_free(&component_env()->heap, (block_t *)p - 1);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		errno = 12;
		return 0;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	size_t old = ((block_t *)p - 1)->size;
	void *q = malloc(size);
	if (!q)
		return 0; /* p stays */
	memcpy(q, p, old < size ? old : size);
	free(p);
	return q;
}

void *aligned_alloc(size_t align, size_t size)
{
	if (align > 16 || (align & (align - 1))) {
		errno = 22; /* EINVAL: the heap aligns to 16 */
		return 0;
	}
	return malloc(size);
}

static void (*handlers[ATEXIT_MAX])(void);
static unsigned handler_count;

int atexit(void (*fn)(void))
{
	if (handler_count == ATEXIT_MAX)
		return -1;
	handlers[handler_count++] = fn;
	return 0;
}

_Noreturn void exit(int code)
{
	while (handler_count)
		handlers[--handler_count]();
	fflush(0);
	component_exit(code);
}

_Noreturn void abort(void)
{
	fflush(0);
	log_printf("abort()\n");
	component_exit(134);
}

char *getenv(const char *name)
{
	return 0; /* no environment */
}

char *setlocale(int category, const char *locale)
{
	static char c[] = "C";
	if (!locale || !locale[0] || !strcmp(locale, "C") || !strcmp(locale, "POSIX"))
		return c;
	return 0; /* the "C" locale is the only one */
}

struct lconv {
	char *decimal_point, *thousands_sep, *grouping;
};

struct lconv *localeconv(void)
{
	static char point[] = ".", none[] = "";
	static struct lconv c = {point, none, none};
	return &c;
}

/* rand: the C standard's example generator (RAND_MAX 32767), seeded by srand. */
static unsigned long next_rand = 1;

int rand(void)
{
	next_rand = next_rand * 1103515245 + 12345;
	return (int)((next_rand / 65536) % 32768);
}

void srand(unsigned seed)
{
	next_rand = seed;
}

_Noreturn void libc_assert_failed(const char *expr, const char *file, int line, const char *fn)
{
	fflush(0);
	log_printf("assertion failed: %s, %s:%d, in %s()\n", expr, file, line, fn);
	component_exit(134);
}
