// SPDX-License-Identifier: MIT
/*
 * Per-CPU areas: one copy of the template section for each CPU, the boot
 * CPU's in .bss so it exists before any allocator. Owns
 * __per_cpu_offset[] and this_cpu_off; the arch makes an area the
 * current CPU's (arch_set_percpu_base()).
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/mm.h>
#include <xcall/percpu.h>
#include <xcall/smp.h>
#include <xcall/string.h>

/* First in the template (linker.ld), so it is the first word of every
 * area, where arch_this_cpu_off() reads it. */
static unsigned long this_cpu_off __section(".data..percpu..first") __used;

unsigned long __per_cpu_offset[NR_CPUS];

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_boot_area[];

/* The linker's bounds are two symbols: compare them as addresses, not as
 * pointers into one object. */
static size_t percpu_template_size(void)
{
	return (unsigned long)__per_cpu_end - (unsigned long)__per_cpu_start;
}

static void fill_area(char *area, unsigned int cpu)
{
	unsigned long off = (unsigned long)area - (unsigned long)__per_cpu_start;

	memcpy(area, __per_cpu_start, percpu_template_size());
	__per_cpu_offset[cpu] = off;
	*(unsigned long *)(area + ((unsigned long)&this_cpu_off -
				   (unsigned long)__per_cpu_start)) = off;
	per_cpu(cpu_number, cpu) = cpu;
}

void percpu_init_boot_cpu(void)
{
	fill_area(__per_cpu_boot_area, 0);
	arch_set_percpu_base((unsigned long)__per_cpu_boot_area);
}

int percpu_alloc_area(unsigned int cpu)
{
	size_t size = percpu_template_size();
	char *area = alloc_pages(DIV_ROUND_UP(size, PAGE_SIZE));

	if (!area)
		return -ENOMEM;
	fill_area(area, cpu);
	return 0;
}

void percpu_enter(unsigned int cpu)
{
	arch_set_percpu_base((unsigned long)__per_cpu_start + __per_cpu_offset[cpu]);
}
