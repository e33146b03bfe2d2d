// SPDX-License-Identifier: MIT
/*
 * The call path under CPU hotplug, in the spirit of Linux's
 * kernel/scftorture.c (its code is xcall's own): every online CPU makes a
 * weighted random mix of calls, the boot CPU too, while the boot CPU also
 * takes random other CPUs down and brings them back up. It stops after
 * torture_s= seconds or torture_calls= calls, whichever comes first; the
 * suite is in the plan only when one of them is given.
 *
 * The kinds (weights as options, torture_weight_<kind>=):
 *   single, single_wait, single_async   smp_call_function_single() without
 *                                       and with waiting, and
 *                                       smp_call_function_single_async()
 *                                       on records of the sender's own
 *   many, many_wait                     smp_call_function_many(), a random
 *                                       mask
 *   all, all_wait                       smp_call_function()
 *   cond, cond_wait                     on_each_cpu_cond_mask(), a random
 *                                       mask and condition
 *   any                                 smp_call_function_any(), waited for
 * Targets and masks are drawn from every possible CPU, offline ones too.
 *
 * What each call proves:
 *   - Its function sees what the sender wrote before the call: a no-wait
 *     call's sender publishes its sequence number first, a waited call's
 *     sender fills its ticket first, and the function checks.
 *   - A waiting sender sees what the function wrote: each target writes
 *     its mark into the ticket, and the sender checks every mark of every
 *     target that had to run it.
 *   - Nothing is lost, doubled or reordered. Every call carries its
 *     sender's next sequence number; a target checks that the numbers from
 *     one sender only rise (a repeat is a duplicate, a drop back a
 *     reordering; refused calls leave gaps). Each sender counts, per
 *     target, the calls that must run there (the API said so, or the
 *     target was online and stayed so through the whole call) and those
 *     that may (the target went down or came up meanwhile); at the end,
 *     what ran must lie between the two.
 * "Stayed so" is read from a generation count per CPU that the boot CPU
 * makes odd before each cpu_down() or cpu_up() and even after it: a call
 * that saw the same even count before and after raced no transition.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>
#include <xcall/time.h>

enum torture_kind {
	KIND_SINGLE,
	KIND_SINGLE_WAIT,
	KIND_SINGLE_ASYNC,
	KIND_MANY,
	KIND_MANY_WAIT,
	KIND_ALL,
	KIND_ALL_WAIT,
	KIND_COND,
	KIND_COND_WAIT,
	KIND_ANY,
	NR_KINDS,
};

static const char *const kind_names[NR_KINDS] = {
	"single", "single_wait", "single_async", "many", "many_wait",
	"all", "all_wait", "cond", "cond_wait", "any",
};

/* One-target kinds weigh more than many-target ones, as in scftorture's
 * defaults (a many-target call does the work of several), and async
 * calls most: a sender keeps ASYNC_RECORDS of them in flight, while a
 * waited call, under emulation with more vCPUs than host cores, waits
 * for the target's host thread to get a core. Every kind still comes
 * every few dozen calls. */
static unsigned int weights[NR_KINDS] = { 4, 2, 8, 2, 1, 1, 1, 1, 1, 1 };

#define TORTURE_WEIGHT_MAX	1000
#define TORTURE_S_MAX		(7u * 24 * 3600)
#define TORTURE_CALLS_MAX	4000000000u
#define TORTURE_ONOFF_MS_MAX	60000
/* One hotplug step (a down or an up) this often: about 1,500 down/up
 * cycles in 300 s where each step takes a few ms. 0: no hotplug. */
#define TORTURE_ONOFF_MS_DEFAULT	100

static unsigned int torture_s;
static unsigned int torture_calls;
static unsigned int torture_onoff_ms = TORTURE_ONOFF_MS_DEFAULT;

DEFINE_OPTION_UINT(torture_s, torture_s, 0, TORTURE_S_MAX,
		   "run the torture suite for this many seconds");
DEFINE_OPTION_UINT(torture_calls, torture_calls, 0, TORTURE_CALLS_MAX,
		   "run the torture suite until this many calls (all CPUs together)");
DEFINE_OPTION_UINT(torture_onoff_ms, torture_onoff_ms, 0, TORTURE_ONOFF_MS_MAX,
		   "torture: one CPU down or up this often, in ms (0: no hotplug)");
