// SPDX-License-Identifier: MIT
/*
 * Host tests for arch/x86_64/x2apic_cluster.c: the SDM's logical-ID
 * derivation and the grouping of a many-target send into one destination
 * per distinct cluster, on APIC-ID tables QEMU does not make (clusters
 * interleaved in CPU order, a boot CPU in cluster 1, IDs past 2^20).
 */
#include <asm/x2apic_cluster.h>

#include "check.h"

#define CAP		8
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Group @ids in order as apic.c does, flushing a full array as it does;
 * return the destinations written, in @sent. */
static unsigned int group(const u32 *ids, unsigned int count, unsigned int cap,
			  u32 *sent)
{
	u32 dests[CAP];
	unsigned int n = 0, writes = 0;

	for (unsigned int i = 0; i < count; i++) {
		u32 ldr = apic_x2apic_ldr_from_id(ids[i]);
		unsigned int m = x2apic_cluster_add(dests, n, cap, ldr);

		if (!m) {
			for (unsigned int j = 0; j < n; j++)
				sent[writes++] = dests[j];
			m = x2apic_cluster_add(dests, 0, cap, ldr);
		}
		n = m;
	}
	for (unsigned int j = 0; j < n; j++)
		sent[writes++] = dests[j];
	return writes;
}

static void ldr_from_id_follows_sdm(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(0), 0x00000001u);
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(15), 0x00008000u);
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(16), 0x00010001u);
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(0x123), 0x00120008u);
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(0xfffff), 0xffff8000u);
}

static void ids_past_2_20_alias(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apic_x2apic_ldr_from_id(0x100000), apic_x2apic_ldr_from_id(0));
	KTEST_EXPECT_TRUE(t, x2apic_id_has_logical_id(0xfffff));
	KTEST_EXPECT_FALSE(t, x2apic_id_has_logical_id(0x100000));
	KTEST_EXPECT_FALSE(t, x2apic_id_has_logical_id(0xffffffffu));
}

/* The boot CPU (CPU 0) in cluster 1, the rest from ID 0: CPU order goes
 * cluster 1, 0, 0, ..., 1. One write per cluster, not per run. */
static void interleaved_clusters_one_write_each(struct ktest *t)
{
	static const u32 ids[] = { 16, 0, 1, 17, 2, 18, 3 };
	u32 sent[ARRAY_LEN(ids)];
	unsigned int w = group(ids, ARRAY_LEN(ids), CAP, sent);

	if (!KTEST_EXPECT_EQ(t, w, 2u))
		return;
	KTEST_EXPECT_EQ(t, sent[0], 0x00010000u | 1u << 0 | 1u << 1 | 1u << 2);
	KTEST_EXPECT_EQ(t, sent[1], 0x00000000u | 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3);
}

static void one_cluster_one_write(struct ktest *t)
{
	static const u32 ids[] = { 32, 47, 40 };
	u32 sent[ARRAY_LEN(ids)];

	KTEST_EXPECT_EQ(t, group(ids, ARRAY_LEN(ids), CAP, sent), 1u);
	KTEST_EXPECT_EQ(t, sent[0], 0x00020000u | 1u << 0 | 1u << 15 | 1u << 8);
}

/* Three clusters through two slots: the full array is sent, every target
 * still named exactly once. */
static void full_array_flushes_and_loses_no_target(struct ktest *t)
{
	static const u32 ids[] = { 0, 16, 32, 1, 17 };
	u32 sent[ARRAY_LEN(ids)], members = 0;
	unsigned int w = group(ids, ARRAY_LEN(ids), 2, sent);

	if (!KTEST_EXPECT_EQ(t, w, 5u))
		return;
	KTEST_EXPECT_EQ(t, sent[0], 0x00000001u);
	KTEST_EXPECT_EQ(t, sent[1], 0x00010001u);
	KTEST_EXPECT_EQ(t, sent[2], 0x00020001u);
	KTEST_EXPECT_EQ(t, sent[3], 0x00000002u);
	KTEST_EXPECT_EQ(t, sent[4], 0x00010002u);
	KTEST_EXPECT_EQ(t, x2apic_cluster_add(sent, 4, 4, 0x00030001u), 0u);
	for (unsigned int i = 0; i < w; i++)
		members += __builtin_popcount(sent[i] & X2APIC_LDR_MEMBERS);
	KTEST_EXPECT_EQ(t, members, 5u);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(ldr_from_id_follows_sdm),
	KTEST_CASE(ids_past_2_20_alias),
	KTEST_CASE(interleaved_clusters_one_write_each),
	KTEST_CASE(one_cluster_one_write),
	KTEST_CASE(full_array_flushes_and_loses_no_target),
};

int main(void)
{
	return host_main("x2apic_cluster", cases, ARRAY_LEN(cases));
}
