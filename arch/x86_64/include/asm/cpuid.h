/* SPDX-License-Identifier: MIT */
/*
 * CPUID leaves and feature bits xcall reads (SDM vol. 2A, CPUID), for
 * arch/x86_64/cpu.c and for boot/head.S's long-mode check.
 */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

#include <xcall/const.h>

#define CPUID_VENDOR_LEAF	0x0
#define CPUID_FEATURES_LEAF	0x1
#define CPUID_TOPOLOGY_LEAF	0xb
/* The hypervisor leaves (40000000h and up) are asm/hypervisor.h's. */
#define CPUID_EXT_MAX_LEAF	0x80000000
#define CPUID_EXT_FEATURES_LEAF	0x80000001
#define CPUID_BRAND_LEAF_FIRST	0x80000002
#define CPUID_BRAND_LEAVES	3
#define CPUID_POWER_LEAF	0x80000007

/* CPUID.1:EBX bits 31-24: the initial APIC ID. */
#define CPUID_1_EBX_APIC_ID_SHIFT	24

#define ECX_MWAIT		_BITU(3)
#define ECX_X2APIC		_BITU(21)
#define ECX_TSC_DEADLINE	_BITU(24)
#define ECX_HYPERVISOR		_BITU(31)
#define EDX_MCE			_BITU(7)
#define EDX_APIC		_BITU(9)
#define EDX_MCA			_BITU(14)
#define EDX_PAT			_BITU(16)
#define EDX_CLFLUSH		_BITU(19)
#define EXT_ECX_EXTAPIC		_BITU(3)	/* AMD extended APIC space */
#define EXT_EDX_NX		_BITU(20)
#define EXT_EDX_LM		_BITU(29)	/* long mode */
#define POWER_EDX_INVARIANT_TSC	_BITU(8)

#endif /* ASM_CPUID_H */
