// SPDX-License-Identifier: MIT
/*
 * Host tests for the physical frame allocator (lib/frame_alloc.c).
 *
 * The directed cases each prove one rule of frame_alloc.h. The last case
 * runs a long random sequence (fixed seed, so a failure replays) against a
 * reference model that keeps one bool per frame, and after every step
 * compares the two frame by frame and checks the table's invariants.
 */
#include <stdio.h>
#include <string.h>

#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/frame_alloc.h>

#include "check.h"

#define KiB		1024ull
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)

/*
 * The table's invariants: sorted, non-empty, aligned, never touching,
 * never holding frame 0, and free_bytes their exact sum.
 */
static bool check_invariants(struct ktest *t, const struct frame_alloc *fa)
{
	uint64_t sum = 0;

	if (!KTEST_EXPECT_TRUE(t, fa->nr <= FRAME_ALLOC_MAX_RANGES))
		return false;
	for (size_t i = 0; i < fa->nr; i++) {
		const struct frame_range *r = &fa->range[i];

		if (!KTEST_EXPECT_TRUE(t, r->start < r->end) ||
		    !KTEST_EXPECT_TRUE(t, r->start % FRAME_SIZE == 0) ||
		    !KTEST_EXPECT_TRUE(t, r->end % FRAME_SIZE == 0) ||
		    !KTEST_EXPECT_TRUE(t, r->start >= FRAME_SIZE) ||
		    !KTEST_EXPECT_TRUE(t, i == 0 || fa->range[i - 1].end < r->start)) {
			printf("    # at range %zu of %zu\n", i, fa->nr);
			return false;
		}
		sum += r->end - r->start;
	}
	return KTEST_EXPECT_EQ_U(t, fa->free_bytes, sum);
}

/*
 * Two allocators hold the same state. Slots past nr are junk after a
 * merge, so a plain memcmp of the structs would be wrong.
 */
static bool same_state(struct ktest *t, const struct frame_alloc *a,
		       const struct frame_alloc *b)
{
	return KTEST_EXPECT_EQ(t, a->nr, b->nr) &&
	       KTEST_EXPECT_EQ_U(t, a->free_bytes, b->free_bytes) &&
	       KTEST_EXPECT_EQ(t, a->nr_lost, b->nr_lost) &&
	       KTEST_EXPECT_MEMEQ(t, a->range, b->range, a->nr * sizeof(a->range[0]));
}

/* Expect exactly the given ranges, as (start, end) pairs. */
static void expect_ranges(struct ktest *t, const struct frame_alloc *fa,
			  size_t n, const uint64_t *pairs)
{
	check_invariants(t, fa);
	if (!KTEST_EXPECT_EQ(t, fa->nr, n))
		return;
	for (size_t i = 0; i < n; i++) {
		KTEST_EXPECT_EQ_U(t, fa->range[i].start, pairs[2 * i]);
		KTEST_EXPECT_EQ_U(t, fa->range[i].end, pairs[2 * i + 1]);
	}
}

#define EXPECT_RANGES(t, fa, ...) do {					\
	static const uint64_t pairs_[] = { __VA_ARGS__ };		\
	expect_ranges((t), (fa), ARRAY_SIZE(pairs_) / 2, pairs_);	\
} while (0)

static void empty_allocator_has_nothing(struct ktest *t)
{
	static struct frame_alloc fa;

	memset(&fa, 0xa5, sizeof(fa));
	frame_alloc_init(&fa);
	KTEST_EXPECT_EQ(t, fa.nr, 0);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, 0);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 0);
}

static void add_rounds_inward(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0x1800, 0x3000), 0);
	EXPECT_RANGES(t, &fa, 0x2000, 0x4000);
	/* Less than a whole frame once rounded: nothing. */
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0x10001, 0x1ffe), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0x20000, 0), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0x30800, 0x1000), 0);
	EXPECT_RANGES(t, &fa, 0x2000, 0x4000);
}

