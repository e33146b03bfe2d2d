// SPDX-License-Identifier: MIT
/*
 * printk: format on the caller's stack, write to every console under one
 * lock. Owns the console list, the console lock, the log level and the
 * status line's text (progress, then the verdict); the drivers (serial,
 * framebuffer) own their hardware and decide where a status line goes.
 */
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/spinlock.h>
#include <xcall/string.h>

static struct console *consoles;
static spinlock_t console_lock = SPINLOCK_INIT;
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

/* Take the console lock with a bounded wait (none after a panic).
 * Return: whether it was taken, for console_unlock_bounded(). */
static bool console_lock_bounded(void)
{
	if (READ_ONCE(panic_mode))
		return false;
	for (unsigned int i = 0; i < CONSOLE_LOCK_SPINS; i++) {
		if (spin_trylock(&console_lock))
			return true;
		cpu_relax();
	}
	return false;
}

static void console_unlock_bounded(bool locked)
{
	if (locked)
		spin_unlock(&console_lock);
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
