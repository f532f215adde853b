/*
 * Unknown opcodes on every kind of session core serves, and the promise of
 * an IO_PORT session: ports outside its range stay out of reach.
 */
#include <log.h>
#include <parent.h>
#include "abuse.h"
#include <io_port.h>

#define IO_PORT_GRANTED 0x80 /* the POST port: harmless to own */
#define IO_PORT_OUTSIDE 0x64 /* keyboard controller status: harmless to read */

static uint8_t port_stack[8192] __attribute__((aligned(16)));
static volatile int port_go, port_started, port_done;

/* unknown_opcodes: labels no service of core knows, on session s. */
static void unknown_opcodes(const char *what, cap_t s)
{
	static const unsigned labels[] = {0, 99, 0xffff, 0xffffffffu};
	char text[64];
	format_buf(text, sizeof(text), "unknown opcode on %s", what);
	for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		expect(text, request(s, labels[i], 0, 1, 2, 3, 4), ERR_UNKNOWN_OPCODE);
}

/* port_reader: reads a port outside the session's range; core must stop it. */
static void port_reader(word_t arg, utcb_t *utcb)
{
	while (!port_go)
		sys_yield();
	port_started = 1;
	inb((uint16_t)arg);
	port_done = 1;
	for (;;)
		sys_yield();
}

/*
 * port_reader_start: the thread for the port check, made before the quota is
 * measured (a thread's frames stay charged until the component ends).
 */
void port_reader_start(env_t *env)
{
	err_t e = pd_thread(env->pd, port_reader, port_stack + sizeof(port_stack), PRIORITY_DEFAULT,
			    IO_PORT_OUTSIDE);
	expect("PD_THREAD: a thread for the port check", e, ERR_OK);
}

/* check_port_range: with an IO_PORT session open, read a port outside its range. */
static void check_port_range(void)
{
	log_printf("test-core-abuse: reading port 0x%x outside the IO_PORT session [0x%x, 0x%x)\n",
		   IO_PORT_OUTSIDE, IO_PORT_GRANTED, IO_PORT_GRANTED + 1);
	port_go = 1;
	for (int i = 0; i < 1000 && !port_started; i++)
		sys_yield();
	for (int i = 0; i < 20; i++)
		sys_yield();
	expect("IO_PORT: a port outside the session's range is readable",
	       port_started && !port_done ? ERR_DENIED : ERR_OK, ERR_DENIED);
}

void abuse_services(env_t *env)
{
	cap_t rm = session("RM size=0x100000 ram_quota=16384");
	cap_t rom = session("ROM label=config ram_quota=4096");
	cap_t io_mem = session("IO_MEM base=0xb8000 size=0x1000 ram_quota=4096");
	cap_t io_port = session("IO_PORT base=0x80 size=1 ram_quota=4096");
	cap_t irq = session("IRQ line=10 ram_quota=16384 cap_quota=2");
	unknown_opcodes("PD", env->pd);
	unknown_opcodes("the address space", env->rm);
	unknown_opcodes("RM", rm);
	unknown_opcodes("ROM", rom);
	unknown_opcodes("IO_MEM", io_mem);
	unknown_opcodes("IO_PORT", io_port);
	unknown_opcodes("IRQ", irq);
	unknown_opcodes("LOG", env->log);
	expect("IO_PORT_USE: a LOG session is no PD session", io_port_use(io_port, env->log),
	       ERR_INVALID_CAP);
	expect("IO_PORT_USE: no capability", io_port_use(io_port, 0), ERR_INVALID_CAP);
	expect("IO_PORT_USE: an IO_MEM session is no PD session", io_port_use(io_port, io_mem),
	       ERR_INVALID_CAP);
	expect("IO_PORT_USE: its own PD, where the ports are", io_port_use(io_port, env->pd),
	       ERR_OK);
	expect("IO_PORT: the same range again",
	       parent_session_open("IO_PORT base=0x80 size=1 ram_quota=4096", &(cap_t){0}),
	       ERR_BUSY);
	expect("IRQ: the same line again",
	       parent_session_open("IRQ line=10 ram_quota=16384 cap_quota=2", &(cap_t){0}),
	       ERR_BUSY);
	if (io_port)
		check_port_range();
	cap_t all[] = {rm, rom, io_mem, io_port, irq};
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i])
			expect("closing a session", parent_session_close(all[i]), ERR_OK);
}
