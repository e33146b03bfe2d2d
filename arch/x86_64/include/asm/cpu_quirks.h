/* SPDX-License-Identifier: MIT */
/*
 * Which CPUs have which errata (arch/x86_64/cpu_quirks.c): pure functions
 * of the CPU's identity, so the host tests check the lists; the code that
 * works around each erratum asks here.
 */
#ifndef ASM_CPU_QUIRKS_H
#define ASM_CPU_QUIRKS_H

#include <asm/cpu.h>
#include <xcall/types.h>

/* A CPU as errata lists name it: vendor, display family, display model
 * (extended model included) and stepping. */
struct cpu_ident {
	enum x86_vendor vendor;
	unsigned int family;
	unsigned int model;
	unsigned int stepping;
};

/**
 * cpu_get_ident() - this machine's CPU, as the lists take it
 * @id: filled from the boot CPU's CPUID (arch/x86_64/cpu.c)
 *
 * Context: any, after cpu_detect().
 */
void cpu_get_ident(struct cpu_ident *id);

/**
 * quirk_amd_e400() - is this a CPU of AMD erratum 400?
 * @id: the CPU
 *
 * Erratum 400 ("APIC timer interrupt does not wake up the processor from
 * C1E"): K8 from model 41h stepping 2 (revision F) on, and family 10h
 * from model 2 stepping 1 on, the ranges Linux checks in init_amd_k8()
 * and init_amd_gh(). Whether C1E is really on is the firmware's choice;
 * the caller asks the CPU.
 *
 * Context: any; pure.
 * Return: true for a CPU in those ranges.
 */
bool quirk_amd_e400(const struct cpu_ident *id);

#endif /* ASM_CPU_QUIRKS_H */
