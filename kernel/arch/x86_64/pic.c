/*
 * The legacy 8259 interrupt controllers (remapped to vectors 32..47) and
 * the PIT as the scheduler's timer on line 0.
 */
#include "cpu.h"
#include "x86.h"
#include <arch.h>

#define PIC1 0x20
#define PIC2 0xa0
#define PIT_HZ 1193182u

static uint16_t mask = 0xffff;

static void pic_write_mask(void)
{
	outb(PIC1 + 1, mask & 0xff);
	outb(PIC2 + 1, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, 32); /* vector base */
	outb(PIC2 + 1, 40);
	outb(PIC1 + 1, 4); /* slave on line 2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1); /* 8086 mode */
	outb(PIC2 + 1, 1);
	mask = 0xffff & ~(1u << 2); /* cascade always open */
	pic_write_mask();
}

void pic_eoi(unsigned line)
{
	if (line >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

void arch_irq_mask(unsigned line)
{
	mask |= 1u << line;
	pic_write_mask();
}

void arch_irq_unmask(unsigned line)
{
	mask &= ~(1u << line);
	pic_write_mask();
}

int arch_irq_line_free(unsigned line)
{
	return line != 0 && line != 2; /* the timer and the cascade are the kernel's */
}

void pit_init(unsigned hz)
{
	unsigned divisor = PIT_HZ / hz;
	outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
	outb(0x40, divisor & 0xff);
	outb(0x40, divisor >> 8);
	arch_irq_unmask(0);
}
