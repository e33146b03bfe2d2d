// SPDX-License-Identifier: MIT
/*
 * Trace events: the per-CPU rings, the trace= and trace_scenario options,
 * the scenario make trace draws, and the dump over serial. The events,
 * their fields and the rings' concurrency contract are described in
 * <xcall/trace.h>; the hooks sit in kernel/smp.c (queueing, IPIs, the
 * functions), arch/x86_64/smp.c (the vector), kernel/idle.c and
 * kernel/smpboot.c. The host side, which turns the dump into a Chrome
 * trace and a picture, is tools/xcall_trace.py.
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/ksyms.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>
#include <xcall/time.h>
#include <xcall/trace.h>

/* Slots per CPU by default: 4096 events of 40 bytes, 160 KiB a CPU. The
 * scenario records a few hundred per CPU; a whole run under `trace` may
 * fill a ring (the whole self-test at -smp 4 records about 30,000 a CPU),
 * and the dump then says how many events were dropped; trace_entries=
 * sets a bigger ring. */
#define TRACE_RING_DEFAULT	4096
/* At least a scenario's worth; at most 2^20 slots, 40 MiB a CPU. */
#define TRACE_RING_MIN		256
#define TRACE_RING_MAX		(1u << 20)
/* An event's fields besides its symbols: at most 4 names like "cpumask="
 * and 4 numbers of up to 20 digits, well under 128 bytes. */
#define TRACE_FIELDS_SLACK	128

/* The event names, Linux's "group:name", by enum trace_event. */
static const char *const event_names[NR_TRACE_EVENTS] = {
	[TRACE_IPI_SEND_CPU] = "ipi:ipi_send_cpu",
	[TRACE_IPI_SEND_CPUMASK] = "ipi:ipi_send_cpumask",
	[TRACE_CSD_QUEUE_CPU] = "csd:csd_queue_cpu",
	[TRACE_CSD_FUNCTION_ENTRY] = "csd:csd_function_entry",
	[TRACE_CSD_FUNCTION_EXIT] = "csd:csd_function_exit",
	[TRACE_CALL_FUNCTION_SINGLE_ENTRY] = "irq_vectors:call_function_single_entry",
	[TRACE_CALL_FUNCTION_SINGLE_EXIT] = "irq_vectors:call_function_single_exit",
	[TRACE_CPU_IDLE] = "power:cpu_idle",
	[TRACE_CPUHP_ENTER] = "cpuhp:cpuhp_enter",
	[TRACE_CPUHP_EXIT] = "cpuhp:cpuhp_exit",
	/* xcall's own (<xcall/trace.h>): a queueing the target refused. */
	[TRACE_CSD_QUEUE_REFUSED] = "xcall:csd_queue_refused",
};

/* Read by every hook (<xcall/trace.h>): aligned to, and padded to, a
 * cache line of its own. */
union trace_active trace_active ____cacheline_aligned;

/* The events the options selected (0: tracing not asked for). Written by
 * the boot CPU while parsing the options. */
static unsigned int trace_selected_mask;
static bool opt_scenario;
static unsigned int ring_size = TRACE_RING_DEFAULT;
DEFINE_OPTION_UINT(trace_entries, ring_size, TRACE_RING_MIN, TRACE_RING_MAX,
		   "events each CPU's trace ring holds (default 4096)");
static DEFINE_PER_CPU(struct trace_ring, trace_ring);
/* The calls' IPI counter (smp_call_stats.ipis_sent, all CPUs) when
 * recording last started and stopped, for the dump's window line. */
static u64 window_ipis_start, window_ipis_stop;

const char *trace_event_name(unsigned int ev)
{
	return ev < NR_TRACE_EVENTS ? event_names[ev] : "?";
}

/* Does @name (@len bytes) name event @ev, whole or without its group, or
 * its group? */
static bool name_matches(unsigned int ev, const char *name, size_t len)
{
	const char *full = event_names[ev], *colon = strchr(full, ':');
	size_t group = (size_t)(colon - full);

	if (strlen(full) == len && !strncmp(full, name, len))
		return true;
	if (strlen(colon + 1) == len && !strncmp(colon + 1, name, len))
		return true;
	return group == len && !strncmp(full, name, len);
}

