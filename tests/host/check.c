// SPDX-License-Identifier: MIT
/*
 * The host test harness: the checks and the KTAP printer. See check.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* KTAP nests a suite's lines four spaces in. */
#define INDENT "    "

/* The first line of a failure's report, worded as the kernel's. */
static void fail_line(struct ktest *t, const char *file, int line)
{
	t->failures++;
	printf(INDENT "# %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
}

bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	fail_line(t, file, line);
	printf(INDENT "# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return false;
}

static const char *const op_names[] = { "==", "!=", "<", "<=", ">", ">=" };

static bool holds(int cmp, enum ktest_op op)
{
	switch (op) {
	case KTEST_OP_EQ: return cmp == 0;
	case KTEST_OP_NE: return cmp != 0;
	case KTEST_OP_LT: return cmp < 0;
	case KTEST_OP_LE: return cmp <= 0;
	case KTEST_OP_GT: return cmp > 0;
	case KTEST_OP_GE: return cmp >= 0;
	}
	return false;
}

bool ktest_check_s64(struct ktest *t, int64_t a, int64_t b, enum ktest_op op,
		     const char *ea, const char *eb, const char *file, int line)
{
	return ktest_check(t, holds((a > b) - (a < b), op), file, line,
			   "expected %s %s %s, got %" PRId64 " and %" PRId64,
			   ea, op_names[op], eb, a, b);
}

bool ktest_check_u64(struct ktest *t, uint64_t a, uint64_t b, enum ktest_op op,
		     const char *ea, const char *eb, const char *file, int line)
{
	return ktest_check(t, holds((a > b) - (a < b), op), file, line,
			   "expected %s %s %s, got 0x%" PRIx64 " and 0x%" PRIx64,
			   ea, op_names[op], eb, a, b);
}

bool ktest_check_str(struct ktest *t, const char *a, const char *b,
		     const char *ea, const char *eb, const char *file, int line)
{
	return ktest_check(t, a && b && strcmp(a, b) == 0, file, line,
			   "expected %s == %s, got \"%s\" and \"%s\"",
			   ea, eb, a ? a : "(null)", b ? b : "(null)");
}

bool ktest_check_mem(struct ktest *t, const void *a, const void *b, size_t n,
		     const char *ea, const char *eb, const char *file, int line)
{
	if (memcmp(a, b, n) == 0)
		return true;
	fail_line(t, file, line);
	printf(INDENT "# expected %zu bytes of %s and %s to match\n", n, ea, eb);
	return false;
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
	t->skipped = true;
}

int host_main(const char *suite, const struct ktest_case *cases, size_t n)
{
	unsigned int pass = 0, fail = 0, skip = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..1\n");
	printf(INDENT "KTAP version 1\n" INDENT "# Subtest: host_%s\n", suite);
	printf(INDENT "1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		struct ktest t = { .name = cases[i].name };

		cases[i].fn(&t);
		if (t.failures) {
			fail++;
			printf(INDENT "not ok %zu %s\n", i + 1, t.name);
		} else if (t.skipped) {
			skip++;
			printf(INDENT "ok %zu %s # SKIP %s\n", i + 1, t.name,
			       t.skip_reason);
		} else {
			pass++;
			printf(INDENT "ok %zu %s\n", i + 1, t.name);
		}
	}
	printf("# host_%s: pass:%u fail:%u skip:%u total:%zu\n", suite, pass,
	       fail, skip, n);
	printf("%s 1 host_%s\n", fail ? "not ok" : "ok", suite);
	printf("# Totals: pass:%u fail:%u skip:%u total:%zu\n", pass, fail,
	       skip, n);
	return fail ? 1 : 0;
}
