/*
 * Host unit tests for the ELF checker (kernel/elf.c): every reason to
 * refuse an image, the plan of a valid one, the bytes a loader copies per
 * page, and the real binaries of the build. Each image is checked in a heap
 * block of exactly its size, so AddressSanitizer catches any read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elf_sample.h"

#define LIMIT 0x40000000ull /* core's limit for components */
#define BIG 0x3000	    /* room for images larger than the sample */

static uint8_t img[BIG] __attribute__((aligned(8)));
static elf_image_t plan;

/* check: elf_check on the first size bytes of img, copied to a block of exactly that size. */
static err_t check(size_t size, vaddr_t limit)
{
	uint8_t *copy = malloc(size ? size : 1);
	assert_non_null(copy);
	memcpy(copy, img, size);
	err_t e = elf_check(copy, size, limit, &plan);
	free(copy);
	return e;
}

static err_t check_sample(void)
{
	return check(SAMPLE_SIZE, LIMIT);
}

static elf64_ehdr_t *eh(void)
{
	return sample_ehdr(img);
}

static elf64_phdr_t *ph(unsigned i)
{
	return sample_phdr(img, i);
}

static int setup(void **state)
{
	memset(img, 0, sizeof(img));
	sample_build(img);
	return 0;
}

static void test_valid_plan(void **state)
{
	assert_int_equal(check_sample(), ERR_OK);
	assert_int_equal(plan.entry, SAMPLE_ENTRY);
	assert_int_equal(plan.count, 3); /* the note is not loaded */
	const elf_segment_t *s = plan.segment;
	assert_int_equal(s[0].vaddr, 0x400000);
	assert_int_equal(s[0].offset, 0x340);
	assert_int_equal(s[0].filesz, 0x40);
	assert_int_equal(s[0].memsz, 0x40);
	assert_int_equal(s[0].flags, ELF_PF_R | ELF_PF_X);
	assert_int_equal(s[0].page_start, 0x400000);
	assert_int_equal(s[0].page_end, 0x401000);
	assert_int_equal(s[1].flags, ELF_PF_R);
	assert_int_equal(s[2].flags, ELF_PF_R | ELF_PF_W);
	assert_int_equal(s[2].page_start, 0x402000);
	assert_int_equal(s[2].page_end, 0x404000);
}

static void test_valid_variants(void **state)
{
	uint8_t moved[SAMPLE_SIZE + 1];
	memcpy(moved + 1, img, SAMPLE_SIZE); /* headers need no alignment */
	assert_int_equal(elf_check(moved + 1, SAMPLE_SIZE, LIMIT, &plan), ERR_OK);
	assert_int_equal(check(0x3b0, LIMIT), ERR_OK); /* the file may end with the last segment */
	ph(2)->vaddr = LIMIT - ph(2)->memsz;	       /* ending exactly at the limit */
	assert_int_equal(check_sample(), ERR_OK);
	ph(0)->flags |= 0xf0000000u; /* other flag bits are dropped from the plan */
	eh()->entry = 0x40003f;	     /* the last byte of the text */
	assert_int_equal(check_sample(), ERR_OK);
	assert_int_equal(plan.segment[0].flags, ELF_PF_R | ELF_PF_X);
	ph(1)->memsz = ph(1)->filesz = 0;      /* an empty segment is left out */
	ph(3)->offset = ph(3)->filesz = ~0ull; /* a note is not looked at */
	assert_int_equal(check_sample(), ERR_OK);
	assert_int_equal(plan.count, 2);
}

static void test_not_elf64(void **state)
{
	assert_int_equal(check(0, LIMIT), ERR_ELF_NOT_ELF64);
	assert_int_equal(check(5, LIMIT), ERR_ELF_NOT_ELF64);
	img[4] = 1; /* ELFCLASS32 */
	assert_int_equal(check_sample(), ERR_ELF_NOT_ELF64);
	img[4] = ELF_CLASS_64, img[5] = 2; /* big-endian */
	assert_int_equal(check_sample(), ERR_ELF_NOT_ELF64);
	img[5] = ELF_DATA_LSB, img[1] = 'e';
	assert_int_equal(check_sample(), ERR_ELF_NOT_ELF64);
	memcpy(img, "#!/bin/sh\n", 10);
	assert_int_equal(check_sample(), ERR_ELF_NOT_ELF64);
}

