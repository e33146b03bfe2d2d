/* SPDX-License-Identifier: MIT */
/*
 * Interrupt vectors. 0-31 are the CPU's exceptions (SDM vol. 3A, 6.3.1).
 * The IPI vectors sit at the top, as Linux puts them: the local APIC
 * prioritises by vector >> 4, so the cross-CPU call outranks everything
 * but the spurious vector.
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#define NR_VECTORS			256
#define NR_EXCEPTION_VECTORS		32

#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1	/* debug */
#define X86_TRAP_NMI	2	/* non-maskable interrupt */
#define X86_TRAP_BP	3	/* breakpoint */
#define X86_TRAP_OF	4	/* overflow */
#define X86_TRAP_BR	5	/* bound range */
#define X86_TRAP_UD	6	/* invalid opcode */
#define X86_TRAP_NM	7	/* device not available */
#define X86_TRAP_DF	8	/* double fault */
#define X86_TRAP_TS	10	/* invalid TSS */
#define X86_TRAP_NP	11	/* segment not present */
#define X86_TRAP_SS	12	/* stack segment */
#define X86_TRAP_GP	13	/* general protection */
#define X86_TRAP_PF	14	/* page fault */
#define X86_TRAP_MF	16	/* x87 floating point */
#define X86_TRAP_AC	17	/* alignment check */
#define X86_TRAP_MC	18	/* machine check */
#define X86_TRAP_XF	19	/* SIMD floating point */
#define X86_TRAP_VE	20	/* virtualisation */
#define X86_TRAP_CP	21	/* control protection */
#define X86_TRAP_VC	29	/* VMM communication (AMD SEV-ES) */
#define X86_TRAP_SX	30	/* security (AMD) */

/* Legacy PIC vectors after remapping, so a stray one is recognisable
 * and never lands on an exception. */
#define PIC_MASTER_VECTOR		0x20
#define PIC_SLAVE_VECTOR		0x28

/* For the test of the ISR drain: two interrupts taken and left without
 * their EOIs, the second of a higher priority class so that it is
 * delivered while the first is in service. Low classes, so that while
 * they are in service every other vector still gets through. */
#define ISR_TEST_VECTOR_LOW		0x31
#define ISR_TEST_VECTOR_HIGH		0x41
#define LOCAL_TIMER_VECTOR		0xec
#define RAW_IPI_VECTOR			0xf1	/* benchmark floor: ack only */
/* Linux also has CALL_FUNCTION_VECTOR for the many-CPU path; both of its
 * vectors drain the same queue, so xcall uses the one for everything. */
#define CALL_FUNCTION_SINGLE_VECTOR	0xfb
#define ERROR_APIC_VECTOR		0xfe
#define SPURIOUS_APIC_VECTOR		0xff

/* IST slots in the TSS (1-based, as the IDT gate encodes them). */
#define IST_DOUBLE_FAULT		1
#define IST_NMI				2
#define IST_MACHINE_CHECK		3
#define NR_IST_STACKS			3
#define IST_STACK_SIZE			8192

#endif /* ASM_IRQ_VECTORS_H */
