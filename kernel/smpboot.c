// SPDX-License-Identifier: MIT
/*
 * Bring-up policy: how CPUs are numbered, how many are started, how long
 * they get, what "online" means; and CPU hotplug, cpu_down() and cpu_up()
 * at run time. Which processors the firmware describes, and the hardware
 * protocol that starts them (INIT, STARTUP IPIs, the trampoline) or parks
 * them, are arch/x86_64/smpboot.c's; what happens to a going CPU's calls
 * is kernel/smp.c's (the smpcfd_*() steps).
 *
 * Numbering: the boot CPU is 0; the processors the arch found follow in
 * the firmware's order (firmware lists them in its preferred order, as
 * Linux assumes). A CPU is online once it has set up its descriptor tables,
 * memory types and APIC and says so; the CPU that started it then adds it
 * to cpu_online_mask, from which moment it takes calls. At boot all APs
 * are kicked at once and waited for together; cpu_up() starts one the
 * same way.
 *
 * Going down takes the order of Linux's (kernel/cpu.c, takedown_cpu() and
 * the idle loop's cpuhp_report_idle_dead()), with xcall's differences
 * said where they are:
 *
 *   controlling CPU (cpu_down())        the CPU going down
 *   shorthand rule off
 *   GOING_DOWN, out of the online mask
 *   IPI, to end its halt or poll    ->  idle loop: sees it is offline,
 *                                       finishes accepted work, then,
 *                                       interrupts off, cpu_idle_dead():
 *                                       DYING; flush the queue (calls
 *                                       queued while online); APIC off
 *                                       (its last interrupt); close the
 *                                       queue and run what it held;
 *   waits for DEAD                  <-  DEAD; halt, interrupts off
 *
 * Linux runs the dying CPU's steps inside stop_machine(), which holds
 * every other CPU with interrupts off, so no sender can be between its
 * online check and its enqueue; xcall stops nobody, and the queue's
 * closing (kernel/smp.c) is what settles such a sender instead.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/irqflags.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/idle.h>
#include <xcall/smp.h>
#include <xcall/smpboot.h>
#include <xcall/time.h>
#include <xcall/trace.h>

/* A CPU's life, boot and hotplug in one: each CPU's own state, written
 * by the CPU that starts or stops it and by the CPU itself, each
 * transition either the only writer's or a cmpxchg. */
enum cpu_boot_state {
	CPU_BOOT_NONE,
	CPU_BOOT_KICKED,	/* INIT/SIPI sent, waiting for it */
	CPU_BOOT_ONLINE,	/* it arrived in time */
	CPU_BOOT_ABANDONED,	/* too late: it must stop where it is */
	CPU_BOOT_GOING_DOWN,	/* cpu_down() took it out of the online mask */
	CPU_BOOT_DYING,		/* its idle loop saw that: running its last calls */
	CPU_BOOT_DEAD,		/* parked by arch_cpu_play_dead() until cpu_up() */
};

/* The boot CPU naps this long between looks at the APs: under emulation a
 * spinning boot CPU takes a host core the APs need. */
#define SMPBOOT_NAP_US			20

/* How long all APs together get to come up. A real AP takes well under
 * a millisecond; TCG on a loaded host can take tens. */
#define SMPBOOT_TIMEOUT_MS_DEFAULT	2000
#define SMPBOOT_TIMEOUT_MS_MAX		60000

/* How long cpu_down() waits for a CPU to park. Not a hardware time: the
 * CPU first finishes the work its idle loop had accepted (a test's
 * worker, which looks at cpu_online() between steps), then runs what was
 * queued to it. */
#define CPU_DOWN_TIMEOUT_MS		10000

static unsigned int boot_state[NR_CPUS];
static unsigned int dead_cpu;	/* 0: none (CPU 0 is the boot CPU) */
static unsigned int late_cpu;	/* 0: none; see smp_set_test_late_cpu() */
static unsigned int smpboot_timeout_ms = SMPBOOT_TIMEOUT_MS_DEFAULT;
static unsigned int max_cpus = NR_CPUS;
/* Enabled processors bring-up gave no number (maxcpus=, the arch's
 * reasons, no memory): no cpu_up() can name them. */
