/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables, with Linux's names.
 *
 * DEFINE_PER_CPU places a variable in the per-CPU template section. Each
 * CPU gets a copy of the template (its area); the CPU's GS base points at
 * its area, whose first word is this_cpu_off: the distance from the
 * template to the area. So this_cpu_ptr(&var) is one GS-relative load and
 * an add, and no code ever finds the current CPU by searching a table.
 *
 * __per_cpu_offset[] is the one global every subsystem reads: per_cpu()
 * must be an inline load on the cross-CPU call's fast path. It is written
 * only by the boot CPU, before the CPU it describes is started.
 */
#ifndef XCALL_PERCPU_H
#define XCALL_PERCPU_H

#include <xcall/compiler.h>
#include <xcall/cpumask.h>

#define DEFINE_PER_CPU(type, name) \
	__section(".data..percpu") __typeof__(type) name
/* For data other CPUs write: a cache line of its own. */
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(".data..percpu..cacheline") __typeof__(type) name ____cacheline_aligned
#define DECLARE_PER_CPU(type, name)		extern __typeof__(type) name
#define DECLARE_PER_CPU_ALIGNED(type, name) \
	extern __typeof__(type) name ____cacheline_aligned

extern unsigned long __per_cpu_offset[NR_CPUS];

/* The current CPU's offset: its area minus the template, from GS:0. */
static inline unsigned long arch_this_cpu_off(void)
{
	unsigned long off;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(off));
	return off;
}

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((unsigned long)(ptr) + __per_cpu_offset[(cpu)]))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((unsigned long)(ptr) + arch_this_cpu_off()))
#define this_cpu_read(var)	(*this_cpu_ptr(&(var)))
#define this_cpu_write(var, v)	(*this_cpu_ptr(&(var)) = (v))
/*
 * this_cpu_inc() - add one with a single read-modify-write instruction,
 * so an interrupt handler on this CPU that counts the same variable can
 * never lose an increment (no lock prefix: no other CPU writes it).
 */
#define this_cpu_inc(var) do {						\
	__typeof__(var) *__p = this_cpu_ptr(&(var));			\
	__asm__ __volatile__("add %1, %0"				\
			     : "+m"(*__p) : "r"((__typeof__(var))1));	\
} while (0)

/** percpu_init_boot_cpu() - set up CPU 0's area and GS; first thing at boot. */
void percpu_init_boot_cpu(void);

/**
 * percpu_alloc_area() - make @cpu's area, a fresh copy of the template
 * Context: boot CPU, before @cpu starts.
 * Return: 0, or -ENOMEM.
 */
int percpu_alloc_area(unsigned int cpu);

/** percpu_enter() - point this CPU's GS at @cpu's area; the AP's first step. */
void percpu_enter(unsigned int cpu);

/** arch_set_percpu_base() - load the GS base with @base (arch). */
void arch_set_percpu_base(unsigned long base);

#endif /* XCALL_PERCPU_H */
