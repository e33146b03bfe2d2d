// SPDX-License-Identifier: MIT
/*
 * Host tests for include/xcall/bitmap.h, include/xcall/cpumask.h and
 * lib/bitmap.c: searches and counts at word boundaries and partial last
 * words, and the cpumask operations on a full NR_CPUS-bit mask.
 *
 * Bitmaps under test sit at the very end of exact-size allocations, so
 * under ASan a search that reads one word too many is caught.
 */
#include <stdlib.h>
#include <string.h>

#include <xcall/bitmap.h>
#include <xcall/cpumask.h>

#include "check.h"

/* An odd size: two full words and 36 bits of a third. */
#define ODD_BITS	(2 * BITS_PER_LONG + 36)

static unsigned long *new_bitmap(unsigned int bits)
{
	unsigned long *map = calloc(BITS_TO_LONGS(bits), sizeof(unsigned long));

	if (!map)
		abort();
	return map;
}

/* The obvious bit-by-bit search, to compare find_next_bit() with. */
static unsigned int slow_next_bit(const unsigned long *map, unsigned int size,
				  unsigned int start)
{
	for (unsigned int i = start; i < size; i++)
		if (test_bit(i, map))
			return i;
	return size;
}

static void set_clear_test_bit_touch_one_bit(struct ktest *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	set_bit(0, map);
	__set_bit(63, map);
	set_bit(64, map);
	__set_bit(ODD_BITS - 1, map);
	KTEST_EXPECT_EQ_U(t, map[0], 0x8000000000000001ul);
	KTEST_EXPECT_EQ_U(t, map[1], 1);
	KTEST_EXPECT_EQ_U(t, map[2], 1ul << 35);
	KTEST_EXPECT_TRUE(t, test_bit(63, map) && test_bit(64, map) && !test_bit(62, map));
	clear_bit(63, map);
	__clear_bit(0, map);
	KTEST_EXPECT_EQ_U(t, map[0], 0);
	KTEST_EXPECT_TRUE(t, test_bit(ODD_BITS - 1, map));
	free(map);
}

static void find_next_bit_crosses_word_boundaries(struct ktest *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	/* Nothing set: the size comes back from every start. */
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 0), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 63), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 64), ODD_BITS);

	__set_bit(63, map);
	__set_bit(64, map);
	__set_bit(128, map);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 0), 63);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 63), 63);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 64), 64);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 65), 128);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 127), 128);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 129), ODD_BITS);
	free(map);
}

static void find_next_bit_start_at_or_past_size_returns_size(struct ktest *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	memset(map, 0xff, BITS_TO_LONGS(ODD_BITS) * sizeof(unsigned long));
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS + 1), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, ~0u), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, 0, 0), 0);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS - 1), ODD_BITS - 1);
	free(map);
}

static void find_next_bit_ignores_bits_past_size(struct ktest *t)
{
	/* Stray bits beyond @size in the last word must not be found. */
	unsigned long *map = new_bitmap(ODD_BITS);

	map[2] = ~0ul << 36;
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 0), ODD_BITS);
	KTEST_EXPECT_EQ(t, find_next_bit(map, ODD_BITS, 2 * BITS_PER_LONG), ODD_BITS);
	/* A size inside a word, with set bits on both sides of it. */
	map[0] = 0x1ul | (1ul << 40);
	KTEST_EXPECT_EQ(t, find_next_bit(map, 40, 1), 40);
	KTEST_EXPECT_EQ(t, find_next_bit(map, 41, 1), 40);
	free(map);
}

/* Exhaustive over every start for a few sizes, against the slow search. */
static void find_next_bit_matches_bit_by_bit_search(struct ktest *t)
{
	const unsigned int sizes[] = { 1, 63, 64, 65, 127, 128, 129, ODD_BITS };
	unsigned int mismatches = 0;

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned int size = sizes[s];
		unsigned long *map = new_bitmap(size);

		/* A sparse pattern that hits both ends of each word. */
		for (unsigned int i = 0; i < size; i++)
			if (i % 64 == 0 || i % 64 == 63 || i % 17 == 5)
				__set_bit(i, map);
		for (unsigned int start = 0; start <= size + 1; start++)
			mismatches += find_next_bit(map, size, start) !=
				      slow_next_bit(map, size, start);
		free(map);
	}
	KTEST_EXPECT_EQ(t, mismatches, 0);
}

