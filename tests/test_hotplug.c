// SPDX-License-Identifier: MIT
/*
 * CPU hotplug, one property per case: which CPUs cpu_down() and cpu_up()
 * refuse and how; calls to a CPU that is down fail with -ENXIO; a call
 * queued to a CPU that then goes down runs there exactly once, on its way
 * down; a waiter on such a CPU returns; a sender that raced the CPU's
 * departure is refused, not lost; the shorthand rule is off while a CPU
 * is down; a CPU comes back with a working call path; and a hundred
 * down/up cycles with calls in flight lose, double and reorder nothing.
 *
 * The CPU taken down is always the last online one; the boot CPU runs the
 * cases. Every case leaves every CPU online again, whatever it found, so
 * the suites after this one see the machine bring-up left.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/irqflags.h>
#include <xcall/ktest.h>
#include <xcall/panic.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/smpboot.h>
#include <xcall/time.h>

#define HOTPLUG_CYCLES		100
/* Async calls the boot CPU has in flight to the victim as it goes down,
 * in each cycle. */
#define CYCLE_IN_FLIGHT		4
/* The background sender's own async records, used round-robin. */
#define BG_RECORDS		8
/* How long a cycle waits, the victim up, for the background sender. */
#define BG_PACE_NS		(20 * NSEC_PER_MSEC)
/* Which sender a call's info names (above the sequence number). */
#define SENDER_SHIFT		40
#define SEQ_MASK		((1ull << SENDER_SHIFT) - 1)
enum { SENDER_BOOT, SENDER_BG, NR_SENDERS };

static unsigned int hits[NR_CPUS];
static unsigned int ran_offline[NR_CPUS];
static unsigned int ran_irqs_on[NR_CPUS];

static void reset_hits(void)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		hits[i] = ran_offline[i] = ran_irqs_on[i] = 0;
	smp_mb();
}

/* Counts where it ran, and whether its CPU was out of the online mask
 * then (on the way down) or had interrupts on (it never should). */
static void record_hit(void *info)
{
	unsigned int me = smp_processor_id();

	if (!cpu_online(me))
		atomic_inc(&ran_offline[me]);
	if (!irqs_disabled())
		atomic_inc(&ran_irqs_on[me]);
	atomic_inc(&hits[me]);
}

static int hit_on_idle_loop(void *arg)
{
	atomic_inc(&hits[smp_processor_id()]);
	return 0;
}

/* The CPU to take down: the last online one, never this one. */
static unsigned int victim_cpu(void)
{
	unsigned int cpu, last = NR_CPUS;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			last = cpu;
	return last;
}

/* A third CPU, neither this one nor @victim; NR_CPUS when there is none. */
static unsigned int helper_cpu(unsigned int victim)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id() && cpu != victim)
			return cpu;
	return NR_CPUS;
}

static bool have_victim(struct ktest *t, unsigned int victim)
{
	if (victim < NR_CPUS)
		return true;
	ktest_skip(t, "needs a second online CPU to take down");
	return false;
}

/* Whatever a case left, every CPU it took down comes back. */
static void bring_back(struct ktest *t, unsigned int cpu)
{
	if (cpu < NR_CPUS && !cpu_online(cpu))
		KTEST_EXPECT_EQ(t, cpu_up(cpu), 0);
}

/* ---- Holding a CPU in work its idle loop runs ---- */

static unsigned int held;
static unsigned int hold_release;

/*
 * Interrupts off until the CPU is out of the online mask, so that calls
 * queued meanwhile stay queued; then back to the idle loop with them
 * still off, so that they run in the dying CPU's flush and not in an IPI
 * handler: that flush is what the case proves.
 */
static int hold_irqs_off_until_offline(void *arg)
{
	unsigned int me = smp_processor_id();
	u64 start = ktime_get_ns();

	local_irq_disable();
	smp_store_release(&held, 1);
	while (cpu_online(me) && ktime_get_ns() - start < KTEST_WAIT_NS)
		cpu_relax();
	return 0;
}

/* Busy with interrupts on, not looking at cpu_online(), until released:
 * work that holds a cpu_down() up. */
static int hold_until_released(void *arg)
{
	u64 start = ktime_get_ns();

	smp_store_release(&held, 1);
	while (!smp_load_acquire(&hold_release) && ktime_get_ns() - start < KTEST_WAIT_NS)
		cpu_relax();
	return 0;
}

