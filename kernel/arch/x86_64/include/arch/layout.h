/* x86_64 kernel address-space layout, for the inline address helpers of generic code. */
#pragma once

#define ARCH_KERNEL_VBASE 0xffffffff80000000ull	   /* the kernel image */
#define ARCH_DIRECT_MAP_BASE 0xffff800000000000ull /* all RAM: direct map */
#define ARCH_LARGE_PAGE_SIZE (2ull << 20)	   /* a page-directory entry with PS */
#define ARCH_PHYS_LIMIT (1ull << 52)		   /* first physical address a PTE cannot hold */