static void bitmap_weight_counts_partial_last_word(struct ktest *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	KTEST_EXPECT_EQ(t, bitmap_weight(map, ODD_BITS), 0);
	memset(map, 0xff, BITS_TO_LONGS(ODD_BITS) * sizeof(unsigned long));
	/* All 64 bits of the last word are set; only 36 count. */
	KTEST_EXPECT_EQ(t, bitmap_weight(map, ODD_BITS), ODD_BITS);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 2 * BITS_PER_LONG), 2 * BITS_PER_LONG);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 1), 1);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, 0), 0);
	KTEST_EXPECT_EQ(t, bitmap_weight(map, BITS_PER_LONG + 1), BITS_PER_LONG + 1);
	map[1] = 0x5;
	KTEST_EXPECT_EQ(t, bitmap_weight(map, BITS_PER_LONG + 3), BITS_PER_LONG + 2);
	free(map);
}

/* ---- cpumask -------------------------------------------------------- */

static struct cpumask *new_mask(void)
{
	struct cpumask *m = malloc(sizeof(*m));

	if (!m)
		abort();
	cpumask_clear(m);
	return m;
}

static void cpumask_spans_nr_cpus_bits(struct ktest *t)
{
	/* The mask has exactly the words NR_CPUS bits need. */
	KTEST_EXPECT_EQ(t, sizeof(struct cpumask),
		 BITS_TO_LONGS(NR_CPUS) * sizeof(unsigned long));
	/* The cases below assume the last CPU is not in word 0. */
	KTEST_EXPECT_TRUE(t, NR_CPUS > 2 * BITS_PER_LONG);
}

static void cpumask_first_next_and_for_each_visit_set_cpus(struct ktest *t)
{
	struct cpumask *m = new_mask();
	const unsigned int cpus[] = { 0, 1, 63, 64, 200, NR_CPUS - 1 };
	unsigned int seen[ARRAY_SIZE(cpus)], n = 0, cpu;

	KTEST_EXPECT_EQ(t, cpumask_first(m), NR_CPUS);
	KTEST_EXPECT_EQ(t, cpumask_next(-1, m), NR_CPUS);
	for_each_cpu(cpu, m)
		n++;
	KTEST_EXPECT_EQ(t, n, 0);

	for (size_t i = 0; i < ARRAY_SIZE(cpus); i++)
		cpumask_set_cpu(cpus[i], m);
	KTEST_EXPECT_EQ(t, cpumask_first(m), 0);
	KTEST_EXPECT_EQ(t, cpumask_next(-1, m), 0);
	KTEST_EXPECT_EQ(t, cpumask_next(1, m), 63);
	KTEST_EXPECT_EQ(t, cpumask_next(64, m), 200);
	KTEST_EXPECT_EQ(t, cpumask_next(NR_CPUS - 2, m), NR_CPUS - 1);
	KTEST_EXPECT_EQ(t, cpumask_next(NR_CPUS - 1, m), NR_CPUS);

	n = 0;
	for_each_cpu(cpu, m) {
		if (n < ARRAY_SIZE(seen))
			seen[n] = cpu;
		n++;
	}
	if (KTEST_EXPECT_EQ(t, n, ARRAY_SIZE(cpus)))
		KTEST_EXPECT_MEMEQ(t, seen, cpus, sizeof(cpus));

	cpumask_clear_cpu(0, m);
	__cpumask_clear_cpu(NR_CPUS - 1, m);
	__cpumask_set_cpu(5, m);
	KTEST_EXPECT_EQ(t, cpumask_first(m), 1);
	KTEST_EXPECT_TRUE(t, cpumask_test_cpu(5, m));
	KTEST_EXPECT_TRUE(t, !cpumask_test_cpu(NR_CPUS - 1, m));
	/* Out of range is never set, and is not read. */
	KTEST_EXPECT_TRUE(t, !cpumask_test_cpu(NR_CPUS, m));
	KTEST_EXPECT_TRUE(t, !cpumask_test_cpu(~0u, m));
	free(m);
}

