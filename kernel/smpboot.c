// SPDX-License-Identifier: MIT
/*
 * Bring-up policy: how CPUs are numbered, how many are started, how long
 * they get, what "online" means. Which processors the firmware describes,
 * and the hardware protocol that starts them (INIT, STARTUP IPIs, the
 * trampoline), are arch/x86_64/smpboot.c's.
 *
 * Numbering: the boot CPU is 0; the processors the arch found follow in
 * the firmware's order (firmware lists them in its preferred order, as
 * Linux assumes). A CPU is online once it has set up its descriptor tables,
 * memory types and APIC and says so; the boot CPU then adds it to
 * cpu_online_mask, from which moment it takes calls. All APs are kicked
 * at once and waited for together.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/idle.h>
#include <xcall/smp.h>
#include <xcall/smpboot.h>
#include <xcall/time.h>

enum cpu_boot_state {
	CPU_BOOT_NONE,
	CPU_BOOT_KICKED,	/* INIT/SIPI sent, waiting for it */
	CPU_BOOT_ONLINE,	/* it arrived in time */
	CPU_BOOT_ABANDONED,	/* too late: it must stop where it is */
};

/* The boot CPU naps this long between looks at the APs: under emulation a
 * spinning boot CPU takes a host core the APs need. */
#define SMPBOOT_NAP_US			20

/* How long all APs together get to come up. A real AP takes well under
 * a millisecond; TCG on a loaded host can take tens. */
#define SMPBOOT_TIMEOUT_MS_DEFAULT	2000
#define SMPBOOT_TIMEOUT_MS_MAX		60000

static unsigned int boot_state[NR_CPUS];
static unsigned int dead_cpu;	/* 0: none (CPU 0 is the boot CPU) */
static unsigned int smpboot_timeout_ms = SMPBOOT_TIMEOUT_MS_DEFAULT;
static unsigned int max_cpus = NR_CPUS;
static u64 bringup_ns;

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

u64 smp_bringup_ns(void)
{
	return bringup_ns;
}

void start_secondary(unsigned int cpu)
{
	unsigned int expected = CPU_BOOT_KICKED;

	if (cpu == dead_cpu)
		arch_halt_forever();
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

void smp_init(void)
{
	struct cpumask kick;
	unsigned int nr, cpu, missing = 0, left_out = 0;
	u64 t0, last;
	int err;

	cpumask_clear(&kick);
	nr = enumerate_cpus(&kick, &left_out);
	t0 = ktime_get_ns();
	if (nr) {
		err = arch_smp_kick_cpus(&kick);
		if (err) {
			pr_err("smpboot: cannot start the APs (error %d): no free page below 1 MiB for the trampoline\n",
			       err);
			cpumask_clear(&kick);
		}
	}
	last = wait_for_cpus(&kick, cpumask_weight(&kick),
			     t0 + (u64)smpboot_timeout_ms * NSEC_PER_MSEC);

	for_each_cpu(cpu, &kick) {
		unsigned int expected = CPU_BOOT_KICKED;

		/* One more look, atomically: it arrives now or never. */
		if (!cpu_online(cpu) &&
		    !try_cmpxchg(&boot_state[cpu], &expected, CPU_BOOT_ABANDONED))
			set_cpu_online(cpu, true);
		if (cpu_online(cpu)) {
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
	arch_smp_bringup_done(missing == 0 && left_out == 0);
	pr_info("smp: Brought up %u CPUs in %llu.%03llu ms%s\n", num_online_cpus(),
		(unsigned long long)(bringup_ns / NSEC_PER_MSEC),
		(unsigned long long)(bringup_ns % NSEC_PER_MSEC / NSEC_PER_USEC),
		missing ? " (some left out)" : "");
}
