// SPDX-License-Identifier: MIT
/*
 * The trace rings and the trace= option (kernel/trace.c): a ring keeps
 * events in the order they were written and counts, never hides, what
 * it had no room for; tracing off records nothing; tracing on records a
 * call's queueing on the sender and its function on the target, in that
 * order; the option takes names and groups and refuses the rest.
 *
 * The cases on private rings run in every boot. The live ones use the
 * kernel's rings when trace_scenario made them (stopped until the
 * scenario runs) and leave them stopped and empty; under the trace option
 * the rings hold the user's recording, so they skip and leave it alone.
 */
#include <xcall/errno.h>
#include <xcall/ktest.h>
#include <xcall/options.h>
#include <xcall/smp.h>
#include <xcall/string.h>
#include <xcall/trace.h>

#define SMALL_RING	4
#define ORDER_RING	8
#define ORDER_WRITES	5
#define OVERFLOW_WRITES	7

static void ring_keeps_events_in_write_order(struct ktest *t)
{
	struct trace_entry slots[ORDER_RING], e = { .event = TRACE_CPU_IDLE };
	struct trace_ring ring;

	trace_ring_init(&ring, slots, ORDER_RING);
	for (unsigned int i = 0; i < ORDER_WRITES; i++) {
		e.tsc = 100 + i;
		e.a0 = i;
		KTEST_EXPECT_TRUE(t, trace_ring_write(&ring, &e));
	}
	KTEST_EXPECT_EQ(t, trace_ring_count(&ring), ORDER_WRITES);
	KTEST_EXPECT_EQ(t, ring.dropped, 0);
	for (unsigned int i = 0; i < ORDER_WRITES; i++) {
		KTEST_EXPECT_EQ(t, slots[i].a0, i);
		KTEST_EXPECT_EQ(t, slots[i].tsc, 100 + i);
	}
}

static void full_ring_counts_dropped_events(struct ktest *t)
{
	struct trace_entry slots[SMALL_RING], e = { .event = TRACE_CPU_IDLE };
	struct trace_ring ring;
	unsigned int stored = 0;

	trace_ring_init(&ring, slots, SMALL_RING);
	for (unsigned int i = 0; i < OVERFLOW_WRITES; i++) {
		e.a0 = i;
		stored += trace_ring_write(&ring, &e);
	}
	KTEST_EXPECT_EQ(t, stored, SMALL_RING);
	KTEST_EXPECT_EQ(t, trace_ring_count(&ring), SMALL_RING);
	KTEST_EXPECT_EQ(t, ring.dropped, OVERFLOW_WRITES - SMALL_RING);
	/* The first events are kept: a dump's beginning is whole. */
	for (unsigned int i = 0; i < SMALL_RING; i++)
		KTEST_EXPECT_EQ(t, slots[i].a0, i);
}

static void option_takes_names_and_groups_refuses_unknown(struct ktest *t)
{
	unsigned int mask = 0;
	const char *v;

	KTEST_EXPECT_EQ(t, trace_parse_events(NULL, 0, &mask), 0);
	KTEST_EXPECT_EQ_U(t, mask, TRACE_ALL_EVENTS);
	v = "csd:csd_queue_cpu,ipi";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), 0);
	KTEST_EXPECT_EQ_U(t, mask, (1u << TRACE_CSD_QUEUE_CPU) | (1u << TRACE_IPI_SEND_CPU) |
			  (1u << TRACE_IPI_SEND_CPUMASK) | (1u << TRACE_CSD_QUEUE_REFUSED));
	v = "xcall";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), 0);
	KTEST_EXPECT_EQ_U(t, mask, 1u << TRACE_CSD_QUEUE_REFUSED);
	v = "cpu_idle";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), 0);
	KTEST_EXPECT_EQ_U(t, mask, 1u << TRACE_CPU_IDLE);
	/* Refused values leave the mask as it was. */
	mask = 1;
	v = "csd,no_such_event";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), -EINVAL);
	v = "csd,,ipi";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), -EINVAL);
	KTEST_EXPECT_EQ(t, trace_parse_events("", 0, &mask), -EINVAL);
	v = "csd_queue";
	KTEST_EXPECT_EQ(t, trace_parse_events(v, strlen(v), &mask), -EINVAL);
	KTEST_EXPECT_EQ_U(t, mask, 1);
	/* Through the option parser: refused and counted like any bad value,
	 * and the kernel's selection is left alone. */
	KTEST_EXPECT_EQ(t, options_parse("trace=no_such_event", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("trace=csd:", "test"), 1);
	/* A ring too small for a scenario, or beyond 40 MiB a CPU. */
	KTEST_EXPECT_EQ(t, options_parse("trace_entries=0", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("trace_entries=2000000", "test"), 1);
}

static void options_refused_when_compiled_out(struct ktest *t)
{
	if (CONFIG_TRACE) {
		ktest_skip(t, "tracing is compiled in (TRACE=1): the options are taken");
		return;
	}
	/* Refused, with the reason, and counted like any bad option. */
	KTEST_EXPECT_EQ(t, options_parse("trace", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("trace=csd", "test"), 1);
	KTEST_EXPECT_EQ(t, options_parse("trace_scenario", "test"), 1);
	KTEST_EXPECT_FALSE(t, trace_selected());
}

static void trace_nop(void *info)
{
}

static unsigned int total_events(void)
{
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += trace_cpu_count(cpu);
	return n;
}

static void disabled_tracing_records_nothing(struct ktest *t)
{
	unsigned int me = smp_processor_id(), other = me, cpu, before;

	if (!trace_selected()) {
		ktest_skip(t, "no rings: boot with trace_scenario to record nothing into them");
		return;
	}
	if (READ_ONCE(trace_active_mask)) {
		ktest_skip(t, "the trace option is recording this run: stopping it would cut the user's trace");
		return;
	}
	for_each_online_cpu(cpu)
		if (cpu != me)
			other = cpu;
	before = total_events();
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)other, trace_nop, NULL, 1), 0);
	on_each_cpu(trace_nop, NULL, 1);
	KTEST_EXPECT_EQ(t, total_events(), before);
}

