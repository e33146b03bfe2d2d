// SPDX-License-Identifier: MIT
/*
 * Every CPU calls CPUs at random, waited-for, no-wait and async calls
 * mixed, and every call carries its sender and a per-(sender, target)
 * sequence number. The target checks each number is the next one it
 * expects from that sender, so a lost, doubled or reordered call shows
 * up at once, and the totals must match at the end.
 *
 * The APs run their share from their idle loop (smp_call_on_cpu_async()),
 * where interrupts are on and they may wait for calls of their own.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/string.h>
#include <xcall/time.h>

/* Enough to shake out a race in a few seconds of `make run`; the test
 * matrix asks for 100,000 (stress_calls=) at -smp 4. */
#define STRESS_CALLS_DEFAULT	20000
#define STRESS_CALLS_MAX	100000000
#define STRESS_ASYNC_RECORDS	32	/* per CPU, used round-robin */
/* The whole run's bound, generous for TCG on a loaded 2-core host. */
#define STRESS_TIMEOUT_NS	(120ull * 1000 * 1000 * 1000)
/* A run takes half a minute on a loaded host: a line this often tells
 * whoever watches the console that it is moving, not hung. */
#define STRESS_PROGRESS_NS	(5 * NSEC_PER_SEC)
/* Calls the reporting CPU sends between two looks at the clock. */
#define STRESS_PROGRESS_EVERY	256

enum { KIND_WAIT, KIND_NOWAIT, KIND_ASYNC };

/*
 * The mix, in eighths: one call in eight waited for, three no-wait (on the
 * CPU's one record, so each waits for the previous to start), four async
 * on records of the worker's own. Waited-for calls are the costly kind
 * where vCPUs outnumber host cores: each one waits for the target's
 * thread to be scheduled; the others ride on IPIs already sent.
 */
#define MIX_SLOTS		8
static const unsigned char mix[MIX_SLOTS] = {
	KIND_WAIT, KIND_NOWAIT, KIND_NOWAIT, KIND_NOWAIT,
	KIND_ASYNC, KIND_ASYNC, KIND_ASYNC, KIND_ASYNC,
};

static unsigned int stress_calls = STRESS_CALLS_DEFAULT;
DEFINE_OPTION_UINT(stress_calls, stress_calls, 1, STRESS_CALLS_MAX,
		   "calls in the smp_stress suite, all CPUs together");

/* Per pair, indexed [sender * n + target]: written by the sender (sent)
 * or only by the target, which runs its calls one at a time (expect,
 * ran, bad). */
struct pair_state {
	u32 sent;
	u32 expect;
	u32 ran;
	u32 bad;
};

struct stress_run {
	unsigned int n;
	unsigned int per_cpu;
	struct pair_state *pairs;
	call_single_data_t *records;	/* [n][STRESS_ASYNC_RECORDS] */
	unsigned int errors;		/* API calls that failed */
	/* Progress lines: only the CPU running the case prints them. */
	struct ktest *t;
	unsigned int reporter;
	u64 start, last_progress;
};

static struct stress_run run;

/* info packs the sender (high half) and the sequence number. */
#define INFO_SEQ_BITS		32

static void stress_fn(void *info)
{
	unsigned long v = (unsigned long)info;
	unsigned int sender = (unsigned int)(v >> INFO_SEQ_BITS);
	u32 seq = (u32)v;
	struct pair_state *p = &run.pairs[sender * run.n + smp_processor_id()];

	if (seq != p->expect)
		p->bad++;
	p->expect = seq + 1;
	/* Release: the checker reads the counts after the totals match. */
	smp_store_release(&p->ran, p->ran + 1);
}

/* xorshift64: cheap, per CPU, reproducible from the seed. */
static u64 next_random(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static u64 sum_field(size_t offset)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < run.n * run.n; i++)
		sum += atomic_read((u32 *)((char *)&run.pairs[i] + offset));
	return sum;
}

/* The reporting CPU, now and then: how far the run has got. The counts
 * are read while other CPUs change them, so they are a snapshot only. */
static void stress_progress(void)
{
	u64 now = ktime_get_ns(), sent, ran;

	if (now - run.last_progress < STRESS_PROGRESS_NS)
		return;
	run.last_progress = now;
	sent = sum_field(offsetof(struct pair_state, sent));
	ran = sum_field(offsetof(struct pair_state, ran));
	ktest_diag(run.t, "progress: %llu of %u calls sent, %llu run, after %llu s",
		   (unsigned long long)sent, run.per_cpu * num_online_cpus(),
		   (unsigned long long)ran, (unsigned long long)((now - run.start) / NSEC_PER_SEC));
	/* The same on the screen's status line, which stays put. */
	ktest_progress("%llu of %u calls sent", (unsigned long long)sent,
		       run.per_cpu * num_online_cpus());
}

