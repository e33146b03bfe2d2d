// SPDX-License-Identifier: MIT
/*
 * Many-target sends (arch/x86_64/apic.c's send_ipi_mask ops): in x2APIC
 * mode each CPU's LDR holds the logical ID the SDM derives from its x2APIC
 * ID, and a many-target call costs one ICR write per cluster of targets
 * while still running once on each target; in xAPIC mode it costs one
 * write per target. The writes are counted by the arch
 * (arch_call_icr_writes()) and read here on the sending CPU.
 */
#include <asm/apic.h>
#include <asm/x2apic_cluster.h>
#include <xcall/arch.h>
#include <xcall/cpumask.h>
#include <xcall/ktest.h>
#include <xcall/smp.h>
#include <xcall/time.h>

/* The LDR's cluster half (SDM vol. 3A, 11.12.10.2): bits 31:16. */
#define LDR_CLUSTER(ldr)	((ldr) >> 16)
/* Long enough for haltpoll targets to leave their polling window and
 * halt, so the call's IPIs are all sent (none saved by a polling target). */
#define SETTLE_MS		5

static u32 ldr[NR_CPUS], x2apic_id[NR_CPUS];
static unsigned int hits[NR_CPUS];

static void read_ldr(void *info)
{
	unsigned int cpu = smp_processor_id();

	ldr[cpu] = apic_read(APIC_LDR);
	x2apic_id[cpu] = apic_read(APIC_ID);
}

static void count_hit(void *info)
{
	unsigned int *h = &hits[smp_processor_id()];

	WRITE_ONCE(*h, READ_ONCE(*h) + 1);
}

static bool need_x2apic(struct ktest *t)
{
	if (!apic_is_x2apic()) {
		ktest_skip(t, "the APIC is in xAPIC mode: no logical x2APIC IDs, one write per target");
		return false;
	}
	return true;
}

static void ldr_matches_derived_id_on_every_cpu(struct ktest *t)
{
	unsigned int cpu, last = 0;

	if (!need_x2apic(t))
		return;
	on_each_cpu(read_ldr, NULL, 1);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, x2apic_id[cpu], cpu_physical_id(cpu));
		KTEST_EXPECT_EQ(t, ldr[cpu], apic_x2apic_ldr_from_id(x2apic_id[cpu]));
	}
	/* QEMU models the LDR and its IDs are small: no CPU's setup found a
	 * reason to turn many-target sends to physical unicasts. */
	KTEST_EXPECT_TRUE(t, apic_x2apic_uses_clusters());
	for_each_online_cpu(cpu)
		last = cpu;
	ktest_diag(t, "%u CPUs; the last, CPU %u: x2APIC ID 0x%x, LDR 0x%08x",
		   num_online_cpus(), last, x2apic_id[last], ldr[last]);
}

/* Distinct clusters the CPUs of @mask fall in, from the LDRs read_ldr()
 * took, in any order of CPU numbers: what one write per cluster costs.
 * Counted here from the hardware's LDRs, not with the sender's grouping
 * helper, so a grouping that merged only runs would be caught. */
static unsigned int clusters_of(const struct cpumask *mask)
{
	static u32 seen[NR_CPUS];
	unsigned int cpu, i, n = 0;

	for_each_cpu(cpu, mask) {
		for (i = 0; i < n && seen[i] != LDR_CLUSTER(ldr[cpu]); i++)
			;
		if (i == n)
			seen[n++] = LDR_CLUSTER(ldr[cpu]);
	}
	return n;
}

/*
 * Call @mask (never the whole of the other CPUs, so the all-but-self
 * shorthand stays out of it) and check that each target ran once, the
 * rest not at all, that the sender wrote the ICR @want_writes times, and,
 * from each CPU's count of call interrupts taken, that the IPIs went to
 * the targets and to no other CPU: a destination naming a CPU outside
 * the mask would run nothing there (its queue is empty), so only its
 * interrupt count shows it. The test's CPUs are otherwise quiet: nothing
 * else sends calls while it runs.
 */
static void check_many_call(struct ktest *t, const struct cpumask *mask,
			    unsigned int want_writes, const char *what)
{
	static u64 received[NR_CPUS];
	unsigned int me = smp_processor_id(), cpu, targets = cpumask_weight(mask);
	struct smp_call_stats before, after, s;
	u64 sent, writes;

	for_each_online_cpu(cpu)
		hits[cpu] = 0;
	mdelay(SETTLE_MS);
	for_each_online_cpu(cpu) {
		smp_call_stats_get(cpu, &s);
		received[cpu] = s.ipis_received;
	}
	smp_call_stats_get(me, &before);
	smp_call_function_many(mask, count_hit, NULL, true);
	smp_call_stats_get(me, &after);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, READ_ONCE(hits[cpu]), cpumask_test_cpu(cpu, mask) ? 1u : 0u);
	/* The targets took their interrupts before they ran the function the
	 * wait above saw finish; a stray one outside the mask is sent in the
	 * same writes, so it has been delivered by now too (SETTLE_MS more
	 * makes sure of it under TCG). */
	mdelay(SETTLE_MS);
	sent = after.ipis_sent - before.ipis_sent;
	writes = after.icr_writes - before.icr_writes;
	ktest_diag(t, "%s: %u targets, %llu IPIs sent, %llu ICR writes (want %u)", what,
		   targets, (unsigned long long)sent, (unsigned long long)writes, want_writes);
	for_each_online_cpu(cpu) {
		u64 got;

		smp_call_stats_get(cpu, &s);
		got = s.ipis_received - received[cpu];
		if (!cpumask_test_cpu(cpu, mask)) {
			if (!KTEST_EXPECT_EQ(t, got, 0ull))
				ktest_diag(t, "CPU %u, not a target, took %llu call IPIs",
					   cpu, (unsigned long long)got);
		} else if (sent == targets && !KTEST_EXPECT_GE(t, got, 1ull)) {
			ktest_diag(t, "CPU %u, a target, took no call IPI", cpu);
		}
	}
	if (sent != targets) {
		ktest_skip(t, "%llu of %u targets were polling and took no IPI: the write count says nothing",
			   (unsigned long long)(targets - sent), targets);
		return;
	}
	KTEST_EXPECT_EQ(t, writes, (u64)want_writes);
}

