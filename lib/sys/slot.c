/*
 * The component's set of empty capability slots. The kernel puts a
 * received capability only into a slot its receiver named, so which slots
 * are empty is known here without asking the kernel: allocation is a bit
 * operation. A set bit marks an empty slot; threads share the set through
 * compare-and-swap, without a lock.
 */
#include <sys.h>
#include <abi/slots.h>

#define SLOT_MAX 4288 /* the largest table this set manages: the kernel's (160 + 24 * 170) */
#define WORD_BITS 64

static uint64_t empty[SLOT_MAX / WORD_BITS];
static cap_t first_slot, slot_count;
static unsigned available;
static slot_grow_fn grow; /* asks for more slots when none is left, or 0 */

void slot_init(cap_t first, cap_t count)
{
	if (count > SLOT_MAX)
		count = SLOT_MAX;
	for (unsigned i = 0; i < SLOT_MAX / WORD_BITS; i++)
		empty[i] = 0;
	first_slot = first, slot_count = count;
	for (cap_t s = first; s < count; s++)
		empty[s / WORD_BITS] |= 1ull << (s % WORD_BITS);
	available = count > first ? count - first : 0;
}

/* take_from: clear one set bit of word i; the slot, or 0 if the word has none. */
static cap_t take_from(unsigned i)
{
	uint64_t v = __atomic_load_n(&empty[i], __ATOMIC_RELAXED);
	while (v) {
		uint64_t bit = v & -v;
		if (__atomic_compare_exchange_n(&empty[i], &v, v & ~bit, 1, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			__atomic_fetch_sub(&available, 1, __ATOMIC_RELAXED);
			return (cap_t)(i * WORD_BITS + (unsigned)__builtin_ctzll(bit));
		}
	}
	return 0;
}

void slot_set_grow(slot_grow_fn fn)
{
	grow = fn;
}

/*
 * extend: the table has count slots now: claim [slot_count, count) with
 * one compare-and-swap, then mark the claimed slots empty. Threads that
 * grew at once each claim only what none claimed before, so no slot in
 * use is ever marked empty.
 */
static void extend(cap_t count)
{
	if (count > SLOT_MAX)
		count = SLOT_MAX;
	cap_t old = __atomic_load_n(&slot_count, __ATOMIC_ACQUIRE);
	while (count > old && !__atomic_compare_exchange_n(&slot_count, &old, count, 0,
							   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
	for (cap_t s = old; s < count; s++)
		__atomic_fetch_or(&empty[s / WORD_BITS], 1ull << (s % WORD_BITS), __ATOMIC_RELEASE);
	if (count > old)
		__atomic_fetch_add(&available, count - old, __ATOMIC_RELAXED);
}

cap_t slot_alloc(void)
{
	for (;;) {
		cap_t count = __atomic_load_n(&slot_count, __ATOMIC_ACQUIRE);
		for (unsigned i = first_slot / WORD_BITS; i * WORD_BITS < count; i++) {
			cap_t s = take_from(i);
			if (s)
				return s;
		}
		if (!grow || count >= SLOT_MAX)
			return 0;
		cap_t more = grow(); /* threads that find none at once each add a page */
		if (more <= count) {
			if (__atomic_load_n(&slot_count, __ATOMIC_ACQUIRE) != count)
				continue; /* another thread's page came meanwhile */
			return 0; /* the quota does not cover another page, or the table is full */
		}
		extend(more);
	}
}

void slot_release(cap_t slot)
{
	if (slot < first_slot || slot >= __atomic_load_n(&slot_count, __ATOMIC_ACQUIRE))
		return; /* slot 0 and the fixed slots are never in the set */
	uint64_t bit = 1ull << (slot % WORD_BITS);
	uint64_t old = __atomic_fetch_or(&empty[slot / WORD_BITS], bit, __ATOMIC_RELEASE);
	if (!(old & bit)) /* released twice: the set stays a set */
		__atomic_fetch_add(&available, 1, __ATOMIC_RELAXED);
}

void slot_free(cap_t slot)
{
	if (slot < first_slot || slot >= __atomic_load_n(&slot_count, __ATOMIC_ACQUIRE))
		return;
	sys_cap_delete(slot);
	slot_release(slot);
}

cap_t slot_capacity(void)
{
	return __atomic_load_n(&slot_count, __ATOMIC_ACQUIRE);
}

unsigned slot_available(void)
{
	return __atomic_load_n(&available, __ATOMIC_RELAXED);
}
