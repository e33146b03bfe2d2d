// SPDX-License-Identifier: MIT
/*
 * Benchmarks: what a cross-CPU call costs, layer by layer, next to the two
 * floors no call can beat, all measured in one run on the cycle counter.
 *
 *   pingpong     CPU 0 and a partner bounce a flag on one cache line: the
 *                least any cross-CPU signal costs (shared-memory floor)
 *   raw_ipi      a bare IPI whose handler only acknowledges and sets a
 *                flag: the least an interrupt costs (IPI floor)
 *   call_single  smp_call_function_single(wait=1) round trip to each CPU,
 *                which sits in its idle method (idle=) between calls
 *   call_self    the same call to the calling CPU (no IPI at all)
 *   on_each_cpu  wait=1, every CPU including the caller
 *   call_many    smp_call_function_many(wait=1) to all other CPUs
 *   tput_1to1    throughput, fire and forget: CPU 0 keeps 64 async calls
 *                in flight to CPU 1
 *   tput_nto1    every CPU but CPU 1 does the same to CPU 1 at once
 *   tput_all     every CPU sends to every other, round robin
 *   bringup      first INIT to last AP online
 *
 * With bench_scale, only on_each_cpu (in each method) and bringup, for
 * make bench-scale's curve against the CPU count (tools/bench_scale.py):
 * its on_each_cpu lines add ipis_per_call (targets interrupted) and
 * icr_writes_per_call (the sender's interrupt-controller writes: one per
 * x2APIC cluster, one per target in xAPIC, one for a shorthand).
 *
 * Each figure: a warm-up, then bench_iters samples (throughput: samples
 * of 64 calls), reported as n, min, p50, p90, p99, max and mean in ns.
 * The latency figures (raw_ipi and the calls) run in one pass per method
 * of bench_methods=: "settled" gives the target bench_settle_us before
 * each sample to go back to its idle state, so each sample measures a
 * wake-up from it, not a CPU still on its way back from the previous
 * call; "back-to-back" does not wait, as a busy caller would not. The
 * ping-pong and the throughput figures are back to back by nature.
 *
 * BENCH line fields: name, target (where there is one), cpus, apic
 * ("x2apic"/"xapic"), idle, unit ("ns"), n, min, p50, p90, p99, max, mean;
 * throughput adds calls_per_s, ipis_per_call and icr_writes_per_call
 * (xcall only); all but bringup add
 * method ("settled"/"back-to-back"); all add hv (CPUID's hypervisor
 * string) and tsc_hz. bench/linux/ prints the same lines on Linux.
 * Benchmarks are not tests: nothing here passes or fails on a time.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/bench.h>
#include <xcall/bench_matrix.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/idle.h>
#include <xcall/smp.h>
#include <xcall/smpboot.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/stats.h>
#include <xcall/time.h>

/* Sized so that -smp 4 under TCG finishes well within a minute. */
#define BENCH_ITERS_DEFAULT	1000
#define BENCH_ITERS_MIN		10
#define BENCH_ITERS_MAX		1000000
#define BENCH_WARMUP_DIV	10	/* warm-up: a tenth of the samples */
#define BENCH_SETTLE_US		50
#define BENCH_SETTLE_US_MAX	100000
/* Throughput: calls in flight per sender, and samples per figure. */
#define TPUT_BATCH		64
#define TPUT_SAMPLES_DIV	4
/* No sample waits longer than this for another CPU. */
#define BENCH_WAIT_NS		(10ull * NSEC_PER_SEC)
#define SPINS_PER_CLOCK_CHECK	256
#define MILLI			1000

static bool bench;
static bool bench_scale;
static unsigned int bench_iters = BENCH_ITERS_DEFAULT;
static unsigned int settle_us = BENCH_SETTLE_US;

enum bench_method { BENCH_SETTLED, BENCH_BACK_TO_BACK, BENCH_BOTH };
static const char *const bench_method_words[] = { "settled", "back-to-back", "both", NULL };
static unsigned int bench_methods = BENCH_SETTLED;
/* The pause before each latency sample in the pass running now. */
static unsigned int pass_settle_us;

