// SPDX-License-Identifier: MIT
/* Temporary: filled in by the APIC and SMP work. */
#include <asm/apic.h>
#include <xcall/arch.h>
u32 cpu_physical_id(unsigned int cpu) { return cpu; }
void arch_stop_other_cpus(void) { }
void apic_eoi(void) { }
