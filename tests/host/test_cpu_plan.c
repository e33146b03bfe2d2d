// SPDX-License-Identifier: MIT
/*
 * Host tests for the CPU plan (arch/x86_64/cpu_plan.c): numbering, every
 * reason an entry is left out, every APIC mode rule, the NMI wiring, the
 * warnings, and both printers. The parsed tables are written by hand here
 * (struct madt_info and friends), so each case states exactly what the
 * plan is given; test_acpi_hostile.c and acpi_corpus.py feed it real
 * tables through the parsers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/cpu_plan.h>
#include <xcall/errno.h>

#include "check.h"

#define LAPIC_DEFAULT	0xfee00000u
#define HPET_MMIO	0xfed00000ull
#define PM_TMR_PORT	0x408
/* The MADT revision of ACPI 6.3, whose FADT the fake machines have. */
#define MADT_REV_ACPI_6_3	5

/* The parsed tables of one fake machine. */
struct machine {
	struct madt_info madt;
	struct fadt_info fadt;
	struct dmar_info dmar;
	struct acpi_diag diag;
	struct cpu_plan_tables tables;
	struct cpu_plan_facts facts;
	struct cpu_plan plan;
	u32 next_off;		/* fake table offsets, in entry order */
};

/* Big structs: on the heap, zeroed, with MADT, FADT and HPET in place
 * and the tool's default facts. */
static struct machine *new_machine(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->madt.lapic_address = LAPIC_DEFAULT;
	m->madt.revision = MADT_REV_ACPI_6_3;
	m->madt.online_capable_defined = true;
	m->fadt.revision = ACPI_FADT_MAJOR_ONLINE_CAPABLE;
	m->fadt.minor_revision = ACPI_FADT_MINOR_ONLINE_CAPABLE;
	m->fadt.pm_timer_port = PM_TMR_PORT;
	m->fadt.legacy_devices = ACPI_YES;
	m->fadt.i8042 = ACPI_YES;
	m->tables.madt = &m->madt;
	m->tables.fadt = &m->fadt;
	m->tables.have_hpet = true;
	m->tables.hpet_address = HPET_MMIO;
	m->tables.diag = &m->diag;
	m->next_off = sizeof(struct acpi_madt);
	cpu_plan_default_facts(&m->facts);
	return m;
}

static void cpu(struct machine *m, u32 id, u32 uid, bool enabled, bool oc, bool x2)
{
	struct madt_cpu *c = &m->madt.cpus[m->madt.nr_cpus++];

	c->apic_id = id;
	c->processor_uid = uid;
	c->enabled = enabled;
	c->online_capable = oc;
	c->from_x2apic_entry = x2;
	c->offset = m->next_off;
	m->next_off += x2 ? sizeof(struct acpi_madt_x2apic) : sizeof(struct acpi_madt_lapic);
}

static void skipped(struct machine *m, u32 id, u32 uid, bool x2, enum madt_skip_reason r)
{
	struct madt_skipped *s = &m->madt.skipped[m->madt.nr_skipped++];

	s->apic_id = id;
	s->processor_uid = uid;
	s->from_x2apic_entry = x2;
	s->reason = r;
	s->enabled = r != MADT_SKIP_PLACEHOLDER;
	s->offset = m->next_off;
	m->next_off += x2 ? sizeof(struct acpi_madt_x2apic) : sizeof(struct acpi_madt_lapic);
}

static void nmi(struct machine *m, u32 uid, u8 lint)
{
	struct madt_nmi *n = &m->madt.nmis[m->madt.nr_nmis++];

	n->processor_uid = uid;
	n->lint = lint;
	n->flags = 5;
}

static int make(struct machine *m)
{
	return cpu_plan_make(&m->plan, &m->tables, &m->facts);
}

/* The APIC IDs of the plan's CPUs, as "0 2 1 3". */
static const char *ids(const struct cpu_plan *p)
{
	static char buf[1024];
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < p->nr_cpus && at < sizeof(buf) - 12; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%u", i ? " " : "",
				       p->cpus[i].apic_id);
	return buf;
}

/* The reasons of the left-out entries, as "placeholder duplicate". */
static const char *reasons(const struct cpu_plan *p)
{
	static char buf[1024];
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < p->nr_skipped && at < sizeof(buf) - 20; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", i ? " " : "",
				       cpu_plan_skip_name(p->skipped[i].reason));
	return buf;
}

/* ---- Capturing printed lines ----------------------------------------- */

struct capture {
	char *text;
	size_t len, cap;
	unsigned int lines;
};

static void capture_line(void *ctx, const char *line)
{
	struct capture *c = ctx;
	size_t n = strlen(line);

	if (c->len + n + 2 > c->cap) {
		c->cap = (c->len + n + 2) * 2;
		c->text = realloc(c->text, c->cap);
		if (!c->text)
			abort();
	}
	memcpy(c->text + c->len, line, n);
	c->len += n;
	c->text[c->len++] = '\n';
	c->text[c->len] = '\0';
	c->lines++;
}

