// SPDX-License-Identifier: MIT
/*
 * start_kernel(): the boot CPU's path from the first C instruction to the
 * end of the run, one subsystem after another in the order their needs
 * dictate. Owns the boot information and the harness-test options
 * (selftest_triple_fault, selftest_hang).
 */
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/bench.h>
#include <xcall/errno.h>
#include <xcall/cpumask.h>
#include <xcall/fbcon.h>
#include <xcall/irqflags.h>
#include <xcall/ktest.h>
#include <xcall/mm.h>
#include <xcall/multiboot2.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/idle.h>
#include <xcall/smpboot.h>
#include <xcall/trace.h>

/* Room for the platform's extra options (QEMU's fw_cfg file on x86). */
#define EXTRA_CMDLINE_MAX	1024
/* The early page tables map the first 4 GiB; the block must be there. */
#define EARLY_MAPPED_TOP	(1ull << 32)

static struct mb2_info boot_info;
static char extra_cmdline[EXTRA_CMDLINE_MAX];
static const char *extra_cmdline_source;
static bool opt_triple_fault;
static bool opt_hang;
static bool opt_exception;

DEFINE_OPTION_FLAG(selftest_triple_fault, opt_triple_fault,
		   "harness test: triple-fault after boot");
DEFINE_OPTION_FLAG(selftest_hang, opt_hang,
		   "harness test: hang after boot, interrupts off");
DEFINE_OPTION_FLAG(selftest_exception, opt_exception,
		   "harness test: write through a NULL pointer after boot");

static void parse_boot_info(u32 magic, unsigned long info)
{
	const char *why;
	size_t avail;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("multiboot2: bad magic 0x%x (expected 0x%x)", magic,
		      MB2_BOOTLOADER_MAGIC);
	if (info == 0 || info >= EARLY_MAPPED_TOP - sizeof(struct mb2_info_header))
		panic("multiboot2: information block at 0x%lx is out of reach", info);
	avail = (size_t)min((u64)MB2_MAX_INFO_SIZE, EARLY_MAPPED_TOP - info);
	if (mb2_parse((const void *)info, avail, &boot_info, &why))
		panic("multiboot2: information block at 0x%lx refused: %s", info, why);
}

static void parse_options(void)
{
	int n;

	/* The counts go to the kernel's closing line (kernel_finish()),
	 * which a quiet loglevel= cannot hide as it hides these messages. */
	options_note_refused(options_parse(boot_info.cmdline, "cmdline"));
	n = arch_read_extra_cmdline(extra_cmdline, sizeof(extra_cmdline),
				    &extra_cmdline_source);
	if (n >= 0) {
		options_note_refused(options_parse(extra_cmdline,
						   extra_cmdline_source));
	} else if (n == -ERANGE) {
		pr_err("options: the %s command line is longer than %d bytes, ignored\n",
		       extra_cmdline_source, EXTRA_CMDLINE_MAX - 1);
		options_note_refused(1);
	}
}

/* For the harness's own tests: ways to end a run that must be caught. */
static void harness_misbehave(void)
{
	if (opt_triple_fault) {
		pr_info("xcall: selftest_triple_fault: loading an empty IDT and trapping\n");
		arch_triple_fault();
	}
	if (opt_exception) {
		pr_info("xcall: selftest_exception: writing to address 0\n");
		WRITE_ONCE(*(volatile u64 *)absolute_pointer(0), 0);
	}
	if (opt_hang) {
		pr_info("xcall: selftest_hang: spinning with interrupts off\n");
		local_irq_disable();
		for (;;)
			cpu_relax();
	}
}

/* The status line's last words before the verdict: the tests' totals,
 * what else ran, on how many CPUs. */
static void final_status(void)
{
	const char *tests = ktest_selected() ? ktest_summary() : NULL;

	console_status("%s%s%s on %u CPUs", tests ? tests : "",
		       tests && bench_selected() ? ", " : "",
		       bench_selected() ? "benchmarks run" : tests ? "" : "up",
		       num_online_cpus());
}

void start_kernel(u32 magic, unsigned long info);
void start_kernel(u32 magic, unsigned long info)
{
	bool failed = false;

	percpu_init_boot_cpu();
	arch_early_setup();
	parse_boot_info(magic, info);
	parse_options();
	pr_info("xcall: booted by %s, command line '%s'\n",
		boot_info.loader_name ? boot_info.loader_name : "an unnamed loader",
		boot_info.cmdline ? boot_info.cmdline : "");
	if (extra_cmdline[0])
		pr_info("xcall: options from %s '%s'\n", extra_cmdline_source,
			extra_cmdline);

	acpi_find_rsdp(&boot_info);
	mm_init(&boot_info, (const void *)info);
	paging_init(&boot_info);
	fbcon_init(&boot_info);
	set_cpu_possible(0, true);
	set_cpu_online(0, true);

	acpi_init();
	arch_time_init();
	arch_irq_init();
	idle_init();
	local_irq_enable();
	smp_init();
	trace_init();

	harness_misbehave();
	if (ktest_selected())
		failed = ktest_run_all() != 0;
	if (bench_selected())
		failed |= bench_run_all() != 0;
	if (trace_scenario_selected())
		failed |= trace_scenario_run() != 0;
	trace_dump();
	pr_info("xcall: %s\n", failed ? "self-tests FAILED" :
		ktest_selected() ? "self-tests passed" : "up");
	final_status();
	kernel_finish(failed);
}
