// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * xcall_bench.ko: kernel/bench.c's figures, measured on Linux in the same
 * QEMU configuration, so that `make bench` sets the two kernels side by
 * side in one run (tools/bench.py interleaves the boots).
 *
 * The initramfs's /init (bench/linux/init) loads it with insmod; its init
 * function runs every figure on CPU 0, prints one BENCH line per result in
 * kernel/bench.c's format (tools/benchfmt.py reads both), then
 * "bench: done", and returns 0, or -EIO if a figure could not be measured.
 *
 *   pingpong     CPU 0 and CPU 1 bounce a flag on one cache line: the
 *                shared-memory floor. The two kernels run on the same
 *                emulated machine, so theirs should agree: a control.
 *   call_single  smp_call_function_single(cpu, nop, NULL, 1) to each CPU
 *   call_self    the same call to the calling CPU
 *   on_each_cpu  wait=1, every CPU including the caller
 *   call_many    smp_call_function_many(cpu_online_mask, wait=true), with
 *                preemption off as Linux requires of its callers
 *   tput_1to1    CPU 0 keeps 64 async calls in flight to CPU 1, each on
 *                its own call_single_data_t (smp_call_function_single_async)
 *   tput_nto1    every CPU but CPU 1 does the same to CPU 1 at once
 *   tput_all     every CPU sends to every other, round robin
 *   bringup      "smp: Bringing up secondary CPUs" to "smp: Brought up" in
 *                the kernel log: /init reads them and passes bringup_ns=
 *
 * With scale=1 (xcall's bench_scale; make bench-scale): only on_each_cpu,
 * in each method, with ipis_per_call (CAL interrupts per call), and
 * bringup.
 *
 * Not measured: raw_ipi. A module cannot own an IPI vector's handler, and
 * the lightest IPI it can send (irq_work) has a queue of its own.
 *
 * The method is kernel/bench.c's: iters samples after a warm-up of a
 * tenth, timed with `mfence; lfence; rdtsc` at both ends (what xcall's
 * get_cycles_ordered() does) and converted with the kernel's tsc_khz;
 * lib/stats.c, compiled into this module, gives the nearest-rank
 * percentiles. Latency figures run in the methods asked for: "settled"
 * waits settle_us before each sample, so that the target is back in its
 * idle state and each sample is a wake-up; "back-to-back" does not wait.
 * The ping-pong and the throughput figures are back to back by nature.
 *
 * IPIs per call: Linux counts the function-call IPIs each CPU receives
 * (irq_stat.irq_call_count, the CAL row of /proc/interrupts); xcall
 * counts the ones it sends. An IPI sent while the same vector is still
 * pending in the target's IRR merges with it (Intel SDM vol. 3A,
 * "Interrupt Acceptance for Fixed Interrupts"), so received <= sent.
 *
 * Licence: the project's own code, under MIT, and also under GPL-2.0
 * because Linux lends smp_call_function_single_async() and x2apic_mode
 * only to modules that declare a GPL-compatible licence.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/hardirq.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <xcall/stats.h>

/* kernel/bench.c's numbers: the same samples, warm-up and bounds. */
#define BENCH_ITERS_DEFAULT	1000
#define BENCH_ITERS_MIN		10
#define BENCH_ITERS_MAX		1000000
#define BENCH_WARMUP_DIV	10
#define BENCH_SETTLE_US		50
#define BENCH_SETTLE_US_MAX	100000
#define TPUT_BATCH		64
#define TPUT_SAMPLES_DIV	4
#define BENCH_WAIT_NS		(10ull * NSEC_PER_SEC)
#define SPINS_PER_CLOCK_CHECK	256
#define MILLI			1000
/* Every figure is timed from here; the others are targets and senders. */
#define BENCH_CPU		0
#define BENCH_LINE_MAX		640
/* CPUID leaf 0x40000000: a hypervisor's vendor in EBX, ECX, EDX (12 bytes). */
#define CPUID_HV_LEAF		0x40000000
#define HV_NAME_LEN		12

