// SPDX-License-Identifier: MIT
/*
 * The window of low memory real-mode code may use on a PC (see
 * asm/lowmem.h), and the same rules checked one by one against a page
 * already placed, for the test that the AP trampoline keeps them. No
 * kernel state and no hardware access: the caller reads the BIOS Data
 * Area; this file only decides. Built for the host tests too.
 */
#include <asm/lowmem.h>
#include <xcall/errno.h>
#include <xcall/format.h>

#define KIB_SHIFT		10
#define SEGMENT_SHIFT		4
#define LOWMEM_PAGE_MASK	(LOWMEM_PAGE_SIZE - 1)

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

/* Whether the page [@page, @page + 4 KiB) ends at or below @limit, a
 * bound from a BDA word; a word below BIOS_AREA_MIN bounds nothing. */
static bool below_bios_word(u64 page, u64 limit)
{
	return limit < BIOS_AREA_MIN || page + LOWMEM_PAGE_SIZE <= limit;
}

int lowmem_page_check(u64 page, u16 ebda_segment, u16 base_kib, char *buf,
		      size_t size)
{
	u64 ebda = (u64)ebda_segment << SEGMENT_SHIFT;
	u64 base = (u64)base_kib << KIB_SHIFT;
	const char *broken = NULL;

	if (page & LOWMEM_PAGE_MASK)
		broken = "not 4 KiB aligned";
	else if (page < LOWMEM_FLOOR)
		broken = "in the first 64 KiB";
	else if (!below_bios_word(page, ebda))
		broken = "not below the EBDA";
	else if (!below_bios_word(page, base))
		broken = "not below the end of conventional memory";
	else if (page + LOWMEM_PAGE_SIZE > BIOS_AREA_MAX)
		broken = "not below 0x9f000";
	snprintf(buf, size, "page 0x%llx %s; EBDA 0x%llx%s, base memory 0x%llx%s",
		 (unsigned long long)page, broken ? broken : "keeps the rules",
		 (unsigned long long)ebda, ebda < BIOS_AREA_MIN ? " (no bound)" : "",
		 (unsigned long long)base, base < BIOS_AREA_MIN ? " (no bound)" : "");
	return broken ? -EINVAL : 0;
}
