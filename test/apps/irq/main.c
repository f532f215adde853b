/*
 * run/irq: the RTC's periodic interrupt (line 8) arrives at this thread as
 * a signal; the line stays masked until acknowledged.
 */
#include <log.h>
#include <io_port.h>
#include <env.h>
#include <parent.h>

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, 0x80 | reg);
	return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(0x70, 0x80 | reg);
	outb(0x71, v);
}

static uint8_t stack[8192] __attribute__((aligned(16)));

/* forbidden: port 0x80 is not in the session: the access is a fault. */
static void forbidden(word_t arg, utcb_t *utcb)
{
	log_printf("test-irq: touching port 0x80, outside the IO_PORT session\n");
	inb(0x80);
	log_printf("test-irq: FAIL: port 0x80 was accessible\n");
	for (;;)
		sys_yield();
}

int component_main(env_t *env)
{
	cap_t ports, irq_session, got[2] = {0, 0};
	msg_t m = {.info = MSG_INFO(IRQ_CAPS, 0, 0)};
	err_t e = parent_session_open("IO_PORT base=0x70 size=2 ram_quota=4096", &ports);
	if (e == ERR_OK)
		e = parent_session_open("IRQ line=8 ram_quota=16384 cap_quota=2", &irq_session);
	if (e == ERR_OK)
		e = sys_call_caps(irq_session, &m, 2, got);
	if (e != ERR_OK || MSG_LABEL(m.info) != ERR_OK || !got[0] || !got[1]) {
		log_printf("test-irq: FAIL: no IRQ session: %s\n", err_str(e));
		return 1;
	}
	cap_t again;
	log_printf("test-irq: a second session for line 8: %s\n",
		   err_name(parent_session_open("IRQ line=8 ram_quota=16384 cap_quota=2", &again)));
	cap_t irq = got[0], sig = got[1];
	cmos_write(0x0a, (cmos_read(0x0a) & 0xf0) | 0x0a); /* 64 Hz */
	cmos_write(0x0b, cmos_read(0x0b) | 0x40);	   /* periodic interrupt on */
	word_t total = 0;
	for (int i = 0; i < 5; i++) {
		word_t count;
		e = sys_signal_wait(sig, &count);
		if (e != ERR_OK) {
			log_printf("test-irq: FAIL: wait: %s\n", err_str(e));
			return 1;
		}
		total += count;
		cmos_read(0x0c); /* the RTC raises the next one only after C was read */
		sys_irq_ack(irq);
	}
	cmos_write(0x0b, cmos_read(0x0b) & ~0x40);
	err_t te = pd_thread(env->pd, forbidden, stack + sizeof(stack), PRIORITY_DEFAULT, 0);
	if (te != ERR_OK)
		log_printf("test-irq: FAIL: thread: %s\n", err_name(te));
	for (int i = 0; i < 20; i++)
		sys_yield();
	log_printf("test-irq: received %lu interrupts of line 8 as signals\n", total);
	e = sys_irq_ack(sig);
	log_printf("test-irq: ack through the signal capability: %s\n", err_name(e));
	return 0;
}
