/* The kernel's own symbol table, linked into .ksyms at build time. */
#pragma once

#include <stdint.h>

/*
 * ksyms_lookup: the name of the function containing addr and the offset
 * into it; NULL when addr lies outside the kernel's text.
 */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);
