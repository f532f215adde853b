/*
 * run/io_ports: I/O ports follow the PD. Two instances run under init: the
 * one whose <start> grants ports 0x70-0x71 (the CMOS clock) holds them and
 * serves reads of the clock as "ports"; the other gets no IO_PORT session,
 * calls the holder back and forth and right after the last reply reads the
 * holder's port itself: the CPU must refuse it, which stops the thread and
 * makes init end the prober. That closes the prober's session at the
 * holder, which then closes its IO_PORT session and must find its port
 * refused too: init ends the holder the same way.
 */
#include <log.h>
#include <env.h>
#include <parent.h>
#include <service.h>
#include <io_port.h>

#define PORT_BASE 0x70
#define PORT_DATA 0x71
#define CALLS 100

enum { OP_READ = 1 };

static uint8_t probe_stack[8192] __attribute__((aligned(16)));
static volatile int probe_started, probe_done;
static cap_t holder; /* the prober's session to the holder */
static unsigned failures;

static void report(const char *role, const char *what, int ok)
{
	log_printf("test-io-ports: %s: %s: %s\n", role, what, ok ? "refused" : "FAIL: usable");
	failures += !ok;
}

/* probe: after CALLS calls to the holder (if there is one), read port; core stops it if refused. */
static void probe(word_t port, utcb_t *utcb)
{
	for (int i = 0; holder && i < CALLS; i++) {
		msg_t m = {.info = MSG_INFO(OP_READ, 0, 0)};
		sys_call(holder, &m);
	}
	probe_started = 1;
	inb((uint16_t)port);
	probe_done = 1;
	for (;;)
		sys_yield();
}

/* port_refused: a new thread of this PD cannot read port (once per PD: the thread stays). */
static int port_refused(env_t *env, uint16_t port)
{
	if (pd_thread(env->pd, probe, probe_stack + sizeof(probe_stack), PRIORITY_DEFAULT, port) !=
	    ERR_OK)
		return 0;
	for (int i = 0; i < 100000 && !probe_started; i++)
		sys_yield();
	for (int i = 0; i < 20; i++)
		sys_yield();
	return probe_started && !probe_done;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(PORT_BASE, 0x80 | reg);
	return inb(PORT_DATA);
}

/* Sessions: every one is welcome; the badge names it. */
static err_t create(service_t *svc, word_t badge, const char *args, uint64_t ram, uint64_t caps)
{
	return ERR_OK;
}

static volatile int client_gone;

static void close(service_t *svc, word_t badge)
{
	client_gone = 1;
}

static const service_ops_t accept_all = {create, 0, close};
static service_t svc;

/* serve: answer reads of the clock with the ports; once the client is gone, close them and check.
 */
static void serve(env_t *env, cap_t ep, cap_t ports)
{
	msg_t m = {.info = SYS_NO_REPLY};
	unsigned reads = 0;
	for (;;) {
		if (sys_reply_wait(ep, &m) != ERR_OK) {
			m.info = SYS_NO_REPLY;
			continue;
		}
		if (MSG_LABEL(m.info) == OP_READ) {
			m.mr[0] = cmos_read(0); /* seconds */
			m.info = MSG_INFO(ERR_OK, 1, 0);
			reads++;
			continue;
		}
		m.info = MSG_LABEL(m.info) >= SESSION_SYNC ? service_dispatch(&svc, m.badge, &m)
							   : MSG_INFO(ERR_UNKNOWN_OPCODE, 0, 0);
		if (!client_gone)
			continue;
		sys_ipc(SYS_REPLY_WAIT, 0, &m); /* the answer; no more calls */
		log_printf("test-io-ports: holder: answered %u reads with its ports\n", reads);
		err_t e = parent_session_close(ports);
		log_printf("test-io-ports: holder: IO_PORT session closed: %s\n", err_name(e));
		report("holder", "port 0x71 after its session closed",
		       e == ERR_OK && port_refused(env, PORT_DATA));
		return;
	}
}

/* hold: announce "ports" and serve it. */
static int hold(env_t *env, cap_t ports)
{
	cap_t ep;
	log_printf("test-io-ports: holder: ports 0x70-0x71 held\n");
	err_t e = pd_alloc_endpoint(env->pd, &ep);
	if (e == ERR_OK)
		e = service_announce(env, &svc, ep, "ports", &accept_all, 0);
	if (e != ERR_OK) {
		log_printf("test-io-ports: holder: FAIL: cannot announce: %s\n", err_name(e));
		return 1;
	}
	serve(env, ep, ports);
	return 0;
}

/* probe_holder: read the holder's port right after calling it; then let it close its ports. */
static int probe_holder(env_t *env)
{
	holder = parent_session_await("ports label=prober");
	report("prober", "port 0x71 right after 100 calls to the PD holding it",
	       port_refused(env, PORT_DATA));
	return failures ? 1 : 0;
}

int component_main(env_t *env)
{
	cap_t ports;
	err_t e = parent_session_open("IO_PORT base=0x70 size=2 ram_quota=4096", &ports);
	if (e == ERR_OK)
		return hold(env, ports);
	log_printf("test-io-ports: prober: IO_PORT session its <start> does not grant: %s\n",
		   err_name(e));
	return e == ERR_DENIED ? probe_holder(env) : 1;
}