DEFINE_OPTION_UINT(torture_weight_single, weights[KIND_SINGLE], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function_single() without waiting");
DEFINE_OPTION_UINT(torture_weight_single_wait, weights[KIND_SINGLE_WAIT], 0,
		   TORTURE_WEIGHT_MAX, "torture: weight of smp_call_function_single(), waited for");
DEFINE_OPTION_UINT(torture_weight_single_async, weights[KIND_SINGLE_ASYNC], 0,
		   TORTURE_WEIGHT_MAX, "torture: weight of smp_call_function_single_async()");
DEFINE_OPTION_UINT(torture_weight_many, weights[KIND_MANY], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function_many() without waiting");
DEFINE_OPTION_UINT(torture_weight_many_wait, weights[KIND_MANY_WAIT], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function_many(), waited for");
DEFINE_OPTION_UINT(torture_weight_all, weights[KIND_ALL], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function() without waiting");
DEFINE_OPTION_UINT(torture_weight_all_wait, weights[KIND_ALL_WAIT], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function(), waited for");
DEFINE_OPTION_UINT(torture_weight_cond, weights[KIND_COND], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of on_each_cpu_cond_mask() without waiting");
DEFINE_OPTION_UINT(torture_weight_cond_wait, weights[KIND_COND_WAIT], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of on_each_cpu_cond_mask(), waited for");
DEFINE_OPTION_UINT(torture_weight_any, weights[KIND_ANY], 0, TORTURE_WEIGHT_MAX,
		   "torture: weight of smp_call_function_any(), waited for");

/* One target in this many is drawn from every possible CPU. */
#define OFFLINE_TARGET_ONE_IN	8
/* At most this fraction of the CPUs other than the boot CPU is down at
 * once (and at least one): enough for several to be down together, few
 * enough that most calls find work to do. */
#define MAX_DOWN_DIVISOR	2
/* A worker holds interrupts off before one call in this many, for up
 * to this long (see irqs_off_moment()). */
#define IRQS_OFF_ONE_IN		4
#define IRQS_OFF_MAX_NS		(50 * NSEC_PER_USEC)
/* Each CPU's own async records, used round-robin. */
#define ASYNC_RECORDS		16
/* The end of a run: how long the workers, and the calls still in
 * flight, get to finish. */
#define TORTURE_DRAIN_NS	(60ull * NSEC_PER_SEC)
#define TORTURE_PROGRESS_NS	(10ull * NSEC_PER_SEC)
/* Room for the calls-by-kind line. */
#define REPORT_LINE_MAX		256

/* A no-wait call's info: tag bit 0 set, the sender, then the sequence
 * number; a waited call's info is its ticket's address (bit 0 clear). */
#define INFO_TAG		1ul
#define INFO_SENDER_SHIFT	1
#define INFO_SENDER_BITS	10
#define INFO_SEQ_SHIFT		(INFO_SENDER_SHIFT + INFO_SENDER_BITS)
BUILD_BUG_ON(NR_CPUS > (1 << INFO_SENDER_BITS));

/* What a waited call's sender hands its targets. */
struct ticket {
	u64 seq;
	unsigned int sender;
	u64 in;		/* written before the call, checked by each target */
	u64 *out;	/* [n]: each target writes its mark, the sender checks */
};

/* Per (sender, target), written on the target, one function at a time. */
struct pair_ran {
	u64 last_seq;
	u64 ran;
	u32 duplicated;
	u32 misordered;
};

/* Per (sender, target), written by the sender only. */
struct pair_expect {
	u64 must;	/* calls that have to run there */
	u64 may;	/* calls that may have, or not */
};

/* Each CPU's own, as a sender; targets read published only. */
struct torture_cpu {
	u64 published;		/* the sequence number of the call being made */
	u64 seq;
	u64 rng;
	u64 calls[NR_KINDS];
	u64 refused;		/* -ENXIO: the target was offline */
	u64 api_errors;		/* any other error */
	u64 max_wait_cycles;
	u64 unseen;		/* a waiter did not see a target's write */
	u64 lost_now;		/* smp_call_function_any() ran nowhere */
	u64 duplicated_now;	/* smp_call_function_any() ran twice, or ran
				 * although it returned -ENXIO */
	unsigned int async_slot;
	struct ticket ticket;
	struct cpumask mask;
	u32 gen_before[NR_CPUS];
	bool online_before[NR_CPUS];
	call_single_data_t records[ASYNC_RECORDS];
} ____cacheline_aligned;

/* Each CPU's own, as a target. */
struct torture_target {
	u64 functions;
	u64 functions_remote;	/* for a sender on another CPU */
	u64 functions_going_down;	/* run out of the online mask */
	u64 ordering_errors;	/* a function did not see the sender's write */
} ____cacheline_aligned;

static struct {
	unsigned int n;
	unsigned int weight_total;
	struct torture_cpu *cpus;	/* [n] */
	struct torture_target *targets;	/* [n] */
	struct pair_ran *ran;		/* [sender * n + target] */
	struct pair_expect *expect;	/* likewise */
	u64 *marks;			/* [sender * n + target]: ticket outs */
	u32 gen[NR_CPUS];		/* odd while the CPU goes down or up */
	struct cpumask taken_down;	/* by this run: the ones it brings up */
	unsigned int stop;
	u64 downs, ups, hotplug_errors;
	u64 down_ns, up_ns;		/* time spent in each, summed */
} tor;

static bool torture_requested(void)
{
	return torture_s || torture_calls;
}

/* xorshift64: cheap, per CPU, reproducible from the seed. */
static u64 next_random(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The patterns a ticket carries: any function of the call would do, as
 * long as a stale or torn value does not match. */
static u64 in_pattern(u64 seq, unsigned int sender)
{
	return (seq * 0x9e3779b97f4a7c15ull) ^ sender;
}

static u64 out_pattern(u64 seq, unsigned int target)
{
	return (seq * 0xc2b2ae3d27d4eb4full) ^ ((u64)target << 48) ^ 1;
}

/* on_each_cpu_cond_mask()'s condition, recomputed by the sender. */
static bool cond_says(u64 seq, unsigned int cpu)
{
	u64 h = (seq ^ ((u64)cpu << 32)) * 0xff51afd7ed558ccdull;

	return (h >> 61) & 1;
}

static void decode(void *info, unsigned int *sender, u64 *seq, const struct ticket **tk)
{
	unsigned long v = (unsigned long)info;

	if (v & INFO_TAG) {
		*sender = (unsigned int)(v >> INFO_SENDER_SHIFT) & ((1u << INFO_SENDER_BITS) - 1);
		*seq = v >> INFO_SEQ_SHIFT;
		*tk = NULL;
	} else {
		*tk = info;
		*sender = (*tk)->sender;
		*seq = (*tk)->seq;
	}
}

/* The function every call runs, on its target, interrupts off. */
static void torture_fn(void *info)
{
	unsigned int me = smp_processor_id(), sender;
	const struct ticket *tk;
	struct pair_ran *p;
	u64 seq;

	decode(info, &sender, &seq, &tk);
	/* The sender's writes before the call are visible here. */
	if (tk ? READ_ONCE(tk->in) != in_pattern(seq, sender) :
		 READ_ONCE(tor.cpus[sender].published) < seq)
		tor.targets[me].ordering_errors++;
	p = &tor.ran[sender * tor.n + me];
	if (seq == p->last_seq)
		p->duplicated++;
	else if (seq < p->last_seq)
		p->misordered++;
	else
		p->last_seq = seq;
	/* Release: the end-of-run check reads the counts after they match. */
	smp_store_release(&p->ran, p->ran + 1);
	tor.targets[me].functions++;
	if (sender != me)
		tor.targets[me].functions_remote++;
	if (!cpu_online(me))
		tor.targets[me].functions_going_down++;
	if (tk)
		WRITE_ONCE(tk->out[me], out_pattern(seq, me));
}

static bool torture_cond(int cpu, void *info)
{
	unsigned int sender;
	const struct ticket *tk;
	u64 seq;

	decode(info, &sender, &seq, &tk);
	return cond_says(seq, (unsigned int)cpu);
}

/* ---- One call ---- */

static void *no_wait_info(unsigned int me, u64 seq)
{
	return (void *)((seq << INFO_SEQ_SHIFT) | ((unsigned long)me << INFO_SENDER_SHIFT) |
			INFO_TAG);
}

/* Fill the ticket for a waited call to @targets, their marks cleared. */
static void *waited_info(struct torture_cpu *c, unsigned int me, u64 seq,
			 const struct cpumask *targets)
{
	unsigned int cpu;

	c->ticket.seq = seq;
	c->ticket.sender = me;
	c->ticket.in = in_pattern(seq, me);
	for_each_cpu(cpu, targets)
		c->ticket.out[cpu] = 0;
	return &c->ticket;
}

/* A target: one in OFFLINE_TARGET_ONE_IN is any possible CPU, online or
 * not (the -ENXIO path); the rest an online one, so that most calls do
 * some work rather than fail at once. */
static unsigned int random_cpu(struct torture_cpu *c)
{
	u64 r = next_random(&c->rng);
	unsigned int cpu, nth;

	if (r % OFFLINE_TARGET_ONE_IN == 0)
		return (unsigned int)((r >> 32) % tor.n);
	nth = (unsigned int)((r >> 32) % max(num_online_cpus(), 1u));
	for_each_online_cpu(cpu)
		if (nth-- == 0)
			return cpu;
	return smp_processor_id();
}

/* A random subset of the possible CPUs, about half of them. */
static void random_mask(struct torture_cpu *c, struct cpumask *m)
{
	unsigned int cpu, bit = 64;
	u64 r = 0;

	cpumask_clear(m);
	for_each_possible_cpu(cpu) {
		if (bit == 64) {
			r = next_random(&c->rng);
			bit = 0;
		}
		if ((r >> bit++) & 1)
			__cpumask_set_cpu(cpu, m);
	}
}

static void account_single(struct torture_cpu *c, unsigned int me, unsigned int target,
			   int err)
{
	if (err == 0)
		tor.expect[me * tor.n + target].must++;
	else if (err == -ENXIO)
		c->refused++;
	else
		c->api_errors++;
}

static void note_wait(struct torture_cpu *c, u64 t0)
{
	u64 waited = get_cycles() - t0;

	if (waited > c->max_wait_cycles)
		c->max_wait_cycles = waited;
}

/* The targets of a many-target call, and whether each stood still. */
static void snapshot_targets(struct torture_cpu *c, const struct cpumask *eligible)
{
	unsigned int cpu;

	for_each_cpu(cpu, eligible) {
		c->gen_before[cpu] = smp_load_acquire(&tor.gen[cpu]);
		c->online_before[cpu] = cpu_online(cpu);
	}
}

/*
 * After a many-target call: each CPU of @eligible had to run it (online,
 * and no transition straddled the call), could not have (offline, no
 * transition), or may have. With @tk, the sender waited: every CPU that
 * had to run it must have left its mark.
 */
static void account_many(struct torture_cpu *c, unsigned int me,
			 const struct cpumask *eligible, const struct ticket *tk)
{
	unsigned int cpu;

	/* The generation reads below come after the call's every access to
	 * the online mask and the queues. */
	smp_mb();
	for_each_cpu(cpu, eligible) {
		struct pair_expect *e = &tor.expect[me * tor.n + cpu];
		u32 gen = smp_load_acquire(&tor.gen[cpu]);
		bool still = gen == c->gen_before[cpu] && !(gen & 1);

		if (cpu == me || (still && c->online_before[cpu])) {
			e->must++;
			if (tk && READ_ONCE(tk->out[cpu]) != out_pattern(tk->seq, cpu))
				c->unseen++;
		} else if (!still) {
			e->may++;
			if (tk && READ_ONCE(tk->out[cpu]) != 0 &&
			    READ_ONCE(tk->out[cpu]) != out_pattern(tk->seq, cpu))
				c->unseen++;
		}
	}
}

static void call_single_kind(struct torture_cpu *c, unsigned int me, u64 seq,
			     enum torture_kind kind)
{
	unsigned int target = random_cpu(c);
	call_single_data_t *csd;
	u64 t0;
	int err;

	switch (kind) {
	case KIND_SINGLE:
		err = smp_call_function_single((int)target, torture_fn, no_wait_info(me, seq), 0);
		break;
	case KIND_SINGLE_WAIT:
		cpumask_clear(&c->mask);
		__cpumask_set_cpu(target, &c->mask);
		waited_info(c, me, seq, &c->mask);
		t0 = get_cycles();
		err = smp_call_function_single((int)target, torture_fn, &c->ticket, 1);
		note_wait(c, t0);
		if (err == 0 && READ_ONCE(c->ticket.out[target]) != out_pattern(seq, target))
			c->unseen++;
		break;
	default:
		/* A record of our own, once its last call has started. */
		csd = &c->records[c->async_slot++ % ASYNC_RECORDS];
		while (smp_load_acquire(&csd->flags) & CSD_FLAG_LOCK)
			cpu_relax();
		csd->func = torture_fn;
		csd->info = no_wait_info(me, seq);
		err = smp_call_function_single_async((int)target, csd);
		break;
	}
	account_single(c, me, target, err);
}

static void call_any(struct torture_cpu *c, unsigned int me, u64 seq)
{
	unsigned int cpu, found = 0, where = 0;
	u64 t0;
	int err;

	random_mask(c, &c->mask);
	waited_info(c, me, seq, &c->mask);
	t0 = get_cycles();
	err = smp_call_function_any(&c->mask, torture_fn, &c->ticket, 1);
	note_wait(c, t0);
	if (err) {
		account_single(c, me, 0, err);
		/* Refused means run nowhere: the pattern carries this call's
		 * sequence number, so no earlier call can have left it. A
		 * CPU that ran it anyway ran it once more than it should. */
		if (err == -ENXIO)
			for_each_cpu(cpu, &c->mask)
				if (READ_ONCE(c->ticket.out[cpu]) == out_pattern(seq, cpu))
					c->duplicated_now++;
		return;
	}
	for_each_cpu(cpu, &c->mask)
		if (READ_ONCE(c->ticket.out[cpu]) == out_pattern(seq, cpu)) {
			found++;
			where = cpu;
		}
	if (found == 0)
		c->lost_now++;
	else if (found > 1)
		c->duplicated_now++;
	else
		tor.expect[me * tor.n + where].must++;
}

static void call_many_kind(struct torture_cpu *c, unsigned int me, u64 seq,
			   enum torture_kind kind)
{
	bool wait = kind == KIND_MANY_WAIT || kind == KIND_ALL_WAIT || kind == KIND_COND_WAIT;
	struct cpumask eligible;
	void *info;
	unsigned int cpu;
	u64 t0;

	/* The CPUs that may run it: the mask's (all for smp_call_function())
	 * but the sender, which runs it only in on_each_cpu_cond_mask(), and
	 * only those the condition picks there. */
	if (kind == KIND_ALL || kind == KIND_ALL_WAIT)
		cpumask_copy(&c->mask, cpu_possible_mask);
	else
		random_mask(c, &c->mask);
	cpumask_copy(&eligible, &c->mask);
	if (kind == KIND_COND || kind == KIND_COND_WAIT) {
		for_each_cpu(cpu, &c->mask)
			if (!cond_says(seq, cpu))
				__cpumask_clear_cpu(cpu, &eligible);
	} else {
		__cpumask_clear_cpu(me, &eligible);
	}
	info = wait ? waited_info(c, me, seq, &eligible) : no_wait_info(me, seq);
	snapshot_targets(c, &eligible);
	t0 = get_cycles();
	switch (kind) {
	case KIND_MANY:
	case KIND_MANY_WAIT:
		smp_call_function_many(&c->mask, torture_fn, info, wait);
		break;
	case KIND_ALL:
	case KIND_ALL_WAIT:
		smp_call_function(torture_fn, info, wait);
		break;
	default:
		on_each_cpu_cond_mask(torture_cond, torture_fn, info, wait, &c->mask);
		break;
	}
	if (wait)
		note_wait(c, t0);
	account_many(c, me, &eligible, wait ? &c->ticket : NULL);
}

static enum torture_kind pick_kind(struct torture_cpu *c)
{
	unsigned int r = (unsigned int)(next_random(&c->rng) % tor.weight_total);
	unsigned int k;

	for (k = 0; k < NR_KINDS - 1; k++) {
		if (r < weights[k])
			break;
		r -= weights[k];
	}
	return (enum torture_kind)k;
}

static void torture_one_call(unsigned int me)
{
	struct torture_cpu *c = &tor.cpus[me];
	enum torture_kind kind = pick_kind(c);
	u64 seq = ++c->seq;

	/* Before the call: what a no-wait call's function checks. */
	WRITE_ONCE(c->published, seq);
	switch (kind) {
	case KIND_SINGLE:
	case KIND_SINGLE_WAIT:
	case KIND_SINGLE_ASYNC:
		call_single_kind(c, me, seq, kind);
		break;
	case KIND_ANY:
		call_any(c, me, seq);
		break;
	default:
		call_many_kind(c, me, seq, kind);
		break;
	}
	/* Counted only now: the boot CPU reads the counts as the stop
	 * condition, and a call counts once it is made. */
	WRITE_ONCE(c->calls[kind], c->calls[kind] + 1);
}

/*
 * Now and then a worker holds interrupts off for a moment, as a CPU busy
 * in a critical section does: calls pile up in its queue meanwhile. When
 * its CPU goes down during such a moment it returns with interrupts
 * still off, and its idle loop goes straight to cpu_idle_dead(): the
 * calls then run in the dying CPU's flushes, not in an IPI handler,
 * which is the path a CPU going down must get right.
 * Return: false when the CPU went down (interrupts are off then).
 */
static bool irqs_off_moment(unsigned int me)
{
	u64 r = next_random(&tor.cpus[me].rng), end;

	if (r % IRQS_OFF_ONE_IN)
		return true;
	local_irq_disable();
	end = ktime_get_ns() + (r >> 32) % IRQS_OFF_MAX_NS;
	while (cpu_online(me) && ktime_get_ns() < end)
		cpu_relax();
	if (!cpu_online(me))
		return false;
	local_irq_enable();
	return true;
}

/* Every CPU but the boot CPU: calls until told to stop, or until its
 * CPU is taken offline (cpu_down() waits for this to return). */
static int torture_worker(void *arg)
{
	unsigned int me = smp_processor_id();

	while (!smp_load_acquire(&tor.stop) && cpu_online(me)) {
		if (!irqs_off_moment(me))
			break;
		torture_one_call(me);
	}
	return 0;
}

/* ---- The boot CPU: hotplug, workers, the clock ---- */

static u64 calls_so_far(void)
{
	u64 sum = 0;

	for (unsigned int cpu = 0; cpu < tor.n; cpu++)
		for (unsigned int k = 0; k < NR_KINDS; k++)
			sum += READ_ONCE(tor.cpus[cpu].calls[k]);
	return sum;
}

/* Take @cpu down or bring it up, its generation count odd meanwhile.
 * Return: what cpu_down() or cpu_up() returned. */
static int hotplug_one(unsigned int cpu, bool down)
{
	int err;

	/* Odd before the online bit can change; the full barriers keep the
	 * count's stores on either side of everything cpu_down() and
	 * cpu_up() do. */
	u64 t0;

	smp_store_release(&tor.gen[cpu], tor.gen[cpu] + 1);
	smp_mb();
	t0 = ktime_get_ns();
	err = down ? cpu_down(cpu) : cpu_up(cpu);
	t0 = ktime_get_ns() - t0;
	smp_mb();
	smp_store_release(&tor.gen[cpu], tor.gen[cpu] + 1);
	if (err) {
		tor.hotplug_errors++;
	} else if (down) {
		tor.downs++;
		tor.down_ns += t0;
		cpumask_set_cpu(cpu, &tor.taken_down);
	} else {
		tor.ups++;
		tor.up_ns += t0;
		cpumask_clear_cpu(cpu, &tor.taken_down);
	}
	return err;
}

/* The @nth CPU this run took down. */
static unsigned int nth_taken_down(unsigned int nth)
{
	unsigned int cpu;

	for_each_cpu(cpu, &tor.taken_down)
		if (nth-- == 0)
			return cpu;
	return NR_CPUS;
}

/* One step: a random CPU other than the boot CPU goes down if it is up,
 * up if this run took it down (one bring-up left out stays out). When
 * the most that may be down are down, a random one of them comes up. */
static void hotplug_step(u64 *rng)
{
	u64 r = next_random(rng);
	unsigned int cpu = 1 + (unsigned int)(r % (tor.n - 1));
	unsigned int nr_down = cpumask_weight(&tor.taken_down);
	unsigned int max_down = max((tor.n - 1) / MAX_DOWN_DIVISOR, 1u);

	if (cpu_online(cpu) && nr_down >= max_down)
		cpu = nth_taken_down((unsigned int)((r >> 32) % nr_down));
	if (cpu >= NR_CPUS)
		return;
	if (cpu_online(cpu))
		hotplug_one(cpu, true);
	else if (cpumask_test_cpu(cpu, &tor.taken_down))
		hotplug_one(cpu, false);
}

/* Start a worker on each online CPU that has none running. */
static void start_workers(struct ktest *t, struct smp_call_on_cpu_struct *work,
			  bool *running)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		if (running[cpu]) {
			if (!smp_load_acquire(&work[cpu].done))
				continue;
			running[cpu] = false;
		}
		work[cpu] = (struct smp_call_on_cpu_struct){ .func = torture_worker };
		/* It may have gone down since the mask was read: next time. */
		if (smp_call_on_cpu_async(cpu, &work[cpu]) == 0)
			running[cpu] = true;
	}
}

static void progress(struct ktest *t, u64 start)
{
	u64 calls = calls_so_far();

	ktest_diag(t, "progress: %llu calls, %llu down/up cycles, %u CPUs online, after %llu s",
		   (unsigned long long)calls, (unsigned long long)tor.ups,
		   num_online_cpus(),
		   (unsigned long long)((ktime_get_ns() - start) / NSEC_PER_SEC));
	ktest_progress("torture: %llu calls, %llu cycles", (unsigned long long)calls,
		       (unsigned long long)tor.ups);
}

/* ---- Set-up and the verdict ---- */

static bool torture_alloc(void)
{
	unsigned int n = tor.n;
	size_t pairs = (size_t)n * n;

	tor.cpus = alloc_pages(DIV_ROUND_UP(n * sizeof(*tor.cpus), PAGE_SIZE));
	tor.targets = alloc_pages(DIV_ROUND_UP(n * sizeof(*tor.targets), PAGE_SIZE));
	tor.ran = alloc_pages(DIV_ROUND_UP(pairs * sizeof(*tor.ran), PAGE_SIZE));
	tor.expect = alloc_pages(DIV_ROUND_UP(pairs * sizeof(*tor.expect), PAGE_SIZE));
	tor.marks = alloc_pages(DIV_ROUND_UP(pairs * sizeof(*tor.marks), PAGE_SIZE));
	if (!tor.cpus || !tor.targets || !tor.ran || !tor.expect || !tor.marks)
		return false;
	memset(tor.cpus, 0, n * sizeof(*tor.cpus));
	memset(tor.targets, 0, n * sizeof(*tor.targets));
	memset(tor.ran, 0, pairs * sizeof(*tor.ran));
	memset(tor.expect, 0, pairs * sizeof(*tor.expect));
	memset(tor.marks, 0, pairs * sizeof(*tor.marks));
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		tor.cpus[cpu].rng = 0x2545f4914f6cdd1dull * (cpu + 1);
		tor.cpus[cpu].ticket.out = &tor.marks[cpu * n];
	}
	return true;
}

/* Until every call that had to run has run, and every async record is
 * free again, or the drain's bound passes. */
static bool drained(u64 deadline)
{
	do {
		bool done = true;

		for (size_t i = 0; done && i < (size_t)tor.n * tor.n; i++)
			done = smp_load_acquire(&tor.ran[i].ran) >= tor.expect[i].must;
		for (unsigned int cpu = 0; done && cpu < tor.n; cpu++)
			for (unsigned int r = 0; done && r < ASYNC_RECORDS; r++)
				done = !(smp_load_acquire(&tor.cpus[cpu].records[r].flags) &
					 CSD_FLAG_LOCK);
		if (done)
			return true;
		cpu_relax();
	} while (ktime_get_ns() < deadline);
	return false;
}

struct verdict {
	u64 lost, duplicated, misordered, ordering, functions, remote, going_down;
};

static void judge(struct verdict *v)
{
	*v = (struct verdict){ 0 };
	for (size_t i = 0; i < (size_t)tor.n * tor.n; i++) {
		const struct pair_ran *r = &tor.ran[i];
		const struct pair_expect *e = &tor.expect[i];

		if (r->ran < e->must)
			v->lost += e->must - r->ran;
		if (r->ran > e->must + e->may)
			v->duplicated += r->ran - e->must - e->may;
		v->duplicated += r->duplicated;
		v->misordered += r->misordered;
	}
	for (unsigned int cpu = 0; cpu < tor.n; cpu++) {
		v->lost += tor.cpus[cpu].lost_now;
		v->duplicated += tor.cpus[cpu].duplicated_now;
		v->ordering += tor.cpus[cpu].unseen + tor.targets[cpu].ordering_errors;
		v->functions += tor.targets[cpu].functions;
		v->remote += tor.targets[cpu].functions_remote;
		v->going_down += tor.targets[cpu].functions_going_down;
	}
}

static void report(struct ktest *t, u64 elapsed, const struct smp_call_stats *before,
		   const struct smp_call_stats *after, const struct verdict *v)
{
	u64 by_kind[NR_KINDS] = { 0 }, refused = 0, errors = 0, max_wait = 0, calls = 0;
	char line[REPORT_LINE_MAX];
	int len = 0;

	for (unsigned int cpu = 0; cpu < tor.n; cpu++) {
		const struct torture_cpu *c = &tor.cpus[cpu];

		for (unsigned int k = 0; k < NR_KINDS; k++)
			by_kind[k] += c->calls[k];
		refused += c->refused;
		errors += c->api_errors;
		max_wait = max(max_wait, c->max_wait_cycles);
	}
	for (unsigned int k = 0; k < NR_KINDS; k++) {
		calls += by_kind[k];
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%s%s %llu",
				k ? ", " : "", kind_names[k], (unsigned long long)by_kind[k]);
		if (len >= (int)sizeof(line))
			break;
	}
	ktest_diag(t, "torture: %llu s on %u CPUs: %llu calls, %llu refused (-ENXIO), %llu other errors; %llu functions run, %llu of them on another CPU than the caller's",
		   (unsigned long long)(elapsed / NSEC_PER_SEC), tor.n,
		   (unsigned long long)calls, (unsigned long long)refused,
		   (unsigned long long)errors, (unsigned long long)v->functions,
		   (unsigned long long)v->remote);
	ktest_diag(t, "torture: calls by kind: %s", line);
	ktest_diag(t, "torture: hotplug: %llu down/up cycles (%llu down, %llu up, %llu failed; %llu us per down, %llu us per up); %llu functions run by CPUs going down, %llu calls refused at a closed queue",
		   (unsigned long long)min(tor.downs, tor.ups), (unsigned long long)tor.downs,
		   (unsigned long long)tor.ups, (unsigned long long)tor.hotplug_errors,
		   (unsigned long long)(tor.downs ? tor.down_ns / tor.downs / NSEC_PER_USEC : 0),
		   (unsigned long long)(tor.ups ? tor.up_ns / tor.ups / NSEC_PER_USEC : 0),
		   (unsigned long long)v->going_down,
		   (unsigned long long)(after->calls_refused - before->calls_refused));
	ktest_diag(t, "torture: IPIs sent %llu, saved %llu, ICR writes %llu; longest wait %llu us",
		   (unsigned long long)(after->ipis_sent - before->ipis_sent),
		   (unsigned long long)(after->ipis_skipped - before->ipis_skipped),
		   (unsigned long long)(after->icr_writes - before->icr_writes),
		   (unsigned long long)(cycles_to_ns(max_wait) / NSEC_PER_USEC));
	ktest_diag(t, "torture: lost %llu, duplicated %llu, misordered %llu; memory-ordering errors %llu",
		   (unsigned long long)v->lost, (unsigned long long)v->duplicated,
		   (unsigned long long)v->misordered, (unsigned long long)v->ordering);
	KTEST_EXPECT_GT(t, calls, 0);
	KTEST_EXPECT_EQ(t, errors, 0);
}

static void calls_survive_hotplug_unharmed(struct ktest *t)
{
	static struct smp_call_on_cpu_struct work[NR_CPUS];
	static bool running[NR_CPUS];
	struct smp_call_stats before, after;
	unsigned int me = smp_processor_id(), cpu;
	u64 start, now, elapsed, last_progress, next_step, rng = 0x9e3779b97f4a7c15ull;
	u64 deadline_ns = (u64)torture_s * NSEC_PER_SEC;
	struct verdict v;

	if (num_possible_cpus() < 2) {
		ktest_skip(t, "needs a second CPU: alone, every call runs inline");
		return;
	}
	memset(&tor, 0, sizeof(tor));
	memset(running, 0, sizeof(running));
	tor.n = nr_cpu_ids;
	for (unsigned int k = 0; k < NR_KINDS; k++)
		tor.weight_total += weights[k];
	if (!tor.weight_total) {
		ktest_skip(t, "every torture_weight_*= is 0: no call to make");
		return;
	}
	if (!KTEST_EXPECT_TRUE(t, torture_alloc()))
		return;
	smp_call_stats_sum(&before);
	start = last_progress = ktime_get_ns();
	next_step = start;
	start_workers(t, work, running);
	for (;;) {
		/* A call takes far longer than a look at the clock: under
		 * emulation, milliseconds while the target's host thread
		 * waits for a core. */
		torture_one_call(me);
		now = ktime_get_ns();
		if ((torture_s && now - start >= deadline_ns) ||
		    (torture_calls && calls_so_far() >= torture_calls))
			break;
		/* Paced from each step's start: the steps' own time is part
		 * of the interval, not added to it. */
		if (torture_onoff_ms && now >= next_step) {
			next_step = now + (u64)torture_onoff_ms * NSEC_PER_MSEC;
			hotplug_step(&rng);
		}
		start_workers(t, work, running);
		if (now - last_progress >= TORTURE_PROGRESS_NS) {
			last_progress = now;
			progress(t, start);
		}
	}
	elapsed = ktime_get_ns() - start;

	/* Everything back up, the workers stopped, the calls in flight run. */
	for_each_cpu(cpu, &tor.taken_down)
		KTEST_EXPECT_EQ(t, hotplug_one(cpu, false), 0);
	smp_store_release(&tor.stop, 1);
	for (cpu = 0; cpu < tor.n; cpu++)
		if (running[cpu])
			KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&work[cpu], TORTURE_DRAIN_NS), 0);
	KTEST_EXPECT_TRUE(t, drained(ktime_get_ns() + TORTURE_DRAIN_NS));
	smp_call_stats_sum(&after);

	judge(&v);
	report(t, elapsed, &before, &after, &v);
	KTEST_EXPECT_EQ(t, tor.hotplug_errors, 0);
	if (torture_onoff_ms)
		KTEST_EXPECT_GT(t, tor.downs, 0);
	KTEST_EXPECT_EQ(t, v.lost, 0);
	KTEST_EXPECT_EQ(t, v.duplicated, 0);
	KTEST_EXPECT_EQ(t, v.misordered, 0);
	KTEST_EXPECT_EQ(t, v.ordering, 0);
}

static const struct ktest_case torture_cases[] = {
	KTEST_CASE(calls_survive_hotplug_unharmed),
};
KTEST_SUITE(torture, torture_cases, .enabled = torture_requested);
