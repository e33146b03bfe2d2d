// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/stats.c: the sort against qsort on random and
 * adversarial inputs, nearest-rank percentiles on known data.
 */
#include <stdlib.h>
#include <string.h>

#include <xcall/stats.h>

#include "check.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_matches_qsort(struct ktest *t)
{
	enum { N = 5000 };
	static uint64_t a[N], b[N];
	uint64_t s = 88172645463325252ull;

	for (size_t n = 0; n <= N; n = n ? n * 3 : 1) {
		for (size_t i = 0; i < n; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			/* Few distinct values, to exercise equal keys. */
			a[i] = b[i] = (i & 1) ? s : s % 7;
		}
		sort_u64(a, n);
		qsort(b, n, sizeof(b[0]), cmp_u64);
		if (!KTEST_EXPECT_MEMEQ(t, a, b, n * sizeof(a[0])))
			return;
	}
}

static void sort_handles_sorted_and_reversed(struct ktest *t)
{
	uint64_t up[100], down[100];

	for (size_t i = 0; i < 100; i++) {
		up[i] = i;
		down[i] = 99 - i;
	}
	sort_u64(up, 100);
	sort_u64(down, 100);
	for (size_t i = 0; i < 100; i++) {
		KTEST_EXPECT_EQ_U(t, up[i], i);
		KTEST_EXPECT_EQ_U(t, down[i], i);
	}
}

static void percentiles_use_nearest_rank(struct ktest *t)
{
	uint64_t v[100];
	struct sample_summary s;

	for (size_t i = 0; i < 100; i++)
		v[i] = 100 - i;		/* 1..100, reversed */
	summarize_u64(v, 100, &s);
	KTEST_EXPECT_EQ_U(t, s.n, 100);
	KTEST_EXPECT_EQ_U(t, s.min, 1);
	KTEST_EXPECT_EQ_U(t, s.p50, 50);
	KTEST_EXPECT_EQ_U(t, s.p90, 90);
	KTEST_EXPECT_EQ_U(t, s.p99, 99);
	KTEST_EXPECT_EQ_U(t, s.max, 100);
	KTEST_EXPECT_EQ_U(t, s.mean, 51);	/* 50.5 rounds up */
}

static void small_sets_and_outliers(struct ktest *t)
{
	uint64_t one[1] = { 7 }, pair[2] = { 1000000, 3 };
	uint64_t skew[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1000 };
	struct sample_summary s;

	summarize_u64(one, 1, &s);
	KTEST_EXPECT_TRUE(t, s.min == 7 && s.p50 == 7 && s.p99 == 7 && s.max == 7 && s.mean == 7);
	summarize_u64(pair, 2, &s);
	KTEST_EXPECT_EQ_U(t, s.p50, 3);
	KTEST_EXPECT_EQ_U(t, s.p90, 1000000);
	summarize_u64(skew, 10, &s);
	KTEST_EXPECT_EQ_U(t, s.p50, 1);
	KTEST_EXPECT_EQ_U(t, s.p90, 1);
	KTEST_EXPECT_EQ_U(t, s.p99, 1000);
	KTEST_EXPECT_EQ_U(t, s.mean, 101);	/* 1009 / 10 = 100.9 */
}

static void empty_set_is_all_zero(struct ktest *t)
{
	struct sample_summary s;

	memset(&s, 0xff, sizeof(s));
	summarize_u64(NULL, 0, &s);
	KTEST_EXPECT_TRUE(t, s.n == 0 && s.min == 0 && s.p50 == 0 && s.max == 0 && s.mean == 0);
}

static void percentile_of_no_samples_is_zero(struct ktest *t)
{
	/* One real sample past the end of an empty array: a read of
	 * sorted[-1] would return it. */
	uint64_t backing[2] = { 42, 43 };

	KTEST_EXPECT_EQ_U(t, percentile_sorted(&backing[1], 0, 50), 0);
	KTEST_EXPECT_EQ_U(t, percentile_sorted(NULL, 0, 99), 0);
}

int main(void)
{
	static const struct ktest_case cases[] = {
		KTEST_CASE(sort_matches_qsort),
		KTEST_CASE(sort_handles_sorted_and_reversed),
		KTEST_CASE(percentiles_use_nearest_rank),
		KTEST_CASE(small_sets_and_outliers),
		KTEST_CASE(empty_set_is_all_zero),
		KTEST_CASE(percentile_of_no_samples_is_zero),
	};

	return host_main("stats", cases, sizeof(cases) / sizeof(cases[0]));
}
