// SPDX-License-Identifier: MIT
/*
 * The idle loop: what a CPU does between calls. Three methods (idle=):
 *
 *   hlt       halt until an interrupt; a call costs the target a wake-up
 *             from halt, which under virtualisation is the slow part.
 *   poll      spin on the call queue (MONITOR/MWAIT where the CPU has it);
 *             senders see the polling flag and send no IPI at all. Fast,
 *             and burns the CPU.
 *   haltpoll  poll for a while, then halt; the poll window adapts, as
 *             Linux's cpuidle-haltpoll does for virtual machines: it grows
 *             when a halt ended soon enough that polling would have caught
 *             the wake-up, and shrinks when polling was in vain.
 *   auto      (the default) haltpoll on a virtual machine whose
 *             hypervisor gives each vCPU a host CPU of its own, hlt
 *             everywhere else. A halted vCPU takes tens of microseconds
 *             to wake (its thread sleeps in the host), far more than a
 *             call costs, so polling first pays off, but only while the
 *             vCPU that will send the next call runs at the same time.
 *             Where vCPUs share host CPUs (TCG, any overcommitted host),
 *             the host tends to wake a halted vCPU's thread on the core
 *             of the thread that woke it, and the woken vCPU's poll then
 *             keeps that core from its own caller for the whole window:
 *             measured under TCG at -smp 2, a settled call took the
 *             window plus the wake-up (about 420 us) with the two vCPU
 *             threads unpinned or pinned to one host core, and 2 us
 *             pinned to two (the README's "Where xcall is ahead").
 *             Linux makes the same choice: cpuidle-haltpoll loads only
 *             under KVM with KVM_HINTS_REALTIME. A real CPU wakes from
 *             C1 in about a microsecond: polling there would only burn
 *             power.
 *
 * Owns the idle= option, the haltpoll state, and smp_call_on_cpu(): its
 * work runs here, between waits. The polling handshake with senders is
 * kernel/smp.c's; halt and MWAIT are arch/x86_64/idle.c's.
 *
 * A CPU goes down from here too, as Linux's do_idle() sends it: once
 * cpu_down() has taken it out of cpu_online_mask, the loop finishes the
 * work it had accepted and calls cpu_idle_dead() (kernel/smpboot.c),
 * which parks it. Work long enough to hold cpu_down() up should look at
 * cpu_online(smp_processor_id()) now and then and return when it reads
 * false, as Linux's per-CPU threads look at kthread_should_park().
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/idle.h>
#include <xcall/irqflags.h>
#include <xcall/ksyms.h>
#include <xcall/options.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/smpboot.h>
#include <xcall/time.h>
#include <xcall/trace.h>

enum idle_method {
	IDLE_HLT,
	IDLE_POLL,
	IDLE_HALTPOLL,
	IDLE_AUTO,
};

static const char *const idle_methods[] = { "hlt", "poll", "haltpoll", "auto", NULL };
static unsigned int idle_method = IDLE_AUTO;
/* idle_init() settled idle=auto (the default): a test checks its pick. */
static bool idle_from_auto;

DEFINE_OPTION_CHOICE(idle, idle_method, idle_methods,
		     "how an idle CPU waits for calls: hlt, poll, haltpoll or auto");

/* haltpoll's window, in ns: the bounds and steps of Linux's guest
 * halt-polling defaults, scaled to a call's round trip. */
#define HALTPOLL_START_NS	50000
#define HALTPOLL_MIN_NS		10000
#define HALTPOLL_MAX_NS		400000
#define HALTPOLL_GROW		2
#define HALTPOLL_SHRINK		2

static DEFINE_PER_CPU(u64, haltpoll_ns);
/* smp_call_on_cpu_struct's done: pending, finished, or refused because
 * the target's slot was taken or the target is going down. */
#define WORK_PENDING	0
#define WORK_DONE	1
#define WORK_REFUSED	(~0u)
#define WORK_OFFLINE	(~1u)
/* smp_call_on_cpu() says what it waits for this often. */
#define SMP_CALL_ON_CPU_REPORT_NS	(10 * NSEC_PER_SEC)

static DEFINE_PER_CPU(struct smp_call_on_cpu_struct *, pending_work);

