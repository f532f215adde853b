/* Strings in message words: registers first, then the UTCB. */
#include <sys.h>
#include <mem.h>

unsigned msg_put_string(msg_t *m, const char *s, unsigned max_words)
{
	size_t len = strlen(s);
	unsigned words = (unsigned)(len / sizeof(word_t) + 1); /* room for the terminator */
	if (words > max_words || words > UTCB_MR_COUNT)
		return 0;
	for (unsigned i = 0; i < words; i++) {
		word_t w = 0;
		size_t off = i * sizeof(word_t);
		memcpy(&w, s + off, len - off < sizeof(w) ? len - off : sizeof(w));
		if (i < 4)
			m->mr[i] = w;
		else
			sys_utcb->mr[i] = w;
	}
	return words;
}

void msg_get_string(const msg_t *m, char *out, size_t size)
{
	size_t words = MSG_WORDS(m->info) > UTCB_MR_COUNT ? UTCB_MR_COUNT : MSG_WORDS(m->info);
	size_t bytes = words * sizeof(word_t) < size - 1 ? words * sizeof(word_t) : size - 1;
	for (size_t i = 0; i < bytes; i++) {
		word_t w = i / 8 < 4 ? m->mr[i / 8] : sys_utcb->mr[i / 8];
		out[i] = (char)(w >> (8 * (i % 8)));
	}
	out[bytes] = 0;
}
