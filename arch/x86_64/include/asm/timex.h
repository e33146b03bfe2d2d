/* SPDX-License-Identifier: MIT */
/*
 * The cycle counter generic time is built on: the TSC. Its frequency is
 * arch/x86_64/tsc.c's to find; kernel/time.c turns cycles into time.
 */
#ifndef ASM_TIMEX_H
#define ASM_TIMEX_H

#include <asm/processor.h>

/**
 * get_cycles() - read the cycle counter (TSC)
 *
 * Context: any. Not ordered with memory: the CPU may read the counter
 * before earlier loads and stores complete.
 * Return: the counter.
 */
static inline u64 get_cycles(void)
{
	return rdtsc();
}

/**
 * get_cycles_ordered() - read the cycle counter after earlier accesses
 *
 * For timing a piece of code: the read waits for every earlier memory
 * access to complete.
 * Context: any.
 * Return: the counter.
 */
static inline u64 get_cycles_ordered(void)
{
	return rdtsc_ordered();
}

#endif /* ASM_TIMEX_H */
