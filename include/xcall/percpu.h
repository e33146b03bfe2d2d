/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU variables, with Linux's names.
 *
 * DEFINE_PER_CPU places a variable in the per-CPU template section. Each
 * CPU gets a copy of the template (its area), whose first word is
 * this_cpu_off: the distance from the template to the area. The arch
 * finds the current CPU's area in one instruction (arch_this_cpu_off(),
 * asm/percpu.h), so this_cpu_ptr(&var) is a load and an add, and no code
 * ever finds the current CPU by searching a table.
 *
 * __per_cpu_offset[] is the one global every subsystem reads: per_cpu()
 * must be an inline load on the cross-CPU call's fast path. It is written
 * only by the boot CPU, before the CPU it describes is started.
 */
#ifndef XCALL_PERCPU_H
#define XCALL_PERCPU_H

#include <xcall/arch.h>
#include <xcall/compiler.h>

#define DEFINE_PER_CPU(type, name) \
	__section(".data..percpu") __typeof__(type) name
/* For data other CPUs write: a cache line of its own. */
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(".data..percpu..cacheline") __typeof__(type) name ____cacheline_aligned
#define DECLARE_PER_CPU(type, name)		extern __typeof__(type) name
#define DECLARE_PER_CPU_ALIGNED(type, name) \
	extern __typeof__(type) name ____cacheline_aligned

extern unsigned long __per_cpu_offset[NR_CPUS];

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
 * never lose an increment.
 */
#define this_cpu_inc(var) \
	arch_this_cpu_add(this_cpu_ptr(&(var)), (__typeof__(var))1)

/**
 * percpu_init_boot_cpu() - make CPU 0's area and enter it
 *
 * Context: boot CPU, the first thing at boot.
 */
void percpu_init_boot_cpu(void);

/**
 * percpu_alloc_area() - make a CPU's area, a fresh copy of the template
 * @cpu: the CPU
 *
 * Context: boot CPU, before @cpu starts.
 * Return: 0, or -ENOMEM.
 */
int percpu_alloc_area(unsigned int cpu);

/**
 * percpu_enter() - make a CPU's area the calling CPU's own
 * @cpu: the CPU number the caller is
 *
 * Context: an AP's first step in C, before it touches per-CPU data.
 */
void percpu_enter(unsigned int cpu);

#endif /* XCALL_PERCPU_H */
