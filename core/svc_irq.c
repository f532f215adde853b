/*
 * The IRQ service ("IRQ line=N"): one interrupt line, exclusive, as an IRQ
 * capability (to acknowledge it) and a signal the interrupt submits. Both
 * kernel objects are paid from the session's donation.
 */
#include "session.h"
#include <session_args.h>

typedef struct {
	session_t s;
	cap_t irq, sig;
	paddr_t irq_frame, sig_frame;
} irq_session_t;

static void irq_close(session_t *s)
{
	irq_session_t *r = (irq_session_t *)s;
	kobj_destroy(s->acct, r->irq, r->irq_frame);
	kobj_destroy(s->acct, r->sig, r->sig_frame);
	r->irq = r->sig = 0;
}

static err_t irq_open(session_t *s, const char *args)
{
	irq_session_t *r = (irq_session_t *)s;
	uint64_t line = args_number(args, "line", ~0ull);
	if (line >= 16)
		return ERR_INVALID_ARGS;
	if (!s->client->may_io)
		return ERR_DENIED;
	err_t e = kobj_create(s->acct, OBJ_IRQ, line, 0, &r->irq, &r->irq_frame);
	if (e == ERR_OK)
		e = kobj_create(s->acct, OBJ_SIGNAL, 0, 0, &r->sig, &r->sig_frame);
	if (e == ERR_OK)
		e = sys6(SYS_IRQ_BIND, SLOT_KERNEL, r->irq, r->sig, 0, 0, 0);
	if (e != ERR_OK)
		irq_close(s);
	return e;
}

static word_t irq_request(session_t *s, unsigned op, msg_t *m)
{
	irq_session_t *r = (irq_session_t *)s;
	if (op != IRQ_CAPS)
		return REPLY(ERR_UNKNOWN_OPCODE);
	return reply_caps(ERR_OK, r->irq, r->sig, 0);
}

const service_ops_t svc_irq = {"IRQ", sizeof(irq_session_t), irq_open, irq_request, irq_close};