static void test_truncated(void **state)
{
	assert_int_equal(check(6, LIMIT), ERR_ELF_TRUNCATED);
	assert_int_equal(check(sizeof(elf64_ehdr_t) - 1, LIMIT), ERR_ELF_TRUNCATED);
	size_t headers = sizeof(elf64_ehdr_t) + SAMPLE_PHNUM * sizeof(elf64_phdr_t);
	assert_int_equal(check(headers - 1, LIMIT), ERR_ELF_TRUNCATED);
	assert_int_equal(check(0x3af, LIMIT), ERR_ELF_TRUNCATED); /* inside the data */
	eh()->phoff = SAMPLE_SIZE;
	assert_int_equal(check_sample(), ERR_ELF_TRUNCATED);
	eh()->phoff = sizeof(elf64_ehdr_t), ph(1)->offset = SAMPLE_SIZE - 0x1f;
	assert_int_equal(check_sample(), ERR_ELF_TRUNCATED);
}

static void test_wrong_machine_and_type(void **state)
{
	eh()->machine = 3; /* i386 */
	assert_int_equal(check_sample(), ERR_ELF_WRONG_MACHINE);
	eh()->machine = ELF_MACHINE_X86_64, eh()->type = 3; /* ET_DYN */
	assert_int_equal(check_sample(), ERR_ELF_NOT_EXECUTABLE);
	eh()->type = 1; /* ET_REL */
	assert_int_equal(check_sample(), ERR_ELF_NOT_EXECUTABLE);
}

static void test_bad_phentsize(void **state)
{
	const uint16_t sizes[] = {0, 1, 55, 57, 64, 0xffff};
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		eh()->phentsize = sizes[i];
		assert_int_equal(check_sample(), ERR_ELF_BAD_PHENTSIZE);
	}
	eh()->phnum = 0; /* even without program headers */
	eh()->phentsize = 0;
	assert_int_equal(check_sample(), ERR_ELF_BAD_PHENTSIZE);
}

static void test_overflow(void **state)
{
	eh()->phoff = ~0ull - 0x10;
	assert_int_equal(check_sample(), ERR_OVERFLOW);
	setup(state);
	ph(0)->offset = ~0ull - 0x3f + 1; /* offset + filesz is exactly 2^64 */
	assert_int_equal(check_sample(), ERR_OVERFLOW);
	setup(state);
	ph(2)->vaddr = ~0ull - 0x1000; /* vaddr + memsz wraps */
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_OVERFLOW);
}

static void test_bad_segment(void **state)
{
	ph(1)->filesz = ph(1)->memsz + 1;
	assert_int_equal(check_sample(), ERR_ELF_BAD_SEGMENT);
	ph(1)->memsz = 0; /* empty in memory, yet with file bytes */
	assert_int_equal(check_sample(), ERR_ELF_BAD_SEGMENT);
}

static void test_segment_outside(void **state)
{
	ph(2)->vaddr = LIMIT - 0x1000; /* 0x2000 bytes from one page below the limit */
	assert_int_equal(check_sample(), ERR_ELF_SEGMENT_OUTSIDE);
	assert_int_equal(check(SAMPLE_SIZE, LIMIT + 0x1000), ERR_OK);
	/* an unaligned limit: the segment's bytes fit, its last page does not */
	ph(2)->memsz = 0x1800;
	assert_int_equal(check(SAMPLE_SIZE, LIMIT + 0x800), ERR_ELF_SEGMENT_OUTSIDE);
	assert_int_equal(check(SAMPLE_SIZE, LIMIT + 0x1000), ERR_OK);
	setup(state);
	ph(1)->vaddr = USER_TOP; /* the kernel half, whatever the caller's limit */
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_ELF_SEGMENT_OUTSIDE);
	ph(1)->vaddr = 0xffffffff80000000ull;
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_ELF_SEGMENT_OUTSIDE);
	ph(1)->vaddr = ~0ull - 0x100; /* in the last page: rounding its end up would wrap */
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_ELF_SEGMENT_OUTSIDE);
	ph(1)->vaddr = USER_TOP - 0x10; /* straddling the end of the user half */
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_ELF_SEGMENT_OUTSIDE);
	ph(1)->vaddr = USER_TOP - 0x1000;
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_OK);
	ph(1)->memsz = 0x1001;
	assert_int_equal(check(SAMPLE_SIZE, ~0ull), ERR_ELF_SEGMENT_OUTSIDE);
}