int trace_parse_events(const char *value, size_t len, unsigned int *mask)
{
	unsigned int m = 0;

	if (!value) {
		*mask = TRACE_ALL_EVENTS;
		return 0;
	}
	for (size_t i = 0; i <= len;) {
		size_t j = i;
		unsigned int hit = 0;

		while (j < len && value[j] != ',')
			j++;
		for (unsigned int ev = 0; ev < NR_TRACE_EVENTS; ev++)
			if (name_matches(ev, value + i, j - i))
				hit |= 1u << ev;
		/* An empty name ("trace=" or "a,,b") is as wrong as an
		 * unknown one: both would trace less than was meant. */
		if (!hit)
			return -EINVAL;
		m |= hit;
		i = j + 1;
	}
	/* A queueing's refusal belongs to it: without it a refused call
	 * would look queued and lost. */
	if (m & (1u << TRACE_CSD_QUEUE_CPU))
		m |= 1u << TRACE_CSD_QUEUE_REFUSED;
	*mask = m;
	return 0;
}

/* A kernel built with TRACE=0 has no hooks: a trace option would record
 * nothing, so it is refused, with the reason, rather than taken. */
static bool trace_compiled_out(const char *option)
{
	if (CONFIG_TRACE)
		return false;
	pr_err("trace: %s refused: this kernel was built with TRACE=0, its trace hooks are compiled out\n",
	       option);
	return true;
}

static int parse_trace(const char *value, size_t len)
{
	unsigned int mask;
	int err = trace_parse_events(value, len, &mask);

	if (err)
		return err;
	if (trace_compiled_out("trace"))
		return -EINVAL;
	trace_selected_mask = mask;
	return 0;
}
DEFINE_OPTION_CUSTOM(trace, parse_trace,
		     "record trace events (all; trace=a,b: those events or groups) and print them at the end");

static int parse_trace_scenario(const char *value, size_t len)
{
	if (value || trace_compiled_out("trace_scenario"))
		return -EINVAL;
	opt_scenario = true;
	return 0;
}
DEFINE_OPTION_CUSTOM(trace_scenario, parse_trace_scenario,
		     "run the short call scenario make trace draws, recording only around it");

bool trace_selected(void)
{
	return trace_selected_mask || opt_scenario;
}

bool trace_scenario_selected(void)
{
	return opt_scenario;
}

/* ---- The rings ---- */

void trace_ring_init(struct trace_ring *ring, struct trace_entry *entries,
		     unsigned int size)
{
	ring->head = 0;
	ring->dropped = 0;
	ring->size = size;
	ring->entries = entries;
}

bool trace_ring_write(struct trace_ring *ring, const struct trace_entry *e)
{
	unsigned int head = ring->head;

	if (head >= ring->size) {
		ring->dropped++;
		return false;
	}
	ring->entries[head] = *e;
	/* Release: the slot is written before a reader can see it
	 * counted; pairs with the acquire in trace_ring_count(). */
	smp_store_release(&ring->head, head + 1);
	return true;
}

unsigned int trace_ring_count(const struct trace_ring *ring)
{
	return smp_load_acquire(&ring->head);
}

void __trace_record(enum trace_event ev, u32 a0, u64 a1, u64 a2, u64 a3)
{
	struct trace_ring *ring = this_cpu_ptr(&trace_ring);
	struct trace_entry e = {
		.event = ev, .a0 = a0, .a1 = a1, .a2 = a2, .a3 = a3,
	};
	unsigned long flags;

	local_irq_save(flags);
	/* Again with interrupts off: trace_stop()'s call cannot run on
	 * this CPU between this check and the write, so once it has run
	 * everywhere, nobody writes. */
	if (ring->entries && (READ_ONCE(trace_active_mask) & (1u << ev))) {
		/* Ordered (MFENCE; LFENCE; RDTSC): the stamp is not taken ahead of
		 * the loads and stores before the hook, so a stamp on one CPU
		 * can be compared with one on another (see <xcall/trace.h>). */
		e.tsc = get_cycles_ordered();
		trace_ring_write(ring, &e);
	}
	local_irq_restore(flags);
}

