// SPDX-License-Identifier: MIT
/*
 * The cross-CPU call API, one property per case: where and how functions
 * run, the error codes, ordering, memory visibility, and the IPI economy
 * (one IPI per empty-to-non-empty queue, none to a polling CPU).
 *
 * Several cases hold a target CPU inside a "blocker" call so that what
 * queues up behind it is deterministic; every wait is bounded.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/idle.h>
#include <xcall/irqflags.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/string.h>
#include <xcall/time.h>

#define FIFO_CALLS		32
#define BATCH_CALLS		16
#define PATTERN_WORDS		512
/* What report_on_cpu() returns, plus the CPU number: not 0 or an errno. */
#define ON_CPU_RET_BASE		1000

static unsigned int ran_on[NR_CPUS];
static unsigned int irqs_were_off[NR_CPUS];
static unsigned int hits[NR_CPUS];

/* A CPU other than this one, or NR_CPUS when there is none. */
static unsigned int other_cpu(unsigned int nth)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me && nth-- == 0)
			return cpu;
	return NR_CPUS;
}

/* Skip the case when @cpu is other_cpu()'s "none". */
static bool have_cpu(struct ktest *t, unsigned int cpu)
{
	if (cpu < NR_CPUS)
		return true;
	ktest_skip(t, "needs a second online CPU");
	return false;
}

static unsigned int last_online_cpu(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	return last;
}

static void record_where(void *info)
{
	unsigned int cpu = smp_processor_id();

	WRITE_ONCE(ran_on[cpu], cpu);
	WRITE_ONCE(irqs_were_off[cpu], irqs_disabled());
	atomic_inc(&hits[cpu]);
}

static void reset_hits(void)
{
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		hits[i] = 0;
		ran_on[i] = ~0u;
		irqs_were_off[i] = 0;
	}
	smp_mb();
}

/* ---- Holding a target ---- */

static unsigned int blocker_running;
static unsigned int blocker_release;

static void blocker_fn(void *info)
{
	u64 start = ktime_get_ns();

	smp_store_release(&blocker_running, 1);
	while (!smp_load_acquire(&blocker_release) &&
	       ktime_get_ns() - start < KTEST_WAIT_NS)
		cpu_relax();
	smp_store_release(&blocker_running, 2);
}

static call_single_data_t blocker_csd = CSD_INIT(blocker_fn, NULL);

/* Park @cpu inside blocker_fn, interrupts off, until unblock(). */
static bool block(struct ktest *t, unsigned int cpu)
{
	WRITE_ONCE(blocker_running, 0);
	WRITE_ONCE(blocker_release, 0);
	if (!KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)cpu, &blocker_csd), 0))
		return false;
	return KTEST_EXPECT_TRUE(t, ktest_wait_ge(&blocker_running, 1));
}

static void unblock(struct ktest *t)
{
	smp_store_release(&blocker_release, 1);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&blocker_running, 2));
}

/* ---- Where and how functions run ---- */

static void call_single_runs_on_each_target(struct ktest *t)
{
	unsigned int cpu;

	reset_hits();
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, record_where, NULL, 1), 0);
		KTEST_EXPECT_EQ(t, ran_on[cpu], cpu);
		KTEST_EXPECT_EQ(t, irqs_were_off[cpu], 1);
		KTEST_EXPECT_EQ(t, hits[cpu], 1);
	}
}

static void call_single_nowait_runs_on_each_target(struct ktest *t)
{
	unsigned int cpu;

	reset_hits();
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, record_where, NULL, 0), 0);
		KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[cpu], 1));
		KTEST_EXPECT_EQ(t, ran_on[cpu], cpu);
	}
}

static void self_call_runs_inline_with_irqs_off(struct ktest *t)
{
	unsigned int me = smp_processor_id();
	call_single_data_t csd = CSD_INIT(record_where, NULL);

	reset_hits();
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)me, record_where, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, hits[me], 1);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)me, record_where, NULL, 0), 0);
	KTEST_EXPECT_EQ(t, hits[me], 2);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)me, &csd), 0);
	KTEST_EXPECT_EQ(t, hits[me], 3);
	KTEST_EXPECT_EQ(t, irqs_were_off[me], 1);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
}

