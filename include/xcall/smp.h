/* SPDX-License-Identifier: MIT */
/*
 * Cross-CPU function calls and the CPU bookkeeping they rely on, with
 * Linux's names, argument orders and return conventions
 * (include/linux/smp.h), so that a Linux reader is at home.
 *
 * The calls are in kernel/smp.c; the CPU masks and counts in
 * kernel/cpu.c; bring-up in kernel/smpboot.c.
 */
#ifndef XCALL_SMP_H
#define XCALL_SMP_H

#include <xcall/compiler.h>
#include <xcall/cpumask.h>
#include <xcall/llist.h>
#include <xcall/percpu.h>

typedef void (*smp_call_func_t)(void *info);
typedef bool (*smp_cond_func_t)(int cpu, void *info);

/* csd->flags */
#define CSD_FLAG_LOCK		0x01	/* queued or running: hands off */
#define CSD_TYPE_SYNC		0x10	/* a waiter spins on this record */

/*
 * struct __call_single_data - one queued call
 * @node: link in the target CPU's call_single_queue
 * @flags: CSD_FLAG_LOCK while in flight; CSD_TYPE_SYNC when the sender
 *         waits, telling the target to unlock only after the function ran
 * @func: the function
 * @info: its argument
 * @src: the sending CPU, @dst the target (for stuck-call reports)
 *
 * One record per cache line (the struct is padded to one, so arrays of
 * records keep it): the sender writes it, the target reads and unlocks
 * it, and nothing else should share that line.
 */
struct __call_single_data {
	struct llist_node node;
	unsigned int flags;
	u16 src;
	u16 dst;
	smp_call_func_t func;
	void *info;
} ____cacheline_aligned;

typedef struct __call_single_data call_single_data_t;

#define CSD_INIT(_func, _info)	{ .func = (_func), .info = (_info) }

static inline void INIT_CSD(call_single_data_t *csd, smp_call_func_t func,
			    void *info)
{
	csd->node.next = NULL;
	csd->flags = 0;
	csd->func = func;
	csd->info = info;
}

/* ---- CPU numbers and masks (kernel/cpu.c) ---- */

DECLARE_PER_CPU(unsigned int, cpu_number);

/** smp_processor_id() - this CPU's logical number, 0 for the boot CPU. */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

/* Written only through set_cpu_possible()/set_cpu_online(); read
 * everywhere through the macros, inline, because the call path tests
 * cpu_online() on every send. */
extern struct cpumask __cpu_possible_mask;
extern struct cpumask __cpu_online_mask;
extern unsigned int nr_cpu_ids;

#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_online_mask);
}

static inline bool cpu_possible(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_possible_mask);
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(cpu_online_mask);
}

static inline unsigned int num_possible_cpus(void)
{
	return cpumask_weight(cpu_possible_mask);
}

#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)
#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)

void set_cpu_possible(unsigned int cpu, bool possible);
void set_cpu_online(unsigned int cpu, bool online);

/* ---- Bring-up (kernel/smpboot.c) ---- */

/**
 * smp_init() - number the CPUs the MADT describes and start them
 *
 * Prints a line per AP and "smp: Brought up N CPUs" with the time taken.
 * A CPU that does not answer in time is reported and left out.
 * Context: boot CPU, interrupts on, after ACPI, APIC and time set-up.
 */
void smp_init(void);

/** start_secondary() - an AP's entry into generic code; never returns. */
void start_secondary(unsigned int cpu) __noreturn;

/** smp_test_dead_cpu() - the CPU selftest_dead_cpu= silenced, 0 for none. */
unsigned int smp_test_dead_cpu(void);

/** smp_bringup_ns() - how long bring-up took, first INIT to last AP. */
u64 smp_bringup_ns(void);

/** cpu_idle_loop() - what a CPU does when it has nothing to do (idle.c). */
void cpu_idle_loop(void) __noreturn;

/** idle_init() - settle idle=auto; boot CPU, before the APs start. */
void idle_init(void);

/** idle_method_name() - the idle= method in use: "hlt", "poll", "haltpoll". */
const char *idle_method_name(void);

/* ---- Cross-CPU calls (kernel/smp.c) ---- */

/**
 * smp_call_function_single() - run a function on one CPU
 * @cpu: the target CPU
 * @func: the function; it runs in interrupt context on @cpu, interrupts
 *        off, and must not wait for another CPU
 * @info: its argument
 * @wait: non-zero to return only after @func has returned on @cpu; every
 *        write @func made is then visible to the caller
 *
 * A call to the calling CPU runs @func at once with interrupts off. With
 * @wait 0, the call uses this CPU's own record and first waits for that
 * record's previous call to finish.
 *
 * Context: any CPU. With @wait, interrupts must be on: two CPUs that wait
 * on each other with interrupts off would never take each other's call.
 * Without @wait, interrupts may be off (in a called function, say), but
 * then the CPU's record must be free, for the same reason.
 * Return: 0; -EINVAL when @cpu is out of range; -ENXIO when @cpu is not
 * online; -EDEADLK when called to wait with interrupts off (and a warning
 * is printed); -EBUSY when called without @wait, interrupts off, and this
 * CPU's record still in flight.
 */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info,
			     int wait);

/**
 * smp_call_function_single_async() - queue a caller-owned record
 * @cpu: the target CPU
 * @csd: the record, with func and info set; it belongs to the kernel
 *       until the function has started on @cpu, and may be reused then
 *
 * Context: any CPU, interrupts on or off; never waits.
 * Return: 0; -EBUSY when @csd is still in flight (nothing is queued);
 * -EINVAL when @cpu is out of range; -ENXIO when @cpu is not online.
 */
