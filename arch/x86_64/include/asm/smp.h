/* SPDX-License-Identifier: MIT */
/*
 * Inside arch/x86_64: the call vector's set-up (arch/x86_64/smp.c) and
 * the boot plan (arch/x86_64/smpboot.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <xcall/compiler.h>

/**
 * stop_this_cpu() - halt this CPU for good, for another CPU's panic
 *
 * Marks the CPU stopped first: arch_stop_other_cpus() waits for that
 * mark before the panic goes on, so nothing this CPU prints lands in the
 * middle of the panic's report.
 *
 * Context: the NMI handler, interrupts off.
 */
void stop_this_cpu(void) __noreturn;

/**
 * smp_intr_init() - install the CALL_FUNCTION_SINGLE vector's handler
 *
 * Context: boot CPU, once, interrupts off, from arch_irq_init().
 */
void smp_intr_init(void);

struct cpu_plan;

/**
 * smpboot_make_plan() - decide, from the ACPI tables, which CPUs run and
 * in which APIC mode, and print the plan
 * @nox2apic: the user asked for xAPIC mode
 *
 * Context: boot CPU, once, after acpi_init(), before the APIC is set up.
 * Return: the plan, which arch_smp_enumerate_cpus() follows later.
 */
const struct cpu_plan *smpboot_make_plan(bool nox2apic);

/**
 * smpboot_plan() - the plan smpboot_make_plan() made, for tests
 *
 * Context: any, after arch_irq_init().
 * Return: the plan.
 */
const struct cpu_plan *smpboot_plan(void);

#endif /* ASM_SMP_H */