static unsigned int unnumbered;
static u64 bringup_ns;
/* Bring-up started every processor the firmware enabled. */
/* One cpu_down() or cpu_up() at a time (0 free, 1 taken). */
static unsigned int hotplug_busy;

DEFINE_OPTION_UINT(smpboot_timeout_ms, smpboot_timeout_ms, 1, SMPBOOT_TIMEOUT_MS_MAX,
		   "how long the APs get to come online, in ms");
DEFINE_OPTION_UINT(maxcpus, max_cpus, 1, NR_CPUS,
		   "bring up at most this many CPUs, the boot CPU included");
DEFINE_OPTION_UINT(selftest_dead_cpu, dead_cpu, 1, NR_CPUS - 1,
		   "testing: this CPU stops before it reports online, as if it never answered");

unsigned int smp_max_cpus(void)
{
	return max_cpus;
}

unsigned int smp_test_dead_cpu(void)
{
	return dead_cpu;
}

void smp_set_test_dead_cpu(unsigned int cpu)
{
	/* Ordered before the next start's INIT by the IPI send's own
	 * ordering (arch_smp_kick_cpus()). */
	WRITE_ONCE(dead_cpu, cpu < nr_cpu_ids ? cpu : 0);
}

void smp_set_test_late_cpu(unsigned int cpu)
{
	WRITE_ONCE(late_cpu, cpu < nr_cpu_ids ? cpu : 0);
}

/* The test's late arrival: outlast this start's wait, then arrive the
 * moment anything takes the CPU off ABANDONED, as a start that was only
 * very slow would. */
static void arrive_late(unsigned int cpu)
{
	while (atomic_read(&boot_state[cpu]) == CPU_BOOT_KICKED)
		cpu_relax();
	while (atomic_read(&boot_state[cpu]) == CPU_BOOT_ABANDONED)
		cpu_relax();
}

/*
 * The other half of the test's late arrival, on the CPU running cpu_up():
 * hold the window between leaving ABANDONED and the new start open long
 * enough for a late start to take it, if one still can, so that the test
 * does not depend on who wins a race of microseconds. 100 ms: far more
 * than a spinning CPU needs to see a store, even under TCG on a busy
 * host. Then the hook is spent, and the new start runs normally.
 */
#define LATE_TEST_WINDOW_MS	100

static void hold_late_window(unsigned int cpu)
{
	u64 deadline = ktime_get_ns() + (u64)LATE_TEST_WINDOW_MS * NSEC_PER_MSEC;

	while (atomic_read(&boot_state[cpu]) == CPU_BOOT_KICKED &&
	       ktime_get_ns() < deadline)
		arch_idle_nap(SMPBOOT_NAP_US);
	WRITE_ONCE(late_cpu, 0);
}

unsigned int smp_cpus_left_out_at_boot(void)
{
	return unnumbered;
}

u64 smp_bringup_ns(void)
{
	return bringup_ns;
}

void start_secondary(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_KICKED;

	if (cpu == dead_cpu)
		arch_halt_forever();
	if (cpu == READ_ONCE(late_cpu))
		arrive_late(cpu);
	/* The boot CPU may have given up on us; then we must not touch
	 * anything shared, only stop. */
	if (!try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_ONLINE))
		arch_halt_forever();
	cpu_idle_loop();
}

/*
 * Number the CPUs the arch found and prepare each to run. Return: how
 * many; in *@left_out, how many enabled processors will not be started
 * (the arch's reasons, maxcpus=, no memory).
 */
