// SPDX-License-Identifier: MIT
/*
 * What boot set up, checked on the running kernel: the page tables'
 * permissions, the allocator, the clock, the symbol table, options; and
 * the harness's own deliberate failure (selftest_fail) and crash inside
 * a case (selftest_crash).
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/ktest.h>
#include <xcall/ksyms.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/smp.h>
#include <xcall/string.h>
#include <xcall/time.h>

extern const char __kernel_start[], __text_end[], __rodata_end[];
extern char __bss_start[];
extern const char boot_stack_guard[], boot_stack_bottom[];
void start_kernel(u32 magic, unsigned long info);

static void page_zero_is_unmapped(struct ktest *t)
{
	u64 v;

	KTEST_EXPECT_EQ(t, probe_read_u64(absolute_pointer(0), &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u64(absolute_pointer(PAGE_SIZE - 8), &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u64(absolute_pointer(PAGE_SIZE), &v), 0);
}

/* A non-canonical address raises #GP rather than #PF: the exception
 * table's fixups (probe_read_u64(), rdmsr_safe()) must cover it too. */
static void non_canonical_read_is_caught(struct ktest *t)
{
	u64 v;

	KTEST_EXPECT_EQ(t, probe_read_u64(absolute_pointer(1ull << 63), &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_write_u64(absolute_pointer(0xdead000000000000ull), 0), -EFAULT);
}

static void kernel_text_is_read_only_and_executable(struct ktest *t)
{
	struct page_query q;
	u64 before, after;
	void *text = (void *)(unsigned long)start_kernel;

	paging_query((unsigned long)text, &q);
	KTEST_EXPECT_TRUE(t, q.present && q.executable && !q.writable);
	KTEST_EXPECT_EQ(t, probe_read_u64(text, &before), 0);
	KTEST_EXPECT_EQ(t, probe_write_u64(text, ~before), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u64(text, &after), 0);
	KTEST_EXPECT_EQ_U(t, before, after);
}

static void rodata_and_data_are_not_executable(struct ktest *t)
{
	struct page_query ro, rw;

	paging_query((unsigned long)__text_end, &ro);
	paging_query((unsigned long)__bss_start, &rw);
	KTEST_EXPECT_TRUE(t, ro.present && !ro.writable && !ro.executable);
	KTEST_EXPECT_TRUE(t, rw.present && rw.writable && !rw.executable);
	KTEST_EXPECT_EQ(t, probe_write_u64((void *)__text_end, 0), -EFAULT);
}

static void boot_stack_guard_page_faults(struct ktest *t)
{
	u64 v;

	KTEST_EXPECT_EQ(t, probe_read_u64(boot_stack_guard, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_write_u64((void *)boot_stack_guard, 0), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u64(boot_stack_bottom, &v), 0);
}

static void alloc_pages_gives_zeroed_distinct_pages(struct ktest *t)
{
	u64 free0 = mm_free_bytes();
	unsigned char *a = alloc_pages(2), *b = alloc_pages(1);
	bool zero = true;

	if (!KTEST_EXPECT_TRUE(t, a && b))
		return;
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		zero &= a[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)a, PAGE_SIZE));
	KTEST_EXPECT_TRUE(t, b + PAGE_SIZE <= a || b >= a + 2 * PAGE_SIZE);
	KTEST_EXPECT_EQ_U(t, mm_free_bytes(), free0 - 3 * PAGE_SIZE);
	memset(a, 0xa5, 2 * PAGE_SIZE);
	free_pages(a, 2);
	free_pages(b, 1);
	KTEST_EXPECT_EQ_U(t, mm_free_bytes(), free0);
}

static void low_page_is_below_one_mib(struct ktest *t)
{
	phys_addr_t p = alloc_low_page(0, MM_LOW_LIMIT);

	if (!KTEST_EXPECT_NE(t, p, 0))
		return;
	KTEST_EXPECT_LT(t, p + PAGE_SIZE, MM_LOW_LIMIT + 1);
	free_pages((void *)p, 1);
}

/* The window's floor holds: a window above the highest free low page
 * yields nothing (and takes nothing), one around it yields that page. */
static void low_page_stays_in_its_window(struct ktest *t)
{
	u64 free0 = mm_free_bytes();
	phys_addr_t top = alloc_low_page(0, MM_LOW_LIMIT), p;

	if (!KTEST_EXPECT_NE(t, top, 0))
		return;
	free_pages((void *)top, 1);
	KTEST_EXPECT_EQ(t, alloc_low_page(top + PAGE_SIZE, MM_LOW_LIMIT), 0);
	KTEST_EXPECT_EQ_U(t, mm_free_bytes(), free0);
	p = alloc_low_page(top, top + PAGE_SIZE);
	KTEST_EXPECT_EQ_U(t, p, top);
	if (p)
		free_pages((void *)p, 1);
	KTEST_EXPECT_EQ(t, alloc_low_page(0, MM_LOW_LIMIT + PAGE_SIZE), 0);
}

