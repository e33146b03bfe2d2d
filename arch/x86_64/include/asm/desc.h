/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables (arch/x86_64/desc.c): each CPU's GDT and TSS, and the
 * one IDT all CPUs share.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <asm/irq_vectors.h>
#include <asm/ptrace.h>
#include <xcall/types.h>

/* The 64-bit TSS (SDM vol. 3A, 8.7). */
struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];		/* ist[0] is IST1 */
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

/**
 * idt_init() - fill the IDT with the vector stubs
 *
 * Every vector gets its stub; double fault, NMI and machine check also
 * get their own IST stack, since they may arrive on a broken one.
 *
 * Context: boot CPU, once, before cpu_desc_init() loads the IDT.
 */
void idt_init(void);

/**
 * cpu_desc_init() - build and load this CPU's GDT, TSS and the IDT
 * @ist_top: the top of each IST stack, [0] for IST1
 *
 * Context: the CPU being set up, interrupts off, GS base already set.
 */
void cpu_desc_init(const unsigned long ist_top[NR_IST_STACKS]);

/**
 * idt_set_handler() - route a vector to a C handler
 * @vector: NR_EXCEPTION_VECTORS..NR_VECTORS-1
 * @fn: called from do_interrupt() with interrupts off; it acknowledges the
 *      APIC itself, as only it knows when
 *
 * Context: boot CPU, before the vector can fire.
 */
void idt_set_handler(unsigned int vector, irq_handler_t fn);

#endif /* ASM_DESC_H */