static void frame_zero_is_never_added(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0, FRAME_SIZE), 0);
	KTEST_EXPECT_EQ(t, fa.nr, 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0, 4 * FRAME_SIZE), 0);
	EXPECT_RANGES(t, &fa, FRAME_SIZE, 4 * FRAME_SIZE);
	/* Every frame can be had, and none of them is 0. */
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0),
			   (uint64_t)(3 - i) * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 0, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, fa.nr, 0);
}

static void adjacent_adds_merge(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 2 * MiB, MiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 1 * MiB, MiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 3 * MiB, MiB), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB, 4 * MiB);
}

static void overlapping_adds_are_not_counted_twice(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 1 * MiB, 2 * MiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 2 * MiB, 2 * MiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 1 * MiB, 3 * MiB), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB, 4 * MiB);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, 3 * MiB);

	/* One add bridging three separate ranges and the gaps between. */
	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 10 * MiB, MiB);
	frame_alloc_add(&fa, 12 * MiB, MiB);
	frame_alloc_add(&fa, 14 * MiB, MiB);
	frame_alloc_add(&fa, 20 * MiB, MiB);
	EXPECT_RANGES(t, &fa, 10 * MiB, 11 * MiB, 12 * MiB, 13 * MiB,
		      14 * MiB, 15 * MiB, 20 * MiB, 21 * MiB);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 10 * MiB + 512 * KiB, 4 * MiB), 0);
	EXPECT_RANGES(t, &fa, 10 * MiB, 15 * MiB, 20 * MiB, 21 * MiB);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, 6 * MiB);
}

static void reserve_rounds_outward(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	/* Two bytes, straddling a frame boundary: two frames go. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 1 * MiB + FRAME_SIZE - 1, 2), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB + 2 * FRAME_SIZE, 2 * MiB);
	/* One byte at the top: the whole last frame goes. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 2 * MiB - 1, 1), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB + 2 * FRAME_SIZE, 2 * MiB - FRAME_SIZE);
}

static void reserve_splits_range(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 1 * MiB + 0x10800, 0x1000), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB, 1 * MiB + 0x10000,
		      1 * MiB + 0x12000, 2 * MiB);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, MiB - 2 * FRAME_SIZE);
}

static void reserve_trims_and_spans_ranges(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	frame_alloc_add(&fa, 3 * MiB, MiB);
	frame_alloc_add(&fa, 5 * MiB, MiB);
	frame_alloc_add(&fa, 7 * MiB, MiB);
	/* Cuts the top of the first, all of two middle ones, the bottom of
	 * the last. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 1 * MiB + 512 * KiB, 6 * MiB), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB, 1 * MiB + 512 * KiB,
		      7 * MiB + 512 * KiB, 8 * MiB);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, MiB);
}

static void reserving_what_is_not_free_is_harmless(struct ktest *t)
{
	static struct frame_alloc fa, before;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	frame_alloc_reserve(&fa, 1 * MiB, 64 * KiB);
	before = fa;
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 1 * MiB, 64 * KiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 16 * MiB, 4 * MiB), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, 1 * MiB + 4 * KiB, 0), 0);
	same_state(t, &fa, &before);
}

static void get_is_top_down(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	frame_alloc_add(&fa, 8 * MiB, 3 * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 8 * MiB + 2 * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 8 * MiB + 1 * FRAME_SIZE);
	/* Two frames no longer fit up high: the lower range serves. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 2, 0, 0), 2 * MiB - 2 * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 8 * MiB);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 2 * MiB - 3 * FRAME_SIZE);
	check_invariants(t, &fa);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, MiB - 3 * FRAME_SIZE);
}

static void get_honours_alignment(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB + FRAME_SIZE, 4 * MiB);
	/* The top is 5 MiB + 4 KiB: a 2 MiB-aligned frame sits at 4 MiB. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 2 * MiB, 0), 4 * MiB);
	/* Next one: 2 MiB. Then none (0 is not in the allocator). */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 2 * MiB, 0), 2 * MiB);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 2 * MiB, 0), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 2, 64 * KiB, 0), 5 * MiB - 64 * KiB);
	EXPECT_RANGES(t, &fa, 1 * MiB + FRAME_SIZE, 2 * MiB,
		      2 * MiB + FRAME_SIZE, 4 * MiB,
		      4 * MiB + FRAME_SIZE, 5 * MiB - 64 * KiB,
		      5 * MiB - 64 * KiB + 2 * FRAME_SIZE, 5 * MiB + FRAME_SIZE);
}

