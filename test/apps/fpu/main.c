/*
 * run/fpu: threads of two components (this program started twice) compute
 * with doubles while preempting each other and must get exact results;
 * each thread holds its own values in the SSE, AVX, x87 and MMX registers
 * across many switches and must find them unchanged; and a thread's first
 * look at the FPU finds a clean state, never another thread's values (the
 * channel through mm0 that a shared FPU would open between components).
 * Each also keeps a GS base of its own (wrgsbase) across the switches.
 * Meanwhile another thread keeps core allocating and zeroing dataspaces,
 * which the kernel does with the AVX registers it borrows.
 * Results go to the LOG session, so core labels them with the component.
 */
#include <log.h>
#include <env.h>
#include <mem.h>
#include <parent.h>

#define THREADS 3
#define ROUNDS 40
#define SWITCHES 50 /* yields per register round; the timer preempts in between */

static env_t *the_env;
static uint8_t stacks[THREADS + 1][16384] __attribute__((aligned(16)));
static volatile unsigned finished, failures;
static int have_avx;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char line[200];
	va_list ap;
	va_start(ap, fmt);
	format_vbuf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_session_write(the_env->log, line);
}

static void fail(word_t t, const char *what)
{
	__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	report("FAIL: thread %lu: %s", t, what);
}

/* spin_and_yield: switches to other threads, both by yielding and by preemption. */
#define SPIN_AND_YIELD                                                     \
	"mov $" XSTR(SWITCHES) ", %%r12d\n"                                \
			       "1: mov $20000, %%ecx\n"                    \
			       "2: dec %%ecx\n jnz 2b\n"                   \
			       "mov $4, %%eax\n syscall\n" /* SYS_YIELD */ \
			       "dec %%r12d\n jnz 1b\n"
#define XSTR(x) STR(x)
#define STR(x) #x
#define SYSCALL_CLOBBERS \
	"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "memory"

/* hold_sse: xmm0..15 (and the upper ymm halves with AVX) keep in[] across switches. */
static int hold_sse(const uint64_t in[64], uint64_t out[64])
{
	if (have_avx) {
		__asm__ volatile(
#define L(i) "vmovdqu " #i "*32(%0), %%ymm" #i "\n"
		    L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7) L(8) L(9) L(10) L(11) L(12) L(13) L(14)
			L(15)
#undef L
			    SPIN_AND_YIELD
#define S(i) "vmovdqu %%ymm" #i ", " #i "*32(%1)\n"
				S(0) S(1) S(2) S(3) S(4) S(5) S(6) S(7) S(8) S(9) S(10) S(11) S(12)
				    S(13) S(14) S(15)
#undef S
		    :
		    : "r"(in), "r"(out)
		    : SYSCALL_CLOBBERS);
		return 64;
	}
	__asm__ volatile(
#define L(i) "movdqu " #i "*16(%0), %%xmm" #i "\n"
	    L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7) L(8) L(9) L(10) L(11) L(12) L(13) L(14) L(15)
#undef L
		SPIN_AND_YIELD
#define S(i) "movdqu %%xmm" #i ", " #i "*16(%1)\n"
		    S(0) S(1) S(2) S(3) S(4) S(5) S(6) S(7) S(8) S(9) S(10) S(11) S(12) S(13) S(14)
			S(15)
#undef S
	    :
	    : "r"(in), "r"(out)
	    : SYSCALL_CLOBBERS);
	return 32;
}

/* hold_mmx: mm0..7 keep in[] across switches. */
static int hold_mmx(const uint64_t in[8], uint64_t out[8])
{
	__asm__ volatile(
#define L(i) "movq " #i "*8(%0), %%mm" #i "\n"
	    L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7)
#undef L
		SPIN_AND_YIELD
#define S(i) "movq %%mm" #i ", " #i "*8(%1)\n"
		    S(0) S(1) S(2) S(3) S(4) S(5) S(6) S(7)
#undef S
			"emms\n"
	    :
	    : "r"(in), "r"(out)
	    : SYSCALL_CLOBBERS);
	return 8;
}

