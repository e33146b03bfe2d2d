/* SPDX-License-Identifier: MIT */
/*
 * TSC calibration (arch/x86_64/tsc.c). kernel/time.c turns the frequency
 * into delays and nanoseconds.
 */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <xcall/types.h>

/**
 * tsc_calibrate() - find the TSC frequency
 * @pm_timer_port: the ACPI PM timer's I/O port, 0 if none
 * @pm_timer_32bit: whether it counts 32 bits (else 24)
 * @hpet_address: the HPET's MMIO base, 0 if none
 * @source: set to the name of the method that worked
 *
 * CPUID leaf 15h where it gives the ratio and the crystal is known (from
 * ECX, or by model); where only the ratio is given, the crystal derived
 * from leaf 16h and the estimate refined against the PM timer or the
 * HPET when the two agree to 1 %, as Linux does; else a measurement
 * against the PM timer, the HPET, or PIT channel 2. Leaf 16h's base
 * frequency alone is never taken for the TSC's.
 * Context: boot CPU, interrupts off.
 * Return: Hz, or 0 when no method worked.
 */
u64 tsc_calibrate(u16 pm_timer_port, bool pm_timer_32bit, u64 hpet_address,
		  const char **source);

#endif /* ASM_TIME_H */
