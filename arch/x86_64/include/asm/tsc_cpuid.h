/* SPDX-License-Identifier: MIT */
/*
 * The TSC frequency CPUID states (arch/x86_64/tsc_cpuid.c): leaves 15h
 * and 16h, taken as Linux's native_calibrate_tsc() takes them. Pure
 * arithmetic on the leaves' values, so the host tests run it too.
 */
#ifndef ASM_TSC_CPUID_H
#define ASM_TSC_CPUID_H

#include <asm/cpu_quirks.h>
#include <xcall/types.h>

#define CPUID_TSC_LEAF		0x15	/* TSC/crystal ratio, crystal Hz */
#define CPUID_FREQ_LEAF		0x16	/* base frequency in MHz */

/* What the two leaves returned; zeros where the CPU lacks the leaf. */
struct tsc_leaves {
	u32 max_leaf;		/* CPUID.0:EAX */
	u32 ratio_denominator;	/* CPUID.15h:EAX */
	u32 ratio_numerator;	/* CPUID.15h:EBX */
	u32 crystal_hz;		/* CPUID.15h:ECX, 0 when not enumerated */
	u32 base_mhz;		/* CPUID.16h:EAX[15:0] */
};

/* How far CPUID's word on the TSC goes. */
enum tsc_cpuid_kind {
	TSC_CPUID_NONE,		/* nothing: measure it */
	TSC_CPUID_KNOWN,	/* ratio times a crystal CPUID (or the model)
				 * gives: the frequency, to trust as it is */
	TSC_CPUID_DERIVED,	/* ratio times a crystal derived from 16h's
				 * base frequency: an estimate to refine */
};

/**
 * tsc_hz_from_cpuid() - the TSC frequency as CPUID states it
 * @id: the CPU (only Intel's leaves are read, as in Linux)
 * @l: the leaves' values
 * @hz: set to the frequency in Hz, 0 for TSC_CPUID_NONE
 *
 * TSC = crystal x 15h:EBX / 15h:EAX (SDM vol. 2A, CPUID leaf 15H), with
 * the crystal from 15h:ECX; on Denverton (Goldmont D), which enumerates
 * neither crystal nor leaf 16h, 25 MHz; else derived from 16h's base
 * frequency as base x EAX / EBX, the one use of 16h. Without 15h's ratio
 * CPUID says nothing about the TSC: 16h's base frequency is the core's,
 * not the TSC's, and is never taken for it. Arithmetic in kHz, as Linux
 * does it.
 *
 * Context: any; pure.
 * Return: what kind of answer @hz holds.
 */
enum tsc_cpuid_kind tsc_hz_from_cpuid(const struct cpu_ident *id,
				      const struct tsc_leaves *l, u64 *hz);

#endif /* ASM_TSC_CPUID_H */