static bool hold(struct ktest *t, unsigned int cpu, struct smp_call_on_cpu_struct *w,
		 int (*fn)(void *))
{
	WRITE_ONCE(held, 0);
	WRITE_ONCE(hold_release, 0);
	*w = (struct smp_call_on_cpu_struct){ .func = fn };
	if (!KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(cpu, w), 0))
		return false;
	return KTEST_EXPECT_TRUE(t, ktest_wait_ge(&held, 1));
}

/* ---- Refusals ---- */

static void boot_cpu_and_bad_numbers_are_refused(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, cpu_down(0), -EPERM);
	/* Already up is done, as Linux answers; only down is refused. */
	KTEST_EXPECT_EQ(t, cpu_up(0), 0);
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	if (num_online_cpus() > 1) {
		unsigned int other = cpumask_next(0, cpu_online_mask);

		KTEST_EXPECT_EQ(t, cpu_up(other), 0);
		KTEST_EXPECT_TRUE(t, cpu_online(other));
	}
	KTEST_EXPECT_EQ(t, cpu_down(nr_cpu_ids), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_up(nr_cpu_ids), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_down(NR_CPUS + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_up(~0u), -EINVAL);
}

static void interrupts_off_is_refused(struct ktest *t)
{
	unsigned int victim = victim_cpu(), warns;
	int err;

	if (!have_victim(t, victim))
		return;
	warns = ktest_expect_warning(t, smp_processor_id(), "kernel/smpboot.c",
				     "irqs_disabled()", "cpu_down() with interrupts off");
	local_irq_disable();
	err = cpu_down(victim);
	local_irq_enable();
	KTEST_EXPECT_EQ(t, err, -EDEADLK);
	KTEST_EXPECT_EQ(t, warn_count(), warns + 1);
	KTEST_EXPECT_TRUE(t, cpu_online(victim));
}

/* What a helper CPU's work finds when it asks to take itself down. */
static int down_self_result;

static int down_self(void *arg)
{
	down_self_result = cpu_down(smp_processor_id());
	return 0;
}

static int down_victim(void *arg)
{
	return cpu_down((unsigned int)(unsigned long)arg);
}

static void self_and_concurrent_requests_are_refused(struct ktest *t)
{
	unsigned int victim = victim_cpu(), helper = helper_cpu(victim);
	static struct smp_call_on_cpu_struct hold_w, down_w;

	if (!have_victim(t, victim))
		return;
	if (helper >= NR_CPUS) {
		ktest_skip(t, "needs three CPUs: one to hold, one to take it down, one to ask meanwhile");
		return;
	}
	/* Asked for itself: it cannot wait for itself to park. */
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(helper, down_self, NULL, false), 0);
	KTEST_EXPECT_EQ(t, down_self_result, -EDEADLK);
	KTEST_EXPECT_TRUE(t, cpu_online(helper));

	/* The victim runs work that does not look at cpu_online(): the
	 * helper's cpu_down() waits for it, and meanwhile every other
	 * request is refused. */
	if (!hold(t, victim, &hold_w, hold_until_released))
		return;
	down_w = (struct smp_call_on_cpu_struct){ .func = down_victim,
						  .data = (void *)(unsigned long)victim };
	if (!KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(helper, &down_w), 0))
		goto release;
	/* Its request is in once the victim is out of the mask. */
	for (u64 start = ktime_get_ns();
	     cpu_online(victim) && ktime_get_ns() - start < KTEST_WAIT_NS;)
		cpu_relax();
	KTEST_EXPECT_FALSE(t, cpu_online(victim));
	KTEST_EXPECT_EQ(t, cpu_up(victim), -EBUSY);
	KTEST_EXPECT_EQ(t, cpu_down(victim), -EBUSY);
	/* Accepted work runs to its end: only now can it park. */
	KTEST_EXPECT_EQ(t, READ_ONCE(hold_w.done), 0);
release:
	smp_store_release(&hold_release, 1);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&hold_w, KTEST_WAIT_NS), 0);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&down_w, KTEST_WAIT_NS), 0);
	KTEST_EXPECT_FALSE(t, cpu_online(victim));
	/* Down already: done, as Linux answers. */
	KTEST_EXPECT_EQ(t, cpu_down(victim), 0);
	KTEST_EXPECT_EQ(t, cpu_up(victim), 0);
	KTEST_EXPECT_EQ(t, cpu_up(victim), 0);
	bring_back(t, victim);
}