static void cpumask_and_andnot_report_non_empty_result(struct ktest *t)
{
	struct cpumask *a = new_mask(), *b = new_mask(), *d = new_mask();

	cpumask_set_cpu(3, a);
	cpumask_set_cpu(NR_CPUS - 1, a);
	cpumask_set_cpu(3, b);
	cpumask_set_cpu(100, b);

	KTEST_EXPECT_TRUE(t, cpumask_and(d, a, b));
	KTEST_EXPECT_EQ(t, cpumask_weight(d), 1);
	KTEST_EXPECT_TRUE(t, cpumask_test_cpu(3, d));

	KTEST_EXPECT_TRUE(t, cpumask_andnot(d, a, b));
	KTEST_EXPECT_EQ(t, cpumask_weight(d), 1);
	KTEST_EXPECT_TRUE(t, cpumask_test_cpu(NR_CPUS - 1, d));

	/* Empty results return false and clear what @d held. */
	cpumask_clear_cpu(3, b);
	cpumask_clear_cpu(NR_CPUS - 1, a);
	KTEST_EXPECT_TRUE(t, !cpumask_and(d, a, b));
	KTEST_EXPECT_TRUE(t, cpumask_empty(d));
	KTEST_EXPECT_TRUE(t, !cpumask_andnot(d, a, a));
	KTEST_EXPECT_TRUE(t, cpumask_empty(d));

	/* @dst may be one of the sources. */
	cpumask_set_cpu(7, a);
	cpumask_set_cpu(7, b);
	KTEST_EXPECT_TRUE(t, cpumask_and(a, a, b));
	KTEST_EXPECT_EQ(t, cpumask_weight(a), 1);
	free(a);
	free(b);
	free(d);
}

static void cpumask_equal_empty_weight_copy_on_full_mask(struct ktest *t)
{
	struct cpumask *a = new_mask(), *b = new_mask();

	KTEST_EXPECT_TRUE(t, cpumask_empty(a));
	KTEST_EXPECT_TRUE(t, cpumask_equal(a, b));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, a);
	KTEST_EXPECT_EQ(t, cpumask_weight(a), NR_CPUS);
	KTEST_EXPECT_TRUE(t, !cpumask_empty(a));
	KTEST_EXPECT_TRUE(t, !cpumask_equal(a, b));
	cpumask_copy(b, a);
	KTEST_EXPECT_TRUE(t, cpumask_equal(a, b));
	/* A difference in the last bit only. */
	cpumask_clear_cpu(NR_CPUS - 1, b);
	KTEST_EXPECT_TRUE(t, !cpumask_equal(a, b));
	KTEST_EXPECT_EQ(t, cpumask_weight(b), NR_CPUS - 1);
	cpumask_clear(a);
	KTEST_EXPECT_TRUE(t, cpumask_empty(a));
	KTEST_EXPECT_EQ(t, cpumask_weight(a), 0);
	free(a);
	free(b);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(set_clear_test_bit_touch_one_bit),
	KTEST_CASE(find_next_bit_crosses_word_boundaries),
	KTEST_CASE(find_next_bit_start_at_or_past_size_returns_size),
	KTEST_CASE(find_next_bit_ignores_bits_past_size),
	KTEST_CASE(find_next_bit_matches_bit_by_bit_search),
	KTEST_CASE(bitmap_weight_counts_partial_last_word),
	KTEST_CASE(cpumask_spans_nr_cpus_bits),
	KTEST_CASE(cpumask_first_next_and_for_each_visit_set_cpus),
	KTEST_CASE(cpumask_and_andnot_report_non_empty_result),
	KTEST_CASE(cpumask_equal_empty_weight_copy_on_full_mask),
};

int main(void)
{
	return host_main("bitmap", cases, ARRAY_SIZE(cases));
}
