// SPDX-License-Identifier: MIT
/*
 * The hardware side of idle: halt, a timed nap on the APIC timer, and
 * MONITOR/MWAIT. Which of them a CPU uses, and when, is kernel/idle.c's
 * policy; the polling handshake with senders is kernel/smp.c's.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/irq_vectors.h>
#include <xcall/arch.h>
#include <xcall/time.h>

/* The APIC timer's initial count register is 32 bits wide. */
#define APIC_TIMER_MAX_TICKS	0xffffffffull

void arch_idle_halt(void)
{
	arch_safe_halt();
}

void arch_idle_nap(unsigned int us)
{
	u64 ticks = apic_timer_hz() * us / USEC_PER_SEC;

	arch_local_irq_disable();
	/* The timer's handler only acknowledges: the nap ends with it. */
	apic_timer_oneshot(LOCAL_TIMER_VECTOR,
			   (u32)min(max(ticks, 1ull), APIC_TIMER_MAX_TICKS));
	arch_safe_halt();
}

bool arch_has_mwait(void)
{
	return cpu_has(X86_FEATURE_MWAIT);
}

void arch_monitor(const void *addr)
{
	cpu_monitor(addr);
}

void arch_mwait_irqs_on(void)
{
	/* sti delays interrupts until after the next instruction, so one
	 * that arrives now ends the MWAIT instead of slipping in before it
	 * (SDM vol. 2B, MWAIT, and STI). EAX 0: C1; ECX 0: no extensions. */
	__asm__ __volatile__("sti; mwait" : : "a"(0), "c"(0) : "memory");
}
