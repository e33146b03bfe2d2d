// SPDX-License-Identifier: MIT
/*
 * The window of low memory real-mode code may use on a PC (see
 * asm/lowmem.h). No kernel state and no hardware access: the caller reads
 * the BIOS Data Area; this file only decides. Built for the host tests
 * too.
 */
#include <asm/lowmem.h>

#define KIB_SHIFT		10
#define SEGMENT_SHIFT		4
#define LOWMEM_PAGE_MASK	0xfffull

void lowmem_window(u16 ebda_segment, u16 base_kib, struct lowmem_window *w)
{
	u64 bios = (u64)base_kib << KIB_SHIFT;
	u64 ebda = (u64)ebda_segment << SEGMENT_SHIFT;

	if (bios < BIOS_AREA_MIN || bios > BIOS_AREA_MAX)
		bios = BIOS_AREA_MAX;
	/* The EBDA usually sits just below what INT 12h reports; when it
	 * lies lower still, everything from it up belongs to the BIOS. */
	if (ebda >= BIOS_AREA_MIN && ebda < bios)
		bios = ebda;
	w->lo = LOWMEM_FLOOR;
	w->hi = bios & ~LOWMEM_PAGE_MASK;
}
