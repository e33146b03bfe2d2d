/* SPDX-License-Identifier: MIT */
/*
 * The 16550 UART on COM1 (arch/x86_64/serial.c), whose registers
 * boot/head.S also uses to report a failure before C runs.
 */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#define COM1_BASE		0x3f8

/* Register offsets (National Semiconductor PC16550D data sheet). */
#define UART_THR		0	/* transmit holding (DLAB = 0) */
#define UART_DLL		0	/* divisor latch low (DLAB = 1) */
#define UART_IER		1	/* interrupt enable (DLAB = 0) */
#define UART_DLM		1	/* divisor latch high (DLAB = 1) */
#define UART_FCR		2	/* FIFO control */
#define UART_LCR		3	/* line control */
#define UART_MCR		4	/* modem control */
#define UART_LSR		5	/* line status */
#define UART_SCR		7	/* scratch */

#define UART_LCR_8N1		0x03
#define UART_LCR_DLAB		0x80
#define UART_FCR_ENABLE_CLEAR	0x07	/* enable, clear RX and TX FIFOs */
#define UART_MCR_DTR_RTS_OUT2	0x0b
#define UART_LSR_THRE		0x20	/* transmit holding register empty */

/* The UART's clock is 1.8432 MHz / 16: divisor 1 gives 115200 baud. */
#define UART_DIVISOR_115200	1

#ifndef __ASSEMBLY__
/**
 * serial_init() - set up COM1 and register it as a console
 *
 * 115200 8N1. A machine without a UART at COM1 (its scratch register
 * does not hold a value) gets no serial console, silently: there is
 * nowhere to say so yet.
 *
 * Context: boot CPU, once, before the first printk that should show.
 */
void serial_init(void);
#endif

#endif /* ASM_SERIAL_H */
