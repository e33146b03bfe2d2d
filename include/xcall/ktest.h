/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel test framework (tests/ktest.c), after KUnit: suites of
 * cases, registered through a linker section, reported as KTAP version 1.
 *
 * The EXPECT macros record a failure with file and line and evaluate to
 * whether the check held; they never return or jump, so a case that
 * cannot go on after a failed check says so in its own code:
 *
 *	if (!KTEST_EXPECT_EQ(t, err, 0))
 *		return;
 */
#ifndef XCALL_KTEST_H
#define XCALL_KTEST_H

#include <xcall/compiler.h>
#include <xcall/types.h>

#define KTEST_REASON_MAX	96

struct ktest {
	const char *name;
	unsigned int failures;
	bool skipped;
	char skip_reason[KTEST_REASON_MAX];
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;
	size_t nr_cases;
	/* NULL, or false to leave the whole suite out of this run (not a
	 * skip: it is not in the plan at all). */
	bool (*enabled)(void);
};

#define KTEST_CASE(fn)	{ #fn, fn }

#define KTEST_SUITE(sname, case_array, ...)				\
	static const struct ktest_suite __ktest_suite_##sname __used	\
	__section(".ktest_suites") __aligned(8) = {			\
		.name = #sname,						\
		.cases = (case_array),					\
		.nr_cases = ARRAY_SIZE(case_array),			\
		__VA_ARGS__						\
	}

/**
 * ktest_check() - record a failure of the running case unless a check held
 * @t: the running case
 * @ok: the check's outcome
 * @file: where the check is, for the report
 * @line: likewise
 * @fmt: what was expected, printf-style, for the report
 * @...: its arguments
 *
 * The KTEST_EXPECT_*() macros call this; tests rarely need it directly.
 * Context: the running case's CPU.
 * Return: @ok, so a case can stop when a check it depends on failed.
 */
bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...) __printf(5, 6);

/**
 * ktest_skip() - mark the running case skipped, with a reason
 * @t: the running case
 * @fmt: why it cannot do its job here, printf-style
 * @...: its arguments
 *
 * Context: the running case's CPU; the case should return after it.
 */
void ktest_skip(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/**
 * ktest_diag() - add a "# ..." line to the running case's report
 * @t: the running case
 * @fmt: the line, printf-style
 * @...: its arguments
 *
 * Context: the running case's CPU.
 */
void ktest_diag(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/**
 * ktest_expect_warning() - announce a WARNING the running case provokes
 * @t: the running case
 * @cpu: the CPU the warning will come from
 * @file: the source file whose WARN_ON() will fire, as the warning names
 *        it ("kernel/smp.c")
 * @cond: the condition of that WARN_ON(), as written there and as the
 *        warning prints it ("irqs_disabled()")
 * @why: what the case does to provoke it
 *
 * Prints "# <case>: <why>; expect a WARNING on CPU <cpu> at <file>: <cond>"
 * before the warning, so that a reader of the log, and the runner
 * (tools/ktap.py), tell it from a warning nobody asked for: the runner
 * lets pass one warning with that CPU, file and condition per
 * announcement, until the case's result line, and fails the boot for
 * any other. The condition stands in for the line number, which a test
 * cannot know and which moves with every edit above the WARN_ON().
 * Context: the running case's CPU.
 * Return: warn_count() now, for the case to check that the warning came.
 */
unsigned int ktest_expect_warning(struct ktest *t, unsigned int cpu,
				  const char *file, const char *cond,
				  const char *why);

#define KTEST_EXPECT_TRUE(t, cond)					\
	ktest_check((t), !!(cond), __FILE__, __LINE__, "expected %s", #cond)

#define KTEST_EXPECT_FALSE(t, cond)					\
	ktest_check((t), !(cond), __FILE__, __LINE__, "expected !(%s)", #cond)

#define __KTEST_CMP(t, a, op, b) ({					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	ktest_check((t), __a op __b, __FILE__, __LINE__,		\
		    "expected %s " #op " %s, got %lld and %lld",	\
		    #a, #b, __a, __b);					\
})

#define __KTEST_CMP_U(t, a, op, b) ({					\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	ktest_check((t), __a op __b, __FILE__, __LINE__,		\
		    "expected %s " #op " %s, got 0x%llx and 0x%llx",	\
		    #a, #b, __a, __b);					\
})

#define KTEST_EXPECT_EQ(t, a, b)	__KTEST_CMP(t, a, ==, b)
#define KTEST_EXPECT_NE(t, a, b)	__KTEST_CMP(t, a, !=, b)
#define KTEST_EXPECT_LT(t, a, b)	__KTEST_CMP(t, a, <, b)
#define KTEST_EXPECT_LE(t, a, b)	__KTEST_CMP(t, a, <=, b)
#define KTEST_EXPECT_GT(t, a, b)	__KTEST_CMP(t, a, >, b)
#define KTEST_EXPECT_GE(t, a, b)	__KTEST_CMP(t, a, >=, b)
#define KTEST_EXPECT_EQ_U(t, a, b)	__KTEST_CMP_U(t, a, ==, b)
#define KTEST_EXPECT_NE_U(t, a, b)	__KTEST_CMP_U(t, a, !=, b)

/* Every wait in a test is bounded by this: a hang is a failure, with a
 * message, never a stuck boot. */
#define KTEST_WAIT_NS		(10ull * 1000 * 1000 * 1000)

/**
 * ktest_wait_ge() - spin (with pause) until a counter reaches a value
 * @p: the counter, written by another CPU
 * @want: the value to reach
 *
 * Gives up after KTEST_WAIT_NS. The counter is read with acquire, so what
 * was written before it is visible after.
 * Context: any CPU that may spin.
 * Return: true when *@p >= @want in time.
 */
bool ktest_wait_ge(const unsigned int *p, unsigned int want);

/**
 * ktest_progress() - say on the status line how far the running case is
 * @fmt: what it has done, printf-style ("40000 of 100000 calls")
 * @...: its arguments
 *
 * For a case that runs long: on a PC with no serial port, the screen's
 * status line is what shows the run is alive. Does nothing outside a
 * case.
 * Context: the running case's CPU (the boot CPU).
 */
void ktest_progress(const char *fmt, ...) __printf(1, 2);

/**
 * ktest_summary() - the last run's totals, in words
 *
 * Context: any, after ktest_run_all().
 * Return: "self-tests pass:N fail:N skip:N total:N", or NULL before a run.
 */
const char *ktest_summary(void);

/**
 * ktest_run_all() - run every enabled suite the filter lets through
 *
 * A selftest= name that matches no suite, or a selection with no case in
 * it, is an error printed as "ktest: error: ..." and fails the run.
 * Context: boot CPU, interrupts on, after bring-up.
 * Return: 0 when every case run passed or skipped; else the number of
 * failed cases, or 1 for a refused or empty selection.
 */
unsigned int ktest_run_all(void);

/**
 * ktest_selected() - did the options ask for the self-tests?
 *
 * Context: any, after the options are parsed.
 * Return: true when the selftest option asked for them.
 */
bool ktest_selected(void);

#endif /* XCALL_KTEST_H */
