// SPDX-License-Identifier: MIT
/*
 * Cross-CPU function calls, the way Linux's kernel/smp.c makes them: the
 * sender fills a call_single_data record, adds it to the target's lock-free
 * call_single_queue, and sends CALL_FUNCTION_SINGLE only when the queue was
 * empty before the add (an IPI already on its way will drain the newcomer
 * too). The target's handler takes the whole queue at once, restores the
 * order the records were added in, and runs them.
 *
 * The only synchronisation is the record's CSD_FLAG_LOCK: set by the
 * sender, cleared by the target with a release store when the record may
 * be reused (before an asynchronous call's function, after a waited-for
 * one's, so the waiter sees every write the function made).
 *
 * A CPU going down (kernel/smpboot.c's cpu_down()) runs every call
 * queued to it before it parks, and then closes its queue, so that a
 * sender racing the CPU's departure either gets its call run or is
 * refused with -ENXIO: see "CPU hotplug" below.
 *
 * Owns the queues, the records, the statistics, and the csd_timeout_ms=
 * and ipi_drop= options. The arch sends the IPIs and calls
 * generic_smp_call_function_single_interrupt() from the vector. The
 * trace events of the path (csd:*, ipi:*; <xcall/trace.h>) are recorded
 * where Linux records them, each hook one load and a branch when off.
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/irqflags.h>
#include <xcall/ksyms.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>
#include <xcall/trace.h>

/* Linux's _RET_IP_: the trace events' callsite, the caller of the API
 * function the hook is inlined into. */
#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/* The ipi_send_* events' callback: the handler the IPI runs, as Linux's
 * send_call_function_single_ipi() names it, not the call's function. */
#define CALL_IPI_CALLBACK	generic_smp_call_function_single_interrupt

/*
 * A CPU's incoming calls. The polling flag sits on the queue's own cache
 * line: a sender has that line in hand after its llist_add anyway, so
 * checking whether the target polls costs no extra miss.
 *
 * The head is an llist (include/xcall/llist.h) with one more state:
 * closed. A CPU going down swaps its whole queue for CALL_QUEUE_CLOSED
 * with one xchg, as llist_del_all() takes it, and runs what it took;
 * senders add with call_queue_add(), an llist_add() that refuses a closed
 * head. The xchg and the adders' cmpxchg are ordered on the one word, so
 * every record is either in the chain the closing CPU took (and runs
 * there) or refused (and its sender told -ENXIO): never left behind on a
 * CPU that has stopped looking. Only the controlling CPU of a cpu_up()
 * reopens a closed head (smpcfd_prepare_cpu()), while its owner is parked.
 */
struct call_queue {
	struct llist_head head;
	unsigned int polling;	/* the idle loop watches head: no IPI needed */
} ____cacheline_aligned;

/* A closed queue's head: the address of a node nobody queues, so it can
 * never be mistaken for a record. */
static struct llist_node call_queue_closed_mark;
#define CALL_QUEUE_CLOSED	(&call_queue_closed_mark)

/* The records smp_call_function_many() uses, one per target CPU. */
struct call_function_data {
	call_single_data_t *csd;	/* [nr_cpu_ids] */
	struct cpumask targets;
	struct cpumask ipi_mask;
};

static DEFINE_PER_CPU_ALIGNED(struct call_queue, call_single_queue);
static DEFINE_PER_CPU_ALIGNED(call_single_data_t, csd_data);
static DEFINE_PER_CPU(struct call_function_data, cfd_data);
static DEFINE_PER_CPU_ALIGNED(struct smp_call_stats, call_stats);
static DEFINE_PER_CPU(unsigned int, ipi_drop_count);

/* Stuck-call detection: report a wait longer than this, then resend. */
#define CSD_TIMEOUT_MS_DEFAULT	5000
#define CSD_TIMEOUT_MS_MAX	(3600u * 1000)
/* Read the clock only every so many spins: it is the slow part. */
#define CSD_SPINS_PER_CHECK	64
#define IPI_DROP_MAX		1000000

