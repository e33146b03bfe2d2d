// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/tsc_cpuid.c: the TSC frequency from CPUID
 * leaves 15h and 16h as Linux's native_calibrate_tsc() computes it, on
 * the leaves real CPUs return, and never 16h's base frequency alone.
 */
#include <asm/tsc_cpuid.h>

#include "check.h"

static const struct cpu_ident skylake = { X86_VENDOR_INTEL, 6, 0x5e, 3 };
static const struct cpu_ident denverton = { X86_VENDOR_INTEL, 6, 0x5f, 1 };
static const struct cpu_ident zen = { X86_VENDOR_AMD, 0x19, 0x21, 0 };

/* Ice Lake and later enumerate the crystal: 38.4 MHz x 156/2. */
static void enumerated_crystal_is_known(struct ktest *t)
{
	struct tsc_leaves l = { 0x1b, 2, 156, 38400000, 2995 };
	u64 hz;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &l, &hz), TSC_CPUID_KNOWN);
	KTEST_EXPECT_EQ_U(t, hz, 2995200000ull);
}

/* Skylake clients give the ratio but ECX 0: the crystal comes from the
 * base frequency, 2600 MHz x 2 / 216 = 24074 kHz (kHz, truncated, as
 * Linux computes it), and the TSC back from it. An estimate, marked so. */
static void crystal_derived_from_leaf_16h(struct ktest *t)
{
	struct tsc_leaves l = { 0x16, 2, 216, 0, 2600 };
	u64 hz;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &l, &hz), TSC_CPUID_DERIVED);
	KTEST_EXPECT_EQ_U(t, hz, 24074ull * 216 / 2 * 1000);
}

/* Denverton enumerates neither the crystal nor leaf 16h: 25 MHz. */
static void denverton_crystal_is_25mhz(struct ktest *t)
{
	struct tsc_leaves l = { 0x15, 1, 88, 0, 0 };
	struct cpu_ident other = denverton;
	u64 hz;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&denverton, &l, &hz), TSC_CPUID_KNOWN);
	KTEST_EXPECT_EQ_U(t, hz, 2200000000ull);
	other.model = 0x5c;	/* Goldmont: no such rule */
	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&other, &l, &hz), TSC_CPUID_NONE);
	KTEST_EXPECT_EQ_U(t, hz, 0);
}

/* Without 15h's ratio, 16h's base frequency is the core's, not the
 * TSC's: CPUID knows nothing, the TSC is measured. */
static void base_frequency_alone_is_not_the_tsc(struct ktest *t)
{
	struct tsc_leaves no_ratio = { 0x16, 0, 0, 0, 3000 };
	struct tsc_leaves half_ratio = { 0x16, 2, 0, 24000000, 3000 };
	struct tsc_leaves no_16h = { 0x15, 2, 216, 0, 2600 };
	u64 hz = 1;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &no_ratio, &hz), TSC_CPUID_NONE);
	KTEST_EXPECT_EQ_U(t, hz, 0);
	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &half_ratio, &hz), TSC_CPUID_NONE);
	/* max_leaf says 16h is not there, whatever its slot holds. */
	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &no_16h, &hz), TSC_CPUID_NONE);
}

/* Leaf 15h is read only when CPUID.0 says it exists, and only Intel's,
 * as Linux reads it. */
static void leaves_read_only_where_they_exist(struct ktest *t)
{
	struct tsc_leaves old = { 0xd, 2, 216, 24000000, 2600 };
	struct tsc_leaves full = { 0x16, 2, 216, 24000000, 2600 };
	u64 hz;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &old, &hz), TSC_CPUID_NONE);
	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&zen, &full, &hz), TSC_CPUID_NONE);
	KTEST_EXPECT_EQ_U(t, hz, 0);
}

/* The largest values the registers can hold do not overflow. */
static void large_values_do_not_overflow(struct ktest *t)
{
	struct tsc_leaves l = { 0x16, 1, 0xffffffffu, 0xffffffffu, 0xffff };
	u64 hz;

	KTEST_EXPECT_EQ(t, tsc_hz_from_cpuid(&skylake, &l, &hz), TSC_CPUID_KNOWN);
	KTEST_EXPECT_EQ_U(t, hz, 4294967ull * 0xffffffffull * 1000);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(enumerated_crystal_is_known),
	KTEST_CASE(crystal_derived_from_leaf_16h),
	KTEST_CASE(denverton_crystal_is_25mhz),
	KTEST_CASE(base_frequency_alone_is_not_the_tsc),
	KTEST_CASE(leaves_read_only_where_they_exist),
	KTEST_CASE(large_values_do_not_overflow),
};

int main(void)
{
	return host_main("tsc_cpuid", cases, sizeof(cases) / sizeof(cases[0]));
}