static void get_honours_limit(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 0, 16 * MiB);
	/* Below 1 MiB, as the AP trampoline needs. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 1 * MiB), 1 * MiB - FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 2, 0, 1 * MiB), 1 * MiB - 3 * FRAME_SIZE);
	/* A limit inside a frame: the block still ends at or below it. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 512 * KiB + 100), 508 * KiB);
	/* A limit below the block size or the lowest frame: nothing. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, FRAME_SIZE), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 2, 0, 2 * FRAME_SIZE), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 2 * FRAME_SIZE), FRAME_SIZE);
	/* No limit: the top. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 16 * MiB - FRAME_SIZE);
	check_invariants(t, &fa);
}

static void exhaustion_returns_zero(struct ktest *t)
{
	static struct frame_alloc fa;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, 4 * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 5, 0, 0), 0);
	KTEST_EXPECT_EQ(t, fa.free_bytes, 4 * FRAME_SIZE);
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_TRUE(t, frame_alloc_get(&fa, 1, 0, 0) != 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), 0);
	KTEST_EXPECT_EQ(t, fa.nr, 0);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, 0);
}

static void bad_get_arguments_return_zero(struct ktest *t)
{
	static struct frame_alloc fa, before;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, 16 * MiB);
	before = fa;
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 0, 0, 0), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 3 * FRAME_SIZE, 0), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, FRAME_SIZE / 2, 0), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, SIZE_MAX, 0, 0), 0);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, (size_t)1 << 52, 0, 0), 0);
	same_state(t, &fa, &before);
}

static void put_merges_back(struct ktest *t)
{
	static struct frame_alloc fa, before;
	uint64_t a, b, c;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	before = fa;
	a = frame_alloc_get(&fa, 3, 0, 0);
	b = frame_alloc_get(&fa, 1, 64 * KiB, 0);
	c = frame_alloc_get(&fa, 2, 0, 0);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, b, 1), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a, 3), 0);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, c, 2), 0);
	EXPECT_RANGES(t, &fa, 1 * MiB, 2 * MiB);
	same_state(t, &fa, &before);
	/* Zero frames: nothing to do. */
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 8 * MiB, 0), 0);
	KTEST_EXPECT_EQ(t, fa.nr, 1);
}

static void double_free_is_refused_without_change(struct ktest *t)
{
	static struct frame_alloc fa, before;
	uint64_t a;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	a = frame_alloc_get(&fa, 4, 0, 1 * MiB + 512 * KiB);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a, 4), 0);
	before = fa;
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a, 4), -EINVAL);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a + FRAME_SIZE, 1), -EINVAL);
	same_state(t, &fa, &before);

	/* Half allocated, half free: still a double free, nothing changes. */
	a = frame_alloc_get(&fa, 2, 0, 0);
	before = fa;
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a - FRAME_SIZE, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, a - FRAME_SIZE, 2), -EINVAL);
	same_state(t, &fa, &before);
}

static void bad_put_arguments_are_refused(struct ktest *t)
{
	static struct frame_alloc fa, before;

	frame_alloc_init(&fa);
	frame_alloc_add(&fa, 1 * MiB, MiB);
	before = fa;
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 4 * MiB + 1, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 0, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, UINT64_MAX - FRAME_SIZE + 1, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 4 * MiB, SIZE_MAX), -EINVAL);
	same_state(t, &fa, &before);
}

/* Fill the table with FRAME_ALLOC_MAX_RANGES one-frame ranges, apart. */
static void fill_table(struct frame_alloc *fa)
{
	frame_alloc_init(fa);
	for (uint64_t i = 0; i < FRAME_ALLOC_MAX_RANGES; i++)
		frame_alloc_add(fa, (2 * i + 1) * FRAME_SIZE * 4, 2 * FRAME_SIZE);
}