static unsigned int csd_timeout_ms = CSD_TIMEOUT_MS_DEFAULT;
static unsigned int ipi_drop;

DEFINE_OPTION_UINT(csd_timeout_ms, csd_timeout_ms, 1, CSD_TIMEOUT_MS_MAX,
		   "report a cross-CPU call waited on longer than this, and resend its IPI");
DEFINE_OPTION_UINT(ipi_drop, ipi_drop, 0, IPI_DROP_MAX,
		   "testing: each CPU drops every Nth call IPI it sends (0: never)");

/* ---- The record's lock ---- */

static __always_inline bool csd_locked(const call_single_data_t *csd)
{
	/* Acquire: pairs with the release in csd_unlock(), so that once the
	 * lock reads clear, every write the function made is visible. */
	return smp_load_acquire(&csd->flags) & CSD_FLAG_LOCK;
}

static void csd_unlock(call_single_data_t *csd)
{
	smp_store_release(&csd->flags, 0);
}

/*
 * Report a wait that has lasted csd_timeout_ms, and kick the target again.
 * On a wait's first report the target is also asked, through an NMI that
 * gets through with its interrupts off, to print its registers and
 * backtrace: the waiter's message says what it waits for, the target's
 * says where it is instead (Linux's CSD lock-wait debugging does the
 * same). Later reports of the same wait only repeat the first line.
 */
static void csd_report_stuck(call_single_data_t *csd, u64 waited_cycles, bool first)
{
	unsigned int me = smp_processor_id(), dst = READ_ONCE(csd->dst);
	struct llist_node *head = atomic_read(&per_cpu(call_single_queue, dst).head.first);
	char sym[KSYM_NAME_MAX];

	this_cpu_inc(call_stats.csd_lock_timeouts);
	pr_warn("smp: csd: CPU %u (apic_id %u) has waited %llu ms for CPU %u (apic_id %u) to run %s, info %p; its queue is %s; sending the IPI again\n",
		me, cpu_physical_id(me),
		(unsigned long long)(cycles_to_ns(waited_cycles) / NSEC_PER_MSEC),
		dst, cpu_physical_id(dst),
		ksym_format(sym, sizeof(sym), (unsigned long)READ_ONCE(csd->func)),
		READ_ONCE(csd->info),
		head == CALL_QUEUE_CLOSED ? "closed" : head ? "not empty" : "empty");
	if (first && arch_trigger_cpu_backtrace(dst))
		this_cpu_inc(call_stats.csd_backtraces);
	/* Past the ipi_drop= filter: the resend is what the test proves.
	 * Traced, with this function as the callsite; not in ipis_sent. */
	trace_ipi_send_cpu(dst, (unsigned long)csd_report_stuck, CALL_IPI_CALLBACK);
	arch_send_call_function_single_ipi(dst);
}

/*
 * The slow path of csd_lock_wait(): spin, and every csd_timeout_ms say
 * what is stuck and kick the target again. The clock starts only after
 * the first CSD_SPINS_PER_CHECK spins: most waits end before that, and
 * under emulation reading the clock and dividing are not free.
 */
static void __noinline __csd_lock_wait(call_single_data_t *csd)
{
	u64 start = 0, timeout = 0, next = 0;
	unsigned int reports = 0;

	for (unsigned int spins = 1; csd_locked(csd); spins++) {
		u64 now;

		cpu_relax();
		if (spins % CSD_SPINS_PER_CHECK)
			continue;
		now = get_cycles();
		if (!start) {
			start = now;
			timeout = ns_to_cycles((u64)csd_timeout_ms * NSEC_PER_MSEC);
			next = start + timeout;
			continue;
		}
		if (now < next)
			continue;
		csd_report_stuck(csd, now - start, reports++ == 0);
		/* From after the report: its backtrace may have waited up to
		 * 10 s for the target, and a deadline from before it would
		 * fire the next report at once. */
		next = get_cycles() + timeout;
	}
}

static __always_inline void csd_lock_wait(call_single_data_t *csd)
{
	if (likely(!csd_locked(csd)))
		return;
	__csd_lock_wait(csd);
}