DEFINE_OPTION_FLAG(bench, bench, "run the benchmarks after bring-up (and the self-tests)");
DEFINE_OPTION_FLAG(bench_scale, bench_scale,
		   "with bench: only on_each_cpu and bringup, with IPIs and ICR writes per call");
DEFINE_OPTION_UINT(bench_iters, bench_iters, BENCH_ITERS_MIN, BENCH_ITERS_MAX,
		   "samples per benchmark figure");
DEFINE_OPTION_UINT(bench_settle_us, settle_us, 0, BENCH_SETTLE_US_MAX,
		   "pause between latency samples, for the target to go idle (default 50)");
DEFINE_OPTION_CHOICE(bench_methods, bench_methods, bench_method_words,
		     "latency passes: settled (default), back-to-back, or both");

bool bench_selected(void)
{
	return bench;
}

static u64 *samples;		/* [bench_iters] */
static unsigned int failures;
static unsigned int figures;	/* started so far, for the status line */

/* ---- Reporting ---- */

struct tput_result {
	u64 calls;
	u64 elapsed_ns;
	u64 ipis;
	u64 icr_writes;
};

static const char *pass_method(void)
{
	return pass_settle_us ? "settled" : "back-to-back";
}

/* @num / @den with three decimals, as a JSON number ", \"key\": x.yyy". */
static size_t per_call_field(char *buf, size_t size, const char *key, u64 num, u64 den)
{
	u64 milli = den ? num * MILLI / den : 0;

	return scnprintf(buf, size, ", \"%s\": %llu.%03llu", key,
			 (unsigned long long)(milli / MILLI),
			 (unsigned long long)(milli % MILLI));
}

/* The BENCH line, with @extra (", \"key\": value" pairs, or NULL) before
 * the method. */
static void report_extra(const char *name, int target, u64 *ns, size_t n,
			 const char *method, const struct tput_result *tp,
			 const char *extra)
{
	char line[PRINTK_LINE_MAX];
	struct sample_summary s;
	size_t len = 0;

	summarize_u64(ns, n, &s);
	len += scnprintf(line + len, sizeof(line) - len, "BENCH {\"name\": \"%s\"", name);
	if (target >= 0)
		len += scnprintf(line + len, sizeof(line) - len, ", \"target\": %d", target);
	len += scnprintf(line + len, sizeof(line) - len,
			 ", \"cpus\": %u, \"apic\": \"%s\", \"idle\": \"%s\", \"unit\": \"ns\""
			 ", \"n\": %llu, \"min\": %llu, \"p50\": %llu, \"p90\": %llu"
			 ", \"p99\": %llu, \"max\": %llu, \"mean\": %llu",
			 num_online_cpus(), arch_ipi_mode_name(), idle_method_name(),
			 (unsigned long long)s.n, (unsigned long long)s.min,
			 (unsigned long long)s.p50, (unsigned long long)s.p90,
			 (unsigned long long)s.p99, (unsigned long long)s.max,
			 (unsigned long long)s.mean);
	if (tp) {
		u64 per_s = tp->elapsed_ns ? tp->calls * NSEC_PER_SEC / tp->elapsed_ns : 0;
		u64 milli_ipis = tp->calls ? tp->ipis * MILLI / tp->calls : 0;

		len += scnprintf(line + len, sizeof(line) - len,
				 ", \"calls_per_s\": %llu, \"ipis_per_call\": %llu.%03llu",
				 (unsigned long long)per_s,
				 (unsigned long long)(milli_ipis / MILLI),
				 (unsigned long long)(milli_ipis % MILLI));
		len += per_call_field(line + len, sizeof(line) - len, "icr_writes_per_call",
				      tp->icr_writes, tp->calls);
	}
	if (extra)
		len += scnprintf(line + len, sizeof(line) - len, "%s", extra);
	if (method)
		len += scnprintf(line + len, sizeof(line) - len, ", \"method\": \"%s\"", method);
	scnprintf(line + len, sizeof(line) - len, ", \"hv\": \"%s\", \"tsc_hz\": %llu}",
		  arch_hypervisor_name(), (unsigned long long)cycles_hz());
	printk_always("%s\n", line);
}

static void report(const char *name, int target, u64 *ns, size_t n, const char *method,
		   const struct tput_result *tp)
{
	report_extra(name, target, ns, n, method, tp, NULL);
}

