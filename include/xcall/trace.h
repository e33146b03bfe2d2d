/* SPDX-License-Identifier: MIT */
/*
 * Trace events of the cross-CPU call path (kernel/trace.c), named and
 * shaped as Linux's tracepoints are where Linux has one:
 *
 *   ipi:ipi_send_cpu                     cpu, callsite, callback
 *   ipi:ipi_send_cpumask                 cpumask, callsite, callback
 *   csd:csd_queue_cpu                    cpu, callsite, func, csd
 *   csd:csd_function_entry               func, csd
 *   csd:csd_function_exit                func, csd
 *   irq_vectors:call_function_single_entry   vector
 *   irq_vectors:call_function_single_exit    vector
 *   power:cpu_idle                       state, cpu_id (exit: state
 *                                        PWR_EVENT_EXIT, as Linux)
 *   cpuhp:cpuhp_enter                    cpu, target
 *   cpuhp:cpuhp_exit                     cpu, state, ret
 *   xcall:csd_queue_refused              cpu, csd
 *
 * The last is xcall's own, no Linux tracepoint: the queueing just traced
 * (csd_queue_cpu, same sender, cpu and csd) found the target's queue
 * closed (it went down after the sender's online check), nothing was
 * queued, and the call returned -ENXIO (or the target left the many-call's
 * targets). The host tool counts such a queueing as never made.
 *
 * Each CPU records into its own ring with a TSC stamp; the rings are
 * printed over serial at the end of the run (trace_dump(); the format is
 * in README.md, "Trace").
 *
 * Stamps of different CPUs are compared (a function entry after its
 * queueing), which assumes the CPUs' TSCs agree: an invariant TSC
 * (CPUID.80000007H:EDX[8]; Intel SDM Vol. 3B, "Invariant TSC", 18.17.1
 * in recent editions) started by the same reset, as on one package and
 * under QEMU, which gives every vCPU the host's TSC with one offset.
 * xcall neither measures nor corrects a skew between CPUs; on hardware
 * whose TSCs differ, the order the host tool checks can be wrong by that
 * skew. Each stamp is taken with get_cycles_ordered() (MFENCE; LFENCE;
 * RDTSC), so it is not read ahead of the hook's own earlier accesses.
 *
 * Concurrency contract of a ring (struct trace_ring):
 *   - Only the CPU that owns a ring writes to it, from any context but
 *     NMI: a write runs with interrupts off, so an interrupt's event never
 *     lands in the middle of another's. No lock, no atomic RMW.
 *   - The writer fills the slot, then publishes it with a release store
 *     of @head; a reader on any CPU loads @head with acquire and may read
 *     every slot below it. Slots are never rewritten while recording is
 *     on: a full ring drops the new event and counts it in @dropped (the
 *     beginning of the window is what the flows need; a dump says how
 *     many were lost, never silently).
 *   - Emptying a ring (trace_reset()) needs every CPU quiet: recording
 *     stopped by trace_stop(), which waits until every online CPU has
 *     passed through an interrupt with recording seen off; with no CPU
 *     hotplug meanwhile, as an offline CPU is not waited for.
 *
 * Cost when off: each hook is one load of a read-mostly word and a
 * branch predicted not taken (trace_enabled()). Linux uses static keys
 * there, patching a jump into the code when a tracepoint is switched on;
 * xcall does not modify its own code: cross-modifying code on a running
 * SMP machine needs the protocol of Intel SDM Vol. 3A 9.1.3 (Handling
 * Self- and Cross-Modifying Code: every other CPU must serialize), which
 * is a subsystem of its own for the gain of one L1-resident load.
 */
#ifndef XCALL_TRACE_H
#define XCALL_TRACE_H

#include <xcall/arch.h>
#include <xcall/compiler.h>
#include <xcall/cpumask.h>
#include <xcall/types.h>

enum trace_event {
	TRACE_IPI_SEND_CPU,
	TRACE_IPI_SEND_CPUMASK,
	TRACE_CSD_QUEUE_CPU,
	TRACE_CSD_FUNCTION_ENTRY,
	TRACE_CSD_FUNCTION_EXIT,
	TRACE_CALL_FUNCTION_SINGLE_ENTRY,
	TRACE_CALL_FUNCTION_SINGLE_EXIT,
	TRACE_CPU_IDLE,
	TRACE_CPUHP_ENTER,
	TRACE_CPUHP_EXIT,
	TRACE_CSD_QUEUE_REFUSED,
	NR_TRACE_EVENTS,
};

#define TRACE_ALL_EVENTS	((1u << NR_TRACE_EVENTS) - 1)

/* power:cpu_idle's state on the way out, Linux's PWR_EVENT_EXIT. */
#define PWR_EVENT_EXIT		0xffffffffu
/* The idle states power:cpu_idle reports: xcall's two ways to wait. */
#define TRACE_IDLE_POLL		0
#define TRACE_IDLE_HALT		1