static void csd_lock(call_single_data_t *csd)
{
	csd_lock_wait(csd);
	/* Ordered before the queueing by llist_add()'s full barrier. */
	WRITE_ONCE(csd->flags, CSD_FLAG_LOCK);
}

/* ---- Queueing and the IPI ---- */

static bool __noinline ipi_drop_this_one(void)
{
	/* A call function may send from an interrupt on this CPU: keep the
	 * count whole. Only the ipi_drop= test mode gets here. */
	unsigned int *n = this_cpu_ptr(&ipi_drop_count);
	unsigned long flags;
	bool drop;

	local_irq_save(flags);
	drop = ++*n >= ipi_drop;

	if (drop) {
		*n = 0;
		this_cpu_inc(call_stats.ipis_dropped);
	}
	local_irq_restore(flags);
	return drop;
}

static __always_inline bool ipi_should_drop(void)
{
	return unlikely(ipi_drop) && ipi_drop_this_one();
}

/*
 * Called after a llist_add() that found the target's queue empty. The
 * add's locked cmpxchg is a full barrier, so the polling flag is read
 * after the record is visible: either the target still polls and will
 * see the record, or it has stopped (cleared the flag, then issued its
 * own full barrier and looked at the queue once more, see
 * smp_idle_poll()) and sees it there; or the flag reads clear and the
 * IPI goes out.
 */
static __always_inline bool call_needs_ipi(unsigned int cpu)
{
	if (READ_ONCE(per_cpu(call_single_queue, cpu).polling) || ipi_should_drop()) {
		this_cpu_inc(call_stats.ipis_skipped);
		return false;
	}
	return true;
}

static __always_inline void send_call_function_single_ipi(unsigned int cpu)
{
	if (!call_needs_ipi(cpu))
		return;
	this_cpu_inc(call_stats.ipis_sent);
	trace_ipi_send_cpu(cpu, _RET_IP_, CALL_IPI_CALLBACK);
	arch_send_call_function_single_ipi(cpu);
}

/*
 * llist_add() onto @cpu's queue, unless the queue is closed. The sender
 * read cpu_online() before, but @cpu may have gone down since: its queue
 * then says so, atomically with the add (see struct call_queue).
 * Return: 1 when the queue was empty (the IPI is this sender's to send),
 * 0 when it was not, -ENXIO when it is closed (nothing was queued).
 */
static __always_inline int call_queue_add(struct llist_node *node, unsigned int cpu)
{
	struct llist_head *head = &per_cpu(call_single_queue, cpu).head;
	/* Relaxed: only compared, never followed; a stale value fails the
	 * cmpxchg, which reloads it. */
	struct llist_node *first = atomic_read(&head->first);

	do {
		if (unlikely(first == CALL_QUEUE_CLOSED)) {
			this_cpu_inc(call_stats.calls_refused);
			return -ENXIO;
		}
		node->next = first;
	} while (!try_cmpxchg(&head->first, &first, node));
	this_cpu_inc(call_stats.calls_queued);
	return first == NULL;
}

/*
 * Queue a record on @cpu; send the IPI only if the queue was empty. The
 * caller has locked the record and set its src and dst, and unlocks it
 * again on -ENXIO (@cpu went down after the caller's online check).
 */
static __always_inline int __smp_call_single_queue(int cpu, call_single_data_t *csd)
{
	int ret;

	/* Before the add, as Linux has it: once added, the target may run
	 * the call, and its entry must not be stamped before its queueing. */
	trace_csd_queue_cpu(cpu, _RET_IP_, csd->func, csd);
	ret = call_queue_add(&csd->node, (unsigned int)cpu);
	if (unlikely(ret < 0))
		trace_csd_queue_refused(cpu, csd);
	if (ret > 0)
		send_call_function_single_ipi((unsigned int)cpu);
	else if (ret == 0)
		this_cpu_inc(call_stats.ipis_skipped);
	return ret < 0 ? ret : 0;
}

