// SPDX-License-Identifier: MIT
/*
 * Stuck-call detection, with IPIs really lost: under ipi_drop=N every Nth
 * call IPI a CPU sends is thrown away, so a waiter sees its call sit in
 * the target's queue. After csd_timeout_ms it must say so and send the
 * IPI again, and every call must still complete. The suite runs only when
 * ipi_drop= is set, and needs idle=hlt; the matrix boots it with
 * selftest=smp_csd_timeout, since other suites wait on calls without the
 * detector's help.
 */
#include <xcall/atomic.h>
#include <xcall/ktest.h>
#include <xcall/smp.h>
#include <xcall/idle.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>

#define CALLS_PER_CPU	12

static unsigned int hits[NR_CPUS];

static void count_hit(void *info)
{
	atomic_inc(&hits[smp_processor_id()]);
}

static bool ipi_drop_set(void)
{
	return smp_ipi_drop_rate() != 0;
}

/* Clear the counts; false (and a skip) when no IPI can be lost. */
static bool start(struct ktest *t)
{
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU");
		return false;
	}
	/* A polling CPU takes calls without IPIs: none to lose. */
	if (strcmp(idle_method_name(), "hlt")) {
		ktest_skip(t, "needs idle=hlt, not idle=%s", idle_method_name());
		return false;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		hits[cpu] = 0;
	return true;
}

/* CALLS_PER_CPU calls from this CPU to each other one. */
static void call_each_other_cpu(struct ktest *t, int wait)
{
	unsigned int me = smp_processor_id(), cpu;

	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		for (unsigned int i = 0; i < CALLS_PER_CPU; i++)
			KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, count_hit, NULL, wait), 0);
	}
}

static void waited_calls_survive_lost_ipis(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;
	struct smp_call_stats before, after;

	if (!start(t))
		return;
	smp_call_stats_sum(&before);
	call_each_other_cpu(t, 1);
	smp_call_stats_sum(&after);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu == me ? 0 : CALLS_PER_CPU);
	KTEST_EXPECT_GT(t, after.ipis_dropped - before.ipis_dropped, 0);
	/* Not one report per lost IPI: a target that had not yet gone back
	 * to sleep finds the call in its queue by itself. */
	KTEST_EXPECT_GT(t, after.csd_lock_timeouts - before.csd_lock_timeouts, 0);
	ktest_diag(t, "%llu IPIs dropped, %llu stuck-call reports",
		   (unsigned long long)(after.ipis_dropped - before.ipis_dropped),
		   (unsigned long long)(after.csd_lock_timeouts - before.csd_lock_timeouts));
}

static void nowait_and_many_calls_survive_lost_ipis(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;
	struct smp_call_stats before, after;

	if (!start(t))
		return;
	smp_call_stats_sum(&before);
	/* A no-wait call reuses this CPU's record, so each one waits for the
	 * last: the detector covers them too. */
	call_each_other_cpu(t, 0);
	for (unsigned int i = 0; i < CALLS_PER_CPU; i++)
		smp_call_function_many(cpu_online_mask, count_hit, NULL, true);
	/* A waited-for call runs after every earlier call from this CPU to
	 * the same target: when it returns, the no-wait ones have run. */
	for_each_online_cpu(cpu)
		if (cpu != me)
			KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, count_hit, NULL, 1), 0);
	smp_call_stats_sum(&after);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu == me ? 0 : 2 * CALLS_PER_CPU + 1);
	KTEST_EXPECT_GT(t, after.ipis_dropped - before.ipis_dropped, 0);
	KTEST_EXPECT_GT(t, after.csd_lock_timeouts - before.csd_lock_timeouts, 0);
}

static const struct ktest_case csd_timeout_cases[] = {
	KTEST_CASE(waited_calls_survive_lost_ipis),
	KTEST_CASE(nowait_and_many_calls_survive_lost_ipis),
};
KTEST_SUITE(smp_csd_timeout, csd_timeout_cases, .enabled = ipi_drop_set);
