// SPDX-License-Identifier: MIT
/*
 * The APIC's vectors other than the call's (arch/x86_64/smp.c has that
 * one): the timer that ends naps, the benchmark's raw IPI, the error and
 * spurious vectors; and the boot CPU's interrupt set-up. Owns the
 * nox2apic option.
 */
#include <asm/apic.h>
#include <asm/cpu_plan.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/io_apic.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

static bool nox2apic;
static void (*raw_ipi_fn)(void);

DEFINE_OPTION_FLAG(nox2apic, nox2apic,
		   "keep the local APIC in xAPIC mode even if x2APIC is available");

/* The APIC timer only ends naps: acknowledge and return. */
static void local_timer_interrupt(struct pt_regs *regs)
{
	apic_eoi();
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
	const struct cpu_plan *plan = smpboot_make_plan(nox2apic);

	/* No device interrupt is wanted: the I/O APICs' pins are masked
	 * before anything here could take one. */
	io_apic_mask_all();
	smp_intr_init();
	idt_set_handler(LOCAL_TIMER_VECTOR, local_timer_interrupt);
	idt_set_handler(RAW_IPI_VECTOR, raw_ipi_interrupt);
	idt_set_handler(ERROR_APIC_VECTOR, error_interrupt);
	idt_set_handler(SPURIOUS_APIC_VECTOR, spurious_interrupt);
	apic_init_boot_cpu(plan->have_madt ? plan->lapic_address : 0,
			   plan->apic_mode == CPU_PLAN_X2APIC);
	smpboot_set_boot_cpu_id(apic_read_id());
	smpboot_confirm_plan(apic_read_id());
	apic_timer_calibrate();
	/* Whether the timer just calibrated can end a nap. */
	idle_quirks_init();
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