/* The status line: which figure runs (a screen shows the run is alive). */
static void progress(const char *name, int target)
{
	figures++;
	if (target >= 0)
		console_status("benchmarks: figure %u, %s to CPU %d; %u failures so far",
			       figures, name, target, failures);
	else
		console_status("benchmarks: figure %u, %s; %u failures so far", figures,
			       name, failures);
}

static void cycles_to_ns_all(u64 *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = cycles_to_ns(v[i]);
}

/* Spin until *@p >= @want; false (and a message) after BENCH_WAIT_NS. */
static bool wait_for(const unsigned int *p, unsigned int want, const char *what)
{
	u64 deadline = get_cycles() + ns_to_cycles(BENCH_WAIT_NS);

	for (unsigned int spins = 0; smp_load_acquire(p) < want; spins++) {
		cpu_relax();
		if (spins % SPINS_PER_CLOCK_CHECK == 0 && get_cycles() > deadline) {
			pr_err("bench: %s: no answer within %llu s\n", what,
			       (unsigned long long)(BENCH_WAIT_NS / NSEC_PER_SEC));
			failures++;
			return false;
		}
	}
	return true;
}

static unsigned int total_samples(void)
{
	return bench_iters + bench_iters / BENCH_WARMUP_DIV;
}

/*
 * Wait for work handed to another CPU until it has returned, however long
 * that takes: the CPU writes the work's result last, and the work may
 * write what the caller would free or reuse after the wait. So there is
 * no giving up here, only a message every BENCH_WAIT_NS (and one failure
 * counted). The benchmarks' work functions bound their own waits, so
 * they return unless their CPU is dead, and then the run's own timeout
 * ends it. The work structs are static for the same reason: a waiter
 * that did return early would not leave a stack frame behind for the
 * remote CPU to write into.
 */
static void bench_work_wait(struct smp_call_on_cpu_struct *w, unsigned int cpu,
			    const char *what)
{
	bool counted = false;

	while (smp_call_on_cpu_wait(w, BENCH_WAIT_NS) == -ETIMEDOUT) {
		pr_err("bench: %s: CPU %u still runs its part after another %llu s; waiting on\n",
		       what, cpu, (unsigned long long)(BENCH_WAIT_NS / NSEC_PER_SEC));
		if (!counted)
			failures++;
		counted = true;
	}
}

/* ---- Floor 1: a cache line between two CPUs ---- */

struct pingpong_line {
	unsigned int flag;
} ____cacheline_aligned;

static struct pingpong_line pp;

static int pingpong_partner(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		if (!wait_for(&pp.flag, 2 * i + 1, "pingpong partner"))
			return 0;
		smp_store_release(&pp.flag, 2 * i + 2);
	}
	return 0;
}

static void bench_pingpong(unsigned int target)
{
	static struct smp_call_on_cpu_struct w;
	unsigned int warm = bench_iters / BENCH_WARMUP_DIV;
	bool complete = true;

	progress("pingpong", (int)target);
	w = (struct smp_call_on_cpu_struct){ .func = pingpong_partner };
	WRITE_ONCE(pp.flag, 0);
	if (smp_call_on_cpu_async(target, &w)) {
		pr_err("bench: pingpong: CPU %u would not take the partner's work\n", target);
		failures++;
		return;
	}
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0 = get_cycles_ordered();

		smp_store_release(&pp.flag, 2 * i + 1);
		if (!wait_for(&pp.flag, 2 * i + 2, "pingpong")) {
			complete = false;
			break;
		}
		if (i >= warm)
			samples[i - warm] = get_cycles_ordered() - t0;
	}
	/* Even after a lost answer: the partner gives up within its own
	 * bounded wait, and only then is done with the line and the work. */
	bench_work_wait(&w, target, "pingpong partner");
	if (!complete)
		return;
	cycles_to_ns_all(samples, bench_iters);
	report("pingpong", (int)target, samples, bench_iters, "back-to-back", NULL);
}

/* ---- Floor 2: a bare IPI ---- */

static struct pingpong_line raw_flag;

static void raw_ipi_seen(void)
{
	smp_store_release(&raw_flag.flag, 1);
}

