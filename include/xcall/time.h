/* SPDX-License-Identifier: MIT */
/*
 * Time on the CPU's cycle counter (kernel/time.c): a monotonic clock in
 * nanoseconds and busy-wait delays. The counter's frequency comes from
 * the arch's calibration at boot; before that, delays panic rather than
 * guess.
 */
#ifndef XCALL_TIME_H
#define XCALL_TIME_H

#include <xcall/arch.h>
#include <xcall/types.h>

#define NSEC_PER_USEC	1000ull
#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull
#define USEC_PER_MSEC	1000ull
#define USEC_PER_SEC	1000000ull
#define MSEC_PER_SEC	1000ull

/* get_cycles() and get_cycles_ordered() are the arch's (<xcall/arch.h>). */

/**
 * time_init() - take the counter's frequency
 * @hz: the frequency the arch calibrated, in Hz; not 0
 *
 * Starts the clock: ktime_get_ns() counts from here.
 *
 * Context: boot CPU, once, before any delay or clock read.
 */
void time_init(u64 hz);

/**
 * cycles_hz() - the counter's frequency
 *
 * Context: any.
 * Return: the frequency in Hz, 0 before time_init().
 */
u64 cycles_hz(void);

/**
 * cycles_to_ns() - convert a cycle count to nanoseconds
 * @cycles: the count
 *
 * Context: any.
 * Return: the nanoseconds, rounded down; 0 before time_init().
 */
u64 cycles_to_ns(u64 cycles);

/**
 * ns_to_cycles() - convert nanoseconds to a cycle count
 * @ns: the nanoseconds
 *
 * Context: any.
 * Return: the cycles, rounded up so a wait is never short; 0 before
 * time_init().
 */
u64 ns_to_cycles(u64 ns);

/**
 * ktime_get_ns() - the monotonic clock
 *
 * Context: any.
 * Return: nanoseconds since time_init(), 0 before it.
 */
u64 ktime_get_ns(void);

/**
 * ndelay() - spin for at least @ns nanoseconds
 * @ns: how long
 *
 * Busy-waits with a pause hint; interrupts taken meanwhile make the wait
 * longer, never shorter.
 *
 * Context: any, interrupts on or off; panics before time_init() rather
 * than guess the clock.
 */
void ndelay(u64 ns);

/**
 * udelay() - spin for at least @us microseconds
 * @us: how long
 *
 * Context: as ndelay().
 */
void udelay(u64 us);

/**
 * mdelay() - spin for at least @ms milliseconds
 * @ms: how long
 *
 * Context: as ndelay().
 */
void mdelay(u64 ms);

#endif /* XCALL_TIME_H */
