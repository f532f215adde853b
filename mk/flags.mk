# Compiler and linker flags: the one place for kernel, user and host flags.
# CROSS_COMPILE selects a prefix for a real x86_64-elf toolchain, e.g.
#   make CROSS_COMPILE=x86_64-elf-
CROSS_COMPILE ?=
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
AR      := $(CROSS_COMPILE)ar
NM      := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
HOSTCC  ?= gcc
CLANG   ?= clang

WARN := -Wall -Wextra -Werror -Wno-unused-parameter

# Shared by kernel and user code: freestanding, frame pointers for backtraces.
# -nostdinc: never the host's C library headers, only the compiler's own
# (stddef.h, stdint.h, stdarg.h, stdbool.h, limits.h) and ours.
COMPILER_INCLUDE := $(shell $(CC) -print-file-name=include)
TARGET_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-tree-loop-distribute-patterns -MMD -MP $(WARN) \
	-nostdinc -isystem $(COMPILER_INCLUDE)
# Code that must never touch the FPU: the kernel (it saves user FPU state, it
# has none of its own), core and the component library, so that a thread
# that only does system work never acquires FPU state and its switches cost
# nothing for it. Components themselves use the ordinary x86-64 ABI (SSE2).
NO_FPU_CFLAGS := -mgeneral-regs-only

KERNEL_CFLAGS := $(TARGET_CFLAGS) $(NO_FPU_CFLAGS) -mno-red-zone -mcmodel=kernel \
	-Ikernel/include -Ikernel/arch/x86_64/include -Ikernel
KERNEL_ASFLAGS := -Ikernel/include -Ikernel/arch/x86_64/include -Ikernel -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments

# lib and core: user mode, no FPU. Components: user mode, the full x86-64 ABI.
USER_CFLAGS := $(TARGET_CFLAGS) $(NO_FPU_CFLAGS) -mcmodel=small -Ilib/include -Ikernel
APP_CFLAGS := $(TARGET_CFLAGS) -mcmodel=small -Ilib/include -Ikernel -Ilib/include/libc
USER_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack

# Host builds of portable code (unit tests, fuzzing, benchmarks).
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Ilib/include -Ikernel -MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
