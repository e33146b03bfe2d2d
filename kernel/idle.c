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
 *
 * Owns the idle= option and the haltpoll state. The polling handshake
 * with senders is kernel/smp.c's.
 */
#include <xcall/arch.h>
#include <xcall/options.h>
#include <xcall/percpu.h>
#include <xcall/smp.h>
#include <xcall/time.h>

enum idle_method {
	IDLE_HLT,
	IDLE_POLL,
	IDLE_HALTPOLL,
};

static const char *const idle_methods[] = { "hlt", "poll", "haltpoll", NULL };
static unsigned int idle_method = IDLE_HLT;

DEFINE_OPTION_CHOICE(idle, idle_method, idle_methods,
		     "how an idle CPU waits for calls: hlt, poll or haltpoll");

/* haltpoll's window, in ns: the bounds and steps of Linux's guest
 * halt-polling defaults, scaled to a call's round trip. */
#define HALTPOLL_START_NS	50000
#define HALTPOLL_MIN_NS		10000
#define HALTPOLL_MAX_NS		400000
#define HALTPOLL_GROW		2
#define HALTPOLL_SHRINK		2

static DEFINE_PER_CPU(u64, haltpoll_ns);

const char *idle_method_name(void)
{
	return idle_methods[idle_method];
}

/* Spin until work arrives or @deadline (in cycles; 0: forever). */
static bool poll_queue(u64 deadline)
{
	bool mwait = arch_has_mwait();

	while (!smp_call_queue_pending()) {
		if (deadline && get_cycles() >= deadline)
			return false;
		if (mwait)
			arch_idle_mwait(smp_call_queue_word());
		else
			cpu_relax();
	}
	return true;
}

static void idle_poll(u64 max_ns)
{
	u64 deadline = max_ns ? get_cycles() + ns_to_cycles(max_ns) : 0;
	bool work = smp_idle_poll_begin() || poll_queue(deadline);

	smp_idle_poll_end();
	/* Whatever was queued while senders saw the flag is ours to run. */
	flush_smp_call_function_queue();
	if (work || !max_ns)
		return;

	/* The window passed in vain: halt, and learn from how long. */
	{
		u64 *window = this_cpu_ptr(&haltpoll_ns);
		u64 t0 = get_cycles(), slept;

		if (!smp_call_queue_pending())
			arch_idle_halt();
		local_irq_disable();
		slept = cycles_to_ns(get_cycles() - t0);
		if (slept <= HALTPOLL_MAX_NS)
			*window = min(*window * HALTPOLL_GROW, (u64)HALTPOLL_MAX_NS);
		else
			*window = max(*window / HALTPOLL_SHRINK, (u64)HALTPOLL_MIN_NS);
	}
}

void cpu_idle_loop(void)
{
	*this_cpu_ptr(&haltpoll_ns) = HALTPOLL_START_NS;
	for (;;) {
		local_irq_disable();
		switch (idle_method) {
		case IDLE_POLL:
			idle_poll(0);
			break;
		case IDLE_HALTPOLL:
			idle_poll(*this_cpu_ptr(&haltpoll_ns));
			break;
		default:
			/* Interrupts are off between the check and the halt,
			 * and sti;hlt opens them only as the halt begins: a
			 * call queued in between still wakes us. */
			if (smp_call_queue_pending())
				flush_smp_call_function_queue();
			else
				arch_idle_halt();
			break;
		}
		local_irq_enable();
	}
}
