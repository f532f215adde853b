/*
 * Numbers as configs and session arguments write them: decimal or 0x-hex,
 * decimal with a K, M or G suffix (binary multiples). Portable.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * number_parse: the number that the len bytes at s spell, into *out; false
 * (and *out untouched) if they are empty, hold anything else or overflow 64 bits.
 */
bool number_parse(const char *s, size_t len, uint64_t *out);

/* number_digit: c as a digit of base (up to 16, either case), or -1. */
int number_digit(char c, unsigned base);
