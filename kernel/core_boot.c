/*
 * Starting core, the first user-mode program: its ELF image comes from the
 * boot module "core". Its PD, page tables, thread, stack, UTCB, boot-info
 * page and its window onto all free RAM are built from boot memory, which
 * never appears in the free list that core receives.
 */
#include <pd.h>
#include <thread.h>
#include <sched.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <kstring.h>
#include <panic.h>
#include <print.h>
#include <abi/slots.h>
#include <abi/utcb.h>
#include <abi/elf.h>

#define CORE_LEAVES 16
#define CORE_PRIORITY 24

extern obj_t kernel_object;

static paddr_t boot_kobj(void)
{
	return frame_boot_alloc(FRAME_KOBJ);
}

static const bootinfo_module_t *find_module(const bootinfo_t *bi, const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (!strcmp(bi->modules[i].name, name))
			return &bi->modules[i];
	return 0;
}

/* map_fresh: map a zeroed boot frame at va in pd; returns the frame. */
static paddr_t map_fresh(pd_t *pd, vaddr_t va, unsigned flags)
{
	paddr_t pa = frame_boot_alloc(FRAME_USER);
	if (vm_map(pd->root, va, pa, flags, boot_kobj) != ERR_OK)
		panic("core: cannot map %lx", va);
	frame_info(pa)->mapcount++;
	return pa;
}

/* load_segment: fresh frames for the pages of s, filled from image. */
static void load_segment(pd_t *pd, const uint8_t *image, const elf_segment_t *s)
{
	unsigned flags =
	    ((s->flags & ELF_PF_W) ? MAP_WRITE : 0) | ((s->flags & ELF_PF_X) ? MAP_EXEC : 0);
	for (vaddr_t va = s->page_start; va < s->page_end; va += PAGE_SIZE) {
		uint8_t *dst = vm_phys_to_virt(map_fresh(pd, va, flags));
		elf_fill_t f;
		elf_page_fill(s, va, &f);
		memcpy(dst + f.page_offset, image + f.image_offset, f.length);
	}
}

/*
 * load_elf: map core's segments below its physical window; returns the
 * entry point. Without core the system cannot run, so a refused image panics.
 */
static uint64_t load_elf(pd_t *pd, const bootinfo_module_t *m)
{
	const uint8_t *image = vm_phys_to_virt(m->base);
	elf_image_t plan;
	err_t e = elf_check(image, m->size, CORE_PHYS_WINDOW, &plan);
	if (e != ERR_OK)
		panic("core: module refused: %s (%s)", err_name(e), err_str(e));
	for (unsigned i = 0; i < plan.count; i++)
		load_segment(pd, image, &plan.segment[i]);
	return plan.entry;
}

/*
 * window_tables: an upper bound of the page-table frames for core's RAM
 * window, from the memory map alone: the free RAM is part of the available
 * ranges, and each reserved region (the kernel, the boot region, a module)
 * splits at most one free run in two.
 */
static uint64_t window_tables(const bootinfo_t *bi)
{
	uint64_t pages = 0, ranges = 2; /* the kernel's and the boot region's splits */
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_AVAILABLE)
			pages += bi->mem[i].size >> PAGE_SHIFT, ranges++;
	for (uint32_t i = 0; i < bi->module_count; i++, ranges += 2) /* a split, its own range */
		pages += (bi->modules[i].size >> PAGE_SHIFT) + 1;
	return pages / 512 + pages / (512 * 512) + 3 * ranges + 8;
}

static paddr_t pool_next, pool_end;

static paddr_t pool_alloc(void)
{
	if (pool_next >= pool_end)
		panic("core: window page-table estimate too small");
	paddr_t pa = pool_next;
	pool_next += PAGE_SIZE;
	return pa;
}

void core_start(bootinfo_t *bi)
{
	const bootinfo_module_t *m = find_module(bi, "core");
	if (!m) {
		kprintf("kernel: no boot module 'core', nothing to start, halting\n");
		arch_halt_forever();
	}
	pd_t *pd = pd_create(boot_kobj(), boot_kobj());
	strlcpy(pd->name, "core", sizeof(pd->name));
	for (int i = 0; i < CORE_LEAVES; i++)
		pd_grow(pd, boot_kobj());
	uint64_t entry = load_elf(pd, m);
	for (vaddr_t va = CORE_STACK_TOP - CORE_STACK_SIZE; va < CORE_STACK_TOP; va += PAGE_SIZE)
		map_fresh(pd, va, MAP_WRITE);
	paddr_t utcb = map_fresh(pd, CORE_UTCB, MAP_WRITE);
	paddr_t info = map_fresh(pd, CORE_BOOTINFO, 0);
	thread_t *t = thread_create(boot_kobj(), pd, CORE_PRIORITY);

	uint64_t n = window_tables(bi);
	pool_next = frame_boot_reserve(n);
	pool_end = pool_next + n * PAGE_SIZE;
	frame_publish_free(bi);
	vm_core_window_init(pd->root, bi, pool_alloc);
	bi->core_cap_slots = pd_slot_count(pd);
	memcpy(vm_phys_to_virt(info), bi, sizeof(*bi));

	cap_install(pd, SLOT_KERNEL, &kernel_object, RIGHTS_ALL, 0);
	cap_install(pd, SLOT_SELF_PD, &pd->head, RIGHTS_ALL, 0);
	cap_install(pd, SLOT_SELF_THREAD, &t->head, RIGHTS_ALL, 0);
	thread_start_t p = {.ip = entry,
			    .sp = CORE_STACK_TOP - 8,
			    .utcb_vaddr = CORE_UTCB,
			    .utcb_paddr = utcb,
			    .arg = CORE_BOOTINFO,
			    .name = "core"};
	obj_ref_t no_pager = {0, 0};
	thread_start(t, &p, no_pager, utcb);
	uint64_t free_kib = 0;
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_FREE)
			free_kib += bi->mem[i].size >> 10;
	kprintf("kernel: started core (entry %lx), %lu KiB free RAM handed over\n", entry,
		free_kib);
}