void trace_init(void)
{
	size_t pages = DIV_ROUND_UP((size_t)ring_size * sizeof(struct trace_entry),
				    PAGE_SIZE);
	unsigned int cpu;

	if (!trace_selected())
		return;
	if (!trace_selected_mask)
		trace_selected_mask = TRACE_ALL_EVENTS;
	for_each_possible_cpu(cpu) {
		struct trace_entry *slots = alloc_pages(pages);

		if (!slots) {
			pr_err("trace: no memory for CPU %u's ring (%zu pages); tracing off\n",
			       cpu, pages);
			trace_selected_mask = 0;
			return;
		}
		trace_ring_init(per_cpu_ptr(&trace_ring, cpu), slots, ring_size);
	}
	if (!opt_scenario)
		trace_start();
}

unsigned int trace_cpu_count(unsigned int cpu)
{
	const struct trace_ring *ring;

	if (cpu >= nr_cpu_ids)
		return 0;
	ring = per_cpu_ptr(&trace_ring, cpu);
	return ring->entries ? trace_ring_count(ring) : 0;
}

int trace_cpu_entry(unsigned int cpu, unsigned int i, struct trace_entry *out)
{
	const struct trace_ring *ring;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	ring = per_cpu_ptr(&trace_ring, cpu);
	if (!ring->entries || i >= trace_ring_count(ring))
		return -EINVAL;
	*out = ring->entries[i];
	return 0;
}

static u64 ipis_sent_now(void)
{
	struct smp_call_stats s;

	smp_call_stats_sum(&s);
	return s.ipis_sent;
}

void trace_start(void)
{
	window_ipis_start = ipis_sent_now();
	/* The mask is the only switch: a hook that reads it set records. */
	WRITE_ONCE(trace_active_mask, trace_selected_mask);
	smp_mb();
}

static void trace_quiesce(void *info)
{
}

void trace_stop(void)
{
	WRITE_ONCE(trace_active_mask, 0);
	window_ipis_stop = ipis_sent_now();
	/* Every online CPU takes this call with interrupts on, so none is
	 * between __trace_record()'s check and its write; the call's
	 * llist_add() orders the store above before it. Its own IPIs are
	 * counted after the window's count was taken. */
	on_each_cpu(trace_quiesce, NULL, 1);
}

void trace_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct trace_ring *ring = per_cpu_ptr(&trace_ring, cpu);

		WRITE_ONCE(ring->head, 0);
		WRITE_ONCE(ring->dropped, 0);
	}
	smp_mb();
}

/* ---- The scenario ---- */

/* The batch: this many calls queued to one target while it is busy share
 * one IPI. */
#define SCENARIO_BATCH		4

static unsigned int scenario_hits;

static void scenario_func(void *info)
{
	__atomic_fetch_add(&scenario_hits, 1, __ATOMIC_RELAXED);
}

/*
 * The batch, made deterministic. A call queued to a CPU that polls for
 * calls sends no IPI (the polling flag says it will look), so the batch
 * is set up with its target out of the poll loop:
 *
 *   1. Work on the target's idle loop (smp_call_on_cpu_async()) spins
 *      with interrupts on: the target is neither polling nor halted.
 *   2. The holder, an async call, finds the target not polling: its IPI
 *      goes out, the handler takes the queue (empty again) and runs the
 *      holder, interrupts off, until the sender has queued the batch.
 *   3. The batch's first call finds the queue empty and the target not
 *      polling: it sends the one IPI, which waits in the APIC (the
 *      handler's EOI came first); the others find the queue not empty
 *      and send none.
 *   4. The holder returns, the handler returns, the waiting IPI runs the
 *      handler once more, and that run takes the whole batch.
 *
 * The dump names the batch (trace: batch ...) for the host's check.
 */
