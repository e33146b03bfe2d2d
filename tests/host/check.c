// SPDX-License-Identifier: MIT
/*
 * The host test harness: checks and the KTAP printer. See check.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* KTAP nests a suite's lines four spaces in. */
#define INDENT "    "

static void fail_line(struct host_test *t, const char *file, int line)
{
	t->failures++;
	printf(INDENT "# %s: CHECK FAILED at %s:%d\n", t->name, file, line);
}

bool check_true(struct host_test *t, bool ok, const char *expr,
		const char *file, int line)
{
	if (!ok) {
		fail_line(t, file, line);
		printf(INDENT "# expected %s to be true\n", expr);
	}
	return ok;
}

bool check_eq_s64(struct host_test *t, int64_t a, int64_t b, const char *ea,
		  const char *eb, const char *file, int line)
{
	if (a != b) {
		fail_line(t, file, line);
		printf(INDENT "# expected %s == %s, got %" PRId64 " and %" PRId64 "\n",
		       ea, eb, a, b);
	}
	return a == b;
}

bool check_eq_u64(struct host_test *t, uint64_t a, uint64_t b, const char *ea,
		  const char *eb, const char *file, int line)
{
	if (a != b) {
		fail_line(t, file, line);
		printf(INDENT "# expected %s == %s, got 0x%" PRIx64 " and 0x%" PRIx64 "\n",
		       ea, eb, a, b);
	}
	return a == b;
}

bool check_str_eq(struct host_test *t, const char *a, const char *b,
		  const char *ea, const char *eb, const char *file, int line)
{
	bool ok = a && b && strcmp(a, b) == 0;

	if (!ok) {
		fail_line(t, file, line);
		printf(INDENT "# expected %s == %s, got \"%s\" and \"%s\"\n",
		       ea, eb, a ? a : "(null)", b ? b : "(null)");
	}
	return ok;
}

bool check_mem_eq(struct host_test *t, const void *a, const void *b, size_t n,
		  const char *ea, const char *eb, const char *file, int line)
{
	bool ok = memcmp(a, b, n) == 0;

	if (!ok) {
		fail_line(t, file, line);
		printf(INDENT "# expected %zu bytes of %s and %s to match\n", n,
		       ea, eb);
	}
	return ok;
}

void host_skip(struct host_test *t, const char *reason)
{
	t->skip_reason = reason;
}

int host_main(const char *suite, const struct host_case *cases, size_t n)
{
	unsigned int pass = 0, fail = 0, skip = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..1\n");
	printf(INDENT "KTAP version 1\n" INDENT "# Subtest: host_%s\n", suite);
	printf(INDENT "1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		struct host_test t = { .name = cases[i].name };

		cases[i].fn(&t);
		if (t.failures) {
			fail++;
			printf(INDENT "not ok %zu %s\n", i + 1, t.name);
		} else if (t.skip_reason) {
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