static void table_full_add_returns_enomem_and_counts_lost(struct ktest *t)
{
	static struct frame_alloc fa;
	uint64_t free_before;

	fill_table(&fa);
	KTEST_EXPECT_EQ(t, fa.nr, FRAME_ALLOC_MAX_RANGES);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 0);
	free_before = fa.free_bytes;
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 64 * GiB, MiB), -ENOMEM);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 1);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, free_before);
	/* Merging needs no slot, so it still works with the table full. */
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 4 * FRAME_SIZE + 2 * FRAME_SIZE,
				    FRAME_SIZE), 0);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, free_before + FRAME_SIZE);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 1);
	check_invariants(t, &fa);
}

static void table_full_reserve_drops_smaller_piece(struct ktest *t)
{
	static struct frame_alloc fa;
	uint64_t top = 64 * GiB;

	fill_table(&fa);
	/* Replace the last slot with a big range: [top, top + 1 MiB). */
	frame_alloc_reserve(&fa, (2 * (FRAME_ALLOC_MAX_RANGES - 1) + 1) * FRAME_SIZE * 4,
			    2 * FRAME_SIZE);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, top, MiB), 0);
	KTEST_EXPECT_EQ(t, fa.nr, FRAME_ALLOC_MAX_RANGES);

	/* A hole 1 frame from the bottom: the 1-frame piece below is lost. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, top + FRAME_SIZE, FRAME_SIZE), -ENOMEM);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 1);
	KTEST_EXPECT_EQ_U(t, fa.range[fa.nr - 1].start, top + 2 * FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, fa.range[fa.nr - 1].end, top + MiB);
	check_invariants(t, &fa);

	/* A hole 1 frame from the top: the piece above is lost. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, top + MiB - 2 * FRAME_SIZE, FRAME_SIZE),
		 -ENOMEM);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 2);
	KTEST_EXPECT_EQ_U(t, fa.range[fa.nr - 1].end, top + MiB - 2 * FRAME_SIZE);
	check_invariants(t, &fa);

	/* An allocation in the middle (alignment) also leaks, but succeeds. */
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 512 * KiB, 0), top + 512 * KiB);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 3);
	check_invariants(t, &fa);
}

static void table_full_put_returns_enomem_and_counts_lost(struct ktest *t)
{
	static struct frame_alloc fa;
	uint64_t free_before;

	fill_table(&fa);
	free_before = fa.free_bytes;
	KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, 64 * GiB, 1), -ENOMEM);
	KTEST_EXPECT_EQ(t, fa.nr_lost, 1);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, free_before);
	check_invariants(t, &fa);
}

static void ranges_at_top_of_address_space_do_not_wrap(struct ktest *t)
{
	static struct frame_alloc fa;
	const uint64_t top_frame = UINT64_MAX - FRAME_SIZE + 1;

	frame_alloc_init(&fa);
	/* Runs past 2^64: cut there; the last frame is never managed. */
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, top_frame - 4 * FRAME_SIZE, 64 * KiB), 0);
	EXPECT_RANGES(t, &fa, top_frame - 4 * FRAME_SIZE, top_frame);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, top_frame + 1, 100), 0);
	KTEST_EXPECT_EQ(t, fa.nr, 1);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 1, 0, 0), top_frame - FRAME_SIZE);
	KTEST_EXPECT_EQ_U(t, frame_alloc_get(&fa, 4, 0, 0), 0);
	/* A reservation running past 2^64 takes everything above it. */
	KTEST_EXPECT_EQ(t, frame_alloc_reserve(&fa, top_frame - 3 * FRAME_SIZE, UINT64_MAX), 0);
	EXPECT_RANGES(t, &fa, top_frame - 4 * FRAME_SIZE, top_frame - 3 * FRAME_SIZE);
	KTEST_EXPECT_EQ(t, frame_alloc_add(&fa, 0, UINT64_MAX), 0);
	EXPECT_RANGES(t, &fa, FRAME_SIZE, top_frame);
	KTEST_EXPECT_EQ_U(t, fa.free_bytes, top_frame - FRAME_SIZE);
}