static unsigned int batch_held, batch_release, busy_running, busy_release;
static unsigned int batch_target;
static call_single_data_t batch_csd[SCENARIO_BATCH];

/* How long a scenario step may take before it is reported as failed:
 * far beyond the few ms a step takes even under TCG on a busy host. */
#define SCENARIO_WAIT_NS	NSEC_PER_SEC

/* Wait, bounded, until *@flag reads non-zero; say what failed if not. */
static bool scenario_wait_flag(const unsigned int *flag, unsigned int cpu,
			       const char *what)
{
	u64 deadline = ktime_get_ns() + SCENARIO_WAIT_NS;

	while (!smp_load_acquire(flag)) {
		if (ktime_get_ns() > deadline) {
			pr_err("trace: scenario: CPU %u (apic_id %u) did not %s within %llu ms\n",
			       cpu, cpu_physical_id(cpu), what,
			       (unsigned long long)(SCENARIO_WAIT_NS / NSEC_PER_MSEC));
			return false;
		}
		cpu_relax();
	}
	return true;
}

/* Step 1: keep the target in its idle loop's work, interrupts on. */
static int scenario_busy(void *data)
{
	u64 deadline = get_cycles() + ns_to_cycles(SCENARIO_WAIT_NS);

	smp_store_release(&busy_running, 1);
	while (!smp_load_acquire(&busy_release) && get_cycles() < deadline)
		cpu_relax();
	return 0;
}

/* Step 2: the holder, in the target's handler. */
static void scenario_hold(void *info)
{
	u64 deadline = get_cycles() + ns_to_cycles(SCENARIO_WAIT_NS);

	smp_store_release(&batch_held, 1);
	while (!smp_load_acquire(&batch_release) && get_cycles() < deadline)
		cpu_relax();
	__atomic_fetch_add(&scenario_hits, 1, __ATOMIC_RELAXED);
}

/* Wait, bounded, until the calls made so far have run. */
static bool scenario_wait_hits(unsigned int want, unsigned int cpu)
{
	u64 deadline = ktime_get_ns() + SCENARIO_WAIT_NS;

	while (__atomic_load_n(&scenario_hits, __ATOMIC_ACQUIRE) < want) {
		if (ktime_get_ns() > deadline) {
			pr_err("trace: scenario: %u of %u calls ran within %llu ms (last sent to CPU %u, apic_id %u)\n",
			       __atomic_load_n(&scenario_hits, __ATOMIC_ACQUIRE), want,
			       (unsigned long long)(SCENARIO_WAIT_NS / NSEC_PER_MSEC),
			       cpu, cpu_physical_id(cpu));
			return false;
		}
		cpu_relax();
	}
	return true;
}

/* Steps 1 to 4 on @target. Return: the steps that failed. */
static unsigned int scenario_batch(unsigned int target)
{
	static call_single_data_t hold_csd;
	static struct smp_call_on_cpu_struct busy = { .func = scenario_busy };
	unsigned int failed = 0;

	WRITE_ONCE(busy_running, 0);
	WRITE_ONCE(busy_release, 0);
	WRITE_ONCE(batch_held, 0);
	WRITE_ONCE(batch_release, 0);
	if (smp_call_on_cpu_async(target, &busy)) {
		pr_err("trace: scenario: CPU %u (apic_id %u) took no work for its idle loop\n",
		       target, cpu_physical_id(target));
		return 1;
	}
	if (!scenario_wait_flag(&busy_running, target, "start the work that keeps it out of its poll loop"))
		failed++;
	INIT_CSD(&hold_csd, scenario_hold, NULL);
	failed += smp_call_function_single_async((int)target, &hold_csd) != 0;
	if (!scenario_wait_flag(&batch_held, target, "run the batch's holder"))
		failed++;
	for (unsigned int i = 0; i < SCENARIO_BATCH; i++) {
		INIT_CSD(&batch_csd[i], scenario_func, NULL);
		failed += smp_call_function_single_async((int)target, &batch_csd[i]) != 0;
	}
	batch_target = target;
	smp_store_release(&batch_release, 1);
	smp_store_release(&busy_release, 1);
	failed += smp_call_on_cpu_wait(&busy, SCENARIO_WAIT_NS) != 0;
	return failed;
}

