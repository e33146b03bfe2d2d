// SPDX-License-Identifier: MIT
/*
 * Physical frame allocator (see include/xcall/frame_alloc.h).
 *
 * It owns the table of free ranges and the arithmetic on it: rounding,
 * merging, splitting, top-down placement. It knows nothing about where the
 * ranges came from (the Multiboot2 memory map, the kernel image, modules)
 * nor about locking; the caller feeds it and serialises it.
 *
 * Invariants kept by every function, and checked by the host test after
 * each step: the ranges are sorted by start, each is non-empty and
 * FRAME_SIZE aligned, no two touch or overlap, none contains frame 0, and
 * free_bytes is the sum of their lengths.
 *
 * The table is searched linearly. It holds at most FRAME_ALLOC_MAX_RANGES
 * entries and is used at boot; a tree would be more code for no gain.
 */
#include <xcall/compiler.h>
#include <xcall/errno.h>
#include <xcall/frame_alloc.h>
#include <xcall/string.h>

/*
 * The highest frame-aligned address. The last frame, [FRAME_TOP, 2^64),
 * has an end that a u64 cannot hold, so it is never managed; clamping to
 * FRAME_TOP keeps every end representable.
 */
#define FRAME_TOP		ALIGN_DOWN(UINT64_MAX, FRAME_SIZE)

/* The most frames a request may name before its byte size overflows. */
#define FRAME_MAX_COUNT		(UINT64_MAX >> FRAME_SHIFT)

static u64 range_len(const struct frame_range *r)
{
	return r->end - r->start;
}

/* Open a hole at @i; the caller checked that a slot is free. */
static void table_insert(struct frame_alloc *fa, size_t i, u64 start,
			 u64 end)
{
	memmove(&fa->range[i + 1], &fa->range[i],
		(fa->nr - i) * sizeof(fa->range[0]));
	fa->range[i] = (struct frame_range){ .start = start, .end = end };
	fa->nr++;
}

/* Close @n entries starting at @i. */
static void table_remove(struct frame_alloc *fa, size_t i, size_t n)
{
	memmove(&fa->range[i], &fa->range[i + n],
		(fa->nr - i - n) * sizeof(fa->range[0]));
	fa->nr -= n;
}

/*
 * Make [start, end) free, merging it with every range it overlaps or
 * touches. Needs a new slot only when it touches nothing.
 */
static int free_insert(struct frame_alloc *fa, u64 start, u64 end)
{
	size_t first = 0, last, k;

	/* Ranges [first, last) are the ones that touch or overlap. */
	while (first < fa->nr && fa->range[first].end < start)
		first++;
	last = first;
	while (last < fa->nr && fa->range[last].start <= end)
		last++;

	if (first == last) {
		if (fa->nr == FRAME_ALLOC_MAX_RANGES) {
			fa->nr_lost++;
			return -ENOMEM;
		}
		table_insert(fa, first, start, end);
		fa->free_bytes += end - start;
		return 0;
	}

	/* Take the merged ranges out of the count, then add the union. */
	for (k = first; k < last; k++)
		fa->free_bytes -= range_len(&fa->range[k]);
	start = min(start, fa->range[first].start);
	end = max(end, fa->range[last - 1].end);
	fa->range[first].start = start;
	fa->range[first].end = end;
	fa->free_bytes += end - start;
	table_remove(fa, first + 1, last - first - 1);
	return 0;
}

/*
 * Make [start, end) not free, trimming, dropping or splitting the ranges
 * it meets. A split with a full table keeps the larger piece and leaks the
 * smaller one: losing a little memory beats handing out reserved memory.
 */
static int free_remove(struct frame_alloc *fa, u64 start, u64 end)
{
	size_t i = 0;

	while (i < fa->nr) {
		struct frame_range *r = &fa->range[i];

		if (r->end <= start) {
			i++;
			continue;
		}
		if (r->start >= end)
			break;

		if (r->start >= start && r->end <= end) {
			/* Covered whole. */
			fa->free_bytes -= range_len(r);
			table_remove(fa, i, 1);
			continue;
		}
		if (r->start < start && r->end > end) {
			/* The hole falls inside: two pieces remain. */
			u64 lo = start - r->start, hi = r->end - end;

			fa->free_bytes -= end - start;
			if (fa->nr < FRAME_ALLOC_MAX_RANGES) {
				table_insert(fa, i + 1, end, r->end);
				r->end = start;
				return 0;
			}
			fa->nr_lost++;
			if (lo < hi) {
				fa->free_bytes -= lo;
				r->start = end;
			} else {
				fa->free_bytes -= hi;
				r->end = start;
			}
			return -ENOMEM;
		}
		if (r->start < start) {
			/* The hole eats the top of this range. */
			fa->free_bytes -= r->end - start;
			r->end = start;
			i++;
			continue;
		}
		/* The hole eats the bottom of this range, and ends in it. */
		fa->free_bytes -= end - r->start;
		r->start = end;
		break;
	}
	return 0;
}

/* start + len, saturated at the top of the address space. */
static u64 end_of(u64 start, u64 len)
{
	return len > UINT64_MAX - start ? UINT64_MAX : start + len;
}

/**
 * frame_alloc_init() - empty the allocator
 * @fa: allocator
 *
 * Context: any; the caller owns @fa.
 */
