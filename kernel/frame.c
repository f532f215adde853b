/*
 * Frame table and the boot allocator. The table is sized for the highest
 * available RAM address and itself lives in RAM taken at boot. Boot
 * allocations come from the top of the largest free region and are never
 * handed to core; everything else above 1 MiB that is available and not the
 * kernel image or a module is published to core as free.
 */
#include <frame.h>
#include <arch.h>
#include <kstring.h>
#include <panic.h>
#include <print.h>
#include <vm.h>

#define LOW_LIMIT 0x100000ull /* below 1 MiB: BIOS, VGA; never handed out */

frame_info_t *frame_table;
uint64_t frame_table_size;
#define table frame_table
#define table_frames frame_table_size
static paddr_t boot_lo, boot_hi; /* boot allocations come from [boot_lo, boot_hi), downwards */
static paddr_t boot_used_lo;

static paddr_t align_up(paddr_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static paddr_t align_down(paddr_t a)
{
	return a & ~(PAGE_SIZE - 1);
}

/* Reserved ranges that free RAM must avoid: low memory, kernel, modules. */
static paddr_t modules_lo, modules_hi; /* the span of all boot modules */

/* note_modules: their span, so that a page outside it is not compared with each. */
static void note_modules(const bootinfo_t *bi)
{
	modules_lo = ~(paddr_t)0, modules_hi = 0;
	for (uint32_t i = 0; i < bi->module_count; i++) {
		const bootinfo_module_t *m = &bi->modules[i];
		modules_lo = align_down(m->base) < modules_lo ? align_down(m->base) : modules_lo;
		modules_hi = align_up(m->base + m->size) > modules_hi ? align_up(m->base + m->size)
								      : modules_hi;
	}
}

/* overlaps_reserved: [a, b) holds low memory, the kernel or a boot module. Called per page. */
static int overlaps_reserved(const bootinfo_t *bi, paddr_t a, paddr_t b)
{
	if (a < LOW_LIMIT)
		return 1;
	if (a < bi->kernel_end && b > bi->kernel_start)
		return 1;
	if (a >= modules_hi || b <= modules_lo)
		return 0;
	for (uint32_t i = 0; i < bi->module_count; i++) {
		paddr_t ms = align_down(bi->modules[i].base);
		paddr_t me = align_up(bi->modules[i].base + bi->modules[i].size);
		if (a < me && b > ms)
			return 1;
	}
	return 0;
}

/* find_boot_region: the largest available run of unreserved pages. */
static void find_boot_region(const bootinfo_t *bi)
{
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type != BOOTINFO_MEM_AVAILABLE)
			continue;
		paddr_t run = 0;
		for (paddr_t p = align_up(m->base); p + PAGE_SIZE <= m->base + m->size;
		     p += PAGE_SIZE) {
			if (overlaps_reserved(bi, p, p + PAGE_SIZE)) {
				run = 0;
				continue;
			}
			if (!run)
				run = p;
			if (p + PAGE_SIZE - run > boot_hi - boot_lo) {
				boot_lo = run;
				boot_hi = p + PAGE_SIZE;
			}
		}
	}
	if (boot_hi - boot_lo < (4u << 20))
		panic("frame: less than 4 MiB of usable RAM");
	boot_used_lo = boot_hi;
}

void frame_init(bootinfo_t *bi)
{
	paddr_t top = 0;
	for (uint32_t i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOTINFO_MEM_AVAILABLE &&
		    bi->mem[i].base + bi->mem[i].size > top)
			top = bi->mem[i].base + bi->mem[i].size;
	if (top > VM_DIRECT_MAP_SIZE)
		top = VM_DIRECT_MAP_SIZE; /* RAM beyond the direct map is not used */
	note_modules(bi);
	find_boot_region(bi);
	table_frames = top >> PAGE_SHIFT;
	uint64_t bytes = align_up(table_frames * sizeof(frame_info_t));
	boot_used_lo -= bytes;
	table = vm_phys_to_virt(boot_used_lo);
	memset(table, 0, bytes);
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type != BOOTINFO_MEM_AVAILABLE)
			continue;
		paddr_t from = align_up(m->base) < LOW_LIMIT ? LOW_LIMIT : align_up(m->base);
		for (paddr_t p = from; p + PAGE_SIZE <= m->base + m->size && p < top;
		     p += PAGE_SIZE)
			table[p >> PAGE_SHIFT].type =
			    FRAME_USER; /* low memory stays device memory */
	}
	for (paddr_t p = align_down(bi->kernel_start); p < bi->kernel_end; p += PAGE_SIZE)
		table[p >> PAGE_SHIFT].type = FRAME_KERNEL;
	for (paddr_t p = boot_used_lo; p < boot_hi; p += PAGE_SIZE)
		table[p >> PAGE_SHIFT].type = FRAME_KERNEL;
}