static void bench_raw_ipi(unsigned int target)
{
	unsigned int warm = bench_iters / BENCH_WARMUP_DIV;

	progress("raw_ipi", (int)target);
	arch_set_raw_ipi_handler(raw_ipi_seen);
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;

		udelay(pass_settle_us);
		WRITE_ONCE(raw_flag.flag, 0);
		t0 = get_cycles_ordered();
		arch_send_raw_ipi(target);
		if (!wait_for(&raw_flag.flag, 1, "raw IPI"))
			return;
		if (i >= warm)
			samples[i - warm] = get_cycles_ordered() - t0;
	}
	arch_set_raw_ipi_handler(NULL);
	cycles_to_ns_all(samples, bench_iters);
	report("raw_ipi", (int)target, samples, bench_iters, pass_method(), NULL);
}

/* ---- The calls ---- */

static void bench_nop(void *info)
{
}

enum call_kind { CALL_SINGLE, CALL_ON_EACH, CALL_MANY };

static void bench_call(const char *name, enum call_kind kind, int target)
{
	unsigned int warm = bench_iters / BENCH_WARMUP_DIV;

	progress(name, target);
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;

		udelay(pass_settle_us);
		t0 = get_cycles_ordered();
		switch (kind) {
		case CALL_SINGLE:
			smp_call_function_single(target, bench_nop, NULL, 1);
			break;
		case CALL_ON_EACH:
			on_each_cpu(bench_nop, NULL, 1);
			break;
		case CALL_MANY:
			smp_call_function_many(cpu_online_mask, bench_nop, NULL, true);
			break;
		}
		if (i >= warm)
			samples[i - warm] = get_cycles_ordered() - t0;
	}
	cycles_to_ns_all(samples, bench_iters);
	report(name, target, samples, bench_iters, pass_method(), NULL);
}

/* ---- Throughput ---- */

/*
 * A sender's state, written by the CPUs that run its calls. The sender
 * counts what it queued in a register and stores the count here once a
 * batch: stored per call, the line the targets increment done on would
 * bounce back to the sender on every call, a cost Linux's side
 * (bench/linux/) does not pay and no caller of the call API would.
 */
struct tput_sender {
	unsigned int done;	/* its calls that ran, by the targets */
	unsigned int queued;	/* its calls that were queued, by itself */
	unsigned int finished;
} ____cacheline_aligned;

static struct tput_sender *senders;	/* [nr_cpu_ids] */
static call_single_data_t *tput_csd;	/* [nr_cpu_ids][TPUT_BATCH] */
static unsigned int tput_target;	/* NR_CPUS: round robin over all others */
static unsigned int tput_go;
static unsigned int tput_samples;

static void tput_fn(void *info)
{
	struct tput_sender *s = info;

	/* Several CPUs may complete one sender's calls at once. */
	atomic_inc(&s->done);
}

static unsigned int next_target(unsigned int me, unsigned int prev)
{
	unsigned int cpu = prev;

	do {
		cpu = cpumask_next((int)cpu, cpu_online_mask);
		if (cpu >= NR_CPUS)
			cpu = cpumask_first(cpu_online_mask);
	} while (cpu == me);
	return cpu;
}

/*
 * Wait until every call a sender queued has run. An async record is
 * unlocked before its function runs (kernel/smp.c), and the function's
 * count is the last the target does with the record or the sender's
 * state: once done reaches queued, neither is touched again. No end,
 * as bench_work_wait(), for the same reason.
 */
static void tput_wait_drained(const struct tput_sender *s, unsigned int cpu,
			      const char *what)
{
	while (!wait_for(&s->done, READ_ONCE(s->queued), what))
		pr_err("bench: %s: CPU %u's calls not all run yet (%u of %u); waiting on before freeing them\n",
		       what, cpu, atomic_read(&s->done), READ_ONCE(s->queued));
}

