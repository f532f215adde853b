/* The client side of the parent protocol. */
#include <parent.h>
#include <mem.h>
#include <abi/slots.h>

unsigned parent_pack(word_t *mr, const char *s)
{
	size_t len = strlen(s);
	if (len > 8 * sizeof(word_t) - 1)
		len = 8 * sizeof(word_t) - 1;
	unsigned words = (unsigned)(len / sizeof(word_t) + 1);
	memset(mr, 0, words * sizeof(word_t));
	memcpy(mr, s, len);
	return words;
}

void parent_unpack(const word_t *mr, unsigned words, char *out, size_t size)
{
	size_t n = words * sizeof(word_t);
	if (n > size - 1)
		n = size - 1;
	memcpy(out, mr, n);
	out[n] = 0;
}

err_t parent_request(unsigned label, msg_t *m)
{
	m->info = MSG_INFO(label, MSG_WORDS(m->info), MSG_CAPS(m->info));
	err_t e = sys_call(SLOT_PARENT, m);
	return e != ERR_OK ? e : (err_t)MSG_LABEL(m->info); /* the parent's answer */
}

err_t parent_request_string(unsigned label, const char *s, msg_t *m)
{
	word_t words[8];
	unsigned n = parent_pack(words, s);
	for (unsigned i = 0; i < n; i++) {
		if (i < 4)
			m->mr[i] = words[i];
		else
			sys_utcb->mr[i] = words[i];
	}
	m->info = MSG_INFO(0, n, MSG_CAPS(m->info));
	return parent_request(label, m);
}

err_t parent_log(const char *text)
{
	msg_t m = {0};
	return parent_request_string(PARENT_LOG, text, &m);
}

