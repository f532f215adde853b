/* Host unit tests for the kernel's string helpers (built with a prefix). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

/* The kernel's definitions are compiled under a k_ prefix (see mk/test.mk). */
void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t max);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);
size_t k_strlcpy(char *dst, const char *src, size_t size);
int k_str_has_word(const char *s, const char *word);

static void test_mem(void **state)
{
	char a[16] = "abcdefghijklmno";
	k_memmove(a + 2, a, 8); /* overlapping forward */
	assert_memory_equal(a, "ababcdefghklmno", 16);
	k_memmove(a, a + 2, 8); /* overlapping backward */
	assert_memory_equal(a, "abcdefghghklmno", 16);
	k_memset(a, 'x', 3);
	assert_memory_equal(a, "xxx", 3);
	char b[4];
	k_memcpy(b, "xyz", 4);
	assert_int_equal(k_memcmp(b, "xyz", 4), 0);
	assert_true(k_memcmp("a", "b", 1) < 0);
	assert_true(k_memcmp("\xff", "a", 1) > 0); /* unsigned comparison */
	assert_int_equal(k_memcmp("a", "b", 0), 0);
}

/*
 * The word loops of memset and memcpy against libc, for every alignment of
 * each side and lengths around the word size: the bytes outside the range
 * must stay as they were.
 */
static void test_mem_words(void **state)
{
	unsigned char src[96], got[96], want[96];
	for (unsigned i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (unsigned da = 0; da < 8; da++)
		for (unsigned sa = 0; sa < 8; sa++)
			for (size_t n = 0; n < 40; n++) {
				memset(got, 0xee, sizeof(got)), memset(want, 0xee, sizeof(want));
				assert_ptr_equal(k_memcpy(got + 8 + da, src + sa, n), got + 8 + da);
				memcpy(want + 8 + da, src + sa, n);
				assert_memory_equal(got, want, sizeof(got));
				assert_ptr_equal(k_memset(got + 8 + da, (int)(0x100 + sa), n),
						 got + 8 + da);
				memset(want + 8 + da, (int)(0x100 + sa), n);
				assert_memory_equal(got, want, sizeof(got));
			}
}

static void test_str(void **state)
{
	assert_int_equal(k_strlen(""), 0);
	assert_int_equal(k_strlen("abc"), 3);
	assert_int_equal(k_strnlen("abc", 2), 2);
	assert_int_equal(k_strcmp("abc", "abc"), 0);
	assert_true(k_strcmp("abc", "abd") < 0);
	assert_true(k_strcmp("ab", "abc") < 0);
	assert_int_equal(k_strncmp("abcx", "abcy", 3), 0);
	assert_true(k_strncmp("abcx", "abcy", 4) < 0);
}

static void test_strlcpy(void **state)
{
	char d[4];
	assert_int_equal(k_strlcpy(d, "hello", sizeof(d)), 5);
	assert_string_equal(d, "hel");
	assert_int_equal(k_strlcpy(d, "hi", sizeof(d)), 2);
	assert_string_equal(d, "hi");
	d[0] = 'q';
	assert_int_equal(k_strlcpy(d, "hi", 0), 2);
	assert_int_equal(d[0], 'q');
}

static void test_words(void **state)
{
	assert_true(k_str_has_word("a test=panic b", "test=panic"));
	assert_true(k_str_has_word("test=panic", "test=panic"));
	assert_false(k_str_has_word("test=panicky", "test=panic"));
	assert_false(k_str_has_word("xtest=panic", "test=panic"));
	assert_false(k_str_has_word("", "x"));
	assert_false(k_str_has_word("   ", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mem),	  cmocka_unit_test(test_mem_words),
	    cmocka_unit_test(test_str),	  cmocka_unit_test(test_strlcpy),
	    cmocka_unit_test(test_words),
	};
	return cmocka_run_group_tests_name("kernel_kstring", tests, NULL, NULL);
}
