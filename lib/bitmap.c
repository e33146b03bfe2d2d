// SPDX-License-Identifier: MIT
/*
 * Bitmap searches and counts. Single-bit operations are inline in
 * include/xcall/bitmap.h.
 */
#include <xcall/bitmap.h>

unsigned int find_next_bit(const unsigned long *map, unsigned int size,
			   unsigned int start)
{
	unsigned long word;

	if (start >= size)
		return size;

	/* Drop the bits below @start in the first word, then walk words. */
	word = atomic_read(&map[BIT_WORD(start)]) & (~0ul << (start % BITS_PER_LONG));
	start = ALIGN_DOWN(start, BITS_PER_LONG);
	for (;;) {
		if (word) {
			unsigned int bit = start + (unsigned int)__builtin_ctzl(word);

			return bit < size ? bit : size;
		}
		start += BITS_PER_LONG;
		if (start >= size)
			return size;
		word = atomic_read(&map[BIT_WORD(start)]);
	}
}

unsigned int bitmap_weight(const unsigned long *map, unsigned int size)
{
	unsigned int w = 0, i;

	for (i = 0; i < size / BITS_PER_LONG; i++)
		w += (unsigned int)__builtin_popcountl(atomic_read(&map[i]));
	if (size % BITS_PER_LONG)
		w += (unsigned int)__builtin_popcountl(atomic_read(&map[i]) &
						       (BIT_MASK(size) - 1));
	return w;
}
