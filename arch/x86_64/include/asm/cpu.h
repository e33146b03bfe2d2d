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
	X86_FEATURE_MCE,		/* CPUID.1:EDX[7] */
	X86_FEATURE_APIC,		/* CPUID.1:EDX[9] */
	X86_FEATURE_MCA,		/* CPUID.1:EDX[14] */
	X86_FEATURE_PAT,		/* CPUID.1:EDX[16] */
	X86_FEATURE_CLFLUSH,		/* CPUID.1:EDX[19] */
	X86_FEATURE_NX,			/* CPUID.80000001h:EDX[20] */
	X86_FEATURE_EXTAPIC,		/* CPUID.80000001h:ECX[3], AMD */
	X86_FEATURE_INVARIANT_TSC,	/* CPUID.80000007h:EDX[8] */
	X86_FEATURE_TOPOLOGY_LEAF,	/* CPUID leaf 0Bh present */
	X86_FEATURE_KVM_HINTS_REALTIME,	/* EDX[0] of KVM's features leaf (asm/hypervisor.h) */
	NR_X86_FEATURES,
};

enum x86_vendor {
	X86_VENDOR_OTHER,
	X86_VENDOR_INTEL,
	X86_VENDOR_AMD,
};

/**
 * cpu_detect() - read the boot CPU's CPUID
 *
 * Records the vendor, family, brand string, hypervisor name and the
 * features of enum x86_feature; the other CPUs are taken to match.
 *
 * Context: boot CPU, once, first thing in arch_early_setup().
 */
void cpu_detect(void);

/**
 * cpu_has() - does the boot CPU have a feature?
 * @f: the feature
 *
 * Context: any, after cpu_detect().
 * Return: true when CPUID reported @f; false for an @f out of range.
 */
bool cpu_has(enum x86_feature f);

/**
 * cpu_vendor() - who made the CPU
 *
 * Context: any, after cpu_detect().
 * Return: X86_VENDOR_INTEL, X86_VENDOR_AMD (Hygon counts as AMD), or
 * X86_VENDOR_OTHER.
 */
enum x86_vendor cpu_vendor(void);

/**
 * cpu_family() - the CPU's display family
 *
 * Context: any, after cpu_detect().
 * Return: the family, with the extended family added when the base
 * family is 0xf (SDM vol. 2A, CPUID.1:EAX).
 */
unsigned int cpu_family(void);

/**
 * cpu_model() - the CPU's display model
 *
 * Context: any, after cpu_detect().
 * Return: the model, with the extended model above it when the base
 * family is 6 or 0xf (SDM vol. 2A, CPUID.1:EAX), as errata lists name it.
 */
unsigned int cpu_model(void);

/**
 * cpu_stepping() - the CPU's stepping
 *
 * Context: any, after cpu_detect().
 * Return: CPUID.1:EAX[3:0].
 */
unsigned int cpu_stepping(void);

/**
 * cpu_model_name() - the CPU's brand string
 *
 * Context: any, after cpu_detect().
 * Return: the string, or "" when CPUID has none.
 */
const char *cpu_model_name(void);

/**
 * cpu_hypervisor_name() - the hypervisor's vendor string
 *
 * Context: any, after cpu_detect().
 * Return: the string (e.g. "TCGTCGTCGTCG", "KVMKVMKVM"), or "" on bare
 * metal.
 */
const char *cpu_hypervisor_name(void);

#endif /* ASM_CPU_H */
