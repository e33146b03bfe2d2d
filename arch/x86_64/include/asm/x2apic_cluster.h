/* SPDX-License-Identifier: MIT */
/*
 * x2APIC cluster-mode destinations (arch/x86_64/x2apic_cluster.c): the
 * logical ID the SDM derives from an x2APIC ID, and the grouping of a
 * many-target send's logical IDs into one ICR destination per cluster.
 * Pure arithmetic on IDs, no APIC access: apic.c sends what it computes,
 * and the host tests feed it APIC-ID tables this machine does not have.
 */
#ifndef ASM_X2APIC_CLUSTER_H
#define ASM_X2APIC_CLUSTER_H

#include <xcall/types.h>

/*
 * x2APIC logical destinations are cluster-mode only (SDM vol. 3A,
 * 11.12.10.1 and 11.12.10.2, "Deriving Logical x2APIC ID from the Local
 * x2APIC ID"; 10.12.10.x in the editions before the APIC chapter became
 * 11): the LDR is read-only and the hardware derives it from the x2APIC
 * ID, the cluster (ID bits 19:4) in LDR bits 31:16 and one bit, for ID
 * bits 3:0, in the 16-bit member bitmap. An ICR write in logical mode
 * whose destination is cluster << 16 | bitmap reaches every member of
 * that cluster named in the bitmap: up to 16 CPUs for one write.
 */
#define X2APIC_CLUSTER_SHIFT	4	/* x2APIC ID bits 3:0: member */
#define X2APIC_CLUSTER_SIZE	(1u << X2APIC_CLUSTER_SHIFT)
#define X2APIC_MEMBER_MASK	0xfu
#define X2APIC_LDR_CLUSTER_SHIFT 16	/* LDR bits 31:16: cluster */
#define X2APIC_LDR_CLUSTER_MASK	0xffffu	/* x2APIC ID bits 19:4 */
#define X2APIC_LDR_MEMBERS	0xffffu	/* LDR bits 15:0: member bitmap */
/* The cluster field holds ID bits 19:4: an ID at or above 2^20 has bits
 * the LDR cannot hold, and its logical ID aliases that of a lower one. */
#define X2APIC_LOGICAL_ID_LIMIT	(1u << 20)

/**
 * apic_x2apic_ldr_from_id() - the logical x2APIC ID the SDM derives
 * @x2apic_id: an x2APIC ID
 *
 * Cluster (ID bits 19:4) in bits 31:16, and bit (ID bits 3:0) of the
 * member bitmap (SDM vol. 3A, 11.12.10.2). IDs at or above
 * X2APIC_LOGICAL_ID_LIMIT alias a lower ID's logical ID: see
 * x2apic_id_has_logical_id().
 *
 * Context: any.
 * Return: the logical ID an x2APIC with @x2apic_id has in its LDR.
 */
u32 apic_x2apic_ldr_from_id(u32 x2apic_id);

/**
 * x2apic_id_has_logical_id() - whether a logical destination reaches this ID alone
 * @x2apic_id: an x2APIC ID
 *
 * Context: any.
 * Return: true if @x2apic_id is below X2APIC_LOGICAL_ID_LIMIT, so its
 * derived logical ID is its own; false if it aliases another's.
 */
bool x2apic_id_has_logical_id(u32 x2apic_id);

/**
 * x2apic_cluster_add() - add one target to a send's per-cluster destinations
 * @dests: the destinations so far, one per cluster (cluster << 16 | members)
 * @n: how many of @dests are in use
 * @cap: how many @dests can hold
 * @logical_id: the target's logical x2APIC ID
 *
 * Merges @logical_id into the destination of its cluster wherever that
 * sits in @dests, so a send costs one write per distinct cluster whatever
 * the order of the targets' CPU numbers; opens a new destination for a
 * cluster not yet in @dests.
 *
 * Context: any.
 * Return: the new count of @dests in use; 0 if @logical_id's cluster is
 * not in @dests and @dests is full (@n == @cap): the caller sends @dests
 * and starts again from an empty array.
 */
unsigned int x2apic_cluster_add(u32 *dests, unsigned int n, unsigned int cap,
				u32 logical_id);

#endif /* ASM_X2APIC_CLUSTER_H */
