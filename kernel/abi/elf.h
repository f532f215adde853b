/*
 * The parts of the ELF64 format that program loaders need: the kernel
 * loads core with them, core loads components.
 */
#pragma once

#include "types.h"

typedef struct {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf64_ehdr_t;

typedef struct {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf64_phdr_t;

#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_MACHINE_X86_64 62

/* elf_header_ok: an x86_64 ELF64 whose program headers lie inside size bytes. */
static inline int elf_header_ok(const elf64_ehdr_t *eh, uint64_t size)
{
	return size >= sizeof(*eh) && eh->ident[0] == 0x7f && eh->ident[1] == 'E' &&
	       eh->ident[2] == 'L' && eh->ident[3] == 'F' && eh->ident[4] == 2 &&
	       eh->machine == ELF_MACHINE_X86_64 && eh->phentsize == sizeof(elf64_phdr_t) &&
	       eh->phoff <= size && (uint64_t)eh->phnum * sizeof(elf64_phdr_t) <= size - eh->phoff;
}

/* elf_segment_ok: the segment's file bytes lie inside size and its memory below limit. */
static inline int elf_segment_ok(const elf64_phdr_t *ph, uint64_t size, uint64_t limit)
{
	return ph->filesz <= ph->memsz && ph->filesz <= size && ph->offset <= size - ph->filesz &&
	       ph->memsz <= limit && ph->vaddr <= limit - ph->memsz;
}
