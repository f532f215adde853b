/*
 * <setjmp.h> of the component runtime (lib/sys/setjmp.S): the
 * callee-saved registers, stack pointer and return address; the FPU's
 * control words are not saved. Within one thread.
 */
#pragma once

typedef unsigned long jmp_buf[8];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);
