/* SPDX-License-Identifier: MIT */
/*
 * GDT layout, shared by the boot code, the AP trampoline and desc.c. One
 * layout everywhere means a selector means the same thing in every mode.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_NULL		0
#define GDT_ENTRY_KERNEL_CS	1	/* 64-bit code */
#define GDT_ENTRY_KERNEL_DS	2	/* data, flat */
#define GDT_ENTRY_KERNEL32_CS	3	/* 32-bit code, for the trampoline */
#define GDT_ENTRY_TSS		4	/* 16 bytes: entries 4 and 5 */
#define GDT_ENTRIES		6

#define __KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define __KERNEL32_CS		(GDT_ENTRY_KERNEL32_CS * 8)
#define __TSS_SEL		(GDT_ENTRY_TSS * 8)

/*
 * Descriptor values (SDM vol. 3A, 3.4.5, "Segment Descriptors"): base 0,
 * limit 4 GiB (G=1), present, DPL 0. Code: type 0xb (execute/read,
 * accessed), L=1 for 64-bit or D=1 for 32-bit. Data: type 0x3
 * (read/write, accessed), D/B=1.
 *
 * The Accessed bit is set from the start: otherwise the CPU sets it on
 * the first load of the selector, a write to the GDT, which faults when
 * the GDT sits in a read-only page (the AP trampoline's does, with
 * CR0.WP on) and at that point nothing can handle the fault.
 */
#define GDT_DESC_KERNEL_CS	0x00af9b000000ffff
#define GDT_DESC_KERNEL_DS	0x00cf93000000ffff
#define GDT_DESC_KERNEL32_CS	0x00cf9b000000ffff

#endif /* ASM_SEGMENT_H */
