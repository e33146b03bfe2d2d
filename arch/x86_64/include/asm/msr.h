/* SPDX-License-Identifier: MIT */
/*
 * Model-specific registers xcall uses, with their SDM names (Intel SDM
 * vol. 4, "Model-Specific Registers"), and the two instructions.
 */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include <xcall/const.h>

#define MSR_IA32_APIC_BASE	0x0000001b
#define  APIC_BASE_BSP		_BITULL(8)	/* this is the boot CPU */
#define  APIC_BASE_EXTD		_BITULL(10)	/* x2APIC mode */
#define  APIC_BASE_ENABLE	_BITULL(11)	/* APIC globally enabled */
#define  APIC_BASE_ADDR_MASK	_AC(0xffffff000, ULL)
#define MSR_IA32_MISC_ENABLE	0x000001a0
#define MSR_IA32_PAT		0x00000277
#define MSR_IA32_TSC_DEADLINE	0x000006e0
#define MSR_X2APIC_BASE		0x00000800	/* + (xAPIC offset >> 4) */
#define MSR_EFER		0xc0000080
#define  EFER_SCE		_BITU(0)
#define  EFER_LME		_BITU(8)
#define  EFER_LMA		_BITU(10)
#define  EFER_NXE		_BITU(11)
/* EFER as boot/head.S writes it, whole: long mode only. NXE follows in
 * paging_init() when the CPU has NX; the AP trampoline writes both. */
#define BOOT_EFER		EFER_LME
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

#ifndef __ASSEMBLY__
#include <xcall/types.h>

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

/**
 * rdmsr_safe() - read an MSR that may not exist
 * @msr: the MSR
 * @val: set to its value when the read worked
 *
 * For model-specific MSRs a CPU or a hypervisor may not implement: the
 * #GP that RDMSR raises then is caught (arch/x86_64/entry.S).
 *
 * Context: any.
 * Return: 0, or -EIO when the read raised #GP.
 */
int rdmsr_safe(u32 msr, u64 *val);

#endif /* __ASSEMBLY__ */

#endif /* ASM_MSR_H */
