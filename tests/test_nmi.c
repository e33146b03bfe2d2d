// SPDX-License-Identifier: MIT
/*
 * NMIs against the console and against panic. An NMI handler prints
 * while the CPU it interrupted may hold the console lock, and it must not
 * wait for a lock that cannot come free before it returns: the stuck-call
 * detector's NMI backtrace (test_csd_timeout.c) is the NMI that prints,
 * and here the target holds the console lock when it comes. And a CPU in
 * the middle of its own panic that takes an NMI must finish the panic
 * (suite panic_nmi, under selftest_panic_nmi: it ends the run). And an
 * NMI handler must not fault, or a second NMI lands on top of it.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/ktest.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

/* What the CPU holding the console lock has done, for the test's CPU. */
enum holder_state {
	HOLDER_IDLE,
	HOLDER_LOCKED,		/* holds the lock, waits for the release */
	HOLDER_DONE,		/* dropped it again */
	HOLDER_GAVE_UP,		/* never got it */
};

static unsigned int holder_state;
static unsigned int holder_release;

/*
 * Runs on the target, as a call, with interrupts off: takes the console
 * lock and keeps it until told, so the NMI finds its own CPU holding it.
 */
static void hold_console_lock(void *info)
{
	u64 deadline = ktime_get_ns() + KTEST_WAIT_NS;

	while (!console_trylock()) {
		if (ktime_get_ns() > deadline) {
			smp_store_release(&holder_state, HOLDER_GAVE_UP);
			return;
		}
		cpu_relax();
	}
	smp_store_release(&holder_state, HOLDER_LOCKED);
	while (!smp_load_acquire(&holder_release) && ktime_get_ns() < deadline)
		cpu_relax();
	console_unlock();
	smp_store_release(&holder_state, HOLDER_DONE);
}

/*
 * The backtrace NMI's dozen lines come out at once on a CPU that holds
 * the console lock: no printk in the handler runs out printk's bounded
 * wait (about two seconds a line on real hardware, enough to miss the
 * requester's own deadline).
 */
static void nmi_on_console_lock_holder_prints_at_once(struct ktest *t)
{
	unsigned int me = smp_processor_id(), target, timeouts;
	bool answered;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU");
		return;
	}
	target = cpumask_next((int)me, cpu_online_mask);
	if (target >= nr_cpu_ids)
		target = cpumask_first(cpu_online_mask);
	holder_state = HOLDER_IDLE;
	holder_release = 0;

	if (!KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, hold_console_lock,
							 NULL, 0), 0))
		return;
	if (!ktest_wait_ge(&holder_state, HOLDER_LOCKED) ||
	    smp_load_acquire(&holder_state) != HOLDER_LOCKED) {
		smp_store_release(&holder_release, 1);
		KTEST_EXPECT_EQ(t, smp_load_acquire(&holder_state), HOLDER_LOCKED);
		return;
	}
	/* Nothing on this CPU may print until the release: it would wait. */
	timeouts = console_lock_timeouts();
	answered = arch_trigger_cpu_backtrace(target);
	timeouts = console_lock_timeouts() - timeouts;
	smp_store_release(&holder_release, 1);

	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&holder_state, HOLDER_DONE));
	KTEST_EXPECT_TRUE(t, answered);
	KTEST_EXPECT_EQ(t, timeouts, 0);
	ktest_diag(t, "CPU %u answered the backtrace NMI while holding the console lock; %u lines waited out the bound",
		   target, timeouts);
}

/* ---- A backtrace through a broken frame chain, and a second NMI ---- */

/* Canonical, and far above the identity map, so reading it would fault. */
#define UNMAPPED_FRAME		0x200000000ull
/* How long the helper lets the backtrace NMI land before the second. */
#define SECOND_NMI_DELAY_US	100000

enum broken_state {
	BROKEN_IDLE,
	BROKEN_SPINNING,	/* the target's chain points at UNMAPPED_FRAME */
	BROKEN_DONE,		/* it is whole again, and the call returned */
};

static unsigned int broken_state, broken_release, second_state, backtrace_sent;

/*
 * The target, as a call with interrupts off: its own frame's saved-RBP
 * word (the chain's next link) points at unmapped memory while it spins,
 * and is put back before it returns through it. Not inlined, so the frame
 * is its own.
 */
static void __noinline spin_with_broken_chain(void *info)
{
	volatile u64 *link = __builtin_frame_address(0);
	u64 saved = *link;
	u64 deadline = ktime_get_ns() + KTEST_WAIT_NS;

	*link = UNMAPPED_FRAME;
	smp_store_release(&broken_state, BROKEN_SPINNING);
	while (!smp_load_acquire(&broken_release) && ktime_get_ns() < deadline)
		cpu_relax();
	*link = saved;
	smp_store_release(&broken_state, BROKEN_DONE);
}

/*
 * The helper, as a call: holds the console lock, so the target's backtrace
 * handler waits at its first line; once the backtrace NMI is on its way,
 * sends the target a second NMI, which the handler's NMI blocking holds
 * back; then lets the handler print.
 */
static void send_second_nmi(void *info)
{
	unsigned int target = *(const unsigned int *)info;
	u64 deadline = ktime_get_ns() + KTEST_WAIT_NS;

	while (!console_trylock()) {
		if (ktime_get_ns() > deadline) {
			smp_store_release(&second_state, HOLDER_GAVE_UP);
			return;
		}
		cpu_relax();
	}
	smp_store_release(&second_state, HOLDER_LOCKED);
	while (!smp_load_acquire(&backtrace_sent) && ktime_get_ns() < deadline)
		cpu_relax();
	udelay(SECOND_NMI_DELAY_US);
	arch_send_nmi(target);
	console_unlock();
	smp_store_release(&second_state, HOLDER_DONE);
}