/* hold_x87: the eight x87 registers keep in[] (as integers) across switches. */
static int hold_x87(const uint64_t in[8], uint64_t out[8])
{
	__asm__ volatile(
#define L(i) "fildq " #i "*8(%0)\n"
	    L(0) L(1) L(2) L(3) L(4) L(5) L(6) L(7)
#undef L
		SPIN_AND_YIELD
#define S(i) "fistpq " #i "*8(%1)\n"
		    S(7) S(6) S(5) S(4) S(3) S(2) S(1) S(0)
#undef S
	    :
	    : "r"(in), "r"(out)
	    : SYSCALL_CLOBBERS);
	return 8;
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* registers: one round of each kind; the number of words that came back changed. */
static unsigned registers(uint64_t *seed)
{
	uint64_t in[64], out[64];
	unsigned bad = 0;
	int (*const kinds[3])(const uint64_t *, uint64_t *) = {hold_sse, hold_mmx, hold_x87};
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 64; i++)
			in[i] = next_random(seed) >> (k == 2 ? 12 : 0); /* x87: exact as integers */
		memset(out, 0, sizeof(out));
		int n = kinds[k](in, out);
		for (int i = 0; i < n; i++)
			bad += in[i] != out[i];
	}
	return bad;
}

/*
 * compute: doubles whose results are exact: sums of multiples of 1/8 (all
 * exactly representable), a Newton iteration and a product, compared
 * against integer arithmetic and against the same run without switches.
 */
static int compute(double scale, double *newton)
{
	volatile double sum = 0;
	for (int i = 0; i < 200000; i++)
		sum += i * 0.125 * scale;
	double want = (199999.0 * 200000.0 / 2.0) * 0.125 * scale;
	double x = scale;
	for (int i = 0; i < 40; i++)
		x = 0.5 * (x + 2.0 / x); /* converges to sqrt(2), then stays */
	*newton = x;
	return sum == want;
}

/* first_look: the FPU state a thread finds before it wrote anything: all clear. */
static int first_look(void)
{
	uint64_t mm0, xmm[2];
	uint16_t fcw;
	uint32_t mxcsr;
	__asm__ volatile("movq %%mm0, %0\n emms\n movdqu %%xmm0, %1\n fnstcw %2\n stmxcsr %3"
			 : "=r"(mm0), "=m"(xmm), "=m"(fcw), "=m"(mxcsr));
	return mm0 == 0 && xmm[0] == 0 && xmm[1] == 0 && fcw == 0x37f && mxcsr == 0x1f80;
}

static uint64_t gs_base(void)
{
	uint64_t v;
	__asm__ volatile("rdgsbase %0" : "=r"(v));
	return v;
}

static void worker(word_t t, utcb_t *utcb)
{
	if (!first_look())
		fail(t, "the first look at the FPU found values of another thread");
	/* the GS base is the thread's own too: it starts at 0, and what it sets stays */
	uint64_t mine = 0x5000000000ull + (word_t)utcb + t;
	if (gs_base() != 0)
		fail(t, "the GS base started with another thread's value");
	__asm__ volatile("wrgsbase %0" ::"r"(mine));
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ ((word_t)utcb * 7919) ^ rdtsc();
	unsigned bad = 0, inexact = 0;
	double first = 0;
	for (int r = 0; r < ROUNDS; r++) {
		bad += registers(&seed);
		double newton;
		inexact += !compute(1.0 + (double)t, &newton);
		if (r == 0)
			first = newton;
		else if (newton != first)
			inexact++;
	}
	if (bad)
		fail(t, "registers changed across switches");
	if (gs_base() != mine)
		fail(t, "the GS base changed across switches");
	if (inexact)
		fail(t, "a computation was not exact");
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	for (;;)
		sys_yield();
}

/* churn: RAM dataspaces of 64 KiB allocated and freed until the workers are done. */
static void churn(word_t arg, utcb_t *utcb)
{
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) + failures < THREADS) {
		cap_t ds;
		if (pd_alloc(the_env->pd, 65536, 0, &ds) == ERR_OK)
			pd_free(the_env->pd, ds);
		sys_yield();
	}
	for (;;)
		sys_yield();
}

int component_main(env_t *env)
{
	the_env = env;
	uint32_t r[4];
	__asm__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(1), "c"(0));
	if ((r[2] & (1u << 27)) && (r[2] & (1u << 28))) { /* OSXSAVE, AVX */
		uint32_t lo, hi;
		__asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		have_avx = (lo & 6) == 6;
	}
	for (word_t t = 0; t < THREADS; t++)
		if (pd_thread(env->pd, worker, stacks[t] + sizeof(stacks[t]), PRIORITY_DEFAULT,
			      t) != ERR_OK)
			fail(t, "cannot start");
	if (pd_thread(env->pd, churn, stacks[THREADS] + sizeof(stacks[THREADS]), PRIORITY_DEFAULT,
		      0) != ERR_OK)
		fail(THREADS, "cannot start the churn");
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) + failures < THREADS)
		sys_yield();
	report("%u threads, %u rounds of SSE%s, MMX and x87 registers and exact doubles: %s",
	       THREADS, ROUNDS, have_avx ? "/AVX" : "", failures ? "FAILED" : "all exact");
	return failures ? 1 : 0;
}