paddr_t frame_boot_alloc(enum frame_type type)
{
	if (boot_used_lo - PAGE_SIZE < boot_lo)
		panic("frame: boot memory exhausted");
	boot_used_lo -= PAGE_SIZE;
	table[boot_used_lo >> PAGE_SHIFT].type = type;
	arch_page_zero(vm_phys_to_virt(boot_used_lo));
	return boot_used_lo;
}

paddr_t frame_boot_reserve(uint64_t n)
{
	if (boot_used_lo - n * PAGE_SIZE < boot_lo)
		panic("frame: boot memory exhausted");
	boot_used_lo -= n * PAGE_SIZE;
	for (uint64_t i = 0; i < n; i++)
		table[(boot_used_lo >> PAGE_SHIFT) + i].type = FRAME_KOBJ;
	return boot_used_lo;
}

/* publish_run: add [a, b) as free RAM unless empty. */
static void publish_run(bootinfo_t *bi, paddr_t a, paddr_t b)
{
	if (a >= b)
		return;
	if (bi->mem_count == BOOTINFO_MAX_MEM)
		panic("frame: too many memory ranges");
	bootinfo_mem_t *m = &bi->mem[bi->mem_count++];
	m->base = a;
	m->size = b - a;
	m->type = BOOTINFO_MEM_FREE;
}

void frame_publish_free(bootinfo_t *bi)
{
	paddr_t run = 0;
	for (uint64_t pfn = 0; pfn < table_frames; pfn++) {
		paddr_t p = pfn << PAGE_SHIFT;
		int is_free = table[pfn].type == FRAME_USER &&
			      !overlaps_reserved(bi, p, p + PAGE_SIZE) &&
			      !(p >= boot_used_lo && p < boot_hi);
		if (is_free && !run)
			run = p;
		if (!is_free && run) {
			publish_run(bi, run, p);
			run = 0;
		}
	}
	if (run)
		publish_run(bi, run, table_frames << PAGE_SHIFT);
}

err_t frame_claim(paddr_t paddr)
{
	frame_info_t *f = frame_info(paddr);
	if ((paddr & (PAGE_SIZE - 1)) || !f)
		return ERR_BAD_ADDRESS;
	if (f->type != FRAME_USER || f->mapcount)
		return ERR_BUSY;
	f->type = FRAME_KOBJ;
	vm_core_window_unmap(paddr);
	arch_page_zero(vm_phys_to_virt(paddr));
	return ERR_OK;
}

void frame_release(paddr_t paddr)
{
	frame_info_t *f = frame_info(paddr);
	ASSERT(f && f->type == FRAME_KOBJ);
	f->gen++;	      /* 64 bits: it never comes round to a value a capability holds */
	f->type = FRAME_USER; /* core zeroes what it hands out, the kernel what it claims */
	vm_core_window_map(paddr);
}

/* frames_in_ram: the entries of the frames from pa that the table has (the rest is not RAM). */
static frame_info_t *frames_in_ram(paddr_t pa, uint64_t *frames)
{
	uint64_t pfn = pa >> PAGE_SHIFT;
	if (pfn >= frame_table_size)
		return *frames = 0, (frame_info_t *)0;
	if (*frames > frame_table_size - pfn)
		*frames = frame_table_size - pfn;
	return &frame_table[pfn];
}

err_t frame_mappable(paddr_t pa, uint64_t frames)
{
	frame_info_t *f = frames_in_ram(pa, &frames);
	for (uint64_t i = 0; i < frames; i++)
		if (f[i].type == FRAME_KOBJ || f[i].type == FRAME_KERNEL)
			return ERR_DENIED;
	return ERR_OK;
}

void frame_mapped(paddr_t pa, uint64_t frames)
{
	frame_info_t *f = frames_in_ram(pa, &frames);
	for (uint64_t i = 0; i < frames; i++)
		f[i].mapcount++;
}

void frame_unmapped(paddr_t pa, uint64_t frames)
{
	frame_info_t *f = frames_in_ram(pa, &frames);
	for (uint64_t i = 0; i < frames; i++)
		f[i].mapcount -= f[i].mapcount != 0;
}
