/* SPDX-License-Identifier: MIT */
/*
 * A tiny test harness for the host tests of lib/. Each test binary is one
 * suite; it prints KTAP version 1, like the in-kernel tests, so one parser
 * (tools/ktap.py) reads both.
 *
 * The CHECK macros record a failure with file and line and evaluate to the
 * condition's truth; they never return or jump. A case that cannot go on
 * after a failed check says so itself:
 *
 *	if (!CHECK_EQ(t, mb2_parse(buf, len, &info, &why), 0))
 *		return;
 */
#ifndef XCALL_HOST_CHECK_H
#define XCALL_HOST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct host_test {
	const char *name;
	unsigned int failures;
	const char *skip_reason;	/* set by host_skip() */
};

struct host_case {
	const char *name;
	void (*fn)(struct host_test *t);
};

#define HOST_CASE(fn)	{ #fn, fn }

bool check_true(struct host_test *t, bool ok, const char *expr,
		const char *file, int line);
bool check_eq_s64(struct host_test *t, int64_t a, int64_t b, const char *ea,
		  const char *eb, const char *file, int line);
bool check_eq_u64(struct host_test *t, uint64_t a, uint64_t b, const char *ea,
		  const char *eb, const char *file, int line);
bool check_str_eq(struct host_test *t, const char *a, const char *b,
		  const char *ea, const char *eb, const char *file, int line);
bool check_mem_eq(struct host_test *t, const void *a, const void *b, size_t n,
		  const char *ea, const char *eb, const char *file, int line);

/* Mark the running case skipped, with a reason. */
void host_skip(struct host_test *t, const char *reason);

#define CHECK(t, cond) \
	check_true((t), !!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(t, a, b) \
	check_eq_s64((t), (int64_t)(a), (int64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_U(t, a, b) \
	check_eq_u64((t), (uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR_EQ(t, a, b) \
	check_str_eq((t), (a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_MEM_EQ(t, a, b, n) \
	check_mem_eq((t), (a), (b), (n), #a, #b, __FILE__, __LINE__)

/**
 * host_main() - run a suite and print its KTAP report
 * @suite: suite name, printed as "host_<suite>"
 * @cases: the cases, run in order
 * @n: how many
 *
 * Return: the process exit status: 0 when no case failed, 1 otherwise.
 */
int host_main(const char *suite, const struct host_case *cases, size_t n);

#endif /* XCALL_HOST_CHECK_H */