static unsigned int enumerate_cpus(struct cpumask *kick, unsigned int *left_out)
{
	static u32 hw_ids[NR_CPUS - 1];
	unsigned int found, want, cpu;

	found = arch_smp_enumerate_cpus(hw_ids, ARRAY_SIZE(hw_ids), left_out);
	want = min(found, max_cpus - 1);
	if (found > want)
		pr_warn("smpboot: %u CPUs left out by maxcpus=%u (NR_CPUS=%d)\n",
			found - want, max_cpus, NR_CPUS);
	*left_out += found - want;
	for (cpu = 1; cpu <= want; cpu++) {
		u32 hw_id = hw_ids[cpu - 1];

		if (percpu_alloc_area(cpu) || arch_smp_prepare_cpu(cpu, hw_id)) {
			pr_err("smpboot: out of memory preparing CPU %u (apic_id %u); starting no more\n",
			       cpu, hw_id);
			*left_out += want - cpu + 1;
			break;
		}
		set_cpu_possible(cpu, true);
		boot_state[cpu] = CPU_BOOT_KICKED;
		__cpumask_set_cpu(cpu, kick);
	}
	return cpu - 1;
}

/* Wait for the kicked CPUs; the boot CPU marks each online as it sees it
 * arrive. Return: when the last one arrived, in ktime ns. */
static u64 wait_for_cpus(const struct cpumask *kick, unsigned int nr, u64 deadline)
{
	u64 last = ktime_get_ns();
	unsigned int cpu;

	while (nr && ktime_get_ns() < deadline) {
		for_each_cpu(cpu, kick) {
			if (cpu_online(cpu) ||
			    atomic_read(&boot_state[cpu]) != CPU_BOOT_ONLINE)
				continue;
			set_cpu_online(cpu, true);
			last = ktime_get_ns();
			nr--;
		}
		if (nr)
			arch_idle_nap(SMPBOOT_NAP_US);
	}
	return last;
}

/*
 * One more look, atomically, at a kicked CPU whose wait is over: it
 * arrives now or never. Return: whether it is online.
 */
static bool settle_kicked_cpu(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_KICKED;

	if (cpu_online(cpu))
		return true;
	if (!try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_ABANDONED)) {
		set_cpu_online(cpu, true);
		return true;
	}
	/* As a parked CPU's: a later cpu_up() may try again. */
	smpcfd_abandon_cpu(cpu);
	return false;
}

/*
 * Every enabled processor is online now: the shorthand rule's input.
 * Worked out afresh each time from the masks, not remembered from boot:
 * a CPU that missed bring-up and came up later through cpu_up() counts
 * as any other. Those left out unnumbered (maxcpus=, the plan) can never
 * come online, so they keep the answer false for the whole run.
 */
static bool all_cpus_online_now(void)
{
	return unnumbered == 0 && num_online_cpus() == num_possible_cpus();
}

void smp_init(void)
{
	struct cpumask kick;
	unsigned int nr, cpu, missing = 0, left_out = 0;
	u64 t0, last;
	int err;

	cpumask_clear(&kick);
	nr = enumerate_cpus(&kick, &left_out);
	unnumbered = left_out;
	t0 = ktime_get_ns();
	if (nr) {
		err = arch_smp_kick_cpus(&kick);
		if (err) {
			pr_err("smpboot: cannot start the APs (error %d): no free page below 1 MiB for the trampoline\n",
			       err);
			/* None was started: each is given up on as one that
			 * did not answer (ABANDONED, queue closed, counted
			 * missing), not left KICKED for good, so that the
			 * shorthand stays off and panic's NMIs go to the
			 * online CPUs only. */
			for_each_cpu(cpu, &kick) {
				WRITE_ONCE(boot_state[cpu], CPU_BOOT_ABANDONED);
				smpcfd_abandon_cpu(cpu);
				missing++;
			}
			cpumask_clear(&kick);
		}
	}
	last = wait_for_cpus(&kick, cpumask_weight(&kick),
			     t0 + (u64)smpboot_timeout_ms * NSEC_PER_MSEC);

	for_each_cpu(cpu, &kick) {
		if (settle_kicked_cpu(cpu)) {
			pr_info("smpboot: CPU %u apic_id=%u online\n", cpu,
				cpu_physical_id(cpu));
		} else {
			pr_err("smpboot: CPU %u apic_id=%u did not come online within %u ms; left out\n",
			       cpu, cpu_physical_id(cpu), smpboot_timeout_ms);
			missing++;
		}
	}
	bringup_ns = nr ? last - t0 : 0;
	if (smp_calls_init())
		panic("smp: out of memory for the call records");
	arch_smp_bringup_done(all_cpus_online_now());
	pr_info("smp: Brought up %u CPUs in %llu.%03llu ms%s\n", num_online_cpus(),
		(unsigned long long)(bringup_ns / NSEC_PER_MSEC),
		(unsigned long long)(bringup_ns % NSEC_PER_MSEC / NSEC_PER_USEC),
		missing ? " (some left out)" : "");
}

