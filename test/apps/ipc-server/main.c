/*
 * run/ipc, the server: announces service "ipc" with an endpoint from its
 * parent and answers: ADD (sum of all words, and the badge it was called
 * through), IDENTIFY (type and badge of a capability sent along), PORTS
 * (open an IO_PORT session for words 0 and 1, base and size: run/bench
 * measures calls between two PDs that hold ports), USE_FPU (touch an SSE
 * register, so that the server thread holds FPU state).
 */
/* guest.ipc_roundtrip measures threads without FPU state: this server never touches it. */
#pragma GCC target("general-regs-only")

#include <log.h>
#include <env.h>
#include <parent.h>
#include <service.h>

enum { OP_ADD = 1, OP_IDENTIFY = 2, OP_EXIT = 3, OP_DROP = 4, OP_PORTS = 5, OP_USE_FPU = 6 };

/*
 * identify: what the capability sent along was. One to this server's own
 * endpoint arrives as its badge; another lands in the slot named before
 * reply_wait, which is emptied again for the next message.
 */
static void identify(msg_t *m, word_t badge)
{
	utcb_t *u = sys_utcb();
	word_t type = u->recv[0].type, rights = u->recv[0].rights, b = u->recv[0].badge;
	if (u->recv[0].kind == RECV_SLOT) {
		word_t unused;
		sys_cap_identify(u->recv_slots[0], &type, &unused, &b);
		sys_cap_delete(u->recv_slots[0]);
	}
	m->mr[0] = type, m->mr[1] = b, m->mr[2] = rights, m->mr[3] = u->recv[0].kind;
	m->info = MSG_INFO(0, 4, 0);
	(void)badge;
}

/* open_ports: an IO_PORT session for [base, base + size), kept for good; its error. */
static err_t open_ports(word_t base, word_t size)
{
	char args[64];
	cap_t ports;
	format_buf(args, sizeof(args), "IO_PORT base=0x%lx size=%lu ram_quota=4096", base, size);
	err_t e = parent_session_open(args, &ports);
	log_printf("ipc-server: IO_PORT session for [0x%lx, 0x%lx): %s\n", base, base + size,
		   err_name(e));
	return e;
}

/* Sessions: every one is welcome, whatever it donates; the badge names it. */
static err_t create(service_t *svc, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	log_printf("ipc-server: session %lu: \"%s\", %lu bytes and %lu caps donated\n", badge, args,
		   ram, caps);
	return ERR_OK;
}

static void close(service_t *svc, word_t badge)
{
	log_printf("ipc-server: session %lu closed\n", badge);
}

static const service_ops_t ipc_service = {create, 0, close};
static service_t svc;

static void serve(cap_t ep)
{
	msg_t m = {.info = SYS_NO_REPLY};
	sys_utcb()->recv_slots[0] = slot_alloc(); /* where a capability sent along lands */
	for (;;) {
		if (sys_reply_wait(ep, &m) != ERR_OK) {
			m.info = SYS_NO_REPLY;
			continue;
		}
		word_t sum = 0, words = MSG_WORDS(m.info), badge = m.badge;
		for (word_t i = 0; i < words; i++)
			sum += i < 4 ? m.mr[i] : sys_utcb()->mr[i];
		if (MSG_LABEL(m.info) == OP_ADD) { /* first: the round trip measured */
			m.mr[0] = sum, m.mr[1] = badge;
			m.info = MSG_INFO(0, 2, 0);
		} else if (MSG_LABEL(m.info) >=
			   SESSION_SYNC) { /* the session protocol: lib answers */
			msg_t d = m;	   /* a copy: m stays in registers on the measured path */
			d.info = service_dispatch(&svc, badge, &d);
			m = d;
		} else if (MSG_LABEL(m.info) == OP_IDENTIFY && MSG_CAPS(m.info) == 1) {
			identify(&m, badge);
		} else if (MSG_LABEL(m.info) == OP_USE_FPU) {
			/* from now on this thread holds FPU state (guest.ipc_roundtrip_fpu) */
			__asm__ volatile("movq %0, %%xmm0" ::"r"(badge));
			m.info = MSG_INFO(0, 0, 0);
		} else if (MSG_LABEL(m.info) == OP_PORTS && words == 2) {
			m.info = MSG_INFO(open_ports(m.mr[0], m.mr[1]), 0, 0);
		} else if (MSG_LABEL(m.info) == OP_DROP) {
			m.info =
			    SYS_NO_REPLY; /* wait for the next call without answering this one */
		} else if (MSG_LABEL(m.info) == OP_EXIT) {
			log_printf("ipc-server: leaving without a reply\n");
			component_exit(0); /* the caller's call must fail, not hang */
		} else {
			m.info = MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
		}
	}
}

int component_main(env_t *env)
{
	cap_t ep;
	err_t e = pd_alloc_endpoint(env->pd, &ep);
	if (e != ERR_OK) {
		log_printf("ipc-server: FAIL: no endpoint: %s\n", err_str(e));
		return 1;
	}
	e = service_announce(env, &svc, ep, "ipc", &ipc_service, 0);
	log_printf("ipc-server: announced 'ipc': %s\n", err_str(e));
	e = service_announce(env, &svc, ep, "ipc", &ipc_service, 0);
	log_printf("ipc-server: announcing 'ipc' a second time: %s\n", err_name(e));
	/* what init cannot mint from, and a second service_t of one component */
	static service_t other;
	cap_t copy;
	if (pd_mint(env->pd, ep, 77, &copy) == ERR_OK) { /* past lib, which would refuse it */
		msg_t m = {.info = MSG_INFO(0, 0, 1)};
		sys_utcb()->send_caps[0] = copy;
		e = parent_request_string(PARENT_ANNOUNCE, "ipc", &m);
		log_printf("ipc-server: announcing a send-only copy: %s\n", err_name(e));
	}
	e = service_announce(env, &other, ep, "ipc", &ipc_service, 0);
	log_printf("ipc-server: a second service_t: %s\n", err_name(e));
	serve(ep);
	return 0;
}
