// SPDX-License-Identifier: MIT
/*
 * Nanoseconds and delays from the cycle counter. ns = cycles * mult >> 32,
 * with mult fixed at boot, so the hot path is one multiply and a shift.
 */
#include <xcall/panic.h>
#include <xcall/time.h>

#define MULT_SHIFT	32

static u64 hz;
static u64 ns_mult;	/* ns per cycle << MULT_SHIFT */
static u64 boot_cycles;

void time_init(u64 counter_hz)
{
	hz = counter_hz;
	ns_mult = (NSEC_PER_SEC << MULT_SHIFT) / hz;
	boot_cycles = get_cycles();
}

u64 cycles_hz(void)
{
	return hz;
}

u64 cycles_to_ns(u64 cycles)
{
	return (u64)(((unsigned __int128)cycles * ns_mult) >> MULT_SHIFT);
}

u64 ns_to_cycles(u64 ns)
{
	/* Whole seconds and the rest apart: ns * hz overflows 64 bits past a
	 * few seconds, and a 128-bit division would need libgcc. */
	return ns / NSEC_PER_SEC * hz +
	       ((ns % NSEC_PER_SEC) * hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
}

u64 ktime_get_ns(void)
{
	return cycles_to_ns(get_cycles() - boot_cycles);
}

void ndelay(u64 ns)
{
	u64 start = get_cycles(), wait;

	if (!hz)
		panic("time: delay of %llu ns before the clock is calibrated",
		      (unsigned long long)ns);
	wait = ns_to_cycles(ns);
	while (get_cycles() - start < wait)
		cpu_relax();
}

void udelay(u64 us)
{
	ndelay(us * NSEC_PER_USEC);
}

void mdelay(u64 ms)
{
	ndelay(ms * NSEC_PER_MSEC);
}