static unsigned int iters = BENCH_ITERS_DEFAULT;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "samples per figure (xcall's bench_iters=)");

static unsigned int settle_us = BENCH_SETTLE_US;
module_param(settle_us, uint, 0444);
MODULE_PARM_DESC(settle_us, "pause before each settled latency sample (xcall's bench_settle_us=)");

static char *methods = "settled";
module_param(methods, charp, 0444);
MODULE_PARM_DESC(methods, "settled, back-to-back or both (xcall's bench_methods=)");

static char *idle = "default";
module_param(idle, charp, 0444);
MODULE_PARM_DESC(idle, "the idle= the boot asked for, for the lines: hlt, poll or default");

static bool scale;
module_param(scale, bool, 0444);
MODULE_PARM_DESC(scale, "only on_each_cpu (with IPIs per call) and bringup (xcall's bench_scale)");

static unsigned long bringup_ns;
module_param(bringup_ns, ulong, 0444);
MODULE_PARM_DESC(bringup_ns, "secondary CPU bring-up time from the kernel log, in ns");

static const char *const idle_words[] = { "hlt", "poll", "default" };
static const char *const method_words[] = { "settled", "back-to-back", "both" };
static const char METHOD_SETTLED[] = "settled";
static const char METHOD_B2B[] = "back-to-back";

static u64 *samples;			/* [max(iters, TPUT_BATCH)] */
static atomic_t failures = ATOMIC_INIT(0);
static char hv_name[HV_NAME_LEN + 1];

/* ---- Time ---- */

/* kernel/bench.c's get_cycles_ordered(): the read waits for every earlier
 * memory access, so the figures pay the same for their timestamps. */
