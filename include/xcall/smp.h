/* SPDX-License-Identifier: MIT */
/*
 * Cross-CPU function calls: the call records and the API, with Linux's
 * names, argument orders and return conventions (include/linux/smp.h),
 * so that a Linux reader is at home. All of it is kernel/smp.c's.
 *
 * Neighbours: the CPU masks are <xcall/cpumask.h>, bring-up
 * <xcall/smpboot.h>, the idle loop <xcall/idle.h>, and longer work run on
 * another CPU's idle loop <xcall/smp_call_on_cpu.h>.
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

/**
 * struct __call_single_data - one queued call
 * @node: link in the target CPU's call_single_queue
 * @flags: CSD_FLAG_LOCK while in flight; CSD_TYPE_SYNC when the sender
 *         waits, telling the target to unlock only after the function ran
 * @src: the sending CPU, for stuck-call reports
 * @dst: the target CPU, likewise
 * @func: the function
 * @info: its argument
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

/**
 * INIT_CSD() - make a record ready for smp_call_function_single_async()
 * @csd: the record, not in flight
 * @func: the function it will run
 * @info: its argument
 *
 * Context: any CPU.
 */
static inline void INIT_CSD(call_single_data_t *csd, smp_call_func_t func,
			    void *info)
{
	csd->node.next = NULL;
	csd->flags = 0;
	csd->func = func;
	csd->info = info;
}

DECLARE_PER_CPU(unsigned int, cpu_number);

/**
 * smp_processor_id() - this CPU's logical number
 *
 * Context: any CPU (xcall never moves a thread between CPUs).
 * Return: 0 on the boot CPU, 1.. on the others, in bring-up order.
 */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

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
 * then this CPU's record must be free, for the same reason.
 * Return: 0; -ENXIO when @cpu is out of range or not online (Linux's
 * generic_exec_single() answers the same), or went down (cpu_down())
 * before the call could be queued; -EDEADLK when called to wait
 * with interrupts off, with a warning (Linux only warns, and may then
 * deadlock); -EBUSY when called without @wait, interrupts off, and this
 * CPU's record still in flight (Linux would spin on it).
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
 * -ENXIO when @cpu is out of range or not online, or went down before
 * @csd could be queued (@csd is free again).
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
 * every other CPU is a target and none is left out of bring-up or down).
 * A target that goes down meanwhile (cpu_down()) either runs @func before
 * it parks or, if it closed its queue first, is left out as if it had
 * been offline: nothing runs twice, and a wait never waits on a CPU that
 * will not run its record.
 *
 * Context: interrupts on (each target record of this CPU may have to be
 * waited for); a call with interrupts off warns and does nothing.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait);

/**
 * smp_call_function() - run a function on every other online CPU
 * @func: the function, as for smp_call_function_single()
 * @info: its argument
 * @wait: wait until @func has returned everywhere
 *
 * Context: as smp_call_function_many().
 */
void smp_call_function(smp_call_func_t func, void *info, int wait);

/**
 * on_each_cpu_cond_mask() - run a function on the CPUs of a mask where a
 * condition says so
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

/**
 * on_each_cpu_mask() - run a function on the CPUs of a mask, this one too
 * @mask: the CPUs
 * @func: the function
 * @info: its argument
 * @wait: wait until @func has returned everywhere
 *
 * Context: interrupts on.
 */
void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func,
		      void *info, bool wait);

/**
 * on_each_cpu() - run a function on every online CPU, this one included
 * @func: the function
 * @info: its argument
 * @wait: wait until @func has returned everywhere
 *
 * Context: interrupts on.
 */
void on_each_cpu(smp_call_func_t func, void *info, int wait);

/**
 * smp_call_function_any() - run a function on one CPU of a mask
 * @mask: the candidates
 * @func: the function
 * @info: its argument
 * @wait: as for smp_call_function_single()
 *
 * The calling CPU when it is in @mask, else the first online CPU of it;
 * when that one goes down (cpu_down()) before the call is queued, the next
 * online one, each CPU of @mask tried at most once.
 * Context: as smp_call_function_single().
 * Return: as smp_call_function_single(); -ENXIO when no CPU of @mask took
 * the call (none online, or each one tried went down first).
 */
int smp_call_function_any(const struct cpumask *mask, smp_call_func_t func,
			  void *info, int wait);

/**
 * generic_smp_call_function_single_interrupt() - run this CPU's queue
 *
 * The one generic entry of the CALL_FUNCTION_SINGLE vector: the arch
 * handler acknowledges the APIC and calls this.
 * Context: interrupts off, in the vector's handler.
 */
void generic_smp_call_function_single_interrupt(void);

/**
 * flush_smp_call_function_queue() - run this CPU's queue outside an IPI
 *
 * For an idle loop that finds calls queued before it halts.
 * Context: interrupts off.
 */
void flush_smp_call_function_queue(void);