static bool has(const struct capture *c, const char *needle)
{
	return c->text && strstr(c->text, needle);
}

/* ---- Numbering and reasons ------------------------------------------- */

static void boot_cpu_first_then_table_order(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 1, true, false, false);
	cpu(m, 2, 2, true, false, false);
	cpu(m, 4, 3, true, false, false);
	cpu(m, 6, 4, true, false, false);
	/* The kernel knows its boot CPU: APIC ID 4, third in the table. */
	m->facts.boot_apic_id = 4;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "4 0 2 6");
	KTEST_EXPECT_TRUE(t, m->plan.boot_listed);
	KTEST_EXPECT_EQ(t, m->plan.cpus[0].uid, 3);
	for (unsigned int i = 0; i < m->plan.nr_cpus; i++)
		KTEST_EXPECT_EQ(t, m->plan.cpus[i].cpu, i);
	KTEST_EXPECT_EQ(t, m->plan.nr_skipped, 0);
	KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 0);
	free(m);
}

static void tool_boot_cpu_is_first_enabled_entry(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 0, false, false, false);
	cpu(m, 8, 1, true, false, false);
	cpu(m, 9, 2, true, false, false);
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_TRUE(t, m->plan.boot_known);
	KTEST_EXPECT_EQ(t, m->plan.facts.boot_apic_id, 8);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "8 9");
	KTEST_EXPECT_STREQ(t, reasons(&m->plan), "disabled");
	free(m);
}

static void every_entry_left_out_has_its_reason_in_table_order(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 0, true, false, false);
	skipped(m, 0xff, 9, false, MADT_SKIP_PLACEHOLDER);
	cpu(m, 1, 1, false, true, false);		/* online capable */
	cpu(m, 2, 2, false, false, false);		/* disabled */
	skipped(m, 2, 12, false, MADT_SKIP_DUPLICATE);
	cpu(m, 3, 3, true, false, false);
	skipped(m, 0, 20, true, MADT_SKIP_X2APIC_LOW_ID);
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 3");
	KTEST_EXPECT_STREQ(t, reasons(&m->plan),
		     "placeholder online_capable disabled duplicate x2apic_low_id");
	KTEST_EXPECT_EQ(t, m->plan.skipped[0].uid, 9);
	KTEST_EXPECT_EQ(t, m->plan.skipped[4].entry, CPU_PLAN_ENTRY_X2APIC);
	KTEST_EXPECT_EQ(t, m->plan.skipped_by_reason[CPU_PLAN_SKIP_DISABLED], 1);
	KTEST_EXPECT_EQ(t, m->plan.skipped_by_reason[CPU_PLAN_SKIP_ONLINE_CAPABLE], 1);
	free(m);
}

/*
 * An x2APIC entry below 255 beside Local APIC entries is a shadow when an
 * enabled Local APIC entry has its ID (its CPU runs), and a lone entry
 * otherwise: ignored as Linux ignores it, and when enabled, a CPU that
 * runs nothing and keeps the all-but-self shorthand off.
 */
static void x2apic_low_ids_shadow_or_lone(struct ktest *t)
{
	struct machine *m = new_machine();
	struct capture c = { 0 };

	cpu(m, 0, 0, true, false, false);
	cpu(m, 1, 1, true, false, false);
	skipped(m, 1, 11, true, MADT_SKIP_X2APIC_SHADOW);
	skipped(m, 5, 15, true, MADT_SKIP_X2APIC_LOW_ID);
	skipped(m, 6, 16, true, MADT_SKIP_X2APIC_LOW_ID);
	m->madt.skipped[m->madt.nr_skipped - 1].enabled = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 1");
	KTEST_EXPECT_STREQ(t, reasons(&m->plan), "x2apic_shadow x2apic_low_id x2apic_low_id");
	KTEST_EXPECT_TRUE(t, m->plan.skipped[1].enabled);
	KTEST_EXPECT_FALSE(t, m->plan.skipped[2].enabled);
	/* Only the enabled lone entry is a CPU nobody starts. */
	KTEST_EXPECT_EQ(t, m->plan.nr_enabled_left_out, 1);
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE], 1);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[0].msg,
			   "1 enabled x2APIC entry below ID 255 with no Local APIC entry: not started, as in Linux");
	cpu_plan_print(&m->plan, capture_line, &c);
	KTEST_EXPECT_TRUE(t, has(&c, "  left out: 1 x2APIC entries below ID 255 repeating enabled Local APIC entries, the same CPUs (ACPI 6.5, 5.2.12.12)\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "  left out: APIC ID 5, UID 15, x2APIC entry: below ID 255 beside Local APIC entries, none of its ID: ignored, as Linux does (ACPI 6.5, 5.2.12.12)\n"));
	KTEST_EXPECT_FALSE(t, has(&c, "APIC ID 1, UID 11"));
	free(c.text);

	/* Over the limit and unreachable CPUs count too; shadows, duplicates
	 * and disabled entries do not. */
	m->madt.nr_skipped = 0;
	skipped(m, 1, 11, true, MADT_SKIP_DUPLICATE);
	cpu(m, 2, 2, true, false, false);
	cpu(m, 3, 3, false, false, false);
	cpu(m, 0x100, 4, true, false, true);
	m->facts.cpu_limit = 2;
	m->facts.cpu_has_x2apic = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, reasons(&m->plan), "duplicate over_limit disabled unreachable");
	KTEST_EXPECT_EQ(t, m->plan.nr_enabled_left_out, 2);
	free(m);
}