static void test_write_exec(void **state)
{
	ph(2)->flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
	assert_int_equal(check_sample(), ERR_ELF_WRITE_EXEC);
	ph(2)->flags = ELF_PF_W | ELF_PF_X;
	assert_int_equal(check_sample(), ERR_ELF_WRITE_EXEC);
	setup(state);
	ph(0)->flags |= ELF_PF_W;
	assert_int_equal(check_sample(), ERR_ELF_WRITE_EXEC);
}

/* many_segments: n loadable segments of one page each, above a note at index 0. */
static void many_segments(unsigned n)
{
	eh()->phnum = n + 1;
	sample_segment(img, 0, SAMPLE_PT_NOTE, 0, 0, 0, 0, 0);
	for (unsigned i = 1; i <= n; i++)
		sample_segment(img, i, ELF_PT_LOAD, 0x340, 0x400000 + (i - 1) * 0x1000, 0x10, 0x20,
			       ELF_PF_R | ELF_PF_X);
}

static void test_too_many_segments(void **state)
{
	many_segments(ELF_MAX_SEGMENTS);
	assert_int_equal(check(BIG, LIMIT), ERR_OK);
	assert_int_equal(plan.count, ELF_MAX_SEGMENTS);
	many_segments(ELF_MAX_SEGMENTS + 1);
	assert_int_equal(check(BIG, LIMIT), ERR_ELF_TOO_MANY_SEGMENTS);
}

static void test_segments_overlap(void **state)
{
	ph(1)->vaddr = 0x400800; /* another byte range of the text's page */
	assert_int_equal(check_sample(), ERR_ELF_SEGMENTS_OVERLAP);
	ph(1)->vaddr = 0x400000; /* the same range */
	assert_int_equal(check_sample(), ERR_ELF_SEGMENTS_OVERLAP);
	ph(1)->vaddr = 0x401fff; /* the data's page after rounding down */
	ph(2)->vaddr = 0x402000;
	ph(1)->memsz = ph(1)->filesz = 2;
	assert_int_equal(check_sample(), ERR_ELF_SEGMENTS_OVERLAP);
	setup(state);
	ph(2)->vaddr = 0x3ff000; /* a later segment around all earlier ones */
	ph(2)->memsz = 0x10000;
	assert_int_equal(check_sample(), ERR_ELF_SEGMENTS_OVERLAP);
	setup(state);
	ph(1)->vaddr = 0x401000 - 0x20; /* rodata ends where the text's page ends */
	assert_int_equal(check_sample(), ERR_ELF_SEGMENTS_OVERLAP);
	ph(1)->vaddr = 0x401000;
	assert_int_equal(check_sample(), ERR_OK); /* adjacent pages are fine */
}

static void test_bad_entry(void **state)
{
	eh()->entry = 0x401000; /* in rodata */
	assert_int_equal(check_sample(), ERR_ELF_BAD_ENTRY);
	eh()->entry = 0x400040; /* one past the text */
	assert_int_equal(check_sample(), ERR_ELF_BAD_ENTRY);
	eh()->entry = 0x3fffff;
	assert_int_equal(check_sample(), ERR_ELF_BAD_ENTRY);
	eh()->entry = 0;
	assert_int_equal(check_sample(), ERR_ELF_BAD_ENTRY);
	eh()->entry = SAMPLE_ENTRY, eh()->phnum = 0; /* nothing to run */
	assert_int_equal(check_sample(), ERR_ELF_BAD_ENTRY);
}

static void test_page_fill(void **state)
{
	elf_segment_t s = {.vaddr = 0x400100, .memsz = 0x3000, .offset = 0x1100, .filesz = 0x1000};
	s.page_start = 0x400000, s.page_end = 0x404000;
	elf_fill_t f;
	elf_page_fill(&s, 0x400000, &f);
	assert_int_equal(f.page_offset, 0x100);
	assert_int_equal(f.image_offset, 0x1100);
	assert_int_equal(f.length, 0xf00);
	elf_page_fill(&s, 0x401000, &f);
	assert_int_equal(f.page_offset, 0);
	assert_int_equal(f.image_offset, 0x2000);
	assert_int_equal(f.length, 0x100);
	for (vaddr_t va = 0x402000; va < s.page_end; va += PAGE_SIZE) {
		elf_page_fill(&s, va, &f); /* bss only */
		assert_int_equal(f.length, 0);
		assert_int_equal(f.page_offset, 0);
		assert_int_equal(f.image_offset, 0);
	}
	s.filesz = 0;
	elf_page_fill(&s, 0x400000, &f);
	assert_int_equal(f.length, 0);
}

