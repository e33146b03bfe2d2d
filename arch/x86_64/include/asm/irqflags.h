/* SPDX-License-Identifier: MIT */
/*
 * The interrupt flag: the arch side of include/xcall/irqflags.h, spelled
 * as Linux's arch/x86/include/asm/irqflags.h spells it. Generic code uses
 * local_irq_save(flags) and irqs_disabled_flags(flags) and never looks at
 * an EFLAGS bit itself.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/processor-flags.h>
#include <xcall/types.h>

static inline unsigned long arch_local_save_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=rm"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (!arch_irqs_disabled_flags(flags))
		arch_local_irq_enable();
}

static inline bool arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

/* sti takes effect after the next instruction, so an interrupt that
 * arrives between the two still ends the hlt: no lost wake-up (SDM
 * vol. 2B, STI). */
static inline void arch_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

#endif /* ASM_IRQFLAGS_H */
