/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator (lib/frame_alloc.c): a sorted table of free
 * ranges, [start, end), page-aligned, never adjacent (neighbours merge).
 *
 * The kernel allocates at boot (page tables, stacks, per-CPU areas) and
 * rarely frees, so a range table is all it needs: no bitmap to place, no
 * metadata in the memory it manages. Allocation is top-down below a limit,
 * as Linux's memblock does, which leaves low memory for what must be low
 * (the AP trampoline below 1 MiB).
 *
 * Concurrency: none. The caller serialises (the kernel holds a lock).
 */
#ifndef XCALL_FRAME_ALLOC_H
#define XCALL_FRAME_ALLOC_H

#include <xcall/types.h>

#define FRAME_SHIFT		12
#define FRAME_SIZE		(1ull << FRAME_SHIFT)
#define FRAME_ALLOC_MAX_RANGES	256

struct frame_range {
	u64 start;	/* first byte, FRAME_SIZE aligned */
	u64 end;	/* one past the last byte, FRAME_SIZE aligned */
};

struct frame_alloc {
	size_t nr;
	struct frame_range range[FRAME_ALLOC_MAX_RANGES];
	u64 free_bytes;
	/* ranges lost because the table was full; memory leaked, not corrupted */
	unsigned int nr_lost;
};

/**
 * frame_alloc_init() - empty the allocator
 * @fa: allocator
 *
 * Context: any; the allocator functions take no lock: the caller
 * serialises every call on @fa (kernel/mm.c holds its frames lock).
 */
void frame_alloc_init(struct frame_alloc *fa);

/**
 * frame_alloc_add() - hand a range of usable memory to the allocator
 * @fa: allocator
 * @start: first byte
 * @len: length in bytes
 *
 * The range is rounded inward to whole frames; what is left may be empty.
 * Frame 0 is never added (address 0 is the allocator's failure value), nor
 * the last frame below 2^64 (its end does not fit a u64); a range that
 * would wrap past 2^64 is cut there. Overlap with memory already free is
 * merged, not counted twice.
 *
 * Context: any; the caller serialises calls on @fa.
 * Return: 0, or -ENOMEM when the range table is full (the range is lost
 * and counted in nr_lost).
 */
int frame_alloc_add(struct frame_alloc *fa, u64 start, u64 len);

/**
 * frame_alloc_reserve() - take a range out of the free memory
 * @fa: allocator
 * @start: first byte
 * @len: length in bytes
 *
 * The range is rounded outward to whole frames. Parts that are not free
 * are ignored, so reserving twice, or reserving memory that was never
 * added, is harmless.
 *
 * Context: any; the caller serialises calls on @fa.
 * Return: 0, or -ENOMEM when splitting a range needs a table slot and
 * there is none (the reservation still takes effect, by dropping the
 * smaller piece; nr_lost counts it).
 */
int frame_alloc_reserve(struct frame_alloc *fa, u64 start, u64 len);

/**
 * frame_alloc_get() - allocate contiguous frames
 * @fa: allocator
 * @nr_frames: how many, at least 1
 * @align: alignment in bytes, a power of two, at least FRAME_SIZE (0 means
 *         FRAME_SIZE)
 * @limit: the allocation ends at or below this address (0 means no limit)
 *
 * Takes the highest suitable block. If it sits inside a range and the
 * table has no slot for the split, the smaller leftover is dropped and
 * counted in nr_lost; the allocation still succeeds.
 *
 * Context: any; the caller serialises calls on @fa.
 * Return: the physical address of the first frame, or 0 when no block fits
 * or an argument is bad.
 */
u64 frame_alloc_get(struct frame_alloc *fa, size_t nr_frames, u64 align,
		    u64 limit);

/**
 * frame_alloc_put() - give frames back
 * @fa: allocator
 * @start: first frame, FRAME_SIZE aligned, not 0
 * @nr_frames: how many; 0 does nothing
 *
 * Only a block that is partly free is recognised as a double free: frames
 * that were never added are taken as given back.
 *
 * Context: any; the caller serialises calls on @fa.
 * Return: 0; -EINVAL when @start is misaligned or 0, the block runs past
 * the last managed frame, or any of the frames is already free (a double
 * free: nothing is changed); -ENOMEM when the table is full (the frames
 * are lost and counted in nr_lost).
 */
int frame_alloc_put(struct frame_alloc *fa, u64 start, size_t nr_frames);

#endif /* XCALL_FRAME_ALLOC_H */