void frame_alloc_init(struct frame_alloc *fa)
{
	memset(fa, 0, sizeof(*fa));
}

/**
 * frame_alloc_add() - hand a range of usable memory to the allocator
 * @fa: allocator
 * @start: first byte
 * @len: length in bytes; a range that would run past 2^64 is cut there
 *
 * The range is rounded inward to whole frames; what is left may be empty.
 * Frame 0 is never added (address 0 is the allocator's failure value), nor
 * is the last frame of the address space. Overlap with memory already
 * free is merged, not counted twice.
 *
 * Context: caller serialises.
 * Return: 0, or -ENOMEM when the range table is full (the range is lost
 * and counted in nr_lost).
 */
int frame_alloc_add(struct frame_alloc *fa, u64 start, u64 len)
{
	u64 end = end_of(start, len);

	if (start > FRAME_TOP)
		return 0;
	start = ALIGN_UP(start, FRAME_SIZE);
	end = ALIGN_DOWN(end, FRAME_SIZE);
	if (start < FRAME_SIZE)
		start = FRAME_SIZE;
	if (start >= end)
		return 0;
	return free_insert(fa, start, end);
}

/**
 * frame_alloc_reserve() - take a range out of the free memory
 * @fa: allocator
 * @start: first byte
 * @len: length in bytes; 0 reserves nothing
 *
 * The range is rounded outward to whole frames. Parts that are not free
 * are ignored, so reserving twice, or reserving memory that was never
 * added, is harmless.
 *
 * Context: caller serialises.
 * Return: 0, or -ENOMEM when splitting a range needs a table slot and
 * there is none (the reservation still takes effect, by dropping the
 * smaller piece; nr_lost counts it).
 */
int frame_alloc_reserve(struct frame_alloc *fa, u64 start, u64 len)
{
	u64 end = end_of(start, len);

	if (len == 0)
		return 0;
	start = ALIGN_DOWN(start, FRAME_SIZE);
	/* No range ends above FRAME_TOP, so clamping there loses nothing. */
	end = end > FRAME_TOP ? FRAME_TOP : ALIGN_UP(end, FRAME_SIZE);
	if (start >= end)
		return 0;
	return free_remove(fa, start, end);
}

/**
 * frame_alloc_get() - allocate contiguous frames
 * @fa: allocator
 * @nr_frames: how many, at least 1
 * @align: alignment in bytes, a power of two, at least FRAME_SIZE (0 means
 *         FRAME_SIZE)
 * @limit: the allocation ends at or below this address (0 means no limit)
 *
 * Takes the highest suitable block: within each range, from the highest
 * range down, the highest aligned start whose block fits below
 * min(range end, @limit). Because neighbouring ranges are always merged, a
 * block that fits anywhere fits inside one range, so this is the highest
 * block in all of free memory.
 *
 * When the block sits inside a range and the table has no slot for the
 * split, the smaller leftover piece is leaked (counted in nr_lost); the
 * allocation still succeeds.
 *
 * Context: caller serialises.
 * Return: the physical address of the first frame, or 0 when no block fits
 * or an argument is bad.
 */
u64 frame_alloc_get(struct frame_alloc *fa, size_t nr_frames, u64 align,
		    u64 limit)
{
	u64 size;
	size_t i;

	if (align == 0)
		align = FRAME_SIZE;
	if (nr_frames == 0 || align < FRAME_SIZE || (align & (align - 1)))
		return 0;
	if ((u64)nr_frames > FRAME_MAX_COUNT)
		return 0;
	size = (u64)nr_frames << FRAME_SHIFT;
	if (limit == 0)
		limit = UINT64_MAX;

	for (i = fa->nr; i-- > 0; ) {
		const struct frame_range *r = &fa->range[i];
		u64 top = min(r->end, limit);
		u64 addr;

		if (top <= r->start || top - r->start < size)
			continue;
		addr = ALIGN_DOWN(top - size, align);
		if (addr < r->start)
			continue;
		/* An -ENOMEM here only leaks a leftover; the block is ours. */
		(void)free_remove(fa, addr, addr + size);
		return addr;
	}
	return 0;
}

/**
 * frame_alloc_put() - give frames back
 * @fa: allocator
 * @start: first frame, FRAME_SIZE aligned, not 0
 * @nr_frames: how many; 0 is a no-op
 *
 * Context: caller serialises.
 * Return: 0; -EINVAL when @start is misaligned or 0, the range runs past
 * the managed address space, or any of the frames is already free (a
 * double free: nothing is changed); -ENOMEM when the table is full (the
 * frames are lost and counted in nr_lost).
 */
int frame_alloc_put(struct frame_alloc *fa, u64 start, size_t nr_frames)
{
	u64 end;
	size_t i;

	if (start == 0 || !IS_ALIGNED(start, FRAME_SIZE) || start >= FRAME_TOP)
		return -EINVAL;
	if (nr_frames == 0)
		return 0;
	if ((u64)nr_frames > (FRAME_TOP - start) >> FRAME_SHIFT)
		return -EINVAL;
	end = start + ((u64)nr_frames << FRAME_SHIFT);

	for (i = 0; i < fa->nr; i++) {
		if (fa->range[i].start < end && fa->range[i].end > start)
			return -EINVAL;
	}
	return free_insert(fa, start, end);
}
