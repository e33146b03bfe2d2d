// SPDX-License-Identifier: MIT
/*
 * The hypervisor leaves of CPUID, decoded (see asm/hypervisor.h). No
 * CPUID here: arch/x86_64/cpu.c reads the leaves on the machine, the
 * host tests from tables. Built for the host tests too.
 */
#include <asm/hypervisor.h>
#include <xcall/string.h>

/* Old KVM hosts return 0 in the signature leaf's EAX, to be read as
 * "the features leaf is there" (Documentation/virt/kvm/x86/cpuid.rst). */
#define KVM_OLD_HOST_MAX_LEAF	0

static bool signature_is(const struct cpuid_regs *r, const char *sig)
{
	u32 regs[3] = { r->ebx, r->ecx, r->edx };

	return !memcmp(regs, sig, CPUID_HV_SIGNATURE_LEN);
}

static u32 kvm_base(cpuid_read_fn read, void *ctx)
{
	struct cpuid_regs r;

	for (u32 base = CPUID_HV_BASE_FIRST; base <= CPUID_HV_BASE_LAST;
	     base += CPUID_HV_BASE_STEP) {
		read(base, &r, ctx);
		if (signature_is(&r, CPUID_KVM_SIGNATURE))
			return base;
	}
	return 0;
}

void hv_probe(bool hypervisor_bit, cpuid_read_fn read, void *ctx, struct hv_info *hv)
{
	struct cpuid_regs r;
	u32 features;

	memset(hv, 0, sizeof(*hv));
	/* Without the bit the leaves are the CPU's: on Intel, 40000000h and
	 * up answer with the highest basic leaf's data (SDM vol. 2A, CPUID,
	 * "INPUT EAX = 0"), which a signature match would only misread. */
	if (!hypervisor_bit)
		return;

	read(CPUID_HV_BASE_FIRST, &r, ctx);
	memcpy(hv->name, &r.ebx, 4);
	memcpy(hv->name + 4, &r.ecx, 4);
	memcpy(hv->name + 8, &r.edx, 4);

	hv->kvm_base = kvm_base(read, ctx);
	if (!hv->kvm_base)
		return;
	read(hv->kvm_base, &r, ctx);
	features = hv->kvm_base + CPUID_KVM_FEATURES_OFFSET;
	/* Linux does not look at EAX here; see hv_probe()'s kernel-doc. */
	if (r.eax != KVM_OLD_HOST_MAX_LEAF && r.eax < features)
		return;
	read(features, &r, ctx);
	hv->kvm_hints_realtime = r.edx & KVM_EDX_HINTS_REALTIME;
}