unsigned int trace_scenario_run(void)
{
	static call_single_data_t async_csd;
	unsigned int me = smp_processor_id(), nr = num_online_cpus();
	unsigned int target = 0, last = 0, failed = 0, want = 0, cpu;
	struct cpumask others;

	for_each_online_cpu(cpu) {
		if (cpu != me && !target)
			target = cpu;
		last = cpu;
	}
	if (!target) {
		pr_info("trace: scenario: needs a second online CPU; nothing to trace\n");
		return 0;
	}
	pr_info("trace: scenario on %u CPUs, target CPU %u\n", nr, target);
	trace_stop();
	trace_reset();
	scenario_hits = 0;
	trace_start();

	/* One call waited for, one not, one async. */
	failed += smp_call_function_single((int)target, scenario_func, NULL, 1) != 0;
	want++;
	failed += smp_call_function_single((int)last, scenario_func, NULL, 0) != 0;
	want++;
	failed += !scenario_wait_hits(want, last);
	INIT_CSD(&async_csd, scenario_func, NULL);
	failed += smp_call_function_single_async((int)target, &async_csd) != 0;
	want++;
	failed += !scenario_wait_hits(want, target);

	/* Every other CPU at once, then every CPU with this one too. */
	cpumask_copy(&others, cpu_online_mask);
	__cpumask_clear_cpu(me, &others);
	smp_call_function_many(&others, scenario_func, NULL, true);
	want += nr - 1;
	on_each_cpu(scenario_func, NULL, 1);
	want += nr;

	/* The batch, behind a holder (see scenario_batch()). */
	failed += scenario_batch(target);
	want += 1 + SCENARIO_BATCH;
	failed += !scenario_wait_hits(want, target);

	/* A CPU out and back in (not the boot CPU, not this one). */
	if (last != me && last != 0) {
		failed += cpu_down(last) != 0;
		failed += cpu_up(last) != 0;
	}
	/* After cpu_up(): a call to the CPU that came back. */
	if (cpu_online(last) && last != me) {
		failed += smp_call_function_single((int)last, scenario_func, NULL, 1) != 0;
		want++;
	}

	trace_stop();
	if (!scenario_wait_hits(want, last) || failed) {
		pr_err("trace: scenario: %u of its steps failed, %u of %u calls ran\n",
		       failed, scenario_hits, want);
		return failed ? failed : 1;
	}
	pr_info("trace: scenario done: %u calls ran\n", want);
	return 0;
}

/* ---- The dump ---- */

/* A function as Linux's %ps prints it: its name, no offset (%pS, with
 * the offset, is ksym_format()); the address in hex if it has no name. */
static const char *ksym_name(char *buf, size_t size, unsigned long addr)
{
	unsigned long off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "0x%016lx", addr);
	return buf;
}

/* One event's fields, in the order, with the names and the printing of
 * Linux's tracepoint (%pS for a callsite and an IPI's callback, %ps for
 * a csd's func, and csd_function's comma), into @buf. */
