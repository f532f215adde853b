/*
 * ELF64 executables and the one checker of them: the kernel loads core
 * with it, core loads components, and the component library has it for
 * components that start children. The code (kernel/elf.c) is portable and
 * freestanding, so kernel, lib and the host tests build the same file.
 */
#pragma once

#include "types.h"
#include "err.h"

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

_Static_assert(sizeof(elf64_ehdr_t) == 64, "ELF64 file header");
_Static_assert(sizeof(elf64_phdr_t) == 56, "ELF64 program header");

#define ELF_CLASS_64 2
#define ELF_DATA_LSB 1
#define ELF_TYPE_EXEC 2
#define ELF_MACHINE_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

#define ELF_MAX_SEGMENTS 8 /* loadable segments in one plan */

/* One loadable segment of a checked image. */
typedef struct {
	vaddr_t vaddr;	    /* first byte in memory */
	uint64_t memsz;	    /* bytes in memory, at least 1; those past filesz are zero */
	uint64_t offset;    /* first byte in the image */
	uint64_t filesz;    /* bytes copied from the image, at most memsz */
	vaddr_t page_start; /* vaddr rounded down to a page */
	vaddr_t page_end;   /* vaddr + memsz rounded up to a page, at most the limit */
	unsigned flags;	    /* ELF_PF_R, ELF_PF_W, ELF_PF_X; never W and X together */
} elf_segment_t;

/* The loading plan of a checked image: no two segments share a page. */
typedef struct {
	vaddr_t entry; /* inside an executable segment */
	unsigned count;
	elf_segment_t segment[ELF_MAX_SEGMENTS];
} elf_image_t;

/*
 * elf_check: decode the size bytes at image as an ELF64 executable whose
 * segments must lie below limit (at most USER_TOP, the end of the user half)
 * and fill *out with its plan. Reads only inside the image, which needs no
 * alignment, and never calls a function. Program headers other than
 * PT_LOAD are skipped; loadable segments of memory size 0 are checked but
 * left out of the plan. On an error *out holds no plan. Errors:
 *   ELF_NOT_ELF64          no ELF magic, not 64-bit or not little-endian
 *   ELF_TRUNCATED          the file ends inside its header, its program
 *                          headers or the file bytes of a segment
 *   ELF_WRONG_MACHINE      not built for x86_64
 *   ELF_NOT_EXECUTABLE     not of type ET_EXEC (a relocatable or shared object)
 *   ELF_BAD_PHENTSIZE      program header entries not 56 bytes (zero included)
 *   OVERFLOW               an offset plus a size, or an address plus a size,
 *                          wraps around 2^64
 *   ELF_BAD_SEGMENT        a segment with more file bytes than memory bytes
 *   ELF_SEGMENT_OUTSIDE    a segment whose pages are not all below limit
 *                          (or USER_TOP, if that is lower)
 *   ELF_WRITE_EXEC         a segment both writeable and executable
 *   ELF_TOO_MANY_SEGMENTS  more than ELF_MAX_SEGMENTS loadable segments
 *   ELF_SEGMENTS_OVERLAP   two segments whose page-rounded spans meet
 *   ELF_BAD_ENTRY          the entry point outside every executable segment
 */
err_t elf_check(const void *image, size_t size, vaddr_t limit, elf_image_t *out);

/* The part of one page of a segment that comes from the image. */
typedef struct {
	uint64_t page_offset;  /* where in the page the bytes go */
	uint64_t image_offset; /* where in the image they start */
	uint64_t length;       /* how many; 0 for a page of zeros only */
} elf_fill_t;

/*
 * elf_page_fill: which bytes of the page at va of segment s (page aligned,
 * inside s's page span) are copied from the image; the rest of the page is
 * zero. Cannot fail.
 */
void elf_page_fill(const elf_segment_t *s, vaddr_t va, elf_fill_t *out);