/* Out of range is -ENXIO, as Linux's generic_exec_single() answers. */
static void call_to_out_of_range_cpu_is_enxio(struct ktest *t)
{
	static const int bad[] = { -1, NR_CPUS, 0x7fffffff };
	call_single_data_t csd = CSD_INIT(record_where, NULL);

	reset_hits();
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)nr_cpu_ids, record_where, NULL, 1),
			-ENXIO);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		KTEST_EXPECT_EQ(t, smp_call_function_single(bad[i], record_where, NULL, 1), -ENXIO);
		KTEST_EXPECT_EQ(t, smp_call_function_single(bad[i], record_where, NULL, 0), -ENXIO);
		KTEST_EXPECT_EQ(t, smp_call_function_single_async(bad[i], &csd), -ENXIO);
	}
	KTEST_EXPECT_EQ(t, csd.flags, 0);
}

static void call_to_offline_cpu_is_enxio(struct ktest *t)
{
	unsigned int victim = last_online_cpu();
	call_single_data_t csd = CSD_INIT(record_where, NULL);
	struct cpumask only;

	if (victim == smp_processor_id()) {
		ktest_skip(t, "needs a second online CPU to take offline");
		return;
	}
	reset_hits();
	cpumask_clear(&only);
	cpumask_set_cpu(victim, &only);
	set_cpu_online(victim, false);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_where, NULL, 1), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_where, NULL, 0), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_any(&only, record_where, NULL, 1), -ENXIO);
	smp_call_function_many(&only, record_where, NULL, true);
	set_cpu_online(victim, true);
	KTEST_EXPECT_EQ(t, hits[victim], 0);
	KTEST_EXPECT_EQ(t, csd.flags, 0);
}

static void wait_with_irqs_off_is_refused(struct ktest *t)
{
	unsigned int other = other_cpu(0), warnings;
	int err;

	if (!have_cpu(t, other))
		return;
	reset_hits();
	/* The refusal warns too: a caller that waits with interrupts off is
	 * a bug to be seen, not only an errno to be handled. */
	warnings = ktest_expect_warning(t, smp_processor_id(), "kernel/smp.c",
					"irqs_disabled()",
					"a waited-for call with interrupts off");
	local_irq_disable();
	err = smp_call_function_single((int)other, record_where, NULL, 1);
	local_irq_enable();
	KTEST_EXPECT_EQ(t, err, -EDEADLK);
	KTEST_EXPECT_EQ(t, warn_count(), warnings + 1);
	mdelay(1);
	KTEST_EXPECT_EQ(t, hits[other], 0);
}

static void async_record_busy_while_queued(struct ktest *t)
{
	unsigned int target = other_cpu(0);
	call_single_data_t csd = CSD_INIT(record_where, NULL);

	if (!have_cpu(t, target))
		return;
	reset_hits();
	if (!block(t, target))
		return;
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)target, &csd), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)target, &csd), -EBUSY);
	KTEST_EXPECT_EQ(t, hits[target], 0);
	unblock(t);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], 1));
	/* Released before its function ran: free again, and reusable. */
	KTEST_EXPECT_EQ(t, smp_load_acquire(&csd.flags) & CSD_FLAG_LOCK, 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)target, &csd), 0);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], 2));
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], 2) && !(smp_load_acquire(&csd.flags) & CSD_FLAG_LOCK));
}

