// SPDX-License-Identifier: MIT
/*
 * What boot left in each CPU's hardware, checked on every online CPU:
 * the control registers hold what the kernel wrote and nothing the
 * firmware left; machine checks are reported, not a silent reset; the
 * exception stacks have guard pages; no device or local interrupt xcall
 * does not use can come in, and none is left in service; the AP start-up
 * code sits clear of the BIOS's memory. Each check runs on the CPU it is about, through a
 * waited-for call, and reports back into a slot of its own.
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/smp.h>
#include <xcall/string.h>

#define WHY_MAX		160

struct cpu_result {
	int err;
	char why[WHY_MAX];
};

static struct cpu_result results[NR_CPUS];

/* Run @fn on every online CPU (this one included) and wait. */
static void run_everywhere(smp_call_func_t fn)
{
	memset(results, 0, sizeof(results));
	on_each_cpu(fn, NULL, 1);
}

/* One failed expectation per CPU whose result is not 0, with its words. */
static void expect_all_zero(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (KTEST_EXPECT_EQ(t, results[cpu].err, 0))
			continue;
		ktest_diag(t, "CPU %u: %s", cpu, results[cpu].why);
	}
}

static void check_state(void *info)
{
	struct cpu_result *r = &results[smp_processor_id()];

	r->err = arch_cpu_state_check(r->why, sizeof(r->why));
}

static void control_registers_hold_only_what_boot_set(struct ktest *t)
{
	run_everywhere(check_state);
	expect_all_zero(t);
}

static void check_mce(void *info)
{
	struct cpu_result *r = &results[smp_processor_id()];

	r->err = arch_mce_check(r->why, sizeof(r->why));
}

/* Without CR4.MCE a machine check shuts the CPU down, and Intel sends an
 * uncorrected one to every thread: the PC resets with nothing on screen. */
static void machine_checks_are_on_for_every_cpu(struct ktest *t)
{
	run_everywhere(check_mce);
	if (results[0].err == -ENODEV) {
		ktest_skip(t, "%s", results[0].why);
		return;
	}
	expect_all_zero(t);
}

/*
 * #DF, NMI and #MC switch stacks because the one in use may be broken:
 * each of their stacks, on every CPU, must be mapped and have an unmapped
 * page right below, and no two may overlap.
 */
static void exception_stacks_have_guard_pages(struct ktest *t)
{
	unsigned long lo, hi, lo2, hi2;
	unsigned int cpu, cpu2, nr = 0;
	const char *name;
	u64 v;

	for_each_online_cpu(cpu) {
		for (unsigned int i = 0; (name = arch_cpu_exception_stack(cpu, i, &lo, &hi)); i++) {
			bool ok = true;

			nr++;
			ok &= KTEST_EXPECT_TRUE(t, IS_ALIGNED(lo, PAGE_SIZE) && hi > lo);
			ok &= KTEST_EXPECT_EQ(t, probe_read_u64((void *)lo, &v), 0);
			ok &= KTEST_EXPECT_EQ(t, probe_read_u64((void *)(hi - 8), &v), 0);
			ok &= KTEST_EXPECT_FALSE(t, paging_is_mapped(lo - PAGE_SIZE));
			ok &= KTEST_EXPECT_EQ(t, probe_read_u64((void *)(lo - 8), &v), -EFAULT);
			ok &= KTEST_EXPECT_EQ(t, probe_write_u64((void *)(lo - PAGE_SIZE), 0),
					      -EFAULT);
			for_each_online_cpu(cpu2)
				for (unsigned int j = 0; arch_cpu_exception_stack(cpu2, j, &lo2, &hi2); j++)
					if ((cpu2 != cpu || j != i) && lo < hi2 && lo2 < hi)
						ok &= KTEST_EXPECT_TRUE(t, !"stacks overlap");
			if (!ok)
				ktest_diag(t, "CPU %u's %s stack 0x%lx-0x%lx", cpu, name, lo, hi);
		}
	}
	KTEST_EXPECT_GT(t, nr, 0);
}

/* xcall routes no device interrupt: every I/O APIC pin stays masked. */
static void io_apic_pins_read_back_masked(struct ktest *t)
{
	char why[WHY_MAX];
	int err = arch_io_apic_check(why, sizeof(why));

	if (err == -ENODEV) {
		ktest_skip(t, "%s", why);
		return;
	}
	KTEST_EXPECT_EQ(t, err, 0);
	ktest_diag(t, "%s", why);
}

static void check_irq_controller(void *info)
{
	struct cpu_result *r = &results[smp_processor_id()];

	r->err = arch_irq_controller_check(r->why, sizeof(r->why));
}

/* Interrupt sources xcall does not use are masked on every CPU, and none
 * is left in service, holding back its priority class. */
static void local_interrupts_masked_and_none_in_service(struct ktest *t)
{
	run_everywhere(check_irq_controller);
	expect_all_zero(t);
	ktest_diag(t, "CPU 0: %s", results[0].why);
}

/* The set-up's drain empties an in-service register that an interrupt
 * without its EOI left behind. */
static void unacknowledged_interrupt_is_drained(struct ktest *t)
{
	char why[WHY_MAX];

	KTEST_EXPECT_EQ(t, arch_irq_unacked_selftest(why, sizeof(why)), 0);
	ktest_diag(t, "%s", why);
}

/* The AP trampoline's page is clear of the BIOS's low memory and inside
 * usable memory: checked from the BIOS Data Area's words and the memory
 * map, not from the window the allocator was given, which a wrong window
 * would pass. */
static void trampoline_page_avoids_bios_areas(struct ktest *t)
{
	char why[WHY_MAX];
	int err = arch_smp_trampoline_check(why, sizeof(why));

	if (err == -ENODEV) {
		ktest_skip(t, "%s", why);
		return;
	}
	KTEST_EXPECT_EQ(t, err, 0);
	ktest_diag(t, "%s", why);
}

/* The clock's frequency, measured again against boot's reference timer,
 * agrees with boot's to 1 %: a boot whose measurement a host or an SMI
 * interrupted mid-read would not. A ratio of two measurements, not a time. */
static void clock_measures_the_same_twice(struct ktest *t)
{
	char why[WHY_MAX];
	int err = arch_time_check(why, sizeof(why));

	if (err == -ENODEV) {
		ktest_skip(t, "%s", why);
		return;
	}
	KTEST_EXPECT_EQ(t, err, 0);
	ktest_diag(t, "%s", why);
}

static const struct ktest_case cpu_setup_cases[] = {
	KTEST_CASE(control_registers_hold_only_what_boot_set),
	KTEST_CASE(machine_checks_are_on_for_every_cpu),
	KTEST_CASE(exception_stacks_have_guard_pages),
	KTEST_CASE(io_apic_pins_read_back_masked),
	KTEST_CASE(local_interrupts_masked_and_none_in_service),
	KTEST_CASE(unacknowledged_interrupt_is_drained),
	KTEST_CASE(trampoline_page_avoids_bios_areas),
	KTEST_CASE(clock_measures_the_same_twice),
};
KTEST_SUITE(cpu_setup, cpu_setup_cases);