/* ---- CPU hotplug ---- */

/* The checks both directions share. Return: 0 to go on, or the errno. */
static int hotplug_check(unsigned int cpu)
{
	/*
	 * A processor left out at boot (maxcpus=, or one the plan could not
	 * reach) has no number: bring-up prepared no per-CPU area, stacks
	 * or call records for it, and the possible
	 * mask, which every array of the call path is sized by, is fixed
	 * at boot. Linux counts such CPUs possible and prepares them up
	 * front, so that a later cpu_up() can start them; xcall does not
	 * (memory for CPUs that may never run, and maxcpus= would stop
	 * meaning "these CPUs exist" to panic and the tests), and says so.
	 */
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		if (unnumbered)
			pr_err("smpboot: CPU %u: no such CPU; %u enabled processors were left out at boot (maxcpus=%u, or the plan's reasons) and have no number: only CPUs numbered at boot go down and up\n",
			       cpu, unnumbered, max_cpus);
		else
			pr_err("smpboot: CPU %u: no such CPU (%u possible)\n", cpu,
			       num_possible_cpus());
		return -EINVAL;
	}
	/* The boot CPU takes the platform's NMIs (LINT1), runs the tests
	 * and ends the run; Linux no longer offlines it on x86 either. */
	if (cpu == 0)
		return -EPERM;
	/* Waiting for a CPU to park needs interrupts: other CPUs may be
	 * waiting on this one meanwhile. */
	if (WARN_ON_ONCE(irqs_disabled()))
		return -EDEADLK;
	return 0;
}

static bool hotplug_trylock(void)
{
	unsigned int free = 0;

	return try_cmpxchg(&hotplug_busy, &free, 1);
}

static void hotplug_unlock(void)
{
	/* Release: the next cpu_down() or cpu_up() sees this one's states
	 * and masks whole. */
	smp_store_release(&hotplug_busy, 0);
}

/* Wait, napping, until @cpu's state is no longer @from, up to @deadline.
 * Return: the state it has then. */
static unsigned int wait_state_leaves(unsigned int cpu, unsigned int from, u64 deadline)
{
	unsigned int state;

	while ((state = smp_load_acquire(&boot_state[cpu])) == from &&
	       ktime_get_ns() < deadline)
		arch_idle_nap(SMPBOOT_NAP_US);
	return state;
}

/*
 * The controlling CPU's half of a cpu_down() whose CPU did not park in
 * time. Still GOING_DOWN: it never reached its idle loop (work that does
 * not look at cpu_online()); take the request back, atomically against
 * its claim, and it stays online. DYING: it is committed and will park;
 * the next cpu_up() finds it DEAD.
 */
static int cpu_down_timed_out(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_GOING_DOWN;

	if (try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_ONLINE)) {
		set_cpu_online(cpu, true);
		arch_smp_bringup_done(all_cpus_online_now());
		pr_err("smpboot: CPU %u (apic_id %u) did not reach its idle loop within %u ms: left online\n",
		       cpu, cpu_physical_id(cpu), CPU_DOWN_TIMEOUT_MS);
	} else {
		pr_err("smpboot: CPU %u (apic_id %u) did not park within %u ms (state %u)\n",
		       cpu, cpu_physical_id(cpu), CPU_DOWN_TIMEOUT_MS, expected);
	}
	return -ETIMEDOUT;
}

