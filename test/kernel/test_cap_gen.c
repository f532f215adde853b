/*
 * Host unit tests for frame generations and capability liveness
 * (kernel/frame.c and kernel/cap.c, compiled unchanged over a RAM buffer).
 * A component can make core create and destroy objects in one frame as
 * often as it likes; the generation must move on past 2^32 rather than
 * wrap, so that a capability recorded at 0 stays dead.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <frame.h>
#include <object.h>
#include <pd.h>
#include <panic.h>

#define RAM_SIZE (8u << 20)
#define KERNEL_IMAGE 0x100000u /* [1 MiB, 2 MiB): the pretended kernel image */

char *test_direct_map;
obj_t kernel_object = {OBJ_KERNEL};
static bootinfo_t bi;
static unsigned window_maps, window_unmaps;

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fail_msg("kernel panic");
	abort();
}

void arch_page_zero(void *page)
{
	memset(page, 0, PAGE_SIZE);
}

void vm_core_window_map(paddr_t pa)
{
	window_maps++;
}

void vm_core_window_unmap(paddr_t pa)
{
	window_unmaps++;
}

/* setup: fresh 8 MiB of RAM with a kernel image at 1 MiB; the frame table built by frame_init. */
static int setup(void **state)
{
	test_direct_map = aligned_alloc(PAGE_SIZE, RAM_SIZE);
	if (!test_direct_map)
		return -1;
	bi = (bootinfo_t){.magic = BOOTINFO_MAGIC, .mem_count = 1};
	bi.mem[0] = (bootinfo_mem_t){.base = 0, .size = RAM_SIZE, .type = BOOTINFO_MEM_AVAILABLE};
	bi.kernel_start = KERNEL_IMAGE;
	bi.kernel_end = 2 * KERNEL_IMAGE;
	frame_init(&bi);
	frame_publish_free(&bi);
	return 0;
}

static int teardown(void **state)
{
	free(test_direct_map);
	return 0;
}

/* free_frame: the n-th frame frame_publish_free handed to core. */
static paddr_t free_frame(unsigned n)
{
	for (uint32_t i = 0; i < bi.mem_count; i++)
		if (bi.mem[i].type == BOOTINFO_MEM_FREE)
			return bi.mem[i].base + n * PAGE_SIZE;
	fail_msg("no free RAM published");
	return 0;
}

/* object_make: claim frame pa and put an object of type at its start, as the create calls do. */
static obj_t *object_make(paddr_t pa, uint8_t type)
{
	assert_int_equal(frame_claim(pa), ERR_OK);
	obj_t *o = frame_object((uint32_t)(pa >> PAGE_SHIFT));
	o->type = type;
	return o;
}

/* pd_make: a PD with nothing but its inline capability slots, in frame pa. */
static pd_t *pd_make(paddr_t pa)
{
	return (pd_t *)object_make(pa, OBJ_PD);
}

static int slot_live(pd_t *pd, cap_t slot)
{
	cap_entry_t *e;
	return cap_lookup(pd, slot, OBJ_NONE, 0, &e) == ERR_OK;
}

static void test_widths(void **state)
{
	assert_int_equal(sizeof(frame_table[0].gen), 8);
	assert_int_equal(sizeof(((cap_entry_t *)0)->gen), 8);
	assert_int_equal(sizeof(((obj_ref_t *)0)->gen), 8);
	assert_int_equal(sizeof(cap_entry_t), 24);
	assert_int_equal(sizeof(frame_info_t), 16);
}

static void test_release_bumps_and_kills(void **state)
{
	pd_t *pd = pd_make(free_frame(0));
	paddr_t pa = free_frame(1);
	obj_t *ep = object_make(pa, OBJ_ENDPOINT);
	assert_int_equal(cap_install(pd, 1, ep, RIGHTS_ALL, 7), ERR_OK);
	assert_true(slot_live(pd, 1));
	assert_ptr_equal(cap_entry_obj(cap_slot(pd, 1)), ep);
	frame_gen_t before = frame_info(pa)->gen;
	frame_release(pa);
	assert_true(frame_info(pa)->gen == before + 1);
	assert_int_equal(frame_info(pa)->type, FRAME_USER);
	assert_false(slot_live(pd, 1));
	assert_int_equal(cap_delete(pd, 1), ERR_OK);
	frame_release(free_frame(0));
}

