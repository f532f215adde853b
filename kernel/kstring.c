/* Memory and string helpers: word loops where the alignment allows, else byte loops. */
#include <kstring.h>
#include <stdint.h>

/* memcpy: a word at a time when both sides can be aligned alike (loading core's image). */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--)
			*d++ = *s++;
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		d += n;
		s += n;
		while (n--)
			*--d = *--s;
	}
	return dst;
}

/* memset: a word at a time where it can (page tables and the frame table are large). */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	uint64_t w = 0x0101010101010101ull * (unsigned char)c;
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = w; /* aligned; the kernel builds with -fno-strict-aliasing */
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

int str_has_word(const char *s, const char *word)
{
	size_t wl = strlen(word);
	while (*s) {
		while (*s == ' ')
			s++;
		size_t l = 0;
		while (s[l] && s[l] != ' ')
			l++;
		if (l == wl && l && !strncmp(s, word, l))
			return 1;
		s += l;
	}
	return 0;
}
