/* SPDX-License-Identifier: MIT */
/*
 * The cycle counter generic time is built on: the TSC. Its frequency is
 * arch/x86_64/tsc.c's to find; kernel/time.c turns cycles into time.
 */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <asm/processor.h>

/* The counter, not ordered with memory accesses. */
static inline u64 get_cycles(void)
{
	return rdtsc();
}

/* The counter, read after every earlier load and store. */
static inline u64 get_cycles_ordered(void)
{
	return rdtsc_ordered();
}

#endif /* ASM_TIMEX_H */