static void test_errors_named(void **state)
{
	const err_t errs[] = {
	    ERR_ELF_NOT_ELF64,	      ERR_ELF_TRUNCATED,     ERR_ELF_WRONG_MACHINE,
	    ERR_ELF_NOT_EXECUTABLE,   ERR_ELF_BAD_PHENTSIZE, ERR_ELF_BAD_SEGMENT,
	    ERR_ELF_SEGMENT_OUTSIDE,  ERR_ELF_WRITE_EXEC,    ERR_ELF_TOO_MANY_SEGMENTS,
	    ERR_ELF_SEGMENTS_OVERLAP, ERR_ELF_BAD_ENTRY};
	assert_string_equal(err_name(ERR_ELF_WRITE_EXEC), "ELF_WRITE_EXEC");
	for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		assert_int_equal(strncmp(err_name(errs[i]), "ELF_", 4), 0);
		assert_string_not_equal(err_str(errs[i]), "unknown error");
		assert_true(errs[i] > ERR_TIMEOUT && errs[i] < ERR_COUNT); /* old numbers stay */
	}
}

/* read_build_file: the build result at BUILD/path, malloc'ed; its size in *size. */
static uint8_t *read_build_file(const char *path, size_t *size)
{
	char name[256];
	const char *build = getenv("BUILD");
	snprintf(name, sizeof(name), "%s/%s", build ? build : "build", path);
	FILE *f = fopen(name, "rb");
	if (!f)
		fail_msg("cannot open %s (built by make before the tests)", name);
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	uint8_t *data = malloc(*size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, *size, f), *size);
	fclose(f);
	return data;
}

/* check_built: a linked program is one text, one rodata and one data segment from 4 MiB. */
static void check_built(const char *path, vaddr_t limit)
{
	size_t size;
	uint8_t *data = read_build_file(path, &size);
	assert_int_equal(elf_check(data, size, limit, &plan), ERR_OK);
	assert_int_equal(plan.count, 3);
	assert_int_equal(plan.segment[0].page_start, 0x400000);
	assert_int_equal(plan.segment[0].flags, ELF_PF_R | ELF_PF_X);
	assert_int_equal(plan.segment[1].flags, ELF_PF_R);
	assert_int_equal(plan.segment[2].flags, ELF_PF_R | ELF_PF_W);
	assert_true(plan.entry >= plan.segment[0].vaddr && plan.entry < plan.segment[0].page_end);
	uint64_t file_end = 0;
	for (unsigned i = 0; i < plan.count; i++)
		if (plan.segment[i].offset + plan.segment[i].filesz > file_end)
			file_end = plan.segment[i].offset + plan.segment[i].filesz;
	assert_int_equal(elf_check(data, file_end, limit, &plan), ERR_OK);
	assert_int_equal(elf_check(data, file_end - 1, limit, &plan), ERR_ELF_TRUNCATED);
	free(data);
}

static void test_built_programs(void **state)
{
	check_built("apps/hello/hello.elf", LIMIT);
	check_built("core/core.elf", 0x0000100000000000ull); /* below core's RAM window */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_valid_plan, setup),
	    cmocka_unit_test_setup(test_valid_variants, setup),
	    cmocka_unit_test_setup(test_not_elf64, setup),
	    cmocka_unit_test_setup(test_truncated, setup),
	    cmocka_unit_test_setup(test_wrong_machine_and_type, setup),
	    cmocka_unit_test_setup(test_bad_phentsize, setup),
	    cmocka_unit_test_setup(test_overflow, setup),
	    cmocka_unit_test_setup(test_bad_segment, setup),
	    cmocka_unit_test_setup(test_segment_outside, setup),
	    cmocka_unit_test_setup(test_write_exec, setup),
	    cmocka_unit_test_setup(test_too_many_segments, setup),
	    cmocka_unit_test_setup(test_segments_overlap, setup),
	    cmocka_unit_test_setup(test_bad_entry, setup),
	    cmocka_unit_test(test_page_fill),
	    cmocka_unit_test(test_errors_named),
	    cmocka_unit_test(test_built_programs),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
