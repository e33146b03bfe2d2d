// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/lowmem.c: the window of low memory the AP
 * trampoline may use, from the BIOS Data Area's two words, on the values
 * real BIOSes, UEFI and broken firmware leave there; and the rule-by-rule
 * check of a page that the in-kernel test runs on the real trampoline.
 */
#include <asm/lowmem.h>
#include <string.h>
#include <xcall/errno.h>

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

/* The page checks, rule by rule, on SeaBIOS's BDA (EBDA at 0x9fc00). */
static void page_check_keeps_each_rule(struct ktest *t)
{
	char why[160];

	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9e000, 0x9fc0, 639, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x10000, 0x9fc0, 639, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9e800, 0x9fc0, 639, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "not 4 KiB aligned") != NULL);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0xf000, 0x9fc0, 639, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "first 64 KiB") != NULL);
	/* The page holding the EBDA's start. */
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9f000, 0x9fc0, 639, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "not below the EBDA") != NULL);
}

/* A low EBDA and a small base memory bound the page, each on its own. */
static void page_check_uses_each_bda_word(struct ktest *t)
{
	char why[160];

	KTEST_EXPECT_EQ(t, lowmem_page_check(0x80000, 0x8000, 639, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "not below the EBDA") != NULL);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x7f000, 0x8000, 639, why, sizeof(why)), 0);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x80000, 0x9fc0, 512, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "conventional memory") != NULL);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x7f000, 0x9fc0, 512, why, sizeof(why)), 0);
}

/* OVMF's zeroed BDA bounds nothing; 0x9f000 still does. A word below
 * 128 KiB is not believed, as the window does not believe it. */
static void page_check_without_a_bda(struct ktest *t)
{
	char why[160];

	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9e000, 0, 0, why, sizeof(why)), 0);
	KTEST_EXPECT_TRUE(t, strstr(why, "(no bound)") != NULL);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9f000, 0, 0, why, sizeof(why)), -EINVAL);
	KTEST_EXPECT_TRUE(t, strstr(why, "not below 0x9f000") != NULL);
	KTEST_EXPECT_EQ(t, lowmem_page_check(0x9e000, 0x1000, 639, why, sizeof(why)), 0);
}

/* Whatever the BDA holds, a page in the window lowmem_window() computes
 * keeps the rules, and the page just above the window does not. */
static void window_and_page_check_agree(struct ktest *t)
{
	static const u16 words[][2] = {
		{ 0x9fc0, 639 }, { 0x9d80, 630 }, { 0x8000, 639 }, { 0x9fc0, 512 },
		{ 0, 0 }, { 0xffff, 0xffff }, { 0x1000, 639 }, { 0, 640 }, { 0x9e48, 639 },
	};
	struct lowmem_window w;
	char why[160];

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		lowmem_window(words[i][0], words[i][1], &w);
		KTEST_EXPECT_EQ(t, lowmem_page_check(w.lo, words[i][0], words[i][1],
						     why, sizeof(why)), 0);
		KTEST_EXPECT_EQ(t, lowmem_page_check(w.hi - LOWMEM_PAGE_SIZE, words[i][0],
						     words[i][1], why, sizeof(why)), 0);
		KTEST_EXPECT_EQ(t, lowmem_page_check(w.hi, words[i][0], words[i][1],
						     why, sizeof(why)), -EINVAL);
	}
}

static const struct ktest_case cases[] = {
	KTEST_CASE(typical_bios_ends_below_the_ebda),
	KTEST_CASE(lower_ebda_lowers_the_window),
	KTEST_CASE(smaller_base_memory_wins),
	KTEST_CASE(zero_or_junk_bda_is_bounded),
	KTEST_CASE(window_ends_on_a_page),
	KTEST_CASE(page_check_keeps_each_rule),
	KTEST_CASE(page_check_uses_each_bda_word),
	KTEST_CASE(page_check_without_a_bda),
	KTEST_CASE(window_and_page_check_agree),
};

int main(void)
{
	return host_main("lowmem", cases, sizeof(cases) / sizeof(cases[0]));
}
