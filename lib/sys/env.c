/*
 * The component environment: sessions to core, a heap and a sliced heap
 * whose backing store is RAM dataspaces attached to the address space.
 */
#include <env.h>
#include <parent.h>
#include <log.h>
#include <mem.h>
#include <abi/slots.h>

static env_region_t *region_slot(env_t *env, vaddr_t base)
{
	for (unsigned i = 0; i < ENV_HEAP_REGIONS; i++)
		if (env->regions[i].base == base)
			return &env->regions[i];
	return 0;
}

static err_t env_backing_get(void *ctx, size_t size, void **out)
{
	env_t *env = ctx;
	env_region_t *r = region_slot(env, 0);
	if (!r)
		return ERR_OUT_OF_CAPS;
	attached_ds_t ds;
	err_t e = attached_ram_ds(env, size, &ds);
	if (e != ERR_OK)
		return e;
	r->base = ds.addr, r->size = size, r->ds = ds.ds;
	*out = (void *)ds.addr;
	return ERR_OK;
}

static void env_backing_put(void *ctx, void *base, size_t size)
{
	env_t *env = ctx;
	env_region_t *r = region_slot(env, (vaddr_t)base);
	if (!r)
		return;
	attached_ds_t ds = {0, r->ds, r->base, r->size};
	attached_ds_release(env, &ds);
	r->base = 0, r->ds = 0;
}

static size_t env_backing_avail(void *ctx)
{
	env_t *env = ctx;
	pd_quota_t q;
	if (pd_quota(env->pd, &q) != ERR_OK)
		return 0;
	return q.ram_quota - q.ram_used;
}

static const backing_ops_t env_backing_ops = {env_backing_get, env_backing_put, env_backing_avail};

err_t env_init(env_t *env, word_t arg)
{
	memset(env, 0, sizeof(*env));
	env->parent = SLOT_PARENT;
	env->pd = SLOT_PD_SESSION;
	env->arg = arg;
	env->backing.ops = &env_backing_ops;
	env->backing.ctx = env;
	err_t e = pd_address_space(env->pd, &env->rm);
	if (e == ERR_OK)
		e = parent_session_open("LOG label= ram_quota=4096", &env->log);
	if (e == ERR_OK)
		e = heap_init(&env->heap, &env->backing, 0);
	if (e == ERR_OK)
		sliced_heap_init(&env->sliced_heap, &env->backing);
	return e;
}

err_t log_session_printf(cap_t log, const char *fmt, ...)
{
	char line[UTCB_MR_COUNT * sizeof(word_t)];
	va_list ap;
	va_start(ap, fmt);
	format_vbuf(line, sizeof(line), fmt,
		    ap); /* always terminated: cut to what one write takes */
	va_end(ap);
	return log_session_write(log, line);
}

err_t log_session_write(cap_t log, const char *text)
{
	msg_t m = {0};
	unsigned words = msg_put_string(&m, text, UTCB_MR_COUNT);
	if (!words)
		return ERR_INVALID_ARGS;
	m.info = MSG_INFO(LOG_WRITE, words, 0);
	err_t e = sys_call(log, &m);
	return e != ERR_OK ? e : (err_t)MSG_LABEL(m.info);
}