static void cpu_limit_leaves_out_the_rest(struct ktest *t)
{
	struct machine *m = new_machine();

	for (u32 i = 0; i < 6; i++)
		cpu(m, i, i, true, false, false);
	m->facts.cpu_limit = 4;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 1 2 3");
	KTEST_EXPECT_STREQ(t, reasons(&m->plan), "over_limit over_limit");

	/* maxcpus=1: the boot CPU alone, wherever it is in the table. */
	m->facts.cpu_limit = 1;
	m->facts.boot_apic_id = 5;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "5");
	KTEST_EXPECT_EQ(t, m->plan.skipped_by_reason[CPU_PLAN_SKIP_OVER_LIMIT], 5);

	/* A limit beyond the arrays is clamped to them. */
	m->facts.cpu_limit = CPU_PLAN_MAX_CPUS + 100;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.facts.cpu_limit, CPU_PLAN_MAX_CPUS);
	KTEST_EXPECT_EQ(t, m->plan.nr_cpus, 6);
	free(m);
}

static void bad_arguments_refused(struct ktest *t)
{
	struct machine *m = new_machine();

	KTEST_EXPECT_EQ(t, cpu_plan_make(NULL, &m->tables, &m->facts), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_plan_make(&m->plan, NULL, &m->facts), -EINVAL);
	KTEST_EXPECT_EQ(t, cpu_plan_make(&m->plan, &m->tables, NULL), -EINVAL);
	m->facts.cpu_limit = 0;
	KTEST_EXPECT_EQ(t, make(m), -EINVAL);
	free(m);
}

static void boot_cpu_missing_from_madt_runs_with_warning(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 1, 1, true, false, false);
	cpu(m, 2, 2, true, false, false);
	m->facts.boot_apic_id = 0;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 1 2");
	KTEST_EXPECT_TRUE(t, !m->plan.boot_listed);
	KTEST_EXPECT_EQ(t, m->plan.cpus[0].entry, CPU_PLAN_ENTRY_NONE);
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE], 1);
	KTEST_EXPECT_TRUE(t, strstr(m->plan.warnings[0].msg, "boot CPU (APIC ID 0) is not in the MADT"));

	/* Listed but disabled: it runs anyway, with a warning. */
	m->madt.cpus[0].enabled = false;
	m->facts.boot_apic_id = 1;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "1 2");
	KTEST_EXPECT_TRUE(t, strstr(m->plan.warnings[0].msg, "not marked enabled"));
	free(m);

	/* A disabled entry with the boot CPU's ID before its enabled one
	 * (as absent cores written as APIC ID 0): the enabled one is the
	 * boot CPU's, and the boot CPU is started once. */
	m = new_machine();
	cpu(m, 0, 7, false, false, false);
	cpu(m, 0, 1, true, false, false);
	cpu(m, 2, 2, true, false, false);
	m->facts.boot_apic_id = 0;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 2");
	KTEST_EXPECT_EQ(t, m->plan.cpus[0].uid, 1);
	KTEST_EXPECT_STREQ(t, reasons(&m->plan), "disabled");
	KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 0);
	/* The enabled one listed first: the same. */
	m->madt.cpus[0].enabled = true;
	m->madt.cpus[1].enabled = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 2");
	KTEST_EXPECT_EQ(t, m->plan.cpus[0].uid, 7);
	free(m);
}

/* Does the plan's first printed line say @want? */
static bool summary_says(const struct cpu_plan *p, const char *want)
{
	struct capture c = { 0 };
	bool ok;

	cpu_plan_print(p, capture_line, &c);
	ok = c.text && strncmp(c.text, want, strlen(want)) == 0;
	if (!ok)
		printf("    # summary: %.*s", c.text ? (int)(strchr(c.text, '\n') - c.text + 1) : 0,
		       c.text ? c.text : "");
	free(c.text);
	return ok;
}