/*
 * The reference model: NR_MODEL_FRAMES frames from address 0, one bool
 * each. Few enough that the table (at most one range per two frames)
 * never fills, so every operation has one right answer.
 */
#define NR_MODEL_FRAMES		400
#define MODEL_BYTES		(NR_MODEL_FRAMES * FRAME_SIZE)
#define RANDOM_STEPS		20000
#define RANDOM_SEED		0x5eed0f7a11ce5ull
#define MAX_HELD		64
#define MAX_GET_FRAMES		8

BUILD_BUG_ON(NR_MODEL_FRAMES / 2 > FRAME_ALLOC_MAX_RANGES);

struct model {
	bool free[NR_MODEL_FRAMES];
};

/* xorshift64: small, deterministic, good enough to shuffle operations. */
static uint64_t next_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

static void model_add(struct model *m, uint64_t start, uint64_t len)
{
	for (uint64_t f = 1; f < NR_MODEL_FRAMES; f++) {
		uint64_t a = f * FRAME_SIZE;

		if (a >= start && a + FRAME_SIZE <= start + len)
			m->free[f] = true;
	}
}

static void model_reserve(struct model *m, uint64_t start, uint64_t len)
{
	for (uint64_t f = 0; f < NR_MODEL_FRAMES && len; f++) {
		uint64_t a = f * FRAME_SIZE;

		if (a < start + len && a + FRAME_SIZE > start)
			m->free[f] = false;
	}
}

/* The highest aligned run of @n free frames ending at or below @limit. */
static uint64_t model_get(struct model *m, size_t n, uint64_t align,
			  uint64_t limit)
{
	if (!limit || limit > MODEL_BYTES)
		limit = MODEL_BYTES;
	for (int64_t f = (int64_t)(limit / FRAME_SIZE) - (int64_t)n; f > 0; f--) {
		uint64_t a = (uint64_t)f * FRAME_SIZE;
		size_t k;

		if (a % align)
			continue;
		for (k = 0; k < n && m->free[f + k]; k++)
			;
		if (k < n)
			continue;
		for (k = 0; k < n; k++)
			m->free[f + k] = false;
		return a;
	}
	return 0;
}

static bool model_matches(struct ktest *t, const struct model *m,
			  const struct frame_alloc *fa)
{
	uint64_t nr_free = 0;
	size_t r = 0;

	if (!check_invariants(t, fa))
		return false;
	for (uint64_t f = 0; f < NR_MODEL_FRAMES; f++) {
		uint64_t a = f * FRAME_SIZE;
		bool in_table;

		while (r < fa->nr && fa->range[r].end <= a)
			r++;
		in_table = r < fa->nr && fa->range[r].start <= a;
		if (!KTEST_EXPECT_EQ(t, in_table, m->free[f])) {
			printf("    # frame %llu differs\n", (unsigned long long)f);
			return false;
		}
		nr_free += m->free[f];
	}
	return KTEST_EXPECT_EQ_U(t, fa->free_bytes, nr_free * FRAME_SIZE);
}

