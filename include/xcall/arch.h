/* SPDX-License-Identifier: MIT */
/*
 * What generic code (kernel/, tests/) asks of the architecture: the whole
 * list, in one place. arch/x86_64 implements each of these.
 */
#ifndef XCALL_ARCH_H
#define XCALL_ARCH_H

/* The inline primitives every generic file may use: cpu_relax(),
 * local_irq_save/restore/enable/disable(), irqs_disabled(). */
#include <asm/processor.h>
#include <xcall/compiler.h>
#include <xcall/cpumask.h>
#include <xcall/types.h>

/* ---- IPIs (arch/x86_64/apic.c) ---- */

/** Send CALL_FUNCTION_SINGLE_VECTOR to @cpu. Context: any, IRQs any. */
void arch_send_call_function_single_ipi(unsigned int cpu);
/** Send CALL_FUNCTION_SINGLE_VECTOR to every CPU in @mask (never self). */
void arch_send_call_function_ipi_mask(const struct cpumask *mask);

/* ---- Boot (arch/x86_64/irq.c, tsc.c) ---- */

/**
 * arch_irq_init() - interrupt controller up on the boot CPU: the APIC in
 * x2APIC or xAPIC mode, the vectors' handlers, the APIC timer calibrated
 * Context: boot CPU, interrupts off, after acpi_init() and arch_time_init().
 */
void arch_irq_init(void);

/**
 * arch_time_init() - find the cycle counter's frequency and hand it to
 * time_init(); panics when no method works
 * Context: boot CPU, after acpi_init().
 */
void arch_time_init(void);

/* ---- Bring-up (arch/x86_64/smpboot.c) ---- */

/**
 * arch_smp_prepare_cpu() - give @cpu its stacks and record its hardware ID
 * Context: boot CPU, before arch_smp_kick_cpus().
 * Return: 0, or -ENOMEM.
 */
int arch_smp_prepare_cpu(unsigned int cpu, u32 hw_id);

/**
 * arch_smp_kick_cpus() - start every CPU of @cpus, all at once; each ends
 * in start_secondary()
 * Context: boot CPU.
 * Return: 0, or -ENOMEM when the start-up code has nowhere to go.
 */
int arch_smp_kick_cpus(const struct cpumask *cpus);

/**
 * arch_smp_bringup_done() - bring-up is over
 * @all_online: every processor the firmware enabled came online; only
 *              then may an IPI go to "all but self" in one shorthand,
 *              which reaches every APIC, started or not
 */
void arch_smp_bringup_done(bool all_online);

/** arch_max_cpu_id() - the largest hardware ID IPIs can reach now. */
u32 arch_max_cpu_id(void);

/** arch_cpu_stack() - the bounds of @cpu's kernel stack. */
void arch_cpu_stack(unsigned int cpu, unsigned long *lo, unsigned long *hi);

/* ---- CPUs ---- */

/** The hardware ID (APIC ID) of logical CPU @cpu, as recorded at bring-up. */
u32 cpu_physical_id(unsigned int cpu);

/** The calling CPU's hardware ID, read from its interrupt controller now. */
u32 arch_read_cpu_id(void);

/** Print a backtrace of the caller. Context: any. */
void arch_dump_stack(void);

/** Stop every other CPU (NMI), for panic. Context: any, IRQs off. */
void arch_stop_other_cpus(void);

/** Halt this CPU for good, interrupts off. */
void arch_halt_forever(void) __noreturn;

/**
 * arch_qemu_exit() - leave QEMU through its isa-debug-exit device
 * @failed: false for success (QEMU exits with status 1), true for failure
 *          (status 3)
 *
 * Returns if there is no such device (a real machine); the caller halts.
 */
void arch_qemu_exit(bool failed);

/** Is the machine a virtual one (CPUID hypervisor bit)? */
bool arch_running_on_hypervisor(void);

/* ---- Idle (arch/x86_64/idle.c) ---- */

/**
 * arch_idle_halt() - enable interrupts and halt until one arrives
 *
 * Context: IRQs off on entry (the caller checked for work with them off);
 * returns with IRQs on, after the interrupt was handled.
 */
void arch_idle_halt(void);

/**
 * arch_idle_nap() - halt this CPU for about @us microseconds, or until an
 * interrupt: a wait that leaves the host's cores to the other vCPUs under
 * emulation, and saves power on real hardware
 * Context: interrupts on; returns with them on.
 */
void arch_idle_nap(unsigned int us);

/** Can this CPU wait on a cache line (MONITOR/MWAIT)? */
bool arch_has_mwait(void);

/**
 * arch_monitor() - arm the monitor on the cache line holding @addr
 *
 * Context: interrupts off; check the condition after arming, then
 * arch_mwait_irqs_on() (a write between the two still ends the wait).
 */
void arch_monitor(const void *addr);

/**
 * arch_mwait_irqs_on() - enable interrupts and wait for a write to the
 * monitored line or an interrupt, with no window between the two in
 * which an interrupt could be taken and the wait then sleep on
 *
 * Context: interrupts off; returns with them on.
 */
void arch_mwait_irqs_on(void);

/* ---- Benchmark floors (arch/x86_64/irq.c) ---- */

/**
 * arch_set_raw_ipi_handler() - what the bare benchmark vector does after
 * acknowledging the APIC; no queue, no generic code in between
 */
void arch_set_raw_ipi_handler(void (*fn)(void));

/** arch_send_raw_ipi() - send the bare vector to @cpu. */
void arch_send_raw_ipi(unsigned int cpu);

/** arch_ipi_mode_name() - "x2apic" or "xapic", for reports. */
const char *arch_ipi_mode_name(void);

/** arch_hypervisor_name() - CPUID's hypervisor vendor, "" on bare metal. */
const char *arch_hypervisor_name(void);

/** probe_read_u64() - read a word that may fault. Return: 0 or -EFAULT. */
int probe_read_u64(const void *addr, u64 *val);
/** probe_write_u64() - write a word that may fault. Return: 0 or -EFAULT. */
int probe_write_u64(void *addr, u64 val);

#endif /* XCALL_ARCH_H */
