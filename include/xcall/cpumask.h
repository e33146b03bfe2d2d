/* SPDX-License-Identifier: MIT */
/*
 * CPU masks: a bitmap of NR_CPUS bits with Linux's names, and the
 * kernel's two masks, possible and online (include/linux/cpumask.h
 * holds both in Linux too). Iteration ends at NR_CPUS; the kernel's masks
 * never have bits at or past nr_cpu_ids. The masks are kernel/cpu.c's.
 */
#ifndef XCALL_CPUMASK_H
#define XCALL_CPUMASK_H

#include <xcall/bitmap.h>

/* The build-time maximum number of CPUs (make NR_CPUS=...). */
#ifndef NR_CPUS
#define NR_CPUS			512
#endif

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};

typedef struct cpumask cpumask_t;

#define cpumask_bits(m)		((m)->bits)

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	set_bit(cpu, m->bits);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	clear_bit(cpu, m->bits);
}

static inline void __cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__set_bit(cpu, m->bits);
}

static inline void __cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__clear_bit(cpu, m->bits);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return cpu < NR_CPUS && test_bit(cpu, m->bits);
}

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		m->bits[i] = 0;
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dst->bits); i++)
		dst->bits[i] = atomic_read(&src->bits[i]);
}

/* dst = a & b; true when the result is not empty. */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	unsigned long any = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(dst->bits); i++) {
		dst->bits[i] = atomic_read(&a->bits[i]) & atomic_read(&b->bits[i]);
		any |= dst->bits[i];
	}
	return any != 0;
}

/* dst = a & ~b; true when the result is not empty. */
static inline bool cpumask_andnot(struct cpumask *dst, const struct cpumask *a,
				  const struct cpumask *b)
{
	unsigned long any = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(dst->bits); i++) {
		dst->bits[i] = atomic_read(&a->bits[i]) & ~atomic_read(&b->bits[i]);
		any |= dst->bits[i];
	}
	return any != 0;
}

static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (atomic_read(&a->bits[i]) != atomic_read(&b->bits[i]))
			return false;
	return true;
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		if (atomic_read(&m->bits[i]))
			return false;
	return true;
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	return bitmap_weight(m->bits, NR_CPUS);
}

/* The first CPU in @m, or NR_CPUS. */
static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return find_next_bit(m->bits, NR_CPUS, 0);
}

/* The first CPU in @m after @n (pass -1 to start), or NR_CPUS. */
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	return find_next_bit(m->bits, NR_CPUS, (unsigned int)(n + 1));
}

#define for_each_cpu(cpu, mask)					\
	for ((cpu) = cpumask_first(mask); (cpu) < NR_CPUS;	\
	     (cpu) = cpumask_next((int)(cpu), (mask)))

/* ---- The kernel's CPUs (kernel/cpu.c) ---- */

/*
 * Written only through set_cpu_possible()/set_cpu_online(), by the boot
 * CPU during bring-up; read everywhere through the inlines below, because
 * the call path tests cpu_online() on every send.
 */
extern struct cpumask __cpu_possible_mask;
extern struct cpumask __cpu_online_mask;
/* One past the highest possible CPU number. */
extern unsigned int nr_cpu_ids;

#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)

#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)
#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)

/**
 * cpu_online() - does a CPU take calls?
 * @cpu: the CPU number
 *
 * Context: any CPU.
 * Return: true once bring-up has seen @cpu arrive.
 */
static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_online_mask);
}

/**
 * cpu_possible() - was a CPU numbered at bring-up?
 * @cpu: the CPU number
 *
 * Context: any CPU.
 * Return: true when @cpu has a per-CPU area and a hardware ID.
 */
static inline bool cpu_possible(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_possible_mask);
}

/**
 * num_online_cpus() - how many CPUs take calls
 *
 * Context: any CPU.
 * Return: the weight of cpu_online_mask.
 */
static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(cpu_online_mask);
}

/**
 * num_possible_cpus() - how many CPUs were numbered
 *
 * Context: any CPU.
 * Return: the weight of cpu_possible_mask.
 */
static inline unsigned int num_possible_cpus(void)
{
	return cpumask_weight(cpu_possible_mask);
}

/**
 * set_cpu_possible() - add a CPU to, or drop it from, cpu_possible_mask
 * @cpu: the CPU number, below NR_CPUS
 * @possible: the new state
 *
 * Also keeps nr_cpu_ids one past the highest possible CPU.
 * Context: boot CPU, during bring-up.
 */
void set_cpu_possible(unsigned int cpu, bool possible);

/**
 * set_cpu_online() - add a CPU to, or drop it from, cpu_online_mask
 * @cpu: the CPU number, possible
 * @online: the new state
 *
 * Context: boot CPU, during bring-up.
 */
void set_cpu_online(unsigned int cpu, bool online);

#endif /* XCALL_CPUMASK_H */
