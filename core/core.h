/* core's internal interfaces: physical frames, kernel objects, components. */
#pragma once

#include <abi/types.h>
#include <abi/err.h>
#include <abi/bootinfo.h>
#include <abi/syscall.h>
#include <abi/slots.h>
#include <sys.h>

#define CORE_OWNER 0 /* frames core keeps for itself */
#define MAX_COMPONENTS 32
#define MAX_THREADS 8

/* Address-space layout of components. */
#define COMP_UTCB_BASE 0x00006f0000000000ull /* thread i's UTCB at + i pages */
#define COMP_STACK_TOP 0x0000700000000000ull /* main thread stack below this */
#define COMP_STACK_SIZE (64 * 1024)
#define COMP_DEMAND_BASE 0x0000500000000000ull
#define COMP_DEMAND_SIZE (16ull << 20)

/* phys: the free RAM, one owner per frame. */
void phys_init(const bootinfo_t *bi);
/* phys_alloc: a zeroed frame charged to owner. OUT_OF_RAM when none is left. */
err_t phys_alloc(unsigned owner, paddr_t *pa);
void phys_free(paddr_t pa);
/* phys_free_owner: return every frame of owner; the count returned. */
uint64_t phys_free_owner(unsigned owner);
uint64_t phys_free_count(void);
void *phys_window(paddr_t pa);

/* Capability slots of core. */
cap_t slot_alloc(void);
void slot_free(cap_t slot);

/* kobj_create: a kernel object of type in fresh frames of owner, its cap in *slot. */
err_t kobj_create(unsigned owner, word_t type, word_t arg0, word_t arg1, cap_t *slot);

typedef struct {
	int used;
	unsigned id;
	char name[48];
	cap_t pd;
	cap_t threads[MAX_THREADS];
	cap_t pagers[MAX_THREADS];
	unsigned thread_count;
	unsigned max_prio;
	cap_t objects[64]; /* endpoints, signals, IRQs made for it */
	unsigned object_count;
} component_t;

/* component_object: a kernel object of type made for c and remembered for its end. */
err_t component_object(component_t *c, word_t type, word_t arg, cap_t *slot);

/* component_map: map pa at va in c's PD, adding page tables as needed. */
err_t component_map(component_t *c, vaddr_t va, paddr_t pa, unsigned flags);

/* component_start: load the boot module name as a new component. */
err_t component_start(const bootinfo_t *bi, const char *name, component_t **out);

/* component_thread: a new thread in c; idx of the thread in *out. */
err_t component_thread(component_t *c, word_t ip, word_t sp, unsigned prio, word_t arg,
		       unsigned *out);

/* component_destroy: destroy c's PD and take back everything it held. */
void component_destroy(component_t *c);

component_t *component_by_badge(word_t badge);

/* The endpoint core serves on and the kernel capability. */
extern cap_t core_ep;

/* core_test_abuse: privileged calls with every kind of bad argument. */
void core_test_abuse(void);

/* service_loop: serve parents' requests and page faults forever. */
_Noreturn void service_loop(const bootinfo_t *bi);