static void format_fields(char *buf, size_t size, const struct trace_entry *e)
{
	char s1[KSYM_NAME_MAX], s2[KSYM_NAME_MAX];

	switch (e->event) {
	case TRACE_IPI_SEND_CPU:
		snprintf(buf, size, "cpu=%u callsite=%s callback=%s", e->a0,
			 ksym_format(s1, sizeof(s1), e->a1),
			 ksym_format(s2, sizeof(s2), e->a2));
		break;
	case TRACE_IPI_SEND_CPUMASK:
		/* a0: the weight; a1: the mask's first 64 CPUs. */
		snprintf(buf, size, "cpumask=0x%llx nr=%u callsite=%s callback=%s",
			 (unsigned long long)e->a1, e->a0,
			 ksym_format(s1, sizeof(s1), e->a2),
			 ksym_format(s2, sizeof(s2), e->a3));
		break;
	case TRACE_CSD_QUEUE_CPU:
		snprintf(buf, size, "cpu=%u callsite=%s func=%s csd=0x%llx", e->a0,
			 ksym_format(s1, sizeof(s1), e->a1),
			 ksym_name(s2, sizeof(s2), e->a2),
			 (unsigned long long)e->a3);
		break;
	case TRACE_CSD_FUNCTION_ENTRY:
	case TRACE_CSD_FUNCTION_EXIT:
		snprintf(buf, size, "func=%s, csd=0x%llx",
			 ksym_name(s1, sizeof(s1), e->a1), (unsigned long long)e->a2);
		break;
	case TRACE_CALL_FUNCTION_SINGLE_ENTRY:
	case TRACE_CALL_FUNCTION_SINGLE_EXIT:
		snprintf(buf, size, "vector=%u", e->a0);
		break;
	case TRACE_CPU_IDLE:
		snprintf(buf, size, "state=%u cpu_id=%llu", e->a0,
			 (unsigned long long)e->a1);
		break;
	case TRACE_CPUHP_ENTER:
		snprintf(buf, size, "cpu=%u target=%llu", e->a0,
			 (unsigned long long)e->a1);
		break;
	case TRACE_CSD_QUEUE_REFUSED:
		snprintf(buf, size, "cpu=%u csd=0x%llx", e->a0, (unsigned long long)e->a1);
		break;
	case TRACE_CPUHP_EXIT:
		snprintf(buf, size, "cpu=%u state=%llu ret=%lld", e->a0,
			 (unsigned long long)e->a1, (long long)e->a2);
		break;
	default:
		snprintf(buf, size, "a0=%u", e->a0);
		break;
	}
}

void trace_dump(void)
{
	/* Room for the widest event: three symbols and the rest of its
	 * fields (numbers and names, at most TRACE_FIELDS_SLACK bytes). */
	char fields[3 * KSYM_NAME_MAX + TRACE_FIELDS_SLACK];
	unsigned int cpu, total = 0, dropped = 0;

	if (!trace_selected_mask)
		return;
	if (READ_ONCE(trace_active_mask))
		trace_stop();
	/* The header: what the host needs to read the rest. */
	printk_always("trace: begin cpus=%u tsc_hz=%llu events=0x%x\n", nr_cpu_ids,
		      (unsigned long long)cycles_hz(), trace_selected_mask);
	/* The scenario's batch, for the host's check that it shared one
	 * IPI and one run of the handler: its target and its records. */
	if (batch_target) {
		char *p = fields;

		for (unsigned int i = 0; i < SCENARIO_BATCH; i++)
			p += snprintf(p, sizeof(fields) - (size_t)(p - fields), "%s0x%lx",
				      i ? "," : "", (unsigned long)&batch_csd[i]);
		printk_always("trace: batch cpu=%u csd=%s\n", batch_target, fields);
	}
	for_each_possible_cpu(cpu) {
		const struct trace_ring *ring = per_cpu_ptr(&trace_ring, cpu);
		unsigned int n = trace_cpu_count(cpu);

		for (unsigned int i = 0; i < n; i++) {
			const struct trace_entry *e = &ring->entries[i];

			format_fields(fields, sizeof(fields), e);
			printk_always("T %u %llu %s %s\n", cpu,
				      (unsigned long long)e->tsc,
				      trace_event_name(e->event), fields);
		}
		total += n;
		dropped += READ_ONCE(ring->dropped);
		printk_always("trace: cpu %u events=%u dropped=%u\n", cpu, n,
			      READ_ONCE(ring->dropped));
	}
	printk_always("trace: end events=%u dropped=%u ipis_sent=%llu\n", total, dropped,
		      (unsigned long long)(window_ipis_stop - window_ipis_start));
	if (dropped)
		pr_warn("trace: %u events dropped: a ring was full (%u slots a CPU; trace_entries= sets more)\n",
			dropped, ring_size);
}
