/* SPDX-License-Identifier: MIT */
/*
 * CPU identification (arch/x86_64/cpu.c): the features xcall relies on,
 * read once from CPUID on the boot CPU.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <xcall/types.h>

enum x86_feature {
	X86_FEATURE_X2APIC,		/* CPUID.1:ECX[21] */
	X86_FEATURE_TSC_DEADLINE,	/* CPUID.1:ECX[24] */
	X86_FEATURE_HYPERVISOR,		/* CPUID.1:ECX[31] */
	X86_FEATURE_MWAIT,		/* CPUID.1:ECX[3] */
	X86_FEATURE_APIC,		/* CPUID.1:EDX[9] */
	X86_FEATURE_PAT,		/* CPUID.1:EDX[16] */
	X86_FEATURE_NX,			/* CPUID.80000001h:EDX[20] */
	X86_FEATURE_INVARIANT_TSC,	/* CPUID.80000007h:EDX[8] */
	X86_FEATURE_TOPOLOGY_LEAF,	/* CPUID leaf 0Bh present */
	NR_X86_FEATURES,
};

enum x86_vendor {
	X86_VENDOR_OTHER,
	X86_VENDOR_INTEL,
	X86_VENDOR_AMD,
};

/** cpu_detect() - read the boot CPU's CPUID; boot CPU, once, early. */
void cpu_detect(void);

/** cpu_has() - does the boot CPU have @f? */
bool cpu_has(enum x86_feature f);

enum x86_vendor cpu_vendor(void);
/** cpu_family() - the display family (SDM vol. 2A, CPUID.1:EAX). */
unsigned int cpu_family(void);
/** cpu_model_name() - the brand string, or "" when there is none. */
const char *cpu_model_name(void);
/** cpu_hypervisor_name() - the hypervisor's vendor string, or "". */
const char *cpu_hypervisor_name(void);

#endif /* ASM_CPU_H */
