/* Malformed requests on the PD session: allocation, freeing, transfers and threads. */
#include <log.h>
#include <parent.h>
#include "abuse.h"

static void bad_allocations(env_t *env)
{
	pd_quota_t q;
	pd_quota(env->pd, &q);
	expect("PD_ALLOC: size 0", request(env->pd, PD_ALLOC, 0, 0, 0, 0, 0), ERR_INVALID_ARGS);
	expect("PD_ALLOC: size 2^62", request(env->pd, PD_ALLOC, 0, 1ull << 62, 0, 0, 0),
	       ERR_INVALID_ARGS);
	expect("PD_ALLOC: size 2^64-1", request(env->pd, PD_ALLOC, 0, ~0ull, 0, 0, 0),
	       ERR_INVALID_ARGS);
	expect("PD_ALLOC: unknown flags", request(env->pd, PD_ALLOC, 0, 4096, 0x80, 0, 0),
	       ERR_INVALID_ARGS);
	expect("PD_ALLOC: more than the quota",
	       request(env->pd, PD_ALLOC, 0, q.ram_quota + PAGE_SIZE, 0, 0, 0), ERR_OUT_OF_RAM);
	expect("PD_ALLOC: one page more than is left",
	       request(env->pd, PD_ALLOC, 0, q.ram_quota - q.ram_used + PAGE_SIZE, 0, 0, 0),
	       ERR_OUT_OF_RAM);
	cap_t ds;
	err_t e = pd_alloc(env->pd, 2 * PAGE_SIZE, 0, &ds);
	expect("PD_ALLOC: a normal allocation afterwards", e, ERR_OK);
	if (e == ERR_OK)
		expect("PD_FREE: the normal allocation", pd_free(env->pd, ds), ERR_OK);
}

static void bad_frees(env_t *env)
{
	expect("PD_FREE: no capability", request(env->pd, PD_FREE, 0, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("PD_FREE: a session capability", request(env->pd, PD_FREE, env->log, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("PD_FREE: the parent capability", request(env->pd, PD_FREE, SLOT_PARENT, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	attached_ds_t rom;
	err_t e = attached_rom_ds(env, "config", &rom);
	expect("ROM: the config module", e, ERR_OK);
	if (e == ERR_OK) {
		expect("PD_FREE: a ROM dataspace", request(env->pd, PD_FREE, rom.ds, 0, 0, 0, 0),
		       ERR_DENIED);
		attached_ds_release(env, &rom);
	}
	cap_t ds;
	if ((e = pd_alloc(env->pd, PAGE_SIZE, 0, &ds)) != ERR_OK) {
		expect("PD_ALLOC: a page to free twice", e, ERR_OK);
		return;
	}
	expect("PD_FREE: first free", request(env->pd, PD_FREE, ds, 0, 0, 0, 0), ERR_OK);
	expect("PD_FREE: double free", request(env->pd, PD_FREE, ds, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	expect("PD_DS_INFO: a freed dataspace", request(env->pd, PD_DS_INFO, ds, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
	sys_cap_delete(ds);
}

static void bad_transfers(env_t *env)
{
	expect("PD_TRANSFER: no capability", request(env->pd, PD_TRANSFER, 0, 4096, 0, 0, 0),
	       ERR_INVALID_CAP);
	expect("PD_TRANSFER: to a LOG session",
	       request(env->pd, PD_TRANSFER, env->log, 4096, 0, 0, 0), ERR_INVALID_CAP);
	expect("PD_TRANSFER: to the address space",
	       request(env->pd, PD_TRANSFER, env->rm, 4096, 0, 0, 0), ERR_INVALID_CAP);
	expect("PD_TRANSFER: to the parent",
	       request(env->pd, PD_TRANSFER, SLOT_PARENT, 4096, 0, 0, 0), ERR_INVALID_CAP);
	expect("PD_TRANSFER: 2^60 bytes",
	       request(env->pd, PD_TRANSFER, env->pd, 1ull << 60, 0, 0, 0), ERR_OUT_OF_RAM);
	expect("PD_TRANSFER: 2^64-1 bytes", request(env->pd, PD_TRANSFER, env->pd, ~0ull, 0, 0, 0),
	       ERR_OUT_OF_RAM);
	expect("PD_TRANSFER: 2^64-1 caps", request(env->pd, PD_TRANSFER, env->pd, 0, ~0ull, 0, 0),
	       ERR_OUT_OF_CAPS);
}

static void bad_threads(env_t *env)
{
	expect("PD_THREAD: kernel ip",
	       request(env->pd, PD_THREAD, 0, 0xffffffff80100000ull, 0x1000, 16, 0),
	       ERR_BAD_ADDRESS);
	expect("PD_THREAD: non-canonical sp",
	       request(env->pd, PD_THREAD, 0, 0x400000, 0x0000800000000000ull, 16, 0),
	       ERR_BAD_ADDRESS);
	expect("PD_DS_INFO: no capability", request(env->pd, PD_DS_INFO, 0, 0, 0, 0, 0),
	       ERR_INVALID_DATASPACE);
}

/*
 * PD_MINT: only an endpoint held whole is minted; a session or the parent
 * (send-only copies) is refused. run/init_services mints for real.
 */
static void bad_mints(env_t *env)
{
	expect("PD_MINT: no capability", request(env->pd, PD_MINT, 0, 7, 0, 0, 0), ERR_INVALID_CAP);
	expect("PD_MINT: a LOG session", request(env->pd, PD_MINT, env->log, 7, 0, 0, 0),
	       ERR_INVALID_CAP);
	expect("PD_MINT: the PD session", request(env->pd, PD_MINT, env->pd, 7, 0, 0, 0),
	       ERR_INVALID_CAP);
	expect("PD_MINT: the parent capability", request(env->pd, PD_MINT, SLOT_PARENT, 7, 0, 0, 0),
	       ERR_INVALID_CAP);
}

/* PD_FAULT_SIGNAL is the creator's: on the component's own PD it is refused */
static void bad_fault_signals(env_t *env)
{
	expect("PD_FAULT_SIGNAL: on its own PD, no capability",
	       request(env->pd, PD_FAULT_SIGNAL, 0, 0, 0, 0, 0), ERR_DENIED);
	expect("PD_FAULT_SIGNAL: on its own PD, a LOG session",
	       request(env->pd, PD_FAULT_SIGNAL, env->log, 0, 0, 0, 0), ERR_DENIED);
	pd_fault_info_reply_t f;
	/* answered for its own PD too (earlier checks of this component may have stopped threads) */
	expect("PD_FAULT_INFO: its own", pd_fault_info(env->pd, &f), ERR_OK);
}

void abuse_pd(env_t *env)
{
	bad_mints(env);
	bad_fault_signals(env);
	bad_allocations(env);
	bad_frees(env);
	bad_transfers(env);
	bad_threads(env);
}