/* ---- While a CPU is down ---- */

static void calls_to_a_down_cpu_fail_with_enxio(struct ktest *t)
{
	unsigned int victim = victim_cpu(), before = num_online_cpus();
	call_single_data_t csd = CSD_INIT(record_hit, NULL);
	struct cpumask only;

	if (!have_victim(t, victim))
		return;
	reset_hits();
	cpumask_clear(&only);
	cpumask_set_cpu(victim, &only);
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	KTEST_EXPECT_FALSE(t, cpu_online(victim));
	KTEST_EXPECT_TRUE(t, cpu_possible(victim));
	KTEST_EXPECT_EQ(t, num_online_cpus(), before - 1);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 0), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_any(&only, record_hit, NULL, 1), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(victim, hit_on_idle_loop, NULL, false), -ENXIO);
	smp_call_function_many(&only, record_hit, NULL, true);
	on_each_cpu(record_hit, NULL, 1);
	KTEST_EXPECT_EQ(t, hits[victim], 0);
	KTEST_EXPECT_EQ(t, hits[smp_processor_id()], 1);
	KTEST_EXPECT_EQ(t, csd.flags, 0);
out:
	bring_back(t, victim);
	KTEST_EXPECT_EQ(t, num_online_cpus(), before);
}

static void shorthand_is_off_while_a_cpu_is_down(struct ktest *t)
{
	unsigned int victim = victim_cpu();
	bool before = arch_ipi_shorthand_enabled();

	if (!have_victim(t, victim))
		return;
	if (KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		KTEST_EXPECT_FALSE(t, arch_ipi_shorthand_enabled());
	bring_back(t, victim);
	KTEST_EXPECT_EQ(t, arch_ipi_shorthand_enabled(), before);
	if (!before)
		ktest_diag(t, "the shorthand was off before too (under three CPUs, or some left out at boot)");
}

/*
 * A sender that read the online bit just before cpu_down() cleared it
 * reaches the queue after the CPU closed it. Faked here by setting the
 * bit of a parked CPU for a moment: every kind of call must be refused
 * with -ENXIO, its record free again, nothing run, no wait hanging.
 */
static void sender_that_raced_the_departure_is_refused(struct ktest *t)
{
	unsigned int victim = victim_cpu(), me = smp_processor_id();
	call_single_data_t csd = CSD_INIT(record_hit, NULL);
	struct smp_call_stats before, after;
	struct cpumask only;

	if (!have_victim(t, victim))
		return;
	reset_hits();
	cpumask_clear(&only);
	cpumask_set_cpu(victim, &only);
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	smp_call_stats_get(me, &before);
	set_cpu_online(victim, true);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 0), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), -ENXIO);
	smp_call_function_many(&only, record_hit, NULL, true);
	set_cpu_online(victim, false);
	smp_call_stats_get(me, &after);
	KTEST_EXPECT_EQ(t, after.calls_refused - before.calls_refused, 4);
	KTEST_EXPECT_EQ(t, hits[victim], 0);
	KTEST_EXPECT_EQ(t, csd.flags, 0);
	/* This CPU's own record is free again too: a no-wait call works. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)me, record_hit, NULL, 0), 0);
out:
	bring_back(t, victim);
}

/*
 * smp_call_function_any() whose first choice went down between its online
 * check and its enqueue (faked as above: a parked CPU's bit set for a
 * moment) takes the next online CPU of the mask, and the call runs there
 * once; with no other candidate it returns -ENXIO, nothing run.
 */
