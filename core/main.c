/*
 * core: the first user-mode program. It takes over all free RAM, creates
 * its service endpoint, starts the components named on the kernel command
 * line (start=NAME) and then serves their parent requests and page faults.
 */
#include "core.h"
#include <log.h>
#include <mem.h>
#include <parent.h>
#include <session_args.h>

cap_t core_ep;
static account_t core_account = {
    .ram_quota = ~0ull, .cap_quota = ~0ull, .owner = CORE_OWNER}; /* what core spends for itself */
const bootinfo_t *core_bootinfo;

#define DEFAULT_RAM (16ull << 20)
#define DEFAULT_CAPS 256
#define CORE_RESERVE (4ull << 20) /* RAM core keeps for its own records */

/*
 * start_one: a start= word: NAME[@RAM][:capsN][:io][:kidsN][:prioN]. The
 * policy core applies until init routes sessions: RAM and capability
 * quota, whether the component may open IO_PORT, IO_MEM and IRQ sessions,
 * how many children it may have at once, and the highest priority its
 * threads may have (at most the default unless given).
 */
static void start_one(const bootinfo_t *bi, const char *word, size_t len)
{
	char spec[96], name[48];
	format_buf(spec, sizeof(spec), "%.*s", (int)len, word);
	component_policy_t p = {DEFAULT_RAM, DEFAULT_CAPS, PRIORITY_DEFAULT, 0, 0};
	char *opt = spec;
	while (*opt && *opt != '@' && *opt != ':')
		opt++;
	format_buf(name, sizeof(name), "%.*s", (int)(opt - spec), spec);
	while (*opt) {
		char *end = opt + 1, kv[64];
		while (*end && *end != '@' && *end != ':')
			end++;
		if (*opt == '@') {
			format_buf(kv, sizeof(kv), "X ram=%.*s", (int)(end - opt - 1), opt + 1);
			p.ram = args_number(kv, "ram", DEFAULT_RAM);
		} else if (end - opt == 3 && !strncmp(opt, ":io", 3)) {
			p.io = 1;
		} else if (end - opt > 5 && !strncmp(opt, ":kids", 5)) {
			format_buf(kv, sizeof(kv), "X k=%.*s", (int)(end - opt - 5), opt + 5);
			p.children = (unsigned)args_number(kv, "k", 0);
		} else if (end - opt > 5 && !strncmp(opt, ":caps", 5)) {
			format_buf(kv, sizeof(kv), "X c=%.*s", (int)(end - opt - 5), opt + 5);
			p.caps = args_number(kv, "c", DEFAULT_CAPS);
		} else if (end - opt > 5 && !strncmp(opt, ":prio", 5)) {
			format_buf(kv, sizeof(kv), "X p=%.*s", (int)(end - opt - 5), opt + 5);
			uint64_t prio = args_number(kv, "p", PRIORITY_DEFAULT);
			p.max_prio = prio > PRIORITY_MAX - 4 ? PRIORITY_MAX - 4 : (unsigned)prio;
		}
		opt = end;
	}
	component_t *c;
	err_t e = component_start(bi, name, &p, &c);
	if (e != ERR_OK)
		log_printf("core: cannot start '%s': %s\n", name, err_str(e));
	else
		log_printf("core: started '%s' with %lu KiB RAM and %lu caps\n", name, p.ram >> 10,
			   p.caps);
}

/* start_init: init gets all RAM and capabilities core does not keep for itself. */
static void start_init(const bootinfo_t *bi)
{
	uint64_t ram = phys_avail() > CORE_RESERVE ? phys_avail() - CORE_RESERVE : 0;
	uint64_t free = component_caps_free(), caps = free > 2 ? free - 2 : 0; /* 2: core's own */
	log_printf("core: starting init with %lu KiB RAM and %lu caps\n", ram >> 10, caps);
	component_t *c;
	component_policy_t p = {ram, caps, PRIORITY_DEFAULT + 4, 1, MAX_COMPONENTS};
	err_t e = component_start(bi, "init", &p, &c);
	if (e != ERR_OK)
		log_printf("core: cannot start init: %s\n", err_str(e));
}

/* start_listed: start every component named by a start=NAME[@RAM] word, else init. */
static void start_listed(const bootinfo_t *bi)
{
	const char *pos = bi->cmdline, *w;
	size_t l;
	int started = 0;
	while ((w = args_word(&pos, &l)))
		if (l > 6 && !strncmp(w, "start=", 6))
			start_one(bi, w + 6, l - 6), started++;
	if (!started)
		start_init(bi);
}

static unsigned current_cpl(void)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

int component_entry(const bootinfo_t *bi, utcb_t *utcb)
{
	core_bootinfo = bi;
	slot_init(SLOT_FIRST_FREE, bi->core_cap_slots);
	log_printf("core: running in ring %u, boot info at %p, %u modules\n", current_cpl(),
		   (void *)bi, bi->module_count);
	phys_init(bi);
	err_t e = kobj_create(&core_account, OBJ_ENDPOINT, 0, 0, &core_ep, 0);
	if (e != ERR_OK) {
		log_printf("core: cannot create the service endpoint: %s\n", err_str(e));
		return 1;
	}
	if (core_selftest) /* only the test variant of core has it */
		core_selftest(bi);
	log_printf("core: %lu KiB of free RAM\n", phys_avail() >> 10);
	start_listed(bi);
	service_loop();
}

void component_exit(int code)
{
	log_printf("core: exit with %d, stopping\n", code);
	msg_t m = {.info = SYS_NO_REPLY};
	for (;;) { /* block on the endpoint and never answer: callers wait forever */
		sys_reply_wait(core_ep, &m);
		m.info = SYS_NO_REPLY;
	}
}
