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

/**
 * set_bit() - set a bit, atomically
 * @nr: the bit number
 * @map: the bitmap, at least @nr + 1 bits long
 *
 * Context: any; a locked read-modify-write, safe against other CPUs
 * changing other bits of the same word. Orders as a full barrier.
 */
static inline void set_bit(unsigned int nr, unsigned long *map)
{
	atomic_fetch_or(&map[BIT_WORD(nr)], BIT_MASK(nr));
}

/**
 * clear_bit() - clear a bit, atomically
 * @nr: the bit number
 * @map: the bitmap, at least @nr + 1 bits long
 *
 * Context: any; as set_bit().
 */
static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	atomic_fetch_and(&map[BIT_WORD(nr)], ~BIT_MASK(nr));
}

/**
 * __set_bit() - set a bit with a plain read-modify-write
 * @nr: the bit number
 * @map: the bitmap, at least @nr + 1 bits long
 *
 * Context: the caller owns @map: no other CPU writes any bit of that word
 * meanwhile, or one of the two writes is lost.
 */
static inline void __set_bit(unsigned int nr, unsigned long *map)
{
	map[BIT_WORD(nr)] |= BIT_MASK(nr);
}

/**
 * __clear_bit() - clear a bit with a plain read-modify-write
 * @nr: the bit number
 * @map: the bitmap, at least @nr + 1 bits long
 *
 * Context: the caller owns @map, as for __set_bit().
 */
static inline void __clear_bit(unsigned int nr, unsigned long *map)
{
	map[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

/**
 * test_bit() - is a bit set?
 * @nr: the bit number
 * @map: the bitmap, at least @nr + 1 bits long
 *
 * Context: any. A relaxed atomic read: it orders nothing, and another CPU
 * may change the bit just after.
 * Return: true when bit @nr is set.
 */
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
 * Context: any; each word is read once, relaxed, so bits changing
 * meanwhile may or may not be seen.
 * Return: the bit number, or @size when there is none.
 */
unsigned int find_next_bit(const unsigned long *map, unsigned int size,
			   unsigned int start);

/**
 * bitmap_weight() - count the set bits
 * @map: the bitmap
 * @size: how many bits of it to count, from bit 0
 *
 * Context: any; reads as find_next_bit() does.
 * Return: the number of set bits among the first @size.
 */
unsigned int bitmap_weight(const unsigned long *map, unsigned int size);

#endif /* XCALL_BITMAP_H */
