/*
 * x86_64 4-level page tables.
 *
 * Invariants: the kernel half (PML4 entries 256..511) is the same in every
 * root because every root copies the kernel's PML4 entries and the kernel
 * never adds new ones after vm_init, with one exception: entry 510, the I/O
 * window (iomap.c), where the CPU finds the TSS and the running PD's I/O
 * permission bitmap. A root whose PD holds ports has its own tables there,
 * from frames core donated; every other root keeps the kernel's entry,
 * which maps an all-closed bitmap. Kernel mappings are supervisor-only and
 * global but for the bitmap pages of the I/O window; only the kernel text
 * is executable and nothing of the kernel is both writeable and
 * executable. User mappings never combine write and execute. Page-table
 * frames of user halves come from core (with the map call that needs them)
 * or, for core itself, from the boot allocator; they are zeroed when
 * claimed. A user half has 4 KiB pages and 2 MiB pages (PS at the
 * directory level); a table entry is never read as a page or a page as a
 * table (is_table).
 */
#include "cpu.h"
#include "x86.h"
#include "pte.h"
#include <vm.h>
#include <frame.h>
#include <kstring.h>
#include <panic.h>
#include <abi/syscall.h>
#include <abi/utcb.h>
#include <print.h>

_Static_assert(ARCH_LARGE_PAGE_SIZE == 512 * PAGE_SIZE, "a large page is one directory entry");
_Static_assert(ARCH_PHYS_LIMIT - 1 == (PTE_ADDR | 0xfff), "the physical address width");

#define CR4_PGE (1ull << 7)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)

static pte_t kernel_pml4[512] __attribute__((aligned(4096)));
static pte_t direct_pdpt[512] __attribute__((aligned(4096)));
static pte_t direct_pd[4][512] __attribute__((aligned(4096)));
static pte_t image_pdpt[512] __attribute__((aligned(4096)));
static pte_t image_pd[512] __attribute__((aligned(4096)));
#define IMAGE_PTS 4 /* the kernel image may span 8 MiB */
static pte_t image_pt[IMAGE_PTS][512] __attribute__((aligned(4096)));

pte_t vm_nx_bit;
static paddr_t core_root; /* for the RAM window */

extern const char kernel_image_start[], kernel_text_start[], kernel_text_end[];
extern const char kernel_rodata_start[], kernel_data_start[], kernel_image_end[];

static pte_t image_flags(uint64_t va)
{
	if (va >= (uint64_t)kernel_text_start && va < (uint64_t)kernel_text_end)
		return PTE_P | PTE_G;
	if (va >= (uint64_t)kernel_rodata_start && va < (uint64_t)kernel_data_start)
		return PTE_P | PTE_G | vm_nx_bit;
	if (va >= (uint64_t)kernel_data_start && va < (uint64_t)kernel_image_end)
		return PTE_P | PTE_W | PTE_G | vm_nx_bit;
	return PTE_P | PTE_W | PTE_G | vm_nx_bit; /* boot section: data only from now on */
}

static void map_image(void)
{
	uint64_t start = (uint64_t)kernel_image_start & ~0x1fffffull;
	uint64_t end = (uint64_t)kernel_image_end;
	if (end - start > IMAGE_PTS * 0x200000ull)
		panic("vm: kernel image larger than %d MiB", IMAGE_PTS * 2);
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t i = (va - start) >> PAGE_SHIFT;
		image_pt[i / 512][i % 512] = vm_virt_to_phys((void *)va) | image_flags(va);
	}
	unsigned pd0 = (start >> 21) & 511;
	for (int t = 0; t < IMAGE_PTS; t++)
		image_pd[pd0 + t] = vm_virt_to_phys(image_pt[t]) | PTE_P | PTE_W;
	image_pdpt[(start >> 30) & 511] = vm_virt_to_phys(image_pd) | PTE_P | PTE_W;
	kernel_pml4[511] = vm_virt_to_phys(image_pdpt) | PTE_P | PTE_W;
}

static void map_direct(void)
{
	for (int g = 0; g < 4; g++) {
		for (int i = 0; i < 512; i++) {
			uint64_t pa = ((uint64_t)g << 30) | ((uint64_t)i << 21);
			direct_pd[g][i] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | vm_nx_bit;
		}
		direct_pdpt[g] = vm_virt_to_phys(direct_pd[g]) | PTE_P | PTE_W;
	}
	kernel_pml4[256] = vm_virt_to_phys(direct_pdpt) | PTE_P | PTE_W;
}