/* Run a locked record here, now: the self-call path. */
static void run_local(call_single_data_t *csd)
{
	smp_call_func_t func = csd->func;
	void *info = csd->info;
	unsigned long flags;

	local_irq_save(flags);
	csd_unlock(csd);
	/* csd NULL, as Linux's generic_exec_single() runs its own CPU's
	 * call (csd_do_func(func, info, NULL)): no record was queued. */
	trace_csd_function_entry(func, NULL);
	func(info);
	trace_csd_function_exit(func, NULL);
	local_irq_restore(flags);
}

/*
 * Run a locked record: here at once when @cpu is this CPU, else queued
 * on @cpu. The caller has checked that @cpu is online. Return: 0, or
 * -ENXIO when @cpu closed its queue since (the record is still locked).
 */
static __always_inline int generic_exec_single(int cpu, call_single_data_t *csd)
{
	unsigned int this_cpu = smp_processor_id();

	if ((unsigned int)cpu == this_cpu) {
		run_local(csd);
		return 0;
	}
	csd->src = (u16)this_cpu;
	csd->dst = (u16)cpu;
	return __smp_call_single_queue(cpu, csd);
}

/* ---- The target side ---- */

/* Run a chain taken off this CPU's queue, @entry newest first. */
static __always_inline void run_call_chain(struct llist_node *entry)
{
	call_single_data_t *csd, *next;
	struct smp_call_stats *st = this_cpu_ptr(&call_stats);

	if (!entry)
		return;
	/* The list is newest first; run in the order the calls were made.
	 * One record, the common case, is already in order. Linux departs
	 * from sending order here: it runs every waited-for (SYNC) record
	 * of the batch first, to release their spinning senders sooner.
	 * xcall keeps strict sending order, which its tests assert
	 * (callbacks_run_in_fifo_order) and which is simpler to reason
	 * about; the waiter's cost is at most the batch ahead of it. */
	if (entry->next)
		entry = llist_reverse_order(entry);
	llist_for_each_entry_safe(csd, next, entry, node) {
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		/* A waiter's record is released only after the function: the
		 * waiter may free it (it is on its stack) the moment the lock
		 * clears. Anyone else's is released first, so its owner can
		 * queue it again while the function still runs. */
		trace_csd_function_entry(func, csd);
		if (csd->flags & CSD_TYPE_SYNC) {
			func(info);
			/* The exit before the unlock: after it the waiter may
			 * reuse the stack slot and queue a new record there. */
			trace_csd_function_exit(func, csd);
			csd_unlock(csd);
		} else {
			csd_unlock(csd);
			func(info);
			trace_csd_function_exit(func, csd);
		}
		st->calls_run++;
	}
}

/*
 * Take this CPU's whole queue, as llist_del_all() does, except a closed
 * one: its mark is no record, and taking it would reopen the queue
 * behind the back of smpcfd_prepare_cpu(), the only one allowed to. A
 * CPU that runs with its queue closed is a bring-up bug (a start that
 * arrived after cpu_up() or boot gave up on it): WARN once and leave the
 * mark.
 *
 * The test is a plain load before Linux's xchg, not a cmpxchg loop that
 * senders adding meanwhile would make retry: a queue seen holding
 * records cannot turn closed or empty before the xchg, because only
 * this CPU empties or closes it (the flush, smpcfd_close_queue()) and
 * smpcfd_abandon_cpu() closes only an empty queue. Senders only add.
 */
static __always_inline struct llist_node *call_queue_take_all(void)
{
	struct llist_head *head = &this_cpu_ptr(&call_single_queue)->head;
	struct llist_node *first = READ_ONCE(head->first);

	if (!first)
		return NULL;
	if (unlikely(first == CALL_QUEUE_CLOSED)) {
		WARN_ON_ONCE(1);
		return NULL;
	}
	return xchg(&head->first, NULL);
}

static __always_inline void __flush_smp_call_function_queue(void)
{
	run_call_chain(call_queue_take_all());
}

void generic_smp_call_function_single_interrupt(void)
{
	this_cpu_inc(call_stats.ipis_received);
	__flush_smp_call_function_queue();
}

void flush_smp_call_function_queue(void)
{
	__flush_smp_call_function_queue();
}

