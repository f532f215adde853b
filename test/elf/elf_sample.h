/*
 * A small valid executable built in memory for the ELF checker's unit
 * tests and fuzz target: text, rodata and data with bss, each on its own
 * page, plus a note that the checker must skip. File offsets are not page
 * aligned, which the checker allows, so the file is 1 KiB with room for 12
 * program headers before the first segment.
 */
#pragma once

#include <stdint.h>
#include <string.h>
#include <abi/elf.h>

#define SAMPLE_SIZE 0x400
#define SAMPLE_PHNUM 4
#define SAMPLE_ENTRY 0x400010ull
#define SAMPLE_PT_NOTE 4

/* sample_ehdr, sample_phdr: the headers of the sample in img (8-byte aligned). */
static inline elf64_ehdr_t *sample_ehdr(uint8_t *img)
{
	return (elf64_ehdr_t *)img;
}

static inline elf64_phdr_t *sample_phdr(uint8_t *img, unsigned i)
{
	return (elf64_phdr_t *)(img + sizeof(elf64_ehdr_t) + i * sizeof(elf64_phdr_t));
}

/* sample_segment: program header i of img. */
static inline void sample_segment(uint8_t *img, unsigned i, uint32_t type, uint64_t offset,
				  uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	elf64_phdr_t *ph = sample_phdr(img, i);
	memset(ph, 0, sizeof(*ph));
	ph->type = type, ph->flags = flags, ph->offset = offset, ph->vaddr = vaddr;
	ph->paddr = vaddr, ph->filesz = filesz, ph->memsz = memsz, ph->align = 0x1000;
}

/* sample_build: the valid sample in img (SAMPLE_SIZE bytes), its file bytes patterned. */
static inline void sample_build(uint8_t *img)
{
	memset(img, 0, SAMPLE_SIZE);
	for (unsigned i = 0x340; i < SAMPLE_SIZE; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	elf64_ehdr_t *eh = sample_ehdr(img);
	memcpy(eh->ident, "\177ELF\2\1\1", 7);
	eh->type = ELF_TYPE_EXEC, eh->machine = ELF_MACHINE_X86_64, eh->version = 1;
	eh->entry = SAMPLE_ENTRY, eh->phoff = sizeof(*eh), eh->ehsize = sizeof(*eh);
	eh->phentsize = sizeof(elf64_phdr_t), eh->phnum = SAMPLE_PHNUM;
	sample_segment(img, 0, ELF_PT_LOAD, 0x340, 0x400000, 0x40, 0x40, ELF_PF_R | ELF_PF_X);
	sample_segment(img, 1, ELF_PT_LOAD, 0x380, 0x401000, 0x20, 0x20, ELF_PF_R);
	sample_segment(img, 2, ELF_PT_LOAD, 0x3a0, 0x402000, 0x10, 0x2000, ELF_PF_R | ELF_PF_W);
	sample_segment(img, 3, SAMPLE_PT_NOTE, 0x3c0, 0, 0x20, 0x20, ELF_PF_R);
}