void vm_init(const bootinfo_t *bi)
{
	uint32_t r[4];
	cpuid(0x80000001, 0, r);
	vm_nx_bit = (r[3] & (1u << 20)) ? PTE_NX : 0;
	map_image();
	map_direct();
	iomap_init(kernel_pml4);
	uint64_t cr4 = read_cr4() | CR4_PGE;
	cpuid(7, 0, r);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	write_cr3(vm_virt_to_phys(kernel_pml4));
	kprintf("vm: NX %s, SMEP %s, SMAP %s, direct map of %lu MiB\n", vm_nx_bit ? "on" : "off",
		(cr4 & CR4_SMEP) ? "on" : "off", (cr4 & CR4_SMAP) ? "on" : "off",
		(unsigned long)(VM_DIRECT_MAP_SIZE >> 20));
}

paddr_t vm_kernel_root(void)
{
	return vm_virt_to_phys(kernel_pml4);
}

void vm_root_init(paddr_t root)
{
	pte_t *pml4 = vm_phys_to_virt(root); /* zeroed when claimed: the user half is empty */
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
}

static unsigned index_at(vaddr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* span: the bytes one entry of a table at level maps. */
static uint64_t span(int level)
{
	return 1ull << (12 + 9 * level);
}

static pte_t *table_of(pte_t e)
{
	return vm_phys_to_virt(e & PTE_ADDR);
}

static int is_table(pte_t e, int level)
{
	return level > 0 && (e & PTE_P) && !(e & PTE_PS);
}

/*
 * descend: follow the tables from root towards va down to level leaf.
 * Returns the table at *level that holds va's entry: the leaf table when
 * *level == leaf, else the table whose entry for va is absent or a large
 * page.
 */
static pte_t *descend(paddr_t root, vaddr_t va, int leaf, int *level)
{
	pte_t *table = vm_phys_to_virt(root);
	int l = 3;
	for (; l > leaf && is_table(table[index_at(va, l)], l); l--)
		table = table_of(table[index_at(va, l)]);
	*level = l;
	return table;
}

static pte_t user_pte(paddr_t pa, unsigned flags)
{
	pte_t e = pa | PTE_P | PTE_U;
	if (flags & MAP_WRITE)
		e |= PTE_W;
	if (!(flags & MAP_EXEC))
		e |= vm_nx_bit;
	if (flags & MAP_UNCACHED)
		e |= PTE_PCD | PTE_PWT;
	return e;
}

err_t vm_map_check(paddr_t root, const vm_run_t *r, vm_map_plan_t *plan)
{
	int leaf = r->large ? 1 : 0, level;
	uint64_t size = span(leaf);
	if (r->count == 0 || r->count > 512)
		return ERR_INVALID_ARGS;
	if (((r->va | r->pa) & (size - 1)) || r->va >= USER_TOP ||
	    r->count * size > USER_TOP - r->va || r->pa >= VM_PHYS_LIMIT ||
	    r->count * size > VM_PHYS_LIMIT - r->pa)
		return ERR_BAD_ADDRESS;
	if (index_at(r->va, leaf) + r->count > 512 ||
	    ((r->flags & MAP_WRITE) && (r->flags & MAP_EXEC)))
		return ERR_INVALID_ARGS; /* the run must lie in one leaf table */
	pte_t *t = descend(root, r->va, leaf, &level);
	plan->table = t, plan->level = level, plan->tables = (unsigned)(level - leaf);
	if (level > leaf)
		return (t[index_at(r->va, level)] & PTE_P) ? ERR_EXISTS : ERR_OK; /* large page */
	const pte_t *slot = &t[index_at(r->va, leaf)];
	uint64_t fresh = 0;
	for (uint64_t i = 0; i < r->count; i++) {
		if (is_table(slot[i], leaf))
			return ERR_EXISTS; /* a table where a large page would go */
		fresh += !(slot[i] & PTE_P);
	}
	return fresh ? ERR_OK : ERR_EXISTS;
}

/*
 * The new pages are reported to mapped() in runs of consecutive ones, so
 * that the frame table is updated in one loop per run.
 */
uint64_t vm_map_run(const vm_map_plan_t *plan, const vm_run_t *r, paddr_t (*table)(void *ctx),
		    void *ctx, void (*mapped)(paddr_t pa, uint64_t frames))
{
	int leaf = r->large ? 1 : 0, level = plan->level;
	pte_t *t = plan->table;
	for (; level > leaf; level--) {
		paddr_t frame = table(ctx); /* zeroed: no entry present */
		t[index_at(r->va, level)] = frame | PTE_P | PTE_W | PTE_U;
		t = vm_phys_to_virt(frame);
	}
	uint64_t size = span(leaf), frames = size >> PAGE_SHIFT, done = 0, from = 0;
	pte_t e = user_pte(r->pa, r->flags) | (leaf ? PTE_PS : 0);
	pte_t *slot = &t[index_at(r->va, leaf)];
	for (uint64_t i = 0; i <= r->count; i++) {
		if (i < r->count && !(slot[i] & PTE_P)) {
			slot[i] = e + i * size; /* the address bits only: no carry into flags */
			done++;
			continue;
		}
		if (mapped && i > from)
			mapped(r->pa + from * size, (i - from) * frames);
		from = i + 1;
	}
	return done;
}

typedef struct {
	paddr_t (*alloc)(void);
} boot_tables_t;

/* boot_table: a table frame at boot; the boot pools do not all zero what they give. */
static paddr_t boot_table(void *ctx)
{
	paddr_t frame = ((boot_tables_t *)ctx)->alloc();
	memset(vm_phys_to_virt(frame), 0, PAGE_SIZE);
	return frame;
}

err_t vm_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, paddr_t (*alloc)(void))
{
	vm_run_t r = {va, pa, 1, flags, 0};
	boot_tables_t ctx = {alloc};
	vm_map_plan_t plan;
	err_t e = vm_map_check(root, &r, &plan);
	if (e == ERR_OK)
		vm_map_run(&plan, &r, boot_table, &ctx, 0);
	return e;
}

