/* SPDX-License-Identifier: MIT */
/*
 * The local APIC (arch/x86_64/apic.c), in xAPIC or x2APIC mode.
 *
 * The mode is chosen once on the boot CPU and an ops table filled in, as
 * Linux's struct apic and kvm-unit-tests' apic_ops do, so no send path
 * tests a mode flag. Register offsets are the xAPIC MMIO ones (SDM vol. 3A,
 * Table 11-1); in x2APIC mode register r is MSR 0x800 + (r >> 4) (Table
 * 11-6).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <xcall/const.h>

#define APIC_ID			0x020
#define  APIC_ID_SHIFT		24	/* xAPIC: the ID is in bits 24-31 */
#define APIC_LVR		0x030	/* version; bits 16-23: max LVT entry */
#define APIC_TASKPRI		0x080
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define  APIC_SPIV_ENABLE	_BITU(8)
#define APIC_ISR		0x100	/* 8 registers, 32 vectors each */
#define APIC_IRR		0x200
#define  APIC_IR_REGS		8
#define  APIC_IR_STRIDE		0x10
#define  APIC_IR_BITS		32
#define APIC_ESR		0x280
#define APIC_LVTCMCI		0x2f0	/* when the max LVT entry is 6 or more */
#define APIC_ICR		0x300
#define APIC_ICR2		0x310	/* xAPIC: destination in bits 24-31 */
#define APIC_LVTT		0x320
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define APIC_SELF_IPI		0x3f0	/* x2APIC only */
/* AMD's extended APIC space (AMD64 APM vol. 2, "Extended APIC
 * Registers"), present when CPUID 8000_0001h:ECX[3] says so. */
#define APIC_EFEAT		0x400	/* extended APIC feature register */
#define  APIC_EFEAT_XLC(v)	(((v) >> 16) & 0xff)	/* extended LVT count */
#define APIC_EILVT0		0x500	/* extended LVT n at 0x500 + 0x10 * n */
#define  APIC_EILVT_STRIDE	0x10
#define  APIC_EILVT_MAX		4

/* ICR and LVT fields (SDM vol. 3A, Figures 11-8 and 11-12). */
#define APIC_DM_FIXED		(_AC(0, U) << 8)
#define APIC_DM_NMI		(_AC(4, U) << 8)
#define APIC_DM_INIT		(_AC(5, U) << 8)
#define APIC_DM_STARTUP		(_AC(6, U) << 8)
#define APIC_DM_EXTINT		(_AC(7, U) << 8)
#define APIC_DEST_LOGICAL	_BITU(11)	/* destination mode */
#define APIC_ICR_BUSY		_BITU(12)	/* delivery status, xAPIC */
#define APIC_INT_ASSERT		_BITU(14)
#define APIC_INT_LEVELTRIG	_BITU(15)
#define APIC_LVT_MASKED		_BITU(16)
#define APIC_LVT_TIMER_PERIODIC	_BITU(17)
#define APIC_DEST_SELF		_BITU(18)
#define APIC_DEST_ALLINC	(_AC(2, U) << 18)
#define APIC_DEST_ALLBUT	(_AC(3, U) << 18)
#define APIC_TDR_DIV_1		0xb
#define APIC_XAPIC_DEST_SHIFT	24
#define APIC_VECTOR_MASK	_AC(0xff, U)

#ifndef __ASSEMBLY__
#include <xcall/types.h>

/**
 * apic_init_boot_cpu() - pick the mode, enable the boot CPU's APIC
 * @madt_address: the xAPIC MMIO base the MADT gives (0: use the MSR's)
 * @want_x2apic: the mode the boot plan chose (smpboot_make_plan()); a
 *               firmware that left x2APIC on keeps it whatever this says
 *
 * Prints "apic: using x2APIC" or "apic: using xAPIC" once. Panics when the
 * CPU has no local APIC or the xAPIC page cannot be mapped.
 *
 * Context: boot CPU, interrupts off, after paging_init().
 */
void apic_init_boot_cpu(u64 madt_address, bool want_x2apic);

