// SPDX-License-Identifier: MIT
/*
 * The x86 side of cross-CPU calls, as Linux's arch/x86/kernel/smp.c and
 * apic/ipi.c split it: the CALL_FUNCTION_SINGLE vector's handler, the
 * two send hooks kernel/smp.c calls, and panic's NMIs to the other CPUs,
 * with the rule for when one "all but self" shorthand may replace an IPI
 * per target. The APIC's registers are apic.c's; the other vectors are
 * irq.c's.
 */
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/smp.h>
#include <xcall/arch.h>
#include <xcall/cpumask.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>
#include <xcall/trace.h>

/*
 * How long panic waits for the other CPUs to stop. Linux's
 * native_stop_other_cpus() gives its stop IPI a second, then the NMI it
 * sends next 10 ms. xcall stops with NMIs only: a second for every CPU to
 * take its NMI (a CPU already in an NMI handler, printing a backtrace,
 * takes the stop only when that handler returns), then one more NMI to
 * each CPU still running and 10 ms.
 */
#define STOP_WAIT_MS		1000
#define STOP_RETRY_WAIT_MS	10

static bool use_ipi_shorthand;
/* Every processor the firmware enabled came online: "all but self"
 * reaches only CPUs the kernel runs. */
static bool all_cpus_online;
/* Set by a CPU as its last act before it halts for another CPU's panic
 * (stop_this_cpu()); read by the panicking CPU. Never cleared: a stop is
 * for good. */
static DEFINE_PER_CPU(unsigned int, cpu_stopped);
/* ICR writes this CPU made for calls (the single and the mask hooks):
 * what the hardware was asked to do, beside ipis_sent (targets
 * interrupted) in the generic stats. Written only by its own CPU. */
static DEFINE_PER_CPU(u64, call_icr_writes);

/*
 * EOI first: the APIC can then latch the next CALL_FUNCTION_SINGLE while
 * this one's queue is being run, and a call queued after the queue was
 * taken raises an IPI that is handled as soon as this handler returns,
 * never lost. Interrupts stay off throughout (an interrupt gate).
 */
static void call_function_single_interrupt(struct pt_regs *regs)
{
	/* The entry event after the EOI, as Linux's
	 * sysvec_call_function_single() has them. */
	apic_eoi();
	trace_call_function_single_entry(CALL_FUNCTION_SINGLE_VECTOR);
	generic_smp_call_function_single_interrupt();
	trace_call_function_single_exit(CALL_FUNCTION_SINGLE_VECTOR);
}

void smp_intr_init(void)
{
	idt_set_handler(CALL_FUNCTION_SINGLE_VECTOR, call_function_single_interrupt);
}

void arch_smp_bringup_done(bool all_online)
{
	/* "All but self" reaches every APIC in the system, including one
	 * whose CPU was left out of bring-up or never answered, and one a
	 * cpu_down() parked or a cpu_up() is starting: only when every
	 * enabled processor is online. Linux's rule is the same
	 * (apic_smt_update(): every present CPU has booted, re-evaluated at
	 * each hotplug step). With two CPUs the one target's unicast costs
	 * what the shorthand would.
	 *
	 * A sender that read the old value may still send one shorthand
	 * after this: a fixed IPI to a CPU with interrupts off (parked, or
	 * starting) stays pending and is harmless; it is the NMI shorthand
	 * of a panic that must not reach a CPU in the trampoline, and
	 * cpu_up() only starts one long after this store. */
	WRITE_ONCE(all_cpus_online, all_online);
	WRITE_ONCE(use_ipi_shorthand, all_online && num_online_cpus() > 2);
	/* Before the caller's next step (clearing a CPU's online bit). */
	smp_mb();
}

bool arch_ipi_shorthand_enabled(void)
{
	return READ_ONCE(use_ipi_shorthand);
}

u64 arch_call_icr_writes(unsigned int cpu)
{
	return READ_ONCE(per_cpu(call_icr_writes, cpu));
}

/* One read-modify-write instruction, as this_cpu_inc(): a handler on
 * this CPU that sends a call of its own never loses an update. */
static void count_icr_writes(unsigned int n)
{
	arch_this_cpu_add(this_cpu_ptr(&call_icr_writes), (u64)n);
}

