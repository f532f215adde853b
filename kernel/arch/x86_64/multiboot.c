/* Multiboot2 boot information to the protocol-neutral bootinfo_t. */
#include "cpu.h"
#include "x86.h"
#include <kstring.h>
#include <panic.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

typedef struct {
	uint32_t type, size;
} mb2_tag_t;

typedef struct {
	uint32_t type, size, entry_size, entry_version;
} mb2_mmap_t;

typedef struct {
	uint64_t base, len;
	uint32_t type, reserved;
} mb2_mmap_entry_t;

typedef struct {
	uint32_t type, size, start, end;
	char name[];
} mb2_module_t;

static void parse_mmap(const mb2_mmap_t *m, bootinfo_t *bi)
{
	const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + m->size;
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const mb2_mmap_entry_t *e = (const void *)p;
		if (bi->mem_count == BOOTINFO_MAX_MEM)
			break;
		bootinfo_mem_t *d = &bi->mem[bi->mem_count++];
		d->base = e->base;
		d->size = e->len;
		d->type = e->type >= 1 && e->type <= 5 ? e->type : BOOTINFO_MEM_RESERVED;
	}
}

static void parse_module(const mb2_module_t *m, bootinfo_t *bi)
{
	if (bi->module_count == BOOTINFO_MAX_MODULES)
		panic("more than %d boot modules", BOOTINFO_MAX_MODULES);
	bootinfo_module_t *d = &bi->modules[bi->module_count++];
	d->base = m->start;
	d->size = m->end - m->start;
	/* the module's command line: the first word is its name */
	size_t i = 0;
	while (m->name[i] && m->name[i] != ' ' && i < BOOTINFO_NAME_LEN - 1) {
		d->name[i] = m->name[i];
		i++;
	}
	d->name[i] = 0;
}

void multiboot_parse(uint64_t magic, uint64_t info_phys, bootinfo_t *bi)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a Multiboot2 loader (magic %lx)", magic);
	const uint8_t *info = vm_phys_to_virt(info_phys);
	uint32_t total = *(const uint32_t *)info;
	for (uint32_t off = 8; off + sizeof(mb2_tag_t) <= total;) {
		const mb2_tag_t *t = (const void *)(info + off);
		if (t->type == MB2_TAG_END)
			break;
		if (t->type == MB2_TAG_CMDLINE)
			strlcpy(bi->cmdline, (const char *)(t + 1), sizeof(bi->cmdline));
		else if (t->type == MB2_TAG_MMAP)
			parse_mmap((const void *)t, bi);
		else if (t->type == MB2_TAG_MODULE)
			parse_module((const void *)t, bi);
		off += (t->size + 7) & ~7u;
	}
}
