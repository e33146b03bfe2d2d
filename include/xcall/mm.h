/* SPDX-License-Identifier: MIT */
/*
 * Memory: the physical frame allocator built from the Multiboot2 memory
 * map (kernel/mm.c on lib/frame_alloc.c). Memory is identity-mapped: a
 * physical address is its own virtual address. The page tables are the
 * arch's (paging_*() in <xcall/arch.h>).
 */
#ifndef XCALL_MM_H
#define XCALL_MM_H

#include <xcall/multiboot2.h>
#include <xcall/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ul << PAGE_SHIFT)

/* Allocations stay below 4 GiB: the AP start-up code loads the page
 * table root in 32-bit mode, so every page table must be reachable. */
#define MM_ALLOC_LIMIT	(1ull << 32)
/* Real-mode code can only run in the first MiB. */
#define MM_LOW_LIMIT	(1ull << 20)

/**
 * mm_init() - build the frame allocator from the memory map
 * @mbi: the parsed boot information
 * @info: the information block itself
 *
 * The kernel image, page 0, the information block and every module are
 * kept out of the free memory.
 * Context: boot CPU, once, before anything allocates.
 */
void mm_init(const struct mb2_info *mbi, const void *info);

/**
 * alloc_pages() - allocate zeroed, contiguous pages
 * @nr: how many
 *
 * Context: any CPU; takes the allocator's lock with interrupts off.
 * Return: the pages (identity-mapped), or NULL when memory is exhausted.
 */
void *alloc_pages(size_t nr);

/**
 * free_pages() - give back pages from alloc_pages()
 * @addr: what alloc_pages() returned
 * @nr: how many pages it gave
 *
 * Context: any CPU; takes the allocator's lock with interrupts off.
 */
void free_pages(void *addr, size_t nr);

/**
 * alloc_low_page() - one free page in a window of low memory, for
 * real-mode code
 * @min: the page starts at or above this address
 * @limit: the page ends at or below this address, at most MM_LOW_LIMIT
 *
 * The page comes from the free memory, which the memory map called
 * usable; the window keeps it off what the map may not say (on a PC,
 * the BIOS's own areas). Allocation is top-down, so the highest free
 * page below @limit is taken.
 *
 * Context: boot CPU, before the other CPUs start.
 * Return: its physical address, or 0 when no free page lies in the
 * window (or @limit is above MM_LOW_LIMIT).
 */
phys_addr_t alloc_low_page(phys_addr_t min, phys_addr_t limit);

/**
 * mm_map_usable() - does the boot memory map call a range usable?
 * @base: the range's first byte
 * @len: its length, not 0
 *
 * Asks the map itself (kept from the boot information), not the
 * allocator built from it: for the tests of where boot put things.
 *
 * Context: any, after mm_init().
 * Return: true when one entry of type MB2_MEM_AVAILABLE holds the whole
 * range.
 */
bool mm_map_usable(phys_addr_t base, u64 len);

/**
 * mm_free_bytes() - free memory left
 *
 * Context: any CPU; the answer may be stale at once.
 * Return: bytes.
 */
u64 mm_free_bytes(void);

#endif /* XCALL_MM_H */
