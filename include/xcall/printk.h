/* SPDX-License-Identifier: MIT */
/*
 * printk: formatted console output (kernel/printk.c).
 *
 * A message is formatted on the caller's stack, then written to every
 * console under one lock, so lines from different CPUs never interleave
 * within a line. Messages above the console log level (option loglevel=)
 * are dropped. Callable from any context, interrupts on or off, and from
 * NMI and panic, where the lock is taken with a bounded wait and broken
 * after it: garbled output is better than a hang. A CPU never waits for
 * the lock it holds itself (an NMI that interrupted its own write).
 */
#ifndef XCALL_PRINTK_H
#define XCALL_PRINTK_H

#include <xcall/compiler.h>
#include <xcall/types.h>

/* Log levels, Linux's numbers: a message prints when its level is below
 * the console level. */
#define LOGLEVEL_EMERG		0
#define LOGLEVEL_ERR		3
#define LOGLEVEL_WARNING	4
#define LOGLEVEL_NOTICE		5
#define LOGLEVEL_INFO		6
#define LOGLEVEL_DEBUG		7
#define LOGLEVEL_DEFAULT	7	/* everything but debug */
#define LOGLEVEL_MAX		8	/* everything */

/* The longest line printk formats in one go; longer ones are cut. */
#define PRINTK_LINE_MAX		512

/**
 * printk_level() - print a message at a log level
 * @level: LOGLEVEL_*; dropped unless below the console level
 * @fmt: format, see xcall/format.h
 * @...: its arguments
 *
 * The message becomes one line (a newline is added when missing, a line
 * longer than PRINTK_LINE_MAX is cut) written to every console at once.
 *
 * Context: any, interrupts on or off; see the top of this file.
 */
void printk_level(int level, const char *fmt, ...) __printf(2, 3);

/**
 * vprintk_level() - printk_level() with a va_list
 * @level: LOGLEVEL_*
 * @fmt: format
 * @ap: its arguments
 *
 * Context: any, as printk_level().
 */
void vprintk_level(int level, const char *fmt, va_list ap);

#define pr_emerg(...)	printk_level(LOGLEVEL_EMERG, __VA_ARGS__)
#define pr_err(...)	printk_level(LOGLEVEL_ERR, __VA_ARGS__)
#define pr_warn(...)	printk_level(LOGLEVEL_WARNING, __VA_ARGS__)
#define pr_notice(...)	printk_level(LOGLEVEL_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk_level(LOGLEVEL_INFO, __VA_ARGS__)
#define pr_debug(...)	printk_level(LOGLEVEL_DEBUG, __VA_ARGS__)
#define printk(...)	printk_level(LOGLEVEL_INFO, __VA_ARGS__)

/**
 * printk_always() - print whatever the log level says
 * @fmt: format
 * @...: its arguments
 *
 * For reports a harness reads (KTAP, BENCH lines): they must not vanish
 * because someone asked for a quiet console.
 *
 * Context: any, as printk_level().
 */
void printk_always(const char *fmt, ...) __printf(1, 2);

/* What a console's status line says: how far the run is, or how it
 * ended. */
enum console_status_kind {
	CONSOLE_STATUS_PROGRESS,
	CONSOLE_STATUS_PASSED,
	CONSOLE_STATUS_FAILED,
};

/* Console drivers register a write function; printk calls each in turn
 * with the console lock held. A console that can keep one line apart
 * from the scrolling text (a screen's bottom row) also registers a status
 * function, called the same way; the serial line has none, and its log
 * stays as it was. */
struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	void (*status)(const char *s, size_t len, enum console_status_kind kind);
	struct console *next;
};

/* The longest status line; longer ones are cut. */
#define CONSOLE_STATUS_MAX	160

/**
 * console_status() - say on the status line how far the run is
 * @fmt: the line, printf-style: which suite and case, how many failed
 * @...: its arguments
 *
 * On a PC with no serial port the screen is all there is: this line stays
 * at its place while the text scrolls, so a long run shows it is alive.
 * Ignored once console_verdict() has said FAILED: that must stay.
 *
 * Context: any, as printk_level().
 */
void console_status(const char *fmt, ...) __printf(1, 2);

/**
 * console_verdict() - turn the status line into the run's verdict
 * @failed: whether anything failed
 *
 * The line becomes "PASSED" (green) or "FAILED" (red), followed by what
 * console_status() said last (the totals, or the panic's reason), and
 * stays on the screen. A FAILED verdict is final; a PASSED one gives way
 * to a later console_status() or a FAILED verdict (a panic after the end).
 *
 * Context: any, as printk_level().
 */
void console_verdict(bool failed);

/**
 * register_console() - add a console
 * @con: the console; ->write is then called for every line, with the
 *       console lock held and interrupts off
 *
 * Context: boot CPU, before the APs start: the list is extended without
 * the lock.
 */
void register_console(struct console *con);

/**
 * console_panic_mode() - stop honouring the console lock for good
 *
 * Called by panic: the CPU that panics may hold the lock, or another CPU
 * stopped while holding it. Called by the machine-check handler as its
 * first step: every CPU may be in it at once, one of them interrupted
 * while holding the lock, and the report must not wait on a holder that
 * will not run again.
 *
 * Context: the panicking CPU, after the others were stopped; or a CPU in
 * the machine-check handler.
 */
void console_panic_mode(void);

/**
 * console_trylock() - take the console lock, if it is free
 *
 * The holder's own lines still go out (printk does not wait on its own
 * CPU), other CPUs' wait for console_unlock(), up to printk's bound. For
 * keeping a report of several lines together, and for the tests of what
 * an NMI does to a CPU that holds the lock.
 *
 * Context: any CPU, interrupts on or off; keep it short: every other
 * CPU's printk waits.
 * Return: true when the lock was taken; false when another CPU holds it,
 * this CPU already does, or a panic has turned the lock off.
 */
bool console_trylock(void);

/**
 * console_unlock() - drop the console lock console_trylock() took
 *
 * Context: the CPU that took it; warns and does nothing on any other.
 */
void console_unlock(void);

/**
 * console_lock_timeouts() - how often a printk gave up waiting
 *
 * Each is a line written without the lock after the whole bounded wait:
 * a CPU stopped, or faulted, while holding it.
 *
 * Context: any.
 * Return: the count since boot.
 */
unsigned int console_lock_timeouts(void);

#endif /* XCALL_PRINTK_H */
