/* Numbers in configs and session arguments: decimal, 0x-hex, K/M/G suffixes. */
#include <number.h>

int number_digit(char c, unsigned base)
{
	int d = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : 99;
	return d < (int)base ? d : -1;
}

/* suffix_shift: the shift a K/M/G suffix stands for, 64 for anything else. */
static unsigned suffix_shift(char c)
{
	return c == 'K' ? 10 : c == 'M' ? 20 : c == 'G' ? 30 : 64;
}

bool number_parse(const char *v, size_t len, uint64_t *out)
{
	unsigned base = 10;
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		base = 16, v += 2, len -= 2;
	uint64_t n = 0, shift = 0;
	size_t i = 0;
	for (; i < len; i++) {
		int d = number_digit(v[i], base);
		if (d < 0)
			break;
		if (n > (UINT64_MAX - (uint64_t)d) / base)
			return false; /* overflow */
		n = n * base + (uint64_t)d;
	}
	if (i == 0)
		return false;
	if (i + 1 == len && base == 10)
		shift = suffix_shift(v[i]);
	else if (i != len)
		return false;
	if (shift == 64 || (shift && n > (UINT64_MAX >> shift)))
		return false;
	*out = n << shift;
	return true;
}
