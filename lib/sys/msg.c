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
			sys_utcb()->mr[i] = w;
	}
	return words;
}

void msg_get_string(const msg_t *m, char *out, size_t size)
{
	size_t words = MSG_WORDS(m->info) > UTCB_MR_COUNT ? UTCB_MR_COUNT : MSG_WORDS(m->info);
	size_t bytes = words * sizeof(word_t) < size - 1 ? words * sizeof(word_t) : size - 1;
	for (size_t i = 0; i < bytes; i++) {
		word_t w = i / 8 < 4 ? m->mr[i / 8] : sys_utcb()->mr[i / 8];
		out[i] = (char)(w >> (8 * (i % 8)));
	}
	out[bytes] = 0;
}

err_t sys_call_caps(cap_t cap, msg_t *m, unsigned n, cap_t *caps)
{
	utcb_t *u = sys_utcb();
	if (n > UTCB_CAP_COUNT)
		n = UTCB_CAP_COUNT;
	for (unsigned i = 0; i < n; i++) {
		caps[i] = 0;
		if (!(u->recv_slots[i] = slot_alloc())) {
			for (unsigned j = 0; j < i; j++)
				slot_release(u->recv_slots[j]), u->recv_slots[j] = 0;
			return ERR_NO_SLOT;
		}
	}
	err_t e = sys_call(cap, m);
	for (unsigned i = 0; i < n; i++) {
		int got = e == ERR_OK && i < MSG_CAPS(m->info) && u->recv[i].kind == RECV_SLOT;
		if (got)
			caps[i] = u->recv_slots[i];
		else
			slot_release(u->recv_slots[i]);
		u->recv_slots[i] = 0; /* a later message must not land in a slot given away */
	}
	return e;
}
