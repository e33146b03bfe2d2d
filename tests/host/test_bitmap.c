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

static void set_clear_test_bit_touch_one_bit(struct host_test *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	set_bit(0, map);
	__set_bit(63, map);
	set_bit(64, map);
	__set_bit(ODD_BITS - 1, map);
	CHECK_EQ_U(t, map[0], 0x8000000000000001ul);
	CHECK_EQ_U(t, map[1], 1);
	CHECK_EQ_U(t, map[2], 1ul << 35);
	CHECK(t, test_bit(63, map) && test_bit(64, map) && !test_bit(62, map));
	clear_bit(63, map);
	__clear_bit(0, map);
	CHECK_EQ_U(t, map[0], 0);
	CHECK(t, test_bit(ODD_BITS - 1, map));
	free(map);
}

static void find_next_bit_crosses_word_boundaries(struct host_test *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	/* Nothing set: the size comes back from every start. */
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 0), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 63), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 64), ODD_BITS);

	__set_bit(63, map);
	__set_bit(64, map);
	__set_bit(128, map);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 0), 63);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 63), 63);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 64), 64);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 65), 128);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 127), 128);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 129), ODD_BITS);
	free(map);
}

static void find_next_bit_start_at_or_past_size_returns_size(struct host_test *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	memset(map, 0xff, BITS_TO_LONGS(ODD_BITS) * sizeof(unsigned long));
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS + 1), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, ~0u), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, 0, 0), 0);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, ODD_BITS - 1), ODD_BITS - 1);
	free(map);
}

static void find_next_bit_ignores_bits_past_size(struct host_test *t)
{
	/* Stray bits beyond @size in the last word must not be found. */
	unsigned long *map = new_bitmap(ODD_BITS);

	map[2] = ~0ul << 36;
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 0), ODD_BITS);
	CHECK_EQ(t, find_next_bit(map, ODD_BITS, 2 * BITS_PER_LONG), ODD_BITS);
	/* A size inside a word, with set bits on both sides of it. */
	map[0] = 0x1ul | (1ul << 40);
	CHECK_EQ(t, find_next_bit(map, 40, 1), 40);
	CHECK_EQ(t, find_next_bit(map, 41, 1), 40);
	free(map);
}

/* Exhaustive over every start for a few sizes, against the slow search. */
static void find_next_bit_matches_bit_by_bit_search(struct host_test *t)
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
	CHECK_EQ(t, mismatches, 0);
}