static void no_madt_means_boot_cpu_alone(struct ktest *t)
{
	struct machine *m = new_machine();

	m->tables.madt = NULL;
	KTEST_EXPECT_EQ(t, make(m), 0);
	/* The tool does not know the boot CPU: no CPU listed at all, but
	 * the summary says what the warning says, and what the kernel does:
	 * the boot CPU runs. */
	KTEST_EXPECT_EQ(t, m->plan.nr_cpus, 0);
	KTEST_EXPECT_TRUE(t, !m->plan.boot_known);
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_TABLE], 1);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[0].msg,
			   "no usable MADT: xcall would run the boot CPU alone");
	KTEST_EXPECT_TRUE(t, summary_says(&m->plan,
		"xcall would run the boot CPU alone (APIC ID not known here) in xAPIC mode; 0 entries left out; 1 warning\n"));
	/* The kernel does know it. */
	m->facts.boot_apic_id = 3;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "3");
	KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_XAPIC);
	KTEST_EXPECT_TRUE(t, summary_says(&m->plan, "xcall would run 1 CPU in xAPIC mode;"));

	/* A table without an enabled processor. */
	m->tables.madt = &m->madt;
	m->facts.boot_apic_id = CPU_PLAN_BOOT_FIRST_ENABLED;
	cpu(m, 1, 1, false, false, false);
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.nr_cpus, 0);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[0].msg,
			   "the MADT lists no enabled processor: xcall would run the boot CPU alone");
	KTEST_EXPECT_TRUE(t, summary_says(&m->plan, "xcall would run the boot CPU alone"));
	free(m);
}

/* ---- The APIC mode -------------------------------------------------- */

/* A machine with one CPU above ID 254 when @big. */
static struct machine *mode_machine(bool big)
{
	struct machine *m = new_machine();

	cpu(m, 0, 0, true, false, false);
	cpu(m, 1, 1, true, false, false);
	if (big)
		cpu(m, 0x100, 2, true, false, true);
	return m;
}

static void mode_keeps_firmware_xapic_when_nothing_asks(struct ktest *t)
{
	struct machine *m = mode_machine(false);

	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_XAPIC);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_FIRMWARE_XAPIC);
	free(m);
}

static void mode_x2apic_for_id_above_254_or_hypervisor(struct ktest *t)
{
	struct machine *m = mode_machine(true);

	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_X2APIC);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_ID_ABOVE_254);
	KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 1 256");
	KTEST_EXPECT_EQ(t, m->plan.max_apic_id, 0x100);
	free(m);

	m = mode_machine(false);
	m->facts.hypervisor = true;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_X2APIC);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_HYPERVISOR);

	/* A disabled CPU above 254 asks for nothing. */
	cpu(m, 0x200, 9, false, false, true);
	m->facts.hypervisor = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_FIRMWARE_XAPIC);
	free(m);
}

static void mode_xapic_leaves_high_ids_unreachable(struct ktest *t)
{
	static const struct {
		bool cpu_x2apic, nox2apic, opt_out, hypervisor;
		enum cpu_plan_mode_reason why;
	} cases[] = {
		/* A hypervisor loses to the first two... */
		{ false, false, false, true, CPU_PLAN_MODE_NO_CPU_X2APIC },
		{ true, true, false, true, CPU_PLAN_MODE_NOX2APIC },
		/* ...but not to the DMAR (mode_dmar_opt_out_...). */
		{ true, false, true, false, CPU_PLAN_MODE_DMAR_OPT_OUT },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct machine *m = mode_machine(true);

		m->facts.cpu_has_x2apic = cases[i].cpu_x2apic;
		m->facts.nox2apic = cases[i].nox2apic;
		m->facts.hypervisor = cases[i].hypervisor;
		m->dmar.x2apic_opt_out = cases[i].opt_out;
		m->dmar.intr_remap = true;
		m->tables.dmar = &m->dmar;
		KTEST_EXPECT_EQ(t, make(m), 0);
		KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_XAPIC);
		KTEST_EXPECT_EQ(t, m->plan.mode_reason, cases[i].why);
		KTEST_EXPECT_STREQ(t, ids(&m->plan), "0 1");
		KTEST_EXPECT_STREQ(t, reasons(&m->plan), "unreachable");
		free(m);
	}
}

/* xcall's policy keeps firmware's x2APIC; what it overrules, it says. */
static void mode_firmware_x2apic_wins_over_everything(struct ktest *t)
{
	struct machine *m = mode_machine(false);
	struct capture c = { 0 };

	m->facts.firmware_x2apic = true;
	m->facts.nox2apic = true;
	m->dmar.x2apic_opt_out = true;
	m->dmar.intr_remap = true;
	m->tables.dmar = &m->dmar;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.apic_mode, CPU_PLAN_X2APIC);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_FIRMWARE_X2APIC);
	/* Both requests overruled, each said. */
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE], 2);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[0].msg,
			   "nox2apic asks for xAPIC, but firmware handed over x2APIC: kept, as xcall keeps it");
	KTEST_EXPECT_STREQ(t, m->plan.warnings[1].msg,
			   "the DMAR opts out of x2APIC, but firmware handed over x2APIC: kept, as xcall keeps it");
	cpu_plan_print(&m->plan, capture_line, &c);
	KTEST_EXPECT_TRUE(t, has(&c, "APIC mode: x2APIC, because firmware handed over x2APIC mode, and xcall keeps firmware's mode (it may be locked there or needed for IDs above 254)\n"));
	KTEST_EXPECT_FALSE(t, has(&c, "reset"));
	free(c.text);

	/* Nothing asked otherwise: nothing to say. */
	m->facts.nox2apic = false;
	m->tables.dmar = NULL;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.mode_reason, CPU_PLAN_MODE_FIRMWARE_X2APIC);
	KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 0);
	free(m);
}

