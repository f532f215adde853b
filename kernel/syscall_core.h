/* Internal to the system-call code: helpers and the privileged calls. */
#pragma once

#include <object.h>
#include <arch/frame.h>

#define ARG(i) (*frame_sreg(f, SREG_A0 + (i)))

/* syscall_lookup: look up slot in the current PD (slot must fit cap_t). */
err_t syscall_lookup(word_t slot, uint8_t type, uint8_t rights, cap_entry_t **e);

#define LOOKUP(slot, type, rights, var)                                    \
	cap_entry_t *var##_cap;                                            \
	do {                                                               \
		err_t e_ = syscall_lookup(slot, type, rights, &var##_cap); \
		if (e_ != ERR_OK)                                          \
			return e_;                                         \
	} while (0)

err_t sys_create(trap_frame_t *f);
err_t sys_destroy(trap_frame_t *f);
err_t sys_map(trap_frame_t *f);
err_t sys_unmap(trap_frame_t *f);
err_t sys_cap_mint(trap_frame_t *f);
err_t sys_thread_start(trap_frame_t *f);
err_t sys_thread_state(trap_frame_t *f);
err_t sys_irq_bind(trap_frame_t *f);
err_t sys_cap_table_grow(trap_frame_t *f);
err_t sys_pd_io_ports(trap_frame_t *f);
err_t sys_zero(trap_frame_t *f);
