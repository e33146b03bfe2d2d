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

/**
 * quirk_monitor_misses_stores() - may a store to the monitored line fail
 * to end MWAIT on this CPU?
 * @id: the CPU
 *
 * Linux's X86_BUG_MONITOR list (arch/x86/kernel/cpu/intel.c): Intel
 * Goldmont (family 6 model 5Ch), Lunar Lake M (BDh), and Ice Lake X (6Ah,
 * erratum ICX143). A waiter there may sleep through the write it waits
 * for, so it must not wait with MWAIT at all.
 *
 * Context: any; pure.
 * Return: true for those models.
 */
bool quirk_monitor_misses_stores(const struct cpu_ident *id);

/**
 * quirk_clflush_before_monitor() - must the monitored line be flushed
 * before MONITOR on this CPU?
 * @id: the CPU
 *
 * Linux's X86_BUG_CLFLUSH_MONITOR list (arch/x86/kernel/cpu/intel.c):
 * Intel Dunnington (family 6 model 1Dh), Nehalem-EX (2Eh) and Westmere-EX
 * (2Fh), where MONITOR on a line held in the cache may miss a later
 * store to it (Intel's AAI65 erratum); a CLFLUSH between fences first
 * avoids that. Only where the CPU has CLFLUSH, which the caller checks.
 *
 * Context: any; pure.
 * Return: true for those models.
 */
bool quirk_clflush_before_monitor(const struct cpu_ident *id);

#endif /* ASM_CPU_QUIRKS_H */
