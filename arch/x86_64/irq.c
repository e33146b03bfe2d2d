// SPDX-License-Identifier: MIT
/*
 * The APIC's vectors and the IPIs generic code sends: the
 * CALL_FUNCTION_SINGLE handler (acknowledge, then run the queue), the
 * error and spurious vectors, and the send side of the arch hooks. Owns
 * the nox2apic option and whether the all-but-self shorthand may be used.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/setup.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

static bool nox2apic;
static bool use_ipi_shorthand;
static void (*raw_ipi_fn)(void);

DEFINE_OPTION_FLAG(nox2apic, nox2apic,
		   "keep the local APIC in xAPIC mode even if x2APIC is available");

/*
 * EOI first: the APIC can then latch the next CALL_FUNCTION_SINGLE while
 * this one's queue is being run, and a call queued after llist_del_all()
 * below raises an IPI that is taken as soon as this handler returns,
 * never lost. Interrupts stay off throughout (interrupt gate).
 */
static void call_function_single_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	generic_smp_call_function_single_interrupt();
}

/* The APIC timer only ends naps: acknowledge and return. */
static void local_timer_interrupt(struct pt_regs *regs)
{
	apic_eoi();
}

void arch_idle_nap(unsigned int us)
{
	u64 ticks = apic_timer_hz() * us / USEC_PER_SEC;

	local_irq_disable();
	apic_timer_oneshot(LOCAL_TIMER_VECTOR, (u32)min(max(ticks, 1ull), 0xffffffffull));
	safe_halt();
}

/* The benchmark's floor: acknowledge, flag, return. */
static void raw_ipi_interrupt(struct pt_regs *regs)
{
	apic_eoi();
	if (raw_ipi_fn)
		raw_ipi_fn();
}

static void error_interrupt(struct pt_regs *regs)
{
	u32 esr = apic_read_esr();

	apic_eoi();
	pr_err("apic: error interrupt on CPU %u, ESR 0x%x\n", smp_processor_id(), esr);
}

/* The APIC raises the spurious vector without setting an ISR bit, so it
 * takes no EOI (SDM vol. 3A, 11.9, "Spurious Interrupt"). */
static void spurious_interrupt(struct pt_regs *regs)
{
}

void arch_irq_init(void)
{
	const struct madt_info *madt = acpi_madt();

	idt_set_handler(CALL_FUNCTION_SINGLE_VECTOR, call_function_single_interrupt);
	idt_set_handler(LOCAL_TIMER_VECTOR, local_timer_interrupt);
	idt_set_handler(RAW_IPI_VECTOR, raw_ipi_interrupt);
	idt_set_handler(ERROR_APIC_VECTOR, error_interrupt);
	idt_set_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt);
	apic_init_boot_cpu(madt ? madt->lapic_address : 0, !nox2apic);
	smpboot_set_boot_cpu_id(apic_read_id());
	apic_timer_calibrate();
	pr_info("apic: boot CPU apic_id=%u, timer %llu kHz\n", apic_read_id(),
		(unsigned long long)(apic_timer_hz() / 1000));
}

void arch_set_raw_ipi_handler(void (*fn)(void))
{
	WRITE_ONCE(raw_ipi_fn, fn);
}

void arch_send_raw_ipi(unsigned int cpu)
{
	apic_send_ipi(cpu_physical_id(cpu), APIC_DM_FIXED | RAW_IPI_VECTOR);
}

const char *arch_ipi_mode_name(void)
{
	return apic_is_x2apic() ? "x2apic" : "xapic";
}

const char *arch_hypervisor_name(void)
{
	return cpu_hypervisor_name();
}

u32 arch_read_cpu_id(void)
{
	return apic_read_id();
}

u32 arch_max_cpu_id(void)
{
	return apic_max_id();
}

void arch_smp_bringup_done(bool all_online)
{
	/* "All but self" reaches every APIC in the system, including one
	 * whose CPU was left out of bring-up or never answered: only when
	 * every enabled processor is online (Linux's rule as well). */
	use_ipi_shorthand = all_online && num_online_cpus() > 2;
}

void arch_send_call_function_single_ipi(unsigned int cpu)
{
	apic_send_ipi(cpu_physical_id(cpu), APIC_DM_FIXED | CALL_FUNCTION_SINGLE_VECTOR);
}

void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	unsigned int cpu, n = cpumask_weight(mask);

	if (use_ipi_shorthand && n == num_online_cpus() - 1 &&
	    !cpumask_test_cpu(smp_processor_id(), mask)) {
		apic_send_ipi_allbutself(APIC_DM_FIXED | CALL_FUNCTION_SINGLE_VECTOR);
		return;
	}
	for_each_cpu(cpu, mask)
		arch_send_call_function_single_ipi(cpu);
}
