// SPDX-License-Identifier: MIT
/*
 * x2APIC cluster-mode destinations (see asm/x2apic_cluster.h): the SDM's
 * logical-ID derivation and the per-cluster grouping of a many-target
 * send. No APIC access: apic.c does the sending. Built for the host tests
 * too.
 */
#include <asm/x2apic_cluster.h>

u32 apic_x2apic_ldr_from_id(u32 x2apic_id)
{
	return ((x2apic_id >> X2APIC_CLUSTER_SHIFT) & X2APIC_LDR_CLUSTER_MASK)
			<< X2APIC_LDR_CLUSTER_SHIFT |
	       1u << (x2apic_id & X2APIC_MEMBER_MASK);
}

bool x2apic_id_has_logical_id(u32 x2apic_id)
{
	return x2apic_id < X2APIC_LOGICAL_ID_LIMIT;
}

/*
 * A linear search of the clusters opened so far: a send has at most a few
 * dozen (NR_CPUS / 16 with dense IDs), each compared once per target.
 * Linux's x2apic_cluster.c instead keeps a cpumask per cluster, built from
 * the present CPUs, and walks the targets cluster by cluster; this costs
 * no per-cluster state and the same number of writes.
 */
unsigned int x2apic_cluster_add(u32 *dests, unsigned int n, unsigned int cap,
				u32 logical_id)
{
	u32 cluster = logical_id & ~X2APIC_LDR_MEMBERS;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if ((dests[i] & ~X2APIC_LDR_MEMBERS) == cluster) {
			dests[i] |= logical_id;
			return n;
		}
	}
	if (n == cap)
		return 0;
	dests[n] = logical_id;
	return n + 1;
}
