/* The ROM service ("ROM label=NAME"): a boot module as a read-only dataspace. */
#include "session.h"
#include <mem.h>

typedef struct {
	session_t s;
	dataspace_t *ds;
	uint64_t size; /* of the module's content */
} rom_session_t;

static err_t rom_open(session_t *s, const char *args)
{
	rom_session_t *r = (rom_session_t *)s;
	if (!s->label[0])
		return ERR_INVALID_ARGS;
	for (uint32_t i = 0; i < core_bootinfo->module_count; i++) {
		const bootinfo_module_t *m = &core_bootinfo->modules[i];
		if (strcmp(m->name, s->label))
			continue;
		if (m->base & (PAGE_SIZE - 1))
			return ERR_INVALID_DATASPACE; /* a module that does not start on a page */
		r->size = m->size;
		return ds_create(&s->records, 0, DS_ROM, m->base,
				 (m->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), 0, 0, &r->ds);
	}
	return ERR_NOT_FOUND;
}

/* ds_session_reply: the dataspace of a ROM or IO_MEM session and its size. */
word_t ds_session_reply(session_t *s, dataspace_t *ds, uint64_t size, msg_t *m)
{
	cap_t cap;
	err_t e = ds_cap(ds, &s->client->acct, &cap); /* a capability the client holds */
	if (e != ERR_OK)
		return REPLY(e);
	MSG_AS(m, ds_size_reply_t)->size = size;
	return reply_caps(ERR_OK, cap, 0, MSG_WORDS_OF(ds_size_reply_t));
}

static word_t rom_request(session_t *s, unsigned op, msg_t *m)
{
	rom_session_t *r = (rom_session_t *)s;
	if (op != ROM_DATASPACE)
		return REPLY(ERR_UNKNOWN_OPCODE);
	return ds_session_reply(s, r->ds, r->size, m);
}

static void rom_close(session_t *s)
{
	ds_destroy(((rom_session_t *)s)->ds);
}

const service_ops_t svc_rom = {"ROM", sizeof(rom_session_t), rom_open, rom_request, rom_close};