static void random_sequence_matches_per_frame_model(struct ktest *t)
{
	static const uint64_t aligns[] = { 0, FRAME_SIZE, 2 * FRAME_SIZE,
					   4 * FRAME_SIZE, 16 * FRAME_SIZE };
	static struct frame_alloc fa, before;
	static struct model m;
	struct { uint64_t addr; size_t n; } held[MAX_HELD];
	size_t nr_held = 0;
	uint64_t seed = RANDOM_SEED;
	unsigned int gets = 0, double_frees = 0;

	frame_alloc_init(&fa);
	memset(&m, 0, sizeof(m));
	for (int step = 0; step < RANDOM_STEPS; step++) {
		uint64_t op = next_rand(&seed) % 8;
		uint64_t start = next_rand(&seed) % MODEL_BYTES;
		uint64_t len = next_rand(&seed) % (MODEL_BYTES / 8);
		int err;

		if (start + len > MODEL_BYTES)
			len = MODEL_BYTES - start;

		if (op < 2) {
			err = frame_alloc_add(&fa, start, len);
			model_add(&m, start, len);
			KTEST_EXPECT_EQ(t, err, 0);
		} else if (op < 3) {
			/* Reserve little pieces, so the memory stays usable. */
			len %= 8 * FRAME_SIZE;
			err = frame_alloc_reserve(&fa, start, len);
			model_reserve(&m, start, len);
			KTEST_EXPECT_EQ(t, err, 0);
		} else if (op < 6 && nr_held < MAX_HELD) {
			size_t n = 1 + next_rand(&seed) % MAX_GET_FRAMES;
			uint64_t align = aligns[next_rand(&seed) % ARRAY_SIZE(aligns)];
			uint64_t limit = (next_rand(&seed) % 2) ? start : 0;
			uint64_t got = frame_alloc_get(&fa, n, align, limit);
			uint64_t want = model_get(&m, n, align ? align : FRAME_SIZE,
						  limit);

			if (!KTEST_EXPECT_EQ_U(t, got, want))
				goto fail;
			if (got) {
				held[nr_held].addr = got;
				held[nr_held++].n = n;
				gets++;
			}
		} else if (nr_held) {
			size_t i = next_rand(&seed) % nr_held;

			bool any_free = false;

			/* An add since the get may have made part of the
			 * block free again: then this put is a double free. */
			for (size_t k = 0; k < held[i].n; k++)
				any_free |= m.free[held[i].addr / FRAME_SIZE + k];
			before = fa;
			err = frame_alloc_put(&fa, held[i].addr, held[i].n);
			if (!KTEST_EXPECT_EQ(t, err, any_free ? -EINVAL : 0))
				goto fail;
			if (any_free) {
				same_state(t, &fa, &before);
			} else {
				before = fa;
				for (size_t k = 0; k < held[i].n; k++)
					m.free[held[i].addr / FRAME_SIZE + k] = true;
				/* Giving it back twice must fail and change nothing. */
				KTEST_EXPECT_EQ(t, frame_alloc_put(&fa, held[i].addr,
							    held[i].n), -EINVAL);
				same_state(t, &fa, &before);
				double_frees++;
			}
			held[i] = held[--nr_held];
		}
		if (!model_matches(t, &m, &fa) || !KTEST_EXPECT_EQ(t, fa.nr_lost, 0))
			goto fail;
	}
	/* The sequence really exercised the allocator. */
	KTEST_EXPECT_TRUE(t, gets > RANDOM_STEPS / 10);
	KTEST_EXPECT_TRUE(t, double_frees > RANDOM_STEPS / 20);
	return;
fail:
	printf("    # random sequence diverged (seed 0x%llx)\n",
	       (unsigned long long)RANDOM_SEED);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(empty_allocator_has_nothing),
	KTEST_CASE(add_rounds_inward),
	KTEST_CASE(frame_zero_is_never_added),
	KTEST_CASE(adjacent_adds_merge),
	KTEST_CASE(overlapping_adds_are_not_counted_twice),
	KTEST_CASE(reserve_rounds_outward),
	KTEST_CASE(reserve_splits_range),
	KTEST_CASE(reserve_trims_and_spans_ranges),
	KTEST_CASE(reserving_what_is_not_free_is_harmless),
	KTEST_CASE(get_is_top_down),
	KTEST_CASE(get_honours_alignment),
	KTEST_CASE(get_honours_limit),
	KTEST_CASE(exhaustion_returns_zero),
	KTEST_CASE(bad_get_arguments_return_zero),
	KTEST_CASE(put_merges_back),
	KTEST_CASE(double_free_is_refused_without_change),
	KTEST_CASE(bad_put_arguments_are_refused),
	KTEST_CASE(table_full_add_returns_enomem_and_counts_lost),
	KTEST_CASE(table_full_reserve_drops_smaller_piece),
	KTEST_CASE(table_full_put_returns_enomem_and_counts_lost),
	KTEST_CASE(ranges_at_top_of_address_space_do_not_wrap),
	KTEST_CASE(random_sequence_matches_per_frame_model),
};

int main(void)
{
	return host_main("frame_alloc", cases, ARRAY_SIZE(cases));
}