/* Where apic_read_id_at_handover() found the boot CPU's APIC ID. */
enum apic_id_source {
	APIC_ID_FROM_X2APIC_REG,	/* the x2APIC ID MSR */
	APIC_ID_FROM_XAPIC_REG,		/* the xAPIC ID register (MMIO) */
	APIC_ID_FROM_CPUID,		/* APIC disabled: CPUID's initial ID */
};

/**
 * apic_read_id_at_handover() - the boot CPU's APIC ID, before the APIC is
 * set up
 * @src: set to where the ID was read
 *
 * Reads the APIC ID register in whatever mode firmware left the APIC:
 * the x2APIC ID MSR, or the xAPIC ID register through a mapping of the
 * page IA32_APIC_BASE names. Only where the APIC is globally disabled,
 * and its registers cannot be read, does it take CPUID's initial APIC ID,
 * which the register holds once the APIC is enabled.
 *
 * Context: boot CPU, interrupts off, after paging_init(), before
 * apic_init_boot_cpu().
 * Return: the APIC ID.
 */
u32 apic_read_id_at_handover(enum apic_id_source *src);

/**
 * apic_id_source_name() - a few words naming an enum apic_id_source
 * @src: the source
 *
 * Context: any.
 * Return: "the xAPIC ID register", ...
 */
const char *apic_id_source_name(enum apic_id_source src);

/**
 * apic_setup_cpu() - enable this CPU's APIC in the chosen mode
 *
 * Software-enables it with the spurious vector, accepts every priority,
 * masks the LVT entries xcall does not use (LINT1's NMI stays open on the
 * boot CPU only; CMCI and AMD's extended entries included), clears the
 * error status, and sends EOIs until no interrupt the firmware left is
 * in service any more.
 *
 * Context: the CPU being set up, interrupts off, after
 * apic_init_boot_cpu() chose the mode.
 */
void apic_setup_cpu(void);

/**
 * apic_soft_disable() - make this CPU's APIC refuse fixed interrupts
 *
 * For a CPU going down: software-disables the APIC, in either mode.
 * apic_setup_cpu() enables it again when the CPU is started.
 *
 * Context: the CPU itself, interrupts off.
 */
void apic_soft_disable(void);

/**
 * apic_is_x2apic() - is the chosen mode x2APIC?
 *
 * Context: any, after apic_init_boot_cpu().
 * Return: true for x2APIC, false for xAPIC.
 */
bool apic_is_x2apic(void);

/**
 * apic_read_id() - this CPU's APIC ID, from the APIC itself
 *
 * Context: any, after apic_init_boot_cpu().
 * Return: the calling CPU's APIC ID (8 bits in xAPIC mode, 32 in x2APIC mode).
 */
u32 apic_read_id(void);

/**
 * apic_max_id() - the largest APIC ID the mode can address
 *
 * Context: any, after apic_init_boot_cpu().
 * Return: 0xfe for xAPIC, 0xfffffffe for x2APIC: one below each mode's
 * broadcast address.
 */
u32 apic_max_id(void);

/**
 * apic_eoi() - signal the end of the interrupt being handled
 *
 * Context: an interrupt handler, interrupts off, once per interrupt the
 * APIC delivered (not for exceptions, and not for the spurious vector).
 */
void apic_eoi(void);

/**
 * apic_send_ipi() - send one IPI
 * @dest: the target's APIC ID (ignored with a shorthand in @icr_low)
 * @icr_low: delivery mode | vector | shorthand
 *
 * x2APIC: one MSR write, no busy-wait (the x2APIC ICR has no delivery
 * status). xAPIC: wait for the previous IPI to be accepted, then the high
 * and low words, with interrupts off between them.
 *
 * Context: any.
 */
void apic_send_ipi(u32 dest, u32 icr_low);

struct cpumask;

/**
 * apic_send_ipi_mask() - send one IPI to each CPU of a mask
 * @mask: the targets, online CPUs; the caller's own CPU may be in it
 * @icr_low: fixed delivery mode | vector (no shorthand, no destination mode)
 *
 * x2APIC: logical cluster mode, one ICR write per distinct cluster of
 * targets (up to 16 CPUs each), or one physical unicast per target once
 * an LDR or an APIC ID ruled logical destinations out
 * (apic_x2apic_uses_clusters()). xAPIC: one physical unicast per target.
 *
 * Context: any, as apic_send_ipi().
 * Return: the number of ICR writes it took.
 */