/*
 * Unmapping walks the tables of the range and skips absent ones, so its
 * cost follows what is mapped, not the size of the range. A call visits at
 * most u->budget entries (a large page counts as its 512 frames) and stops
 * only before a table or a large page, at a 2 MiB boundary at least: a
 * page table is always finished in the call that enters it. A table whose
 * whole span the walk covered is empty afterwards and is unlinked and
 * handed to the caller (at most VM_RELEASE_MAX per call); so is a table the
 * walk entered part-way and, once finished, finds empty (only above the
 * page-table level, to keep small unmaps free of the scan).
 */
typedef struct {
	vm_unmap_t *u;
	uint64_t budget;
	int live;	  /* root is loaded: the TLB may hold its entries */
	unsigned flushed; /* pages invalidated one by one */
	int reload;	  /* too many, or a table went: reload CR3 at the end */
} unmap_walk_t;

static void flush(unmap_walk_t *w, vaddr_t va)
{
	if (!w->live)
		return; /* not loaded: a switch to it flushes its entries */
	if (w->flushed++ < 32)
		invlpg(va);
	else
		w->reload = 1;
}

static int table_empty(const pte_t *t)
{
	for (int i = 0; i < 512; i++)
		if (t[i] & PTE_P)
			return 0;
	return 1;
}

/* release: unlink the empty table in *slot and hand it over; 0 if the list is full. */
static int release(unmap_walk_t *w, pte_t *slot)
{
	if (w->u->released_count == VM_RELEASE_MAX)
		return 0;
	w->u->released[w->u->released_count++] = *slot & PTE_ADDR;
	*slot = 0;
	w->reload |= w->live;
	return 1;
}

/*
 * unmap_ptes: clear the entries of page table t for [va, end), which lies
 * in it. Pages of consecutive frames go to unmapped() as one run.
 */
static void unmap_ptes(pte_t *t, vaddr_t va, vaddr_t end, unmap_walk_t *w)
{
	paddr_t run = 0;
	uint64_t frames = 0;
	w->budget -= (end - va) >> PAGE_SHIFT;
	for (unsigned i = index_at(va, 0); va < end; i++, va += PAGE_SIZE) {
		pte_t e = t[i];
		if (!(e & PTE_P))
			continue;
		t[i] = 0;
		flush(w, va);
		if (frames && (e & PTE_ADDR) == run + frames * PAGE_SIZE) {
			frames++;
			continue;
		}
		if (frames)
			w->u->unmapped(run, frames);
		run = e & PTE_ADDR, frames = 1;
	}
	if (frames)
		w->u->unmapped(run, frames);
}

