/*
 * init: reads its ROM "config" and starts the children it names, each with
 * the quota and priority its <start> node gives, and is their parent: it
 * opens the sessions they ask for at its own parent (core), with their
 * labels prefixed by the child's name and paid from the child's quota, and
 * destroys a child that exits, reporting its exit code. A config it does
 * not fully understand starts nothing: the error names line and column.
 *
 * A child may also serve: the services its <provides> lists it may
 * announce, and a sibling opens a session of one with the same call
 * (sibling.c). Where a request goes is decided by the routes of the
 * config, or without routes by the service's name.
 *
 * This file starts the children and ends them (exit, fault) and reports;
 * config.c reads the config, session.c serves the children's requests.
 */
#include "init.h"

init_t init;

static void report_resources(void);

/* child_end: close c's sessions, forget its services, destroy it; its quota is init's again. */
static void child_end(init_child_t *c)
{
	pd_quota(c->child.pd, &c->last);
	pd_ram_peak(c->child.pd, &c->last_peak);
	for (unsigned i = 0; i < MAX_SESSIONS; i++)
		if (c->sessions[i].cap)
			close_forwarded(c,
					&c->sessions[i]); /* a sibling's: queued for its server */
	c->running = 0;
	child_destroy(init.env, &c->child);
	server_ended(c);
	init.running--;
}

/* ended: after a child's end is reported: the table, once none runs any more. */
static void ended(void)
{
	if (init.running == 0 && init.report_resources)
		report_resources();
}

static word_t child_exit(rpc_server_t *s, word_t badge, msg_t *m)
{
	init_child_t *c = child_of(badge);
	if (!c)
		return MSG_INFO(ERR_INVALID_CAP, 0, 0);
	log_printf("'%s' exited with %ld\n", c->name, (long)m->mr[0]);
	format_buf(c->state, sizeof(c->state), "exited with %ld", (long)m->mr[0]);
	child_end(c);
	ended();
	return SYS_NO_REPLY;
}

/*
 * faults: init's own watcher thread (badge 0: no child's capability has
 * it) saw core's fault signal: every child with a thread stopped on a
 * fault is reported and destroyed; its siblings carry on.
 */
static word_t faults(rpc_server_t *s, word_t badge, msg_t *m)
{
	if (badge != 0)
		return MSG_INFO(ERR_DENIED, 0, 0);
	for (unsigned i = 0; i < init.count; i++) {
		init_child_t *c = &init.children[i];
		pd_fault_info_reply_t f;
		if (!c->running || pd_fault_info(c->child.pd, &f) != ERR_OK || !f.faults)
			continue;
		format_buf(c->state, sizeof(c->state), "faulted (%s at 0x%lx)",
			   fault_kind_name(f.kind), f.addr);
		pd_quota_t before, after;
		pd_quota(init.env->pd, &before);
		child_end(c);
		pd_quota(init.env->pd, &after);
		log_printf("'%s' faulted: thread %u, %s fault at 0x%lx, ip 0x%lx; destroyed, "
			   "%lu KiB and %lu caps back at init\n",
			   c->name, f.thread, fault_kind_name(f.kind), f.addr, f.ip,
			   (before.ram_used - after.ram_used) >> 10,
			   before.cap_used - after.cap_used);
		ended();
	}
	return MSG_INFO(0, 0, 0);
}

/* report_resources: one row per child, as it ended. */
static void report_resources(void)
{
	log_printf("%-12s %10s %10s %10s %6s %6s  %s\n", "child", "RAM KiB", "used KiB",
		   "peak KiB", "caps", "used", "state");
	for (unsigned i = 0; i < init.count; i++) {
		const init_child_t *c = &init.children[i];
		log_printf("%-12s %10lu %10lu %10lu %6lu %6lu  %s\n", c->name,
			   c->last.ram_quota >> 10, c->last.ram_used >> 10, c->last_peak >> 10,
			   c->last.cap_quota, c->last.cap_used,
			   c->state[0] ? c->state : "not started");
	}
}

#define INIT_FAULTS 0x1f /* the watcher's call: not a parent request */
#define WATCHER_STACK 16384

/* watcher: waits for core's fault signal and tells init's server thread. */
static void watcher(word_t sig, utcb_t *utcb)
{
	for (;;) {
		word_t count;
		if (sys_signal_wait(sig, &count) != ERR_OK)
			return;
		msg_t m = {.info = MSG_INFO(INIT_FAULTS, 0, 0)};
		sys_call(init.ep, &m);
	}
}

/* watch_faults: a signal for every child's faults and the thread that waits for it. */
static err_t watch_faults(env_t *env)
{
	void *stack;
	err_t e = pd_alloc_signal(env->pd, &init.fault_sig);
	if (e == ERR_OK && (e = heap_alloc(&env->heap, WATCHER_STACK, &stack)) == ERR_OK)
		e = pd_thread(env->pd, watcher, (char *)stack + WATCHER_STACK, PRIORITY_MAX - 1,
			      init.fault_sig);
	return e;
}

static const rpc_op_t init_ops[] = {{PARENT_SESSION_OPEN, session_open},
				    {PARENT_SESSION_CLOSE, session_close},
				    {PARENT_SESSION_UPGRADE, session_upgrade},
				    {PARENT_EXIT, child_exit},
				    {PARENT_ANNOUNCE, announce},
				    {PARENT_SESSION_REQUEST, session_request},
				    {INIT_FAULTS, faults},
				    {ROM_DATASPACE, rom_dataspace}};

int component_main(env_t *env)
{
	init.env = env;
	if (read_config(env) != ERR_OK) {
		log_printf("nothing started\n");
		return 1;
	}
	err_t e = pd_alloc_endpoint(env->pd, &init.ep);
	if (e == ERR_OK)
		e = watch_faults(env);
	if (e != ERR_OK) {
		log_printf("cannot set up: %s; nothing started\n", err_name(e));
		return 1;
	}
	cap_t ep = init.ep;
	for (unsigned i = 0; i < init.count; i++) {
		init_child_t *c = &init.children[i];
		child_args_t a = {c->name, c->binary, c->ram,	     c->caps, (unsigned)c->prio,
				  ep,	   i + 1,     0 /* stack */, &c->rom};
		uint64_t t0 = rdtsc();
		e = child_create(env, &a, &c->child);
		if (init.report_cycles && e == ERR_OK) {
			sys_yield(); /* the child, as ready as init, runs its first instruction now */
			log_printf("starting '%s' at cycle %lu\n", c->name, t0); /* no part of it */
		}
		if (e == ERR_OK && (e = pd_fault_signal(c->child.pd, init.fault_sig)) != ERR_OK)
			child_destroy(env, &c->child);
		if (e != ERR_OK) {
			log_printf("cannot start '%s': %s\n", c->name, err_name(e));
			format_buf(c->state, sizeof(c->state), "not started: %s", err_name(e));
			continue;
		}
		c->running = 1, init.running++;
		log_printf("started '%s' (%s) with %lu KiB RAM and %lu caps\n", c->name,
			   c->binary, c->ram >> 10, c->caps);
	}
	if (init.report_cycles)
		log_printf("%u of %u children started at cycle %lu\n", init.running,
			   init.count, rdtsc());
	else
		log_printf("%u of %u children started\n", init.running, init.count);
	rpc_server_t s;
	rpc_server_init(&s, ep, RPC_OPS(init_ops), &init);
	faults(&s, 0, 0); /* one may have faulted before its signal was set */
	rpc_serve(&s);	  /* for good: init lives as long as the system */
	return 0;
}
