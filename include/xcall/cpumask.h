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

/**
 * cpumask_set_cpu() - add a CPU to a mask, atomically
 * @cpu: the CPU, below NR_CPUS
 * @m: the mask
 *
 * Context: any; safe against other CPUs changing other bits.
 */
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	set_bit(cpu, m->bits);
}

/**
 * cpumask_clear_cpu() - remove a CPU from a mask, atomically
 * @cpu: the CPU, below NR_CPUS
 * @m: the mask
 *
 * Context: any; safe against other CPUs changing other bits.
 */
static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	clear_bit(cpu, m->bits);
}

/**
 * __cpumask_set_cpu() - add a CPU to a mask nobody else writes
 * @cpu: the CPU, below NR_CPUS
 * @m: the mask, owned by the caller
 *
 * Context: any; the caller owns @m.
 */
static inline void __cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__set_bit(cpu, m->bits);
}

/**
 * __cpumask_clear_cpu() - remove a CPU from a mask nobody else writes
 * @cpu: the CPU, below NR_CPUS
 * @m: the mask, owned by the caller
 *
 * Context: any; the caller owns @m.
 */
static inline void __cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__clear_bit(cpu, m->bits);
}

/**
 * cpumask_test_cpu() - is a CPU in a mask?
 * @cpu: the CPU; any value, NR_CPUS and above are in no mask
 * @m: the mask
 *
 * Context: any.
 * Return: true when @cpu's bit is set.
 */
static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return cpu < NR_CPUS && test_bit(cpu, m->bits);
}

/**
 * cpumask_clear() - empty a mask
 * @m: the mask, owned by the caller
 *
 * Context: any.
 */
static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		m->bits[i] = 0;
}

/**
 * cpumask_copy() - copy a mask
 * @dst: the copy, owned by the caller
 * @src: the original; read word by word, each word once
 *
 * Context: any.
 */
static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(dst->bits); i++)
		dst->bits[i] = atomic_read(&src->bits[i]);
}

/**
 * cpumask_and() - intersect two masks
 * @dst: the result, owned by the caller
 * @a: one mask
 * @b: the other
 *
 * Context: any.
 * Return: true when the result is not empty.
 */
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

/**
 * cpumask_andnot() - the CPUs of one mask that are not in another
 * @dst: the result, owned by the caller
 * @a: the mask
 * @b: the CPUs to take out
 *
 * Context: any.
 * Return: true when the result is not empty.
 */
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

/**
 * cpumask_equal() - do two masks hold the same CPUs?
 * @a: one mask
 * @b: the other
 *
 * Context: any.
 * Return: true when every bit matches.
 */
static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (atomic_read(&a->bits[i]) != atomic_read(&b->bits[i]))
			return false;
	return true;
}

/**
 * cpumask_empty() - is a mask empty?
 * @m: the mask
 *
 * Context: any.
 * Return: true when no bit is set.
 */
static inline bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(m->bits); i++)
		if (atomic_read(&m->bits[i]))
			return false;
	return true;
}

/**
 * cpumask_weight() - how many CPUs a mask holds
 * @m: the mask
 *
 * Context: any.
 * Return: the number of bits set.
 */
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	return bitmap_weight(m->bits, NR_CPUS);
}

/**
 * cpumask_first() - the lowest CPU in a mask
 * @m: the mask
 *
 * Context: any.
 * Return: the CPU, or NR_CPUS when @m is empty.
 */
static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return find_next_bit(m->bits, NR_CPUS, 0);
}

/**
 * cpumask_next() - the next CPU in a mask
 * @n: the CPU to start after; -1 to start at CPU 0
 * @m: the mask
 *
 * Context: any.
 * Return: the first CPU of @m above @n, or NR_CPUS when there is none.
 */
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
 * CPU during bring-up and by cpu_down()/cpu_up() at run time; read
 * everywhere through the inlines below, because the call path tests
 * cpu_online() on every send.
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
 * Return: true once bring-up (or cpu_up()) has seen @cpu arrive, until
 * cpu_down() takes it out.
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
 * A locked operation: a full barrier.
 * Context: boot CPU, during bring-up; the CPU running cpu_down() or
 * cpu_up(); tests that fake an offline CPU for a moment.
 */
void set_cpu_online(unsigned int cpu, bool online);

#endif /* XCALL_CPUMASK_H */
