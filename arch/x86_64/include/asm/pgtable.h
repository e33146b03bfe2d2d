/* SPDX-License-Identifier: MIT */
/*
 * Inside arch/x86_64: the page-table calls that only the arch's own
 * bring-up needs (arch/x86_64/mm.c). The ones generic code uses are in
 * <xcall/arch.h>.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <xcall/types.h>

/**
 * paging_unmap_page() - remove the mapping of one page (a guard page)
 * @addr: the page
 *
 * Context: boot CPU, before the other CPUs start (no TLB shootdown).
 * Return: 0, or -ENOMEM.
 */
int paging_unmap_page(unsigned long addr);

/**
 * paging_map_exec_page() - map one page read-only and executable
 * @addr: the page (the AP trampoline's)
 *
 * Context: as paging_unmap_page().
 * Return: 0, or -ENOMEM.
 */
int paging_map_exec_page(unsigned long addr);

/**
 * paging_cr3() - the kernel's top-level table, for the APs
 *
 * Context: any CPU, after paging_init().
 * Return: its physical address.
 */
phys_addr_t paging_cr3(void);

/**
 * paging_init_ap() - the per-CPU part of the memory set-up (PAT)
 *
 * Context: each AP, once, before it touches a write-combining mapping.
 */
void paging_init_ap(void);

/**
 * alloc_stack() - a stack with an unmapped guard page below it
 * @size: bytes, a multiple of PAGE_SIZE
 *
 * Context: boot CPU, before the other CPUs start.
 * Return: the lowest address of the stack (the guard page is just below),
 * or NULL.
 */
void *alloc_stack(size_t size);

#endif /* ASM_PGTABLE_H */
