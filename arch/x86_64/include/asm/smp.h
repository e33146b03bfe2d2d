/* SPDX-License-Identifier: MIT */
/*
 * Inside arch/x86_64: the call vector's set-up (arch/x86_64/smp.c) and
 * the boot plan (arch/x86_64/smpboot.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/apic.h>
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
 * in which APIC mode
 * @nox2apic: the user asked for xAPIC mode
 *
 * The boot CPU is the one whose APIC ID register answers now
 * (apic_read_id_at_handover()), as Linux takes it. Nothing is printed
 * until smpboot_confirm_plan().
 *
 * Context: boot CPU, once, after acpi_init(), before the APIC is set up.
 * Return: the plan, whose APIC mode apic_init_boot_cpu() takes.
 */
const struct cpu_plan *smpboot_make_plan(bool nox2apic);

/**
 * smpboot_confirm_plan() - check the plan's boot CPU, then print the plan
 * @boot_apic_id: the boot CPU's APIC ID as its APIC, now set up, reads it
 *
 * Where the ID differs from the one the plan was made with, the plan is
 * made again with it (unless that would change the APIC mode, which is
 * set by now: then the first plan stands and arch_smp_enumerate_cpus()
 * counts the CPU it cannot start), so the plan printed is the one the
 * kernel follows.
 *
 * Context: boot CPU, once, after apic_init_boot_cpu().
 */
void smpboot_confirm_plan(u32 boot_apic_id);

/**
 * smpboot_boot_id_from() - where the plan's boot APIC ID was read
 *
 * Context: any, after arch_irq_init().
 * Return: the enum apic_id_source apic_read_id_at_handover() gave.
 */
enum apic_id_source smpboot_boot_id_from(void);

/**
 * smpboot_plan() - the plan smpboot_make_plan() made, for tests
 *
 * Context: any, after arch_irq_init().
 * Return: the plan.
 */
const struct cpu_plan *smpboot_plan(void);

#endif /* ASM_SMP_H */
