// SPDX-License-Identifier: MIT
/*
 * printk: format on the caller's stack, write to every console under one
 * lock. Owns the console list, the console lock (which knows its owner),
 * the log level and the status line's text (progress, then the verdict);
 * the drivers (serial, framebuffer) own their hardware and decide where a
 * status line goes.
 */
#include <xcall/atomic.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/string.h>

/*
 * The console lock is one word: CONSOLE_UNLOCKED, or the number of the
 * CPU holding it plus one. Holding and owning are then one atomic fact:
 * an NMI or a machine check that finds the word naming its own CPU knows
 * the holder is the code it interrupted, with no window between taking
 * the lock and recording who took it.
 */
#define CONSOLE_UNLOCKED	0u

static struct console *consoles;
static unsigned int console_lock_word = CONSOLE_UNLOCKED;
/* Bounded waits that ran out, for console_lock_timeouts(). */
static unsigned int nr_lock_timeouts;
static bool panic_mode;
static unsigned int console_loglevel = LOGLEVEL_DEFAULT;
/* The status line's text and kind; under the console lock. */
static char status_text[CONSOLE_STATUS_MAX];
static enum console_status_kind status_kind = CONSOLE_STATUS_PROGRESS;

DEFINE_OPTION_UINT(loglevel, console_loglevel, 0, LOGLEVEL_MAX,
		   "print messages below this level (0..8, default 7)");

/*
 * How long a printk waits for the lock before writing anyway. Counted in
 * pause iterations, not time, since printk runs before the TSC is known.
 * A console line takes well under this; reaching it means a CPU stopped
 * (or faulted) with the lock held.
 */
#define CONSOLE_LOCK_SPINS	(50u * 1000 * 1000)

void register_console(struct console *con)
{
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
}

void console_panic_mode(void)
{
	WRITE_ONCE(panic_mode, true);
}

static unsigned int console_lock_value(unsigned int cpu)
{
	return cpu + 1;
}

static bool __console_trylock(unsigned int me)
{
	unsigned int expected = CONSOLE_UNLOCKED;

	/* Test first, so waiters spin on a shared line, not on a locked
	 * cmpxchg; the cmpxchg is a full barrier, the acquire that pairs
	 * with the release in __console_unlock(). */
	return READ_ONCE(console_lock_word) == CONSOLE_UNLOCKED &&
	       try_cmpxchg(&console_lock_word, &expected, console_lock_value(me));
}

static void __console_unlock(void)
{
	/* Release: every console write above is done before the next
	 * holder's first. */
	smp_store_release(&console_lock_word, CONSOLE_UNLOCKED);
}

/*
 * Take the console lock with a bounded wait. No wait at all after a
 * panic, nor when the lock is this CPU's own: then an NMI or a machine
 * check interrupted this CPU's write (or the holder prints), and the lock
 * cannot come free before the handler returns. Waiting would only burn
 * the whole bound, about two seconds a line on real hardware; the line
 * goes out at once instead, in the middle of the interrupted one if need
 * be.
 * Return: whether it was taken, for console_unlock_bounded().
 */
static bool console_lock_bounded(void)
{
	unsigned int me = smp_processor_id();

	if (READ_ONCE(panic_mode) ||
	    READ_ONCE(console_lock_word) == console_lock_value(me))
		return false;
	for (unsigned int i = 0; i < CONSOLE_LOCK_SPINS; i++) {
		if (__console_trylock(me))
			return true;
		cpu_relax();
	}
	atomic_inc(&nr_lock_timeouts);
	return false;
}

static void console_unlock_bounded(bool locked)
{
	if (locked)
		__console_unlock();
}

bool console_trylock(void)
{
	return !READ_ONCE(panic_mode) && __console_trylock(smp_processor_id());
}

void console_unlock(void)
{
	if (!WARN_ON(READ_ONCE(console_lock_word) !=
		     console_lock_value(smp_processor_id())))
		__console_unlock();
}

unsigned int console_lock_timeouts(void)
{
	return atomic_read(&nr_lock_timeouts);
}

static void console_write(const char *s, size_t len)
{
	unsigned long flags;
	bool locked;

	local_irq_save(flags);
	locked = console_lock_bounded();
	for (struct console *con = consoles; con; con = con->next)
		con->write(s, len);
	console_unlock_bounded(locked);
	local_irq_restore(flags);
}

/* Show the status line on every console that has one. Lock held. */
static void status_show(const char *s, size_t len)
{
	for (struct console *con = consoles; con; con = con->next)
		if (con->status)
			con->status(s, len, status_kind);
}

void console_status(const char *fmt, ...)
{
	unsigned long flags;
	va_list ap;
	bool locked;

	local_irq_save(flags);
	locked = console_lock_bounded();
	if (status_kind != CONSOLE_STATUS_FAILED) {
		va_start(ap, fmt);
		vsnprintf(status_text, sizeof(status_text), fmt, ap);
		va_end(ap);
		status_kind = CONSOLE_STATUS_PROGRESS;
		status_show(status_text, strnlen(status_text, sizeof(status_text)));
	}
	console_unlock_bounded(locked);
	local_irq_restore(flags);
}

void console_verdict(bool failed)
{
	char line[CONSOLE_STATUS_MAX];
	unsigned long flags;
	bool locked;
	int n;

	local_irq_save(flags);
	locked = console_lock_bounded();
	if (status_kind != CONSOLE_STATUS_FAILED) {
		status_kind = failed ? CONSOLE_STATUS_FAILED : CONSOLE_STATUS_PASSED;
		n = snprintf(line, sizeof(line), "%s  %s", failed ? "FAILED" : "PASSED",
			     status_text);
		if (n > 0)
			status_show(line, strnlen(line, sizeof(line)));
	}
	console_unlock_bounded(locked);
	local_irq_restore(flags);
}

static void emit(const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	size_t len;

	if (n < 0)
		return;
	len = strnlen(line, sizeof(line) - 1);
	/* Every message is a line: a cut one, or one written without '\n',
	 * still ends before the next message starts. */
	if (len == 0 || line[len - 1] != '\n')
		line[len++] = '\n';
	console_write(line, len);
}

void vprintk_level(int level, const char *fmt, va_list ap)
{
	if (level >= (int)READ_ONCE(console_loglevel))
		return;
	emit(fmt, ap);
}

void printk_level(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_level(level, fmt, ap);
	va_end(ap);
}

void printk_always(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}
