// SPDX-License-Identifier: MIT
/*
 * SMP bring-up, checked from every CPU: the online CPUs are the ones the
 * firmware described, each knows who it is (APIC ID, logical number,
 * per-CPU area), each runs on its own stack with an unmapped guard page.
 */
#include <asm/cpu_plan.h>
#include <asm/smp.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/percpu.h>
#include <xcall/smp.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>

struct cpu_report {
	u32 apic_id;
	unsigned int cpu;
	unsigned long percpu_addr;
	unsigned long rsp;
};

static DEFINE_PER_CPU(unsigned long, bringup_scratch);
static struct cpu_report reports[NR_CPUS];

static void read_own_id(void *info)
{
	*(u32 *)info = arch_read_cpu_id();
}

static void report_self(void *info)
{
	unsigned int cpu = smp_processor_id();
	struct cpu_report *r = &reports[cpu];

	r->apic_id = arch_read_cpu_id();
	r->cpu = cpu;
	r->percpu_addr = (unsigned long)this_cpu_ptr(&bringup_scratch);
	r->rsp = read_rsp();
	*this_cpu_ptr(&bringup_scratch) = 0x1000 + cpu;
}

/* The CPUs the boot should have started: enabled MADT entries whose IDs
 * the APIC mode can reach, up to NR_CPUS and maxcpus=. */
static unsigned int expected_cpus(void)
{
	const struct madt_info *m = acpi_madt();
	unsigned int n = 0;

	if (!m)
		return 1;
	for (size_t i = 0; i < m->nr_cpus; i++)
		n += m->cpus[i].enabled && m->cpus[i].apic_id <= arch_max_cpu_id();
	return n ? min(n, min((unsigned int)NR_CPUS, smp_max_cpus())) : 1;
}

static void online_count_matches_madt(struct ktest *t)
{
	unsigned int dead = smp_test_dead_cpu() && smp_test_dead_cpu() < expected_cpus();

	KTEST_EXPECT_EQ(t, num_online_cpus(), expected_cpus() - dead);
	KTEST_EXPECT_EQ(t, num_possible_cpus(), num_online_cpus() + dead);
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	KTEST_EXPECT_LE(t, nr_cpu_ids, NR_CPUS);
}

/* The CPUs that came up are the boot plan's, in its order and APIC mode:
 * the plan make preflight prints is the one the kernel followed. */
static void online_cpus_follow_the_plan(struct ktest *t)
{
	const struct cpu_plan *p = smpboot_plan();
	unsigned int dead = smp_test_dead_cpu(), cpu;

	KTEST_EXPECT_EQ(t, num_possible_cpus(), max(p->nr_cpus, 1u));
	for (cpu = 0; cpu < p->nr_cpus && cpu < NR_CPUS; cpu++) {
		if (!KTEST_EXPECT_TRUE(t, cpu_possible(cpu)))
			break;
		KTEST_EXPECT_EQ(t, cpu_physical_id(cpu), p->cpus[cpu].apic_id);
		KTEST_EXPECT_EQ(t, p->cpus[cpu].cpu, cpu);
		if (cpu != dead)
			KTEST_EXPECT_TRUE(t, cpu_online(cpu));
	}
	KTEST_EXPECT_EQ(t, !strcmp(arch_ipi_mode_name(), "x2apic"),
			p->apic_mode == CPU_PLAN_X2APIC);
}

/* The plan's boot CPU is the one whose APIC ID register answers, read
 * from the register (as Linux reads it), not from CPUID's initial ID,
 * which firmware may have moved away from. */
static void plan_boot_cpu_is_the_apic_id_register(struct ktest *t)
{
	const struct cpu_plan *p = smpboot_plan();
	u32 id = 0;

	smp_call_function_single(0, read_own_id, &id, 1);
	KTEST_EXPECT_EQ(t, p->facts.boot_apic_id, id);
	KTEST_EXPECT_EQ(t, p->cpus[0].apic_id, id);
	KTEST_EXPECT_EQ(t, cpu_physical_id(0), id);
	if (smpboot_boot_id_from() == APIC_ID_FROM_CPUID) {
		ktest_skip(t, "firmware handed over a disabled APIC, whose ID register holds CPUID's initial ID once enabled");
		return;
	}
	KTEST_EXPECT_TRUE(t, smpboot_boot_id_from() == APIC_ID_FROM_XAPIC_REG ||
			  smpboot_boot_id_from() == APIC_ID_FROM_X2APIC_REG);
}

/* The parsers' lines are the plan's first warnings, each once, and every
 * one the parsers counted is counted by the plan: the kernel's plan says
 * what xcall-acpi's says about the same tables. */
