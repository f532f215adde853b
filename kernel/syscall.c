/*
 * System-call dispatch. Each call is split into decode (look up and check
 * every capability and argument, return a precise error) and perform (which
 * cannot fail). Nothing a user passes reaches a panic.
 */
#include <object.h>
#include <pd.h>
#include <thread.h>
#include <ipc.h>
#include <signal.h>
#include <sched.h>
#include <frame.h>
#include <vm.h>
#include <arch.h>
#include <kstring.h>
#include <print.h>
#include <arch/frame.h>
#include <abi/slots.h>
#include "syscall_core.h"

obj_t kernel_object = {OBJ_KERNEL};

#define DEBUG_LOG_MAX 256

typedef err_t (*syscall_fn_t)(trap_frame_t *f);

err_t syscall_lookup(word_t slot, uint8_t type, uint8_t rights, cap_entry_t **e)
{
	if (slot > 0xffffffffull)
		return ERR_INVALID_CAP;
	return cap_lookup(current->pd, (cap_t)slot, type, rights, e);
}

static err_t sys_call(trap_frame_t *f)
{
	LOOKUP(ARG(0), OBJ_ENDPOINT, RIGHT_SEND, ep);
	return ipc_call((endpoint_t *)cap_entry_obj(ep_cap), ep_cap->badge);
}

static err_t sys_reply_wait(trap_frame_t *f)
{
	if (ARG(0) == 0) /* no endpoint: reply only, and go on running */
		return ARG(1) == SYS_NO_REPLY ? ERR_INVALID_ARGS : ipc_reply((word_t)ARG(1));
	LOOKUP(ARG(0), OBJ_ENDPOINT, RIGHT_RECV, ep);
	return ipc_reply_wait((endpoint_t *)cap_entry_obj(ep_cap), ARG(1));
}

static err_t sys_signal_submit(trap_frame_t *f)
{
	LOOKUP(ARG(0), OBJ_SIGNAL, RIGHT_SEND, s);
	signal_submit((signal_t *)cap_entry_obj(s_cap));
	return ERR_OK;
}

static err_t sys_signal_wait(trap_frame_t *f)
{
	LOOKUP(ARG(0), OBJ_SIGNAL, RIGHT_RECV, s);
	return signal_wait((signal_t *)cap_entry_obj(s_cap));
}

static err_t sys_yield(trap_frame_t *f)
{
	sched_yield();
	return ERR_OK;
}

static err_t sys_cap_delete(trap_frame_t *f)
{
	if (ARG(0) > 0xffffffffull)
		return ERR_INVALID_CAP;
	return cap_delete(current->pd, (cap_t)ARG(0));
}

static err_t sys_irq_ack(trap_frame_t *f)
{
	LOOKUP(ARG(0), OBJ_IRQ, RIGHT_RECV, irq);
	irq_ack((irq_t *)cap_entry_obj(irq_cap));
	return ERR_OK;
}

/*
 * sys_debug_log: unlabelled text on the console, for core alone (it holds
 * the kernel capability): a component writes through its LOG session,
 * labelled by core, so that no component can print a line that looks
 * like the kernel's or core's.
 */
static err_t sys_debug_log(trap_frame_t *f)
{
	char buf[DEBUG_LOG_MAX + 1];
	word_t len = ARG(1);
	cap_entry_t *k;
	if (cap_lookup(current->pd, SLOT_KERNEL, OBJ_KERNEL, 0, &k) != ERR_OK)
		return ERR_DENIED;
	if (len > DEBUG_LOG_MAX)
		return ERR_INVALID_ARGS;
	err_t e = vm_copy_from_user(current->pd->root, buf, ARG(0), len);
	if (e != ERR_OK)
		return e;
	buf[len] = 0;
	for (word_t i = 0; i < len; i++) /* keep the console sane */
		if ((buf[i] < 32 && buf[i] != '\n' && buf[i] != '\t') || buf[i] == 127)
			buf[i] = '?';
	kprintf("%s", buf);
	return ERR_OK;
}

static err_t sys_null(trap_frame_t *f)
{
	return ERR_OK;
}

static err_t sys_cap_identify(trap_frame_t *f)
{
	LOOKUP(ARG(0), OBJ_NONE, 0, c);
	word_t other = ARG(1), same = 0;
	cap_entry_t *o;
	if (other && syscall_lookup(other, OBJ_NONE, 0, &o) == ERR_OK)
		same = o->pfn == c_cap->pfn && o->type == c_cap->type;
	ARG(1) = c_cap->type;
	ARG(2) = c_cap->rights;
	ARG(3) = c_cap->badge;
	ARG(4) = same;
	return ERR_OK;
}

/* ---- privileged calls: ARG(0) must be the kernel capability ---- */

static const syscall_fn_t syscall_table[SYS_COUNT] = {
    [SYS_CALL] = sys_call,
    [SYS_REPLY_WAIT] = sys_reply_wait,
    [SYS_SIGNAL_SUBMIT] = sys_signal_submit,
    [SYS_SIGNAL_WAIT] = sys_signal_wait,
    [SYS_YIELD] = sys_yield,
    [SYS_CAP_DELETE] = sys_cap_delete,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_DEBUG_LOG] = sys_debug_log,
    [SYS_NULL] = sys_null,
    [SYS_CAP_IDENTIFY] = sys_cap_identify,
    [SYS_CREATE] = sys_create,
    [SYS_DESTROY] = sys_destroy,
    [SYS_MAP] = sys_map,
    [SYS_UNMAP] = sys_unmap,
    [SYS_CAP_MINT] = sys_cap_mint,
    [SYS_THREAD_START] = sys_thread_start,
    [SYS_THREAD_STATE] = sys_thread_state,
    [SYS_IRQ_BIND] = sys_irq_bind,
    [SYS_CAP_TABLE_GROW] = sys_cap_table_grow,
    [SYS_PD_IO_PORTS] = sys_pd_io_ports,
    [SYS_ZERO] = sys_zero,
};

/*
 * syscall_dispatch: the general path (the entry code tries the IPC fast
 * paths first); returns the frame to leave the kernel with.
 */
trap_frame_t *syscall_dispatch(trap_frame_t *f)
{
	word_t nr = *frame_sreg(f, SREG_RESULT);
	syscall_fn_t fn = nr < SYS_COUNT ? syscall_table[nr] : 0;
	err_t e = fn ? fn(f) : ERR_UNKNOWN_SYSCALL;
	*frame_sreg(f, SREG_RESULT) = e; /* f is this thread's frame, even after blocking */
	sched_preempt_point();
	return f;
}
