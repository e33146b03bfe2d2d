/* SPDX-License-Identifier: MIT */
/*
 * Where real-mode code may go below 1 MiB on a PC (arch/x86_64/lowmem.c):
 * not in the first 64 KiB, and not in the BIOS's areas at the top of
 * conventional memory, whatever the memory map says about them. Pure
 * arithmetic on two words of the BIOS Data Area, so the host tests run
 * it too.
 */
#ifndef ASM_LOWMEM_H
#define ASM_LOWMEM_H

#include <xcall/types.h>

#define LOWMEM_PAGE_SIZE	0x1000ull

/* The BIOS Data Area's words (IBM PC/AT Technical Reference, "BIOS Data
 * Area"): the Extended BIOS Data Area's segment, and the conventional
 * memory size in KiB that INT 12h reports. */
#define BDA_EBDA_SEGMENT	0x40e
#define BDA_BASE_MEMORY_KIB	0x413

/* Linux keeps the first 64 KiB for itself (CONFIG_X86_RESERVE_LOW's
 * default): BIOSes have been seen to write there after handing over. */
#define LOWMEM_FLOOR		0x10000
/* Linux's bounds on where the BIOS's area may begin (reserve_bios_regions()
 * in arch/x86/kernel/ebda.c): below 128 KiB is insane, above 636 KiB
 * (0x9f000) is not trusted either; outside them, 0x9f000 is taken. */
#define BIOS_AREA_MIN		0x20000
#define BIOS_AREA_MAX		0x9f000

/* A range of low memory, [lo, hi). */
struct lowmem_window {
	u64 lo;
	u64 hi;
};

/**
 * lowmem_window() - where a real-mode page may be taken
 * @ebda_segment: the BDA's word at BDA_EBDA_SEGMENT
 * @base_kib: the BDA's word at BDA_BASE_MEMORY_KIB
 * @w: set to the window: from LOWMEM_FLOOR up to the start of the BIOS's
 *     area, rounded down to a page
 *
 * The BIOS's area starts at the conventional memory size, or at the EBDA
 * when that lies lower; either value is used only inside [BIOS_AREA_MIN,
 * BIOS_AREA_MAX], and BIOS_AREA_MAX is used when neither is. Under UEFI
 * the BDA may hold zeros or junk: the bounds keep the window sane then.
 *
 * Context: any; pure.
 */
void lowmem_window(u16 ebda_segment, u16 base_kib, struct lowmem_window *w);

/**
 * lowmem_page_check() - does a real-mode page keep the PC's rules?
 * @page: the page's physical address
 * @ebda_segment: the BDA's word at BDA_EBDA_SEGMENT
 * @base_kib: the BDA's word at BDA_BASE_MEMORY_KIB
 * @buf: where the verdict goes: the bounds and the first broken rule
 * @size: the size of @buf
 *
 * Each rule on its own, from the raw words, not through lowmem_window():
 * the page is 4 KiB aligned (a STARTUP IPI names a page), starts at or
 * above LOWMEM_FLOOR, and ends at or below the EBDA's start, the end of
 * conventional memory and BIOS_AREA_MAX. A BDA word below BIOS_AREA_MIN
 * bounds nothing: zero is no value at all (OVMF leaves the BDA zeroed),
 * and Linux does not believe a smaller one either.
 *
 * Context: any; pure.
 * Return: 0 when every rule holds; -EINVAL when one does not, named in
 * @buf.
 */
int lowmem_page_check(u64 page, u16 ebda_segment, u16 base_kib, char *buf,
		      size_t size);

#endif /* ASM_LOWMEM_H */