static void call_any_passes_over_a_cpu_that_went_down(struct ktest *t)
{
	unsigned int last = victim_cpu(), first = helper_cpu(last);
	struct cpumask both, only;

	if (!have_victim(t, last))
		return;
	if (first >= NR_CPUS) {
		ktest_skip(t, "needs three CPUs: this one, one going down, one to take the call");
		return;
	}
	/* for_each_cpu() goes up: the one going down must come first. */
	if (!KTEST_EXPECT_LT(t, first, last))
		return;
	reset_hits();
	cpumask_clear(&both);
	cpumask_set_cpu(first, &both);
	cpumask_set_cpu(last, &both);
	cpumask_clear(&only);
	cpumask_set_cpu(first, &only);
	if (!KTEST_EXPECT_EQ(t, cpu_down(first), 0))
		goto out;
	set_cpu_online(first, true);
	KTEST_EXPECT_EQ(t, smp_call_function_any(&both, record_hit, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_any(&only, record_hit, NULL, 1), -ENXIO);
	set_cpu_online(first, false);
	KTEST_EXPECT_EQ(t, hits[first], 0);
	KTEST_EXPECT_EQ(t, hits[last], 1);
out:
	bring_back(t, first);
}

/*
 * A cpu_up() whose CPU does not answer (made silent for its next start,
 * as selftest_dead_cpu= does at boot) fails with -ETIMEDOUT and leaves it
 * as a parked CPU: offline, calls to it refused, its queue closed (a
 * sender past a faked online bit is refused at the queue). The next
 * cpu_up(), the CPU answering again, brings it back with a working call
 * path.
 */
static void cpu_that_does_not_answer_stays_down_and_can_come_back(struct ktest *t)
{
	unsigned int victim = victim_cpu(), me = smp_processor_id();
	call_single_data_t csd = CSD_INIT(record_hit, NULL);
	struct smp_call_stats before, after;

	if (!have_victim(t, victim))
		return;
	if (smp_test_dead_cpu()) {
		ktest_skip(t, "selftest_dead_cpu= is set: this case silences a CPU itself");
		return;
	}
	reset_hits();
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	smp_set_test_dead_cpu(victim);
	KTEST_EXPECT_EQ(t, cpu_up(victim), -ETIMEDOUT);
	smp_set_test_dead_cpu(0);
	KTEST_EXPECT_FALSE(t, cpu_online(victim));
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), -ENXIO);
	smp_call_stats_get(me, &before);
	set_cpu_online(victim, true);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), -ENXIO);
	set_cpu_online(victim, false);
	smp_call_stats_get(me, &after);
	KTEST_EXPECT_EQ(t, after.calls_refused - before.calls_refused, 1);
	KTEST_EXPECT_EQ(t, csd.flags, 0);
	if (!KTEST_EXPECT_EQ(t, cpu_up(victim), 0))
		goto out;
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), 0);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[victim], 2));
	KTEST_EXPECT_EQ(t, hits[victim], 2);
out:
	smp_set_test_dead_cpu(0);
	bring_back(t, victim);
}

/*
 * A start that arrives only as the next cpu_up() of its CPU begins (the
 * smp_set_test_late_cpu() hook makes it arrive the moment the state
 * leaves ABANDONED, and cpu_up() waits for it there). cpu_up() must stop it before reopening the queue:
 * before it did, the late start won the state, ran its idle loop with
 * its queue closed, and the INIT of the new start then killed it while
 * it stood online (cpu_up() returned 0 and calls to it never ran).
 */
static void late_start_is_stopped_before_cpu_up_starts_again(struct ktest *t)
{
	unsigned int victim = victim_cpu();

	if (!have_victim(t, victim))
		return;
	if (smp_test_dead_cpu()) {
		ktest_skip(t, "selftest_dead_cpu= is set: this case delays a CPU itself");
		return;
	}
	reset_hits();
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	smp_set_test_late_cpu(victim);
	KTEST_EXPECT_EQ(t, cpu_up(victim), -ETIMEDOUT);
	KTEST_EXPECT_FALSE(t, cpu_online(victim));
	/* The hook still set: this cpu_up() waits for the late start. */
	if (!KTEST_EXPECT_EQ(t, cpu_up(victim), 0))
		goto out;
	KTEST_EXPECT_TRUE(t, cpu_online(victim));
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&hits[victim]), 1);
	if (KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		KTEST_EXPECT_EQ(t, cpu_up(victim), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, atomic_read(&hits[victim]), 2);
out:
	smp_set_test_late_cpu(0);
	bring_back(t, victim);
}

/* ---- On the way down ---- */

static void queued_call_runs_exactly_once_on_the_way_down(struct ktest *t)
{
	unsigned int victim = victim_cpu();
	static call_single_data_t csd = CSD_INIT(record_hit, NULL);
	static struct smp_call_on_cpu_struct hold_w;
	struct cpumask only;

	if (!have_victim(t, victim))
		return;
	reset_hits();
	cpumask_clear(&only);
	cpumask_set_cpu(victim, &only);
	if (!hold(t, victim, &hold_w, hold_irqs_off_until_offline))
		goto out;
	/* Three calls queued while it is online, none of which can run
	 * yet: one of each kind that does not wait. */
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 0), 0);
	smp_call_function_many(&only, record_hit, NULL, false);
	KTEST_EXPECT_EQ(t, atomic_read(&hits[victim]), 0);
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	/* cpu_down() returned: every one ran, once, out of the mask. */
	KTEST_EXPECT_EQ(t, hits[victim], 3);
	KTEST_EXPECT_EQ(t, ran_offline[victim], 3);
	KTEST_EXPECT_EQ(t, ran_irqs_on[victim], 0);
	KTEST_EXPECT_EQ(t, smp_load_acquire(&csd.flags), 0);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&hold_w, KTEST_WAIT_NS), 0);