static int stress_worker(void *arg)
{
	unsigned int me = smp_processor_id(), slot = 0;
	u64 seed = 0x2545f4914f6cdd1dull * (me + 1);
	call_single_data_t *mine = &run.records[me * STRESS_ASYNC_RECORDS];

	for (unsigned int i = 0; i < run.per_cpu; i++) {
		u64 r = next_random(&seed);
		unsigned int target = (unsigned int)(r % run.n);
		unsigned int kind = mix[(r >> 32) % MIX_SLOTS];
		struct pair_state *p = &run.pairs[me * run.n + target];
		void *info = (void *)(((unsigned long)me << INFO_SEQ_BITS) | p->sent);
		call_single_data_t *csd;
		int err;

		/* The sequence number is claimed before the call: a self
		 * call runs inside it. */
		p->sent++;
		switch (kind) {
		case KIND_WAIT:
			err = smp_call_function_single((int)target, stress_fn, info, 1);
			break;
		case KIND_NOWAIT:
			err = smp_call_function_single((int)target, stress_fn, info, 0);
			break;
		default:
			/* A record of our own, once its last call has started. */
			csd = &mine[slot++ % STRESS_ASYNC_RECORDS];
			while (smp_load_acquire(&csd->flags) & CSD_FLAG_LOCK)
				cpu_relax();
			csd->func = stress_fn;
			csd->info = info;
			err = smp_call_function_single_async((int)target, csd);
			break;
		}
		if (err) {
			p->sent--;
			atomic_inc(&run.errors);
		}
		if (me == run.reporter && i % STRESS_PROGRESS_EVERY == 0)
			stress_progress();
	}
	return 0;
}

/* Wait for a worker within the run's bound, with progress lines. */
static int wait_reporting(struct smp_call_on_cpu_struct *w)
{
	int err;

	for (;;) {
		err = smp_call_on_cpu_wait(w, STRESS_PROGRESS_NS);
		if (err != -ETIMEDOUT || READ_ONCE(w->done) ||
		    ktime_get_ns() - run.start > STRESS_TIMEOUT_NS)
			return err;
		stress_progress();
	}
}

static void every_call_runs_once_in_order(struct ktest *t)
{
	size_t pair_pages, rec_pages;
	static struct smp_call_on_cpu_struct work[NR_CPUS];
	struct smp_call_stats before, after;
	unsigned int cpu, me = smp_processor_id();
	u64 start = ktime_get_ns(), sent, ran, bad, elapsed;

	/* Alone, a CPU only calls itself, inline: no IPI, no queue, nothing
	 * concurrent for the sequence numbers to catch. */
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU: alone, every call runs inline");
		return;
	}
	memset(&run, 0, sizeof(run));
	run.t = t;
	run.reporter = me;
	run.start = run.last_progress = start;
	run.n = nr_cpu_ids;
	run.per_cpu = DIV_ROUND_UP(stress_calls, num_online_cpus());
	pair_pages = DIV_ROUND_UP(run.n * run.n * sizeof(struct pair_state), PAGE_SIZE);
	rec_pages = DIV_ROUND_UP(run.n * STRESS_ASYNC_RECORDS * sizeof(call_single_data_t),
				 PAGE_SIZE);
	run.pairs = alloc_pages(pair_pages);
	run.records = alloc_pages(rec_pages);
	if (!KTEST_EXPECT_TRUE(t, run.pairs && run.records))
		return;

	smp_call_stats_sum(&before);
	for_each_online_cpu(cpu) {
		work[cpu] = (struct smp_call_on_cpu_struct){ .func = stress_worker };
		if (cpu != me)
			KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(cpu, &work[cpu]), 0);
	}
	stress_worker(NULL);
	for_each_online_cpu(cpu)
		if (cpu != me)
			KTEST_EXPECT_EQ(t, wait_reporting(&work[cpu]), 0);

	/* No-wait and async calls may still be in flight. */
	sent = sum_field(offsetof(struct pair_state, sent));
	while ((ran = sum_field(offsetof(struct pair_state, ran))) < sent &&
	       ktime_get_ns() - start < STRESS_TIMEOUT_NS) {
		stress_progress();
		cpu_relax();
	}
	elapsed = ktime_get_ns() - start;
	smp_call_stats_sum(&after);
	bad = sum_field(offsetof(struct pair_state, bad));

	KTEST_EXPECT_EQ(t, run.errors, 0);
	KTEST_EXPECT_GE(t, sent, stress_calls);
	KTEST_EXPECT_EQ(t, ran, sent);
	KTEST_EXPECT_EQ(t, bad, 0);
	for (unsigned int i = 0; i < run.n * run.n; i++)
		if (run.pairs[i].ran != run.pairs[i].sent)
			KTEST_EXPECT_EQ(t, run.pairs[i].ran, run.pairs[i].sent);
	ktest_diag(t, "%llu calls on %u CPUs in %llu ms: %llu IPIs sent, %llu saved, %llu ICR writes",
		   (unsigned long long)sent, num_online_cpus(),
		   (unsigned long long)(elapsed / NSEC_PER_MSEC),
		   (unsigned long long)(after.ipis_sent - before.ipis_sent),
		   (unsigned long long)(after.ipis_skipped - before.ipis_skipped),
		   (unsigned long long)(after.icr_writes - before.icr_writes));
	/* Records still locked would be written by a late call: keep them. */
	if (ran == sent) {
		free_pages(run.pairs, pair_pages);
		free_pages(run.records, rec_pages);
	}
}

static const struct ktest_case stress_cases[] = {
	KTEST_CASE(every_call_runs_once_in_order),
};
KTEST_SUITE(smp_stress, stress_cases);