int smp_call_function_single_async(int cpu, call_single_data_t *csd);

/**
 * smp_call_function_many() - run a function on the CPUs of a mask
 * @mask: the CPUs; the calling CPU is left out even when it is in @mask;
 *        offline CPUs in @mask are ignored
 * @func: the function, as for smp_call_function_single()
 * @info: its argument
 * @wait: wait until @func has returned everywhere
 *
 * Queues to every target first, then sends the IPIs (one broadcast when
 * every other CPU is a target and none is left out of bring-up).
 *
 * Context: interrupts on (each target record of this CPU may have to be
 * waited for); a call with interrupts off warns and does nothing.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);

/** smp_call_function() - smp_call_function_many() on all other online CPUs. */
void smp_call_function(smp_call_func_t func, void *info, int wait);

/**
 * on_each_cpu_cond_mask() - run @func on the CPUs of @mask where @cond says
 * @cond: asked for each CPU of @mask on the calling CPU, or NULL for all
 * @func: the function
 * @info: its argument, also given to @cond
 * @wait: wait until @func has returned everywhere
 * @mask: the CPUs, the calling CPU included when it is in @mask (it runs
 *        @func itself, interrupts off)
 *
 * Context: interrupts on.
 */
void on_each_cpu_cond_mask(smp_cond_func_t cond, smp_call_func_t func,
			   void *info, bool wait, const struct cpumask *mask);

/** on_each_cpu_mask() - on_each_cpu_cond_mask() without a condition. */
void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func,
		      void *info, bool wait);

/** on_each_cpu() - run @func on every online CPU, this one included. */
void on_each_cpu(smp_call_func_t func, void *info, int wait);

/**
 * smp_call_function_any() - run @func on one CPU of @mask
 *
 * The calling CPU when it is in @mask, else the first online CPU of it.
 * Return: as smp_call_function_single(); -ENXIO when no CPU of @mask is
 * online.
 */
int smp_call_function_any(const struct cpumask *mask, smp_call_func_t func,
			  void *info, int wait);

/**
 * generic_smp_call_function_single_interrupt() - run this CPU's queue
 *
 * The one generic entry of the CALL_FUNCTION_SINGLE vector: the arch
 * handler acknowledges the APIC and calls this.
 * Context: interrupts off.
 */
void generic_smp_call_function_single_interrupt(void);

/**
 * flush_smp_call_function_queue() - run this CPU's queue outside an IPI
 *
 * For an idle loop that polls the queue instead of halting.
 * Context: interrupts off.
 */
void flush_smp_call_function_queue(void);

/* ---- Longer work on another CPU (kernel/idle.c) ---- */

/*
 * A call's function runs in interrupt context and must not wait for
 * another CPU. Work that must (a test or benchmark that itself sends
 * waited-for calls) runs from the target's idle loop instead, with
 * interrupts on: cpu_work_start() hands it over, cpu_work_wait() waits.
 */
struct cpu_work {
	void (*fn)(void *arg);
	void *arg;
	unsigned int done;
};

/**
 * cpu_work_start() - run @w->fn(@w->arg) on @cpu's idle loop
 * Context: interrupts on. On the calling CPU itself, runs it at once.
 * Return: 0; -EBUSY when @cpu still has unstarted work; -EINVAL, -ENXIO
 * or -EDEADLK as smp_call_function_single(..., wait=1) returns them.
 */
int cpu_work_start(unsigned int cpu, struct cpu_work *w);

/**
 * cpu_work_wait() - wait for cpu_work_start()'s work to finish
 * @timeout_ns: give up after this long
 * Return: true when it finished.
 */
bool cpu_work_wait(struct cpu_work *w, u64 timeout_ns);

/* ---- For the idle loop (kernel/idle.c) and bring-up ---- */

/**
 * smp_idle_poll() - poll this CPU's call queue, running calls as they come
 * @window_cycles: stop once nothing has been queued for this long; 0: never
 * @stop: stop as soon as *@stop is non-NULL (work for the idle loop)
 *
 * While it polls, senders see a flag and send no IPI.
 * Context: interrupts off; returns with them off, the queue flushed.
 * Return: true when the window passed with nothing to do.
 */
bool smp_idle_poll(u64 window_cycles, void *const *stop);

/** smp_call_queue_pending() - is anything queued for this CPU? */
bool smp_call_queue_pending(void);

/**
 * smp_calls_init() - allocate the smp_call_function_many() records
 * Context: boot CPU, after bring-up (needs nr_cpu_ids).
 * Return: 0, or -ENOMEM.
 */
int smp_calls_init(void);

/* Counters the tests and benchmarks read; per CPU, never reset. */
struct smp_call_stats {
	u64 ipis_sent;		/* IPIs this CPU sent for calls */
	u64 ipis_skipped;	/* sends saved: queue not empty, or target polling */
	u64 ipis_dropped;	/* thrown away by the ipi_drop= test option */
	u64 ipis_received;	/* CALL_FUNCTION_SINGLE interrupts taken */
	u64 calls_queued;	/* records this CPU queued on others */
	u64 calls_run;		/* functions run here from the queue */
	u64 csd_lock_timeouts;	/* stuck-call reports this CPU printed */
};

/** smp_ipi_drop_rate() - the ipi_drop= option: every Nth IPI lost, 0 never. */
unsigned int smp_ipi_drop_rate(void);

/** smp_call_stats_get() - a snapshot of @cpu's counters. */
void smp_call_stats_get(unsigned int cpu, struct smp_call_stats *out);

/** smp_call_stats_sum() - the counters of every possible CPU, added up. */
void smp_call_stats_sum(struct smp_call_stats *out);

#endif /* XCALL_SMP_H */