static enum idle_method auto_method(bool on_hypervisor, bool dedicated_cpus)
{
	return on_hypervisor && dedicated_cpus ? IDLE_HALTPOLL : IDLE_HLT;
}

const char *idle_auto_choice(bool on_hypervisor, bool dedicated_cpus)
{
	return idle_methods[auto_method(on_hypervisor, dedicated_cpus)];
}

void idle_init(void)
{
	if (idle_method == IDLE_AUTO) {
		idle_from_auto = true;
		idle_method = auto_method(arch_running_on_hypervisor(),
					  arch_hypervisor_dedicated_cpus());
	}
}

bool idle_method_is_auto(void)
{
	return idle_from_auto;
}

const char *idle_method_name(void)
{
	return idle_methods[idle_method];
}

/* Did this CPU record the entry of the idle period it is in? Then its
 * exit is recorded too, whatever happened meanwhile. Owner CPU only. */
static DEFINE_PER_CPU(bool, idle_entry_traced);

/*
 * power:cpu_idle's entry, only for an online CPU: one that cpu_up() has
 * started but the controlling CPU has not yet marked online goes round
 * this loop (its poll ends at once, as it would for a CPU going down)
 * until it is marked, thousands of times under emulation, and is not
 * idle.
 */
static __always_inline void trace_idle_enter(unsigned int state, unsigned int me)
{
	if (trace_enabled(TRACE_CPU_IDLE) && cpu_online(me)) {
		__trace_record(TRACE_CPU_IDLE, state, me, 0, 0);
		*this_cpu_ptr(&idle_entry_traced) = true;
	}
}

/*
 * Its exit: exactly when the entry was recorded, not on a second look at
 * cpu_online(). A CPU taken offline while halted would otherwise leave
 * its idle period open across the whole time it was down.
 */
static __always_inline void trace_idle_exit(unsigned int me)
{
	bool *entered = this_cpu_ptr(&idle_entry_traced);

	if (unlikely(*entered)) {
		*entered = false;
		__trace_record(TRACE_CPU_IDLE, PWR_EVENT_EXIT, me, 0, 0);
	}
}

/* Poll (kernel/smp.c runs the calls) until work is handed over to this
 * loop, or nothing came for @window_ns (0: never). True on the latter. */
static bool idle_poll(u64 window_ns)
{
	unsigned int me = smp_processor_id();
	bool timed_out;

	trace_idle_enter(TRACE_IDLE_POLL, me);
	timed_out = smp_idle_poll(window_ns ? ns_to_cycles(window_ns) : 0,
				  (void *const *)this_cpu_ptr(&pending_work));
	trace_idle_exit(me);
	return timed_out;
}

/* Halt until an interrupt; returns with interrupts off. The handler that
 * ends the halt runs before the exit event, inside the idle period, as
 * Linux's cpu_idle events frame it too. */
static void idle_halt(void)
{
	unsigned int me = smp_processor_id();

	trace_idle_enter(TRACE_IDLE_HALT, me);
	arch_idle_halt();
	local_irq_disable();
	trace_idle_exit(me);
}

/* haltpoll: poll for the window, then halt; adapt the window from how
 * long the halt lasted. */
static void idle_haltpoll(void)
{
	u64 *window = this_cpu_ptr(&haltpoll_ns);
	u64 t0, slept;

	/* The poll's last look may have raced a call that handed work over
	 * (the flush after the flag came down ran it), or cpu_down(): check
	 * all three. A cpu_down() after this look sends an IPI, which ends
	 * the halt. */
	if (!idle_poll(*window) || smp_call_queue_pending() ||
	    READ_ONCE(*this_cpu_ptr(&pending_work)) ||
	    !cpu_online(smp_processor_id()))
		return;
	t0 = get_cycles();
	idle_halt();
	slept = cycles_to_ns(get_cycles() - t0);
	if (slept <= HALTPOLL_MAX_NS)
		*window = min(*window * HALTPOLL_GROW, (u64)HALTPOLL_MAX_NS);
	else
		*window = max(*window / HALTPOLL_SHRINK, (u64)HALTPOLL_MIN_NS);
}

/* Runs on the target, in interrupt context: only hand the work over. A
 * CPU out of the online mask is on its way down and takes no more: its
 * idle loop would park before it ran the work. (The call itself may have
 * been queued just before cpu_down() cleared the bit.) */
