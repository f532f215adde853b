/*
 * Symbol lookup over the table that tool/mksyms generates from the first
 * link of the kernel: addresses sorted ascending, names as offsets into a
 * string block.
 */
#include <ksyms.h>

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_strings[];
extern const char kernel_text_start[], kernel_text_end[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	if (addr < (uint64_t)kernel_text_start || addr >= (uint64_t)kernel_text_end)
		return 0;
	uint64_t lo = 0, hi = ksyms_count;
	while (lo < hi) { /* first entry above addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	*offset = addr - ksyms_addrs[lo - 1];
	return ksyms_strings + ksyms_name_offsets[lo - 1];
}
