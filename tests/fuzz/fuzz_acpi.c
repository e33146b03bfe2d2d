// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ACPI parsers and the CPU plan: the MADT, FADT,
 * HPET and DMAR parsers (lib/acpi_tables.c), cpu_plan_make() and both
 * printers (arch/x86_64/cpu_plan.c), built with clang's
 * -fsanitize=fuzzer,address,undefined (tests/fuzz/fuzz.mk, make fuzz).
 *
 * An input is tables back to back, as the seeds are (each machine of the
 * linuxhw corpus: its APIC, FACP, HPET and DMAR concatenated): each table
 * takes its header's Length, or what is left, in its own exact-size
 * allocation, so ASan sees a one-byte over-read. The signature picks the
 * parser; the first good table of each signature counts, as in the kernel,
 * and all go through acpi_parse_tables(). The last byte of the input picks
 * the machine facts, so every APIC mode rule is reached.
 *
 * Besides the sanitizers, it aborts (a finding) when the plan breaks a
 * promise: a CPU listed twice or numbered out of order, more CPUs than
 * the limit, a printed line cut, a diag line or warning cut to fit, more
 * warnings stored than counted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <asm/cpu_plan.h>
#include <xcall/acpi.h>

#define HDR_LEN		sizeof(struct acpi_table_header)
/* More tables than a machine's four only repeat the work. */
#define MAX_TABLES	8

/* Facts from the input's last byte. */
#define FACT_FIRMWARE_X2APIC	(1u << 0)
#define FACT_HYPERVISOR		(1u << 1)
#define FACT_NO_CPU_X2APIC	(1u << 2)
#define FACT_NOX2APIC		(1u << 3)
#define FACT_SMALL_LIMIT	(1u << 4)
#define FACT_BOOT_FROM_TABLE	(1u << 5)
#define SMALL_LIMIT		2

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct acpi_tables parsed;
static struct acpi_diag diag;
static struct cpu_plan plan;

static void check_line(void *ctx, const char *line)
{
	bool json_string = *(bool *)ctx && strncmp(line, "    \"", 5) == 0;

	/* A line as long as the buffer would have been cut. */
	if (!json_string && strlen(line) >= CPU_PLAN_LINE_LEN - 1)
		abort();
}

static void check_plan(void)
{
	unsigned int counted = 0;

	if (plan.nr_cpus > plan.facts.cpu_limit && plan.nr_cpus > 1)
		abort();
	for (unsigned int i = 0; i < plan.nr_cpus; i++) {
		if (plan.cpus[i].cpu != i)
			abort();
		for (unsigned int j = 0; j < i; j++)
			if (plan.cpus[j].apic_id == plan.cpus[i].apic_id)
				abort();
	}
	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		counted += plan.warnings_by_kind[k];
	if (plan.nr_warnings + plan.warnings_dropped > counted ||
	    plan.nr_warnings > CPU_PLAN_MAX_WARNINGS)
		abort();
	/* Every diag and warning format is bounded below its buffer: a
	 * line cut to fit (ending in ACPI_DIAG_CUT_MARK) is a finding. */
	if (diag.cut || plan.warnings_cut)
		abort();
}

/* Keep @t as the table of its signature, the first good one winning, as
 * the kernel's root-table walk does. */
static void find_one(const uint8_t *t, size_t len, struct acpi_found_tables *found)
{
	const struct acpi_table_header *h = (const void *)t;

	if (acpi_table_check(t, len, NULL, NULL) != 0)
		return;
	if (!acpi_table_checksum_ok(t))
		acpi_diag_add(&diag, ACPI_WARN_CHECKSUM, "%.4s: bad checksum", h->signature);
	if (!memcmp(h->signature, ACPI_SIG_MADT, 4) && !found->madt)
		found->madt = (const void *)t;
	else if (!memcmp(h->signature, ACPI_SIG_FADT, 4) && !found->fadt)
		found->fadt = h;
	else if (!memcmp(h->signature, ACPI_SIG_DMAR, 4) && !found->dmar)
		found->dmar = h;
	else if (!memcmp(h->signature, ACPI_SIG_HPET, 4) && !found->hpet)
		found->hpet = h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpu_plan_tables tables = { .diag = &diag };
	struct acpi_found_tables found = { 0 };
	struct cpu_plan_facts facts;
	unsigned int bits = size ? data[size - 1] : 0;
	uint8_t *copies[MAX_TABLES] = { 0 };
	size_t off = 0, n = 0;
	bool json = false;

	memset(&diag, 0, sizeof(diag));
	while (n < MAX_TABLES && size - off >= HDR_LEN) {
		u32 length;
		size_t len;

		memcpy(&length, data + off + offsetof(struct acpi_table_header, length),
		       sizeof(length));
		len = length < HDR_LEN ? HDR_LEN : length;
		if (len > size - off)
			len = size - off;
		copies[n] = malloc(len);
		if (!copies[n])
			break;
		memcpy(copies[n], data + off, len);
		find_one(copies[n], len, &found);
		off += len;
		n++;
	}
	/* The kernel's and the tool's parsing of what was found. */
	acpi_parse_tables(&found, &parsed, &diag);
	tables.madt = parsed.have_madt ? &parsed.madt : NULL;
	tables.fadt = parsed.have_fadt ? &parsed.fadt : NULL;
	tables.dmar = parsed.have_dmar ? &parsed.dmar : NULL;
	tables.have_hpet = parsed.have_hpet;
	tables.hpet_address = parsed.hpet_address;

	cpu_plan_default_facts(&facts);
	facts.firmware_x2apic = bits & FACT_FIRMWARE_X2APIC;
	facts.hypervisor = bits & FACT_HYPERVISOR;
	facts.cpu_has_x2apic = !(bits & FACT_NO_CPU_X2APIC);
	facts.nox2apic = bits & FACT_NOX2APIC;
	if (bits & FACT_SMALL_LIMIT)
		facts.cpu_limit = SMALL_LIMIT;
	/* The kernel's case: a known boot CPU, maybe not the first. */
	if ((bits & FACT_BOOT_FROM_TABLE) && tables.madt && tables.madt->nr_cpus)
		facts.boot_apic_id = tables.madt->cpus[tables.madt->nr_cpus - 1].apic_id;

	if (cpu_plan_make(&plan, &tables, &facts) != 0)
		abort();
	check_plan();
	cpu_plan_print(&plan, check_line, &json);
	json = true;
	cpu_plan_print_json(&plan, check_line, &json);

	while (n)
		free(copies[--n]);
	return 0;
}
