/*
 * core's service loop: parent requests of the components it started and
 * the page faults of their threads, all on one endpoint. The badge names
 * the component (bits 8 and up) and, for faults, the thread (bits 0..7).
 * Replies carry the error in the label (0: success).
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <parent.h>

#define MAX_SERVICES 16

typedef struct {
	char name[64];
	cap_t ep;
	unsigned server;
	unsigned sessions;
} service_t;

static service_t services[MAX_SERVICES];
static cap_t pending_delete[4]; /* transferred copies, freed once the reply is out */
static word_t next_session_badge = 1;

static const char *fault_kind(word_t type)
{
	if (type & FAULT_EXCEPTION)
		return "exception";
	if (type & FAULT_EXEC)
		return "execute";
	return (type & FAULT_WRITE) ? "write" : "read";
}

/* handle_fault: resolve a demand-zero fault, or stop the thread with a log line. */
static word_t handle_fault(component_t *c, msg_t *m)
{
	word_t addr = m->mr[0], type = m->mr[1], ip = m->mr[2];
	unsigned idx = m->badge & 0xff;
	if (!(type & (FAULT_PRESENT | FAULT_EXCEPTION | FAULT_EXEC)) && addr >= COMP_DEMAND_BASE &&
	    addr < COMP_DEMAND_BASE + COMP_DEMAND_SIZE) {
		paddr_t pa;
		err_t e = phys_alloc(c->id, &pa);
		if (e == ERR_OK)
			e = component_map(c, addr & ~(PAGE_SIZE - 1), pa, MAP_WRITE);
		if (e == ERR_OK)
			return MSG_INFO(FAULT_REPLY_RESUME, 0, 0);
		log_printf("core: cannot resolve fault of '%s': %s\n", c->name, err_str(e));
	}
	log_printf("core: '%s' thread %u stopped: %s fault at %lx ip %lx%s (vector %lu)\n", c->name,
		   idx, fault_kind(type), addr, ip, (type & FAULT_PRESENT) ? " (protection)" : "",
		   m->mr[3]);
	return MSG_INFO(FAULT_REPLY_STOP, 0, 0);
}

/* words: the request's message words (registers, then the UTCB). */
static void request_string(const msg_t *m, char *out, size_t size)
{
	word_t w[8];
	unsigned n = MSG_WORDS(m->info) > 8 ? 8 : MSG_WORDS(m->info);
	for (unsigned i = 0; i < n; i++)
		w[i] = i < 4 ? m->mr[i] : sys_utcb->mr[i];
	parent_unpack(w, n, out, size);
}

static word_t reply_caps(err_t e, cap_t a, cap_t b, unsigned n)
{
	if (e != ERR_OK)
		return MSG_INFO(e, 0, 0);
	sys_utcb->send_caps[0] = a;
	sys_utcb->send_caps[1] = b;
	return MSG_INFO(0, 0, n);
}

static word_t do_announce(component_t *c, msg_t *m)
{
	cap_t ep = MSG_CAPS(m->info) ? sys_utcb->recv_caps[0] : 0;
	word_t type, rights, badge;
	if (!ep || sys_cap_identify(ep, &type, &rights, &badge) != ERR_OK || type != OBJ_ENDPOINT)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	for (unsigned i = 0; i < MAX_SERVICES; i++) {
		if (services[i].ep)
			continue;
		request_string(m, services[i].name, sizeof(services[i].name));
		services[i].ep = ep;
		services[i].server = c->id;
		log_printf("core: '%s' announces service '%s'\n", c->name, services[i].name);
		return MSG_INFO(0, 0, 0);
	}
	slot_free(ep);
	return MSG_INFO(ERR_OUT_OF_CAPS, 0, 0);
}

static word_t do_session(component_t *c, msg_t *m)
{
	char name[64];
	request_string(m, name, sizeof(name));
	for (unsigned i = 0; i < MAX_SERVICES; i++) {
		if (!services[i].ep || strcmp(services[i].name, name))
			continue;
		cap_t s = slot_alloc();
		word_t badge = next_session_badge++;
		err_t e = s ? sys6(SYS_CAP_MINT, SLOT_KERNEL, SLOT_SELF_PD, s, services[i].ep,
				   badge, RIGHT_SEND)
			    : ERR_OUT_OF_CAPS;
		if (e != ERR_OK)
			return MSG_INFO(e, 0, 0);
		pending_delete[0] = s;
		m->mr[0] = badge;
		sys_utcb->send_caps[0] = s;
		return MSG_INFO(0, 1, 1);
	}
	return MSG_INFO(ERR_NOT_FOUND, 0, 0);
}