/* Find the first event @ev in @cpu's ring from @from on; -1 if none. */
static int find_event(unsigned int cpu, unsigned int ev, unsigned int from,
		      struct trace_entry *out)
{
	for (unsigned int i = from; i < trace_cpu_count(cpu); i++)
		if (!trace_cpu_entry(cpu, i, out) && out->event == ev)
			return (int)i;
	return -1;
}

static void enabled_tracing_records_a_call_in_order(struct ktest *t)
{
	unsigned int me = smp_processor_id(), other = me, cpu;
	struct trace_entry q, entry, ex;
	int qi, ei, xi;

	if (!trace_selected()) {
		ktest_skip(t, "no rings: boot with trace_scenario");
		return;
	}
	/* Its rings are the kernel's: emptying them would erase what the
	 * user's trace option has recorded so far. */
	if (READ_ONCE(trace_active_mask)) {
		ktest_skip(t, "the trace option is recording this run: the case would empty the user's rings");
		return;
	}
	for_each_online_cpu(cpu)
		if (cpu != me)
			other = cpu;
	if (other == me) {
		ktest_skip(t, "needs a second online CPU to call");
		return;
	}
	trace_stop();
	trace_reset();
	trace_start();
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)other, trace_nop, NULL, 1), 0);
	/* A call to this CPU runs here, no record queued: csd NULL in its
	 * entry, as Linux's generic_exec_single() traces it. */
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)me, trace_nop, NULL, 1), 0);
	trace_stop();

	if (KTEST_EXPECT_GE(t, find_event(me, TRACE_CSD_FUNCTION_ENTRY, 0, &entry), 0))
		KTEST_EXPECT_EQ_U(t, entry.a2, 0);
	/* The IPI, if the target was not polling: its callback is the
	 * handler the IPI runs, as Linux names it, not the call's func. */
	if (find_event(me, TRACE_IPI_SEND_CPU, 0, &entry) >= 0) {
		KTEST_EXPECT_EQ(t, entry.a0, other);
		KTEST_EXPECT_EQ_U(t, entry.a2,
				  (unsigned long)generic_smp_call_function_single_interrupt);
	}

	qi = find_event(me, TRACE_CSD_QUEUE_CPU, 0, &q);
	ei = find_event(other, TRACE_CSD_FUNCTION_ENTRY, 0, &entry);
	xi = ei < 0 ? -1 : find_event(other, TRACE_CSD_FUNCTION_EXIT, (unsigned int)ei, &ex);
	if (KTEST_EXPECT_GE(t, qi, 0)) {
		KTEST_EXPECT_EQ(t, q.a0, other);
		KTEST_EXPECT_EQ_U(t, q.a2, (unsigned long)trace_nop);
	}
	if (KTEST_EXPECT_GE(t, ei, 0) && qi >= 0) {
		KTEST_EXPECT_EQ_U(t, entry.a1, (unsigned long)trace_nop);
		/* The same record, run after it was queued. */
		KTEST_EXPECT_EQ_U(t, entry.a2, q.a3);
		KTEST_EXPECT_GT(t, entry.tsc, q.tsc);
	}
	if (KTEST_EXPECT_GE(t, xi, 0) && ei >= 0)
		KTEST_EXPECT_GE(t, ex.tsc, entry.tsc);
	/* Leave the rings empty for the scenario. */
	trace_reset();
}

static const struct ktest_case trace_cases[] = {
	KTEST_CASE(ring_keeps_events_in_write_order),
	KTEST_CASE(full_ring_counts_dropped_events),
	KTEST_CASE(option_takes_names_and_groups_refuses_unknown),
	KTEST_CASE(options_refused_when_compiled_out),
	KTEST_CASE(disabled_tracing_records_nothing),
	KTEST_CASE(enabled_tracing_records_a_call_in_order),
};

KTEST_SUITE(trace, trace_cases);
