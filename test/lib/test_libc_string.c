/*
 * The component runtime's string functions and strtol family
 * (lib/sys/libc_string.c, compiled here with an rt_ prefix) against the
 * host C library's, over many random inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <cmocka.h>

char *rt_strchr(const char *s, int c);
char *rt_strrchr(const char *s, int c);
char *rt_strstr(const char *h, const char *n);
size_t rt_strspn(const char *s, const char *a);
size_t rt_strcspn(const char *s, const char *r);
size_t rt_strnlen(const char *s, size_t max);
void *rt_memchr(const void *s, int c, size_t n);
char *rt_strncpy(char *d, const char *s, size_t n);
char *rt_strcat(char *d, const char *s);
char *rt_strncat(char *d, const char *s, size_t n);
long long rt_strtoll(const char *s, char **end, int base);
unsigned long long rt_strtoull(const char *s, char **end, int base);
int rt_errno; /* the runtime's errno, renamed */
void rt_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *rt_bsearch(const void *key, const void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* text: a random short string over a small alphabet, so that matches happen */
static void text(char *out, size_t max)
{
	static const char alphabet[] = "abcab c\t";
	size_t n = next() % max;
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[next() % (sizeof(alphabet) - 1)];
	out[n] = 0;
}

static void test_strings(void **state)
{
	char a[24], b[8], d1[64], d2[64];
	for (int round = 0; round < 200000; round++) {
		text(a, sizeof(a)), text(b, sizeof(b));
		int c = "abc \t"[next() % 6];
		assert_ptr_equal(rt_strchr(a, c), strchr(a, c));
		assert_ptr_equal(rt_strrchr(a, c), strrchr(a, c));
		assert_ptr_equal(rt_strstr(a, b), strstr(a, b));
		assert_int_equal(rt_strspn(a, b), strspn(a, b));
		assert_int_equal(rt_strcspn(a, b), strcspn(a, b));
		size_t n = next() % 30;
		assert_int_equal(rt_strnlen(a, n), strnlen(a, n));
		assert_ptr_equal(rt_memchr(a, c, n < strlen(a) ? n : strlen(a)),
				 memchr(a, c, n < strlen(a) ? n : strlen(a)));
		memset(d1, 'x', sizeof(d1)), memset(d2, 'x', sizeof(d2));
		rt_strncpy(d1, a, n), strncpy(d2, a, n);
		assert_memory_equal(d1, d2, sizeof(d1));
		strcpy(d1, b), strcpy(d2, b);
		rt_strcat(d1, a), strcat(d2, a);
		assert_string_equal(d1, d2);
		rt_strncat(d1, b, n % 5), strncat(d2, b, n % 5);
		assert_string_equal(d1, d2);
	}
}

/* number: a random numeral with signs, spaces, prefixes, digits of all bases, overflows */
static void number(char *out)
{
	static const char *parts[] = {"",
				      " ",
				      "\t",
				      "-",
				      "+",
				      "0x",
				      "0X",
				      "0",
				      "1",
				      "7",
				      "9",
				      "a",
				      "f",
				      "z",
				      "Z",
				      "g",
				      "!",
				      "99999999999999999999",
				      "18446744073709551615",
				      "9223372036854775807",
				      "9223372036854775808",
				      "x"};
	out[0] = 0;
	for (int i = (int)(next() % 6); i >= 0; i--)
		strcat(out, parts[next() % (sizeof(parts) / sizeof(parts[0]))]);
}

static void test_strtol(void **state)
{
	char s[160];
	for (int round = 0; round < 200000; round++) {
		number(s);
		int base =
		    next() % 4 == 0 ? 0 : (int)(next() % 35) + 2; /* other bases are undefined */
		char *e1, *e2;
		errno = 0, rt_errno = 0;
		long long v1 = rt_strtoll(s, &e1, base), v2 = strtoll(s, &e2, base);
		int range2 = errno == ERANGE;
		assert_int_equal(v1, v2);
		assert_ptr_equal(e1, e2);
		assert_int_equal(rt_errno == ERANGE, range2);
		errno = 0, rt_errno = 0;
		unsigned long long u1 = rt_strtoull(s, &e1, base), u2 = strtoull(s, &e2, base);
		range2 = errno == ERANGE;
		assert_int_equal(u1, u2);
		assert_ptr_equal(e1, e2);
		assert_int_equal(rt_errno == ERANGE, range2);
	}
}

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* records sorted by key only: equal keys in any order, the multiset kept */
typedef struct {
	int key;
	char tag[12];
} record_t;

static int by_key(const void *a, const void *b)
{
	return by_value(&((const record_t *)a)->key, &((const record_t *)b)->key);
}

static void test_sort_search(void **state)
{
	static int v1[600], v2[600];
	static record_t r[300];
	for (int round = 0; round < 2000; round++) {
		size_t n = next() % 600;
		int range = (int)(next() % 50) + 1;
		for (size_t i = 0; i < n; i++)
			v1[i] = v2[i] = (int)(next() % (unsigned)range) - range / 2;
		rt_qsort(v1, n, sizeof(int), by_value);
		qsort(v2, n, sizeof(int), by_value);
		assert_memory_equal(v1, v2, n * sizeof(int)); /* ints: one sorted order */
		for (int k = -range; k <= range; k++) {
			int *a = rt_bsearch(&k, v1, n, sizeof(int), by_value),
			    *b = bsearch(&k, v2, n, sizeof(int), by_value);
			assert_true((a == NULL) == (b == NULL));
			if (a)
				assert_int_equal(*a, k);
		}
		size_t m = n / 2;
		long sum = 0, after = 0;
		for (size_t i = 0; i < m; i++)
			r[i].key = v2[i] % 7, snprintf(r[i].tag, sizeof(r[i].tag), "%zu", i),
			sum += r[i].key * 1000 + (long)i;
		rt_qsort(r, m, sizeof(record_t), by_key);
		for (size_t i = 0; i < m; i++) {
			after += r[i].key * 1000 + atol(r[i].tag);
			if (i)
				assert_true(r[i - 1].key <= r[i].key);
		}
		assert_int_equal(sum, after);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_strtol),
	    cmocka_unit_test(test_sort_search),
	};
	return cmocka_run_group_tests_name("lib_libc_string", tests, NULL, NULL);
}
