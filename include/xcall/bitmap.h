/* SPDX-License-Identifier: MIT */
/*
 * Bitmaps of unsigned longs, bit 0 in the lowest bit of word 0
 * (lib/bitmap.c). The atomic setters are locked read-modify-writes, safe
 * against other CPUs changing other bits of the same word; the __ ones
 * are plain and need the caller to own the bitmap.
 */
#ifndef XCALL_BITMAP_H
#define XCALL_BITMAP_H

#include <xcall/atomic.h>
#include <xcall/compiler.h>

#define BITS_PER_LONG		64
#define BITS_TO_LONGS(n)	DIV_ROUND_UP((n), BITS_PER_LONG)
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1ul << ((nr) % BITS_PER_LONG))

static inline void set_bit(unsigned int nr, unsigned long *map)
{
	atomic_fetch_or(&map[BIT_WORD(nr)], BIT_MASK(nr));
}

static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	atomic_fetch_and(&map[BIT_WORD(nr)], ~BIT_MASK(nr));
}

static inline void __set_bit(unsigned int nr, unsigned long *map)
{
	map[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned int nr, unsigned long *map)
{
	map[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool test_bit(unsigned int nr, const unsigned long *map)
{
	return (atomic_read(&map[BIT_WORD(nr)]) & BIT_MASK(nr)) != 0;
}

/**
 * find_next_bit() - the first set bit at or after @start
 * @map: the bitmap
 * @size: its size in bits
 * @start: where to begin
 *
 * Return: the bit number, or @size when there is none.
 */
unsigned int find_next_bit(const unsigned long *map, unsigned int size,
			   unsigned int start);

/** bitmap_weight() - the number of set bits among the first @size. */
unsigned int bitmap_weight(const unsigned long *map, unsigned int size);

#endif /* XCALL_BITMAP_H */