static bool need_targets(struct ktest *t, unsigned int min_cpus)
{
	if (num_online_cpus() < min_cpus) {
		ktest_skip(t, "%u CPUs online: a many-target call needs %u (two targets and one left out)",
			   num_online_cpus(), min_cpus);
		return false;
	}
	return true;
}

/* Every online CPU but @me and the highest other one: the shorthand,
 * which needs all the others, stays out of it. */
static void all_but_me_and_one(struct cpumask *mask, unsigned int me)
{
	unsigned int cpu, last = me;

	cpumask_copy(mask, cpu_online_mask);
	cpumask_clear_cpu(me, mask);
	for_each_cpu(cpu, mask)
		last = cpu;
	cpumask_clear_cpu(last, mask);
}

/* Two targets and one CPU left out (no shorthand): four CPUs. */
#define MIN_CPUS_MANY		4

static void many_call_costs_one_icr_write_per_cluster(struct ktest *t)
{
	unsigned int me = smp_processor_id();
	struct cpumask mask;

	if (!need_x2apic(t) || !need_targets(t, MIN_CPUS_MANY))
		return;
	on_each_cpu(read_ldr, NULL, 1);
	/* Every CPU but the caller and the last one online. */
	all_but_me_and_one(&mask, me);
	check_many_call(t, &mask, clusters_of(&mask), "all but two");
}

/* Every third CPU: a sparse bitmap in each cluster. */
#define SPARSE_STRIDE		3

static void sparse_mask_across_clusters_runs_once_each(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu, n;
	struct cpumask mask;

	if (!need_x2apic(t) || !need_targets(t, MIN_CPUS_MANY))
		return;
	on_each_cpu(read_ldr, NULL, 1);
	cpumask_clear(&mask);
	for_each_online_cpu(cpu)
		if (cpu != me && cpu % SPARSE_STRIDE == 1)
			cpumask_set_cpu(cpu, &mask);
	n = clusters_of(&mask);
	if (n < 2) {
		ktest_skip(t, "%u CPUs online, all in one x2APIC cluster: no mask spans two (needs more than 16)",
			   num_online_cpus());
		return;
	}
	check_many_call(t, &mask, n, "every third CPU");
}

/*
 * The fallback a wrong LDR or an ID past 2^20 turns on (apic.c,
 * x2apic_go_physical()): forced here, as QEMU's LDRs are right, it must
 * still reach every target once, one physical write each.
 */
static void physical_fallback_reaches_every_target_once(struct ktest *t)
{
	unsigned int me = smp_processor_id();
	struct cpumask mask;
	bool clusters;

	if (!need_x2apic(t) || !need_targets(t, MIN_CPUS_MANY))
		return;
	clusters = apic_x2apic_uses_clusters();
	all_but_me_and_one(&mask, me);
	apic_x2apic_force_physical(true);
	KTEST_EXPECT_FALSE(t, apic_x2apic_uses_clusters());
	check_many_call(t, &mask, cpumask_weight(&mask), "physical fallback, all but two");
	apic_x2apic_force_physical(!clusters);
	KTEST_EXPECT_EQ(t, apic_x2apic_uses_clusters(), clusters);
}

static void xapic_many_call_costs_one_write_per_target(struct ktest *t)
{
	unsigned int me = smp_processor_id();
	struct cpumask mask;

	if (apic_is_x2apic()) {
		ktest_skip(t, "the APIC is in x2APIC mode: clusters, checked above");
		return;
	}
	if (!need_targets(t, MIN_CPUS_MANY))
		return;
	all_but_me_and_one(&mask, me);
	check_many_call(t, &mask, cpumask_weight(&mask), "xAPIC, all but two");
}

static const struct ktest_case ipi_mask_cases[] = {
	KTEST_CASE(ldr_matches_derived_id_on_every_cpu),
	KTEST_CASE(many_call_costs_one_icr_write_per_cluster),
	KTEST_CASE(sparse_mask_across_clusters_runs_once_each),
	KTEST_CASE(physical_fallback_reaches_every_target_once),
	KTEST_CASE(xapic_many_call_costs_one_write_per_target),
};
KTEST_SUITE(ipi_mask, ipi_mask_cases);