static int __cpu_down(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_ONLINE, state;
	u64 t0, deadline;
	int err;

	err = hotplug_check(cpu);
	if (err)
		return err;
	if (cpu == smp_processor_id())
		return -EDEADLK;
	if (!hotplug_trylock())
		return -EBUSY;
	if (!try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_GOING_DOWN)) {
		/* Already down is done, as Linux answers; anything else is
		 * a CPU that bring-up left out, or one still on its way. */
		err = expected == CPU_BOOT_DEAD ? 0 : -EBUSY;
		goto out;
	}
	t0 = ktime_get_ns();
	/* The shorthand would reach it parked: off before it leaves. */
	arch_smp_bringup_done(false);
	/* From here, new calls to it fail with -ENXIO; a sender that read
	 * the bit just before is settled by the CPU's queue (smpcfd_*). The
	 * bit's locked clear orders the state above before it. */
	set_cpu_online(cpu, false);
	/* End its halt, MWAIT or poll: its idle loop parks it. Past the
	 * ipi_drop= filter, which only the call path applies. Traced (its
	 * handler runs on the target like a call's), with cpu_down() as the
	 * callsite; not in the calls' ipis_sent count, which is the call
	 * path's (README, "Trace"). */
	trace_ipi_send_cpu(cpu, (unsigned long)cpu_down,
			   generic_smp_call_function_single_interrupt);
	arch_send_call_function_single_ipi(cpu);

	deadline = t0 + (u64)CPU_DOWN_TIMEOUT_MS * NSEC_PER_MSEC;
	state = wait_state_leaves(cpu, CPU_BOOT_GOING_DOWN, deadline);
	/* Once it has claimed the request it only runs what is queued to
	 * it: a bound of its own, so a claim at the last moment still has
	 * time to finish. */
	if (state == CPU_BOOT_DYING)
		state = wait_state_leaves(cpu, CPU_BOOT_DYING, ktime_get_ns() +
					  (u64)CPU_DOWN_TIMEOUT_MS * NSEC_PER_MSEC);
	if (state != CPU_BOOT_DEAD) {
		err = cpu_down_timed_out(cpu);
		goto out;
	}
	pr_debug("smpboot: CPU %u apic_id=%u parked in %llu us\n", cpu,
		 cpu_physical_id(cpu),
		 (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_USEC));
out:
	hotplug_unlock();
	return err;
}