/* ---- Idle polling (the handshake kernel/idle.c relies on) ---- */

static __always_inline struct call_queue *this_queue(void)
{
	return this_cpu_ptr(&call_single_queue);
}

bool smp_call_queue_pending(void)
{
	struct llist_node *first = READ_ONCE(this_queue()->head.first);

	/* Closed is empty: nothing in it will ever run here (see
	 * call_queue_take_all() for how a running CPU can find it so). */
	if (unlikely(first == CALL_QUEUE_CLOSED)) {
		WARN_ON_ONCE(1);
		return false;
	}
	return first != NULL;
}

/*
 * The polling handshake with senders. The flag store is ordered before
 * the queue loads by smp_mb(), and pairs with the full barrier of the
 * sender's llist_add() before it reads the flag: either the sender sees
 * the flag and skips the IPI while this CPU is still going to look at
 * the queue, or this CPU finds the record there. Stopping works the same
 * way: flag cleared, barrier, one more look.
 */
bool smp_idle_poll(u64 window_cycles, void *const *stop)
{
	struct call_queue *q = this_queue();
	bool mwait = arch_has_mwait(), timed_out = false;
	u64 last = window_cycles ? get_cycles() : 0;
	unsigned int me = smp_processor_id();

	WRITE_ONCE(q->polling, 1);
	smp_mb();
	for (;;) {
		/* Look with interrupts off and run what is there at once:
		 * the handler's flush must never nest inside this one, or
		 * a later batch would run before the rest of an earlier
		 * one. A call found here costs no sti/cli pair (under TCG
		 * each ends a translation block) and no function calls. */
		if (smp_call_queue_pending()) {
			__flush_smp_call_function_queue();
			if (window_cycles)
				last = get_cycles();
			continue;
		}
		/* Work for the idle loop, or cpu_down() took this CPU out of
		 * the online mask: the idle loop parks it. */
		if (READ_ONCE(*stop) || !cpu_online(me))
			break;
		if (window_cycles && get_cycles() - last >= window_cycles) {
			timed_out = true;
			break;
		}
		/* Between looks, interrupts get one pause (or one MWAIT) to
		 * come in: other vectors, and the IPI of a sender that missed
		 * the flag. With MWAIT, arm first and look again with
		 * interrupts still off: a handler may have set *stop, and
		 * only a write to the queue's line would end the wait.
		 * cpu_down() sends an IPI after it clears the online bit,
		 * which ends a wait armed before. */
		if (mwait) {
			arch_monitor(&q->head.first);
			if (!smp_call_queue_pending() && !READ_ONCE(*stop) && cpu_online(me))
				arch_mwait_irqs_on();
		} else {
			local_irq_enable();
			cpu_relax();
		}
		local_irq_disable();
	}
	WRITE_ONCE(q->polling, 0);
	smp_mb();
	/* A record queued by a sender that still saw the flag is ours. */
	__flush_smp_call_function_queue();
	return timed_out;
}

/* ---- CPU hotplug (Linux's smpcfd_* steps, driven by kernel/smpboot.c) ---- */

void smpcfd_prepare_cpu(unsigned int cpu)
{
	struct call_queue *q = per_cpu_ptr(&call_single_queue, cpu);
	struct llist_node *closed = CALL_QUEUE_CLOSED;

	/* Linux allocates the CPU's records here; xcall's were allocated
	 * once, at boot, and must not be touched: a record this CPU sent in
	 * its last life may still sit in another CPU's queue, locked until
	 * that CPU runs it. What is reset is what the CPU left as it went:
	 * its queue, closed, and its polling flag. */
	WRITE_ONCE(q->polling, 0);
	/* Only a queue its CPU closed is reopened: any other would hold
	 * records someone waits on. The cmpxchg is a full barrier, so the
	 * flag above is clear before a sender can add again. */
	if (!try_cmpxchg(&q->head.first, &closed, NULL))
		WARN_ON_ONCE(1);
}

