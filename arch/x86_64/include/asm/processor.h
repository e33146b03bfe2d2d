/* SPDX-License-Identifier: MIT */
/*
 * The processor: control registers, pause, TSC, CPUID, MONITOR. Static
 * inline helpers only; each is one or two instructions. The interrupt
 * flag and halt are asm/irqflags.h's.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <asm/processor-flags.h>
#include <xcall/compiler.h>
#include <xcall/types.h>

/* The spin-wait hint. Under single-threaded TCG it also lets QEMU switch
 * to another vCPU; a spin without it can stall the others for a whole
 * time slice. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* rdtsc ordered after every earlier load and store (lfence is
 * dispatch-serialising on Intel, and on AMD with the usual MSR setting). */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("mfence; lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static inline void cpuid_count(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

#define DEFINE_CR_ACCESSORS(n)						\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(unsigned long v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void invlpg(unsigned long addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline unsigned long read_rbp(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%rbp, %0" : "=r"(v));
	return v;
}

static inline unsigned long read_rsp(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(v));
	return v;
}

/* CLFLUSH (SDM vol. 2A): write the line holding @addr back and drop it
 * from every cache. */
static inline void clflush(const void *addr)
{
	__asm__ __volatile__("clflush (%0)" : : "r"(addr) : "memory");
}

/* MONITOR (SDM vol. 2B): arm a monitor on the line holding @addr; MWAIT
 * (arch_mwait_irqs_on) then waits for a write to it or an interrupt. */
static inline void cpu_monitor(const void *addr)
{
	__asm__ __volatile__("monitor" : : "a"(addr), "c"(0), "d"(0) : "memory");
}


#endif /* ASM_PROCESSOR_H */