unsigned int apic_send_ipi_mask(const struct cpumask *mask, u32 icr_low);

/* apic_x2apic_ldr_from_id() and the cluster grouping: asm/x2apic_cluster.h. */

/**
 * apic_x2apic_prepare_cpu() - derive a CPU's logical x2APIC ID when it is numbered
 * @cpu: the logical CPU number smpboot gives it
 * @apic_id: its APIC ID
 *
 * Keeps the logical ID the SDM derives (vol. 3A, 11.12.10.2) for the
 * many-target send; an ID at or above 2^20, which the LDR cannot hold,
 * turns that send to physical unicasts, with one warning.
 *
 * Context: boot or bring-up, before @cpu is started.
 */
void apic_x2apic_prepare_cpu(unsigned int cpu, u32 apic_id);

/**
 * apic_x2apic_uses_clusters() - whether many-target sends use logical clusters
 *
 * Context: any.
 * Return: true in x2APIC mode while every CPU's LDR has matched its
 * derived logical ID and no ID is past 2^20; false in xAPIC mode or once
 * many-target sends went to physical unicasts.
 */
bool apic_x2apic_uses_clusters(void);

/**
 * apic_x2apic_force_physical() - turn the physical-unicast fallback on or off
 * @on: true for one physical unicast per target, false for clusters
 *
 * For tests/test_ipi_mask.c only, which checks the fallback on machines
 * whose LDRs are right, then puts back what apic_x2apic_uses_clusters()
 * said. Either mode reaches every target, so a send racing the switch
 * loses nothing.
 *
 * Context: any.
 */
void apic_x2apic_force_physical(bool on);

/**
 * apic_send_ipi_allbutself() - one IPI to every other CPU
 * @icr_low: delivery mode | vector; the all-but-self shorthand is added
 *
 * Reaches every CPU the APIC bus knows, including any that bring-up left
 * out: the caller decides when the shorthand is safe.
 *
 * Context: any, as apic_send_ipi().
 */
void apic_send_ipi_allbutself(u32 icr_low);

/**
 * apic_self_ipi() - interrupt this CPU
 * @vector: the vector, fixed delivery
 *
 * x2APIC has a register for it (SELF IPI); xAPIC sends through the ICR
 * with the self shorthand.
 *
 * Context: any; the interrupt is taken once interrupts are on.
 */
void apic_self_ipi(u8 vector);

/**
 * apic_read_esr() - read and clear the APIC's error status
 *
 * The ESR only latches new errors on a write, so this writes it first
 * (SDM vol. 3A, 11.5.3).
 *
 * Context: any, on the CPU whose errors are wanted.
 * Return: the error bits.
 */
u32 apic_read_esr(void);

/**
 * apic_read() - read an APIC register, for tests and diagnostics
 * @reg: the xAPIC offset (APIC_*), translated for x2APIC
 *
 * Context: any, after apic_init_boot_cpu().
 * Return: the register's value.
 */
u32 apic_read(u32 reg);

/**
 * apic_timer_calibrate() - measure the timer's input clock
 *
 * Counts the timer down for a fixed time on udelay(), so it needs the TSC
 * calibrated; leaves the timer stopped.
 *
 * Context: boot CPU, once, after time_init().
 */
void apic_timer_calibrate(void);

/**
 * apic_timer_hz() - the timer's frequency at divide-by-1
 *
 * Context: any.
 * Return: the frequency in Hz, 0 before apic_timer_calibrate().
 */
u64 apic_timer_hz(void);

/**
 * apic_timer_oneshot() - interrupt this CPU once, after a while
 * @vector: the vector to raise
 * @ticks: timer ticks at divide-by-1 (apic_timer_hz() per second); 0
 *         stops the timer
 *
 * Context: any; programs the calling CPU's timer only.
 */
void apic_timer_oneshot(u8 vector, u32 ticks);
#endif /* __ASSEMBLY__ */

#endif /* ASM_APIC_H */
