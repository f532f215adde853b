/* <string.h> of the component runtime (lib/sys/mem.c, lib/sys/libc.c). */
#pragma once

#include <mem.h>

void *memchr(const void *s, int c, size_t n);
size_t strnlen(const char *s, size_t max);
char *strncpy(char *dst, const char *src, size_t n);
char *strcat(char *dst, const char *src);
char *strncat(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
