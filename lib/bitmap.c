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
		/* Compare before adding: start + 64 could wrap for a size
		 * within a word of UINT_MAX. start < size holds here. */
		if (size - start <= BITS_PER_LONG)
			return size;
		start += BITS_PER_LONG;
		word = atomic_read(&map[BIT_WORD(start)]);
	}
}

/* Population count without the POPCNT instruction, which not every
 * x86-64 CPU has, and without libgcc's helper, which the kernel does not
 * link: add bits in pairs, nibbles, bytes, then sum the bytes. */
static unsigned int hweight64(u64 w)
{
	w = w - ((w >> 1) & 0x5555555555555555ull);
	w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned int)((w * 0x0101010101010101ull) >> 56);
}

unsigned int bitmap_weight(const unsigned long *map, unsigned int size)
{
	unsigned int w = 0, i;

	for (i = 0; i < size / BITS_PER_LONG; i++)
		w += hweight64(atomic_read(&map[i]));
	if (size % BITS_PER_LONG)
		w += hweight64(atomic_read(&map[i]) & (BIT_MASK(size) - 1));
	return w;
}
