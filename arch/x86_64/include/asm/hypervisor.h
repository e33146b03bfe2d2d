/* SPDX-License-Identifier: MIT */
/*
 * What CPUID's hypervisor leaves say (arch/x86_64/hypervisor.c): the
 * vendor signature at 40000000h, where KVM's leaves sit, and KVM's hints.
 * Pure decoding of leaves a caller reads, so the host tests feed it the
 * leaves of machines this one is not; arch/x86_64/cpu.c feeds it CPUID.
 */
#ifndef ASM_HYPERVISOR_H
#define ASM_HYPERVISOR_H

#include <xcall/types.h>

/*
 * Hypervisors put their leaves in blocks of 100h from 40000000h to
 * 4000FF00h, each block opening with a signature leaf (EAX: the block's
 * highest leaf; EBX, ECX, EDX: a 12-byte vendor signature). One that
 * offers another's interface too puts that one in a later block: QEMU/KVM
 * with Hyper-V enlightenments shows "Microsoft Hv" at 40000000h and KVM
 * at 40000100h. Linux's for_each_possible_hypervisor_cpuid_base()
 * (arch/x86/include/asm/cpuid/api.h) walks the same range.
 */
#define CPUID_HV_BASE_FIRST	0x40000000u
#define CPUID_HV_BASE_LAST	0x4000ff00u
#define CPUID_HV_BASE_STEP	0x100u
#define CPUID_HV_SIGNATURE_LEN	12
/* KVM's signature, all 12 bytes: "KVMKVMKVM" and three NULs
 * (Documentation/virt/kvm/x86/cpuid.rst, Linux's KVM_SIGNATURE). */
#define CPUID_KVM_SIGNATURE	"KVMKVMKVM\0\0\0"
/* KVM's features leaf sits right after its signature leaf; EDX holds
 * the hints (cpuid.rst, KVM_CPUID_FEATURES). */
#define CPUID_KVM_FEATURES_OFFSET	1
/* KVM_HINTS_REALTIME: each vCPU has a host CPU of its own and is never
 * preempted (cpuid.rst; Linux loads cpuidle-haltpoll only with it). */
#define KVM_EDX_HINTS_REALTIME	(1u << 0)

/* One CPUID leaf's registers. */
struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* Reads CPUID leaf @leaf, subleaf 0, into @r; @ctx is the caller's. */
typedef void (*cpuid_read_fn)(u32 leaf, struct cpuid_regs *r, void *ctx);

/* What the hypervisor leaves say. */
struct hv_info {
	/* 40000000h's signature as a string, "" without the hypervisor bit:
	 * the hypervisor a guest meets first, the one to name. */
	char name[CPUID_HV_SIGNATURE_LEN + 1];
	u32 kvm_base;		/* KVM's signature leaf, 0 when not under KVM */
	bool kvm_hints_realtime;	/* KVM_HINTS_REALTIME is set */
};

/**
 * hv_probe() - decode the hypervisor leaves
 * @hypervisor_bit: CPUID.1:ECX[31]; without it no leaf is read
 * @read: reads one leaf
 * @ctx: passed to @read
 * @hv: filled in
 *
 * Finds KVM as Linux's kvm_cpuid_base() does (arch/x86/kernel/kvm.c:
 * cpuid_base_hypervisor(KVM_SIGNATURE, 0) once the hypervisor bit is
 * set): the first block from 40000000h up whose signature is KVM's, all
 * 12 bytes; then reads the hints from its features leaf, as
 * kvm_arch_para_hints() does. Stricter than Linux in one way: Linux reads
 * the features leaf whatever the signature leaf's EAX says; here the
 * hints count only when EAX reaches the features leaf, or is 0, which
 * cpuid.rst says old hosts return and means the features leaf is there.
 * A leaf beyond the block's highest returns what the CPU or hypervisor
 * returns for an unknown leaf (on Intel, the highest basic leaf's data),
 * which is no hint.
 *
 * Context: any; pure apart from what @read does.
 */
void hv_probe(bool hypervisor_bit, cpuid_read_fn read, void *ctx, struct hv_info *hv);

#endif /* ASM_HYPERVISOR_H */