static inline u64 bench_cycles(void)
{
	u32 lo, hi;

	asm volatile("mfence; lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

static u64 cycles_to_ns(u64 cycles)
{
	return mul_u64_u32_div(cycles, NSEC_PER_MSEC, tsc_khz);
}

static u64 ns_to_cycles(u64 ns)
{
	return mul_u64_u32_div(ns, tsc_khz, NSEC_PER_MSEC);
}

static void cycles_to_ns_all(u64 *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = cycles_to_ns(v[i]);
}

static unsigned int total_samples(void)
{
	return iters + iters / BENCH_WARMUP_DIV;
}

/* Spin until *@p >= @want; false, with a message, after BENCH_WAIT_NS. */
static bool wait_for(const unsigned int *p, unsigned int want, const char *what)
{
	u64 deadline = bench_cycles() + ns_to_cycles(BENCH_WAIT_NS);

	for (unsigned int spins = 0; smp_load_acquire(p) < want; spins++) {
		cpu_relax();
		if (spins % SPINS_PER_CLOCK_CHECK == 0 && bench_cycles() > deadline) {
			pr_err("bench: %s: no answer within %llu s on CPU %d\n", what,
			       BENCH_WAIT_NS / NSEC_PER_SEC, raw_smp_processor_id());
			atomic_inc(&failures);
			return false;
		}
	}
	return true;
}

/* ---- Helper threads: one bound to a CPU, parked until stopped ---- */

static void wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static struct task_struct *start_on(unsigned int cpu, int (*fn)(void *), void *arg)
{
	struct task_struct *t = kthread_create(fn, arg, "xcall_bench/%u", cpu);

	if (IS_ERR(t)) {
		pr_err("bench: no thread for CPU %u: %ld\n", cpu, PTR_ERR(t));
		atomic_inc(&failures);
		return NULL;
	}
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* ---- Reporting ---- */

struct tput_result {
	u64 calls;
	u64 elapsed_ns;
	u64 ipis;
};

/* The BENCH line, with @extra (", \"key\": value" pairs, or NULL) before
 * the method. */
static void report_extra(const char *name, int target, u64 *ns, size_t n,
			 const char *method, const struct tput_result *tp,
			 const char *extra)
{
	static char line[BENCH_LINE_MAX];
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
			 num_online_cpus(), x2apic_mode ? "x2apic" : "xapic", idle,
			 s.n, s.min, s.p50, s.p90, s.p99, s.max, s.mean);
	if (tp) {
		u64 per_s = tp->elapsed_ns ? div64_u64(tp->calls * NSEC_PER_SEC, tp->elapsed_ns) : 0;
		u64 milli_ipis = tp->calls ? div64_u64(tp->ipis * MILLI, tp->calls) : 0;

		len += scnprintf(line + len, sizeof(line) - len,
				 ", \"calls_per_s\": %llu, \"ipis_per_call\": %llu.%03llu",
				 per_s, milli_ipis / MILLI, milli_ipis % MILLI);
	}
	if (extra)
		len += scnprintf(line + len, sizeof(line) - len, "%s", extra);
	if (method)
		len += scnprintf(line + len, sizeof(line) - len, ", \"method\": \"%s\"", method);
	scnprintf(line + len, sizeof(line) - len,
		  ", \"os\": \"linux\", \"kernel\": \"%s\", \"hv\": \"%s\", \"tsc_hz\": %llu}",
		  init_utsname()->release, hv_name, (u64)tsc_khz * MILLI);
	pr_info("%s\n", line);
}

static void report(const char *name, int target, u64 *ns, size_t n, const char *method,
		   const struct tput_result *tp)
{
	report_extra(name, target, ns, n, method, tp, NULL);
}

/* CPUID's hypervisor vendor, as kernel/bench.c's "hv" shows it; any byte
 * that could break the JSON string becomes '?'. */
static void read_hv_name(void)
{
	u32 regs[3], max_leaf;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return;
	cpuid(CPUID_HV_LEAF, &max_leaf, &regs[0], &regs[1], &regs[2]);
	memcpy(hv_name, regs, HV_NAME_LEN);
	for (int i = 0; i < HV_NAME_LEN && hv_name[i]; i++)
		if (hv_name[i] < ' ' || hv_name[i] > '~' || hv_name[i] == '"' ||
		    hv_name[i] == '\\')
			hv_name[i] = '?';
}

/* Function-call IPIs received so far, all CPUs together. */
static u64 call_ipis(void)
{
	unsigned int cpu;
	u64 sum = 0;

	for_each_online_cpu(cpu)
		sum += READ_ONCE(per_cpu(irq_stat, cpu).irq_call_count);
	return sum;
}

/* ---- Floor: a cache line between two CPUs ---- */

struct pingpong_line {
	unsigned int flag;
} ____cacheline_aligned;

static struct pingpong_line pp;

static int pingpong_partner(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		if (!wait_for(&pp.flag, 2 * i + 1, "pingpong partner"))
			break;
		smp_store_release(&pp.flag, 2 * i + 2);
	}
	wait_for_stop();
	return 0;
}

static void bench_pingpong(unsigned int target)
{
	unsigned int warm = iters / BENCH_WARMUP_DIV;
	struct task_struct *t;
	bool ok = true;

	WRITE_ONCE(pp.flag, 0);
	t = start_on(target, pingpong_partner, NULL);
	if (!t)
		return;
	for (unsigned int i = 0; ok && i < total_samples(); i++) {
		u64 t0 = bench_cycles();

		smp_store_release(&pp.flag, 2 * i + 1);
		ok = wait_for(&pp.flag, 2 * i + 2, "pingpong");
		if (i >= warm)
			samples[i - warm] = bench_cycles() - t0;
	}
	kthread_stop(t);
	if (!ok)
		return;
	cycles_to_ns_all(samples, iters);
	report("pingpong", (int)target, samples, iters, METHOD_B2B, NULL);
}

/* ---- The calls ---- */

static void bench_nop(void *info)
{
}

enum call_kind { CALL_SINGLE, CALL_ON_EACH, CALL_MANY };

static void bench_call(const char *name, enum call_kind kind, int target, unsigned int settle)
{
	unsigned int warm = iters / BENCH_WARMUP_DIV;

	for (unsigned int i = 0; i < total_samples(); i++) {
		int err = 0;
		u64 t0;

		/* Outside the timed part: a benchmark of seconds must let
		 * the scheduler and its watchdog in. */
		cond_resched();
		udelay(settle);
		t0 = bench_cycles();
		switch (kind) {
		case CALL_SINGLE:
			err = smp_call_function_single(target, bench_nop, NULL, 1);
			break;
		case CALL_ON_EACH:
			on_each_cpu(bench_nop, NULL, 1);
			break;
		case CALL_MANY:
			preempt_disable();
			smp_call_function_many(cpu_online_mask, bench_nop, NULL, true);
			preempt_enable();
			break;
		}
		if (i >= warm)
			samples[i - warm] = bench_cycles() - t0;
		if (err) {
			pr_err("bench: %s to CPU %d: error %d\n", name, target, err);
			atomic_inc(&failures);
			return;
		}
	}
	cycles_to_ns_all(samples, iters);
	report(name, target, samples, iters, settle ? METHOD_SETTLED : METHOD_B2B, NULL);
}

/* ---- Throughput ---- */

/* A sender's state, written by the CPUs that run its calls. */
struct tput_sender {
	atomic_t done;
	unsigned int finished;
} ____cacheline_aligned;

static struct tput_sender *senders;	/* [nr_cpu_ids] */
static call_single_data_t *tput_csd;	/* [nr_cpu_ids][TPUT_BATCH] */
static unsigned int tput_target;	/* nr_cpu_ids: round robin over the others */
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
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	} while (cpu == me);
	return cpu;
}

