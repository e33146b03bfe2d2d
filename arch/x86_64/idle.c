// SPDX-License-Identifier: MIT
/*
 * The hardware side of idle: halt, a timed nap on the APIC timer, and
 * MONITOR/MWAIT, with the CPU errata that decide which of them can be
 * trusted. Which of them a CPU uses, and when, is kernel/idle.c's
 * policy; the polling handshake with senders is kernel/smp.c's.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/cpu_quirks.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/setup.h>
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/printk.h>
#include <xcall/time.h>

/* The APIC timer's initial count register is 32 bits wide. */
#define APIC_TIMER_MAX_TICKS	0xffffffffull

/* Where AMD's K8 and family 10h say C1E is on: the interrupt-pending
 * message register's C1E bits (BKDG for family 0Fh/10h; Linux's
 * MSR_K8_INT_PENDING_MSG and K8_INTP_C1E_ACTIVE_MASK). */
#define MSR_K8_INT_PENDING_MSG	0xc0010055
#define K8_INTP_C1E_ACTIVE_MASK	0x18000000ull

/* The APIC timer cannot be trusted to end a halt on this machine. */
static bool nap_timer_stops;
/* MWAIT is there and can be trusted to end on a store to the line. */
static bool mwait_usable;
/* MONITOR needs the line flushed first. */
static bool monitor_needs_clflush;

/* Linux's two MONITOR errata lists (arch/x86/kernel/cpu/intel.c). */
static void mwait_quirks_init(const struct cpu_ident *id)
{
	if (!cpu_has(X86_FEATURE_MWAIT))
		return;
	if (quirk_monitor_misses_stores(id)) {
		pr_info("idle: MONITOR may miss stores on this CPU (family 6 model 0x%x, Linux's X86_BUG_MONITOR): the poll loop does not use MWAIT\n",
			id->model);
		return;
	}
	mwait_usable = true;
	if (cpu_has(X86_FEATURE_CLFLUSH) && quirk_clflush_before_monitor(id)) {
		monitor_needs_clflush = true;
		pr_info("idle: the monitored line is flushed before MONITOR on this CPU (family 6 model 0x%x, Linux's X86_BUG_CLFLUSH_MONITOR)\n",
			id->model);
	}
}

void idle_quirks_init(void)
{
	struct cpu_ident id;
	u64 intp;

	/*
	 * AMD erratum 400: on K8 revision F and later and family 10h, when
	 * the firmware turns C1E on, a halted core enters C1E once all cores
	 * halt, and there the APIC timer stops: a nap that waits for it never
	 * ends unless another interrupt comes (the boot CPU's nap during
	 * bring-up, where none does). Linux finds the CPUs by model, then
	 * asks the CPU whether C1E is on (arch_post_acpi_subsys_init()); so
	 * does this. The MSR may be missing under a hypervisor, which does
	 * not emulate C1E: a #GP means no.
	 */
	cpu_get_ident(&id);
	mwait_quirks_init(&id);
	if (!quirk_amd_e400(&id))
		return;
	if (rdmsr_safe(MSR_K8_INT_PENDING_MSG, &intp) || !(intp & K8_INTP_C1E_ACTIVE_MASK)) {
		pr_info("idle: AMD erratum 400 CPU (family 0x%x model 0x%x stepping %u), C1E off\n",
			id.family, id.model, id.stepping);
		return;
	}
	nap_timer_stops = true;
	pr_info("idle: AMD C1E is on and the APIC timer stops in it (erratum 400): naps poll the clock instead\n");
	if (!cpu_has(X86_FEATURE_INVARIANT_TSC))
		pr_warn("idle: the TSC is not invariant and may stop in C1E too: times measured across halts are not to be trusted\n");
}

void arch_idle_halt(void)
{
	arch_safe_halt();
}

void arch_idle_nap(unsigned int us)
{
	u64 ticks = apic_timer_hz() * us / USEC_PER_SEC;

	/* The nap is then a wait on the clock, interrupts on, so anything
	 * that does come in is still taken at once. */
	if (nap_timer_stops) {
		udelay(us);
		return;
	}

	arch_local_irq_disable();
	/* The timer's handler only acknowledges: the nap ends with it. */
	apic_timer_oneshot(LOCAL_TIMER_VECTOR,
			   (u32)min(max(ticks, 1ull), APIC_TIMER_MAX_TICKS));
	arch_safe_halt();
}

bool arch_has_mwait(void)
{
	return mwait_usable;
}

void arch_monitor(const void *addr)
{
	/* The fences keep the flush after every earlier store to the line
	 * and before the MONITOR that arms on it, as Linux orders them. */
	if (monitor_needs_clflush) {
		smp_mb();
		clflush(addr);
		smp_mb();
	}
	cpu_monitor(addr);
}

void arch_mwait_irqs_on(void)
{
	/* sti delays interrupts until after the next instruction, so one
	 * that arrives now ends the MWAIT instead of slipping in before it
	 * (SDM vol. 2B, MWAIT, and STI). EAX 0: C1; ECX 0: no extensions. */
	__asm__ __volatile__("sti; mwait" : : "a"(0), "c"(0) : "memory");
}