/* One sender's loop; samples only on CPU 0. */
static int tput_send(void *arg)
{
	unsigned int me = smp_processor_id(), target = me, queued = 0;
	struct tput_sender *s = &senders[me];
	call_single_data_t *csd = &tput_csd[me * TPUT_BATCH];

	if (!wait_for(&tput_go, 1, "throughput start"))
		return 0;
	for (unsigned int i = 0; i < tput_samples; i++) {
		u64 t0 = get_cycles_ordered();

		for (unsigned int j = 0; j < TPUT_BATCH; j++) {
			target = tput_target < NR_CPUS ? tput_target : next_target(me, target);
			INIT_CSD(&csd[j], tput_fn, s);
			if (!smp_call_function_single_async((int)target, &csd[j]))
				queued++;
		}
		WRITE_ONCE(s->queued, queued);
		/* All of them, not (i + 1) * TPUT_BATCH: a record still busy
		 * was not queued (it cannot be, with every earlier call run,
		 * but the count is what the targets will answer to). */
		if (!wait_for(&s->done, queued, "throughput batch"))
			break;
		if (me == 0)
			samples[i] = (get_cycles_ordered() - t0) / TPUT_BATCH;
	}
	smp_store_release(&s->finished, 1);
	return 0;
}

static void bench_tput(const char *name, const struct cpumask *from, unsigned int target)
{
	size_t csd_pages = DIV_ROUND_UP((size_t)nr_cpu_ids * TPUT_BATCH *
					sizeof(call_single_data_t), PAGE_SIZE);
	size_t s_pages = DIV_ROUND_UP((size_t)nr_cpu_ids * sizeof(*senders), PAGE_SIZE);
	static struct smp_call_on_cpu_struct work[NR_CPUS];
	struct smp_call_stats before, after;
	struct cpumask started;
	struct tput_result tp = { 0 };
	unsigned int cpu, nr_senders = cpumask_weight(from);
	u64 t0;

	progress(name, target < NR_CPUS ? (int)target : -1);
	tput_csd = alloc_pages(csd_pages);
	senders = alloc_pages(s_pages);
	if (!tput_csd || !senders) {
		pr_err("bench: %s: out of memory\n", name);
		failures++;
		return;
	}
	tput_samples = max(bench_iters / TPUT_SAMPLES_DIV, (unsigned int)BENCH_ITERS_MIN);
	tput_target = target;
	WRITE_ONCE(tput_go, 0);
	cpumask_clear(&started);
	for_each_cpu(cpu, from) {
		if (cpu == 0)
			continue;
		work[cpu] = (struct smp_call_on_cpu_struct){ .func = tput_send };
		if (smp_call_on_cpu_async(cpu, &work[cpu])) {
			pr_err("bench: %s: CPU %u would not take its sender's work\n", name, cpu);
			failures++;
			continue;
		}
		cpumask_set_cpu(cpu, &started);
	}
	smp_call_stats_sum(&before);
	t0 = ktime_get_ns();
	smp_store_release(&tput_go, 1);
	if (cpumask_test_cpu(0, from))
		tput_send(NULL);
	for_each_cpu(cpu, &started)
		bench_work_wait(&work[cpu], cpu, name);
	tp.elapsed_ns = ktime_get_ns() - t0;
	smp_call_stats_sum(&after);
	for_each_cpu(cpu, from)
		tp.calls += atomic_read(&senders[cpu].done);
	tp.ipis = after.ipis_sent - before.ipis_sent;
	tp.icr_writes = after.icr_writes - before.icr_writes;
	if (tp.calls == (u64)nr_senders * tput_samples * TPUT_BATCH) {
		cycles_to_ns_all(samples, tput_samples);
		report(name, target < NR_CPUS ? (int)target : -1, samples, tput_samples,
		       "back-to-back", &tp);
	}
	/* A sender that gave up on a batch returned with calls still
	 * queued: their targets will yet unlock the records and count them
	 * in the sender's state. Only when every queued call has run may
	 * either be freed. */
	for_each_cpu(cpu, from)
		tput_wait_drained(&senders[cpu], cpu, name);
	free_pages(tput_csd, csd_pages);
	free_pages(senders, s_pages);
}

/* ---- Scale: on_each_cpu against the CPU count ---- */

/*
 * on_each_cpu as bench_call() times it, and what each call cost the
 * sender in IPIs (targets interrupted) and interrupt-controller writes,
 * averaged over every call of the figure, warm-up included (the counts
 * do not warm up). Only this CPU sends meanwhile: its counters are the
 * figure's.
 */