static void nowait_with_irqs_off_and_busy_record_is_ebusy(struct ktest *t)
{
	unsigned int target = other_cpu(0);
	int err;

	if (!have_cpu(t, target))
		return;
	reset_hits();
	if (!block(t, target))
		return;
	/* The first nowait call takes this CPU's record and queues it
	 * behind the blocker; the second, with interrupts off, must not
	 * wait for it. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, record_where, NULL, 0), 0);
	local_irq_disable();
	err = smp_call_function_single((int)target, record_where, NULL, 0);
	local_irq_enable();
	KTEST_EXPECT_EQ(t, err, -EBUSY);
	unblock(t);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], 1));
	/* With interrupts on, the same call waits for the record instead. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, record_where, NULL, 0), 0);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], 2));
}

/* ---- Order and memory ---- */

struct fifo_log {
	unsigned int n;
	unsigned int seq[FIFO_CALLS + 2];
};

static struct fifo_log fifo;

static void log_seq(void *info)
{
	if (fifo.n < ARRAY_SIZE(fifo.seq))
		fifo.seq[fifo.n] = (unsigned int)(unsigned long)info;
	smp_store_release(&fifo.n, fifo.n + 1);
}

static void calls_from_one_sender_run_in_fifo_order(struct ktest *t)
{
	unsigned int target = other_cpu(0);
	static call_single_data_t csd[FIFO_CALLS];

	if (!have_cpu(t, target))
		return;
	memset(&fifo, 0, sizeof(fifo));
	if (!block(t, target))
		return;
	for (unsigned int i = 0; i < FIFO_CALLS; i++) {
		INIT_CSD(&csd[i], log_seq, (void *)(unsigned long)i);
		KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)target, &csd[i]), 0);
	}
	/* Then this CPU's own record, and last a waited-for call. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, log_seq,
						    (void *)(unsigned long)FIFO_CALLS, 0), 0);
	unblock(t);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, log_seq,
						    (void *)(unsigned long)(FIFO_CALLS + 1), 1), 0);
	if (!KTEST_EXPECT_EQ(t, smp_load_acquire(&fifo.n), FIFO_CALLS + 2))
		return;
	for (unsigned int i = 0; i < FIFO_CALLS + 2; i++)
		KTEST_EXPECT_EQ(t, fifo.seq[i], i);
}

struct pattern_job {
	u64 *words;
	u64 seed;
	unsigned int ok;
};

static u64 pattern(u64 seed, unsigned int i)
{
	return (seed + i) * 0x9e3779b97f4a7c15ull;
}

static void check_pattern(void *info)
{
	struct pattern_job *job = info;
	bool ok = true;

	for (unsigned int i = 0; i < PATTERN_WORDS; i++)
		ok &= job->words[i] == pattern(job->seed, i);
	smp_store_release(&job->ok, ok ? 1 : 2);
}

static void write_pattern(void *info)
{
	struct pattern_job *job = info;

	for (unsigned int i = 0; i < PATTERN_WORDS; i++)
		job->words[i] = pattern(job->seed, i);
}

static void sender_writes_are_seen_by_function(struct ktest *t)
{
	unsigned int cpu;
	struct pattern_job job = { .words = alloc_pages(1) };

	if (!KTEST_EXPECT_TRUE(t, job.words != NULL))
		return;
	for_each_online_cpu(cpu) {
		for (unsigned int wait = 0; wait < 2; wait++) {
			job.seed = cpu * 2 + wait + 1;
			job.ok = 0;
			write_pattern(&job);
			KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, check_pattern,
								    &job, (int)wait), 0);
			KTEST_EXPECT_TRUE(t, ktest_wait_ge(&job.ok, 1));
			KTEST_EXPECT_EQ(t, job.ok, 1);
		}
	}
	free_pages(job.words, 1);
}

static void function_writes_are_seen_by_waiter(struct ktest *t)
{
	unsigned int cpu;
	struct pattern_job job = { .words = alloc_pages(1) };

	if (!KTEST_EXPECT_TRUE(t, job.words != NULL))
		return;
	for_each_online_cpu(cpu) {
		bool ok = true;

		job.seed = 1000 + cpu;
		memset(job.words, 0, PATTERN_WORDS * sizeof(u64));
		KTEST_EXPECT_EQ(t, smp_call_function_single((int)cpu, write_pattern, &job, 1), 0);
		/* No barrier here: the call's return must be enough. */
		for (unsigned int i = 0; i < PATTERN_WORDS; i++)
			ok &= job.words[i] == pattern(job.seed, i);
		KTEST_EXPECT_TRUE(t, ok);
	}
	free_pages(job.words, 1);
}

/* ---- The IPI economy ---- */

static void ipi_only_when_queue_was_empty(struct ktest *t)
{
	unsigned int me = smp_processor_id(), target = other_cpu(0);
	static call_single_data_t csd[BATCH_CALLS];
	struct smp_call_stats before, after, tb, ta;

	if (!have_cpu(t, target))
		return;
	reset_hits();
	if (!block(t, target))
		return;
	/* The target has taken its whole queue to run the blocker: the
	 * queue is empty again, so the first add needs an IPI, unless the
	 * target runs calls from its polling loop (idle=poll, or haltpoll
	 * inside its window), where it needs none; the rest ride on it. */
	smp_call_stats_get(me, &before);
	smp_call_stats_get(target, &tb);
	for (unsigned int i = 0; i < BATCH_CALLS; i++) {
		INIT_CSD(&csd[i], record_where, NULL);
		KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)target, &csd[i]), 0);
	}
	smp_call_stats_get(me, &after);
	if (!strcmp(idle_method_name(), "hlt"))
		KTEST_EXPECT_EQ(t, after.ipis_sent - before.ipis_sent, 1);
	else
		KTEST_EXPECT_LE(t, after.ipis_sent - before.ipis_sent, 1);
	KTEST_EXPECT_EQ(t, (after.ipis_sent - before.ipis_sent) +
			   (after.ipis_skipped - before.ipis_skipped), BATCH_CALLS);
	KTEST_EXPECT_EQ(t, after.calls_queued - before.calls_queued, BATCH_CALLS);
	unblock(t);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], BATCH_CALLS));
	smp_call_stats_get(target, &ta);
	KTEST_EXPECT_EQ(t, ta.calls_run - tb.calls_run, BATCH_CALLS + 1);
}

