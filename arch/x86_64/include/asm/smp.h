/* SPDX-License-Identifier: MIT */
/*
 * Inside arch/x86_64: the call vector's set-up (arch/x86_64/smp.c).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

/**
 * smp_intr_init() - install the CALL_FUNCTION_SINGLE vector's handler
 *
 * Context: boot CPU, once, interrupts off, from arch_irq_init().
 */
void smp_intr_init(void);

#endif /* ASM_SMP_H */
