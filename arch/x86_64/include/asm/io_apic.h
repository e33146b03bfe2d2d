/* SPDX-License-Identifier: MIT */
/*
 * The I/O APICs (arch/x86_64/io_apic.c): masked at boot, since xcall
 * routes no device interrupt through them.
 */
#ifndef ASM_IO_APIC_H
#define ASM_IO_APIC_H

/**
 * io_apic_mask_all() - mask every redirection entry of every I/O APIC
 *
 * The I/O APICs are the MADT's; an entry whose address is not a device
 * (RAM by the memory map, or nothing answering) is reported and skipped.
 * SMI pins are the firmware's and stay as they are. Prints how many pins
 * were masked and how many the firmware had left open.
 *
 * Context: boot CPU, once, interrupts off, after acpi_init(), before the
 * other CPUs start (it maps the registers).
 */
void io_apic_mask_all(void);

#endif /* ASM_IO_APIC_H */
