/* Session argument strings: "SERVICE key=value ...", words separated by spaces. */
#include <session_args.h>
#include <mem.h>

/* find_value: the start of key's value in args, and its length; NULL if absent. */
static const char *find_value(const char *args, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	const char *s = args;
	while (*s && *s != ' ') /* skip the service name */
		s++;
	while (*s) {
		while (*s == ' ')
			s++;
		size_t wl = 0;
		while (s[wl] && s[wl] != ' ')
			wl++;
		if (wl > kl && s[kl] == '=' && !strncmp(s, key, kl)) {
			*len = wl - kl - 1;
			return s + kl + 1;
		}
		s += wl;
	}
	return 0;
}

const char *args_word(const char **pos, size_t *len)
{
	const char *s = *pos;
	while (*s == ' ')
		s++;
	size_t n = 0;
	while (s[n] && s[n] != ' ')
		n++;
	*pos = s + n;
	*len = n;
	return n ? s : 0;
}

bool args_service(const char *args, char *out, size_t size)
{
	size_t n = 0;
	while (args[n] && args[n] != ' ')
		n++;
	if (n == 0 || n >= size)
		return false;
	memcpy(out, args, n);
	out[n] = 0;
	return true;
}

bool args_string(const char *args, const char *key, char *out, size_t size)
{
	size_t len;
	const char *v = find_value(args, key, &len);
	if (!v || len >= size)
		return false;
	memcpy(out, v, len);
	out[len] = 0;
	return true;
}

static int digit_value(char c, unsigned base)
{
	int d = c >= '0' && c <= '9'   ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : 99;
	return d < (int)base ? d : -1;
}

uint64_t args_number(const char *args, const char *key, uint64_t def)
{
	size_t len;
	const char *v = find_value(args, key, &len);
	if (!v || !len)
		return def;
	unsigned base = 10;
	if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		base = 16, v += 2, len -= 2;
	uint64_t n = 0, shift = 0;
	size_t i = 0;
	for (; i < len; i++) {
		int d = digit_value(v[i], base);
		if (d < 0)
			break;
		if (n > (UINT64_MAX - (uint64_t)d) / base)
			return def; /* overflow */
		n = n * base + (uint64_t)d;
	}
	if (i == 0)
		return def;
	if (i + 1 == len && base == 10)
		shift = v[i] == 'K' ? 10 : v[i] == 'M' ? 20 : v[i] == 'G' ? 30 : 64;
	else if (i != len)
		return def;
	if (shift == 64 || (shift && n > (UINT64_MAX >> shift)))
		return def;
	return n << shift;
}

bool args_valid(const char *args, size_t max)
{
	size_t n = 0;
	for (; n < max && args[n]; n++)
		if ((unsigned char)args[n] < 32 || (unsigned char)args[n] > 126)
			return false;
	return n < max && n > 0 && args[0] != ' ';
}
