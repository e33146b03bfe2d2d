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
 * alloc_low_page() - one page below 1 MiB, for real-mode code
 *
 * Context: boot CPU, before the other CPUs start.
 * Return: its physical address, or 0 when there is none.
 */
phys_addr_t alloc_low_page(void);

/**
 * mm_free_bytes() - free memory left
 *
 * Context: any CPU; the answer may be stale at once.
 * Return: bytes.
 */
u64 mm_free_bytes(void);

#endif /* XCALL_MM_H */
