/*
 * The IO_MEM service ("IO_MEM base=PADDR size=BYTES"): a page-aligned
 * physical range outside RAM as an uncached dataspace, exclusive to one
 * session, for components whose policy allows devices.
 */
#include "session.h"
#include <session_args.h>

typedef struct {
	session_t s;
	device_range_t range;
	dataspace_t *ds;
} io_mem_session_t;

static device_range_t *taken; /* the ranges sessions hold */

static err_t io_mem_open(session_t *s, const char *args)
{
	io_mem_session_t *r = (io_mem_session_t *)s;
	uint64_t base = args_number(args, "base", 1), size = args_number(args, "size", 0);
	if (size == 0 || base + size < base || base + size > (1ull << 52) || size > MAX_ATTACH_SIZE)
		return ERR_INVALID_ARGS;
	if ((base | size) & (PAGE_SIZE - 1))
		return ERR_UNALIGNED;
	if (!s->client->may_io || device_mmio_denied(base, size))
		return ERR_DENIED;
	err_t e = device_range_claim(&taken, &r->range, base, size);
	if (e == ERR_OK && (e = ds_create(&s->records, 0, DS_IO_MEM, base, size, 1, 1, &r->ds)))
		device_range_release(&taken, &r->range);
	return e;
}

static word_t io_mem_request(session_t *s, unsigned op, msg_t *m)
{
	io_mem_session_t *r = (io_mem_session_t *)s;
	if (op != IO_MEM_DATASPACE)
		return REPLY(ERR_UNKNOWN_OPCODE);
	return ds_session_reply(s, r->ds, r->range.size, m);
}

static void io_mem_close(session_t *s)
{
	io_mem_session_t *r = (io_mem_session_t *)s;
	ds_destroy(r->ds); /* unmapped everywhere before another session may take the range */
	device_range_release(&taken, &r->range);
}

const service_ops_t svc_io_mem = {"IO_MEM", sizeof(io_mem_session_t), io_mem_open, io_mem_request,
				  io_mem_close};
