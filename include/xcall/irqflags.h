/* SPDX-License-Identifier: MIT */
/*
 * Turning interrupts off and on, with Linux's spelling
 * (include/linux/irqflags.h): local_irq_save(flags) is a macro that
 * assigns @flags, and whether a saved @flags had interrupts on is asked
 * with irqs_disabled_flags(), never by testing an arch bit. The arch_
 * primitives come from the arch through <xcall/arch.h>.
 */
#ifndef XCALL_IRQFLAGS_H
#define XCALL_IRQFLAGS_H

#include <xcall/arch.h>

#define local_irq_enable()		arch_local_irq_enable()
#define local_irq_disable()		arch_local_irq_disable()
#define local_irq_save(flags)		do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags)	arch_local_irq_restore(flags)
#define local_save_flags(flags)		do { (flags) = arch_local_save_flags(); } while (0)
#define irqs_disabled()			arch_irqs_disabled()
#define irqs_disabled_flags(flags)	arch_irqs_disabled_flags(flags)

#endif /* XCALL_IRQFLAGS_H */