static void plan_carries_the_parsers_lines(struct ktest *t)
{
	const struct acpi_diag *d = acpi_diag();
	const struct cpu_plan *p = smpboot_plan();
	unsigned int stored = min(d->nr, (unsigned int)ACPI_DIAG_MAX);

	if (!d->nr && !d->dropped) {
		ktest_skip(t, "these firmware tables earned no parser line (the bad-hpet boot has one)");
		return;
	}
	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		KTEST_EXPECT_GE(t, p->warnings_by_kind[k], d->count[k]);
	KTEST_EXPECT_GE(t, p->nr_warnings + p->warnings_dropped, stored + d->dropped);
	for (unsigned int i = 0; i < stored && i < p->nr_warnings; i++) {
		KTEST_EXPECT_EQ(t, p->warnings[i].kind, d->kind[i]);
		KTEST_EXPECT_EQ(t, strcmp(p->warnings[i].msg, d->msg[i]), 0);
	}
}

static void every_cpu_reads_its_madt_apic_id(struct ktest *t)
{
	const struct madt_info *m = acpi_madt();
	unsigned int cpu;

	on_each_cpu(report_self, NULL, 1);
	for_each_online_cpu(cpu) {
		bool in_madt = false;

		KTEST_EXPECT_EQ(t, reports[cpu].cpu, cpu);
		KTEST_EXPECT_EQ(t, reports[cpu].apic_id, cpu_physical_id(cpu));
		for (size_t i = 0; m && i < m->nr_cpus; i++)
			in_madt |= m->cpus[i].enabled && m->cpus[i].apic_id == reports[cpu].apic_id;
		KTEST_EXPECT_TRUE(t, in_madt || !m);
	}
}

static void apic_ids_are_unique(struct ktest *t)
{
	unsigned int a, b;

	for_each_online_cpu(a)
		for_each_online_cpu(b)
			if (a < b)
				KTEST_EXPECT_NE(t, cpu_physical_id(a), cpu_physical_id(b));
}

static void per_cpu_variables_are_distinct(struct ktest *t)
{
	unsigned int a, b;

	on_each_cpu(report_self, NULL, 1);
	for_each_online_cpu(a) {
		KTEST_EXPECT_EQ_U(t, reports[a].percpu_addr,
				  (unsigned long)per_cpu_ptr(&bringup_scratch, a));
		KTEST_EXPECT_EQ_U(t, per_cpu(bringup_scratch, a), 0x1000 + a);
		KTEST_EXPECT_EQ(t, per_cpu(cpu_number, a), a);
		for_each_online_cpu(b)
			if (a < b)
				KTEST_EXPECT_NE_U(t, reports[a].percpu_addr, reports[b].percpu_addr);
	}
}

static void each_cpu_runs_on_its_own_stack(struct ktest *t)
{
	unsigned int cpu;

	on_each_cpu(report_self, NULL, 1);
	for_each_online_cpu(cpu) {
		unsigned long lo, hi;

		arch_cpu_stack(cpu, &lo, &hi);
		KTEST_EXPECT_TRUE(t, reports[cpu].rsp > lo && reports[cpu].rsp <= hi);
	}
}

static void ap_stack_guard_pages_fault(struct ktest *t)
{
	unsigned int cpu;
	u64 v;

	for_each_online_cpu(cpu) {
		unsigned long lo, hi;

		arch_cpu_stack(cpu, &lo, &hi);
		KTEST_EXPECT_FALSE(t, paging_is_mapped(lo - PAGE_SIZE));
		KTEST_EXPECT_EQ(t, probe_read_u64((void *)(lo - 8), &v), -EFAULT);
		KTEST_EXPECT_EQ(t, probe_write_u64((void *)(lo - PAGE_SIZE), 0), -EFAULT);
		KTEST_EXPECT_EQ(t, probe_read_u64((void *)lo, &v), 0);
	}
}

static void bringup_time_is_recorded(struct ktest *t)
{
	if (num_online_cpus() == 1)
		KTEST_EXPECT_EQ(t, smp_bringup_ns(), 0);
	else
		KTEST_EXPECT_GT(t, smp_bringup_ns(), 0);
	ktest_diag(t, "%u CPUs up in %llu us", num_online_cpus(),
		   (unsigned long long)(smp_bringup_ns() / 1000));
}

/* ---- A CPU that never answers (selftest_dead_cpu=) ---- */

static bool dead_cpu_set(void)
{
	return smp_test_dead_cpu() != 0;
}

static void silent_cpu_is_left_out(struct ktest *t)
{
	unsigned int dead = smp_test_dead_cpu();

	if (dead >= nr_cpu_ids) {
		ktest_skip(t, "selftest_dead_cpu=%u is past the last CPU", dead);
		return;
	}
	KTEST_EXPECT_TRUE(t, cpu_possible(dead));
	KTEST_EXPECT_FALSE(t, cpu_online(dead));
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)dead, report_self, NULL, 1), -ENXIO);
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)dead, report_self, NULL, 0), -ENXIO);
}

static void other_cpus_still_take_calls(struct ktest *t)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		reports[cpu].cpu = ~0u;
	on_each_cpu(report_self, NULL, 1);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, reports[cpu].cpu, cpu);
	KTEST_EXPECT_EQ(t, reports[smp_test_dead_cpu() % NR_CPUS].cpu,
			cpu_online(smp_test_dead_cpu()) ? smp_test_dead_cpu() : ~0u);
}

