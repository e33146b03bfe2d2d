/* SPDX-License-Identifier: MIT */
/*
 * The kernel's view of ACPI (kernel/acpi.c): find the tables once, keep
 * what the rest of the kernel asks for. The parsers are lib/acpi_tables.c.
 */
#ifndef XCALL_ACPI_KERNEL_H
#define XCALL_ACPI_KERNEL_H

#include <xcall/acpi.h>
#include <xcall/multiboot2.h>

/**
 * acpi_find_rsdp() - locate the RSDP: the Multiboot2 tags (the ACPI 2.0
 * one first), else the BIOS areas (the EBDA's first KiB, 0xe0000-0xfffff)
 *
 * Context: boot CPU, before paging_init() (the EBDA pointer is in page 0,
 * which paging_init() unmaps).
 */
void acpi_find_rsdp(const struct mb2_info *mbi);

/**
 * acpi_init() - check the root table, parse the MADT, FADT and HPET
 *
 * Prints every table the parsers refused. Without a usable MADT the
 * kernel runs on the boot CPU alone.
 * Context: boot CPU, after paging_init().
 */
void acpi_init(void);

/** acpi_madt() - the parsed MADT, or NULL when there is none. */
const struct madt_info *acpi_madt(void);

/** acpi_pm_timer() - the PM timer port (0: none) and its width. */
u16 acpi_pm_timer(bool *is32);

/** acpi_hpet_address() - the HPET's MMIO base, 0 when none. */
u64 acpi_hpet_address(void);

#endif /* XCALL_ACPI_KERNEL_H */
