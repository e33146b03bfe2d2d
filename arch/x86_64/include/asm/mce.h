/* SPDX-License-Identifier: MIT */
/*
 * Machine checks (arch/x86_64/mce.c): the MCA banks set up on every CPU,
 * CR4.MCE on, and the #MC report. The registers are the SDM's (vol. 3B,
 * 16.3, "Machine-Check MSRs"); AMD implements the same legacy set.
 */
#ifndef ASM_MCE_H
#define ASM_MCE_H

#include <xcall/const.h>

#define MSR_IA32_MCG_CAP	0x00000179
#define  MCG_CAP_COUNT_MASK	_AC(0xff, ULL)	/* error-reporting banks */
#define  MCG_CAP_CTL_P		_BITULL(8)	/* IA32_MCG_CTL exists */
#define  MCG_CAP_CMCI_P		_BITULL(10)	/* corrected-error interrupt */
#define MSR_IA32_MCG_STATUS	0x0000017a
#define  MCG_STATUS_RIPV	_BITULL(0)	/* the interrupted RIP may be resumed */
#define  MCG_STATUS_EIPV	_BITULL(1)	/* the RIP points at the error */
#define  MCG_STATUS_MCIP	_BITULL(2)	/* a machine check is in progress */
#define MSR_IA32_MCG_CTL	0x0000017b

/* Bank i's four registers start at MSR 0x400 + 4 * i (SDM vol. 3B,
 * 16.3.2). Banks above 31 would run into IA32_VMX_BASIC at 0x480. */
#define MSR_IA32_MC0_CTL	0x00000400
#define MCA_BANK_MSRS		4
#define MCA_CTL			0
#define MCA_STATUS		1
#define MCA_ADDR		2
#define MCA_MISC		3
#define MCA_MAX_BANKS		32
#define MSR_IA32_MCx(bank, reg)	(MSR_IA32_MC0_CTL + MCA_BANK_MSRS * (bank) + (reg))

/* IA32_MCi_STATUS (SDM vol. 3B, 16.3.2.2). */
#define MCI_STATUS_VAL		_BITULL(63)	/* the bank holds an error */
#define MCI_STATUS_OVER		_BITULL(62)	/* an earlier one was overwritten */
#define MCI_STATUS_UC		_BITULL(61)	/* uncorrected */
#define MCI_STATUS_EN		_BITULL(60)	/* reporting was enabled */
#define MCI_STATUS_MISCV	_BITULL(59)	/* IA32_MCi_MISC is valid */
#define MCI_STATUS_ADDRV	_BITULL(58)	/* IA32_MCi_ADDR is valid */
#define MCI_STATUS_PCC		_BITULL(57)	/* processor context corrupt */
#define MCI_STATUS_S		_BITULL(56)	/* signalled by #MC (software recoverable) */
#define MCI_STATUS_AR		_BITULL(55)	/* action required */

#ifndef __ASSEMBLY__
#include <xcall/types.h>

/**
 * mce_cpu_init() - machine checks on for this CPU
 *
 * The SDM's initialisation (vol. 3B, 16.8): every MCA bank enabled,
 * errors left from before this boot reported and cleared, then CR4.MCE
 * set. Without CR4.MCE a machine check shuts the processor down, and an
 * uncorrected error broadcast to every thread resets the whole PC with
 * nothing on the screen.
 *
 * Context: the CPU being set up, interrupts off, after its IDT (with the
 * #MC IST stack) is loaded.
 */
void mce_cpu_init(void);

/**
 * mce_start() - come into the machine-check handler and wait for this
 * CPU's turn to report
 * @cpu: the calling CPU
 *
 * Turns the console lock off for good (console_panic_mode()), takes a
 * ticket in the order the CPUs came in, and waits until every CPU before
 * it has reported, or MCE_RENDEZVOUS_MS have passed.
 *
 * Context: the #MC handler, on its IST stack, interrupts off; before
 * anything is printed.
 * Return: the ticket, for mce_end(); 0 for the first CPU in, the one
 * that panics.
 */
unsigned int mce_start(unsigned int cpu);

/**
 * mce_report() - print what this CPU's MCA banks hold
 * @cpu: the calling CPU, for the report
 *
 * One line for IA32_MCG_STATUS, then one per bank with a valid error:
 * IA32_MCi_STATUS, and IA32_MCi_ADDR and IA32_MCi_MISC where the status
 * says they are valid. Each bank reported is cleared, so a CPU sharing
 * it, which reports later, does not print it twice.
 *
 * Context: the #MC handler, between mce_start() and mce_end().
 */
void mce_report(unsigned int cpu);

/**
 * mce_end() - hand the turn on, and wait for the others or the panic
 * @cpu: the calling CPU
 * @ticket: what mce_start() returned
 *
 * The first CPU in waits until every online CPU has reported, or
 * MCE_RENDEZVOUS_MS have passed, says how many did, and returns to
 * panic. Every other CPU spins until that panic stops it.
 *
 * Context: the #MC handler, after this CPU's report; comes back only on
 * the first CPU in (@ticket 0).
 */
void mce_end(unsigned int cpu, unsigned int ticket);

/**
 * mce_has_cmci() - does this CPU signal corrected errors by interrupt?
 *
 * Context: any CPU, about itself, after cpu_detect().
 * Return: true when it has MCA and IA32_MCG_CAP sets MCG_CAP_CMCI_P (SDM
 * vol. 3B, 16.5.1): only then is there a CMCI LVT entry to mask.
 */
bool mce_has_cmci(void);

/**
 * mce_enabled() - does the kernel turn machine checks on?
 *
 * Context: any, after cpu_detect().
 * Return: true when CPUID reports the machine-check exception, and so
 * CR4.MCE is set on every CPU.
 */
bool mce_enabled(void);
#endif /* __ASSEMBLY__ */

#endif /* ASM_MCE_H */
