// SPDX-License-Identifier: MIT
/*
 * The TSC frequency from CPUID leaves 15h and 16h (see asm/tsc_cpuid.h).
 * No CPUID here: arch/x86_64/tsc.c reads the leaves and measures when
 * this says CPUID does not know. Built for the host tests too.
 */
#include <asm/tsc_cpuid.h>

#define HZ_PER_KHZ		1000u
#define KHZ_PER_MHZ		1000u
#define INTEL_FAMILY_6		6
/* Denverton's crystal (Linux's native_calibrate_tsc(): this SoC gives
 * neither 15h:ECX nor leaf 16h). */
#define INTEL_ATOM_GOLDMONT_D	0x5f
#define DENVERTON_CRYSTAL_KHZ	25000u

enum tsc_cpuid_kind tsc_hz_from_cpuid(const struct cpu_ident *id,
				      const struct tsc_leaves *l, u64 *hz)
{
	enum tsc_cpuid_kind kind = TSC_CPUID_KNOWN;
	u64 crystal_khz;

	*hz = 0;
	if (id->vendor != X86_VENDOR_INTEL || l->max_leaf < CPUID_TSC_LEAF)
		return TSC_CPUID_NONE;
	if (!l->ratio_denominator || !l->ratio_numerator)
		return TSC_CPUID_NONE;

	crystal_khz = l->crystal_hz / HZ_PER_KHZ;
	if (!crystal_khz && id->family == INTEL_FAMILY_6 &&
	    id->model == INTEL_ATOM_GOLDMONT_D)
		crystal_khz = DENVERTON_CRYSTAL_KHZ;
	/* Skylake and Kaby Lake clients give the ratio but not the crystal:
	 * the base frequency is crystal x ratio, so the crystal follows. */
	if (!crystal_khz && l->max_leaf >= CPUID_FREQ_LEAF && l->base_mhz) {
		crystal_khz = (u64)l->base_mhz * KHZ_PER_MHZ * l->ratio_denominator /
			      l->ratio_numerator;
		kind = TSC_CPUID_DERIVED;
	}
	if (!crystal_khz)
		return TSC_CPUID_NONE;
	*hz = crystal_khz * l->ratio_numerator / l->ratio_denominator * HZ_PER_KHZ;
	return *hz ? kind : TSC_CPUID_NONE;
}
