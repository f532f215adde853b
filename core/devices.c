/*
 * Device policy: what no component gets, whatever its parent allows.
 * Ports: the kernel's own (both PICs, the PIT, the debug-exit device that
 * ends QEMU, the COM1 console), system reset (0x92, and the keyboard
 * controller's at 0x64), ACPI power-off in QEMU (PM1a control at 0x604, 16
 * bits: its high byte holds the sleep enable), PCI configuration (with the
 * reset control at 0xcf9). Memory: the interrupt controllers, and RAM.
 */
#include "session.h"

typedef struct {
	uint64_t base, size;
} range_t;

static const range_t denied_ports[] = {{0x20, 2}, {0x40, 4},  {0x64, 1},  {0x92, 1}, {0xa0, 2},
				       {0xf4, 4}, {0x3f8, 8}, {0x604, 2}, {0xcf8, 8}};
static const range_t denied_mmio[] = {{0xfec00000, 0x100000}, {0xfee00000, 0x100000}};

static int overlaps_any(const range_t *r, unsigned n, uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (base < r[i].base + r[i].size && r[i].base < base + size)
			return 1;
	return 0;
}

int device_ports_denied(uint64_t base, uint64_t size)
{
	return overlaps_any(denied_ports, sizeof(denied_ports) / sizeof(denied_ports[0]), base,
			    size);
}

/* overlaps_ram: [base, base + size) touches RAM (or the kernel and modules in it). */
static int overlaps_ram(uint64_t base, uint64_t size)
{
	for (uint32_t i = 0; i < core_bootinfo->mem_count; i++) {
		const bootinfo_mem_t *m = &core_bootinfo->mem[i];
		if ((m->type == BOOTINFO_MEM_AVAILABLE || m->type == BOOTINFO_MEM_FREE) &&
		    base < m->base + m->size && m->base < base + size)
			return 1;
	}
	return 0;
}

int device_mmio_denied(uint64_t base, uint64_t size)
{
	return overlaps_ram(base, size) ||
	       overlaps_any(denied_mmio, sizeof(denied_mmio) / sizeof(denied_mmio[0]), base, size);
}

err_t device_range_claim(device_range_t **set, device_range_t *r, uint64_t base, uint64_t size)
{
	for (device_range_t *i = *set; i; i = i->next)
		if (base < i->base + i->size && i->base < base + size)
			return ERR_BUSY;
	r->base = base, r->size = size;
	r->next = *set;
	*set = r;
	return ERR_OK;
}

void device_range_release(device_range_t **set, device_range_t *r)
{
	for (device_range_t **pp = set; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			return;
		}
}
