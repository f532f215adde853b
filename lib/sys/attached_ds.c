/* Allocate or open a dataspace and attach it in one step, undone on failure. */
#include <env.h>
#include <log.h>
#include <mem.h>

/* session_ds: the dataspace of a ROM or IO_MEM session, and its size. */
static err_t session_ds(cap_t session, unsigned op, cap_t *ds, uint64_t *size)
{
	msg_t m = {.info = MSG_INFO(op, 0, 0)};
	cap_t got;
	err_t e = sys_call_caps(session, &m, 1, &got);
	if (e == ERR_OK)
		e = (err_t)MSG_LABEL(m.info);
	if (e == ERR_OK && !got)
		e = ERR_NO_CAP_RECEIVED;
	if (e == ERR_OK)
		*ds = got, *size = MSG_AS(&m, ds_size_reply_t)->size;
	else if (got)
		slot_free(got);
	return e;
}

err_t attached_ram_ds(env_t *env, uint64_t size, attached_ds_t *out)
{
	memset(out, 0, sizeof(*out));
	err_t e = pd_alloc(env->pd, size, 0, &out->ds);
	if (e != ERR_OK)
		return e;
	rm_attach_attr_t a = {.flags = RM_WRITEABLE};
	if ((e = rm_attach(env->rm, out->ds, &a, &out->addr)) != ERR_OK) {
		pd_free(env->pd, out->ds);
		out->ds = 0;
		return e;
	}
	out->size = size;
	return ERR_OK;
}

err_t attached_received_ds(env_t *env, cap_t ds, unsigned flags, attached_ds_t *out)
{
	uint64_t size;
	unsigned kind;
	int writeable;
	memset(out, 0, sizeof(*out));
	err_t e = pd_ds_info(env->pd, ds, &size, &kind, &writeable);
	if (e != ERR_OK)
		return e;
	if ((flags & RM_WRITEABLE) && !writeable)
		return ERR_INVALID_ARGS;
	rm_attach_attr_t a = {.flags = flags & (RM_WRITEABLE | RM_EXECUTABLE)};
	if ((e = rm_attach(env->rm, ds, &a, &out->addr)) != ERR_OK)
		return e;
	out->ds = ds, out->size = size, out->received = 1;
	return ERR_OK;
}

/* open_and_attach: a session, its dataspace, attached with flags; all undone on failure. */
static err_t open_and_attach(env_t *env, const char *args, unsigned op, unsigned flags,
			     attached_ds_t *out)
{
	memset(out, 0, sizeof(*out));
	err_t e = parent_session_open(args, &out->session);
	if (e != ERR_OK)
		return e;
	rm_attach_attr_t a = {.flags = flags};
	if ((e = session_ds(out->session, op, &out->ds, &out->size)) == ERR_OK &&
	    (e = rm_attach(env->rm, out->ds, &a, &out->addr)) == ERR_OK)
		return ERR_OK;
	if (out->ds)
		slot_free(out->ds);
	parent_session_close(out->session);
	memset(out, 0, sizeof(*out));
	return e;
}

err_t attached_rom_ds(env_t *env, const char *name, attached_ds_t *out)
{
	char args[SESSION_ARGS_MAX];
	format_buf(args, sizeof(args), "ROM label=%s ram_quota=4096", name);
	return open_and_attach(env, args, ROM_DATASPACE, 0, out);
}

err_t attached_io_mem_ds(env_t *env, paddr_t base, uint64_t size, attached_ds_t *out)
{
	char args[SESSION_ARGS_MAX];
	format_buf(args, sizeof(args), "IO_MEM base=0x%lx size=0x%lx ram_quota=4096", base, size);
	return open_and_attach(env, args, IO_MEM_DATASPACE, RM_WRITEABLE, out);
}

void attached_ds_release(env_t *env, attached_ds_t *ds)
{
	if (ds->addr)
		rm_detach(env->rm, ds->addr);
	if (ds->received) {
		slot_free(ds->ds); /* the owner frees it */
	} else if (ds->session) {
		slot_free(ds->ds);
		parent_session_close(ds->session);
	} else if (ds->ds) {
		pd_free(env->pd, ds->ds);
	}
	memset(ds, 0, sizeof(*ds));
}
