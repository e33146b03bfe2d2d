// SPDX-License-Identifier: MIT
/*
 * printk: format on the caller's stack, write to every console under one
 * lock. Owns the console list, the console lock and the log level; the
 * drivers (serial, framebuffer) own their hardware.
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

static void console_write(const char *s, size_t len)
{
	unsigned long flags;
	bool locked = false;

	local_irq_save(flags);
	if (!READ_ONCE(panic_mode)) {
		for (unsigned int i = 0; i < CONSOLE_LOCK_SPINS; i++) {
			if (spin_trylock(&console_lock)) {
				locked = true;
				break;
			}
			cpu_relax();
		}
	}
	for (struct console *con = consoles; con; con = con->next)
		con->write(s, len);
	if (locked)
		spin_unlock(&console_lock);
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
