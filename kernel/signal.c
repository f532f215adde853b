/*
 * Signals and interrupts. A signal counts submissions until its one waiter
 * collects them. An IRQ object owns one interrupt line: the interrupt masks
 * the line and submits the bound signal; the line stays masked until the
 * owner acknowledges, so a slow driver is never flooded.
 */
#include <signal.h>
#include <sched.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <arch/frame.h>

#define IRQ_LINES 16

static irq_t *irq_table[IRQ_LINES];

signal_t *signal_create(paddr_t frame)
{
	signal_t *s = vm_phys_to_virt(frame);
	s->head.type = OBJ_SIGNAL;
	return s;
}

static void wake_waiter(signal_t *s, err_t e, uint64_t count)
{
	thread_t *t = s->waiter;
	s->waiter = 0;
	t->q_owner = 0;
	*frame_sreg(thread_frame(t), SREG_RESULT) = e;
	*frame_sreg(thread_frame(t), SREG_A1) = count;
	sched_ready(t);
}

void signal_destroy(signal_t *s)
{
	if (s->waiter)
		wake_waiter(s, ERR_ABORTED, 0);
	frame_release(vm_virt_to_phys(s));
}

void signal_submit(signal_t *s)
{
	s->count++;
	if (s->waiter) {
		wake_waiter(s, ERR_OK, s->count);
		s->count = 0;
	}
}

err_t signal_wait(signal_t *s)
{
	if (s->count) {
		*frame_sreg(thread_frame(current), SREG_A1) = s->count;
		s->count = 0;
		return ERR_OK;
	}
	if (s->waiter)
		return ERR_BUSY;
	s->waiter = current;
	current->q_owner = s;
	current->state = THREAD_SIGNAL;
	sched_block();
	return (err_t)*frame_sreg(thread_frame(current), SREG_RESULT);
}

err_t irq_create(paddr_t frame, unsigned line, irq_t **out)
{
	if (line >= IRQ_LINES)
		return ERR_INVALID_ARGS;
	if (irq_table[line] || !arch_irq_line_free(line))
		return ERR_BUSY;
	irq_t *irq = vm_phys_to_virt(frame);
	irq->head.type = OBJ_IRQ;
	irq->line = line;
	irq->masked = 1;
	irq_table[line] = irq;
	*out = irq;
	return ERR_OK;
}

void irq_destroy(irq_t *irq)
{
	arch_irq_mask(irq->line);
	irq_table[irq->line] = 0;
	frame_release(vm_virt_to_phys(irq));
}

void irq_bind(irq_t *irq, signal_t *s)
{
	irq->signal = obj_ref_make(&s->head);
	irq_ack(irq);
}

void irq_ack(irq_t *irq)
{
	if (!obj_ref_get(irq->signal, OBJ_SIGNAL))
		return; /* unbound: stay masked */
	irq->masked = 0;
	arch_irq_unmask(irq->line);
}

void irq_deliver(unsigned line)
{
	irq_t *irq = line < IRQ_LINES ? irq_table[line] : 0;
	arch_irq_mask(line);
	if (!irq)
		return;
	irq->masked = 1;
	signal_t *s = (signal_t *)obj_ref_get(irq->signal, OBJ_SIGNAL);
	if (s)
		signal_submit(s);
}