static void bitmap_weight_counts_partial_last_word(struct host_test *t)
{
	unsigned long *map = new_bitmap(ODD_BITS);

	CHECK_EQ(t, bitmap_weight(map, ODD_BITS), 0);
	memset(map, 0xff, BITS_TO_LONGS(ODD_BITS) * sizeof(unsigned long));
	/* All 64 bits of the last word are set; only 36 count. */
	CHECK_EQ(t, bitmap_weight(map, ODD_BITS), ODD_BITS);
	CHECK_EQ(t, bitmap_weight(map, 2 * BITS_PER_LONG), 2 * BITS_PER_LONG);
	CHECK_EQ(t, bitmap_weight(map, 1), 1);
	CHECK_EQ(t, bitmap_weight(map, 0), 0);
	CHECK_EQ(t, bitmap_weight(map, BITS_PER_LONG + 1), BITS_PER_LONG + 1);
	map[1] = 0x5;
	CHECK_EQ(t, bitmap_weight(map, BITS_PER_LONG + 3), BITS_PER_LONG + 2);
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

static void cpumask_spans_nr_cpus_bits(struct host_test *t)
{
	/* The mask has exactly the words NR_CPUS bits need. */
	CHECK_EQ(t, sizeof(struct cpumask),
		 BITS_TO_LONGS(NR_CPUS) * sizeof(unsigned long));
	/* The cases below assume the last CPU is not in word 0. */
	CHECK(t, NR_CPUS > 2 * BITS_PER_LONG);
}

static void cpumask_first_next_and_for_each_visit_set_cpus(struct host_test *t)
{
	struct cpumask *m = new_mask();
	const unsigned int cpus[] = { 0, 1, 63, 64, 200, NR_CPUS - 1 };
	unsigned int seen[ARRAY_SIZE(cpus)], n = 0, cpu;

	CHECK_EQ(t, cpumask_first(m), NR_CPUS);
	CHECK_EQ(t, cpumask_next(-1, m), NR_CPUS);
	for_each_cpu(cpu, m)
		n++;
	CHECK_EQ(t, n, 0);

	for (size_t i = 0; i < ARRAY_SIZE(cpus); i++)
		cpumask_set_cpu(cpus[i], m);
	CHECK_EQ(t, cpumask_first(m), 0);
	CHECK_EQ(t, cpumask_next(-1, m), 0);
	CHECK_EQ(t, cpumask_next(1, m), 63);
	CHECK_EQ(t, cpumask_next(64, m), 200);
	CHECK_EQ(t, cpumask_next(NR_CPUS - 2, m), NR_CPUS - 1);
	CHECK_EQ(t, cpumask_next(NR_CPUS - 1, m), NR_CPUS);

	n = 0;
	for_each_cpu(cpu, m) {
		if (n < ARRAY_SIZE(seen))
			seen[n] = cpu;
		n++;
	}
	if (CHECK_EQ(t, n, ARRAY_SIZE(cpus)))
		CHECK_MEM_EQ(t, seen, cpus, sizeof(cpus));

	cpumask_clear_cpu(0, m);
	__cpumask_clear_cpu(NR_CPUS - 1, m);
	__cpumask_set_cpu(5, m);
	CHECK_EQ(t, cpumask_first(m), 1);
	CHECK(t, cpumask_test_cpu(5, m));
	CHECK(t, !cpumask_test_cpu(NR_CPUS - 1, m));
	/* Out of range is never set, and is not read. */
	CHECK(t, !cpumask_test_cpu(NR_CPUS, m));
	CHECK(t, !cpumask_test_cpu(~0u, m));
	free(m);
}

static void cpumask_and_andnot_report_non_empty_result(struct host_test *t)
{
	struct cpumask *a = new_mask(), *b = new_mask(), *d = new_mask();

	cpumask_set_cpu(3, a);
	cpumask_set_cpu(NR_CPUS - 1, a);
	cpumask_set_cpu(3, b);
	cpumask_set_cpu(100, b);

	CHECK(t, cpumask_and(d, a, b));
	CHECK_EQ(t, cpumask_weight(d), 1);
	CHECK(t, cpumask_test_cpu(3, d));

	CHECK(t, cpumask_andnot(d, a, b));
	CHECK_EQ(t, cpumask_weight(d), 1);
	CHECK(t, cpumask_test_cpu(NR_CPUS - 1, d));

	/* Empty results return false and clear what @d held. */
	cpumask_clear_cpu(3, b);
	cpumask_clear_cpu(NR_CPUS - 1, a);
	CHECK(t, !cpumask_and(d, a, b));
	CHECK(t, cpumask_empty(d));
	CHECK(t, !cpumask_andnot(d, a, a));
	CHECK(t, cpumask_empty(d));

	/* @dst may be one of the sources. */
	cpumask_set_cpu(7, a);
	cpumask_set_cpu(7, b);
	CHECK(t, cpumask_and(a, a, b));
	CHECK_EQ(t, cpumask_weight(a), 1);
	free(a);
	free(b);
	free(d);
}

static void cpumask_equal_empty_weight_copy_on_full_mask(struct host_test *t)
{
	struct cpumask *a = new_mask(), *b = new_mask();

	CHECK(t, cpumask_empty(a));
	CHECK(t, cpumask_equal(a, b));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, a);
	CHECK_EQ(t, cpumask_weight(a), NR_CPUS);
	CHECK(t, !cpumask_empty(a));
	CHECK(t, !cpumask_equal(a, b));
	cpumask_copy(b, a);
	CHECK(t, cpumask_equal(a, b));
	/* A difference in the last bit only. */
	cpumask_clear_cpu(NR_CPUS - 1, b);
	CHECK(t, !cpumask_equal(a, b));
	CHECK_EQ(t, cpumask_weight(b), NR_CPUS - 1);
	cpumask_clear(a);
	CHECK(t, cpumask_empty(a));
	CHECK_EQ(t, cpumask_weight(a), 0);
	free(a);
	free(b);
}

static const struct host_case cases[] = {
	HOST_CASE(set_clear_test_bit_touch_one_bit),
	HOST_CASE(find_next_bit_crosses_word_boundaries),
	HOST_CASE(find_next_bit_start_at_or_past_size_returns_size),
	HOST_CASE(find_next_bit_ignores_bits_past_size),
	HOST_CASE(find_next_bit_matches_bit_by_bit_search),
	HOST_CASE(bitmap_weight_counts_partial_last_word),
	HOST_CASE(cpumask_spans_nr_cpus_bits),
	HOST_CASE(cpumask_first_next_and_for_each_visit_set_cpus),
	HOST_CASE(cpumask_and_andnot_report_non_empty_result),
	HOST_CASE(cpumask_equal_empty_weight_copy_on_full_mask),
};

int main(void)
{
	return host_main("bitmap", cases, ARRAY_SIZE(cases));
}