static call_single_data_t *batch_csd;	/* [nr_cpu_ids][BATCH_CALLS] */
static unsigned int batch_target;

static void send_batch(void *info)
{
	unsigned int me = smp_processor_id();

	for (unsigned int i = 0; i < BATCH_CALLS; i++) {
		call_single_data_t *csd = &batch_csd[me * BATCH_CALLS + i];

		INIT_CSD(csd, record_where, NULL);
		smp_call_function_single_async((int)batch_target, csd);
	}
}

static void many_senders_batch_into_fewer_ipis(struct ktest *t)
{
	unsigned int target = other_cpu(0), cpu, senders;
	size_t bytes = (size_t)nr_cpu_ids * BATCH_CALLS * sizeof(call_single_data_t);
	size_t pages = DIV_ROUND_UP(bytes, PAGE_SIZE);
	struct smp_call_stats before, after;
	struct cpumask mask;

	if (!have_cpu(t, target))
		return;
	batch_csd = alloc_pages(pages);
	if (!KTEST_EXPECT_TRUE(t, batch_csd != NULL))
		return;
	reset_hits();
	batch_target = target;
	cpumask_copy(&mask, cpu_online_mask);
	cpumask_clear_cpu(target, &mask);
	senders = cpumask_weight(&mask);
	if (!block(t, target))
		return;
	smp_call_stats_sum(&before);
	/* Every CPU but the target queues a batch, from its IPI handler,
	 * this one included. */
	on_each_cpu_mask(&mask, send_batch, NULL, true);
	smp_call_stats_sum(&after);
	unblock(t);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[target], senders * BATCH_CALLS));
	/* The target's queue went from empty to non-empty once. */
	KTEST_EXPECT_LE(t, after.ipis_sent - before.ipis_sent, (senders - 1) + 1);
	KTEST_EXPECT_GE(t, after.calls_queued - before.calls_queued,
			senders * BATCH_CALLS);
	ktest_diag(t, "%u senders, %u calls, %llu IPIs in all (the many-call's included)",
		   senders, senders * BATCH_CALLS,
		   (unsigned long long)(after.ipis_sent - before.ipis_sent));
	for_each_online_cpu(cpu)
		if (cpu != target)
			KTEST_EXPECT_EQ(t, hits[cpu], 0);
	free_pages(batch_csd, pages);
}

static void idle_target_wakes_by_its_idle_method(struct ktest *t)
{
	unsigned int me = smp_processor_id(), target = other_cpu(0);
	struct smp_call_stats before, after;
	const char *idle = idle_method_name();

	if (!have_cpu(t, target))
		return;
	/* Let the target settle into its idle method. */
	mdelay(5);
	smp_call_stats_get(me, &before);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, record_where, NULL, 1), 0);
	smp_call_stats_get(me, &after);
	if (!strcmp(idle, "poll")) {
		/* The target watched its queue: no IPI at all. */
		KTEST_EXPECT_EQ(t, after.ipis_sent - before.ipis_sent, 0);
		KTEST_EXPECT_EQ(t, after.ipis_skipped - before.ipis_skipped, 1);
	} else if (!strcmp(idle, "hlt")) {
		KTEST_EXPECT_EQ(t, after.ipis_sent - before.ipis_sent, 1);
	} else {
		KTEST_EXPECT_EQ(t, (after.ipis_sent - before.ipis_sent) +
				   (after.ipis_skipped - before.ipis_skipped), 1);
	}
	ktest_diag(t, "idle=%s: %llu IPI sent, %llu skipped", idle,
		   (unsigned long long)(after.ipis_sent - before.ipis_sent),
		   (unsigned long long)(after.ipis_skipped - before.ipis_skipped));
}