/*
 * The DMAR's X2APIC_OPT_OUT is valid only with INTR_REMAP (VT-d 4.1,
 * 8.1), and Linux takes x2APIC under a hypervisor whatever the DMAR says:
 * each time the flag is set and not followed, a warning says why.
 */
static void mode_dmar_opt_out_needs_intr_remap_and_bare_metal(struct ktest *t)
{
	static const struct {
		bool big, intr_remap, hypervisor;
		u8 mode;
		enum cpu_plan_mode_reason why;
		const char *warning;	/* NULL: none */
	} cases[] = {
		{ true, false, false, CPU_PLAN_X2APIC, CPU_PLAN_MODE_ID_ABOVE_254,
		  "the DMAR sets X2APIC_OPT_OUT without INTR_REMAP: not valid then (VT-d 8.1), ignored" },
		{ false, false, false, CPU_PLAN_XAPIC, CPU_PLAN_MODE_FIRMWARE_XAPIC,
		  "X2APIC_OPT_OUT without INTR_REMAP" },
		{ false, true, true, CPU_PLAN_X2APIC, CPU_PLAN_MODE_HYPERVISOR,
		  "the DMAR opts out of x2APIC; under a hypervisor x2APIC is used anyway, as Linux does" },
		{ true, true, true, CPU_PLAN_X2APIC, CPU_PLAN_MODE_ID_ABOVE_254,
		  "under a hypervisor x2APIC is used anyway" },
		{ true, true, false, CPU_PLAN_XAPIC, CPU_PLAN_MODE_DMAR_OPT_OUT, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct machine *m = mode_machine(cases[i].big);

		m->facts.hypervisor = cases[i].hypervisor;
		m->dmar.x2apic_opt_out = true;
		m->dmar.intr_remap = cases[i].intr_remap;
		m->tables.dmar = &m->dmar;
		KTEST_EXPECT_EQ(t, make(m), 0);
		KTEST_EXPECT_EQ(t, m->plan.apic_mode, cases[i].mode);
		KTEST_EXPECT_EQ(t, m->plan.mode_reason, cases[i].why);
		KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE],
				cases[i].warning ? 1 : 0);
		if (cases[i].warning)
			KTEST_EXPECT_TRUE(t, m->plan.nr_warnings == 1 &&
					  strstr(m->plan.warnings[0].msg, cases[i].warning));
		KTEST_EXPECT_EQ(t, m->plan.warnings_cut, 0);
		free(m);
	}
}

/* ---- NMI, timers, warnings ------------------------------------------ */

static void nmi_wired_per_cpu_and_for_all(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 10, true, false, false);
	cpu(m, 1, 11, true, false, false);
	cpu(m, 2, 12, true, false, false);
	cpu(m, 3, 13, false, false, false);
	nmi(m, 10, 1);
	nmi(m, 11, 1);
	nmi(m, 13, 1);		/* a CPU left out */
	nmi(m, 99, 1);		/* no CPU at all */
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.cpus[0].nmi_lint, 1);
	KTEST_EXPECT_EQ(t, m->plan.cpus[1].nmi_lint, 1);
	KTEST_EXPECT_EQ(t, m->plan.cpus[2].nmi_lint, CPU_PLAN_NO_NMI);
	KTEST_EXPECT_EQ(t, m->plan.nr_cpus_with_nmi, 2);
	KTEST_EXPECT_EQ(t, m->plan.nr_nmi_entries, 4);
	KTEST_EXPECT_EQ(t, m->plan.nr_nmi_unmatched, 2);
	KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 0);

	/* One entry for all, and one per-CPU entry on the other pin. */
	m->madt.nr_nmis = 0;
	nmi(m, ACPI_X2APIC_NMI_ALL_UID, 1);
	nmi(m, 12, 0);
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.nr_cpus_with_nmi, 3);
	KTEST_EXPECT_EQ(t, m->plan.nr_nmi_for_all, 1);
	KTEST_EXPECT_EQ(t, m->plan.cpus[2].nmi_lint, 1);
	/* The conflict, and the LINT0 entry, which xcall does not connect. */
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE], 2);
	KTEST_EXPECT_TRUE(t, strstr(m->plan.warnings[0].msg, "1 CPU(s) wired to NMI on both LINT0 and LINT1 (first: CPU 2)"));
	KTEST_EXPECT_EQ(t, m->plan.nr_nmi_lint0, 1);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[1].msg,
			   "NMI entries naming LINT0: 1; xcall, like Linux, takes NMI on LINT1 only: not connected");
	free(m);
}