void smpcfd_dying_cpu(void)
{
	/* The calls queued while this CPU was still online; their IPIs may
	 * be late, or have come while interrupts were off. */
	__flush_smp_call_function_queue();
}

void smpcfd_close_queue(void)
{
	/* Any sender that read the online bit before cpu_down() cleared it
	 * may still be about to add: the xchg takes whatever it added in
	 * time, and leaves the mark that refuses it from then on. */
	run_call_chain(xchg(&this_queue()->head.first, CALL_QUEUE_CLOSED));
}

void smpcfd_abandon_cpu(unsigned int cpu)
{
	struct llist_node *empty = NULL;

	/* Nobody adds to the queue of a CPU that was never online; a
	 * record found here would be one a waiter waits on for good. */
	if (!try_cmpxchg(&per_cpu(call_single_queue, cpu).head.first, &empty,
			 CALL_QUEUE_CLOSED))
		WARN_ON_ONCE(empty != CALL_QUEUE_CLOSED);
}

/* ---- The API ---- */

/* smp_call_function_many_cond()'s flags, Linux's names. */
#define SCF_WAIT	(1U << 0)	/* wait until every function returned */
#define SCF_RUN_LOCAL	(1U << 1)	/* the calling CPU runs it too, if in the mask */

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	call_single_data_t csd_stack;
	call_single_data_t *csd;
	unsigned long flags;
	int err;

	/* Field by field, not an initializer: that would zero the whole
	 * cache line the record is aligned to, padding included, which gcc
	 * does with a rep stos, and under TCG a rep stos costs a translated
	 * block per iteration (objdump shows it in this function). */
	csd_stack.node.next = NULL;
	csd_stack.flags = CSD_FLAG_LOCK | CSD_TYPE_SYNC;
	csd_stack.src = 0;
	csd_stack.dst = 0;
	csd_stack.func = func;
	csd_stack.info = info;

	/* Linux's generic_exec_single() answers both with -ENXIO. */
	if ((unsigned int)cpu >= nr_cpu_ids || !cpu_online((unsigned int)cpu))
		return -ENXIO;

	if (wait) {
		/* Two CPUs waiting on each other with interrupts off would
		 * never take each other's call. Linux warns and goes on;
		 * xcall refuses, so a test can see it. Unlike Linux, xcall
		 * neither warns on nor refuses a call to this CPU: it runs
		 * inline and cannot deadlock. */
		if ((unsigned int)cpu != smp_processor_id() &&
		    WARN_ON_ONCE(irqs_disabled()))
			return -EDEADLK;
		/* Refused: nobody else holds the record on this stack. */
		if (generic_exec_single(cpu, &csd_stack))
			return -ENXIO;
		csd_lock_wait(&csd_stack);
		return 0;
	}

	/* This CPU's record: claim it with interrupts off, or a function run
	 * by an interrupt here could claim it between our check and our
	 * store. Its previous call is waited for with interrupts on; with
	 * them off, waiting could deadlock, so the call is refused (Linux
	 * spins here). */
	csd = this_cpu_ptr(&csd_data);
	local_irq_save(flags);
	while (csd_locked(csd)) {
		if (irqs_disabled_flags(flags)) {
			local_irq_restore(flags);
			return -EBUSY;
		}
		local_irq_restore(flags);
		csd_lock_wait(csd);
		local_irq_save(flags);
	}
	WRITE_ONCE(csd->flags, CSD_FLAG_LOCK);
	csd->func = func;
	csd->info = info;
	err = generic_exec_single(cpu, csd);
	if (err)
		csd_unlock(csd);
	local_irq_restore(flags);
	return err;
}

