/*
 * System-call stubs: thin inline wrappers over the `syscall` instruction
 * (see kernel/abi/syscall.h for the register convention).
 */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/syscall.h>
#include <abi/utcb.h>

/* The registers of one system call: r[0] = rax, then rdi, rsi, rdx, r10, r8, r9. */
typedef struct {
	word_t r[7];
} sys_regs_t;

static inline err_t sys_invoke(sys_regs_t *s)
{
	register word_t r10 __asm__("r10") = s->r[4];
	register word_t r8 __asm__("r8") = s->r[5];
	register word_t r9 __asm__("r9") = s->r[6];
	__asm__ volatile("syscall"
			 : "+a"(s->r[0]), "+D"(s->r[1]), "+S"(s->r[2]), "+d"(s->r[3]), "+r"(r10),
			   "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	s->r[4] = r10;
	s->r[5] = r8;
	s->r[6] = r9;
	return (err_t)s->r[0];
}

/* sys6: a system call whose only result is the error; argument registers may change. */
static inline err_t sys6(word_t nr, word_t a0, word_t a1, word_t a2, word_t a3, word_t a4,
			 word_t a5)
{
	register word_t r10 __asm__("r10") = a3;
	register word_t r8 __asm__("r8") = a4;
	register word_t r9 __asm__("r9") = a5;
	__asm__ volatile("syscall"
			 : "+a"(nr), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	return (err_t)nr;
}

/* A message: info word, badge (on receive) and the four register words. */
typedef struct {
	word_t info, badge;
	word_t mr[4];
} msg_t;

/* sys_ipc: one IPC system call; the message words travel in registers both ways. */
static inline err_t sys_ipc(word_t nr, cap_t cap, msg_t *m)
{
	register word_t r10 __asm__("r10") = m->mr[1];
	register word_t r8 __asm__("r8") = m->mr[2];
	register word_t r9 __asm__("r9") = m->mr[3];
	word_t rax = nr, rdi = cap, rsi = m->info, rdx = m->mr[0];
	__asm__ volatile("syscall"
			 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	m->badge = rdi, m->info = rsi;
	m->mr[0] = rdx, m->mr[1] = r10, m->mr[2] = r8, m->mr[3] = r9;
	return (err_t)rax;
}

/* sys_call: call endpoint cap with m; the reply replaces m. Errors: INVALID_CAP, WRONG_TYPE,
 * NO_RIGHTS, ABORTED. */
static inline err_t sys_call(cap_t cap, msg_t *m)
{
	return sys_ipc(SYS_CALL, cap, m);
}

/* sys_reply_wait: reply with m (info SYS_NO_REPLY: none), then wait on ep; the request replaces m.
 */
static inline err_t sys_reply_wait(cap_t ep, msg_t *m)
{
	return sys_ipc(SYS_REPLY_WAIT, ep, m);
}

static inline err_t sys_signal_submit(cap_t s)
{
	return sys6(SYS_SIGNAL_SUBMIT, s, 0, 0, 0, 0, 0);
}

/* sys_signal_wait: block until s was submitted; *count gets the submissions since the last wait. */
static inline err_t sys_signal_wait(cap_t sig, word_t *count)
{
	sys_regs_t s = {{SYS_SIGNAL_WAIT, sig, 0, 0, 0, 0, 0}};
	err_t e = sys_invoke(&s);
	if (count)
		*count = s.r[2];
	return e;
}

static inline err_t sys_yield(void)
{
	return sys6(SYS_YIELD, 0, 0, 0, 0, 0, 0);
}

static inline err_t sys_cap_delete(cap_t slot)
{
	return sys6(SYS_CAP_DELETE, slot, 0, 0, 0, 0, 0);
}

static inline err_t sys_irq_ack(cap_t irq)
{
	return sys6(SYS_IRQ_ACK, irq, 0, 0, 0, 0, 0);
}

static inline err_t sys_debug_log(const char *s, word_t len)
{
	return sys6(SYS_DEBUG_LOG, (word_t)s, len, 0, 0, 0, 0);
}

static inline err_t sys_null(void)
{
	return sys6(SYS_NULL, 0, 0, 0, 0, 0, 0);
}

/* sys_cap_identify: type, rights and badge of the capability in slot. */
static inline err_t sys_cap_identify(cap_t slot, word_t *type, word_t *rights, word_t *badge)
{
	sys_regs_t s = {{SYS_CAP_IDENTIFY, slot, 0, 0, 0, 0, 0}};
	err_t e = sys_invoke(&s);
	*type = s.r[2], *rights = s.r[3], *badge = s.r[4];
	return e;
}

/* sys_cap_badge_of: the badge of slot if it names the same object as other (else an error). */
static inline err_t sys_cap_badge_of(cap_t slot, cap_t other, word_t *badge)
{
	sys_regs_t s = {{SYS_CAP_IDENTIFY, slot, other, 0, 0, 0, 0}};
	err_t e = sys_invoke(&s);
	if (e == ERR_OK && !s.r[5])
		e = ERR_INVALID_CAP;
	*badge = s.r[4];
	return e;
}

/*
 * msg_put_string: s with its terminator into m's words (registers first,
 * then the UTCB); the number of words, 0 if more than max_words are needed.
 */
unsigned msg_put_string(msg_t *m, const char *s, unsigned max_words);

/* msg_get_string: the message's words as a string, always terminated within size. */
void msg_get_string(const msg_t *m, char *out, size_t size);

/* sys_utcb: the calling thread's UTCB, found through its FS base (the kernel sets it). */
static inline utcb_t *sys_utcb(void)
{
	utcb_t *u;
	__asm__("mov %%fs:0, %0" : "=r"(u));
	return u;
}

/*
 * sys_call_caps: call cap with m, accepting up to n capabilities of the
 * reply into fresh slots: caps[i] is the slot capability i arrived in, or 0.
 * Errors: those of sys_call, NO_SLOT (the component's table is full).
 */
err_t sys_call_caps(cap_t cap, msg_t *m, unsigned n, cap_t *caps);

/*
 * Capability slots of this component: a thread-safe set of the empty
 * slots in [SLOT_FIRST_FREE, count). slot_alloc gives one (0 if none is
 * left), slot_free deletes the capability in a slot and takes the slot
 * back, slot_release takes back a slot that is known to be empty.
 */
void slot_init(cap_t first, cap_t count);
/*
 * slot_grow_fn: asked by slot_alloc when no slot is left: the new slot
 * count after the table grew, or 0 if it cannot. env_init sets one that
 * asks core for a page more (PD_GROW_SLOTS), paid from the RAM quota.
 */
typedef cap_t (*slot_grow_fn)(void);
void slot_set_grow(slot_grow_fn fn);
cap_t slot_alloc(void);
void slot_free(cap_t slot);
void slot_release(cap_t slot);
/* slot_capacity: the slots of the table now (0 .. count - 1), grown ones included. */
cap_t slot_capacity(void);
/* slot_available: how many slots slot_alloc can still give. */
unsigned slot_available(void);

/* component_first_cycle: rdtsc at the component's entry, before its environment was set up. */
uint64_t component_first_cycle(void);

/* rdtsc: the cycle counter; under QEMU -icount shift=0 it counts guest instructions. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