static bool wait_done(atomic_t *v, int want, const char *what)
{
	u64 deadline = bench_cycles() + ns_to_cycles(BENCH_WAIT_NS);

	for (unsigned int spins = 0; atomic_read_acquire(v) < want; spins++) {
		cpu_relax();
		if (spins % SPINS_PER_CLOCK_CHECK == 0 && bench_cycles() > deadline) {
			pr_err("bench: %s: %d of %d calls done within %llu s on CPU %d\n", what,
			       atomic_read(v), want, BENCH_WAIT_NS / NSEC_PER_SEC,
			       raw_smp_processor_id());
			atomic_inc(&failures);
			return false;
		}
	}
	return true;
}

/* One sender's batches; the samples are taken on BENCH_CPU only. */
static void tput_send(unsigned int me)
{
	struct tput_sender *s = &senders[me];
	call_single_data_t *csd = &tput_csd[me * TPUT_BATCH];
	unsigned int target = me;

	for (unsigned int i = 0; i < tput_samples; i++) {
		u64 t0 = bench_cycles();

		for (unsigned int j = 0; j < TPUT_BATCH; j++) {
			int err;

			target = tput_target < nr_cpu_ids ? tput_target : next_target(me, target);
			INIT_CSD(&csd[j], tput_fn, s);
			err = smp_call_function_single_async(target, &csd[j]);
			if (err) {
				pr_err("bench: async call to CPU %u: error %d\n", target, err);
				atomic_inc(&failures);
				goto out;
			}
		}
		if (!wait_done(&s->done, (i + 1) * TPUT_BATCH, "throughput batch"))
			break;
		if (me == BENCH_CPU)
			samples[i] = (bench_cycles() - t0) / TPUT_BATCH;
	}
out:
	smp_store_release(&s->finished, 1);
}

static int tput_thread(void *arg)
{
	unsigned int me = smp_processor_id();

	if (wait_for(&tput_go, 1, "throughput start"))
		tput_send(me);
	else
		smp_store_release(&senders[me].finished, 1);
	wait_for_stop();
	return 0;
}

