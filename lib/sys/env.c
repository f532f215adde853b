/*
 * The component environment: sessions to core, a heap and a sliced heap
 * whose backing store is RAM dataspaces attached to the address space.
 */
#include <env.h>
#include <parent.h>
#include <log.h>
#include <mem.h>
#include <abi/slots.h>

_Static_assert(sizeof(env_region_page_t) <= 4096, "a page of region records fits a page");

/* region_slot: the record of the region at base (0: a free record), and its page (0: inline). */
static env_region_t *region_slot(env_t *env, vaddr_t base, env_region_page_t **page)
{
	*page = 0;
	for (unsigned i = 0; i < ENV_REGIONS_INLINE; i++)
		if (env->regions[i].base == base)
			return &env->regions[i];
	for (env_region_page_t *p = env->more; p; p = p->next) {
		if (!base && p->used == ENV_REGIONS_PAGE)
			continue;
		for (unsigned i = 0; i < ENV_REGIONS_PAGE; i++)
			if (p->region[i].base == base)
				return *page = p, &p->region[i];
	}
	return 0;
}

/* more_records: a page for further records, itself a RAM dataspace (its errors are the quota's). */
static err_t more_records(env_t *env)
{
	attached_ds_t ds;
	err_t e = attached_ram_ds(env, 4096, &ds);
	if (e != ERR_OK)
		return e;
	env_region_page_t *p = (env_region_page_t *)ds.addr; /* zeroed by core */
	p->ds = ds.ds, p->next = env->more;
	env->more = p;
	return ERR_OK;
}

static err_t env_backing_get(void *ctx, size_t size, void **out)
{
	env_t *env = ctx;
	env_region_page_t *page;
	env_region_t *r = region_slot(env, 0, &page);
	err_t e = r ? ERR_OK : more_records(env);
	if (e != ERR_OK)
		return e;
	if (!r)
		r = region_slot(env, 0, &page);
	attached_ds_t ds;
	if ((e = attached_ram_ds(env, size, &ds)) != ERR_OK)
		return e; /* an empty page of records stays for the next */
	r->base = ds.addr, r->size = size, r->ds = ds.ds;
	if (page)
		page->used++;
	*out = (void *)ds.addr;
	return ERR_OK;
}

static void env_backing_put(void *ctx, void *base, size_t size)
{
	env_t *env = ctx;
	env_region_page_t *page;
	env_region_t *r = base ? region_slot(env, (vaddr_t)base, &page) : 0;
	if (!r)
		return;
	attached_ds_t ds = {0, r->ds, r->base, r->size, 0};
	attached_ds_release(env, &ds);
	r->base = 0, r->ds = 0;
	if (page && --page->used == 0) { /* an empty page of records goes back */
		env_region_page_t **pp = &env->more;
		while (*pp != page)
			pp = &(*pp)->next;
		*pp = page->next;
		attached_ds_t mine = {0, page->ds, (vaddr_t)page, 4096, 0};
		attached_ds_release(env, &mine);
	}
}

static size_t env_backing_avail(void *ctx)
{
	env_t *env = ctx;
	pd_quota_t q;
	if (pd_quota(env->pd, &q) != ERR_OK)
		return 0;
	return q.ram_quota - q.ram_used;
}

unsigned env_backing_regions(const env_t *env)
{
	unsigned n = 0;
	for (unsigned i = 0; i < ENV_REGIONS_INLINE; i++)
		n += env->regions[i].base != 0;
	for (const env_region_page_t *p = env->more; p; p = p->next)
		n += p->used;
	return n;
}

static const backing_ops_t env_backing_ops = {env_backing_get, env_backing_put, env_backing_avail};

/* grow_slots: slot_alloc found none left: a page more of the table, from the RAM quota. */
static cap_t grow_slots(void)
{
	cap_t count;
	return pd_grow_slots(SLOT_PD_SESSION, &count) == ERR_OK ? count : 0;
}

err_t env_init(env_t *env, word_t arg)
{
	slot_set_grow(grow_slots);
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
		log_set_session(env->log);
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
