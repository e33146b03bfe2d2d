// SPDX-License-Identifier: MIT
/*
 * Which CPUs exist and which run: the possible and online masks, the
 * number range, and each CPU's logical number. What "online" means is
 * decided by kernel/smpboot.c, which is the only writer.
 */
#include <xcall/smp.h>

DEFINE_PER_CPU(unsigned int, cpu_number);

struct cpumask __cpu_possible_mask;
struct cpumask __cpu_online_mask;
/* One past the highest possible CPU number. */
unsigned int nr_cpu_ids = 1;

void set_cpu_possible(unsigned int cpu, bool possible)
{
	if (possible) {
		cpumask_set_cpu(cpu, &__cpu_possible_mask);
		if (cpu >= nr_cpu_ids)
			nr_cpu_ids = cpu + 1;
	} else {
		cpumask_clear_cpu(cpu, &__cpu_possible_mask);
	}
}

void set_cpu_online(unsigned int cpu, bool online)
{
	if (online)
		cpumask_set_cpu(cpu, &__cpu_online_mask);
	else
		cpumask_clear_cpu(cpu, &__cpu_online_mask);
}
