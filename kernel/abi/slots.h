/* Capability slots that a new protection domain finds filled. */
#pragma once

#define SLOT_NONE 0
#define SLOT_KERNEL 1 /* core only: the kernel capability */
#define SLOT_PARENT 1 /* components: endpoint to the parent, badged */
#define SLOT_SELF_PD 2
#define SLOT_SELF_THREAD 3
#define SLOT_FIRST_FREE 8
#define SLOT_COUNT_MIN 160 /* every PD has at least slots 0 .. SLOT_COUNT_MIN - 1 */
#define CAP_SLOTS_PER_PAGE 170 /* slots one more frame of a PD's table adds (4096 / 24) */
