// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/hypervisor.c: the hypervisor leaves of
 * machines this one is not, from tables. Each machine answers the leaves
 * its table lists and gives every other leaf one fallback answer, as a
 * CPU or hypervisor answers a leaf beyond its range: QEMU and Intel CPUs
 * with the highest basic leaf's data (QEMU's cpu_x86_cpuid() clamps any
 * leaf above 40000001h to env->cpuid_level). The fallback's values are
 * made up; what matters is that they are no signature and no hint.
 */
#include <string.h>

#include <asm/hypervisor.h>

#include "check.h"

#define MAX_LEAVES	4
#define HINT		KVM_EDX_HINTS_REALTIME

struct leaf {
	u32 leaf;
	struct cpuid_regs r;
};

struct machine {
	struct leaf leaves[MAX_LEAVES];
	struct cpuid_regs fallback;
	unsigned int reads;
};

static const struct cpuid_regs highest_basic_leaf = { 0x7, 0x340, 0x340, 0x0 };

static void machine_read(u32 leaf, struct cpuid_regs *r, void *ctx)
{
	struct machine *m = ctx;

	m->reads++;
	for (unsigned int i = 0; i < MAX_LEAVES; i++) {
		if (m->leaves[i].leaf == leaf) {
			*r = m->leaves[i].r;
			return;
		}
	}
	*r = m->fallback;
}

/* A signature leaf: @max_leaf in EAX, the 12 bytes of @sig in EBX, ECX, EDX. */
static struct leaf signature(u32 base, u32 max_leaf, const char *sig)
{
	struct leaf l = { base, { max_leaf, 0, 0, 0 } };

	memcpy(&l.r.ebx, sig, 4);
	memcpy(&l.r.ecx, sig + 4, 4);
	memcpy(&l.r.edx, sig + 8, 4);
	return l;
}

static struct leaf edx_leaf(u32 leaf, u32 edx)
{
	return (struct leaf){ leaf, { 0, 0, 0, edx } };
}

static struct hv_info probe(struct machine *m, bool hypervisor_bit)
{
	struct hv_info hv;

	m->fallback = highest_basic_leaf;
	hv_probe(hypervisor_bit, machine_read, m, &hv);
	return hv;
}

/* QEMU/KVM as it comes: KVM at 40000000h, the hint where the host pins
 * vCPUs (-cpu ...,kvm-hint-dedicated=on) and not elsewhere. */
static void kvm_at_first_block(struct ktest *t)
{
	struct machine pinned = { .leaves = { signature(0x40000000, 0x40000001, CPUID_KVM_SIGNATURE),
				    edx_leaf(0x40000001, HINT) } };
	struct machine shared = { .leaves = { signature(0x40000000, 0x40000001, CPUID_KVM_SIGNATURE),
				    edx_leaf(0x40000001, 0) } };
	struct hv_info hv;

	hv = probe(&pinned, true);
	KTEST_EXPECT_STREQ(t, hv.name, "KVMKVMKVM");
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x40000000);
	KTEST_EXPECT_TRUE(t, hv.kvm_hints_realtime);

	hv = probe(&shared, true);
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x40000000);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

/* QEMU/KVM with Hyper-V enlightenments: Hyper-V at 40000000h (its
 * highest leaf 4000000Ah here), KVM at 40000100h. The hint is KVM's
 * block's, not whatever bit 0 of 40000001h's EDX holds. */
static void kvm_behind_hyperv(struct ktest *t)
{
	struct machine pinned = { .leaves = { signature(0x40000000, 0x4000000a, "Microsoft Hv"),
				    edx_leaf(0x40000001, 0),
				    signature(0x40000100, 0x40000101, CPUID_KVM_SIGNATURE),
				    edx_leaf(0x40000101, HINT) } };
	struct machine shared = { .leaves = { signature(0x40000000, 0x4000000a, "Microsoft Hv"),
				    edx_leaf(0x40000001, HINT),
				    signature(0x40000100, 0x40000101, CPUID_KVM_SIGNATURE),
				    edx_leaf(0x40000101, 0) } };
	struct hv_info hv;

	hv = probe(&pinned, true);
	KTEST_EXPECT_STREQ(t, hv.name, "Microsoft Hv");
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x40000100);
	KTEST_EXPECT_TRUE(t, hv.kvm_hints_realtime);

	hv = probe(&shared, true);
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x40000100);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

