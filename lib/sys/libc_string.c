/* The component runtime's string functions beyond lib/sys/mem.c (portable; host-tested). */
#include <stddef.h>
#include <stdint.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}

char *strcat(char *dst, const char *src)
{
	char *d = dst;
	while (*d)
		d++;
	while ((*d++ = *src++))
		;
	return dst;
}

char *strncat(char *dst, const char *src, size_t n)
{
	char *d = dst;
	while (*d)
		d++;
	while (n-- && *src)
		*d++ = *src++;
	*d = 0;
	return dst;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *h, const char *n)
{
	if (!*n)
		return (char *)h;
	for (; *h; h++) {
		size_t i = 0;
		while (n[i] && h[i] == n[i])
			i++;
		if (!n[i])
			return (char *)h;
	}
	return NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;
	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

/* digit: c's value as a digit of any base up to 36, or 99. */
static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * strtox: the strtol family's common part: the magnitude of the number at
 * s in base (0: by its prefix) saturated at limit, its sign, and where it
 * ends; *range is set when the magnitude went beyond limit.
 */
static unsigned long long strtox(const char *s, char **end, int base, unsigned long long limit,
				 int *neg, int *range)
{
	const char *p = s;
	*neg = 0, *range = 0;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit(p[2]) < 16)
		p += 2, base = 16;
	else if (base == 0)
		base = p[0] == '0' ? 8 : 10;
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	unsigned long long v = 0;
	const char *start = p;
	for (; digit(*p) < base; p++) {
		unsigned d = (unsigned)digit(*p);
		if (v > (limit - d) / (unsigned)base)
			*range = 1, v = limit;
		else
			v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(p == start ? s : p);
	return v;
}

extern int errno;
#define ERANGE 34

long long strtoll(const char *s, char **end, int base)
{
	int neg, range;
	unsigned long long v =
	    strtox(s, end, base, (unsigned long long)INT64_MAX + 1, &neg, &range);
	if (!neg && v > (unsigned long long)INT64_MAX)
		v = INT64_MAX, range = 1;
	if (range)
		errno = ERANGE;
	return neg ? (v == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(long long)v)
		   : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return (long)strtoll(s, end, base);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, range;
	unsigned long long v = strtox(s, end, base, UINT64_MAX, &neg, &range);
	if (range) {
		errno = ERANGE;
		return UINT64_MAX;
	}
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

/* swap: exchange size bytes at a and b. */
static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b, *b++ = t;
	}
}

/* sift: restore the heap property below root, among the first n elements. */
static void sift(char *base, size_t root, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

/* qsort: a heap sort: O(n log n) at worst, no recursion, no memory of its own. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	if (n < 2 || !size)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift(b, 0, end, size, cmp);
	}
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const char *b = base;
	while (n) {
		const char *mid = b + (n / 2) * size;
		int c = cmp(key, mid);
		if (c == 0)
			return (void *)mid;
		if (c > 0)
			b = mid + size, n -= n / 2 + 1;
		else
			n /= 2;
	}
	return NULL;
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}
