/*
 * FPU, SSE and AVX state of user threads.
 *
 * A thread has no FPU state until it first touches the FPU: CR0.TS is set
 * whenever such a thread runs, so its first FPU instruction raises #NM and
 * the kernel gives it a clean state (arch_fpu_first_use). From then on the
 * state moves eagerly on switches, but only between threads that use it:
 * the registers keep the state of `owner` until another FPU thread runs, so
 * a round trip between an FPU thread and one that never used the FPU (or
 * core, which never does) saves and restores nothing, and one between two
 * threads without FPU state does not even toggle CR0.TS.
 *
 * Invariants: owner is NULL or a live thread with fpu_used whose state is
 * in the registers (its saved area may be older); CR0.TS is clear exactly
 * when arch_fpu_live is set, and then the running thread is the owner.
 * XSAVE is used where the CPU has it (x87, SSE and AVX in XCR0), FXSAVE
 * otherwise. The move between two FPU threads, the common case, is inline
 * in arch_thread_switch (XSAVEOPT, XRSTOR); everything else comes here.
 */
#include "cpu.h"
#include "x86.h"
#include <arch/thread.h>
#include <kstring.h>
#include <panic.h>
#include <print.h>

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87 0x1
#define XCR0_SSE 0x2
#define XCR0_AVX 0x4
#define MXCSR_DEFAULT 0x1f80
#define FCW_DEFAULT 0x037f

uint8_t arch_fsgsbase, arch_fpu_live, arch_fpu_xsaveopt;
arch_thread_t *arch_fpu_owner;
#define owner arch_fpu_owner
#define use_xsaveopt arch_fpu_xsaveopt
static uint8_t use_xsave;
static uint64_t xcr0;

/* The state a thread starts with: x87 and MXCSR defaults, every register zero. */
static uint8_t init_area[ARCH_FPU_AREA_MAX] __attribute__((aligned(64)));

#define area_of arch_fpu_area

static void save(void *area)
{
	uint32_t lo = (uint32_t)xcr0, hi = (uint32_t)(xcr0 >> 32);
	if (use_xsaveopt)
		__asm__ volatile("xsaveopt64 (%0)" ::"r"(area), "a"(lo), "d"(hi) : "memory");
	else if (use_xsave)
		__asm__ volatile("xsave64 (%0)" ::"r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static void restore(const void *area)
{
	uint32_t lo = (uint32_t)xcr0, hi = (uint32_t)(xcr0 >> 32);
	if (use_xsave)
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"(lo), "d"(hi) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

static void set_ts(void)
{
	write_cr0(read_cr0() | CR0_TS);
	arch_fpu_live = 0;
}

static void clear_ts(void)
{
	__asm__ volatile("clts" ::: "memory");
	arch_fpu_live = 1;
}

/* make_owner: the registers hold t's state from now on. */
static void make_owner(arch_thread_t *t, const void *state)
{
	if (!arch_fpu_live)
		clear_ts(); /* XSAVE and XRSTOR fault with TS set */
	if (owner)
		save(area_of(owner));
	restore(state);
	owner = t;
}

void arch_fpu_switch(arch_thread_t *next)
{
	if (!next->fpu_used) {
		set_ts(); /* the registers keep the owner's state, out of next's reach */
		return;
	}
	if (owner != next)
		make_owner(next, area_of(next));
	else if (!arch_fpu_live)
		clear_ts();
}

void arch_fpu_first_use(arch_thread_t *t)
{
	if (t->fpu_used)
		panic("fpu: #NM for a thread that has FPU state");
	t->fpu_used = 1;
	make_owner(t, init_area);
}

void arch_thread_gone(arch_thread_t *t)
{
	if (owner == t)
		owner = 0;
}

/*
 * arch_zero: with AVX, 256 bytes per loop of eight 32-byte stores. The
 * registers hold the owner's state (or stale values under CR0.TS): it is
 * saved first and the owner forgotten, so that its next switch restores
 * it; CR0.TS is set again before returning, as no thread owns the FPU.
 */
void arch_zero(void *dst, uint64_t size)
{
	if (!(xcr0 & XCR0_AVX)) {
		uint64_t words = size / 8;
		__asm__ volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(0ull) : "memory");
		return;
	}
	if (!arch_fpu_live)
		clear_ts();
	if (owner)
		save(area_of(owner));
	owner = 0;
	uint8_t *p = dst, *end = p + size;
	__asm__ volatile("vpxor %%ymm0, %%ymm0, %%ymm0" ::: "memory");
	for (; p < end; p += 256)
		__asm__ volatile("vmovdqa %%ymm0, 0(%0)\n\tvmovdqa %%ymm0, 32(%0)\n\t"
				 "vmovdqa %%ymm0, 64(%0)\n\tvmovdqa %%ymm0, 96(%0)\n\t"
				 "vmovdqa %%ymm0, 128(%0)\n\tvmovdqa %%ymm0, 160(%0)\n\t"
				 "vmovdqa %%ymm0, 192(%0)\n\tvmovdqa %%ymm0, 224(%0)" ::"r"(p)
				 : "memory");
	set_ts();
}

void arch_fs_base_switch(arch_thread_t *prev, arch_thread_t *next)
{
	(void)prev; /* without FSGSBASE user code can change neither base: GS stays 0 */
	wrmsr(MSR_FS_BASE, next->fs_base);
}

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* fpu_init: enable SSE (and XSAVE with AVX where present), TS set: no thread owns the FPU. */
void fpu_init(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (r[2] & (1u << 26)) { /* XSAVE */
		use_xsave = 1;
		xcr0 = XCR0_X87 | XCR0_SSE | ((r[2] & (1u << 28)) ? XCR0_AVX : 0);
		cr4 |= CR4_OSXSAVE;
	}
	uint32_t r7[4];
	cpuid(7, 0, r7);
	if (r7[1] & 1u) { /* FSGSBASE */
		arch_fsgsbase = 1;
		cr4 |= CR4_FSGSBASE;
	}
	write_cr4(cr4);
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE);
	uint32_t size = 512;
	if (use_xsave) {
		xsetbv(0, xcr0);
		cpuid(0xd, 0, r);
		size = r[1]; /* for the features enabled in XCR0 */
		cpuid(0xd, 1, r);
		use_xsaveopt = r[0] & 1;
	}
	if (size > ARCH_FPU_AREA_MAX)
		panic("fpu: state of %u bytes does not fit the thread frame", size);
	memset(init_area, 0, sizeof(init_area));
	*(uint16_t *)init_area = FCW_DEFAULT;
	*(uint32_t *)(init_area + 24) = MXCSR_DEFAULT; /* XSTATE_BV 0: the rest in init state */
	set_ts();
	kprintf("fpu: %s, %u bytes of state per thread%s, FSGSBASE %s\n",
		use_xsave ? (xcr0 & XCR0_AVX ? "XSAVE with AVX" : "XSAVE") : "FXSAVE", size,
		use_xsaveopt ? " (XSAVEOPT)" : "", arch_fsgsbase ? "on" : "off");
}
