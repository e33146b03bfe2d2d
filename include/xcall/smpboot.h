/* SPDX-License-Identifier: MIT */
/*
 * Bringing the other CPUs up (kernel/smpboot.c): the policy, meaning
 * which CPUs, how they are numbered, how long they get. The firmware walk
 * and the start-up protocol are the arch's (arch_smp_*() in
 * <xcall/arch.h>).
 */
#ifndef XCALL_SMPBOOT_H
#define XCALL_SMPBOOT_H

#include <xcall/compiler.h>
#include <xcall/types.h>

/**
 * smp_init() - number the CPUs the firmware describes and start them
 *
 * Prints a line per AP and "smp: Brought up N CPUs" with the time taken.
 * A CPU that does not answer in time is reported and left out.
 * Context: boot CPU, once, interrupts on, after ACPI, interrupt and time
 * set-up.
 */
void smp_init(void);

/**
 * start_secondary() - an AP's entry into generic code
 * @cpu: its logical number
 *
 * Context: the AP, interrupts off, its descriptor tables, memory types
 * and APIC set up.
 */
void start_secondary(unsigned int cpu) __noreturn;

/**
 * smp_max_cpus() - the maxcpus= option
 *
 * The arch's plan starts no more CPUs than this, the boot CPU included.
 * Context: any, after the options are parsed.
 * Return: the limit, NR_CPUS when the option is not given.
 */
unsigned int smp_max_cpus(void);

/**
 * smp_test_dead_cpu() - the CPU the selftest_dead_cpu= option silenced
 *
 * Context: any CPU.
 * Return: its number, 0 for none.
 */
unsigned int smp_test_dead_cpu(void);

/**
 * smp_bringup_ns() - how long bring-up took
 *
 * Context: any CPU, after smp_init().
 * Return: nanoseconds from the first INIT to the last AP online.
 */
u64 smp_bringup_ns(void);

#endif /* XCALL_SMPBOOT_H */