/*
 * A CPU bring-up gave up on is offline with its queue closed, as a parked
 * one: cpu_up() starts it afresh, and fails again with -ETIMEDOUT while it
 * stays silent; once it answers, it comes up and takes calls. It is taken
 * down and silenced again after, as the boot left it.
 */
static void silent_cpu_can_be_started_again(struct ktest *t)
{
	unsigned int dead = smp_test_dead_cpu(), me = smp_processor_id();
	call_single_data_t csd = CSD_INIT(report_self, NULL);
	struct smp_call_stats before, after;

	if (dead >= nr_cpu_ids) {
		ktest_skip(t, "selftest_dead_cpu=%u is past the last CPU", dead);
		return;
	}
	/* Closed: a sender that got past a (faked) online bit is refused
	 * at the queue, not left waiting on a CPU that never looks. */
	smp_call_stats_get(me, &before);
	set_cpu_online(dead, true);
	KTEST_EXPECT_EQ(t, smp_call_function_single_async((int)dead, &csd), -ENXIO);
	set_cpu_online(dead, false);
	smp_call_stats_get(me, &after);
	KTEST_EXPECT_EQ(t, after.calls_refused - before.calls_refused, 1);
	KTEST_EXPECT_EQ(t, csd.flags, 0);

	KTEST_EXPECT_EQ(t, cpu_up(dead), -ETIMEDOUT);
	KTEST_EXPECT_FALSE(t, cpu_online(dead));
	KTEST_EXPECT_FALSE(t, arch_ipi_shorthand_enabled());
	smp_set_test_dead_cpu(0);
	if (!KTEST_EXPECT_EQ(t, cpu_up(dead), 0))
		goto out;
	KTEST_EXPECT_TRUE(t, cpu_online(dead));
	/* Every CPU online now, the one that missed boot included: the
	 * shorthand comes back, under the arch's own rule (more than two
	 * CPUs, none left out unnumbered). */
	if (smp_cpus_left_out_at_boot() == 0 && num_online_cpus() > 2 &&
	    num_online_cpus() == num_possible_cpus())
		KTEST_EXPECT_TRUE(t, arch_ipi_shorthand_enabled());
	else
		ktest_diag(t, "shorthand not expected: %u of %u CPUs online, %u left out",
			   num_online_cpus(), num_possible_cpus(),
			   smp_cpus_left_out_at_boot());
	reports[dead].cpu = ~0u;
	KTEST_EXPECT_EQ(t, smp_call_function_single((int)dead, report_self, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, reports[dead].cpu, dead);
	KTEST_EXPECT_EQ(t, cpu_down(dead), 0);
	KTEST_EXPECT_FALSE(t, arch_ipi_shorthand_enabled());
out:
	smp_set_test_dead_cpu(dead);
	KTEST_EXPECT_FALSE(t, cpu_online(dead));
}

static const struct ktest_case dead_cpu_cases[] = {
	KTEST_CASE(silent_cpu_is_left_out),
	KTEST_CASE(other_cpus_still_take_calls),
	KTEST_CASE(silent_cpu_can_be_started_again),
};
KTEST_SUITE(bringup_dead_cpu, dead_cpu_cases, .enabled = dead_cpu_set);

/*
 * Processors maxcpus= left out have no CPU number: cpu_up() and cpu_down()
 * refuse the numbers past the last possible CPU with -EINVAL (and say
 * why), and nothing changes.
 */
static void cpus_left_out_by_maxcpus_are_not_started(struct ktest *t)
{
	unsigned int online = num_online_cpus();

	if (!smp_cpus_left_out_at_boot() || smp_max_cpus() >= NR_CPUS) {
		ktest_skip(t, "maxcpus= left no processor out");
		return;
	}
	KTEST_EXPECT_EQ(t, nr_cpu_ids, smp_max_cpus());
	KTEST_EXPECT_EQ(t, cpu_up(nr_cpu_ids), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_down(nr_cpu_ids), -EINVAL);
	KTEST_EXPECT_EQ(t, num_online_cpus(), online);
	ktest_diag(t, "%u processors left out at boot, maxcpus=%u", smp_cpus_left_out_at_boot(),
		   smp_max_cpus());
}

static const struct ktest_case bringup_cases[] = {
	KTEST_CASE(online_count_matches_madt),
	KTEST_CASE(online_cpus_follow_the_plan),
	KTEST_CASE(plan_boot_cpu_is_the_apic_id_register),
	KTEST_CASE(plan_carries_the_parsers_lines),
	KTEST_CASE(every_cpu_reads_its_madt_apic_id),
	KTEST_CASE(apic_ids_are_unique),
	KTEST_CASE(per_cpu_variables_are_distinct),
	KTEST_CASE(each_cpu_runs_on_its_own_stack),
	KTEST_CASE(ap_stack_guard_pages_fault),
	KTEST_CASE(bringup_time_is_recorded),
	KTEST_CASE(cpus_left_out_by_maxcpus_are_not_started),
};
KTEST_SUITE(bringup, bringup_cases);