/* idle=auto polls before it halts only where the polling vCPU cannot
 * keep its own caller off a shared host CPU: every kind of machine, as
 * the policy sees it, whatever this one is. */
static void auto_haltpolls_only_on_dedicated_vcpus(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, strcmp(idle_auto_choice(false, false), "hlt"), 0);
	KTEST_EXPECT_EQ(t, strcmp(idle_auto_choice(false, true), "hlt"), 0);
	KTEST_EXPECT_EQ(t, strcmp(idle_auto_choice(true, false), "hlt"), 0);
	KTEST_EXPECT_EQ(t, strcmp(idle_auto_choice(true, true), "haltpoll"), 0);
	ktest_diag(t, "this machine: hypervisor \"%s\", dedicated host CPUs %s, auto picks %s",
		   arch_hypervisor_name(), arch_hypervisor_dedicated_cpus() ? "yes" : "no",
		   idle_auto_choice(arch_running_on_hypervisor(),
				    arch_hypervisor_dedicated_cpus()));
}

/* Without idle=, the method in use is the one the policy picks from
 * this machine's CPUID (the hypervisor bit, KVM's hint wherever its
 * leaves sit): nothing after idle_init() changed it. Under TCG: hlt. */
static void auto_method_is_the_policys_for_this_machine(struct ktest *t)
{
	const char *want;

	if (!idle_method_is_auto()) {
		ktest_skip(t, "idle=%s was given", idle_method_name());
		return;
	}
	want = idle_auto_choice(arch_running_on_hypervisor(),
				arch_hypervisor_dedicated_cpus());
	KTEST_EXPECT_EQ(t, strcmp(idle_method_name(), want), 0);
	ktest_diag(t, "in use %s, policy %s", idle_method_name(), want);
}

/* ---- Many targets ---- */

static void call_many_reaches_every_other_cpu(struct ktest *t)
{
	unsigned int me = smp_processor_id(), cpu;

	reset_hits();
	smp_call_function_many(cpu_online_mask, record_where, NULL, true);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu == me ? 0 : 1);
	smp_call_function(record_where, NULL, 0);
	for_each_online_cpu(cpu)
		if (cpu != me)
			KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[cpu], 2));
	KTEST_EXPECT_EQ(t, hits[me], 0);
}

static void on_each_cpu_runs_everywhere_including_self(struct ktest *t)
{
	unsigned int cpu;

	reset_hits();
	on_each_cpu(record_where, NULL, 1);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, hits[cpu], 1);
		KTEST_EXPECT_EQ(t, ran_on[cpu], cpu);
		KTEST_EXPECT_EQ(t, irqs_were_off[cpu], 1);
	}
}

static void on_each_cpu_mask_runs_only_in_mask(struct ktest *t)
{
	unsigned int cpu, last = last_online_cpu();
	struct cpumask mask;

	reset_hits();
	cpumask_clear(&mask);
	cpumask_set_cpu(0, &mask);
	cpumask_set_cpu(last, &mask);
	on_each_cpu_mask(&mask, record_where, NULL, true);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu == 0 || cpu == last ? 1 : 0);
}

static bool odd_cpu(int cpu, void *info)
{
	return cpu & 1;
}

static void on_each_cpu_cond_mask_honours_cond(struct ktest *t)
{
	unsigned int cpu;

	reset_hits();
	on_each_cpu_cond_mask(odd_cpu, record_where, NULL, true, cpu_online_mask);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu & 1);
}

