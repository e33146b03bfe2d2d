// SPDX-License-Identifier: MIT
/*
 * Finding the ACPI tables and keeping what the kernel needs from them:
 * the MADT's processors and APIC address, the FADT's timer and flags, the
 * DMAR's x2APIC opt-out, the HPET. The
 * checks and the parsing are lib/acpi_tables.c's; this file decides where
 * to look and what to say when a table is refused.
 */
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/mm.h>
#include <xcall/printk.h>
#include <xcall/string.h>

/* BIOS areas where the RSDP may be (ACPI 6.5, 5.2.5.1). */
#define BDA_EBDA_SEGMENT	0x40e	/* a real-mode segment */
#define EBDA_SEARCH_LEN		1024
#define BIOS_ROM_START		0xe0000
#define BIOS_ROM_LEN		0x20000
#define LOW_MEMORY_END		0xa0000

static struct acpi_rsdp rsdp_copy;
static size_t rsdp_len;
static const char *rsdp_source;
/* The parsed tables, about 66 KiB: static, never on a stack. */
static struct acpi_tables tables;
/* The parsers' lines. The CPU plan prints them, with its own, once. */
static struct acpi_diag diag;

void acpi_find_rsdp(const struct mb2_info *mbi)
{
	const void *found = NULL;
	u32 ebda;

	if (mbi->rsdp) {
		rsdp_len = min(mbi->rsdp_len, sizeof(rsdp_copy));
		memcpy(&rsdp_copy, mbi->rsdp, rsdp_len);
		rsdp_source = mbi->rsdp_is_v2 ? "multiboot2 ACPI 2.0 tag" :
						"multiboot2 ACPI 1.0 tag";
		return;
	}
	/* Page 0 is still mapped here. */
	ebda = (u32)*(volatile u16 *)absolute_pointer(BDA_EBDA_SEGMENT) << 4;
	if (ebda && ebda + EBDA_SEARCH_LEN <= LOW_MEMORY_END)
		found = acpi_rsdp_scan((const void *)(unsigned long)ebda, EBDA_SEARCH_LEN);
	if (!found)
		found = acpi_rsdp_scan((const void *)BIOS_ROM_START, BIOS_ROM_LEN);
	if (found) {
		const struct acpi_rsdp *r = found;

		rsdp_len = r->revision >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
		memcpy(&rsdp_copy, found, rsdp_len);
		rsdp_source = "BIOS area scan";
	}
}

/* Tables are in RAM or firmware-reserved memory, both identity-mapped;
 * a range the page tables do not cover is refused, not faulted on. */
static const void *map_phys(void *ctx, u64 phys, size_t len)
{
	if (len == 0 || phys + len < phys)
		return NULL;
	for (u64 p = ALIGN_DOWN(phys, PAGE_SIZE); p < phys + len; p += PAGE_SIZE)
		if (!paging_is_mapped(p))
			return NULL;
	return (const void *)phys;
}

static const struct acpi_mem_ops mem = { .map = map_phys };

void acpi_init(void)
{
	struct acpi_found_tables found;
	struct acpi_root root;
	const char *why;

	if (!rsdp_source) {
		pr_warn("acpi: no RSDP found; running on the boot CPU only\n");
		return;
	}
	if (acpi_rsdp_check(&rsdp_copy, rsdp_len, &root, &why)) {
		pr_err("acpi: RSDP from %s refused: %s; running on the boot CPU only\n",
		       rsdp_source, why);
		return;
	}
	pr_info("acpi: RSDP from %s, revision %u, OEM '%s', %s at 0x%llx\n",
		rsdp_source, root.revision, root.oem_id, root.xsdt ? "XSDT" : "RSDT",
		(unsigned long long)root.address);

	/*
	 * One walk of the root table for the four tables: a broken root
	 * table or entry is reported once. The DMAR (VT-d) says whether
	 * firmware lets the OS use x2APIC and whether interrupts can be
	 * remapped; most AMD machines have none.
	 */
	acpi_find_tables(&mem, &root, &found, &diag);
	/* The same parsing as xcall-acpi's: a table its parser refuses is
	 * not there (an MADT shorter than its fixed part is no MADT, an
	 * HPET without an address earns a line). Nothing is printed here:
	 * the CPU plan prints these lines with its own, and says what a
	 * missing MADT means. */
	acpi_parse_tables(&found, &tables, &diag);
}

const struct acpi_diag *acpi_diag(void)
{
	return &diag;
}

const struct madt_info *acpi_madt(void)
{
	return tables.have_madt ? &tables.madt : NULL;
}

const struct fadt_info *acpi_fadt(void)
{
	return tables.have_fadt ? &tables.fadt : NULL;
}

const struct dmar_info *acpi_dmar(void)
{
	return tables.have_dmar ? &tables.dmar : NULL;
}

u16 acpi_pm_timer(bool *is32)
{
	*is32 = tables.fadt.pm_timer_32bit;
	return tables.fadt.pm_timer_port;
}

u64 acpi_hpet_address(void)
{
	return tables.have_hpet ? tables.hpet_address : 0;
}