static int __cpu_up(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_DEAD;
	struct cpumask one;
	u64 t0;
	int err;

	err = hotplug_check(cpu);
	/* The boot CPU is online and never goes down: bringing it up is
	 * done already, as for any online CPU below. Linux's _cpu_up()
	 * answers 0 the same way for a CPU already at its target state;
	 * only cpu_down(0) is refused. */
	if (err == -EPERM)
		return 0;
	if (err)
		return err;
	if (!hotplug_trylock())
		return -EBUSY;
	/*
	 * Parked by cpu_down(), or given up on by an earlier start (at boot
	 * or in cpu_up()): both are started afresh, as Linux's
	 * cpuhp_can_boot_ap() lets a CPU that did not come up be kicked
	 * again. Given up on, the CPU may still be on its way: a start that
	 * reached start_secondary() after this CPU left ABANDONED would win
	 * its cmpxchg and run with its queue still closed, or go online
	 * only to be reset by the INIT below, leaving the fresh start to
	 * halt and a dead CPU marked online. So it is stopped first, while
	 * its state still says ABANDONED (any start arriving meanwhile
	 * halts), and only then moved on and its queue reopened. Linux
	 * closes the same window differently: its AP waits in
	 * cpuhp_ap_sync_alive() until the control CPU releases it, so a
	 * late AP is never taken for a new one; xcall's APs do not wait to
	 * be released, and the reset is the smaller change.
	 */
	if (atomic_read(&boot_state[cpu]) == CPU_BOOT_ABANDONED) {
		arch_smp_reset_cpu(cpu);
		expected = CPU_BOOT_ABANDONED;
	}
	if (!try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_KICKED)) {
		/* Online is done; one whose cpu_down() timed out half-way
		 * is not one to start. */
		err = expected == CPU_BOOT_ONLINE ? 0 : -EBUSY;
		goto out;
	}
	if (expected == CPU_BOOT_ABANDONED && cpu == READ_ONCE(late_cpu))
		hold_late_window(cpu);
	/* Its queue must be open before it can look at it. */
	smpcfd_prepare_cpu(cpu);
	cpumask_clear(&one);
	__cpumask_set_cpu(cpu, &one);
	t0 = ktime_get_ns();
	/* The same start as at boot: INIT-SIPI-SIPI, the trampoline,
	 * ap_start(), start_secondary(). */
	err = arch_smp_kick_cpus(&one);
	if (err) {
		/* Only possible when boot never set the trampoline up, and
		 * then no CPU could have gone down: say so and give up. */
		pr_err("smpboot: cannot start CPU %u again (error %d)\n", cpu, err);
		WRITE_ONCE(boot_state[cpu], CPU_BOOT_ABANDONED);
		/* smpcfd_prepare_cpu() reopened its queue above: close it
		 * again, or a sender that finds it online by mistake would
		 * queue to a CPU that never looks. */
		smpcfd_abandon_cpu(cpu);
		goto out;
	}
	wait_for_cpus(&one, 1, t0 + (u64)smpboot_timeout_ms * NSEC_PER_MSEC);
	if (!settle_kicked_cpu(cpu)) {
		pr_err("smpboot: CPU %u apic_id=%u did not come back online within %u ms; left offline, its queue closed (cpu_up() may try again)\n",
		       cpu, cpu_physical_id(cpu), smpboot_timeout_ms);
		err = -ETIMEDOUT;
		goto out;
	}
	arch_smp_bringup_done(all_cpus_online_now());
	pr_debug("smpboot: CPU %u apic_id=%u online again in %llu us\n", cpu,
		 cpu_physical_id(cpu),
		 (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_USEC));
out:
	hotplug_unlock();
	return err;
}

/* cpuhp:cpuhp_enter's target and cpuhp_exit's state. Linux numbers the
 * steps of its hotplug state machine; xcall has two states to report. */
#define CPUHP_TRACE_OFFLINE	0
#define CPUHP_TRACE_ONLINE	1

static unsigned int cpuhp_trace_state(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu) ? CPUHP_TRACE_ONLINE : CPUHP_TRACE_OFFLINE;
}

int cpu_down(unsigned int cpu)
{
	int err;

	trace_cpuhp_enter(cpu, CPUHP_TRACE_OFFLINE);
	err = __cpu_down(cpu);
	trace_cpuhp_exit(cpu, cpuhp_trace_state(cpu), err);
	return err;
}

int cpu_up(unsigned int cpu)
{
	int err;

	trace_cpuhp_enter(cpu, CPUHP_TRACE_ONLINE);
	err = __cpu_up(cpu);
	trace_cpuhp_exit(cpu, cpuhp_trace_state(cpu), err);
	return err;
}

void cpu_idle_dead(void)
{
	unsigned int cpu = smp_processor_id(), expected = CPU_BOOT_GOING_DOWN;

	/* Only a CPU cpu_down() asked to go, and only once: a test that
	 * takes a CPU out of the mask by hand leaves it running, and a
	 * cpu_down() that gave up has taken its request back. */
	if (!try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_DYING))
		return;
	/* Linux's smpcfd_dying_cpu(): what was queued while online. */
	smpcfd_dying_cpu();
	/* Its last interrupt: from here the APIC takes no IPI. */
	arch_cpu_disable();
	/* And once more, closing the queue: a sender that raced the online
	 * bit either got in before this (and runs now) or is refused. */
	smpcfd_close_queue();
	/* Release: cpu_down() sees every call run before it sees DEAD. */
	smp_store_release(&boot_state[cpu], CPU_BOOT_DEAD);
	arch_cpu_play_dead();
}
