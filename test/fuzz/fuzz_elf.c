/*
 * libFuzzer target for the ELF checker: the kernel and core run it on
 * images nobody vouches for. The first input byte picks the mode and the
 * limit; the rest is either the image itself or bits flipped in a valid
 * sample (so that mutations reach the checks behind the header). Whenever
 * elf_check accepts an image, the plan must keep every promise of
 * kernel/abi/elf.h, and the bytes a loader would copy must lie inside it.
 */
#include <stdlib.h>
#include <abi/elf.h>
#include "../elf/elf_sample.h"
#include "fuzz_input.h"

static const vaddr_t limits[4] = {0x40000000ull, 0x0000100000000000ull, ~0ull, 0x402800ull};

/* known_error: whether e is one of the errors elf_check promises. */
static int known_error(err_t e)
{
	return e == ERR_OVERFLOW || !strncmp(err_name(e), "ELF_", 4);
}

/* check_fill: the image bytes of s's pages lie inside it and add up to s's file size. */
static void check_fill(const elf_segment_t *s, const uint8_t *image, size_t size)
{
	uint64_t copied = 0;
	unsigned sum = 0;
	/* past filesz plus the two partial pages at its ends only zeros follow */
	for (vaddr_t va = s->page_start;
	     va < s->page_end && va - s->page_start <= s->filesz + 2 * PAGE_SIZE; va += PAGE_SIZE) {
		elf_fill_t f;
		elf_page_fill(s, va, &f);
		FUZZ_REQUIRE(f.page_offset + f.length <= PAGE_SIZE);
		if (f.length == 0)
			continue;
		FUZZ_REQUIRE(f.image_offset >= s->offset);
		FUZZ_REQUIRE(f.image_offset + f.length <= s->offset + s->filesz);
		FUZZ_REQUIRE(f.image_offset + f.length <= size);
		FUZZ_REQUIRE(va + f.page_offset >= s->vaddr);
		for (uint64_t i = 0; i < f.length; i++)
			sum += image[f.image_offset + i]; /* AddressSanitizer watches these reads */
		copied += f.length;
	}
	FUZZ_REQUIRE(copied == s->filesz);
	(void)sum;
}

/* check_segment: one segment of an accepted plan. */
static void check_segment(const elf_segment_t *s, size_t size, vaddr_t limit)
{
	FUZZ_REQUIRE(s->memsz > 0 && s->filesz <= s->memsz);
	FUZZ_REQUIRE(s->offset + s->filesz >= s->offset && s->offset + s->filesz <= size);
	FUZZ_REQUIRE(s->vaddr + s->memsz > s->vaddr);
	FUZZ_REQUIRE(s->page_start == (s->vaddr & ~(PAGE_SIZE - 1)));
	FUZZ_REQUIRE(s->page_end % PAGE_SIZE == 0 && s->page_end >= s->vaddr + s->memsz);
	FUZZ_REQUIRE(s->page_end - (s->vaddr + s->memsz) < PAGE_SIZE);
	FUZZ_REQUIRE(s->page_end <= limit && s->page_end <= USER_TOP);
	FUZZ_REQUIRE((s->flags & ~(unsigned)(ELF_PF_R | ELF_PF_W | ELF_PF_X)) == 0);
	FUZZ_REQUIRE(!((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X)));
}

/* check_plan: every promise of an accepted plan for the size bytes at image. */
static void check_plan(const elf_image_t *p, const uint8_t *image, size_t size, vaddr_t limit)
{
	int entry_ok = 0;
	FUZZ_REQUIRE(p->count >= 1 && p->count <= ELF_MAX_SEGMENTS);
	for (unsigned i = 0; i < p->count; i++) {
		const elf_segment_t *s = &p->segment[i];
		check_segment(s, size, limit);
		check_fill(s, image, size);
		for (unsigned j = 0; j < i; j++)
			FUZZ_REQUIRE(s->page_end <= p->segment[j].page_start ||
				     p->segment[j].page_end <= s->page_start);
		if ((s->flags & ELF_PF_X) && p->entry >= s->vaddr && p->entry < s->vaddr + s->memsz)
			entry_ok = 1;
	}
	FUZZ_REQUIRE(entry_ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sample[SAMPLE_SIZE] __attribute__((aligned(8)));
	if (size == 0)
		return 0;
	vaddr_t limit = limits[(data[0] >> 1) % 4];
	const uint8_t *bytes = data + 1;
	size_t n = size - 1;
	if (!(data[0] & 1)) { /* flip bits of the sample */
		sample_build(sample);
		for (size_t i = 0; i < n && i < SAMPLE_SIZE; i++)
			sample[i] ^= bytes[i];
		bytes = sample, n = SAMPLE_SIZE;
	}
	uint8_t *image = malloc(n ? n : 1); /* exactly n bytes: reads past them are caught */
	FUZZ_REQUIRE(image != NULL);
	memcpy(image, bytes, n);
	elf_image_t plan;
	err_t e = elf_check(image, n, limit, &plan);
	FUZZ_REQUIRE(e == ERR_OK || known_error(e));
	if (e == ERR_OK)
		check_plan(&plan, image, n, limit);
	free(image);
	return 0;
}