static void bench_tput(const char *name, const struct cpumask *from, unsigned int target)
{
	struct task_struct **threads;
	struct tput_result tp = { 0 };
	unsigned int cpu, nr_senders = cpumask_weight(from);
	u64 ipis0, t0;

	tput_csd = vzalloc(array_size(nr_cpu_ids * TPUT_BATCH, sizeof(*tput_csd)));
	senders = vzalloc(array_size(nr_cpu_ids, sizeof(*senders)));
	threads = kcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!tput_csd || !senders || !threads) {
		pr_err("bench: %s: out of memory\n", name);
		atomic_inc(&failures);
		goto out;
	}
	tput_samples = max(iters / TPUT_SAMPLES_DIV, (unsigned int)BENCH_ITERS_MIN);
	tput_target = target;
	WRITE_ONCE(tput_go, 0);
	for_each_cpu(cpu, from)
		if (cpu != BENCH_CPU)
			threads[cpu] = start_on(cpu, tput_thread, NULL);
	ipis0 = call_ipis();
	t0 = ktime_get_ns();
	smp_store_release(&tput_go, 1);
	if (cpumask_test_cpu(BENCH_CPU, from))
		tput_send(BENCH_CPU);
	for_each_cpu(cpu, from)
		if (threads[cpu])
			wait_for(&senders[cpu].finished, 1, "throughput sender");
	tp.elapsed_ns = ktime_get_ns() - t0;
	tp.ipis = call_ipis() - ipis0;
	for_each_cpu(cpu, from) {
		if (threads[cpu])
			kthread_stop(threads[cpu]);
		tp.calls += atomic_read(&senders[cpu].done);
	}
	if (tp.calls == (u64)nr_senders * tput_samples * TPUT_BATCH) {
		cycles_to_ns_all(samples, tput_samples);
		report(name, target < nr_cpu_ids ? (int)target : -1, samples, tput_samples,
		       METHOD_B2B, &tp);
	} else {
		pr_err("bench: %s: %llu calls of %llu ran\n", name, tp.calls,
		       (u64)nr_senders * tput_samples * TPUT_BATCH);
		atomic_inc(&failures);
	}
out:
	kfree(threads);
	vfree(senders);
	vfree(tput_csd);
}

/* ---- All of it ---- */

static void bench_latency(unsigned int settle)
{
	unsigned int cpu, me = BENCH_CPU;

	for_each_online_cpu(cpu)
		if (cpu != me)
			bench_call("call_single", CALL_SINGLE, (int)cpu, settle);
	bench_call("call_self", CALL_SINGLE, (int)me, settle);
	bench_call("on_each_cpu", CALL_ON_EACH, -1, settle);
	if (num_online_cpus() > 1)
		bench_call("call_many", CALL_MANY, -1, settle);
}

/*
 * scale: on_each_cpu as bench_call() times it, with the function-call
 * IPIs the CPUs took per call (the CAL row of /proc/interrupts, all CPUs,
 * warm-up included). Linux has no count of ICR writes; its xAPIC and
 * x2APIC drivers are named in the README instead.
 */
static void bench_scale_on_each_cpu(unsigned int settle)
{
	unsigned int warm = iters / BENCH_WARMUP_DIV;
	char extra[64];
	u64 ipis0, milli;

	ipis0 = call_ipis();
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;

		cond_resched();
		udelay(settle);
		t0 = bench_cycles();
		on_each_cpu(bench_nop, NULL, 1);
		if (i >= warm)
			samples[i - warm] = bench_cycles() - t0;
	}
	milli = div64_u64((call_ipis() - ipis0) * MILLI, total_samples());
	scnprintf(extra, sizeof(extra), ", \"ipis_per_call\": %llu.%03llu",
		  milli / MILLI, milli % MILLI);
	cycles_to_ns_all(samples, iters);
	report_extra("on_each_cpu", -1, samples, iters, settle ? METHOD_SETTLED : METHOD_B2B,
		     NULL, extra);
}

