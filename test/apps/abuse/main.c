/*
 * run/syscall_abuse: every system call with invalid capabilities, wrong
 * object types, kernel and non-canonical addresses, misaligned and
 * overflowing sizes, and unknown numbers. Each must return the expected
 * error while a second thread keeps counting.
 */
#include <log.h>
#include <env.h>
#include <parent.h>
#include <abi/slots.h>

static volatile uint64_t worker_count;
static uint8_t worker_stack[8192] __attribute__((aligned(16)));
static unsigned rejected, wrong;

static void worker(word_t arg, utcb_t *utcb)
{
	for (;;)
		worker_count++;
}

static void expect(const char *what, err_t got, err_t want)
{
	if (got == want) {
		rejected++;
		return;
	}
	wrong++;
	log_printf("test-abuse: FAIL: %s: got %s, expected %s\n", what, err_name(got),
		   err_name(want));
}

static void abuse_numbers(void)
{
	static const word_t numbers[] = {10, 11, 15, 28, 100, 0xffffffff, ~(word_t)0, 1ull << 63};
	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		expect("unknown syscall", sys6(numbers[i], 0, 0, 0, 0, 0, 0), ERR_UNKNOWN_SYSCALL);
}

static void abuse_caps(cap_t sig)
{
	static const word_t bad_slots[] = {0,	       5,	   4095,      1u << 20,
					   0xffffffff, 1ull << 32, ~(word_t)0};
	msg_t m;
	expect("reply only: nobody to answer", sys6(SYS_REPLY_WAIT, 0, 0, 0, 0, 0, 0),
	       ERR_NOT_FOUND);
	for (unsigned i = 0; i < sizeof(bad_slots) / sizeof(bad_slots[0]); i++) {
		word_t s = bad_slots[i];
		expect("call: bad slot", sys6(SYS_CALL, s, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
		expect("reply_wait: bad slot", sys6(SYS_REPLY_WAIT, s, SYS_NO_REPLY, 0, 0, 0, 0),
		       s ? ERR_INVALID_CAP : ERR_INVALID_ARGS); /* slot 0: no endpoint, no reply */
		expect("submit: bad slot", sys6(SYS_SIGNAL_SUBMIT, s, 0, 0, 0, 0, 0),
		       ERR_INVALID_CAP);
		expect("wait: bad slot", sys6(SYS_SIGNAL_WAIT, s, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
		expect("irq ack: bad slot", sys6(SYS_IRQ_ACK, s, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
		expect("identify: bad slot", sys6(SYS_CAP_IDENTIFY, s, 0, 0, 0, 0, 0),
		       ERR_INVALID_CAP);
		expect("delete: bad slot", sys6(SYS_CAP_DELETE, s, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
	}
	m = (msg_t){0};
	expect("call: a signal", sys_call(sig, &m), ERR_WRONG_TYPE);
	expect("reply_wait: the parent (send-only)",
	       sys6(SYS_REPLY_WAIT, SLOT_PARENT, SYS_NO_REPLY, 0, 0, 0, 0), ERR_NO_RIGHTS);
	expect("submit: an endpoint", sys_signal_submit(SLOT_PARENT), ERR_WRONG_TYPE);
	expect("wait: an endpoint", sys_signal_wait(SLOT_PARENT, 0), ERR_WRONG_TYPE);
	expect("irq ack: a signal", sys_irq_ack(sig), ERR_WRONG_TYPE);
}

static void abuse_privileged(cap_t sig)
{
	for (word_t nr = SYS_CREATE; nr < SYS_COUNT; nr++) {
		if (nr == 20) { /* free since SYS_MAP takes the page tables along */
			expect("privileged: number 20", sys6(nr, SLOT_PARENT, 0, 0, 0, 0, 0),
			       ERR_UNKNOWN_SYSCALL);
			continue;
		}
		expect("privileged: parent cap", sys6(nr, SLOT_PARENT, 0, 0, 0, 0, 0),
		       ERR_WRONG_TYPE);
		expect("privileged: signal cap", sys6(nr, sig, 0, 0, 0, 0, 0), ERR_WRONG_TYPE);
		expect("privileged: no cap", sys6(nr, 0, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
		expect("privileged: empty slot", sys6(nr, 200, 0, 0, 0, 0, 0), ERR_INVALID_CAP);
	}
}

/*
 * abuse_addresses: the kernel's debug log is core's alone: a component's
 * call is refused before its address or length is looked at, so that no
 * component prints unlabelled (the address checks of the kernel's copy
 * from user memory are in core's self-test, test/core/abuse.c).
 */
static void abuse_addresses(void)
{
	static const char text[] = "core: 'test-abuse' exited with 0\n";
	expect("log: a component's unlabelled line", sys_debug_log(text, sizeof(text) - 1),
	       ERR_DENIED);
	expect("log: kernel address", sys_debug_log((const char *)0xffffffff80100000ull, 8),
	       ERR_DENIED);
	expect("log: too long", sys_debug_log(text, 257), ERR_DENIED);
}

static void abuse_messages(env_t *env)
{
	/* absurd word and capability counts are clamped; the parent answers with an error */
	msg_t m = {.info = MSG_INFO(999, 255, 7)};
	for (int i = 0; i < UTCB_CAP_COUNT; i++)
		sys_utcb()->send_caps[i] =
		    0xffff0000u + i; /* bogus slots: nothing is transferred */
	expect("call: absurd message to the parent", sys_call(SLOT_PARENT, &m), ERR_OK);
	expect("parent: unknown opcode", (err_t)MSG_LABEL(m.info), ERR_UNKNOWN_OPCODE);
	expect("PD: thread at a kernel address",
	       pd_thread(env->pd, (void (*)(word_t, utcb_t *))0xffffffff80000000ull, worker_stack,
			 0, 0),
	       ERR_BAD_ADDRESS);
	cap_t s;
	expect("session: the timer IRQ",
	       parent_session_open("IRQ line=0 ram_quota=16384 cap_quota=2", &s), ERR_BUSY);
	expect("session: IRQ line 1000",
	       parent_session_open("IRQ line=1000 ram_quota=16384 cap_quota=2", &s),
	       ERR_INVALID_ARGS);
	expect("session: no quota", parent_session_open("LOG label=x", &s), ERR_OUT_OF_RAM);
	expect("session: absurd quota", parent_session_open("LOG ram_quota=1000G", &s),
	       ERR_OUT_OF_RAM);
	expect("session: unknown service", parent_session_open("NOPE ram_quota=4096", &s),
	       ERR_NOT_FOUND);
	expect("session: malformed", parent_session_open(" LOG", &s), ERR_INVALID_ARGS);
}

int component_main(env_t *env)
{
	cap_t sig;
	if (pd_alloc_signal(env->pd, &sig) != ERR_OK ||
	    pd_thread(env->pd, worker, worker_stack + sizeof(worker_stack), PRIORITY_DEFAULT, 0) !=
		ERR_OK) {
		log_printf("test-abuse: FAIL: set-up\n");
		return 1;
	}
	uint64_t start = worker_count;
	abuse_numbers();
	abuse_caps(sig);
	sys_yield();
	abuse_privileged(sig);
	abuse_addresses();
	sys_yield();
	abuse_messages(env);
	sys_yield();
	uint64_t progress = worker_count - start;
	log_printf("test-abuse: %u calls rejected as expected, %u unexpected results\n", rejected,
		   wrong);
	log_printf("test-abuse: worker thread %s during the abuse\n",
		   progress ? "kept running" : "FAIL: stalled");
	return wrong ? 1 : 0;
}