/**
 * struct trace_entry - one recorded event
 * @tsc: get_cycles_ordered() when it was recorded
 * @event: an enum trace_event
 * @a0: the event's first field (a CPU number, a vector, a state)
 * @a1: the next fields, in the order of the list above
 * @a2: likewise
 * @a3: likewise
 */
struct trace_entry {
	u64 tsc;
	u32 event;
	u32 a0;
	u64 a1, a2, a3;
};

/**
 * struct trace_ring - one CPU's events (see the contract above)
 * @head: slots filled; written by the owner only, with release
 * @dropped: events that found the ring full; owner only
 * @size: slots in @entries
 * @entries: the slots
 */
struct trace_ring {
	unsigned int head;
	unsigned int dropped;
	unsigned int size;
	struct trace_entry *entries;
};

/* CONFIG_TRACE (make TRACE=0|1, default 1): 0 compiles every hook below
 * to nothing (trace_enabled() is a constant false, so each hook's code is
 * dropped), and kernel/trace.c refuses the trace options. */
#ifndef CONFIG_TRACE
#define CONFIG_TRACE 1
#endif

/**
 * union trace_active - what the hooks read, alone on its cache line
 * @mask: the events being recorded now, 0 when off; written only by
 *        kernel/trace.c, when recording starts or stops
 * @line: pads the union to a whole line, so no other variable shares it
 *        and no write elsewhere takes the line from a CPU's L1
 */
union trace_active {
	unsigned int mask;
	u8 line[SMP_CACHE_BYTES];
};
extern union trace_active trace_active;
#define trace_active_mask	(trace_active.mask)

/**
 * trace_enabled() - is @ev being recorded?
 * @ev: the event
 *
 * The hooks' only cost when tracing is off: this load and its branch;
 * none when built with TRACE=0.
 * Context: any.
 * Return: true when @ev should be recorded now.
 */
static __always_inline bool trace_enabled(enum trace_event ev)
{
	return CONFIG_TRACE && unlikely(READ_ONCE(trace_active_mask) & (1u << ev));
}

/**
 * __trace_record() - record one event in this CPU's ring
 * @ev: the event
 * @a0: its first field
 * @a1: its second
 * @a2: its third
 * @a3: its fourth
 *
 * The slow path of the hooks below; checks the mask again with
 * interrupts off, which trace_stop() relies on.
 * Context: any but NMI.
 */
void __trace_record(enum trace_event ev, u32 a0, u64 a1, u64 a2, u64 a3);

/* The hooks, one per event, with Linux's argument names. */
#define __TRACE_HOOK(ev, a0, a1, a2, a3) do {				\
	if (trace_enabled(ev))						\
		__trace_record((ev), (u32)(a0), (u64)(a1), (u64)(a2), (u64)(a3)); \
} while (0)

#define trace_ipi_send_cpu(cpu, callsite, callback) \
	__TRACE_HOOK(TRACE_IPI_SEND_CPU, cpu, callsite, callback, 0)
/* The mask as its weight and its first 64 CPUs (the dump prints both). */
#define trace_ipi_send_cpumask(mask, callsite, callback) \
	__TRACE_HOOK(TRACE_IPI_SEND_CPUMASK, cpumask_weight(mask), \
		     cpumask_bits(mask)[0], callsite, callback)
#define trace_csd_queue_cpu(cpu, callsite, func, csd) \
	__TRACE_HOOK(TRACE_CSD_QUEUE_CPU, cpu, callsite, func, csd)
#define trace_csd_queue_refused(cpu, csd) \
	__TRACE_HOOK(TRACE_CSD_QUEUE_REFUSED, cpu, csd, 0, 0)
#define trace_csd_function_entry(func, csd) \
	__TRACE_HOOK(TRACE_CSD_FUNCTION_ENTRY, 0, func, csd, 0)
#define trace_csd_function_exit(func, csd) \
	__TRACE_HOOK(TRACE_CSD_FUNCTION_EXIT, 0, func, csd, 0)
#define trace_call_function_single_entry(vector) \
	__TRACE_HOOK(TRACE_CALL_FUNCTION_SINGLE_ENTRY, vector, 0, 0, 0)
#define trace_call_function_single_exit(vector) \
	__TRACE_HOOK(TRACE_CALL_FUNCTION_SINGLE_EXIT, vector, 0, 0, 0)
#define trace_cpu_idle(state, cpu_id) \
	__TRACE_HOOK(TRACE_CPU_IDLE, state, cpu_id, 0, 0)
#define trace_cpuhp_enter(cpu, target) \
	__TRACE_HOOK(TRACE_CPUHP_ENTER, cpu, target, 0, 0)
#define trace_cpuhp_exit(cpu, state, ret) \
	__TRACE_HOOK(TRACE_CPUHP_EXIT, cpu, state, (long)(ret), 0)

