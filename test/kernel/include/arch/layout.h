/*
 * The host stand-in for the kernel's address-space layout: the direct map
 * is a buffer the test allocates, so that generic kernel code (the frame
 * table, capability tables) runs unchanged in a host unit test.
 */
#pragma once

#include <stdint.h>

extern char *test_direct_map; /* physical address 0 of the test's RAM */

#define ARCH_KERNEL_VBASE 0xffffffff80000000ull
#define ARCH_DIRECT_MAP_BASE ((uint64_t)(uintptr_t)test_direct_map)
