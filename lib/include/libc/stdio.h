/*
 * <stdio.h> of the component runtime: output goes to the component's LOG
 * session, a line at a time (stdout and stderr are line-buffered; fflush
 * writes a partial line out). There is no file system: fopen fails with
 * errno ENOENT. The printf family formats everything C's does but %n,
 * floating point too, exactly rounded (lib/fp/stdio.c, format.c's
 * FORMAT_FLOAT build). Not thread-safe: threads that print take turns.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef struct libc_file FILE;
extern FILE *stdout, *stderr;

#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);
FILE *fopen(const char *path, const char *mode);