static void timers_fadt_dmar_and_ioapics_carried(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 0, true, false, false);
	m->madt.ioapics[0] = (struct madt_ioapic){ .id = 8, .address = 0xfec00000u };
	m->madt.nr_ioapics = 1;
	m->fadt.pm_timer_32bit = true;
	m->dmar.intr_remap = true;
	m->dmar.nr_drhd = 2;
	m->tables.dmar = &m->dmar;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.pm_timer_port, PM_TMR_PORT);
	KTEST_EXPECT_TRUE(t, m->plan.pm_timer_32bit);
	KTEST_EXPECT_EQ_U(t, m->plan.hpet_address, HPET_MMIO);
	KTEST_EXPECT_EQ(t, m->plan.legacy_devices, ACPI_YES);
	KTEST_EXPECT_TRUE(t, m->plan.intr_remap);
	KTEST_EXPECT_EQ(t, m->plan.nr_iommus, 2);
	KTEST_EXPECT_EQ(t, m->plan.nr_ioapics, 1);
	KTEST_EXPECT_EQ(t, m->plan.ioapics[0].id, 8);

	/* Hardware-reduced without PM timer or HPET: a warning. */
	m->fadt.pm_timer_port = 0;
	m->fadt.hw_reduced = true;
	m->tables.have_hpet = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_FIRMWARE], 1);

	/* No FADT at all. */
	m->tables.fadt = NULL;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_TRUE(t, !m->plan.have_fadt);
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_TABLE], 1);
	KTEST_EXPECT_EQ(t, m->plan.i8042, ACPI_UNKNOWN);
	free(m);
}

static void parser_lines_become_warnings_with_counts(struct ktest *t)
{
	struct machine *m = new_machine();

	cpu(m, 0, 0, true, false, false);
	m->diag.nr = 2;
	m->diag.kind[0] = ACPI_WARN_CHECKSUM;
	snprintf(m->diag.msg[0], ACPI_DIAG_LEN, "APIC: bad checksum, used anyway");
	m->diag.kind[1] = ACPI_WARN_UNKNOWN_TYPE;
	snprintf(m->diag.msg[1], ACPI_DIAG_LEN, "MADT: 2 entries of unknown type 127");
	/* Plus three unknown-type lines the diag buffer dropped. */
	m->diag.dropped = 3;
	m->diag.count[ACPI_WARN_CHECKSUM] = 1;
	m->diag.count[ACPI_WARN_UNKNOWN_TYPE] = 4;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 2);
	KTEST_EXPECT_EQ(t, m->plan.warnings[0].kind, ACPI_WARN_CHECKSUM);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[1].msg, "MADT: 2 entries of unknown type 127");
	KTEST_EXPECT_EQ(t, m->plan.warnings_by_kind[ACPI_WARN_UNKNOWN_TYPE], 4);
	KTEST_EXPECT_EQ(t, m->plan.warnings_dropped, 3);
	free(m);
}

/* ---- Printing ------------------------------------------------------- */

