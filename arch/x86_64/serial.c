// SPDX-License-Identifier: MIT
/*
 * The 16550 UART on COM1 as a console: 115200 baud, 8N1, FIFO on,
 * interrupts off (the console polls). Owns the UART's registers; printk
 * owns the locking.
 */
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/serial.h>
#include <xcall/printk.h>

/*
 * At 115200 baud a character takes about 87 us; a transmitter that stays
 * busy for this many polls is not there (or is broken), and the console
 * gives up on it instead of hanging the kernel.
 */
#define UART_TX_POLLS		1000000u
#define UART_SCRATCH_PATTERN	0x5a

static bool uart_present;

static void serial_putc(char c)
{
	for (unsigned int i = 0; i < UART_TX_POLLS; i++) {
		if (inb(COM1_BASE + UART_LSR) & UART_LSR_THRE) {
			outb(COM1_BASE + UART_THR, (u8)c);
			return;
		}
		cpu_relax();
	}
	uart_present = false;
}

static void serial_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len && uart_present; i++) {
		/* Terminals want CR LF. */
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
};

void serial_init(void)
{
	/* A missing UART reads as 0xff everywhere: the scratch register
	 * tells. */
	outb(COM1_BASE + UART_SCR, UART_SCRATCH_PATTERN);
	if (inb(COM1_BASE + UART_SCR) != UART_SCRATCH_PATTERN)
		return;

	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, UART_LCR_DLAB);
	outb(COM1_BASE + UART_DLL, UART_DIVISOR_115200 & 0xff);
	outb(COM1_BASE + UART_DLM, UART_DIVISOR_115200 >> 8);
	outb(COM1_BASE + UART_LCR, UART_LCR_8N1);
	outb(COM1_BASE + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(COM1_BASE + UART_MCR, UART_MCR_DTR_RTS_OUT2);
	uart_present = true;
	register_console(&serial_console);
}
