/* SPDX-License-Identifier: MIT */
/*
 * Memory: the physical frame allocator built from the Multiboot2 memory
 * map (kernel/mm.c on lib/frame_alloc.c), and the page tables
 * (arch/x86_64/mm.c). Memory is identity-mapped: a physical address is
 * its own virtual address.
 */
#ifndef XCALL_MM_H
#define XCALL_MM_H

#include <xcall/multiboot2.h>
#include <xcall/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ul << PAGE_SHIFT)

/* Allocations stay below 4 GiB: the AP trampoline loads CR3 in 32-bit
 * mode, and a page table the kernel might hand it must be reachable. */
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

/** free_pages() - give back pages from alloc_pages(). */
void free_pages(void *addr, size_t nr);

/**
 * alloc_low_page() - one page below 1 MiB, for real-mode code
 * Return: its physical address, or 0 when there is none.
 */
phys_addr_t alloc_low_page(void);

/** mm_free_bytes() - free memory left, in bytes. */
u64 mm_free_bytes(void);

/* ---- Page tables (arch/x86_64/mm.c) ---- */

enum page_cache {
	PAGE_CACHE_WB,		/* RAM */
	PAGE_CACHE_WC,		/* framebuffers */
	PAGE_CACHE_UC,		/* device registers */
};

/**
 * paging_init() - build the kernel's page tables and switch to them
 * @mbi: the memory map decides what is RAM (write-back) and what is not
 *       (uncached)
 *
 * Identity map of everything below max(4 GiB, top of RAM): kernel text
 * read-only and executable, read-only data and everything else
 * non-executable, page 0 and the boot stack's guard page unmapped.
 * Context: boot CPU, once, after mm_init().
 */
void paging_init(const struct mb2_info *mbi);

/**
 * paging_map_range() - (re)map a physical range with a cache type
 * @phys: start
 * @size: length
 * @cache: the memory type
 *
 * Context: boot CPU, before the other CPUs start (no TLB shootdown).
 * Return: 0, or -ENOMEM when a page table could not be allocated.
 */
int paging_map_range(phys_addr_t phys, u64 size, enum page_cache cache);

/**
 * paging_unmap_page() - remove the mapping of one page (a guard page)
 * Context: as paging_map_range().
 * Return: 0, or -ENOMEM.
 */
int paging_unmap_page(unsigned long addr);

/**
 * paging_map_exec_page() - map one page read-only and executable
 * @addr: the page (the AP trampoline's)
 *
 * Context: as paging_map_range().
 * Return: 0, or -ENOMEM.
 */
int paging_map_exec_page(unsigned long addr);

/** paging_is_mapped() - does a page table entry map @addr? */
bool paging_is_mapped(unsigned long addr);

struct page_query {
	bool present;
	bool writable;
	bool executable;
	enum page_cache cache;
	unsigned long page_size;	/* of the mapping found */
};

/** paging_query() - how @addr is mapped, for tests and diagnostics. */
void paging_query(unsigned long addr, struct page_query *q);

/** paging_cr3() - the kernel's top-level table, for the APs. */
phys_addr_t paging_cr3(void);

/**
 * alloc_stack() - a stack with an unmapped guard page below it
 * @size: bytes, a multiple of PAGE_SIZE
 *
 * Context: boot CPU, before the other CPUs start.
 * Return: the lowest address of the stack (the guard page is just below),
 * or NULL.
 */
void *alloc_stack(size_t size);

#endif /* XCALL_MM_H */