static void bench_run_all(void)
{
	unsigned int first = cpumask_next(BENCH_CPU, cpu_online_mask);
	bool settled = strcmp(methods, "back-to-back") != 0;
	bool b2b = strcmp(methods, "settled") != 0;
	struct cpumask *all_but_first;
	u64 bringup[1] = { bringup_ns };

	if (scale) {
		if (settled && settle_us)
			bench_scale_on_each_cpu(settle_us);
		if (b2b || !settle_us)
			bench_scale_on_each_cpu(0);
		goto out;
	}
	if (num_online_cpus() > 1)
		bench_pingpong(first);
	/* A settle of 0 is back to back: run that once. */
	if (settled && settle_us)
		bench_latency(settle_us);
	if (b2b || !settle_us)
		bench_latency(0);
	if (num_online_cpus() > 1) {
		bench_tput("tput_1to1", cpumask_of(BENCH_CPU), first);
		all_but_first = kmalloc(cpumask_size(), GFP_KERNEL);
		if (all_but_first) {
			cpumask_copy(all_but_first, cpu_online_mask);
			cpumask_clear_cpu(first, all_but_first);
			bench_tput("tput_nto1", all_but_first, first);
			kfree(all_but_first);
		} else {
			atomic_inc(&failures);
		}
		bench_tput("tput_all", cpu_online_mask, nr_cpu_ids);
	}
out:
	if (bringup_ns) {
		report("bringup", -1, bringup, 1, NULL, NULL);
	} else {
		pr_err("bench: no bring-up time: /init found no \"smp: Brought up\" in the log\n");
		atomic_inc(&failures);
	}
}

static bool one_of(const char *word, const char *const *choices, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(word, choices[i]))
			return true;
	return false;
}

static int __init xcall_bench_init(void)
{
	size_t n = max(iters, (unsigned int)TPUT_BATCH);
	int err;

	if (iters < BENCH_ITERS_MIN || iters > BENCH_ITERS_MAX ||
	    settle_us > BENCH_SETTLE_US_MAX ||
	    !one_of(methods, method_words, ARRAY_SIZE(method_words)) ||
	    !one_of(idle, idle_words, ARRAY_SIZE(idle_words))) {
		pr_err("bench: refused: iters=%u (%u..%u), settle_us=%u (at most %u), "
		       "methods=%s (settled, back-to-back, both), idle=%s (hlt, poll, default)\n",
		       iters, BENCH_ITERS_MIN, BENCH_ITERS_MAX, settle_us, BENCH_SETTLE_US_MAX,
		       methods, idle);
		return -EINVAL;
	}
	if (!tsc_khz || !cpu_online(BENCH_CPU)) {
		pr_err("bench: needs a TSC frequency (tsc_khz %u) and CPU %d online\n",
		       tsc_khz, BENCH_CPU);
		return -ENODEV;
	}
	samples = vmalloc(array_size(n, sizeof(*samples)));
	if (!samples) {
		pr_err("bench: out of memory for %u samples\n", iters);
		return -ENOMEM;
	}
	/* Every figure is timed from BENCH_CPU, as xcall times them from
	 * its boot CPU; this returns once the task runs there. */
	err = set_cpus_allowed_ptr(current, cpumask_of(BENCH_CPU));
	if (err || raw_smp_processor_id() != BENCH_CPU) {
		pr_err("bench: cannot move to CPU %d: error %d\n", BENCH_CPU, err);
		vfree(samples);
		return err ? err : -EAGAIN;
	}
	read_hv_name();
	pr_info("bench: %u samples per figure, idle=%s, %s, TSC %llu Hz, Linux %s\n", iters,
		idle, x2apic_mode ? "x2apic" : "xapic", (u64)tsc_khz * MILLI,
		init_utsname()->release);
	bench_run_all();
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	vfree(samples);
	pr_info("bench: done\n");
	return atomic_read(&failures) ? -EIO : 0;
}

static void __exit xcall_bench_exit(void)
{
}

module_init(xcall_bench_init);
module_exit(xcall_bench_exit);
MODULE_DESCRIPTION("xcall's benchmark figures, measured on Linux");
MODULE_LICENSE("Dual MIT/GPL");
