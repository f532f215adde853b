/*
 * run/runtime: ordinary C against the component runtime's headers: stdio
 * to the LOG session, malloc and its family on the heap, the string
 * functions, strtol, exit with atexit handlers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ctype.h>
#include <setjmp.h>
#include <locale.h>
#include <math.h>
#include <env.h>

static jmp_buf back;

/* deep: a few frames down, and straight back to the setjmp (gcc counts longjmp as a return) */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void deep(int n)
{
	volatile char frame[64];
	frame[0] = (char)n;
	if (n > 0)
		deep(n - 1);
	else
		longjmp(back, 7);
	(void)frame[0];
}

static unsigned failures;

static void check(int ok, const char *what)
{
	printf("runtime: %s: %s\n", what, ok ? "ok" : "FAIL");
	failures += !ok;
}

static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void goodbye(void)
{
	printf("runtime: atexit handler ran, %u failures\n", failures);
}

int component_main(env_t *env)
{
	printf("runtime: printf %d %5.2s|%-4x|%#o %lu\n", -7, "abc", 0xab, 8, 123456789ul);
	printf("runtime: a line in ");
	printf("three ");
	printf("pieces\n");
	fprintf(stderr, "runtime: to stderr, %s\n", "labelled too");
	puts("runtime: puts");
	putchar('r'), putchar('\n');
	fputs("runtime: unflushed", stdout);
	fflush(stdout);
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%8.3d|%+d", 42, 5);
	check(n == 11 && !strcmp(buf, "     042|+5"), "snprintf");

	char *p = malloc(100);
	check(p && ((unsigned long)p & 15) == 0, "malloc, 16-byte aligned");
	strcpy(p, "hello, runtime");
	p = realloc(p, 5000);
	check(p && !strcmp(p, "hello, runtime"), "realloc keeps the contents");
	free(p);
	int *z = calloc(1000, sizeof(int));
	int zero = 1;
	for (int i = 0; z && i < 1000; i++)
		zero &= z[i] == 0;
	check(z && zero, "calloc zeroes");
	free(z);
	errno = 0;
	check(!malloc((size_t)1 << 40) && errno == ENOMEM, "malloc beyond the quota: NULL, ENOMEM");
	check(!calloc((size_t)1 << 40, (size_t)1 << 40) && errno == ENOMEM,
	      "calloc overflow: NULL");

	const char *s = "the quick brown fox";
	check(strchr(s, 'q') == s + 4 && strrchr(s, 'o') == s + 17 && strstr(s, "brown") == s + 10,
	      "strchr, strrchr, strstr");
	check(strspn("aab", "a") == 2 && strcspn(s, " ") == 3 && strnlen(s, 5) == 5,
	      "strspn, strcspn, strnlen");
	char cat[32] = "ab";
	check(!strcmp(strcat(cat, "cd"), "abcd") && !strcmp(strncat(cat, "efgh", 2), "abcdef"),
	      "strcat, strncat");
	char *end;
	check(strtol(" -0x1f!", &end, 0) == -31 && *end == '!', "strtol with base 0");
	errno = 0;
	check(strtoll("99999999999999999999", 0, 10) == 9223372036854775807ll && errno == ERANGE,
	      "strtoll saturates with ERANGE");
	check(strtoul("777", 0, 8) == 511 && atoi("-12") == -12 && abs(-3) == 3,
	      "strtoul, atoi, abs");
	check(!getenv("HOME"), "getenv: no environment");
	check(isalpha('q') && !isdigit('q') && isspace('\t') && toupper('x') == 'X' && ispunct('!'),
	      "ctype");
	int v[] = {5, -3, 9, 0, 5, 12, -7};
	qsort(v, 7, sizeof(int), by_value);
	int key = 9;
	int *found = bsearch(&key, v, 7, sizeof(int), by_value);
	check(v[0] == -7 && v[6] == 12 && found && *found == 9, "qsort, bsearch");
	volatile int jumped = 0;
	int r = setjmp(back);
	if (r == 0)
		deep(10);
	else
		jumped = r;
	check(jumped == 7, "setjmp, longjmp out of ten frames");
	check(!strcmp(setlocale(LC_ALL, ""), "C") && !setlocale(LC_ALL, "de_DE") &&
		  !strcmp(localeconv()->decimal_point, "."),
	      "the C locale");
	srand(1);
	int r1 = rand(), r2 = rand();
	srand(1);
	check(r1 == rand() && r2 == rand() && r1 >= 0 && r1 <= RAND_MAX, "rand, srand");
	volatile double two = 2.0, minus = -2.5; /* computed here, with the FPU */
	check(sqrt(two * 8) == 4.0 && floor(minus) == -3.0 && ceil(minus) == -2.0 &&
		  round(minus) == -3.0 && fmod(10.0, two + 1) == 1.0 && isnan(sqrt(minus)) &&
		  ldexp(1.0, 10) == 1024.0 && fabs(minus) == 2.5,
	      "math: sqrt, floor, ceil, round, fmod, ldexp, fabs");
	printf("runtime: floats %.3f %e %g %a %G %08.2f|%-8.1e|\n", sqrt(two), 1e300 * two,
	       0.0001234, two * 0.75, 1e-5 * two, -minus, two * 1234.5);
	char fb[64];
	snprintf(fb, sizeof(fb), "%.17g", 0.1);
	check(!strcmp(fb, "0.10000000000000001"), "%.17g of 0.1, the exact expansion rounded once");
	check(strtod("0.1", 0) == 0.1 && strtod("0x1.8p1", 0) == 3.0 &&
		  atof("-2.5e-3") == -0.0025 && strtod(fb, &end) == 0.1 && *end == 0,
	      "strtod, atof: back to the same double");
	errno = 0;
	check(!fopen("/etc/passwd", "r") && errno == ENOENT, "fopen: no file system, ENOENT");
	atexit(goodbye);
	exit(failures ? 1 : 0);
}
