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

/** time_init() - take the counter's frequency; boot CPU, once. */
void time_init(u64 hz);

/** cycles_hz() - the counter's frequency, 0 before time_init(). */
u64 cycles_hz(void);

/** cycles_to_ns() - a cycle count as nanoseconds. */
u64 cycles_to_ns(u64 cycles);

/** ns_to_cycles() - nanoseconds as a cycle count, rounded up. */
u64 ns_to_cycles(u64 ns);

/** ktime_get_ns() - nanoseconds since time_init(). Context: any. */
u64 ktime_get_ns(void);

/** ndelay()/udelay()/mdelay() - spin (with pause) at least this long. */
void ndelay(u64 ns);
void udelay(u64 us);
void mdelay(u64 ms);

#endif /* XCALL_TIME_H */