int smp_call_function_single_async(int cpu, call_single_data_t *csd)
{
	unsigned int unlocked = 0;

	if ((unsigned int)cpu >= nr_cpu_ids || !cpu_online((unsigned int)cpu))
		return -ENXIO;
	/* Atomic, so two CPUs queueing one record cannot both succeed. */
	if (!__atomic_compare_exchange_n(&csd->flags, &unlocked, CSD_FLAG_LOCK,
					 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -EBUSY;
	if (generic_exec_single(cpu, csd)) {
		/* @cpu went down after the check: the record is the
		 * caller's again, as if it had never been queued. */
		csd_unlock(csd);
		return -ENXIO;
	}
	return 0;
}

static void smp_call_function_many_cond(const struct cpumask *mask,
					smp_call_func_t func, void *info,
					unsigned int scf_flags,
					smp_cond_func_t cond_func)
{
	unsigned int this_cpu = smp_processor_id(), cpu, nr_ipis = 0, last_ipi = 0;
	struct call_function_data *cfd = this_cpu_ptr(&cfd_data);
	bool wait = scf_flags & SCF_WAIT;
	bool run_local;
	int ret;

	/* Each target record may still be in flight from the last call, and
	 * waiting for it with interrupts off could deadlock. */
	if (WARN_ON_ONCE(irqs_disabled()))
		return;
	if (WARN_ON_ONCE(!cfd->csd))
		return;

	run_local = (scf_flags & SCF_RUN_LOCAL) && cpumask_test_cpu(this_cpu, mask) &&
		    (!cond_func || cond_func((int)this_cpu, info));

	/* Queue to every target first, then send the IPIs, so the targets
	 * start together and a sender's IPI is never in the way of its
	 * next enqueue. */
	cpumask_and(&cfd->targets, mask, cpu_online_mask);
	__cpumask_clear_cpu(this_cpu, &cfd->targets);
	cpumask_clear(&cfd->ipi_mask);
	for_each_cpu(cpu, &cfd->targets) {
		call_single_data_t *csd = &cfd->csd[cpu];

		if (cond_func && !cond_func((int)cpu, info)) {
			__cpumask_clear_cpu(cpu, &cfd->targets);
			continue;
		}
		csd_lock(csd);
		if (wait)
			csd->flags |= CSD_TYPE_SYNC;
		csd->func = func;
		csd->info = info;
		csd->src = (u16)this_cpu;
		csd->dst = (u16)cpu;
		trace_csd_queue_cpu(cpu, _RET_IP_, func, csd);
		ret = call_queue_add(&csd->node, cpu);
		if (ret < 0) {
			trace_csd_queue_refused(cpu, csd);
			/* @cpu went down after the mask was read: as if it
			 * had been offline then. It leaves the targets, so
			 * nobody waits on a record that will never run. */
			csd_unlock(csd);
			__cpumask_clear_cpu(cpu, &cfd->targets);
			continue;
		}
		if (ret == 0) {
			this_cpu_inc(call_stats.ipis_skipped);
			continue;
		}
		if (call_needs_ipi(cpu)) {
			__cpumask_set_cpu(cpu, &cfd->ipi_mask);
			nr_ipis++;
			last_ipi = cpu;
		}
	}
	/* One target is a single IPI, and traced as one (ipi_send_cpu), as
	 * Linux's smp_call_function_many_cond() sends it; more are a mask. */
	*this_cpu_ptr(&call_stats.ipis_sent) += nr_ipis;
	if (nr_ipis == 1) {
		trace_ipi_send_cpu(last_ipi, _RET_IP_, CALL_IPI_CALLBACK);
		arch_send_call_function_single_ipi(last_ipi);
	} else if (nr_ipis > 1) {
		trace_ipi_send_cpumask(&cfd->ipi_mask, _RET_IP_, CALL_IPI_CALLBACK);
		arch_send_call_function_ipi_mask(&cfd->ipi_mask);
	}

	if (run_local) {
		unsigned long flags;

		local_irq_save(flags);
		trace_csd_function_entry(func, NULL);
		func(info);
		trace_csd_function_exit(func, NULL);
		local_irq_restore(flags);
	}
	if (wait)
		for_each_cpu(cpu, &cfd->targets)
			csd_lock_wait(&cfd->csd[cpu]);
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait)
{
	smp_call_function_many_cond(mask, func, info, wait ? SCF_WAIT : 0, NULL);
}

void smp_call_function(smp_call_func_t func, void *info, int wait)
{
	smp_call_function_many_cond(cpu_online_mask, func, info,
				    wait ? SCF_WAIT : 0, NULL);
}

void on_each_cpu_cond_mask(smp_cond_func_t cond_func, smp_call_func_t func,
			   void *info, bool wait, const struct cpumask *mask)
{
	unsigned int scf_flags = SCF_RUN_LOCAL;

	if (wait)
		scf_flags |= SCF_WAIT;
	smp_call_function_many_cond(mask, func, info, scf_flags, cond_func);
}

void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func,
		      void *info, bool wait)
{
	on_each_cpu_cond_mask(NULL, func, info, wait, mask);
}

void on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	on_each_cpu_cond_mask(NULL, func, info, wait, cpu_online_mask);
}