void arch_send_call_function_single_ipi(unsigned int cpu)
{
	count_icr_writes(1);
	apic_send_ipi(cpu_physical_id(cpu), APIC_DM_FIXED | CALL_FUNCTION_SINGLE_VECTOR);
}

void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	unsigned int n = cpumask_weight(mask);

	if (READ_ONCE(use_ipi_shorthand) && n == num_online_cpus() - 1 &&
	    !cpumask_test_cpu(smp_processor_id(), mask)) {
		count_icr_writes(1);
		apic_send_ipi_allbutself(APIC_DM_FIXED | CALL_FUNCTION_SINGLE_VECTOR);
		return;
	}
	/* Otherwise the APIC's own many-target send, chosen once with the
	 * mode (apic.c): one write per cluster of targets in x2APIC mode,
	 * one per target in xAPIC mode. One target is a unicast either way. */
	if (n == 1) {
		arch_send_call_function_single_ipi(cpumask_first(mask));
		return;
	}
	count_icr_writes(apic_send_ipi_mask(mask, APIC_DM_FIXED | CALL_FUNCTION_SINGLE_VECTOR));
}

void stop_this_cpu(void)
{
	/* Release: whatever this CPU printed is out before the panicking
	 * CPU, seeing the mark, goes on. */
	smp_store_release(this_cpu_ptr(&cpu_stopped), 1);
	arch_halt_forever();
}

static bool cpu_is_stopped(unsigned int cpu)
{
	return smp_load_acquire(per_cpu_ptr(&cpu_stopped, cpu));
}

/* Wait up to @ms for every online CPU but @me to stop. Before the clock
 * is calibrated no other CPU runs, and the wait ends at once.
 * Return: how many still run. */
static unsigned int wait_for_stopped(unsigned int me, unsigned int ms)
{
	u64 start = ktime_get_ns();

	for (;;) {
		unsigned int cpu, running = 0;

		for_each_online_cpu(cpu)
			if (cpu != me && !cpu_is_stopped(cpu))
				running++;
		if (!running || !cycles_hz() ||
		    ktime_get_ns() - start > (u64)ms * NSEC_PER_MSEC)
			return running;
		cpu_relax();
	}
}

/*
 * Panic's NMIs follow the same rule as the calls' IPIs. "All but self"
 * also reaches a processor bring-up left out (maxcpus=, one that never
 * answered, one past NR_CPUS): it still sits in the firmware's parking
 * loop, whose code and IDT the kernel may have reused as free memory, and
 * an NMI there can triple-fault it, which resets the whole machine before
 * the panic report is out. So the shorthand only when every enabled
 * processor is online; else one NMI per online CPU. The report says which,
 * before the NMIs go: a machine that resets right after shows it, and the
 * maxcpus= panic boots check it.
 *
 * Then it waits, bounded, until every other online CPU has marked itself
 * stopped: a CPU still printing (a backtrace in its NMI handler) would
 * otherwise write into the rest of the panic's report, which goes on
 * without the console lock.
 */
void arch_stop_other_cpus(void)
{
	unsigned int me = smp_processor_id(), others = num_online_cpus() - 1;
	unsigned int cpu, running;

	if (!others)
		return;
	if (READ_ONCE(all_cpus_online)) {
		pr_emerg("panic: NMI to all but self (every enabled CPU is online)\n");
		apic_send_ipi_allbutself(APIC_DM_NMI);
	} else {
		pr_emerg("panic: NMI to each of the %u other online CPUs (not every enabled CPU is online)\n",
			 others);
		for_each_online_cpu(cpu)
			if (cpu != me)
				apic_send_ipi(cpu_physical_id(cpu), APIC_DM_NMI);
	}
	running = wait_for_stopped(me, STOP_WAIT_MS);
	if (running) {
		for_each_online_cpu(cpu)
			if (cpu != me && !cpu_is_stopped(cpu))
				apic_send_ipi(cpu_physical_id(cpu), APIC_DM_NMI);
		running = wait_for_stopped(me, STOP_RETRY_WAIT_MS);
	}
	for_each_online_cpu(cpu)
		if (cpu != me && !cpu_is_stopped(cpu))
			pr_emerg("panic: CPU %u (apic_id %u) did not stop within %u ms\n",
				 cpu, cpu_physical_id(cpu), STOP_WAIT_MS + STOP_RETRY_WAIT_MS);
	pr_emerg("panic: stopped %u of %u other online CPUs\n", others - running, others);
}
