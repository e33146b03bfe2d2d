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
 * acpi_find_rsdp() - locate the RSDP and keep a copy of it
 * @mbi: the boot information
 *
 * Looks in the Multiboot2 tags (the ACPI 2.0 one first), else in the BIOS
 * areas (the EBDA's first KiB, then 0xe0000-0xfffff). Finding none is not
 * an error here: acpi_init() reports it.
 *
 * Context: boot CPU, before paging_init() (the EBDA pointer is in page 0,
 * which paging_init() unmaps).
 */
void acpi_find_rsdp(const struct mb2_info *mbi);

/**
 * acpi_init() - check the root table, parse the MADT, FADT, DMAR and HPET
 *
 * Every problem the checks and parsers find is kept in one struct
 * acpi_diag (acpi_diag()), not printed: the CPU plan prints those lines
 * with its own, once. Only a missing or refused RSDP is printed here,
 * since no plan can say more about it. Without a usable MADT the kernel
 * runs on the boot CPU alone.
 *
 * Context: boot CPU, after paging_init().
 */
void acpi_init(void);

/**
 * acpi_diag() - the lines the table checks and parsers left
 *
 * Context: any, after acpi_init(); read-only.
 * Return: the boot's diagnostics (empty when there was nothing to say).
 */
const struct acpi_diag *acpi_diag(void);

/**
 * acpi_madt() - the parsed MADT
 *
 * Context: any, after acpi_init().
 * Return: the MADT's contents, or NULL when there is no usable MADT.
 */
const struct madt_info *acpi_madt(void);

/**
 * acpi_fadt() - the parsed FADT
 *
 * Context: any, after acpi_init().
 * Return: its contents, or NULL when there is none.
 */
const struct fadt_info *acpi_fadt(void);

/**
 * acpi_dmar() - the parsed DMAR (Intel VT-d)
 *
 * Context: any, after acpi_init().
 * Return: its contents, or NULL when there is none.
 */
const struct dmar_info *acpi_dmar(void);

/**
 * acpi_pm_timer() - the ACPI PM timer, from the FADT
 * @is32: set to true when the timer counts 32 bits, false for 24
 *
 * Context: any, after acpi_init().
 * Return: the timer's I/O port, 0 when there is none.
 */
u16 acpi_pm_timer(bool *is32);

/**
 * acpi_hpet_address() - where the HPET is
 *
 * Context: any, after acpi_init().
 * Return: the HPET's MMIO base, 0 when there is none.
 */
u64 acpi_hpet_address(void);

#endif /* XCALL_ACPI_KERNEL_H */