static void text_says_what_and_why(struct ktest *t)
{
	struct machine *m = mode_machine(true);
	struct capture c = { 0 };

	skipped(m, 0xff, 7, false, MADT_SKIP_PLACEHOLDER);
	skipped(m, 0xff, 8, false, MADT_SKIP_PLACEHOLDER);
	cpu(m, 5, 5, false, false, false);
	nmi(m, ACPI_X2APIC_NMI_ALL_UID, 1);
	m->madt.ioapics[0] = (struct madt_ioapic){ .id = 2, .address = 0xfec00000u };
	m->madt.nr_ioapics = 1;
	KTEST_EXPECT_EQ(t, make(m), 0);
	cpu_plan_print(&m->plan, capture_line, &c);
	KTEST_EXPECT_TRUE(t, has(&c, "xcall would run 3 CPUs in x2APIC mode; 3 entries left out (1 disabled, 2 placeholder); 0 warnings\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "  CPU 0: APIC ID 0, UID 0, Local APIC entry, MADT: NMI on LINT1 (boot CPU)\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "  CPU 2: APIC ID 256, UID 2, x2APIC entry, MADT: NMI on LINT1\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "NMI in the MADT: 3 of 3 CPUs wired (1 entries: 1 for all CPUs, 0 per CPU, 0 naming no CPU started)\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "NMI as xcall sets it up: LINT0 masked on every CPU, NMI on LINT1 of the boot CPU only (as Linux)\n"));
	KTEST_EXPECT_FALSE(t, has(&c, "LINT0;"));
	KTEST_EXPECT_TRUE(t, has(&c, "  left out: 2 placeholder entries"));
	KTEST_EXPECT_TRUE(t, has(&c, "  left out: APIC ID 5, UID 5, Local APIC entry: disabled in the MADT\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "APIC mode: x2APIC, because an enabled CPU has an APIC ID above 254\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "interrupt remapping: none (no DMAR)"));
	KTEST_EXPECT_TRUE(t, has(&c, "I/O APIC: ID 2 at 0xfec00000, GSI base 0 (xcall masks it)\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "timers: PM timer port 0x408, 24-bit; HPET 0xfed00000"));
	KTEST_EXPECT_TRUE(t, has(&c, "FADT: version 6.3; hardware-reduced ACPI: no; legacy devices: yes; 8042: yes\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "MADT: revision 5; Online Capable flags read (the FADT dates the tables ACPI 6.3 or later)\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "facts: boot CPU APIC ID 0;"));
	free(c.text);
	free(m);
}

/* Is every line of @c shorter than @max (so none was cut)? */
static bool lines_shorter_than(const struct capture *c, size_t max)
{
	for (const char *p = c->text, *nl; p && (nl = strchr(p, '\n')); p = nl + 1)
		if ((size_t)(nl - p) >= max)
			return false;
	return true;
}

static void no_line_is_cut_even_for_extreme_values(struct ktest *t)
{
	struct cpu_plan *p = calloc(1, sizeof(*p));
	struct capture text = { 0 }, json = { 0 };

	KTEST_EXPECT_TRUE(t, p != NULL);
	if (!p)
		return;
	/* Every number at its widest, every flag on, every list used. */
	p->facts = (struct cpu_plan_facts){ .boot_apic_id = 0xfffffffeu,
		.firmware_x2apic = true, .hypervisor = true, .cpu_has_x2apic = true,
		.nox2apic = true, .cpu_limit = 0xffffffffu };
	p->boot_known = p->have_madt = p->have_dmar = p->have_fadt = p->have_hpet = true;
	p->madt_revision = p->fadt_revision = p->fadt_minor_revision = 0xff;
	p->lapic_address = p->hpet_address = ~0ull;
	p->nr_cpus = 2;
	p->cpus[0] = (struct cpu_plan_cpu){ 0xfffffffeu, 0xffffffffu, 0,
					    CPU_PLAN_ENTRY_X2APIC, 1 };
	p->cpus[1] = (struct cpu_plan_cpu){ 0xfffffffeu, 0xffffffffu, 0xffff,
					    CPU_PLAN_ENTRY_NONE, 0xfe };
	p->nr_skipped = CPU_PLAN_SKIP_NR;
	for (unsigned int r = 0; r < CPU_PLAN_SKIP_NR; r++) {
		p->skipped[r] = (struct cpu_plan_skipped){ 0xffffffffu, 0xffffffffu,
							   CPU_PLAN_ENTRY_X2APIC, (u8)r, true };
		p->skipped_by_reason[r] = 0xffffffffu;
	}
	p->nr_not_read = p->nr_nmi_entries = p->nr_nmi_for_all = 0xffffffffu;
	p->nr_enabled_left_out = 0xffffffffu;
	p->nr_nmi_unmatched = p->nr_cpus_with_nmi = p->nr_iommus = 0xffffffffu;
	p->nr_nmi_lint0 = 0xffffffffu;
	p->max_apic_id = 0xffffffffu;
	p->apic_mode = CPU_PLAN_X2APIC;
	p->nr_ioapics = 1;
	p->ioapics[0] = (struct madt_ioapic){ 0xffffffffu, 0xffffffffu, 0xffffffffu };
	p->pm_timer_port = 0xffff;
	p->legacy_devices = ACPI_YES;
	p->nr_warnings = 2;
	p->warnings_dropped = 0xffffffffu;
	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		p->warnings_by_kind[k] = 0x7fffffffu;
	memset(p->warnings[0].msg, '"', ACPI_DIAG_LEN - 1);
	memset(p->warnings[1].msg, '\x7f', ACPI_DIAG_LEN - 1);
	p->warnings[1].kind = ACPI_WARN_NR;	/* printed as "unknown" */

	/* Every mode's reason, the longest last. */
	for (unsigned int r = 0; r < CPU_PLAN_MODE_NR; r++) {
		p->mode_reason = (u8)r;
		cpu_plan_print(p, capture_line, &text);
	}
	p->mode_reason = CPU_PLAN_MODE_FIRMWARE_X2APIC;
	cpu_plan_print(p, capture_line, &text);
	cpu_plan_print_json(p, capture_line, &json);
	KTEST_EXPECT_TRUE(t, lines_shorter_than(&text, CPU_PLAN_LINE_LEN - 1));
	/* JSON lines too, the escaped warning strings aside. */
	for (const char *q = json.text, *nl; q && (nl = strchr(q, '\n')); q = nl + 1)
		if (strncmp(q, "    \"\\", 6) != 0 && strncmp(q, "    \"\\u007f", 12) != 0)
			KTEST_EXPECT_TRUE(t, (size_t)(nl - q) < CPU_PLAN_LINE_LEN - 1);
	KTEST_EXPECT_TRUE(t, has(&json, "\"cpu_limit\": 4294967295,\n"));
	KTEST_EXPECT_TRUE(t, has(&json, "\"nox2apic\": true},\n"));
	KTEST_EXPECT_TRUE(t, has(&text, "  CPU 65535: APIC ID 4294967294, not in the MADT, MADT: NMI on LINT254\n"));
	free(text.text);
	free(json.text);
	free(p);
}

static void json_has_the_keys_and_escapes_strings(struct ktest *t)
{
	struct machine *m = mode_machine(false);
	struct capture c = { 0 };
	int depth = 0;
	bool in_string = false, balanced = true;

	skipped(m, 0xff, 7, false, MADT_SKIP_PLACEHOLDER);
	m->diag.nr = 1;
	m->diag.count[ACPI_WARN_TABLE] = 1;
	snprintf(m->diag.msg[0], ACPI_DIAG_LEN, "sig \"A\\B\" \x01 end");
	m->tables.have_hpet = false;
	KTEST_EXPECT_EQ(t, make(m), 0);
	cpu_plan_print_json(&m->plan, capture_line, &c);
	KTEST_EXPECT_TRUE(t, has(&c, "{\"cpu\": 0, \"apic_id\": 0, \"uid\": 0, \"entry\": \"lapic\", \"nmi_lint\": null},\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "{\"apic_id\": 255, \"uid\": 7, \"entry\": \"lapic\", \"reason\": \"placeholder\", \"enabled\": false}\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "\"apic_mode\": \"xAPIC\",\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "\"pm_timer\": {\"port\": 1032, \"bits\": 24},\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "\"hpet\": null,\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "\"sig \\\"A\\\\B\\\" \\u0001 end\"\n"));
	KTEST_EXPECT_TRUE(t, has(&c, "\"warnings_by_kind\": {"));
	/* Brackets balance outside strings: the object is whole. */
	for (const char *p = c.text; p && *p; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = false;
			continue;
		}
		if (*p == '"')
			in_string = true;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			balanced &= --depth >= 0;
	}
	KTEST_EXPECT_TRUE(t, balanced && depth == 0);
	free(c.text);
	free(m);
}

/* The plan's own warnings at their widest values are whole lines. */
static void plan_warnings_fit_at_their_widest_values(struct ktest *t)
{
	struct machine *m = new_machine();
	char want[ACPI_DIAG_LEN];
	u32 first = MADT_MAX_CPUS / 2;

	/* Every CPU wired to LINT1 by an entry for all, the upper half to
	 * LINT0 as well: the most conflicts, the first far down. */
	for (u32 i = 0; i < MADT_MAX_CPUS; i++)
		cpu(m, 0x1000 + i, 0x10000000u + i, true, false, true);
	nmi(m, ACPI_X2APIC_NMI_ALL_UID, 1);
	for (u32 i = first; i < MADT_MAX_CPUS; i++)
		nmi(m, 0x10000000u + i, 0);
	m->facts.cpu_limit = CPU_PLAN_MAX_CPUS;
	KTEST_EXPECT_EQ(t, make(m), 0);
	KTEST_EXPECT_EQ(t, m->plan.warnings_cut, 0);
	if (!KTEST_EXPECT_EQ(t, m->plan.nr_warnings, 2))
		goto out;
	snprintf(want, sizeof(want),
		 "%u CPU(s) wired to NMI on both LINT0 and LINT1 (first: CPU %u): first entry kept",
		 MADT_MAX_CPUS - first, first);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[0].msg, want);
	snprintf(want, sizeof(want),
		 "NMI entries naming LINT0: %u; xcall, like Linux, takes NMI on LINT1 only: not connected",
		 MADT_MAX_CPUS - first);
	KTEST_EXPECT_STREQ(t, m->plan.warnings[1].msg, want);
out:
	free(m);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(boot_cpu_first_then_table_order),
	KTEST_CASE(tool_boot_cpu_is_first_enabled_entry),
	KTEST_CASE(every_entry_left_out_has_its_reason_in_table_order),
	KTEST_CASE(x2apic_low_ids_shadow_or_lone),
	KTEST_CASE(cpu_limit_leaves_out_the_rest),
	KTEST_CASE(bad_arguments_refused),
	KTEST_CASE(boot_cpu_missing_from_madt_runs_with_warning),
	KTEST_CASE(no_madt_means_boot_cpu_alone),
	KTEST_CASE(mode_keeps_firmware_xapic_when_nothing_asks),
	KTEST_CASE(mode_x2apic_for_id_above_254_or_hypervisor),
	KTEST_CASE(mode_xapic_leaves_high_ids_unreachable),
	KTEST_CASE(mode_firmware_x2apic_wins_over_everything),
	KTEST_CASE(mode_dmar_opt_out_needs_intr_remap_and_bare_metal),
	KTEST_CASE(nmi_wired_per_cpu_and_for_all),
	KTEST_CASE(timers_fadt_dmar_and_ioapics_carried),
	KTEST_CASE(parser_lines_become_warnings_with_counts),
	KTEST_CASE(text_says_what_and_why),
	KTEST_CASE(json_has_the_keys_and_escapes_strings),
	KTEST_CASE(no_line_is_cut_even_for_extreme_values),
	KTEST_CASE(plan_warnings_fit_at_their_widest_values),
};

int main(void)
{
	return host_main("cpu_plan", cases, ARRAY_SIZE(cases));
}
