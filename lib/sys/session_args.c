/* Session argument strings: "SERVICE key=value ...", words separated by spaces. */
#include <session_args.h>
#include <mem.h>
#include <number.h>

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

uint64_t args_number(const char *args, const char *key, uint64_t def)
{
	size_t len;
	uint64_t n;
	const char *v = find_value(args, key, &len);
	return v && number_parse(v, len, &n) ? n : def;
}

bool args_valid(const char *args, size_t max)
{
	size_t n = 0;
	for (; n < max && args[n]; n++)
		if ((unsigned char)args[n] < 32 || (unsigned char)args[n] > 126)
			return false;
	return n < max && n > 0 && args[0] != ' ';
}
