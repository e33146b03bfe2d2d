/* SPDX-License-Identifier: MIT */
/*
 * panic, and the warnings that stop short of it (kernel/panic.c).
 */
#ifndef XCALL_PANIC_H
#define XCALL_PANIC_H

#include <xcall/compiler.h>

/**
 * panic() - report a fatal state and stop the machine
 * @fmt: the reason, a format
 * @...: its arguments
 *
 * Prints the reason and a backtrace, stops the other CPUs, and leaves
 * QEMU with the failure status when the qemu_exit option is set; else
 * halts. Of CPUs that panic at once, the first reports; the others halt.
 *
 * Context: any; turns interrupts off and never returns.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/**
 * warn_slowpath() - report a broken contract and carry on
 * @file: the source file of the WARN_ON()
 * @line: its line
 * @cond: the condition, as written
 *
 * Prints a warning naming the CPU, then a backtrace; counts it for
 * warn_count(). WARN_ON() and WARN_ON_ONCE() call it.
 *
 * Context: any.
 */
void warn_slowpath(const char *file, int line, const char *cond);

/*
 * WARN_ON(cond) / WARN_ON_ONCE(cond): report when @cond holds; evaluate to
 * @cond so the caller decides what to do. They never change control flow.
 */
#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		warn_slowpath(__FILE__, __LINE__, #cond);		\
	__c;								\
})

#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (unlikely(__c) && !__atomic_exchange_n(&__warned, true,	\
						 __ATOMIC_RELAXED))	\
		warn_slowpath(__FILE__, __LINE__, #cond);		\
	__c;								\
})

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);	\
} while (0)

/**
 * panic_in_progress() - has any CPU called panic()?
 *
 * Context: any.
 * Return: true once a CPU has entered panic().
 */
bool panic_in_progress(void);

/**
 * other_cpu_in_panic() - is a CPU other than this one in panic()?
 *
 * What an NMI asks before it stops its CPU: the panicking CPU itself may
 * take an NMI (a backtrace request, a hardware NMI) in the middle of its
 * report, and must go on with it.
 *
 * Context: any.
 * Return: true once another CPU has entered panic().
 */
bool other_cpu_in_panic(void);

/**
 * kernel_finish() - the end of the run: leave QEMU or halt
 * @failed: whether anything failed
 *
 * Its last line, printed whatever the log level, is the run's closing
 * line "xcall: options refused: N; warnings: M" (options_refused(),
 * warn_count()). Then, with the qemu_exit option, QEMU exits with status 1
 * (@failed false) or 3 (@failed true); otherwise, or on a real machine,
 * the CPU halts.
 *
 * Context: any; never returns. The other CPUs keep running unless
 * stopped before.
 */
void kernel_finish(bool failed) __noreturn;

/**
 * warn_count() - how many warnings were printed since boot
 *
 * Context: any.
 * Return: the number of warn_slowpath() calls so far.
 */
unsigned int warn_count(void);

#endif /* XCALL_PANIC_H */