out:
	bring_back(t, victim);
	/* And nothing ran again when it came back. */
	KTEST_EXPECT_EQ(t, hits[victim], 3);
}

static struct cpumask waiter_mask;
static unsigned int waiter_started;

static int wait_on_many(void *arg)
{
	smp_store_release(&waiter_started, 1);
	smp_call_function_many(&waiter_mask, record_hit, NULL, true);
	return 0;
}

static void waiter_on_a_cpu_going_down_returns(struct ktest *t)
{
	unsigned int victim = victim_cpu(), helper = helper_cpu(victim);
	static struct smp_call_on_cpu_struct hold_w, wait_w;
	struct smp_call_stats before, now;

	if (!have_victim(t, victim))
		return;
	if (helper >= NR_CPUS) {
		ktest_skip(t, "needs three CPUs: a waiter, the CPU going down, and this one");
		return;
	}
	reset_hits();
	cpumask_clear(&waiter_mask);
	cpumask_set_cpu(victim, &waiter_mask);
	cpumask_set_cpu(smp_processor_id(), &waiter_mask);
	WRITE_ONCE(waiter_started, 0);
	if (!hold(t, victim, &hold_w, hold_irqs_off_until_offline))
		goto out;
	smp_call_stats_get(helper, &before);
	now = before;
	wait_w = (struct smp_call_on_cpu_struct){ .func = wait_on_many };
	if (!KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(helper, &wait_w), 0))
		goto out;
	/* Both records queued: the helper now waits on the victim's. */
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&waiter_started, 1));
	for (u64 start = ktime_get_ns(); ktime_get_ns() - start < KTEST_WAIT_NS;) {
		smp_call_stats_get(helper, &now);
		if (now.calls_queued - before.calls_queued >= 2)
			break;
		cpu_relax();
	}
	KTEST_EXPECT_GE(t, now.calls_queued - before.calls_queued, 2);
	KTEST_EXPECT_NE(t, READ_ONCE(wait_w.done), 1);
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&wait_w, KTEST_WAIT_NS), 0);
	KTEST_EXPECT_EQ(t, hits[victim], 1);
	KTEST_EXPECT_EQ(t, ran_offline[victim], 1);
	KTEST_EXPECT_EQ(t, hits[smp_processor_id()], 1);
	KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&hold_w, KTEST_WAIT_NS), 0);
out:
	bring_back(t, victim);
}

/* ---- Coming back ---- */

struct where {
	unsigned int cpu;
	u32 apic_id;
	bool irqs_off;
};

static void report_where(void *info)
{
	struct where *w = info;

	w->cpu = smp_processor_id();
	w->apic_id = arch_read_cpu_id();
	w->irqs_off = irqs_disabled();
}

static char check_buf[128];

static int check_cpu_state(void *arg)
{
	int err = arch_cpu_state_check(check_buf, sizeof(check_buf));

	if (!err)
		err = arch_irq_controller_check(check_buf, sizeof(check_buf));
	return err ? err : (int)smp_processor_id() + 1;
}

static void cpu_comes_back_with_a_working_call_path(struct ktest *t)
{
	unsigned int victim = victim_cpu();
	struct where w = { .cpu = ~0u };
	call_single_data_t csd = CSD_INIT(record_hit, NULL);

	if (!have_victim(t, victim))
		return;
	reset_hits();
	if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
		goto out;
	if (!KTEST_EXPECT_EQ(t, cpu_up(victim), 0))
		goto out;
	KTEST_EXPECT_TRUE(t, cpu_online(victim));
	/* A waited call, with the CPU's number, APIC ID and interrupts off
	 * as before. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, report_where, &w, 1), 0);
	KTEST_EXPECT_EQ(t, w.cpu, victim);
	KTEST_EXPECT_EQ_U(t, w.apic_id, cpu_physical_id(victim));
	KTEST_EXPECT_TRUE(t, w.irqs_off);
	/* The other kinds, and the many-target path. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)victim, record_hit, NULL, 0), 0);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)victim, &csd), 0);
	on_each_cpu(record_hit, NULL, 1);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&hits[victim], 3));
	KTEST_EXPECT_EQ(t, ran_irqs_on[victim], 0);
	/* Its idle loop runs work, and its control registers and APIC are
	 * as boot set them, not as it left them going down. */
	KTEST_EXPECT_EQ(t, smp_call_on_cpu(victim, check_cpu_state, NULL, false),
			(int)victim + 1);
	ktest_diag(t, "CPU %u after cpu_up(): %s", victim, check_buf);
out:
	bring_back(t, victim);
}