/**
 * trace_ring_init() - make an empty ring over caller-provided slots
 * @ring: the ring
 * @entries: its slots
 * @size: how many
 *
 * Context: nobody else uses @ring yet.
 */
void trace_ring_init(struct trace_ring *ring, struct trace_entry *entries,
		     unsigned int size);

/**
 * trace_ring_write() - append an event to a ring, or count it dropped
 * @ring: the ring, owned by the caller's CPU
 * @e: the event
 *
 * Context: the ring's owner, interrupts off (see the contract above).
 * Return: true when stored, false when the ring was full.
 */
bool trace_ring_write(struct trace_ring *ring, const struct trace_entry *e);

/**
 * trace_ring_count() - how many events a ring holds
 * @ring: the ring
 *
 * Context: any CPU; slots below the answer may be read.
 * Return: the published count.
 */
unsigned int trace_ring_count(const struct trace_ring *ring);

/**
 * trace_parse_events() - turn a trace= value into an event mask
 * @value: the comma-separated names; NULL for every event
 * @len: the length of @value
 * @mask: set on success
 *
 * A name is a whole event ("csd:csd_queue_cpu"), an event without its
 * group ("csd_queue_cpu"), or a group ("csd": all its events).
 * csd_queue_cpu brings xcall:csd_queue_refused with it.
 * Context: any.
 * Return: 0, or -EINVAL for an empty or unknown name (@mask untouched).
 */
int trace_parse_events(const char *value, size_t len, unsigned int *mask);

/**
 * trace_event_name() - an event's Linux-style name
 * @ev: the event
 *
 * Context: any.
 * Return: "group:name", or "?" for a number out of range.
 */
const char *trace_event_name(unsigned int ev);

/**
 * trace_init() - allocate the rings, and start recording when asked
 *
 * With trace (and no trace_scenario) recording starts here and lasts
 * until trace_dump(); with trace_scenario, only while the scenario runs.
 * Context: boot CPU, after bring-up (smp_init() makes the possible CPUs
 * and their per-CPU areas), before anything that should be recorded.
 */
void trace_init(void);

/**
 * trace_selected() - did the options ask for tracing?
 *
 * Context: any, after the options are parsed.
 * Return: true when trace or trace_scenario was given.
 */
bool trace_selected(void);

/**
 * trace_start() - record the selected events from now on
 *
 * Context: any CPU; with trace_init() done.
 */
void trace_start(void);

/**
 * trace_stop() - stop recording and wait until every CPU has stopped
 *
 * After it returns no CPU writes to any ring until trace_start(), given
 * that no cpu_down() or cpu_up() runs meanwhile: it waits for the online
 * CPUs only, and a CPU on its way down records its last idle exit while
 * already offline.
 * Context: interrupts on (it waits for every online CPU, by a call); no
 * CPU hotplug concurrently (the callers: the scenario after its
 * cpu_up(), the dump at the end of the run, the trace suite).
 */
void trace_stop(void);

/**
 * trace_reset() - empty every ring and its dropped count
 *
 * Context: after trace_stop(), before trace_start().
 */
void trace_reset(void);

/**
 * trace_cpu_count() - events recorded by one CPU so far
 * @cpu: a CPU number
 *
 * Context: any CPU.
 * Return: the events in @cpu's ring; 0 when it has none, or @cpu is out
 * of range.
 */
unsigned int trace_cpu_count(unsigned int cpu);

/**
 * trace_cpu_entry() - copy one recorded event
 * @cpu: a CPU number
 * @i: below trace_cpu_count(@cpu)
 * @out: filled in
 *
 * Context: any CPU.
 * Return: 0, or -EINVAL when @i is out of range or @cpu has no ring.
 */
int trace_cpu_entry(unsigned int cpu, unsigned int i, struct trace_entry *out);

/**
 * trace_scenario_run() - the calls make trace draws, recorded
 *
 * One waited call, one not waited for, one async, smp_call_function_many(),
 * on_each_cpu(), and a batch of calls to one target that share one IPI,
 * then a CPU taken down and brought up again; recording is on only
 * around them, and the calls' IPI counter for that window is printed
 * for the host to compare with the IPI events.
 * Context: boot CPU, interrupts on, after bring-up.
 * Return: 0, or the number of calls that failed.
 */
unsigned int trace_scenario_run(void);

/**
 * trace_scenario_selected() - did the options ask for the scenario?
 *
 * Context: any, after the options are parsed.
 * Return: true with trace_scenario.
 */
bool trace_scenario_selected(void);

/**
 * trace_dump() - stop recording and print every ring over serial
 *
 * Prints nothing unless tracing was asked for.
 * Context: boot CPU, interrupts on, at the end of the run.
 */
void trace_dump(void);

#endif /* XCALL_TRACE_H */
