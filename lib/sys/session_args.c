/*
 * Session argument strings: "SERVICE key=value ...", words separated by
 * spaces; a value in double quotes may hold spaces (label="a -> b").
 */
#include <session_args.h>
#include <mem.h>
#include <number.h>

/* word_length: the length of the word at s: up to a space outside quotes, or the end. */
static size_t word_length(const char *s)
{
	size_t n = 0;
	bool quoted = false;
	for (; s[n] && (quoted || s[n] != ' '); n++)
		if (s[n] == '"')
			quoted = !quoted;
	return n;
}

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
		size_t wl = word_length(s);
		if (wl > kl && s[kl] == '=' && !strncmp(s, key, kl)) {
			const char *v = s + kl + 1;
			*len = wl - kl - 1;
			if (*len >= 2 && v[0] == '"' &&
			    v[*len - 1] == '"') /* quoted: without them */
				return *len -= 2, v + 1;
			return v;
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
	size_t n = word_length(s);
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
