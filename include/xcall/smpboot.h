/* SPDX-License-Identifier: MIT */
/*
 * Bringing the other CPUs up (kernel/smpboot.c): the policy, meaning
 * which CPUs, how they are numbered, how long they get; and taking them
 * down and up again at run time (CPU hotplug: cpu_down(), cpu_up()). The
 * firmware walk, the start-up protocol and where a CPU parks are the
 * arch's (arch_smp_*() and arch_cpu_*() in <xcall/arch.h>).
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
 * smp_set_test_dead_cpu() - silence a CPU's next start, for a test
 * @cpu: the CPU that is to stop before it reports online, as with
 *       selftest_dead_cpu=; 0 for none
 *
 * Context: testing only; any CPU, between cpu_up() calls.
 */
void smp_set_test_dead_cpu(unsigned int cpu);

/**
 * smp_set_test_late_cpu() - make a CPU's next start arrive too late, for a test
 * @cpu: the CPU whose next start_secondary() waits until the start has
 *       been given up on and then until its state leaves ABANDONED (the
 *       next cpu_up() of it); 0 for none
 *
 * Simulates a start so slow that it reaches start_secondary() while the
 * following cpu_up() is under way; that cpu_up() holds its window open
 * (100 ms) for the late start to try, then clears the setting so that
 * its own start runs normally.
 * Context: testing only; any CPU, between cpu_up() calls.
 */
void smp_set_test_late_cpu(unsigned int cpu);

/**
 * smp_cpus_left_out_at_boot() - enabled processors bring-up did not number
 *
 * Left out by maxcpus=, or by the arch's plan (an APIC ID the mode cannot
 * reach, say): they have no CPU number, so cpu_down() and cpu_up() cannot
 * name them, and refuse any number past the last possible CPU with
 * -EINVAL and a message saying so.
 * Context: any, after smp_init().
 * Return: how many, 0 for none.
 */
unsigned int smp_cpus_left_out_at_boot(void);

/**
 * smp_bringup_ns() - how long bring-up took
 *
 * Context: any CPU, after smp_init().
 * Return: nanoseconds from the first INIT to the last AP online.
 */
u64 smp_bringup_ns(void);

/**
 * cpu_down() - take a CPU offline and park it
 * @cpu: the CPU, not the boot CPU and not the calling one
 *
 * The CPU leaves cpu_online_mask first: from then on calls to it fail
 * with -ENXIO. Every call already queued to it runs, exactly once, before
 * it parks (the smpcfd_*() steps in <xcall/smp.h>), so a waiter never
 * waits on it in vain. Work its idle loop had accepted runs to its end
 * first (smp_call_on_cpu_async()). While any CPU is down, calls to every
 * other CPU go out one IPI each, never as the "all but self" shorthand.
 * One cpu_down() or cpu_up() runs at a time.
 *
 * Context: interrupts on, not in a called function; waits up to 10 s for
 * the CPU to park.
 * Return: 0 when it is parked (or already was); -EINVAL when @cpu is out
 * of range or not possible; -EPERM for the boot CPU; -EDEADLK for the
 * calling CPU, or with interrupts off (with a warning); -EBUSY while
 * another cpu_down() or cpu_up() runs, or for a CPU that bring-up left
 * out or that is still on its way up or down; -ETIMEDOUT when it did not
 * park in time (it stays online if it never started to go).
 */
int cpu_down(unsigned int cpu);

/**
 * cpu_up() - start a CPU that cpu_down() parked, and put it online
 * @cpu: the CPU
 *
 * Reopens its call queue (smpcfd_prepare_cpu()), starts it through the
 * same INIT-SIPI-SIPI and trampoline as bring-up, and puts it in
 * cpu_online_mask once it has set itself up again. The shorthand comes
 * back when every enabled processor is online again.
 * A CPU that did not answer an earlier start (at boot, or an earlier
 * cpu_up()) is started afresh too. Processors left out at boot (maxcpus=)
 * have no CPU number and cannot be started (-EINVAL, with a message).
 *
 * Context: interrupts on, not in a called function; waits up to
 * smpboot_timeout_ms for the CPU.
 * Return: 0 when it is online (or already was: any online CPU, the boot
 * CPU always, as Linux's cpu_up() answers); -EINVAL, -EDEADLK as
 * cpu_down(); -EBUSY while another cpu_down() or cpu_up()
 * runs, or for a CPU caught half-way down; -ETIMEDOUT when it did not
 * come back in time (it is then offline with its queue closed, as a
 * parked CPU, and a later cpu_up() may try again); -ENOMEM when the
 * start-up code has nowhere to go.
 */
int cpu_up(unsigned int cpu);

/**
 * cpu_idle_dead() - park this CPU if cpu_down() asked it to go
 *
 * The idle loop calls it when it finds its CPU out of cpu_online_mask,
 * as Linux's do_idle() calls cpuhp_report_idle_dead(). For a CPU that
 * cpu_down() asked to go: runs the calls queued to it, turns its
 * interrupt controller off, closes and runs its queue a last time,
 * reports itself dead, and parks (arch_cpu_play_dead()). Anything else
 * (a test that cleared the bit by hand) returns at once.
 *
 * Context: the idle loop of the CPU itself, interrupts off, no work
 * pending.
 */
void cpu_idle_dead(void);

#endif /* XCALL_SMPBOOT_H */
