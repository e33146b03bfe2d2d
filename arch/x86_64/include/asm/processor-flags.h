/* SPDX-License-Identifier: MIT */
/*
 * Bits of EFLAGS and the control registers (SDM vol. 3A, 2.3 and 2.5),
 * for C and for the boot assembly alike.
 */
#ifndef ASM_PROCESSOR_FLAGS_H
#define ASM_PROCESSOR_FLAGS_H

#include <xcall/const.h>

#define X86_EFLAGS_IF		_BITUL(9)	/* interrupts enabled */

#define X86_CR0_PE		_BITUL(0)	/* protected mode */
#define X86_CR0_ET		_BITUL(4)	/* extension type: always 1 */
#define X86_CR0_NE		_BITUL(5)	/* native x87 error reporting */
#define X86_CR0_WP		_BITUL(16)	/* ring 0 honours read-only pages */
#define X86_CR0_PG		_BITUL(31)	/* paging */

#define X86_CR4_PAE		_BITUL(5)	/* 64-bit page table entries */
#define X86_CR4_MCE		_BITUL(6)	/* machine-check exception */
#define X86_CR4_PGE		_BITUL(7)	/* global pages */

/*
 * The whole values boot/head.S and boot/trampoline.S load, whatever the
 * firmware or INIT left: caches on (CD and NW clear), read-only pages
 * honoured in ring 0, paging; in CR4 only PAE, which long mode needs.
 * Every other bit stays clear until the code that handles it sets it
 * (CR4.MCE: arch/x86_64/mce.c).
 */
#define BOOT_CR0	(X86_CR0_PG | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | X86_CR0_PE)
#define BOOT_CR4	X86_CR4_PAE

#endif /* ASM_PROCESSOR_FLAGS_H */
