// SPDX-License-Identifier: MIT
/*
 * What boot left in each CPU's hardware, checked on every online CPU:
 * the control registers hold what the kernel wrote and nothing the
 * firmware left; machine checks are reported, not a silent reset. Each check runs on the CPU it is about, through a
 * waited-for call, and reports back into a slot of its own.
 */
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/ktest.h>
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

static const struct ktest_case cpu_setup_cases[] = {
	KTEST_CASE(control_registers_hold_only_what_boot_set),
	KTEST_CASE(machine_checks_are_on_for_every_cpu),
};
KTEST_SUITE(cpu_setup, cpu_setup_cases);
