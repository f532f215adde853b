/*
 * Session argument strings: "SERVICE key=value key=value ...". Portable;
 * used by core to read requests and by lib to build them.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * args_word: the next space-separated word at or after *pos, its length in
 * *len; advances *pos past it. NULL when no word is left.
 */
const char *args_word(const char **pos, size_t *len);

/* args_service: copy the first word (the service name) into out; false if none fits. */
bool args_service(const char *args, char *out, size_t size);

/* args_string: the value of key as a string; false if absent or too long. */
bool args_string(const char *args, const char *key, char *out, size_t size);

/* args_number: the value of key, decimal or 0x-hex, with K/M/G suffixes; def if absent or
 * malformed. */
uint64_t args_number(const char *args, const char *key, uint64_t def);

/* args_valid: false if the string has no service name, bad characters, or is not terminated within
 * max. */
bool args_valid(const char *args, size_t max);