static vaddr_t unmap_level(pte_t *t, int level, vaddr_t va, vaddr_t end, unmap_walk_t *w);

/*
 * unmap_child: the part [va, end) of the table in *slot (at level - 1),
 * whose span starts at cs. Returns where it stopped, the span's end when
 * it is done with the table.
 */
static vaddr_t unmap_child(pte_t *slot, int level, vaddr_t cs, vaddr_t va, vaddr_t end,
			   unmap_walk_t *w)
{
	vaddr_t ce = cs + span(level), to = end < ce ? end : ce;
	if (w->budget < 513 || w->u->released_count == VM_RELEASE_MAX)
		return va; /* stop before the table: the next call enters it */
	if (level == 1) {
		unmap_ptes(table_of(*slot), va, to, w);
	} else {
		vaddr_t stop = unmap_level(table_of(*slot), level - 1, va, to, w);
		if (stop < to)
			return stop; /* the budget ended inside it */
	}
	if (to < ce)
		return to; /* the range ends inside it: it stays */
	int empty = va == cs || (level > 1 && table_empty(table_of(*slot)));
	if (empty && !release(w, slot))
		return va; /* the list is full: the next call finds it empty again */
	return ce;
}

static vaddr_t unmap_level(pte_t *t, int level, vaddr_t va, vaddr_t end, unmap_walk_t *w)
{
	uint64_t size = span(level);
	while (va < end) {
		vaddr_t cs = va & ~(size - 1), next = cs + size;
		pte_t *slot = &t[index_at(va, level)];
		if (w->budget == 0)
			return va; /* never inside a page table: entering one needs 513 */
		if (is_table(*slot, level)) {
			w->budget--;
			vaddr_t stop = unmap_child(slot, level, cs, va, end, w);
			if (stop < next && stop < end)
				return stop;
		} else if (*slot & PTE_P) {
			if (w->budget < size >> PAGE_SHIFT)
				return va;
			w->budget -= size >> PAGE_SHIFT;
			pte_t e = *slot;
			*slot = 0; /* a large page goes as a whole */
			w->u->unmapped(e & PTE_ADDR & ~(size - 1), size >> PAGE_SHIFT);
			flush(w, cs);
		} else {
			w->budget--;
		}
		va = next;
	}
	return end;
}

/*
 * unmap_small: the common case of a range inside one page table that does
 * not cover all of it (nothing to release): straight down to that table.
 * 0 if the general walk must do it.
 */
static int unmap_small(paddr_t root, vaddr_t va, vaddr_t end, unmap_walk_t *w)
{
	int level;
	if ((va >> 21) != ((end - 1) >> 21) || end - va == span(1))
		return 0;
	pte_t *t = descend(root, va, 0, &level);
	if (level == 0)
		unmap_ptes(t, va, end, w);
	return level == 0 || !(t[index_at(va, level)] & PTE_P); /* else a large page */
}

vaddr_t vm_unmap(paddr_t root, vaddr_t va, vaddr_t end, vm_unmap_t *u)
{
	unmap_walk_t w = {u, u->budget, (read_cr3() & PTE_ADDR) == root, 0, 0};
	if (va >= end)
		return end;
	vaddr_t stop = unmap_small(root, va, end, &w)
			   ? end
			   : unmap_level(vm_phys_to_virt(root), 3, va, end, &w);
	u->budget = w.budget;
	if (w.reload)
		write_cr3(read_cr3());
	return stop < end ? stop : end;
}

err_t vm_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags)
{
	int level;
	if (va >= USER_TOP)
		return ERR_BAD_ADDRESS;
	pte_t *t = descend(root, va, 0, &level);
	pte_t e = t[index_at(va, level)];
	if (!(e & PTE_P))
		return ERR_NOT_MAPPED;
	uint64_t off = va & (span(level) - 1) & ~(PAGE_SIZE - 1);
	*pa = (e & PTE_ADDR & ~(span(level) - 1)) + off;
	*flags = ((e & PTE_W) ? MAP_WRITE : 0) | ((e & vm_nx_bit) && vm_nx_bit ? 0 : MAP_EXEC);
	return ERR_OK;
}