/*
 * The frame's generation stands at 2^32 - 1, as after that many objects
 * came and went in it (4 billion rounds of the real calls would take too
 * long here). One more object must take it to 2^32, where a 32-bit
 * generation would have wrapped to 0, the value the first capability holds.
 */
static void test_generation_passes_2_32(void **state)
{
	pd_t *pd = pd_make(free_frame(0));
	paddr_t pa = free_frame(1);
	frame_info(pa)->gen = 0;
	assert_int_equal(cap_install(pd, 1, object_make(pa, OBJ_ENDPOINT), RIGHTS_ALL, 1), ERR_OK);
	frame_release(pa);

	frame_info(pa)->gen = UINT32_MAX;
	assert_int_equal(cap_install(pd, 2, object_make(pa, OBJ_SIGNAL), RIGHTS_ALL, 2), ERR_OK);
	assert_true(cap_slot(pd, 2)->gen == UINT32_MAX);
	assert_true(slot_live(pd, 2));
	frame_release(pa);
	assert_true(frame_info(pa)->gen == (frame_gen_t)1 << 32);
	assert_false(slot_live(pd, 2));

	obj_t *ep = object_make(pa, OBJ_ENDPOINT);
	assert_int_equal(cap_install(pd, 3, ep, RIGHTS_ALL, 3), ERR_OK);
	assert_true(cap_slot(pd, 3)->gen == (frame_gen_t)1 << 32);
	assert_true(slot_live(pd, 3));
	assert_false(slot_live(pd, 1)); /* recorded at 0, the same type: still dead */
	assert_false(slot_live(pd, 2));
	cap_entry_t *e;
	assert_int_equal(cap_lookup(pd, 1, OBJ_ENDPOINT, 0, &e), ERR_INVALID_CAP);

	/* a copy carries the full generation */
	assert_int_equal(cap_copy(pd, 4, cap_slot(pd, 1)), ERR_OK);
	assert_false(slot_live(pd, 4));
	assert_int_equal(cap_copy(pd, 5, cap_slot(pd, 3)), ERR_OK);
	assert_true(slot_live(pd, 5));
	assert_ptr_equal(cap_entry_obj(cap_slot(pd, 5)), ep);
	frame_release(pa);
	frame_release(free_frame(0));
}

static void test_ref_passes_2_32(void **state)
{
	paddr_t pa = free_frame(2);
	frame_info(pa)->gen = 0;
	obj_ref_t old = obj_ref_make(object_make(pa, OBJ_SIGNAL));
	assert_non_null(obj_ref_get(old, OBJ_SIGNAL));
	frame_release(pa);
	assert_null(obj_ref_get(old, OBJ_SIGNAL));
	frame_info(pa)->gen = UINT32_MAX;
	object_make(pa, OBJ_SIGNAL);
	frame_release(pa); /* the 2^32nd object in the frame dies */
	obj_t *s = object_make(pa, OBJ_SIGNAL);
	assert_null(obj_ref_get(old, OBJ_SIGNAL));
	assert_ptr_equal(obj_ref_get(obj_ref_make(s), OBJ_SIGNAL), s);
	frame_release(pa);
}

/* The kernel object has no frame: its capability is live by type, whatever frame 0 says. */
static void test_kernel_object_by_type(void **state)
{
	pd_t *pd = pd_make(free_frame(0));
	assert_int_equal(cap_install(pd, 1, &kernel_object, RIGHTS_ALL, 0), ERR_OK);
	cap_entry_t *e;
	assert_int_equal(cap_lookup(pd, 1, OBJ_KERNEL, 0, &e), ERR_OK);
	assert_int_equal(e->pfn, 0);
	frame_table[0].gen = 5;
	assert_int_equal(cap_lookup(pd, 1, OBJ_KERNEL, 0, &e), ERR_OK);
	frame_table[0].gen = 0;
	frame_release(free_frame(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_widths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_release_bumps_and_kills, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generation_passes_2_32, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ref_passes_2_32, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kernel_object_by_type, setup, teardown),
	};
	return cmocka_run_group_tests_name("kernel_cap_gen", tests, NULL, NULL);
}
