/*
 * The ELF checker: decides whether an untrusted image may be loaded and
 * plans how (kernel/abi/elf.h). Built into the kernel, the component
 * library and the host tests, so it includes nothing but the ABI headers
 * and calls no function.
 *
 * Every header is copied out of the image byte by byte before it is
 * looked at: the image needs no alignment and a field is read once, so
 * it cannot change between its check and its use. Each sum of an offset
 * or address and a size is checked for wrap-around before it is compared,
 * and a segment's end is compared with the limit before it is rounded up
 * to a page, so rounding cannot wrap either.
 */
#include <abi/elf.h>

#define ELF_PAGE_MASK (PAGE_SIZE - 1)

/* elf_copy: n bytes from src to dst; a loop, so that no library call is needed. */
static void elf_copy(void *dst, const uint8_t *src, size_t n)
{
	uint8_t *d = dst;
	for (size_t i = 0; i < n; i++)
		d[i] = src[i];
}

/* elf_span_ok: whether [offset, offset + len) lies inside size bytes. */
static err_t elf_span_ok(uint64_t offset, uint64_t len, uint64_t size)
{
	if (offset + len < offset)
		return ERR_OVERFLOW;
	return offset + len <= size ? ERR_OK : ERR_ELF_TRUNCATED;
}

/* elf_header_check: the file header of an x86_64 executable with its program headers inside. */
static err_t elf_header_check(const uint8_t *image, size_t size, elf64_ehdr_t *eh)
{
	if (size < 6 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F' ||
	    image[4] != ELF_CLASS_64 || image[5] != ELF_DATA_LSB)
		return ERR_ELF_NOT_ELF64;
	if (size < sizeof(*eh))
		return ERR_ELF_TRUNCATED;
	elf_copy(eh, image, sizeof(*eh));
	if (eh->machine != ELF_MACHINE_X86_64)
		return ERR_ELF_WRONG_MACHINE;
	if (eh->type != ELF_TYPE_EXEC)
		return ERR_ELF_NOT_EXECUTABLE;
	if (eh->phentsize != sizeof(elf64_phdr_t))
		return ERR_ELF_BAD_PHENTSIZE;
	return elf_span_ok(eh->phoff, (uint64_t)eh->phnum * sizeof(elf64_phdr_t), size);
}

/* elf_segment_check: a loadable segment whose file bytes lie inside size and memory below limit. */
static err_t elf_segment_check(const elf64_phdr_t *ph, size_t size, vaddr_t limit)
{
	if (ph->filesz > ph->memsz)
		return ERR_ELF_BAD_SEGMENT;
	err_t e = elf_span_ok(ph->offset, ph->filesz, size);
	if (e != ERR_OK)
		return e;
	if (ph->vaddr + ph->memsz < ph->vaddr)
		return ERR_OVERFLOW;
	/* once end <= limit <= USER_TOP, rounding it up to a page cannot wrap */
	vaddr_t end = ph->vaddr + ph->memsz;
	if (end > limit || ((end + ELF_PAGE_MASK) & ~ELF_PAGE_MASK) > limit)
		return ERR_ELF_SEGMENT_OUTSIDE;
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X))
		return ERR_ELF_WRITE_EXEC;
	return ERR_OK;
}

/* elf_plan_add: append the checked segment ph to plan unless it shares a page with one there. */
static err_t elf_plan_add(elf_image_t *plan, const elf64_phdr_t *ph)
{
	if (plan->count == ELF_MAX_SEGMENTS)
		return ERR_ELF_TOO_MANY_SEGMENTS;
	elf_segment_t *s = &plan->segment[plan->count];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->page_start = ph->vaddr & ~ELF_PAGE_MASK;
	s->page_end = (ph->vaddr + ph->memsz + ELF_PAGE_MASK) & ~ELF_PAGE_MASK;
	s->flags = ph->flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	for (unsigned i = 0; i < plan->count; i++)
		if (plan->segment[i].page_start < s->page_end &&
		    s->page_start < plan->segment[i].page_end)
			return ERR_ELF_SEGMENTS_OVERLAP;
	plan->count++;
	return ERR_OK;
}

/* elf_entry_check: whether the entry point lies in an executable segment of plan. */
static err_t elf_entry_check(const elf_image_t *plan)
{
	for (unsigned i = 0; i < plan->count; i++) {
		const elf_segment_t *s = &plan->segment[i];
		if ((s->flags & ELF_PF_X) && plan->entry >= s->vaddr &&
		    plan->entry - s->vaddr < s->memsz)
			return ERR_OK;
	}
	return ERR_ELF_BAD_ENTRY;
}

err_t elf_check(const void *image, size_t size, vaddr_t limit, elf_image_t *out)
{
	const uint8_t *bytes = image;
	elf64_ehdr_t eh;
	err_t e = elf_header_check(bytes, size, &eh);
	if (e != ERR_OK)
		return e;
	if (limit > USER_TOP)
		limit = USER_TOP;
	out->entry = eh.entry;
	out->count = 0;
	for (unsigned i = 0; i < eh.phnum; i++) {
		elf64_phdr_t ph;
		elf_copy(&ph, bytes + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != ELF_PT_LOAD)
			continue;
		if ((e = elf_segment_check(&ph, size, limit)) != ERR_OK)
			return e;
		if (ph.memsz != 0 && (e = elf_plan_add(out, &ph)) != ERR_OK)
			return e;
	}
	return elf_entry_check(out);
}

void elf_page_fill(const elf_segment_t *s, vaddr_t va, elf_fill_t *out)
{
	vaddr_t from = va < s->vaddr ? s->vaddr : va;
	vaddr_t file_end = s->vaddr + s->filesz;
	vaddr_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
	out->page_offset = out->image_offset = out->length = 0;
	if (from < to) {
		out->page_offset = from - va;
		out->image_offset = s->offset + (from - s->vaddr);
		out->length = to - from;
	}
}
