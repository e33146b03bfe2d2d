// SPDX-License-Identifier: MIT
/*
 * How the kernel stops: panic() for a state it cannot go on from,
 * WARN_ON() for a broken contract it can survive, kernel_finish() for the
 * end of a run. Owns the qemu_exit option.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/format.h>
#include <xcall/options.h>
#include <xcall/irqflags.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/smp.h>

#define NO_PANIC_CPU	(-1)

static int panic_cpu = NO_PANIC_CPU;
static unsigned int nr_warnings;
static bool qemu_exit;

DEFINE_OPTION_FLAG(qemu_exit, qemu_exit,
		   "at the end, leave QEMU via isa-debug-exit (status 1 pass, 3 fail)");

bool panic_in_progress(void)
{
	return atomic_read(&panic_cpu) != NO_PANIC_CPU;
}

bool other_cpu_in_panic(void)
{
	int cpu = atomic_read(&panic_cpu);

	return cpu != NO_PANIC_CPU && cpu != (int)smp_processor_id();
}

void kernel_finish(bool failed)
{
	/* On a screen, the verdict stays on the status line, in colour. */
	console_verdict(failed);
	pr_emerg("xcall: %s; %s.\n", failed ? "FAILED" : "done",
		 qemu_exit ? "leaving QEMU" : "halting");
	/*
	 * The closing line, printed whatever the log level: a harness learns
	 * of refused options and of warnings from lines that loglevel= can
	 * hide, and must know whether it saw them all.
	 */
	printk_always("xcall: options refused: %u; warnings: %u\n",
		      options_refused(), warn_count());
	if (qemu_exit)
		arch_qemu_exit(failed);
	arch_halt_forever();
}

void panic(const char *fmt, ...)
{
	int cpu = (int)smp_processor_id();
	int expected = NO_PANIC_CPU;
	char msg[PRINTK_LINE_MAX];
	va_list ap;

	local_irq_disable();
	if (!try_cmpxchg(&panic_cpu, &expected, cpu)) {
		/* Another CPU panics first and will stop this one; a nested
		 * panic on this CPU goes straight to the end. */
		if (expected != cpu)
			arch_halt_forever();
		kernel_finish(true);
	}

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	arch_dump_stack();
	arch_stop_other_cpus();
	/* A stopped CPU may hold the console lock, and one that did not
	 * stop in time may hold it for good. */
	console_panic_mode();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	console_status("kernel panic on CPU %d: %s", cpu, msg);
	kernel_finish(true);
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	atomic_inc(&nr_warnings);
	pr_warn("WARNING: CPU %u at %s:%d: %s\n", smp_processor_id(), file,
		line, cond);
	arch_dump_stack();
}

unsigned int warn_count(void)
{
	return atomic_read(&nr_warnings);
}
