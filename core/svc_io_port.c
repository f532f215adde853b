/*
 * The IO_PORT service ("IO_PORT base=PORT size=N"): a range of I/O ports,
 * exclusive to one session, opened in the client PD's permission bitmap,
 * or, after IO_PORT_USE, in the bitmap of a child of the client (how init
 * gives a child the ports its config grants: init holds the session).
 * The ports are open in one PD at a time.
 * The bitmap's frames belong to the PD, not to one session: the first
 * session a component opens pays them from the component's own quota and
 * the kernel keeps them until the PD dies.
 */
#include "session.h"
#include <session_args.h>

typedef struct {
	session_t s;
	device_range_t range;
	component_t
	    *user; /* whose bitmap has the ports open: the client or a child of it; 0 none */
} io_port_session_t;

static device_range_t *taken; /* the ranges sessions hold */

/* open_ports: open [base, base + size) in c's bitmap, giving the PD one first. */
static err_t open_ports(component_t *c, uint64_t base, uint64_t size)
{
	paddr_t frames = c->io_bitmap;
	err_t e =
	    frames ? ERR_OK : account_alloc_raw(&c->acct, IO_PORTS_FRAMES * PAGE_SIZE, &frames);
	if (e != ERR_OK)
		return e;
	if ((e = sys6(SYS_PD_IO_PORTS, SLOT_KERNEL, c->pd, base, size, 1, frames)) != ERR_OK) {
		if (!c->io_bitmap)
			account_free(&c->acct, frames, IO_PORTS_FRAMES * PAGE_SIZE);
		return e;
	}
	c->io_bitmap = frames;
	return ERR_OK;
}

static err_t io_port_open(session_t *s, const char *args)
{
	io_port_session_t *r = (io_port_session_t *)s;
	uint64_t base = args_number(args, "base", ~0ull), size = args_number(args, "size", 0);
	if (size == 0 || base > 0xffff || size > 0x10000 - base)
		return ERR_INVALID_ARGS;
	if (!s->client->may_io || device_ports_denied(base, size))
		return ERR_DENIED;
	err_t e = device_range_claim(&taken, &r->range, base, size);
	if (e == ERR_OK && (e = open_ports(s->client, base, size)) != ERR_OK)
		device_range_release(&taken, &r->range);
	r->user = e == ERR_OK ? s->client : 0;
	return e;
}

static void close_ports(io_port_session_t *r)
{
	if (r->user)
		sys6(SYS_PD_IO_PORTS, SLOT_KERNEL, r->user->pd, r->range.base, r->range.size, 0, 0);
	r->user = 0;
}

/* io_port_use: the ports move to the PD of the session sent along: the client's or its child's. */
static word_t io_port_use(io_port_session_t *r, msg_t *m)
{
	word_t badge;
	session_t *pd = received_badge(m, 0, &badge) ? session_lookup(badge) : 0;
	component_t *to = pd ? pd_of(pd) : 0;
	if (!to)
		return REPLY(ERR_INVALID_CAP);
	if (to != r->s.client && to->creator != r->s.client)
		return REPLY(ERR_DENIED);
	if (to == r->user)
		return REPLY(ERR_OK);
	err_t e = open_ports(to, r->range.base, r->range.size);
	if (e != ERR_OK)
		return REPLY(e);
	close_ports(r);
	r->user = to;
	return REPLY(ERR_OK);
}

void io_port_user_gone(component_t *c)
{
	for (device_range_t *d = taken; d; d = d->next) {
		io_port_session_t *r =
		    (io_port_session_t *)((char *)d - __builtin_offsetof(io_port_session_t, range));
		if (r->user == c)
			r->user = 0; /* the ports go with its PD */
	}
}

static word_t io_port_request(session_t *s, unsigned op, msg_t *m)
{
	io_port_session_t *r = (io_port_session_t *)s;
	if (op == IO_PORT_USE)
		return io_port_use(r, m);
	if (op != IO_PORT_INFO)
		return REPLY(ERR_UNKNOWN_OPCODE);
	io_port_info_reply_t *info = MSG_AS(m, io_port_info_reply_t);
	info->base = r->range.base, info->size = r->range.size;
	return MSG_INFO(ERR_OK, MSG_WORDS_OF(io_port_info_reply_t), 0);
}

static void io_port_close(session_t *s)
{
	io_port_session_t *r = (io_port_session_t *)s;
	close_ports(r);
	device_range_release(&taken, &r->range);
}

const service_ops_t svc_io_port = {"IO_PORT", sizeof(io_port_session_t), io_port_open,
				   io_port_request, io_port_close};
