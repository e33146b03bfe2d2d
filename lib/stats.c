// SPDX-License-Identifier: MIT
/*
 * Benchmark statistics: an in-place heapsort (no recursion, no buffer,
 * O(n log n) worst case) and nearest-rank percentiles.
 */
#include <xcall/stats.h>

static void sift_down(u64 *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		u64 tmp;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

void sort_u64(u64 *a, size_t n)
{
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		u64 tmp = a[0];

		a[0] = a[end];
		a[end] = tmp;
		sift_down(a, 0, end);
	}
}

u64 percentile_sorted(const u64 *sorted, size_t n, unsigned int pct)
{
	/* rank = ceil(pct * n / 100), 1-based */
	size_t rank = ((size_t)pct * n + 99) / 100;

	/* No samples, no rank: clamping below would make it 0 and read
	 * sorted[-1]. 0 is what summarize_u64() reports for an empty set. */
	if (n == 0)
		return 0;
	if (rank == 0)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void summarize_u64(u64 *samples, size_t n, struct sample_summary *out)
{
	u64 sum = 0;

	*out = (struct sample_summary){ 0 };
	if (n == 0)
		return;
	sort_u64(samples, n);
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	out->n = n;
	out->min = samples[0];
	out->max = samples[n - 1];
	out->p50 = percentile_sorted(samples, n, 50);
	out->p90 = percentile_sorted(samples, n, 90);
	out->p99 = percentile_sorted(samples, n, 99);
	out->mean = (sum + n / 2) / n;
}