static void clock_is_monotonic_and_delays_last(struct ktest *t)
{
	u64 t0 = ktime_get_ns(), t1, t2;

	udelay(1000);
	t1 = ktime_get_ns();
	mdelay(2);
	t2 = ktime_get_ns();
	KTEST_EXPECT_GE(t, t1 - t0, 1000 * NSEC_PER_USEC);
	KTEST_EXPECT_GE(t, t2 - t1, 2 * NSEC_PER_MSEC);
	KTEST_EXPECT_GT(t, cycles_hz(), 0);
	/* One second of cycles is a second, to the fixed-point's rounding. */
	KTEST_EXPECT_LE(t, NSEC_PER_SEC - cycles_to_ns(cycles_hz()), 1);
	KTEST_EXPECT_EQ_U(t, ns_to_cycles(NSEC_PER_SEC), cycles_hz());
}

static void symbols_name_kernel_functions(struct ktest *t)
{
	unsigned long off = ~0ul;
	const char *name = ksym_lookup((unsigned long)start_kernel + 1, &off);

	if (!KTEST_EXPECT_TRUE(t, name != NULL))
		return;
	KTEST_EXPECT_EQ(t, strcmp(name, "start_kernel"), 0);
	KTEST_EXPECT_EQ(t, off, 1);
	KTEST_EXPECT_TRUE(t, ksym_lookup((unsigned long)__rodata_end, &off) == NULL);
}

/* The memory map, kept as the loader gave it, says where RAM is: the
 * kernel's own first page is usable; an empty range, one that wraps and
 * the address space's last page are not. */
static void memory_map_is_kept(struct ktest *t)
{
	phys_addr_t kernel = (phys_addr_t)(unsigned long)__kernel_start;

	KTEST_EXPECT_TRUE(t, mm_map_usable(kernel, PAGE_SIZE));
	KTEST_EXPECT_FALSE(t, mm_map_usable(kernel, 0));
	KTEST_EXPECT_FALSE(t, mm_map_usable(kernel, ~0ull));
	KTEST_EXPECT_FALSE(t, mm_map_usable(~0ull - PAGE_SIZE + 1, PAGE_SIZE));
}

static void unknown_and_malformed_options_are_refused(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, options_parse("no_such_option_for_test", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("smpboot_timeout_ms=abc csd_timeout_ms=0", "test"), 2);
	KTEST_EXPECT_EQ(t, options_parse("nox2apic=1", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("idle=sometimes", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("", "test"), 0);
}

static const struct ktest_case boot_cases[] = {
	KTEST_CASE(page_zero_is_unmapped),
	KTEST_CASE(non_canonical_read_is_caught),
	KTEST_CASE(kernel_text_is_read_only_and_executable),
	KTEST_CASE(rodata_and_data_are_not_executable),
	KTEST_CASE(boot_stack_guard_page_faults),
	KTEST_CASE(alloc_pages_gives_zeroed_distinct_pages),
	KTEST_CASE(low_page_is_below_one_mib),
	KTEST_CASE(low_page_stays_in_its_window),
	KTEST_CASE(memory_map_is_kept),
	KTEST_CASE(clock_is_monotonic_and_delays_last),
	KTEST_CASE(symbols_name_kernel_functions),
	KTEST_CASE(unknown_and_malformed_options_are_refused),
};
KTEST_SUITE(boot, boot_cases);

/* ---- The harness's own check: a failure must be reported. ---- */

static bool selftest_fail;
DEFINE_OPTION_FLAG(selftest_fail, selftest_fail,
		   "harness test: add a test case that fails");

static bool selftest_fail_enabled(void)
{
	return selftest_fail;
}

static void deliberate_failure(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 3);
}

static const struct ktest_case harness_cases[] = {
	KTEST_CASE(deliberate_failure),
};
KTEST_SUITE(harness, harness_cases, .enabled = selftest_fail_enabled);

/* ---- The harness's own check: a case that crashes must be reported. ---- */

static bool selftest_crash;
DEFINE_OPTION_FLAG(selftest_crash, selftest_crash,
		   "harness test: add a suite whose second case faults");

static bool selftest_crash_enabled(void)
{
	return selftest_crash;
}

static void passes_before_the_crash(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 2);
}

/*
 * The page fault panics in the middle of the suite, with the report half
 * printed: this case has no result line, nor has the case after it, nor
 * any suite after this one. The runner must count each of them crashed
 * (the matrix's selftest-crash boot checks it does).
 */
static void faults_mid_suite(struct ktest *t)
{
	ktest_diag(t, "writing through a NULL pointer");
	WRITE_ONCE(*(volatile u64 *)absolute_pointer(0), 0);
	KTEST_EXPECT_TRUE(t, !"reached after the fault");
}

static void never_runs(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, !"reached after the fault");
}

static const struct ktest_case harness_crash_cases[] = {
	KTEST_CASE(passes_before_the_crash),
	KTEST_CASE(faults_mid_suite),
	KTEST_CASE(never_runs),
};
KTEST_SUITE(harness_crash, harness_crash_cases, .enabled = selftest_crash_enabled);