/*
 * An NMI handler that faulted would IRET, which lets a held-back NMI in
 * on the same IST stack, over the first handler's frames. The backtrace
 * of a chain that leads off the stacks must end without reading there:
 * then the second NMI comes after the first has returned, and the target
 * returns to its call and finishes it. (With a faulting walk the target
 * never comes back, or panics on the nested NMI.)
 */
static void nmi_backtrace_stays_on_the_stacks(struct ktest *t)
{
	static unsigned int target;
	unsigned int me = smp_processor_id(), helper;
	bool answered;

	if (num_online_cpus() < 3) {
		ktest_skip(t, "needs three online CPUs: a target, a helper and this one");
		return;
	}
	target = cpumask_next((int)me, cpu_online_mask);
	if (target >= nr_cpu_ids)
		target = cpumask_first(cpu_online_mask);
	helper = cpumask_next((int)target, cpu_online_mask);
	if (helper >= nr_cpu_ids)
		helper = cpumask_first(cpu_online_mask);
	if (helper == me)
		helper = cpumask_next((int)me, cpu_online_mask);
	broken_state = BROKEN_IDLE;
	broken_release = 0;
	second_state = HOLDER_IDLE;
	backtrace_sent = 0;
	ktest_diag(t, "CPU %u spins with a broken frame chain, CPU %u holds the console lock and sends a second NMI",
		   target, helper);

	if (!KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, spin_with_broken_chain,
							 NULL, 0), 0) ||
	    !KTEST_EXPECT_TRUE(t, ktest_wait_ge(&broken_state, BROKEN_SPINNING)))
		return;
	if (!KTEST_EXPECT_EQ(t, smp_call_function_single((int)helper, send_second_nmi,
							 &target, 0), 0) ||
	    !ktest_wait_ge(&second_state, HOLDER_LOCKED) ||
	    smp_load_acquire(&second_state) != HOLDER_LOCKED) {
		smp_store_release(&broken_release, 1);
		KTEST_EXPECT_EQ(t, smp_load_acquire(&second_state), HOLDER_LOCKED);
		return;
	}
	/* Nothing on this CPU may print until the helper lets go. */
	smp_store_release(&backtrace_sent, 1);
	answered = arch_trigger_cpu_backtrace(target);
	smp_store_release(&broken_release, 1);

	KTEST_EXPECT_TRUE(t, answered);
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&second_state, HOLDER_DONE));
	KTEST_EXPECT_TRUE(t, ktest_wait_ge(&broken_state, BROKEN_DONE));
}

static const struct ktest_case nmi_cases[] = {
	KTEST_CASE(nmi_on_console_lock_holder_prints_at_once),
	KTEST_CASE(nmi_backtrace_stays_on_the_stacks),
};
KTEST_SUITE(nmi, nmi_cases);

/* ---- An NMI in the middle of this CPU's own panic ---- */

static bool selftest_panic_nmi;
DEFINE_OPTION_FLAG(selftest_panic_nmi, selftest_panic_nmi,
		   "testing: panic, with an NMI arriving in the middle of it");

static bool selftest_panic_nmi_enabled(void)
{
	return selftest_panic_nmi;
}

static unsigned int sender_state;

/*
 * Runs on the other CPU, as a call, interrupts off. It holds the console
 * lock, so the panic's first line waits for it: the panic has begun and
 * cannot have stopped this CPU yet. Then it sends the NMI, and only then
 * lets the line out. The panic's own NMI ends the wait for it.
 */
static void nmi_the_panicking_cpu(void *info)
{
	unsigned int cpu = *(const unsigned int *)info;
	u64 deadline = ktime_get_ns() + KTEST_WAIT_NS;

	while (!console_trylock()) {
		if (ktime_get_ns() > deadline)
			return;
		cpu_relax();
	}
	smp_store_release(&sender_state, HOLDER_LOCKED);
	while (!panic_in_progress() && ktime_get_ns() < deadline)
		cpu_relax();
	arch_send_nmi(cpu);
	console_unlock();
	while (ktime_get_ns() < deadline)
		cpu_relax();
}

/*
 * The panicking CPU takes an NMI and must finish its report: the log
 * shows the NMI ("unexpected NMI on CPU 0"), then the panic's lines to
 * its end marker, and the boot ends with the failure status (the matrix
 * boot panic-nmi-smp2 checks it). This case never returns.
 */
static void panic_goes_on_after_an_nmi_on_its_cpu(struct ktest *t)
{
	static unsigned int me;
	unsigned int target;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU");
		return;
	}
	me = smp_processor_id();
	target = cpumask_next((int)me, cpu_online_mask);
	if (target >= nr_cpu_ids)
		target = cpumask_first(cpu_online_mask);
	ktest_diag(t, "CPU %u holds the console lock, CPU %u panics, CPU %u sends it an NMI",
		   target, me, target);
	sender_state = HOLDER_IDLE;
	if (!KTEST_EXPECT_EQ(t, smp_call_function_single((int)target, nmi_the_panicking_cpu,
							 &me, 0), 0))
		return;
	if (!KTEST_EXPECT_TRUE(t, ktest_wait_ge(&sender_state, HOLDER_LOCKED)))
		return;
	panic("selftest_panic_nmi: CPU %u takes an NMI in the middle of this panic", me);
}

static const struct ktest_case panic_nmi_cases[] = {
	KTEST_CASE(panic_goes_on_after_an_nmi_on_its_cpu),
};
KTEST_SUITE(panic_nmi, panic_nmi_cases, .enabled = selftest_panic_nmi_enabled);
