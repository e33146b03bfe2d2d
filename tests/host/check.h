/* SPDX-License-Identifier: MIT */
/*
 * The host tests' harness, with the in-kernel harness's vocabulary
 * (include/xcall/ktest.h): a case gets a struct ktest, checks with the
 * KTEST_EXPECT_*() macros, skips with ktest_skip(), and is listed with
 * KTEST_CASE(). A reader learns one set of names for both. Each test
 * binary is one suite and prints KTAP version 1, like the kernel, so one
 * parser (tools/ktap.py) reads both.
 *
 * The KTEST_EXPECT_*() macros record a failure with file and line and
 * evaluate to the condition's truth; they never return or jump. A case
 * that cannot go on after a failed check says so itself:
 *
 *	if (!KTEST_EXPECT_EQ(t, mb2_parse(buf, len, &info, &why), 0))
 *		return;
 *
 * Beyond the kernel's set, the host has KTEST_EXPECT_STREQ() and
 * KTEST_EXPECT_MEMEQ(), which only host tests need.
 */
#ifndef XCALL_HOST_CHECK_H
#define XCALL_HOST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length of a skip's reason, as the kernel's KTEST_REASON_MAX. */
#define KTEST_REASON_MAX	160

/* The running case. */
struct ktest {
	const char *name;
	unsigned int failures;
	bool skipped;
	char skip_reason[KTEST_REASON_MAX];
};

struct ktest_case {
	const char *name;
	void (*fn)(struct ktest *t);
};

#define KTEST_CASE(fn)	{ #fn, fn }

/**
 * ktest_check() - record a failure of the running case unless a check held
 * @t: the running case
 * @ok: the check's outcome
 * @file: where the check is, for the report
 * @line: likewise
 * @fmt: what was expected, printf-style, for the report
 * @...: its arguments
 *
 * The KTEST_EXPECT_*() macros call this.
 * Context: the test's thread.
 * Return: @ok.
 */
bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/**
 * ktest_check_mem() - record a failure unless two buffers are equal
 * @t: the running case
 * @a: one buffer
 * @b: the other
 * @n: their length
 * @ea: @a's expression, for the report
 * @eb: @b's expression
 * @file: where the check is
 * @line: likewise
 *
 * Context: the test's thread.
 * Return: true when they are equal.
 */
bool ktest_check_mem(struct ktest *t, const void *a, const void *b, size_t n,
		     const char *ea, const char *eb, const char *file, int line);

/**
 * ktest_skip() - mark the running case skipped, with a reason
 * @t: the running case
 * @fmt: why it cannot do its job here, printf-style
 * @...: its arguments
 *
 * Context: the test's thread; the case should return after it.
 */
void ktest_skip(struct ktest *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define KTEST_EXPECT_TRUE(t, cond)					\
	ktest_check((t), !!(cond), __FILE__, __LINE__, "expected %s", #cond)

#define KTEST_EXPECT_FALSE(t, cond)					\
	ktest_check((t), !(cond), __FILE__, __LINE__, "expected !(%s)", #cond)

/* The comparisons, as ktest_check_s64()/ktest_check_u64() take them. */
enum ktest_op { KTEST_OP_EQ, KTEST_OP_NE, KTEST_OP_LT, KTEST_OP_LE, KTEST_OP_GT,
		KTEST_OP_GE };

/*
 * The comparisons are functions, not statement expressions: each operand
 * is evaluated once either way, and cppcheck (make check) reads a call
 * where it misreads a ({ ... }) block.
 */
bool ktest_check_s64(struct ktest *t, int64_t a, int64_t b, enum ktest_op op,
		     const char *ea, const char *eb, const char *file, int line);
bool ktest_check_u64(struct ktest *t, uint64_t a, uint64_t b, enum ktest_op op,
		     const char *ea, const char *eb, const char *file, int line);
bool ktest_check_str(struct ktest *t, const char *a, const char *b,
		     const char *ea, const char *eb, const char *file, int line);

#define __KTEST_CMP(t, a, op, b)					\
	ktest_check_s64((t), (int64_t)(a), (int64_t)(b), KTEST_OP_##op,	\
			#a, #b, __FILE__, __LINE__)
#define __KTEST_CMP_U(t, a, op, b)					\
	ktest_check_u64((t), (uint64_t)(a), (uint64_t)(b), KTEST_OP_##op, \
			#a, #b, __FILE__, __LINE__)

#define KTEST_EXPECT_EQ(t, a, b)	__KTEST_CMP(t, a, EQ, b)
#define KTEST_EXPECT_NE(t, a, b)	__KTEST_CMP(t, a, NE, b)
#define KTEST_EXPECT_LT(t, a, b)	__KTEST_CMP(t, a, LT, b)
#define KTEST_EXPECT_LE(t, a, b)	__KTEST_CMP(t, a, LE, b)
#define KTEST_EXPECT_GT(t, a, b)	__KTEST_CMP(t, a, GT, b)
#define KTEST_EXPECT_GE(t, a, b)	__KTEST_CMP(t, a, GE, b)
#define KTEST_EXPECT_EQ_U(t, a, b)	__KTEST_CMP_U(t, a, EQ, b)
#define KTEST_EXPECT_NE_U(t, a, b)	__KTEST_CMP_U(t, a, NE, b)

/* Two C strings, compared with strcmp(); a NULL equals nothing. */
#define KTEST_EXPECT_STREQ(t, a, b) \
	ktest_check_str((t), (a), (b), #a, #b, __FILE__, __LINE__)

#define KTEST_EXPECT_MEMEQ(t, a, b, n) \
	ktest_check_mem((t), (a), (b), (n), #a, #b, __FILE__, __LINE__)

/**
 * host_main() - run a suite and print its KTAP report
 * @suite: suite name, printed as "host_<suite>"
 * @cases: the cases, run in order
 * @n: how many
 *
 * Context: the test binary's main().
 * Return: the process exit status: 0 when no case failed, 1 otherwise.
 */
int host_main(const char *suite, const struct ktest_case *cases, size_t n);

#endif /* XCALL_HOST_CHECK_H */