static void teardown_level(pte_t *table, int level, void (*page)(paddr_t, uint64_t),
			   void (*tab)(paddr_t))
{
	for (int i = 0; i < 512; i++) {
		pte_t e = table[i];
		if (!(e & PTE_P))
			continue;
		if (!is_table(e, level)) {
			page(e & PTE_ADDR & ~(span(level) - 1), span(level) >> PAGE_SHIFT);
			continue;
		}
		teardown_level(table_of(e), level - 1, page, tab);
		tab(e & PTE_ADDR);
	}
}

void vm_teardown(paddr_t root, void (*page)(paddr_t, uint64_t), void (*table)(paddr_t))
{
	pte_t *pml4 = vm_phys_to_virt(root);
	for (int i = 0; i < 256; i++) {
		pte_t e = pml4[i];
		if (!(e & PTE_P))
			continue;
		teardown_level(table_of(e), 2, page, table);
		table(e & PTE_ADDR);
		pml4[i] = 0;
	}
}

/*
 * window_range: map [pa, end) at CORE_PHYS_WINDOW + pa, one leaf table's
 * worth of pages per step: one descent per 2 MiB instead of one per page.
 */
static void window_range(paddr_t root, paddr_t pa, paddr_t end, unsigned flags,
			 paddr_t (*alloc)(void))
{
	boot_tables_t ctx = {alloc};
	while (pa < end) {
		vaddr_t va = CORE_PHYS_WINDOW + pa;
		uint64_t room = 512 - index_at(va, 0), pages = (end - pa) >> PAGE_SHIFT;
		vm_run_t r = {va, pa, pages < room ? pages : room, flags, 0};
		vm_map_plan_t plan;
		err_t e = vm_map_check(root, &r, &plan);
		if (e != ERR_OK)
			panic("vm: cannot map %lx into core's window: %s", pa, err_name(e));
		vm_map_run(&plan, &r, boot_table, &ctx, 0);
		pa += r.count << PAGE_SHIFT;
	}
}

void vm_core_window_init(paddr_t root, const bootinfo_t *bi, paddr_t (*alloc)(void))
{
	core_root = root;
	for (uint32_t i = 0; i < bi->mem_count; i++) {
		const bootinfo_mem_t *m = &bi->mem[i];
		if (m->type == BOOTINFO_MEM_FREE)
			window_range(root, m->base, m->base + m->size, MAP_WRITE, alloc);
	}
	for (uint32_t i = 0; i < bi->module_count; i++) { /* boot modules: read-only */
		const bootinfo_module_t *m = &bi->modules[i];
		window_range(root, m->base & ~(PAGE_SIZE - 1),
			     (m->base + m->size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), 0, alloc);
	}
}

/* The window PTE for pa; the window's tables all exist from boot on. */
static pte_t *window_slot(paddr_t pa)
{
	int level;
	pte_t *t = descend(core_root, CORE_PHYS_WINDOW + pa, 0, &level);
	return level == 0 ? &t[index_at(CORE_PHYS_WINDOW + pa, 0)] : 0;
}

int vm_core_window_overlaps(paddr_t root, vaddr_t va, vaddr_t end)
{
	return root == core_root && va < CORE_PHYS_WINDOW + VM_DIRECT_MAP_SIZE &&
	       end > CORE_PHYS_WINDOW;
}

void vm_core_window_map(paddr_t pa)
{
	pte_t *slot = window_slot(pa);
	if (slot)
		*slot = user_pte(pa, MAP_WRITE);
}

void vm_core_window_unmap(paddr_t pa)
{
	pte_t *slot = window_slot(pa);
	if (!slot)
		return;
	*slot = 0;
	if ((read_cr3() & PTE_ADDR) == core_root)
		invlpg(CORE_PHYS_WINDOW + pa);
}

err_t vm_copy_from_user(paddr_t root, void *dst, vaddr_t src, size_t len)
{
	if (src >= USER_TOP || len > USER_TOP - src)
		return ERR_BAD_ADDRESS;
	char *d = dst;
	while (len) {
		paddr_t pa;
		unsigned flags;
		frame_info_t *f;
		if (vm_lookup(root, src, &pa, &flags) != ERR_OK || !(f = frame_info(pa)) ||
		    f->type != FRAME_USER)
			return ERR_BAD_ADDRESS; /* unmapped, or device memory */
		size_t off = src & (PAGE_SIZE - 1);
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		memcpy(d, (char *)vm_phys_to_virt(pa) + off,
		       n); /* through the direct map: no SMAP issue */
		d += n;
		src += n;
		len -= n;
	}
	return ERR_OK;
}
