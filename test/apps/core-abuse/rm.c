/*
 * Malformed requests on region maps: the component's address space and an
 * RM session. Attachments with wrong capabilities, flags, offsets, sizes and
 * addresses, detaching nothing, fault handlers that are not signals, and
 * managed dataspaces attached into themselves or in a cycle.
 */
#include <log.h>
#include <parent.h>
#include "abuse.h"

#define RM_SESSION_SIZE 0x100000ull

/* attach: a raw RM_ATTACH of ds into rm. */
static err_t attach(cap_t rm, cap_t ds, uint64_t size, uint64_t offset, vaddr_t at, unsigned flags)
{
	return request(rm, RM_ATTACH, ds, size, offset, at, flags);
}

static void bad_capabilities(env_t *env, cap_t ram)
{
	expect("RM_ATTACH: no capability", attach(env->rm, 0, 0, 0, 0, 0), ERR_INVALID_DATASPACE);
	expect("RM_ATTACH: a session instead of a dataspace", attach(env->rm, env->log, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("RM_ATTACH: the PD session", attach(env->rm, env->pd, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("RM_ATTACH: the parent", attach(env->rm, SLOT_PARENT, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("RM_FAULT_HANDLER: no capability", request(env->rm, RM_FAULT_HANDLER, 0, 0, 0, 0, 0),
	       ERR_INVALID_CAP);
	expect("RM_FAULT_HANDLER: an endpoint",
	       request(env->rm, RM_FAULT_HANDLER, env->log, 0, 0, 0, 0), ERR_INVALID_CAP);
	expect("RM_FAULT_HANDLER: a dataspace", request(env->rm, RM_FAULT_HANDLER, ram, 0, 0, 0, 0),
	       ERR_INVALID_CAP);
	expect("RM_DATASPACE: of the address space", request(env->rm, RM_DATASPACE, 0, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
}

static void bad_attributes(env_t *env, cap_t ram, cap_t rom)
{
	expect("RM_ATTACH: writeable ROM", attach(env->rm, rom, 0, 0, 0, RM_WRITEABLE),
	       ERR_INVALID_ARGS);
	expect("RM_ATTACH: writeable and executable",
	       attach(env->rm, ram, 0, 0, 0, RM_WRITEABLE | RM_EXECUTABLE), ERR_INVALID_ARGS);
	expect("RM_ATTACH: unknown flags", attach(env->rm, ram, 0, 0, 0, 0x80), ERR_INVALID_ARGS);
	expect("RM_ATTACH: offset beyond the size", attach(env->rm, ram, 0, 0x10000, 0, 0),
	       ERR_OUT_OF_RANGE);
	expect("RM_ATTACH: offset at the size", attach(env->rm, ram, 0, 2 * PAGE_SIZE, 0, 0),
	       ERR_OUT_OF_RANGE);
	expect("RM_ATTACH: unaligned offset", attach(env->rm, ram, 0, 0x10, 0, 0), ERR_UNALIGNED);
	expect("RM_ATTACH: offset 2^64-4096", attach(env->rm, ram, 0, ~0xfffull, 0, 0),
	       ERR_OUT_OF_RANGE);
	expect("RM_ATTACH: size beyond the dataspace", attach(env->rm, ram, 3 * PAGE_SIZE, 0, 0, 0),
	       ERR_OUT_OF_RANGE);
	expect("RM_ATTACH: size 2^64-1", attach(env->rm, ram, ~0ull, 0, 0, 0), ERR_OUT_OF_RANGE);
	expect("RM_ATTACH: offset plus size wraps",
	       attach(env->rm, ram, ~0xfffull, PAGE_SIZE, 0, 0), ERR_OUT_OF_RANGE);
}

static void bad_addresses(env_t *env, cap_t ram)
{
	static const vaddr_t outside[] = {0x1000, 0x7ffffffff000ull, 0xfffffffffffff000ull,
					  0xffff800000000000ull};
	for (unsigned i = 0; i < sizeof(outside) / sizeof(outside[0]); i++)
		expect("RM_ATTACH: at outside the address space",
		       attach(env->rm, ram, 0, 0, outside[i], RM_USE_AT), ERR_OUT_OF_RANGE);
	vaddr_t at;
	rm_attach_attr_t a = {.flags = RM_WRITEABLE};
	err_t e = rm_attach(env->rm, ram, &a, &at);
	expect("RM_ATTACH: a normal attachment", e, ERR_OK);
	if (e != ERR_OK)
		return;
	expect("RM_ATTACH: misaligned at", attach(env->rm, ram, 0, 0, at + 0x100010, RM_USE_AT),
	       ERR_UNALIGNED);
	expect("RM_ATTACH: at an attachment", attach(env->rm, ram, 0, 0, at, RM_USE_AT),
	       ERR_REGION_CONFLICT);
	expect("RM_ATTACH: overlapping an attachment",
	       attach(env->rm, ram, 0, 0, at + PAGE_SIZE, RM_USE_AT), ERR_REGION_CONFLICT);
	expect("RM_ATTACH: overlapping from below",
	       attach(env->rm, ram, 0, 0, at - PAGE_SIZE, RM_USE_AT), ERR_REGION_CONFLICT);
	expect("RM_DETACH: the attachment", rm_detach(env->rm, at + PAGE_SIZE), ERR_OK);
	expect("RM_DETACH: again", rm_detach(env->rm, at), ERR_NOT_FOUND);
	expect("RM_DETACH: nothing at 0", rm_detach(env->rm, 0), ERR_NOT_FOUND);
	expect("RM_DETACH: nothing at 2^64-1", rm_detach(env->rm, ~0ull), ERR_NOT_FOUND);
}

static void bad_rm_session(env_t *env, cap_t ram)
{
	cap_t rm = session("RM size=0x100000 ram_quota=16384"), managed;
	if (!rm)
		return;
	expect("RM: attach beyond its end",
	       attach(rm, ram, 0, 0, RM_SESSION_SIZE - PAGE_SIZE, RM_USE_AT), ERR_OUT_OF_RANGE);
	expect("RM: attach at its end", attach(rm, ram, 0, 0, RM_SESSION_SIZE, RM_USE_AT),
	       ERR_OUT_OF_RANGE);
	expect("RM: detach nothing", rm_detach(rm, 0), ERR_NOT_FOUND);
	err_t e = request_cap(rm, RM_DATASPACE, 0, 0, &managed);
	expect("RM_DATASPACE: of an RM session", e, ERR_OK);
	if (e == ERR_OK) {
		expect("RM: its own dataspace into itself", attach(rm, managed, 0, 0, 0, 0),
		       ERR_INVALID_DATASPACE);
		expect("PD_FREE: a managed dataspace",
		       request(env->pd, PD_FREE, managed, 0, 0, 0, 0), ERR_DENIED);
		sys_cap_delete(managed);
	}
	expect("closing the RM session", parent_session_close(rm), ERR_OK);
}

/*
 * rm_cycle: X inside Y, then Y inside X. core may refuse the cycle or accept
 * it, but must then survive closing both (the unmap walk through the cycle).
 */
static void rm_cycle(env_t *env)
{
	cap_t x = session("RM size=0x100000 ram_quota=16384");
	cap_t y = session("RM size=0x100000 ram_quota=16384");
	cap_t x_ds = 0, y_ds = 0;
	if (!x || !y || request_cap(x, RM_DATASPACE, 0, 0, &x_ds) != ERR_OK ||
	    request_cap(y, RM_DATASPACE, 0, 0, &y_ds) != ERR_OK) {
		expect("RM: set-up of the cycle", ERR_INVALID_CAP, ERR_OK);
		return;
	}
	expect("RM: one managed dataspace inside another", attach(y, x_ds, 0, 0, 0, 0), ERR_OK);
	err_t e = attach(x, y_ds, 0, 0, 0, 0);
	expect("RM: the other inside the first (a cycle)", e == ERR_OK ? ERR_INVALID_DATASPACE : e,
	       ERR_INVALID_DATASPACE);
	sys_cap_delete(x_ds);
	sys_cap_delete(y_ds);
	expect("RM: closing the first of the cycle", parent_session_close(x), ERR_OK);
	expect("RM: closing the second of the cycle", parent_session_close(y), ERR_OK);
}

void abuse_rm(env_t *env)
{
	cap_t ram;
	attached_ds_t rom;
	if (pd_alloc(env->pd, 2 * PAGE_SIZE, 0, &ram) != ERR_OK ||
	    attached_rom_ds(env, "config", &rom) != ERR_OK) {
		expect("RM: set-up", ERR_OUT_OF_RAM, ERR_OK);
		return;
	}
	bad_capabilities(env, ram);
	bad_attributes(env, ram, rom.ds);
	bad_addresses(env, ram);
	bad_rm_session(env, ram);
	rm_cycle(env);
	attached_ds_release(env, &rom);
	expect("PD_FREE: the dataspace of the RM checks", pd_free(env->pd, ram), ERR_OK);
}
