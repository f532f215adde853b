/* The IDT: every vector points at its stub in trap.S. */
#include "cpu.h"
#include "x86.h"

typedef struct __attribute__((packed)) {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} idt_entry_t;

extern const uint64_t trap_stubs[256];
static idt_entry_t idt[256] __attribute__((aligned(16)));

static void idt_set(int vec, uint64_t handler, int dpl)
{
	idt_entry_t *e = &idt[vec];
	e->off_lo = handler & 0xffff;
	e->off_mid = (handler >> 16) & 0xffff;
	e->off_hi = handler >> 32;
	e->sel = GDT_KCODE;
	e->ist = 0;
	e->type = 0x8e | (dpl << 5); /* present, interrupt gate */
	e->zero = 0;
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, trap_stubs[v], 0);
	idt_set(3, trap_stubs[3], 3); /* int3 from user mode is a fault, not a #GP */
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(ptr));
}