/* ---- A hundred cycles with calls in flight ---- */

struct flight {
	/* Written by the CPU the calls run on, one call at a time. */
	u64 last_seq[NR_SENDERS];
	unsigned int ran[NR_SENDERS];
	unsigned int many_ran;
	unsigned int bad_order;
	/* Written by the background sender only. */
	unsigned int bg_stop;
	unsigned int bg_accepted;
	unsigned int bg_refused;
	unsigned int bg_many;
	unsigned int bg_errors;
};

static struct flight flight;
static call_single_data_t flight_records[NR_SENDERS][BG_RECORDS];
static unsigned int flight_victim;

static void flight_check(unsigned long info)
{
	unsigned int sender = (unsigned int)(info >> SENDER_SHIFT);
	u64 seq = info & SEQ_MASK;

	/* Sequence numbers rise with each call a sender makes (refused
	 * ones leave gaps): one not above the last is a duplicate or out
	 * of order. */
	if (seq <= flight.last_seq[sender])
		flight.bad_order++;
	flight.last_seq[sender] = seq;
}

static void flight_fn(void *info)
{
	unsigned long v = (unsigned long)info;

	flight_check(v);
	smp_store_release(&flight.ran[v >> SENDER_SHIFT], flight.ran[v >> SENDER_SHIFT] + 1);
}

static void flight_many_fn(void *info)
{
	flight_check((unsigned long)info);
	smp_store_release(&flight.many_ran, flight.many_ran + 1);
}

/* Queue a record of @sender's own, once its last call has started. */
static int flight_async(unsigned int sender, unsigned int slot, unsigned long info)
{
	call_single_data_t *csd = &flight_records[sender][slot % BG_RECORDS];

	while (smp_load_acquire(&csd->flags) & CSD_FLAG_LOCK)
		cpu_relax();
	csd->func = flight_fn;
	csd->info = (void *)info;
	return smp_call_function_single_async((int)flight_victim, csd);
}

/* A third CPU's work: call the victim every way it can, the whole time
 * the boot CPU takes it down and up, counting what was accepted. */
static int background_sender(void *arg)
{
	unsigned long seq = 0, tag = (unsigned long)SENDER_BG << SENDER_SHIFT;
	struct cpumask only;
	int err = 0;

	cpumask_clear(&only);
	cpumask_set_cpu(flight_victim, &only);
	for (unsigned int i = 0; !smp_load_acquire(&flight.bg_stop); i++) {
		unsigned long info = tag | ++seq;

		switch (i % 4) {
		case 0:
			err = smp_call_function_single((int)flight_victim, flight_fn,
						       (void *)info, 1);
			break;
		case 1:
			err = smp_call_function_single((int)flight_victim, flight_fn,
						       (void *)info, 0);
			break;
		case 2:
			err = flight_async(SENDER_BG, i / 4, info);
			break;
		default:
			/* Whether the victim takes it is not known here: it
			 * runs at most once, and in order. */
			smp_call_function_many(&only, flight_many_fn, (void *)info, true);
			flight.bg_many++;
			continue;
		}
		if (err == 0)
			flight.bg_accepted++;
		else if (err == -ENXIO)
			flight.bg_refused++;
		else
			flight.bg_errors++;
	}
	return 0;
}

/* Until the background sender has had @want calls accepted, or a
 * while: it is a pace, not a check. */
static void wait_for_background(unsigned int want)
{
	u64 start = ktime_get_ns();

	while (atomic_read(&flight.bg_accepted) < want &&
	       ktime_get_ns() - start < BG_PACE_NS)
		cpu_relax();
}