static word_t do_irq(component_t *c, msg_t *m)
{
	cap_t irq = 0, sig = 0;
	err_t e = component_object(c, OBJ_IRQ, m->mr[0], &irq);
	if (e == ERR_OK)
		e = component_object(c, OBJ_SIGNAL, 0, &sig);
	if (e == ERR_OK)
		e = sys6(SYS_IRQ_BIND, SLOT_KERNEL, irq, sig, 0, 0, 0);
	return reply_caps(e, irq, sig, 2);
}

static word_t do_thread(component_t *c, msg_t *m)
{
	unsigned idx;
	err_t e = component_thread(c, m->mr[0], m->mr[1], (unsigned)m->mr[2], m->mr[3], &idx);
	m->mr[0] = idx;
	return MSG_INFO(e, e == ERR_OK ? 1 : 0, 0);
}

static word_t do_alloc(component_t *c, word_t type)
{
	cap_t s;
	err_t e = component_object(c, type, 0, &s);
	return reply_caps(e, s, 0, 1);
}

/* handle_request: one parent request of c; returns the reply info or SYS_NO_REPLY. */
static word_t handle_request(const bootinfo_t *bi, component_t *c, msg_t *m)
{
	char text[64];
	switch (MSG_LABEL(m->info)) {
	case FAULT_LABEL: return handle_fault(c, m);
	case PARENT_LOG:
		request_string(m, text, sizeof(text));
		log_printf("[%s] %s\n", c->name, text);
		return MSG_INFO(0, 0, 0);
	case PARENT_EXIT:
		log_printf("core: '%s' exited with %ld\n", c->name, (long)m->mr[0]);
		component_destroy(c);
		return SYS_NO_REPLY;
	case PARENT_ALLOC_ENDPOINT: return do_alloc(c, OBJ_ENDPOINT);
	case PARENT_ALLOC_SIGNAL: return do_alloc(c, OBJ_SIGNAL);
	case PARENT_THREAD: return do_thread(c, m);
	case PARENT_ANNOUNCE: return do_announce(c, m);
	case PARENT_SESSION: return do_session(c, m);
	case PARENT_IRQ: return do_irq(c, m);
	case PARENT_IO_PORTS:
		return MSG_INFO(sys6(SYS_PD_IO_PORTS, SLOT_KERNEL, c->pd, 1, 0, 0, 0), 0, 0);
	case PARENT_ECHO: return MSG_INFO(0, MSG_WORDS(m->info) > 4 ? 4 : MSG_WORDS(m->info), 0);
	case PARENT_DEMAND_ZERO:
		m->mr[0] = COMP_DEMAND_BASE;
		m->mr[1] = COMP_DEMAND_SIZE;
		return MSG_INFO(0, 2, 0);
	default: return MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
	}
}

void service_loop(const bootinfo_t *bi)
{
	msg_t m = {.info = SYS_NO_REPLY};
	for (;;) {
		err_t e = sys_reply_wait(core_ep, &m);
		for (unsigned i = 0; i < 4; i++)
			if (pending_delete[i])
				slot_free(pending_delete[i]), pending_delete[i] = 0;
		component_t *c = e == ERR_OK ? component_by_badge(m.badge) : 0;
		if (!c) {
			m.info = SYS_NO_REPLY;
			continue;
		}
		word_t info = m.info;
		cap_t received[UTCB_CAP_COUNT];
		memcpy(received, sys_utcb->recv_caps, sizeof(received));
		m.info = handle_request(bi, c, &m);
		/* capabilities nobody kept must not pile up in core's table */
		for (unsigned i = MSG_LABEL(info) == PARENT_ANNOUNCE ? 1 : 0; i < MSG_CAPS(info);
		     i++)
			if (received[i])
				slot_free(received[i]);
	}
}