/**
 * smp_idle_poll() - poll this CPU's call queue, running calls as they come
 * @window_cycles: stop once nothing has been queued for this long; 0: never
 * @stop: stop as soon as *@stop is non-NULL (work for the idle loop)
 *
 * While it polls, senders see a flag and send no IPI. It also stops when
 * this CPU leaves cpu_online_mask: cpu_down() wants the idle loop.
 * Context: the idle loop, interrupts off; returns with them off and the
 * queue flushed.
 * Return: true when the window passed with nothing to do.
 */
bool smp_idle_poll(u64 window_cycles, void *const *stop);

/**
 * smp_call_queue_pending() - is anything queued for this CPU?
 *
 * Context: interrupts off, or the answer may be stale at once.
 * Return: true when this CPU's queue holds a record; a closed queue
 * (a CPU running that bring-up gave up on) counts as empty, with a warning.
 */
bool smp_call_queue_pending(void);

/**
 * smpcfd_prepare_cpu() - make a parked CPU's call state ready to run again
 * @cpu: the CPU, taken down by cpu_down() and still parked
 *
 * Reopens its call queue, which it closed on its way down, and clears its
 * polling flag (Linux's smpcfd_prepare_cpu() step). Its records are left
 * alone: one it sent may still be in flight.
 * Context: the CPU running cpu_up(), before the start-up IPIs.
 */
void smpcfd_prepare_cpu(unsigned int cpu);

/**
 * smpcfd_dying_cpu() - run the calls queued to this CPU while it was online
 *
 * The first of a dying CPU's two flushes, as Linux's smpcfd_dying_cpu():
 * nothing queued while the CPU was online waits for an IPI that may come
 * late.
 * Context: the CPU going down, out of cpu_online_mask, interrupts off.
 */
void smpcfd_dying_cpu(void);

/**
 * smpcfd_close_queue() - the last flush: close this CPU's queue for good
 *
 * Swaps the queue for a mark that makes every later add fail, and runs
 * what it held. A sender that raced the CPU's departure has then either
 * had its call run here or been told -ENXIO; no record is left where no
 * CPU will look.
 * Context: the CPU going down, after its last interrupt (interrupts off
 * and its interrupt controller no longer taking IPIs), just before it
 * parks.
 */
void smpcfd_close_queue(void);

/**
 * smpcfd_abandon_cpu() - close the queue of a CPU that did not come online
 * @cpu: a CPU whose start (at boot or in cpu_up()) was given up on
 *
 * The CPU never took a call this time, and was never in cpu_online_mask,
 * so no sender got past its online check: its queue is empty. Closed, it
 * is left as a parked CPU's is, and cpu_up() can try again.
 * Context: the CPU that gave up on @cpu's start, which is not running
 * xcall code (it halts wherever it finds it was given up on).
 */
void smpcfd_abandon_cpu(unsigned int cpu);

/**
 * smp_calls_init() - allocate the smp_call_function_many() records
 *
 * Context: boot CPU, once, after bring-up (needs nr_cpu_ids).
 * Return: 0, or -ENOMEM.
 */
int smp_calls_init(void);

/* Counters the tests and benchmarks read; per CPU, never reset. */
struct smp_call_stats {
	u64 ipis_sent;		/* IPIs this CPU sent for calls (targets) */
	u64 icr_writes;		/* interrupt-controller writes on the call
				 * vector (arch_call_icr_writes()): fewer
				 * than ipis_sent with a shorthand or x2APIC
				 * clusters; they also count the resends of
				 * the stuck-call check and cpu_down()'s
				 * kick, which ipis_sent does not */
	u64 ipis_skipped;	/* sends saved: queue not empty, or target polling */
	u64 ipis_dropped;	/* thrown away by the ipi_drop= test option */
	u64 ipis_received;	/* CALL_FUNCTION_SINGLE interrupts taken */
	u64 calls_queued;	/* records this CPU queued on others */
	u64 calls_run;		/* functions run here from the queue */
	u64 calls_refused;	/* adds refused: the target had closed its
				 * queue on its way down (-ENXIO) */
	u64 csd_lock_timeouts;	/* stuck-call reports this CPU printed */
	u64 csd_backtraces;	/* of those, ones the target answered with
				 * its NMI backtrace */
};

/**
 * smp_ipi_drop_rate() - the ipi_drop= test option
 *
 * Context: any CPU.
 * Return: N when every Nth call IPI is lost on purpose, 0 for never.
 */
unsigned int smp_ipi_drop_rate(void);

/**
 * smp_csd_timeout_ms() - the csd_timeout_ms= option
 *
 * Context: any CPU.
 * Return: how long a waiter waits before it reports a stuck call, in ms.
 */
unsigned int smp_csd_timeout_ms(void);

/**
 * smp_call_stats_get() - a snapshot of one CPU's counters
 * @cpu: the CPU, possible
 * @out: filled in
 *
 * Context: any CPU; each counter is read once, not all at one instant.
 */
void smp_call_stats_get(unsigned int cpu, struct smp_call_stats *out);

/**
 * smp_call_stats_sum() - the counters of every possible CPU, added up
 * @out: filled in
 *
 * Context: any CPU.
 */
void smp_call_stats_sum(struct smp_call_stats *out);

#endif /* XCALL_SMP_H */
