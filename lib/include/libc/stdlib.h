/*
 * <stdlib.h> of the component runtime: malloc and its family on the
 * component's heap (16-byte aligned; a block costs 16 bytes of header),
 * exit and atexit, abort (ends the component with 134, reported by its
 * parent), the strtol family, abs; getenv finds nothing (there is no
 * environment). Not thread-safe, like the heap.
 */
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 32767

int rand(void);
void srand(unsigned seed);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void *aligned_alloc(size_t align, size_t size);
_Noreturn void exit(int code);
_Noreturn void abort(void);
int atexit(void (*fn)(void));
char *getenv(const char *name);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
/* strtod: correctly rounded, decimal and hexadecimal, inf and nan (lib/fp/strtod.c). */
double strtod(const char *s, char **end);
double atof(const char *s);
int atoi(const char *s);
long atol(const char *s);
int abs(int v);
long labs(long v);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));
