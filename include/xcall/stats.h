/* SPDX-License-Identifier: MIT */
/*
 * Sorting and summarising samples for the benchmarks (lib/stats.c):
 * integer-only (the kernel has no FPU state), no allocation.
 */
#ifndef XCALL_STATS_H
#define XCALL_STATS_H

#include <xcall/types.h>

struct sample_summary {
	u64 n;
	u64 min;
	u64 p50;
	u64 p90;
	u64 p99;
	u64 max;
	u64 mean;	/* rounded to nearest */
};

/**
 * sort_u64() - sort ascending, in place
 * @a: the samples
 * @n: how many
 *
 * Heapsort: O(n log n) at worst, no recursion, no extra memory.
 *
 * Context: any; the array belongs to the caller.
 */
void sort_u64(u64 *a, size_t n);

/**
 * percentile_sorted() - the nearest-rank percentile
 * @sorted: ascending samples
 * @n: how many
 * @pct: 1..100
 *
 * Context: any.
 * Return: the smallest sample with at least @pct percent of all samples
 * at or below it; 0 when @n is 0.
 */
u64 percentile_sorted(const u64 *sorted, size_t n, unsigned int pct);

/**
 * summarize_u64() - sort samples and describe them
 * @samples: the samples; sorted ascending on return
 * @n: how many; may be 0
 * @out: the count, minimum, percentiles, maximum and mean; with @n == 0
 *       every field is 0
 *
 * Context: any; the array belongs to the caller.
 */
void summarize_u64(u64 *samples, size_t n, struct sample_summary *out);

#endif /* XCALL_STATS_H */
