/* SPDX-License-Identifier: MIT */
/*
 * Page table entry bits and sizes of 4-level paging (SDM vol. 3A, 5.5,
 * "4-Level Paging"), for arch/x86_64/mm.c and boot/head.S's early map.
 */
#ifndef ASM_PGTABLE_TYPES_H
#define ASM_PGTABLE_TYPES_H

#include <xcall/const.h>

#define PTE_P		_BITULL(0)
#define PTE_W		_BITULL(1)
#define PTE_PWT		_BITULL(3)
#define PTE_PCD		_BITULL(4)
#define PTE_PS		_BITULL(7)	/* large page, in PDPT and PD entries */
#define PTE_NX		_BITULL(63)
#define PTE_ADDR_MASK	_AC(0x000ffffffffff000, ULL)
#define PTE_FLAGS_MASK	(~PTE_ADDR_MASK)

#define PT_ENTRIES	512
#define PTE_BYTES	8
/* One page table, at every level: 512 entries of 8 bytes, a page. */
#define PT_BYTES	(PT_ENTRIES * PTE_BYTES)
#define PT_LEVELS	4
#define LARGE_SHIFT	21
#define LARGE_SIZE	(_AC(1, ULL) << LARGE_SHIFT)

#endif /* ASM_PGTABLE_TYPES_H */
