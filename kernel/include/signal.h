/* Signals (asynchronous notifications with a counter) and IRQ objects. */
#pragma once

#include <thread.h>

struct signal {
	obj_t head;
	uint64_t count;
	thread_t *waiter;
};

struct irq {
	obj_t head;
	uint8_t line;
	uint8_t masked;
	obj_ref_t signal;
};

signal_t *signal_create(paddr_t frame);
void signal_destroy(signal_t *s);

/* signal_submit: count one; wakes the waiter with the accumulated count. */
void signal_submit(signal_t *s);

/* signal_wait: return the pending count, or block until one arrives. BUSY if another thread waits.
 */
err_t signal_wait(signal_t *s);

/* irq_create: an IRQ object for line. BUSY if bound already or owned by the kernel. */
err_t irq_create(paddr_t frame, unsigned line, irq_t **out);
void irq_destroy(irq_t *irq);
void irq_bind(irq_t *irq, signal_t *s);
void irq_ack(irq_t *irq);

/* irq_deliver: from the interrupt path: mask the line and submit the signal. */
void irq_deliver(unsigned line);
