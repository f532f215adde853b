/*
 * Child components: any component can start one from a ROM module. The
 * child gets a PD of its own at core, paid from quota its creator hands
 * over, its binary's segments attached into its address space (text and
 * read-only data straight from the ROM dataspace, writeable data copied
 * into RAM of the child's, bss zeroed), a stack, its initial thread, and a
 * parent capability that names an endpoint of its creator: the creator
 * answers the child's parent requests (sessions, exit) on that endpoint,
 * telling children apart by the badge.
 */
#pragma once

#include <env.h>

typedef struct {
	cap_t pd;	   /* the child's PD session: closing it destroys the child */
	cap_t rm;	   /* its address space */
	attached_ds_t rom; /* its binary, attached here: kept while the child lives */
	vaddr_t entry;
} child_t;

typedef struct {
	const char *name;   /* the child's name at core (its log lines carry it) */
	const char *binary; /* the ROM module of its executable */
	uint64_t ram, caps; /* quota handed over: the child's account holds it */
	unsigned prio;	    /* of its initial thread, capped by the creator's */
	cap_t parent_ep;    /* an endpoint of the creator's: the child's parent */
	word_t badge;	    /* carried by the child's parent capability */
	uint64_t stack;	    /* bytes of its initial stack (0: 64 KiB) */
	attached_ds_t *rom; /* its binary attached already (child_create takes it), or 0 */
} child_args_t;

/*
 * child_create: start the child args describes, from the ROM module
 * binary or, if the creator attached it already (to check it early, as
 * init does), from *rom, which the child then owns (released with it,
 * also on error). Errors: the loader's
 * (ELF_*: the binary is refused, nothing of the child stays), NOT_FOUND (no
 * such ROM module), OUT_OF_RAM / OUT_OF_CAPS (the creator's quota does not
 * cover the handover, or the handover does not cover the child's image and
 * stack), LIMIT, INVALID_ARGS. On error everything is undone.
 */
err_t child_create(env_t *env, const child_args_t *args, child_t *out);

/* child_destroy: end the child and take back its quota (the creator's again). */
void child_destroy(env_t *env, child_t *c);
