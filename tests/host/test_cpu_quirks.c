// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/cpu_quirks.c: the errata lists, at and
 * around each boundary the vendors' revision guides (as Linux reads
 * them) draw, and the neighbouring models that are not on them.
 */
#include <asm/cpu_quirks.h>

#include "check.h"

static struct cpu_ident cpu(enum x86_vendor v, unsigned int family,
			    unsigned int model, unsigned int stepping)
{
	return (struct cpu_ident){ v, family, model, stepping };
}

static bool e400(enum x86_vendor v, unsigned int f, unsigned int m, unsigned int s)
{
	struct cpu_ident id = cpu(v, f, m, s);

	return quirk_amd_e400(&id);
}

/* K8 from model 41h stepping 2 (revision F) on. */
static void e400_k8_from_revision_f(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0xf, 0x41, 1));
	KTEST_EXPECT_TRUE(t, e400(X86_VENDOR_AMD, 0xf, 0x41, 2));
	KTEST_EXPECT_TRUE(t, e400(X86_VENDOR_AMD, 0xf, 0x42, 0));
	KTEST_EXPECT_TRUE(t, e400(X86_VENDOR_AMD, 0xf, 0x6b, 1));	/* QEMU's qemu64 */
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0xf, 0x2f, 0xf));
}

/* Family 10h from model 2 stepping 1 on. */
static void e400_family_10h_from_model_2_stepping_1(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0x10, 0x2, 0));
	KTEST_EXPECT_TRUE(t, e400(X86_VENDOR_AMD, 0x10, 0x2, 1));
	KTEST_EXPECT_TRUE(t, e400(X86_VENDOR_AMD, 0x10, 0xa, 0));
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0x10, 0x1, 0xf));
}

/* Not later AMD families, and never another vendor's family 0Fh. */
static void e400_only_those_families(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0x11, 0x3, 1));
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_AMD, 0x17, 0x71, 0));
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_INTEL, 0xf, 0x6b, 1));
	KTEST_EXPECT_FALSE(t, e400(X86_VENDOR_OTHER, 0x10, 0x4, 2));
}

static bool monitor_bug(enum x86_vendor v, unsigned int f, unsigned int m)
{
	struct cpu_ident id = cpu(v, f, m, 0);

	return quirk_monitor_misses_stores(&id);
}

static bool clflush_bug(enum x86_vendor v, unsigned int f, unsigned int m)
{
	struct cpu_ident id = cpu(v, f, m, 0);

	return quirk_clflush_before_monitor(&id);
}

/* Goldmont, Lunar Lake M, Ice Lake X; not their neighbours. */
static void monitor_bug_models(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x5c));
	KTEST_EXPECT_TRUE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0xbd));
	KTEST_EXPECT_TRUE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x6a));
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x5f));	/* Goldmont D */
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x7a));	/* Goldmont Plus */
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x6c));	/* Ice Lake D */
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_INTEL, 6, 0x5e));	/* Skylake */
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_INTEL, 0xf, 0x5c));
	KTEST_EXPECT_FALSE(t, monitor_bug(X86_VENDOR_AMD, 6, 0x5c));
}

/* Dunnington, Nehalem-EX, Westmere-EX; not the client parts beside them. */
static void clflush_monitor_models(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x1d));
	KTEST_EXPECT_TRUE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x2e));
	KTEST_EXPECT_TRUE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x2f));
	KTEST_EXPECT_FALSE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x1a));	/* Nehalem-EP */
	KTEST_EXPECT_FALSE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x2c));	/* Westmere-EP */
	KTEST_EXPECT_FALSE(t, clflush_bug(X86_VENDOR_INTEL, 6, 0x17));	/* Penryn */
	KTEST_EXPECT_FALSE(t, clflush_bug(X86_VENDOR_AMD, 6, 0x2e));
}

static const struct ktest_case cases[] = {
	KTEST_CASE(e400_k8_from_revision_f),
	KTEST_CASE(e400_family_10h_from_model_2_stepping_1),
	KTEST_CASE(e400_only_those_families),
	KTEST_CASE(monitor_bug_models),
	KTEST_CASE(clflush_monitor_models),
};

int main(void)
{
	return host_main("cpu_quirks", cases, sizeof(cases) / sizeof(cases[0]));
}