int smp_call_function_any(const struct cpumask *mask, smp_call_func_t func,
			  void *info, int wait)
{
	unsigned int this_cpu = smp_processor_id(), cpu;
	int err;

	if (cpumask_test_cpu(this_cpu, mask))
		return smp_call_function_single((int)this_cpu, func, info, wait);
	/* Linux picks an online CPU of the mask and calls it with preemption
	 * off, which holds stop_machine(), and so CPU hotplug, off: its
	 * choice cannot go away. xcall stops nobody: the CPU chosen may
	 * close its queue between the online check and the enqueue. Then the
	 * next online CPU of the mask is tried, as if it had been the first
	 * choice: a caller gets -ENXIO only when no CPU of the mask took the
	 * call, as Linux's caller would. Each CPU is tried at most once, so
	 * CPUs going down and up meanwhile cannot keep this looping. */
	for_each_cpu(cpu, mask) {
		if (!cpu_online(cpu))
			continue;
		err = smp_call_function_single((int)cpu, func, info, wait);
		if (err != -ENXIO)
			return err;
	}
	return -ENXIO;
}

/* ---- Set-up and statistics ---- */

int smp_calls_init(void)
{
	size_t bytes = (size_t)nr_cpu_ids * sizeof(call_single_data_t);
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		call_single_data_t *csd = alloc_pages(DIV_ROUND_UP(bytes, PAGE_SIZE));

		if (!csd)
			return -ENOMEM;
		per_cpu(cfd_data, cpu).csd = csd;
	}
	return 0;
}

unsigned int smp_ipi_drop_rate(void)
{
	return ipi_drop;
}

unsigned int smp_csd_timeout_ms(void)
{
	return csd_timeout_ms;
}

void smp_call_stats_get(unsigned int cpu, struct smp_call_stats *out)
{
	const struct smp_call_stats *s = per_cpu_ptr(&call_stats, cpu);

	out->ipis_sent = READ_ONCE(s->ipis_sent);
	out->icr_writes = arch_call_icr_writes(cpu);
	out->ipis_skipped = READ_ONCE(s->ipis_skipped);
	out->ipis_dropped = READ_ONCE(s->ipis_dropped);
	out->ipis_received = READ_ONCE(s->ipis_received);
	out->calls_queued = READ_ONCE(s->calls_queued);
	out->calls_run = READ_ONCE(s->calls_run);
	out->calls_refused = READ_ONCE(s->calls_refused);
	out->csd_lock_timeouts = READ_ONCE(s->csd_lock_timeouts);
	out->csd_backtraces = READ_ONCE(s->csd_backtraces);
}

void smp_call_stats_sum(struct smp_call_stats *out)
{
	struct smp_call_stats s;
	unsigned int cpu;

	*out = (struct smp_call_stats){ 0 };
	for_each_possible_cpu(cpu) {
		smp_call_stats_get(cpu, &s);
		out->ipis_sent += s.ipis_sent;
		out->icr_writes += s.icr_writes;
		out->ipis_skipped += s.ipis_skipped;
		out->ipis_dropped += s.ipis_dropped;
		out->ipis_received += s.ipis_received;
		out->calls_queued += s.calls_queued;
		out->calls_run += s.calls_run;
		out->calls_refused += s.calls_refused;
		out->csd_lock_timeouts += s.csd_lock_timeouts;
		out->csd_backtraces += s.csd_backtraces;
	}
}