static void bench_scale_on_each_cpu(unsigned int me)
{
	unsigned int warm = bench_iters / BENCH_WARMUP_DIV;
	struct smp_call_stats before, after;
	char extra[PRINTK_LINE_MAX / 4];
	size_t len;

	progress("on_each_cpu", -1);
	smp_call_stats_get(me, &before);
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;

		udelay(pass_settle_us);
		t0 = get_cycles_ordered();
		on_each_cpu(bench_nop, NULL, 1);
		if (i >= warm)
			samples[i - warm] = get_cycles_ordered() - t0;
	}
	smp_call_stats_get(me, &after);
	cycles_to_ns_all(samples, bench_iters);
	len = per_call_field(extra, sizeof(extra), "ipis_per_call",
			     after.ipis_sent - before.ipis_sent, total_samples());
	per_call_field(extra + len, sizeof(extra) - len, "icr_writes_per_call",
		       after.icr_writes - before.icr_writes, total_samples());
	report_extra("on_each_cpu", -1, samples, bench_iters, pass_method(), NULL, extra);
}

/* bench_scale: on_each_cpu in each method of bench_methods=, then bringup. */
static void bench_scale_run(unsigned int me)
{
	if (bench_methods != BENCH_BACK_TO_BACK && settle_us) {
		pass_settle_us = settle_us;
		bench_scale_on_each_cpu(me);
	}
	if (bench_methods != BENCH_SETTLED || !settle_us) {
		pass_settle_us = 0;
		bench_scale_on_each_cpu(me);
	}
}

/* ---- All of it ---- */

/* One pass of the latency figures, at this pass's settle time. */
static void bench_latency(unsigned int me)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != me)
			bench_raw_ipi(cpu);
	for_each_online_cpu(cpu)
		if (cpu != me)
			bench_call("call_single", CALL_SINGLE, (int)cpu);
	bench_call("call_self", CALL_SINGLE, (int)me);
	bench_call("on_each_cpu", CALL_ON_EACH, -1);
	if (num_online_cpus() > 1)
		bench_call("call_many", CALL_MANY, -1);
}

unsigned int bench_run_all(void)
{
	size_t pages = DIV_ROUND_UP((size_t)max(bench_iters, (unsigned int)TPUT_BATCH) *
				    sizeof(u64), PAGE_SIZE);
	unsigned int me = smp_processor_id();
	struct cpumask all_but_1, only_0;
	u64 bringup[1] = { smp_bringup_ns() };

	samples = alloc_pages(pages);
	if (!samples) {
		pr_err("bench: out of memory for %u samples\n", bench_iters);
		return 1;
	}
	pr_info("bench: %u samples per figure, idle=%s, %s, TSC %llu Hz, methods %s\n",
		bench_iters, idle_method_name(), arch_ipi_mode_name(),
		(unsigned long long)cycles_hz(), bench_method_words[bench_methods]);

	if (bench_scale) {
		bench_scale_run(me);
		goto out;
	}
	if (num_online_cpus() > 1)
		bench_pingpong(cpumask_next((int)me, cpu_online_mask));
	/* A settle of 0 is back to back already: that pass runs once. */
	if (bench_methods != BENCH_BACK_TO_BACK && settle_us) {
		pass_settle_us = settle_us;
		bench_latency(me);
	}
	if (bench_methods != BENCH_SETTLED || !settle_us) {
		pass_settle_us = 0;
		bench_latency(me);
	}
	if (num_online_cpus() > 1) {
		unsigned int first = cpumask_next((int)me, cpu_online_mask);

		cpumask_clear(&only_0);
		cpumask_set_cpu(me, &only_0);
		bench_tput("tput_1to1", &only_0, first);
		cpumask_copy(&all_but_1, cpu_online_mask);
		cpumask_clear_cpu(first, &all_but_1);
		bench_tput("tput_nto1", &all_but_1, first);
		bench_tput("tput_all", cpu_online_mask, NR_CPUS);
	}
out:
	report("bringup", -1, bringup, 1, NULL, NULL);
	free_pages(samples, pages);
	/* bench_scale is the on_each_cpu curve alone: at 288 CPUs the
	 * core-to-core matrix would be 288 x 287 pairs per figure. */
	if (!bench_scale)
		failures += bench_matrix_run();
	printk_always("bench: done\n");
	return failures;
}
