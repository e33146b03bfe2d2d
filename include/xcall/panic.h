/* SPDX-License-Identifier: MIT */
/*
 * panic, and the warnings that stop short of it (kernel/panic.c).
 */
#ifndef XCALL_PANIC_H
#define XCALL_PANIC_H

#include <xcall/compiler.h>

/**
 * panic() - report a fatal state and stop the machine
 * @fmt: the reason
 *
 * Prints the reason and a backtrace, stops the other CPUs, and leaves
 * QEMU with the failure status when the qemu_exit option is set; else
 * halts. Context: any.
 */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Report a broken contract with file, line and a backtrace. */
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

/** panic_in_progress() - has any CPU called panic()? */
bool panic_in_progress(void);

/**
 * kernel_finish() - the end of the run: leave QEMU or halt
 * @failed: whether anything failed
 *
 * With the qemu_exit option, QEMU exits with status 1 (@failed false) or
 * 3 (@failed true); otherwise, or on a real machine, the CPU halts.
 */
void kernel_finish(bool failed) __noreturn;

/** warn_count() - how many warnings were printed since boot. */
unsigned int warn_count(void);

#endif /* XCALL_PANIC_H */
