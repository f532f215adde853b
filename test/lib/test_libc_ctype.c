/* The component runtime's <ctype.h> against the host's, in the "C" locale, for every value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* the runtime's header under other names, then the host's */
#define isdigit rt_isdigit
#define isupper rt_isupper
#define islower rt_islower
#define isalpha rt_isalpha
#define isalnum rt_isalnum
#define isxdigit rt_isxdigit
#define isspace rt_isspace
#define isblank rt_isblank
#define iscntrl rt_iscntrl
#define isprint rt_isprint
#define isgraph rt_isgraph
#define ispunct rt_ispunct
#define tolower rt_tolower
#define toupper rt_toupper
#include "../../lib/include/libc/ctype.h"
#undef isdigit
#undef isupper
#undef islower
#undef isalpha
#undef isalnum
#undef isxdigit
#undef isspace
#undef isblank
#undef iscntrl
#undef isprint
#undef isgraph
#undef ispunct
#undef tolower
#undef toupper
#include <ctype.h>

static void test_classes(void **state)
{
	for (int c = -1; c < 256; c++) { /* EOF and every unsigned char */
		assert_int_equal(!!rt_isdigit(c), !!isdigit(c));
		assert_int_equal(!!rt_isupper(c), !!isupper(c));
		assert_int_equal(!!rt_islower(c), !!islower(c));
		assert_int_equal(!!rt_isalpha(c), !!isalpha(c));
		assert_int_equal(!!rt_isalnum(c), !!isalnum(c));
		assert_int_equal(!!rt_isxdigit(c), !!isxdigit(c));
		assert_int_equal(!!rt_isspace(c), !!isspace(c));
		assert_int_equal(!!rt_isblank(c), !!isblank(c));
		assert_int_equal(!!rt_iscntrl(c), !!iscntrl(c));
		assert_int_equal(!!rt_isprint(c), !!isprint(c));
		assert_int_equal(!!rt_isgraph(c), !!isgraph(c));
		assert_int_equal(!!rt_ispunct(c), !!ispunct(c));
		assert_int_equal(rt_tolower(c), tolower(c));
		assert_int_equal(rt_toupper(c), toupper(c));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_classes)};
	return cmocka_run_group_tests_name("lib_libc_ctype", tests, NULL, NULL);
}