static void take_work(void *info)
{
	struct smp_call_on_cpu_struct **slot = this_cpu_ptr(&pending_work);
	struct smp_call_on_cpu_struct *w = info;

	if (!cpu_online(smp_processor_id()))
		WRITE_ONCE(w->done, WORK_OFFLINE);
	else if (*slot == NULL)
		*slot = w;
	else
		WRITE_ONCE(w->done, WORK_REFUSED);
}

static void run_work(struct smp_call_on_cpu_struct *w)
{
	w->ret = w->func(w->data);
	/* Release: pairs with the acquire in smp_call_on_cpu_wait(), so the
	 * waiter sees everything the work wrote. */
	smp_store_release(&w->done, WORK_DONE);
}

int smp_call_on_cpu_async(unsigned int cpu, struct smp_call_on_cpu_struct *w)
{
	int err;

	WRITE_ONCE(w->done, WORK_PENDING);
	if (cpu == smp_processor_id()) {
		run_work(w);
		return 0;
	}
	err = smp_call_function_single((int)cpu, take_work, w, 1);
	if (err)
		return err;
	switch (READ_ONCE(w->done)) {
	case WORK_REFUSED:
		return -EBUSY;
	case WORK_OFFLINE:
		return -ENXIO;
	default:
		return 0;
	}
}

int smp_call_on_cpu_wait(struct smp_call_on_cpu_struct *w, u64 timeout_ns)
{
	u64 start = ktime_get_ns();

	while (smp_load_acquire(&w->done) != WORK_DONE) {
		if (ktime_get_ns() - start > timeout_ns)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return w->ret;
}

int smp_call_on_cpu(unsigned int cpu, int (*func)(void *), void *par, bool phys)
{
	struct smp_call_on_cpu_struct w = { .func = func, .data = par };
	char sym[KSYM_NAME_MAX];
	int err;

	err = smp_call_on_cpu_async(cpu, &w);
	if (err)
		return err;
	for (;;) {
		err = smp_call_on_cpu_wait(&w, SMP_CALL_ON_CPU_REPORT_NS);
		if (err != -ETIMEDOUT)
			return err;
		/* The work may have finished just after the wait gave up: its
		 * result, not the timeout, is the answer. Acquire pairs with
		 * run_work()'s release. */
		if (smp_load_acquire(&w.done) == WORK_DONE)
			return w.ret;
		pr_warn("smp: CPU %u is still waiting for CPU %u (apic_id %u) to finish %s\n",
			smp_processor_id(), cpu, cpu_physical_id(cpu),
			ksym_format(sym, sizeof(sym), (unsigned long)func));
	}
}

/* The idle loop's own context: interrupts on, free to wait. Called with
 * them off; returns with them off. Return: whether there was work. */
static bool run_pending_work(void)
{
	struct smp_call_on_cpu_struct **slot = this_cpu_ptr(&pending_work);
	struct smp_call_on_cpu_struct *w = *slot;

	if (!w)
		return false;
	*slot = NULL;
	local_irq_enable();
	run_work(w);
	local_irq_disable();
	return true;
}

void cpu_idle_loop(void)
{
	unsigned int me = smp_processor_id();

	*this_cpu_ptr(&haltpoll_ns) = HALTPOLL_START_NS;
	for (;;) {
		local_irq_disable();
		/* Work handed over while other work ran is run too before
		 * anything else: accepted work always runs, and take_work()
		 * accepts none once the CPU is offline, so this ends. */
		while (run_pending_work())
			;
		/* Interrupts stay off from this look to the halt or the
		 * poll below, and cpu_down() sends an IPI after clearing
		 * the bit: a CPU never sleeps through its own departure. */
		if (!cpu_online(me))
			cpu_idle_dead();
		switch (idle_method) {
		case IDLE_POLL:
			idle_poll(0);
			break;
		case IDLE_HALTPOLL:
			idle_haltpoll();
			break;
		default:
			/* Interrupts are off between the check and the halt,
			 * and sti;hlt opens them only as the halt begins: a
			 * call queued in between still wakes us. */
			if (smp_call_queue_pending())
				flush_smp_call_function_queue();
			else
				idle_halt();
			break;
		}
		local_irq_enable();
	}
}
