/* SPDX-License-Identifier: MIT */
/*
 * The arch side of include/xcall/percpu.h: where this CPU's per-CPU area
 * is. On x86-64 the GS base points at the area, and the area's first
 * word (this_cpu_off, kernel/percpu.c) holds its distance from the
 * template, so the offset is one GS-relative load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

/* The current CPU's offset: its area minus the template, from GS:0. */
static inline unsigned long arch_this_cpu_off(void)
{
	unsigned long off;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(off));
	return off;
}

/*
 * arch_this_cpu_add() - add to this CPU's copy with one read-modify-write
 * instruction, so an interrupt handler on this CPU that counts the same
 * variable can never lose an update (no lock prefix: no other CPU
 * writes it).
 */
#define arch_this_cpu_add(ptr, val)					\
	__asm__ __volatile__("add %1, %0" : "+m"(*(ptr)) : "r"(val))

#endif /* ASM_PERCPU_H */
