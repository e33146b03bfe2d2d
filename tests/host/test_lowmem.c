// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/lowmem.c: the window of low memory the AP
 * trampoline may use, from the BIOS Data Area's two words, on the values
 * real BIOSes, UEFI and broken firmware leave there.
 */
#include <asm/lowmem.h>

#include "check.h"

static void window(u16 seg, u16 kib, struct lowmem_window *w)
{
	lowmem_window(seg, kib, w);
}

/* SeaBIOS with 640 KiB: EBDA at 0x9fc00, 639 KiB reported. The EBDA's
 * page and everything above go; the window ends at 0x9f000. */
static void typical_bios_ends_below_the_ebda(struct ktest *t)
{
	struct lowmem_window w;

	window(0x9fc0, 639, &w);
	KTEST_EXPECT_EQ_U(t, w.lo, 0x10000);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9f000);
}

/* A large EBDA (some server BIOSes take 8 KiB or more). */
static void lower_ebda_lowers_the_window(struct ktest *t)
{
	struct lowmem_window w;

	window(0x9d80, 630, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9d000);
	window(0x8000, 639, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x80000);
}

/* INT 12h's size below the EBDA: the lower of the two wins. */
static void smaller_base_memory_wins(struct ktest *t)
{
	struct lowmem_window w;

	window(0x9fc0, 512, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x80000);
}

/* Under UEFI the BDA may be all zeros, or junk: bounded either way. */
static void zero_or_junk_bda_is_bounded(struct ktest *t)
{
	struct lowmem_window w;

	window(0, 0, &w);
	KTEST_EXPECT_EQ_U(t, w.lo, 0x10000);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9f000);
	window(0xffff, 0xffff, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9f000);
	/* An EBDA pointer below 128 KiB is not believed. */
	window(0x1000, 639, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9f000);
	/* Nor a base memory size above 636 KiB. */
	window(0, 640, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9f000);
}

/* An EBDA not on a page boundary takes its whole page. */
static void window_ends_on_a_page(struct ktest *t)
{
	struct lowmem_window w;

	window(0x9e48, 639, &w);
	KTEST_EXPECT_EQ_U(t, w.hi, 0x9e000);
	KTEST_EXPECT_EQ_U(t, w.hi & 0xfff, 0);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(typical_bios_ends_below_the_ebda),
	KTEST_CASE(lower_ebda_lowers_the_window),
	KTEST_CASE(smaller_base_memory_wins),
	KTEST_CASE(zero_or_junk_bda_is_bounded),
	KTEST_CASE(window_ends_on_a_page),
};

int main(void)
{
	return host_main("lowmem", cases, sizeof(cases) / sizeof(cases[0]));
}