/* The last block the scan reaches, 4000FF00h. */
static void kvm_at_last_block(struct ktest *t)
{
	struct machine m = { .leaves = { signature(0x40000000, 0x40000001, "VMwareVMware"),
			       signature(0x4000ff00, 0x4000ff01, CPUID_KVM_SIGNATURE),
			       edx_leaf(0x4000ff01, HINT) } };
	struct hv_info hv = probe(&m, true);

	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x4000ff00);
	KTEST_EXPECT_TRUE(t, hv.kvm_hints_realtime);
}

/* VMware: a hypervisor, not KVM; bit 0 of its 40000001h's EDX means
 * nothing to KVM's hints. */
static void vmware_is_not_kvm(struct ktest *t)
{
	struct machine m = { .leaves = { signature(0x40000000, 0x40000010, "VMwareVMware"),
			       edx_leaf(0x40000001, HINT) } };
	struct hv_info hv = probe(&m, true);

	KTEST_EXPECT_STREQ(t, hv.name, "VMwareVMware");
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

/* QEMU's TCG (target/i386/cpu.c, cpu_x86_cpuid()): "TCGTCGTCGTCG" with
 * EAX 40000001h, 40000001h all zeros, every later leaf the highest
 * basic leaf's. What xcall's test boots run on: no KVM, no hint. */
static void tcg_is_not_kvm(struct ktest *t)
{
	struct machine m = { .leaves = { signature(0x40000000, 0x40000001, "TCGTCGTCGTCG"),
			       edx_leaf(0x40000001, 0) } };
	struct hv_info hv = probe(&m, true);

	KTEST_EXPECT_STREQ(t, hv.name, "TCGTCGTCGTCG");
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

/* A signature leaf whose EAX stops short of the features leaf: the hint
 * bit there is not read (xcall is stricter than Linux here). EAX 0 is
 * an old host's way of saying the features leaf is there (cpuid.rst). */
static void max_leaf_gates_the_features_leaf(struct ktest *t)
{
	struct machine too_small = { .leaves = { signature(0x40000000, 0x40000000, CPUID_KVM_SIGNATURE),
				       edx_leaf(0x40000001, HINT) } };
	struct machine old_host = { .leaves = { signature(0x40000000, 0, CPUID_KVM_SIGNATURE),
				      edx_leaf(0x40000001, HINT) } };
	struct hv_info hv;

	hv = probe(&too_small, true);
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0x40000000);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);

	hv = probe(&old_host, true);
	KTEST_EXPECT_TRUE(t, hv.kvm_hints_realtime);
}

/* KVM's signature is 12 bytes, the three NULs included. */
static void kvm_signature_is_all_twelve_bytes(struct ktest *t)
{
	struct machine m = { .leaves = { signature(0x40000000, 0x40000001, "KVMKVMKVMxyz"),
			       edx_leaf(0x40000001, HINT) } };
	struct hv_info hv = probe(&m, true);

	KTEST_EXPECT_EQ(t, hv.kvm_base, 0);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

/* Bare metal: no hypervisor bit, no leaf read, even where 40000000h
 * happens to hold KVM's bytes. */
static void bare_metal_reads_nothing(struct ktest *t)
{
	struct machine m = { .leaves = { signature(0x40000000, 0x40000001, CPUID_KVM_SIGNATURE),
			       edx_leaf(0x40000001, HINT) } };
	struct hv_info hv = probe(&m, false);

	KTEST_EXPECT_EQ(t, m.reads, 0);
	KTEST_EXPECT_STREQ(t, hv.name, "");
	KTEST_EXPECT_EQ(t, hv.kvm_base, 0);
	KTEST_EXPECT_FALSE(t, hv.kvm_hints_realtime);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(kvm_at_first_block),
	KTEST_CASE(kvm_behind_hyperv),
	KTEST_CASE(kvm_at_last_block),
	KTEST_CASE(vmware_is_not_kvm),
	KTEST_CASE(tcg_is_not_kvm),
	KTEST_CASE(max_leaf_gates_the_features_leaf),
	KTEST_CASE(kvm_signature_is_all_twelve_bytes),
	KTEST_CASE(bare_metal_reads_nothing),
};

int main(void)
{
	return host_main("hypervisor", cases, sizeof(cases) / sizeof(cases[0]));
}