static void down_up_cycles_with_calls_in_flight(struct ktest *t)
{
	unsigned int victim = victim_cpu(), helper = helper_cpu(victim);
	unsigned long boot_seq = 0, boot_tag = (unsigned long)SENDER_BOOT << SENDER_SHIFT;
	unsigned int cycles = 0, boot_accepted = 0;
	static struct smp_call_on_cpu_struct bg_w;
	struct smp_call_stats before, after;
	u64 start = ktime_get_ns(), elapsed;

	if (!have_victim(t, victim))
		return;
	smp_call_stats_sum(&before);
	flight = (struct flight){ 0 };
	flight_victim = victim;
	smp_mb();
	if (helper < NR_CPUS) {
		bg_w = (struct smp_call_on_cpu_struct){ .func = background_sender };
		KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(helper, &bg_w), 0);
	} else {
		ktest_diag(t, "no third CPU: only this CPU's own calls are in flight");
	}
	for (; cycles < HOTPLUG_CYCLES; cycles++) {
		for (unsigned int i = 0; i < CYCLE_IN_FLIGHT; i++)
			if (KTEST_EXPECT_EQ(t, flight_async(SENDER_BOOT, i, boot_tag | ++boot_seq), 0))
				boot_accepted++;
		if (!KTEST_EXPECT_EQ(t, cpu_down(victim), 0))
			break;
		/* Ours were queued while it was online: all ran going down. */
		if (!KTEST_EXPECT_EQ(t, smp_load_acquire(&flight.ran[SENDER_BOOT]), boot_accepted))
			break;
		if (!KTEST_EXPECT_EQ(t, cpu_up(victim), 0))
			break;
		/* Refusals are quick and acceptances slow: give the
		 * background sender time to have calls accepted again, so
		 * that each cycle has some in flight as it goes down. */
		if (helper < NR_CPUS)
			wait_for_background(flight.bg_accepted + CYCLE_IN_FLIGHT);
	}
	elapsed = ktime_get_ns() - start;
	smp_call_stats_sum(&after);
	bring_back(t, victim);
	smp_store_release(&flight.bg_stop, 1);
	if (helper < NR_CPUS)
		KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&bg_w, KTEST_WAIT_NS), 0);
	/* Its no-wait calls may still be on their way to the victim. */
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&flight.ran[SENDER_BG], flight.bg_accepted));

	KTEST_EXPECT_EQ(t, cycles, HOTPLUG_CYCLES);
	KTEST_EXPECT_EQ(t, flight.ran[SENDER_BOOT], boot_accepted);
	KTEST_EXPECT_EQ(t, flight.ran[SENDER_BG], flight.bg_accepted);
	KTEST_EXPECT_LE(t, flight.many_ran, flight.bg_many);
	KTEST_EXPECT_EQ(t, flight.bad_order, 0);
	KTEST_EXPECT_EQ(t, flight.bg_errors, 0);
	ktest_diag(t, "%u down/up cycles of CPU %u in %llu ms; background: %u calls run, %u refused (-ENXIO; %llu of them at a closed queue), %u of %u many-calls taken",
		   cycles, victim, (unsigned long long)(elapsed / NSEC_PER_MSEC),
		   flight.bg_accepted, flight.bg_refused,
		   (unsigned long long)(after.calls_refused - before.calls_refused),
		   flight.many_ran, flight.bg_many);
}

static const struct ktest_case hotplug_cases[] = {
	KTEST_CASE(boot_cpu_and_bad_numbers_are_refused),
	KTEST_CASE(interrupts_off_is_refused),
	KTEST_CASE(self_and_concurrent_requests_are_refused),
	KTEST_CASE(calls_to_a_down_cpu_fail_with_enxio),
	KTEST_CASE(shorthand_is_off_while_a_cpu_is_down),
	KTEST_CASE(sender_that_raced_the_departure_is_refused),
	KTEST_CASE(call_any_passes_over_a_cpu_that_went_down),
	KTEST_CASE(cpu_that_does_not_answer_stays_down_and_can_come_back),
	KTEST_CASE(late_start_is_stopped_before_cpu_up_starts_again),
	KTEST_CASE(queued_call_runs_exactly_once_on_the_way_down),
	KTEST_CASE(waiter_on_a_cpu_going_down_returns),
	KTEST_CASE(cpu_comes_back_with_a_working_call_path),
	KTEST_CASE(down_up_cycles_with_calls_in_flight),
};
KTEST_SUITE(hotplug, hotplug_cases);