static void call_any_prefers_own_cpu(struct ktest *t)
{
	unsigned int me = smp_processor_id(), other = other_cpu(0);
	struct cpumask mask;

	reset_hits();
	KTEST_EXPECT_EQ(t, smp_call_function_any(cpu_online_mask, record_where, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, hits[me], 1);
	if (other == NR_CPUS)
		return;
	cpumask_clear(&mask);
	cpumask_set_cpu(other, &mask);
	KTEST_EXPECT_EQ(t, smp_call_function_any(&mask, record_where, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, hits[other], 1);
	KTEST_EXPECT_EQ(t, hits[me], 1);
}

/* ---- Calls from calls ---- */

static unsigned int chain_hops;
static unsigned int chain_end;

static void chain_last(void *info)
{
	atomic_inc(&chain_hops);
	smp_store_release(&chain_end, smp_processor_id() + 1);
}

static void chain_first(void *info)
{
	unsigned int next = (unsigned int)(unsigned long)info;

	atomic_inc(&chain_hops);
	/* From interrupt context, without waiting: allowed. */
	if (smp_call_function_single((int)next, chain_last, NULL, 0))
		smp_store_release(&chain_end, ~0u);
}

static void function_may_call_another_cpu_without_waiting(struct ktest *t)
{
	unsigned int first = other_cpu(0), second = other_cpu(1);

	if (!have_cpu(t, first))
		return;
	/* With two CPUs, the chain comes back to this one, which takes the
	 * call while it waits. */
	if (second == NR_CPUS)
		second = smp_processor_id();
	chain_hops = 0;
	chain_end = 0;
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)first, chain_first,
						    (void *)(unsigned long)second, 1), 0);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&chain_end, 1));
	KTEST_EXPECT_EQ(t, chain_end, second + 1);
	KTEST_EXPECT_EQ(t, chain_hops, 2);
}

/* smp_call_on_cpu(): the work runs on the target's idle loop, with
 * interrupts on, and its return value comes back. */
struct on_cpu_report {
	unsigned int cpu;
	bool irqs_off;
};

static int report_on_cpu(void *arg)
{
	struct on_cpu_report *r = arg;

	r->cpu = smp_processor_id();
	r->irqs_off = irqs_disabled();
	return ON_CPU_RET_BASE + (int)r->cpu;
}

static void call_on_cpu_runs_there_with_irqs_on(struct ktest *t)
{
	unsigned int other = other_cpu(0), me = smp_processor_id();
	struct on_cpu_report r = { .cpu = NR_CPUS, .irqs_off = true };

	KTEST_EXPECT_EQ(t, smp_call_on_cpu(me, report_on_cpu, &r, false),
			ON_CPU_RET_BASE + (int)me);
	KTEST_EXPECT_EQ(t, r.cpu, me);
	KTEST_EXPECT_FALSE(t, r.irqs_off);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(nr_cpu_ids, report_on_cpu, &r, false), -ENXIO);
	if (!have_cpu(t, other))
		return;
	r = (struct on_cpu_report){ .cpu = NR_CPUS, .irqs_off = true };
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(other, report_on_cpu, &r, false),
			ON_CPU_RET_BASE + (int)other);
	KTEST_EXPECT_EQ(t, r.cpu, other);
	KTEST_EXPECT_FALSE(t, r.irqs_off);
}

static const struct ktest_case smp_call_cases[] = {
	KTEST_CASE(call_single_runs_on_each_target),
	KTEST_CASE(call_single_nowait_runs_on_each_target),
	KTEST_CASE(self_call_runs_inline_with_irqs_off),
	KTEST_CASE(call_to_out_of_range_cpu_is_enxio),
	KTEST_CASE(call_to_offline_cpu_is_enxio),
	KTEST_CASE(wait_with_irqs_off_is_refused),
	KTEST_CASE(async_record_busy_while_queued),
	KTEST_CASE(nowait_with_irqs_off_and_busy_record_is_ebusy),
	KTEST_CASE(calls_from_one_sender_run_in_fifo_order),
	KTEST_CASE(sender_writes_are_seen_by_function),
	KTEST_CASE(function_writes_are_seen_by_waiter),
	KTEST_CASE(ipi_only_when_queue_was_empty),
	KTEST_CASE(many_senders_batch_into_fewer_ipis),
	KTEST_CASE(idle_target_wakes_by_its_idle_method),
	KTEST_CASE(auto_haltpolls_only_on_dedicated_vcpus),
	KTEST_CASE(auto_method_is_the_policys_for_this_machine),
	KTEST_CASE(call_many_reaches_every_other_cpu),
	KTEST_CASE(on_each_cpu_runs_everywhere_including_self),
	KTEST_CASE(on_each_cpu_mask_runs_only_in_mask),
	KTEST_CASE(on_each_cpu_cond_mask_honours_cond),
	KTEST_CASE(call_any_prefers_own_cpu),
	KTEST_CASE(function_may_call_another_cpu_without_waiting),
	KTEST_CASE(call_on_cpu_runs_there_with_irqs_on),
};
KTEST_SUITE(smp_call, smp_call_cases);
