/* Scalar types of the user-visible ABI: addresses, sizes, capability slots. */
#pragma once

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* virtual address */
typedef uint64_t word_t;  /* one machine word of a message */
typedef uint32_t cap_t;	  /* capability slot number in the caller's PD */

#define CAP_INVALID ((cap_t)0) /* slot 0 is never valid */
#define PAGE_SHIFT 12
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
#define USER_TOP ((vaddr_t)0x0000800000000000ull) /* first non-user address */
