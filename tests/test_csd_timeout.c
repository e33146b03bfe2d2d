// SPDX-License-Identifier: MIT
/*
 * Stuck-call detection, with IPIs really lost: under ipi_drop=N every Nth
 * call IPI a CPU sends is thrown away, so a waiter sees its call sit in
 * the target's queue. After csd_timeout_ms it must say so and send the
 * IPI again, and every call must still complete. The suite runs only when
 * ipi_drop= is set, and needs idle=hlt; the matrix boots it with
 * selftest=smp_csd_timeout, since other suites wait on calls without the
 * detector's help.
 *
 * And with a target really stuck (suite smp_csd_stuck, when
 * csd_timeout_ms is short enough to wait out): it spins with interrupts
 * off in csd_stuck_target_spin() for three timeouts. The waiter must
 * report, the target must answer the detector's NMI with its backtrace
 * (which names that function; the matrix checks the log), and the call
 * must complete once the target lets go.
 */
#include <xcall/atomic.h>
#include <xcall/ktest.h>
#include <xcall/smp.h>
#include <xcall/idle.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>
#include <xcall/time.h>

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

/* ---- A target stuck with interrupts off ---- */

/* The suite waits three timeouts; beyond this it is left out of the run. */
#define STUCK_MAX_TIMEOUT_MS	1000
#define STUCK_TIMEOUTS		3

static unsigned int stuck_spinning;

static bool csd_timeout_short(void)
{
	return smp_csd_timeout_ms() <= STUCK_MAX_TIMEOUT_MS;
}

/*
 * The call that gets the target stuck: it runs, as every call does, with
 * interrupts off, and spins for *@info ms. Not inlined, and the loop calls
 * nothing but inlines, so the NMI finds the target in this very function.
 */
static void __noinline csd_stuck_target_spin(void *info)
{
	u64 until = get_cycles() + ns_to_cycles(*(const u64 *)info * NSEC_PER_MSEC);

	smp_store_release(&stuck_spinning, 1);
	while (get_cycles() < until)
		cpu_relax();
}

static void stuck_target_is_backtraced_and_call_completes(struct ktest *t)
{
	static u64 spin_ms;
	unsigned int me = smp_processor_id(), target;
	struct smp_call_stats before, after;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU");
		return;
	}
	target = cpumask_next((int)me, cpu_online_mask);
	if (target >= nr_cpu_ids)
		target = cpumask_first(cpu_online_mask);
	hits[target] = 0;
	stuck_spinning = 0;
	spin_ms = (u64)STUCK_TIMEOUTS * smp_csd_timeout_ms();

	/* Not waited for: this CPU must be free to wait on the next call. */
	if (!KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, csd_stuck_target_spin,
							 &spin_ms, 0), 0))
		return;
	if (!KTEST_EXPECT_TRUE(t, ktest_wait_ge(&stuck_spinning, 1)))
		return;
	smp_call_stats_sum(&before);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, count_hit, NULL, 1), 0);
	smp_call_stats_sum(&after);
	KTEST_EXPECT_EQ(t, hits[target], 1);
	KTEST_EXPECT_GT(t, after.csd_lock_timeouts - before.csd_lock_timeouts, 0);
	KTEST_EXPECT_GT(t, after.csd_backtraces - before.csd_backtraces, 0);
	ktest_diag(t, "CPU %u spun %llu ms with interrupts off: %llu reports, %llu backtraces",
		   target, (unsigned long long)spin_ms,
		   (unsigned long long)(after.csd_lock_timeouts - before.csd_lock_timeouts),
		   (unsigned long long)(after.csd_backtraces - before.csd_backtraces));
}

static const struct ktest_case csd_stuck_cases[] = {
	KTEST_CASE(stuck_target_is_backtraced_and_call_completes),
};
KTEST_SUITE(smp_csd_stuck, csd_stuck_cases, .enabled = csd_timeout_short);
