// SPDX-License-Identifier: MIT
/*
 * The CPU plan: from the parsed MADT, FADT, HPET and DMAR and the few
 * facts only the running machine knows, decide which CPUs xcall starts, in
 * what order and in which APIC mode, say why for every processor entry
 * left out, and print that decision as text or JSON. The contract is in
 * asm/cpu_plan.h.
 *
 * This file owns the policy: the numbering, the APIC mode rules, what
 * counts as a CPU. Reading the tables is lib/acpi_tables.c's; acting on
 * the plan (programming the APIC, INIT-SIPI-SIPI) is the kernel's. It keeps
 * no state, allocates nothing and touches no hardware, so the host tool
 * (tools/acpi/), the host tests and the fuzzer run exactly this code.
 */
#include <asm/cpu_plan.h>
#include <xcall/cpumask.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/string.h>

/* A JSON string of a warning: each character may become \u00XX (six),
 * plus the quotes and a little framing. */
#define JSON_WARN_LEN		(ACPI_DIAG_LEN * 6 + 16)
#define JSON_ESCAPE_LEN		6

static const char *const skip_name[CPU_PLAN_SKIP_NR] = {
	[CPU_PLAN_SKIP_DISABLED]	= "disabled",
	[CPU_PLAN_SKIP_ONLINE_CAPABLE]	= "online_capable",
	[CPU_PLAN_SKIP_DUPLICATE]	= "duplicate",
	[CPU_PLAN_SKIP_PLACEHOLDER]	= "placeholder",
	[CPU_PLAN_SKIP_X2APIC_SHADOW]	= "x2apic_shadow",
	[CPU_PLAN_SKIP_X2APIC_LOW_ID]	= "x2apic_low_id",
	[CPU_PLAN_SKIP_OVER_LIMIT]	= "over_limit",
	[CPU_PLAN_SKIP_UNREACHABLE]	= "unreachable",
};

static const char *const skip_text[CPU_PLAN_SKIP_NR] = {
	[CPU_PLAN_SKIP_DISABLED]	= "disabled in the MADT",
	[CPU_PLAN_SKIP_ONLINE_CAPABLE]	= "absent now, online capable (hot-pluggable)",
	[CPU_PLAN_SKIP_DUPLICATE]	= "repeats an APIC ID listed before",
	[CPU_PLAN_SKIP_PLACEHOLDER]	= "placeholder with the broadcast APIC ID",
	[CPU_PLAN_SKIP_X2APIC_SHADOW]	= "repeats an enabled Local APIC entry (the same CPU)",
	[CPU_PLAN_SKIP_X2APIC_LOW_ID]	= "below ID 255 beside Local APIC entries, none of its ID: ignored, as Linux does (ACPI 6.5, 5.2.12.12)",
	[CPU_PLAN_SKIP_OVER_LIMIT]	= "over the CPU limit",
	[CPU_PLAN_SKIP_UNREACHABLE]	= "APIC ID above 254, unreachable in xAPIC mode",
};

static const char *const entry_name[] = {
	[CPU_PLAN_ENTRY_LAPIC]	= "lapic",
	[CPU_PLAN_ENTRY_X2APIC]	= "x2apic",
	[CPU_PLAN_ENTRY_NONE]	= "none",
};

static const char *const entry_text[] = {
	[CPU_PLAN_ENTRY_LAPIC]	= "Local APIC entry",
	[CPU_PLAN_ENTRY_X2APIC]	= "x2APIC entry",
	[CPU_PLAN_ENTRY_NONE]	= "not in the MADT",
};

static const char *const mode_name[] = {
	[CPU_PLAN_XAPIC]	= "xAPIC",
	[CPU_PLAN_X2APIC]	= "x2APIC",
};

static const char *const mode_reason_name[CPU_PLAN_MODE_NR] = {
	[CPU_PLAN_MODE_FIRMWARE_X2APIC]	= "firmware_x2apic",
	[CPU_PLAN_MODE_NO_CPU_X2APIC]	= "no_cpu_x2apic",
	[CPU_PLAN_MODE_NOX2APIC]	= "nox2apic",
	[CPU_PLAN_MODE_DMAR_OPT_OUT]	= "dmar_opt_out",
	[CPU_PLAN_MODE_ID_ABOVE_254]	= "apic_id_above_254",
	[CPU_PLAN_MODE_HYPERVISOR]	= "hypervisor",
	[CPU_PLAN_MODE_FIRMWARE_XAPIC]	= "firmware_xapic",
};

static const char *const mode_reason_text[CPU_PLAN_MODE_NR] = {
	[CPU_PLAN_MODE_FIRMWARE_X2APIC]	= "firmware handed over x2APIC mode, and xcall keeps firmware's mode (it may be locked there or needed for IDs above 254)",
	[CPU_PLAN_MODE_NO_CPU_X2APIC]	= "the CPU has no x2APIC",
	[CPU_PLAN_MODE_NOX2APIC]	= "the nox2apic option asks for xAPIC",
	[CPU_PLAN_MODE_DMAR_OPT_OUT]	= "the DMAR's X2APIC_OPT_OUT flag, valid with INTR_REMAP, asks the OS to stay in xAPIC mode (VT-d 4.1, 8.1)",
	[CPU_PLAN_MODE_ID_ABOVE_254]	= "an enabled CPU has an APIC ID above 254",
	[CPU_PLAN_MODE_HYPERVISOR]	= "under a hypervisor x2APIC's MSRs cost less than trapped MMIO",
	[CPU_PLAN_MODE_FIRMWARE_XAPIC]	= "firmware handed over xAPIC mode and nothing asks for x2APIC (no APIC ID above 254, no hypervisor)",
};

const char *cpu_plan_skip_name(unsigned int reason)
{
	return reason < CPU_PLAN_SKIP_NR ? skip_name[reason] : "unknown";
}

const char *cpu_plan_entry_name(unsigned int entry)
{
	return entry < ARRAY_SIZE(entry_name) ? entry_name[entry] : "unknown";
}

void cpu_plan_default_facts(struct cpu_plan_facts *facts)
{
	memset(facts, 0, sizeof(*facts));
	facts->boot_apic_id = CPU_PLAN_BOOT_FIRST_ENABLED;
	facts->cpu_has_x2apic = true;
	facts->cpu_limit = NR_CPUS;
}

/* ---- Making the plan ------------------------------------------------ */

/* Store a warning's text; the caller has counted it. */
static void plan_store(struct cpu_plan *plan, unsigned int kind, const char *msg)
{
	struct cpu_plan_warning *w;

	if (plan->nr_warnings >= CPU_PLAN_MAX_WARNINGS) {
		plan->warnings_dropped++;
		return;
	}
	w = &plan->warnings[plan->nr_warnings++];
	w->kind = (u8)kind;
	snprintf(w->msg, sizeof(w->msg), "%s", msg);
}

static __printf(3, 4) void plan_warn(struct cpu_plan *plan, unsigned int kind,
				     const char *fmt, ...)
{
	char msg[ACPI_DIAG_LEN];
	va_list ap;

	va_start(ap, fmt);
	plan->warnings_cut += acpi_diag_vformat(msg, fmt, ap);
	va_end(ap);
	plan->warnings_by_kind[kind]++;
	plan_store(plan, kind, msg);
}

/* The parsers' lines come first, with their counts by kind (which include
 * the lines their buffer had no room for). */
static void take_diag(struct cpu_plan *plan, const struct acpi_diag *diag)
{
	unsigned int nr;

	if (!diag)
		return;
	nr = min(diag->nr, (unsigned int)ACPI_DIAG_MAX);
	for (unsigned int i = 0; i < nr; i++)
		plan_store(plan, diag->kind[i] < ACPI_WARN_NR ? diag->kind[i] :
			   ACPI_WARN_TABLE, diag->msg[i]);
	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		plan->warnings_by_kind[k] += diag->count[k];
	plan->warnings_dropped += diag->dropped;
	plan->warnings_cut += diag->cut;
}

static u8 entry_of(bool from_x2apic_entry)
{
	return from_x2apic_entry ? CPU_PLAN_ENTRY_X2APIC : CPU_PLAN_ENTRY_LAPIC;
}

static void skip(struct cpu_plan *plan, u32 apic_id, u32 uid, u8 entry,
		 bool enabled, enum cpu_plan_skip reason)
{
	struct cpu_plan_skipped *s;

	plan->skipped_by_reason[reason]++;
	/* A processor that exists, is not started, and that no started
	 * CPU stands for (a duplicate's or a shadow's CPU is started). */
	if (enabled && (reason == CPU_PLAN_SKIP_X2APIC_LOW_ID ||
			reason == CPU_PLAN_SKIP_OVER_LIMIT ||
			reason == CPU_PLAN_SKIP_UNREACHABLE))
		plan->nr_enabled_left_out++;
	/* Cannot overflow: every recorded MADT entry is skipped at most
	 * once (CPU_PLAN_MAX_SKIPPED), but the bound is checked anyway. */
	if (plan->nr_skipped >= CPU_PLAN_MAX_SKIPPED) {
		plan->nr_not_read++;
		return;
	}
	s = &plan->skipped[plan->nr_skipped++];
	s->apic_id = apic_id;
	s->uid = uid;
	s->entry = entry;
	s->reason = (u8)reason;
	s->enabled = enabled;
}

static void add_cpu(struct cpu_plan *plan, u32 apic_id, u32 uid, u8 entry)
{
	struct cpu_plan_cpu *c = &plan->cpus[plan->nr_cpus];

	c->cpu = (u16)plan->nr_cpus++;
	c->apic_id = apic_id;
	c->uid = uid;
	c->entry = entry;
	c->nmi_lint = CPU_PLAN_NO_NMI;
}

static enum cpu_plan_skip skip_reason_of(unsigned int madt_reason)
{
	switch (madt_reason) {
	case MADT_SKIP_PLACEHOLDER:
		return CPU_PLAN_SKIP_PLACEHOLDER;
	case MADT_SKIP_X2APIC_SHADOW:
		return CPU_PLAN_SKIP_X2APIC_SHADOW;
	case MADT_SKIP_X2APIC_LOW_ID:
		return CPU_PLAN_SKIP_X2APIC_LOW_ID;
	default:
		return CPU_PLAN_SKIP_DUPLICATE;
	}
}

/*
 * The APIC mode, by Linux's rules (arch/x86/kernel/apic/apic.c) but one:
 * without CPU support, against nox2apic or the DMAR's opt-out it stays
 * xAPIC; a CPU above ID 254 or a hypervisor moves it to x2APIC.
 *
 * The exception is x2APIC handed over by firmware, which xcall keeps
 * whatever else is asked: its policy (issue 10, "keep the mode firmware
 * handed over"), not a hardware limit. Leaving x2APIC is legal through
 * the disabled state (x2APIC -> disabled -> xAPIC; only x2APIC -> xAPIC
 * directly faults, SDM vol. 3A, 11.12.5.1), and Linux does it for
 * nox2apic or a DMAR opt-out when every APIC ID fits in 8 bits
 * (setup_nox2apic(), x2apic_disable()). xcall does not, because firmware
 * that enabled x2APIC may have locked it there (IA32_XAPIC_DISABLE_STATUS:
 * the write that leaves it then faults), may list APIC IDs that only x2APIC
 * reaches, and disabling the APIC drops the state firmware left in it.
 * Where nox2apic or the DMAR's opt-out is overruled so, a warning says it.
 *
 * Linux also requires interrupt remapping for x2APIC on bare
 * metal, because I/O APIC and MSI messages cannot reach IDs above 255
 * without it; xcall masks every I/O APIC and uses no MSI, so its IPIs need
 * no remapping and the plan only reports whether remapping is there.
 *
 * The DMAR's X2APIC_OPT_OUT counts only with INTR_REMAP: VT-d 4.1, 8.1
 * says the field "is valid only when the INTR_REMAP field (bit 0) is
 * Set", and Linux reads it only on its interrupt-remapping path
 * (intel_prepare_irq_remapping(), after dmar_ir_support()). And it does
 * not hold under a hypervisor: there Linux enables x2APIC whatever mode
 * remapping ended in (try_to_enable_x2apic(), x2apic_available()), since
 * a guest's APIC is emulated and the opt-out is for firmware that cannot
 * cope with x2APIC on real hardware. xcall follows both; each time the
 * flag is set and not followed, the plan says so.
 */
static void choose_mode(struct cpu_plan *plan, bool need_x2apic)
{
	const struct cpu_plan_facts *f = &plan->facts;
	bool opt_out = plan->x2apic_opt_out && plan->intr_remap;
	enum cpu_plan_mode_reason why;

	if (plan->x2apic_opt_out && !plan->intr_remap)
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "the DMAR sets X2APIC_OPT_OUT without INTR_REMAP: not valid then (VT-d 8.1), ignored");
	if (f->firmware_x2apic) {
		why = CPU_PLAN_MODE_FIRMWARE_X2APIC;
		if (f->nox2apic)
			plan_warn(plan, ACPI_WARN_FIRMWARE,
				  "nox2apic asks for xAPIC, but firmware handed over x2APIC: kept, as xcall keeps it");
		if (opt_out)
			plan_warn(plan, ACPI_WARN_FIRMWARE,
				  "the DMAR opts out of x2APIC, but firmware handed over x2APIC: kept, as xcall keeps it");
	} else if (!f->cpu_has_x2apic) {
		why = CPU_PLAN_MODE_NO_CPU_X2APIC;
	} else if (f->nox2apic) {
		why = CPU_PLAN_MODE_NOX2APIC;
	} else if (opt_out && f->hypervisor) {
		why = need_x2apic ? CPU_PLAN_MODE_ID_ABOVE_254 : CPU_PLAN_MODE_HYPERVISOR;
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "the DMAR opts out of x2APIC; under a hypervisor x2APIC is used anyway, as Linux does");
	} else if (opt_out) {
		why = CPU_PLAN_MODE_DMAR_OPT_OUT;
	} else if (need_x2apic) {
		why = CPU_PLAN_MODE_ID_ABOVE_254;
	} else if (f->hypervisor) {
		why = CPU_PLAN_MODE_HYPERVISOR;
	} else {
		why = CPU_PLAN_MODE_FIRMWARE_XAPIC;
	}
	plan->mode_reason = (u8)why;
	plan->apic_mode = why == CPU_PLAN_MODE_FIRMWARE_X2APIC ||
			  why == CPU_PLAN_MODE_ID_ABOVE_254 ||
			  why == CPU_PLAN_MODE_HYPERVISOR ? CPU_PLAN_X2APIC : CPU_PLAN_XAPIC;
}

/*
 * The boot CPU: from the facts, or the first enabled entry (ACPI 6.5,
 * 5.2.12.1). An enabled entry with its ID is preferred to a disabled one
 * (disabled entries may repeat any ID). Return: its MADT entry, or NULL
 * when it has none.
 */
static const struct madt_cpu *find_boot(struct cpu_plan *plan,
					const struct madt_info *madt)
{
	u32 id = plan->facts.boot_apic_id;
	const struct madt_cpu *disabled = NULL;

	for (size_t i = 0; i < madt->nr_cpus; i++) {
		const struct madt_cpu *c = &madt->cpus[i];

		if (id == CPU_PLAN_BOOT_FIRST_ENABLED ? c->enabled :
		    c->apic_id == id && c->enabled) {
			plan->facts.boot_apic_id = c->apic_id;
			plan->boot_known = true;
			return c;
		}
		if (c->apic_id == id && !disabled)
			disabled = c;
	}
	return disabled;
}

/* Number the CPUs and judge every processor entry, in table order. */
static void enumerate(struct cpu_plan *plan, const struct madt_info *madt,
		      const struct madt_cpu *boot)
{
	size_t i = 0, j = 0;
	unsigned int not_read;

	while (i < madt->nr_cpus || j < madt->nr_skipped) {
		const struct madt_cpu *c;

		/* The parser's two lists are each in table order: merge
		 * them by offset so "skipped" reads like the table. */
		if (j < madt->nr_skipped &&
		    (i >= madt->nr_cpus || madt->skipped[j].offset < madt->cpus[i].offset)) {
			const struct madt_skipped *s = &madt->skipped[j++];

			skip(plan, s->apic_id, s->processor_uid, entry_of(s->from_x2apic_entry),
			     s->enabled, skip_reason_of(s->reason));
			continue;
		}
		c = &madt->cpus[i++];
		if (c == boot)
			continue;
		if (!c->enabled)
			skip(plan, c->apic_id, c->processor_uid, entry_of(c->from_x2apic_entry),
			     false, c->online_capable ? CPU_PLAN_SKIP_ONLINE_CAPABLE :
							CPU_PLAN_SKIP_DISABLED);
		else if (plan->apic_mode == CPU_PLAN_XAPIC && c->apic_id > CPU_PLAN_XAPIC_MAX_ID)
			skip(plan, c->apic_id, c->processor_uid, entry_of(c->from_x2apic_entry),
			     true, CPU_PLAN_SKIP_UNREACHABLE);
		else if (plan->nr_cpus >= plan->facts.cpu_limit)
			skip(plan, c->apic_id, c->processor_uid, entry_of(c->from_x2apic_entry),
			     true, CPU_PLAN_SKIP_OVER_LIMIT);
		else
			add_cpu(plan, c->apic_id, c->processor_uid, entry_of(c->from_x2apic_entry));
	}
	not_read = (unsigned int)(madt->nr_cpus_dropped + madt->nr_skipped_dropped);
	plan->nr_not_read += not_read;
	plan->nr_enabled_left_out += not_read;
}

/* Enabled processors that only a lone low-ID x2APIC entry names: Linux
 * does not start them either, but firmware may mean them. */
static void warn_lone_x2apic(struct cpu_plan *plan)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < plan->nr_skipped; i++)
		n += plan->skipped[i].reason == CPU_PLAN_SKIP_X2APIC_LOW_ID &&
		     plan->skipped[i].enabled;
	if (n)
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "%u enabled x2APIC entr%s below ID 255 with no Local APIC entry: not started, as in Linux",
			  n, n == 1 ? "y" : "ies");
}

/*
 * Which LINT pin of each CPU the MADT says carries NMI (ACPI 6.5, 5.2.12.7
 * and 5.2.12.13): an entry names one processor by ACPI UID, or all of
 * them. Both entry types are matched by UID value alike; a CPU that two
 * entries wire to different pins keeps the first, with a warning.
 *
 * This is the firmware's description, reported, not programmed: like
 * Linux, xcall masks LINT0 everywhere and takes NMI on the boot CPU's
 * LINT1 only (apic_setup_cpu()). An entry naming LINT0 describes an NMI
 * that never arrives, which Linux warns about too ("NMI not connected to
 * LINT 1!"), and so does the plan.
 */
static void wire_nmis(struct cpu_plan *plan, const struct madt_info *madt)
{
	unsigned int conflicts = 0, first_conflict = 0;

	plan->nr_nmi_entries = (unsigned int)madt->nr_nmis;
	for (size_t n = 0; n < madt->nr_nmis; n++) {
		const struct madt_nmi *nmi = &madt->nmis[n];
		bool matched = false;

		plan->nr_nmi_lint0 += nmi->lint == 0;
		if (nmi->processor_uid == ACPI_X2APIC_NMI_ALL_UID) {
			plan->nr_nmi_for_all++;
			continue;
		}
		for (unsigned int c = 0; c < plan->nr_cpus && !matched; c++)
			matched = plan->cpus[c].entry != CPU_PLAN_ENTRY_NONE &&
				  plan->cpus[c].uid == nmi->processor_uid;
		if (!matched)
			plan->nr_nmi_unmatched++;
	}

	for (unsigned int c = 0; c < plan->nr_cpus; c++) {
		struct cpu_plan_cpu *cpu = &plan->cpus[c];
		bool conflict = false;

		for (size_t n = 0; n < madt->nr_nmis; n++) {
			const struct madt_nmi *nmi = &madt->nmis[n];

			if (nmi->processor_uid != ACPI_X2APIC_NMI_ALL_UID &&
			    (cpu->entry == CPU_PLAN_ENTRY_NONE ||
			     nmi->processor_uid != cpu->uid))
				continue;
			if (cpu->nmi_lint == CPU_PLAN_NO_NMI)
				cpu->nmi_lint = nmi->lint;
			else if (cpu->nmi_lint != nmi->lint)
				conflict = true;
		}
		if (cpu->nmi_lint != CPU_PLAN_NO_NMI)
			plan->nr_cpus_with_nmi++;
		if (conflict && !conflicts++)
			first_conflict = c;
	}
	if (conflicts)
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "%u CPU(s) wired to NMI on both LINT0 and LINT1 (first: CPU %u): first entry kept",
			  conflicts, first_conflict);
	if (plan->nr_nmi_lint0)
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "NMI entries naming LINT0: %u; xcall, like Linux, takes NMI on LINT1 only: not connected",
			  plan->nr_nmi_lint0);
}

static void take_madt(struct cpu_plan *plan, const struct madt_info *madt)
{
	const struct madt_cpu *boot;
	bool need_x2apic = false;

	plan->have_madt = true;
	plan->madt_revision = madt->revision;
	plan->online_capable_defined = madt->online_capable_defined;
	plan->lapic_address = madt->lapic_address;
	plan->pcat_compat = madt->pcat_compat;
	for (size_t i = 0; i < madt->nr_cpus; i++) {
		const struct madt_cpu *c = &madt->cpus[i];

		if (!c->enabled)
			continue;
		plan->max_apic_id = max(plan->max_apic_id, c->apic_id);
		need_x2apic |= c->apic_id > CPU_PLAN_XAPIC_MAX_ID;
	}

	boot = find_boot(plan, madt);
	if (plan->facts.boot_apic_id != CPU_PLAN_BOOT_FIRST_ENABLED) {
		/* The kernel knows its boot CPU, listed or not. */
		plan->boot_known = true;
		need_x2apic |= plan->facts.boot_apic_id > CPU_PLAN_XAPIC_MAX_ID;
	}
	choose_mode(plan, need_x2apic);

	if (boot) {
		plan->boot_listed = true;
		add_cpu(plan, boot->apic_id, boot->processor_uid,
			entry_of(boot->from_x2apic_entry));
		if (!boot->enabled)
			plan_warn(plan, ACPI_WARN_FIRMWARE,
				  "the boot CPU's entry (APIC ID %u) is not marked enabled; it runs anyway",
				  boot->apic_id);
	} else if (plan->boot_known) {
		add_cpu(plan, plan->facts.boot_apic_id, 0, CPU_PLAN_ENTRY_NONE);
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "the boot CPU (APIC ID %u) is not in the MADT: the table is incomplete",
			  plan->facts.boot_apic_id);
	} else {
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "the MADT lists no enabled processor: xcall would run the boot CPU alone");
	}
	enumerate(plan, madt, boot);
	warn_lone_x2apic(plan);
	wire_nmis(plan, madt);

	plan->nr_ioapics = (unsigned int)min(madt->nr_ioapics, (size_t)CPU_PLAN_MAX_IOAPICS);
	memcpy(plan->ioapics, madt->ioapics, plan->nr_ioapics * sizeof(plan->ioapics[0]));
}

static void take_timers(struct cpu_plan *plan, const struct cpu_plan_tables *t)
{
	if (t->fadt) {
		plan->have_fadt = true;
		plan->fadt_revision = t->fadt->revision;
		plan->fadt_minor_revision = t->fadt->minor_revision;
		plan->pm_timer_port = t->fadt->pm_timer_port;
		plan->pm_timer_32bit = t->fadt->pm_timer_32bit;
		plan->hw_reduced = t->fadt->hw_reduced;
		plan->legacy_devices = t->fadt->legacy_devices;
		plan->i8042 = t->fadt->i8042;
	} else {
		plan->legacy_devices = ACPI_UNKNOWN;
		plan->i8042 = ACPI_UNKNOWN;
		plan_warn(plan, ACPI_WARN_TABLE, "no usable FADT: no PM timer known");
	}
	plan->have_hpet = t->have_hpet;
	plan->hpet_address = t->have_hpet ? t->hpet_address : 0;
	/* arch/x86_64/tsc.c falls back to PIT channel 2, which a
	 * hardware-reduced platform need not have (ACPI 6.5, 4.1). */
	if (!plan->pm_timer_port && !plan->have_hpet && plan->hw_reduced)
		plan_warn(plan, ACPI_WARN_FIRMWARE,
			  "hardware-reduced ACPI without PM timer or HPET: the TSC needs CPUID's frequency or the PIT");
}

int cpu_plan_make(struct cpu_plan *plan, const struct cpu_plan_tables *tables,
		  const struct cpu_plan_facts *facts)
{
	if (!plan || !tables || !facts || facts->cpu_limit == 0)
		return -EINVAL;

	memset(plan, 0, sizeof(*plan));
	plan->facts = *facts;
	plan->facts.cpu_limit = min(facts->cpu_limit, (unsigned int)CPU_PLAN_MAX_CPUS);
	take_diag(plan, tables->diag);

	if (tables->dmar) {
		plan->have_dmar = true;
		plan->intr_remap = tables->dmar->intr_remap;
		plan->x2apic_opt_out = tables->dmar->x2apic_opt_out;
		plan->nr_iommus = tables->dmar->nr_drhd;
	}

	if (tables->madt) {
		take_madt(plan, tables->madt);
	} else {
		plan_warn(plan, ACPI_WARN_TABLE,
			  "no usable MADT: xcall would run the boot CPU alone");
		plan->boot_known = facts->boot_apic_id != CPU_PLAN_BOOT_FIRST_ENABLED;
		choose_mode(plan, plan->boot_known &&
				  facts->boot_apic_id > CPU_PLAN_XAPIC_MAX_ID);
		if (plan->boot_known)
			add_cpu(plan, facts->boot_apic_id, 0, CPU_PLAN_ENTRY_NONE);
	}
	take_timers(plan, tables);
	return 0;
}

/* ---- Printing ------------------------------------------------------- */

/* One line of output: format into a local buffer, hand it over. Every
 * format here is bounded below CPU_PLAN_LINE_LEN for any value (the host
 * test prints extreme plans to prove it), so nothing is cut. */
static __printf(3, 4) void out(cpu_plan_print_fn print, void *ctx,
			       const char *fmt, ...)
{
	char line[CPU_PLAN_LINE_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	print(ctx, line);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static const char *tristate_text(u8 t)
{
	return t == ACPI_YES ? "yes" : t == ACPI_NO ? "no" : "unknown";
}

/* "3 disabled, 4 placeholder": the skip counts, into @buf. */
static void skip_summary(const struct cpu_plan *plan, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int r = 0; r < CPU_PLAN_SKIP_NR && at < len; r++) {
		if (!plan->skipped_by_reason[r])
			continue;
		at += scnprintf(buf + at, len - at, "%s%u %s", at ? ", " : "",
				plan->skipped_by_reason[r], skip_name[r]);
	}
}

static void print_cpus(const struct cpu_plan *plan, cpu_plan_print_fn print, void *ctx)
{
	for (unsigned int i = 0; i < plan->nr_cpus; i++) {
		const struct cpu_plan_cpu *c = &plan->cpus[i];
		char nmi[sizeof(", MADT: NMI on LINT255")] = "";

		/* What the MADT says; the line after the list says what
		 * xcall sets up. */
		if (c->nmi_lint != CPU_PLAN_NO_NMI)
			snprintf(nmi, sizeof(nmi), ", MADT: NMI on LINT%u", c->nmi_lint);
		if (c->entry == CPU_PLAN_ENTRY_NONE)
			out(print, ctx, "  CPU %u: APIC ID %u, %s%s%s", c->cpu, c->apic_id,
			    entry_text[c->entry], nmi, c->cpu == 0 ? " (boot CPU)" : "");
		else
			out(print, ctx, "  CPU %u: APIC ID %u, UID %u, %s%s%s", c->cpu,
			    c->apic_id, c->uid, entry_text[c->entry], nmi,
			    c->cpu == 0 ? " (boot CPU)" : "");
	}
}

/* Entries left out: one line each, but placeholders and x2APIC shadows,
 * which say nothing one by one, as one line per kind. */
static void print_skipped(const struct cpu_plan *plan, cpu_plan_print_fn print, void *ctx)
{
	if (plan->skipped_by_reason[CPU_PLAN_SKIP_PLACEHOLDER])
		out(print, ctx, "  left out: %u placeholder entries (broadcast APIC ID, no CPU behind them)",
		    plan->skipped_by_reason[CPU_PLAN_SKIP_PLACEHOLDER]);
	if (plan->skipped_by_reason[CPU_PLAN_SKIP_X2APIC_SHADOW])
		out(print, ctx, "  left out: %u x2APIC entries below ID 255 repeating enabled Local APIC entries, the same CPUs (ACPI 6.5, 5.2.12.12)",
		    plan->skipped_by_reason[CPU_PLAN_SKIP_X2APIC_SHADOW]);
	for (unsigned int i = 0; i < plan->nr_skipped; i++) {
		const struct cpu_plan_skipped *s = &plan->skipped[i];

		if (s->reason == CPU_PLAN_SKIP_PLACEHOLDER ||
		    s->reason == CPU_PLAN_SKIP_X2APIC_SHADOW)
			continue;
		out(print, ctx, "  left out: APIC ID %u, UID %u, %s: %s", s->apic_id,
		    s->uid, entry_text[s->entry], skip_text[s->reason]);
	}
	if (plan->nr_not_read)
		out(print, ctx, "  left out: %u more entries beyond what the parser keeps",
		    plan->nr_not_read);
}

static void print_interrupts(const struct cpu_plan *plan, cpu_plan_print_fn print,
			     void *ctx)
{
	out(print, ctx, "APIC mode: %s, because %s", mode_name[plan->apic_mode],
	    mode_reason_text[plan->mode_reason]);
	if (plan->have_dmar)
		out(print, ctx, "interrupt remapping: %s by the DMAR (%u remapping unit%s); x2APIC opt-out: %s; xcall uses neither",
		    plan->intr_remap ? "supported" : "not offered", plan->nr_iommus,
		    plan->nr_iommus == 1 ? "" : "s", yes_no(plan->x2apic_opt_out));
	else
		out(print, ctx, "interrupt remapping: none (no DMAR); xcall's IPIs do not need it");
	if (!plan->have_madt)
		return;
	out(print, ctx, "NMI in the MADT: %u of %u CPUs wired (%u entries: %u for all CPUs, %u per CPU, %u naming no CPU started)",
	    plan->nr_cpus_with_nmi, plan->nr_cpus, plan->nr_nmi_entries,
	    plan->nr_nmi_for_all, plan->nr_nmi_entries - plan->nr_nmi_for_all,
	    plan->nr_nmi_unmatched);
	out(print, ctx, "NMI as xcall sets it up: LINT0 masked on every CPU, NMI on LINT1 of the boot CPU only (as Linux)");
	for (unsigned int i = 0; i < plan->nr_ioapics; i++)
		out(print, ctx, "I/O APIC: ID %u at 0x%x, GSI base %u (xcall masks it)",
		    plan->ioapics[i].id, plan->ioapics[i].address,
		    plan->ioapics[i].gsi_base);
	out(print, ctx, "local APIC: at 0x%llx; 8259 PICs: %s",
	    (unsigned long long)plan->lapic_address, yes_no(plan->pcat_compat));
}

static void print_platform(const struct cpu_plan *plan, cpu_plan_print_fn print,
			   void *ctx)
{
	char pm[sizeof("port 0xffff, 32-bit")] = "none";
	char hpet[sizeof("0xffffffffffffffff")] = "none";

	if (plan->pm_timer_port)
		snprintf(pm, sizeof(pm), "port 0x%x, %s", plan->pm_timer_port,
			 plan->pm_timer_32bit ? "32-bit" : "24-bit");
	if (plan->have_hpet)
		snprintf(hpet, sizeof(hpet), "0x%llx", (unsigned long long)plan->hpet_address);
	out(print, ctx, "timers: PM timer %s; HPET %s (the TSC is calibrated from CPUID, else against these, else PIT channel 2)",
	    pm, hpet);
	if (plan->have_fadt)
		out(print, ctx, "FADT: version %u.%u; hardware-reduced ACPI: %s; legacy devices: %s; 8042: %s",
		    plan->fadt_revision, plan->fadt_minor_revision, yes_no(plan->hw_reduced),
		    tristate_text(plan->legacy_devices), tristate_text(plan->i8042));
}

void cpu_plan_print(const struct cpu_plan *plan, cpu_plan_print_fn print, void *ctx)
{
	const struct cpu_plan_facts *f = &plan->facts;
	char sum[CPU_PLAN_LINE_LEN / 2];
	char cpus[sizeof("the boot CPU alone (APIC ID not known here)")];
	unsigned int nr_warn = 0;

	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		nr_warn += plan->warnings_by_kind[k];
	skip_summary(plan, sum, sizeof(sum));
	/* Without a CPU the tables name (no usable MADT, or no enabled
	 * entry) and without the boot CPU's ID (the tool), the plan lists
	 * nobody, but the kernel still runs the CPU it booted on. */
	if (!plan->nr_cpus)
		snprintf(cpus, sizeof(cpus), "the boot CPU alone (APIC ID not known here)");
	else
		snprintf(cpus, sizeof(cpus), "%u CPU%s", plan->nr_cpus,
			 plan->nr_cpus == 1 ? "" : "s");
	out(print, ctx, "xcall would run %s in %s mode; %u entr%s left out%s%s%s; %u warning%s",
	    cpus, mode_name[plan->apic_mode],
	    plan->nr_skipped, plan->nr_skipped == 1 ? "y" : "ies",
	    sum[0] ? " (" : "", sum, sum[0] ? ")" : "", nr_warn, nr_warn == 1 ? "" : "s");
	if (plan->have_madt)
		out(print, ctx, "MADT: revision %u; Online Capable flags %s",
		    plan->madt_revision, plan->online_capable_defined ?
		    "read (the FADT dates the tables ACPI 6.3 or later)" :
		    "ignored (reserved before ACPI 6.3, by the FADT's version)");
	print_cpus(plan, print, ctx);
	print_skipped(plan, print, ctx);
	print_interrupts(plan, print, ctx);
	print_platform(plan, print, ctx);
	if (plan->boot_known)
		out(print, ctx, "facts: boot CPU APIC ID %u%s; firmware x2APIC: %s; hypervisor: %s; CPU x2APIC: %s; nox2apic: %s; CPU limit %u",
		    f->boot_apic_id, plan->boot_listed ? "" : " (not listed)",
		    yes_no(f->firmware_x2apic), yes_no(f->hypervisor),
		    yes_no(f->cpu_has_x2apic), yes_no(f->nox2apic), f->cpu_limit);
	else
		out(print, ctx, "facts: boot CPU unknown; firmware x2APIC: %s; hypervisor: %s; CPU x2APIC: %s; nox2apic: %s; CPU limit %u",
		    yes_no(f->firmware_x2apic), yes_no(f->hypervisor),
		    yes_no(f->cpu_has_x2apic), yes_no(f->nox2apic), f->cpu_limit);
	for (unsigned int i = 0; i < plan->nr_warnings; i++)
		out(print, ctx, "warning (%s): %s",
		    acpi_warn_kind_name(plan->warnings[i].kind), plan->warnings[i].msg);
	if (plan->warnings_dropped)
		out(print, ctx, "warning: %u more not stored", plan->warnings_dropped);
}

/* ---- JSON ----------------------------------------------------------- */

/* @s as a quoted JSON string into @buf (JSON_ESCAPE_LEN bytes per input
 * byte at most, plus the quotes and the NUL). Control characters and
 * bytes above 0x7e are escaped, so the output is ASCII whatever the
 * firmware wrote. */
static size_t json_string(char *buf, size_t len, const char *s)
{
	size_t at = 0;

	buf[at++] = '"';
	for (; *s && at + JSON_ESCAPE_LEN + 2 <= len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			buf[at++] = '\\';
			buf[at++] = (char)ch;
		} else if (ch < ' ' || ch > '~') {
			at += scnprintf(buf + at, len - at, "\\u%04x", ch);
		} else {
			buf[at++] = (char)ch;
		}
	}
	buf[at++] = '"';
	buf[at] = '\0';
	return at;
}

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

static const char *json_tristate(u8 t)
{
	return t == ACPI_YES ? "true" : t == ACPI_NO ? "false" : "null";
}

static void json_cpus(const struct cpu_plan *plan, cpu_plan_print_fn print, void *ctx)
{
	out(print, ctx, "  \"cpus\": [");
	for (unsigned int i = 0; i < plan->nr_cpus; i++) {
		const struct cpu_plan_cpu *c = &plan->cpus[i];
		char uid[sizeof("4294967295")] = "null";
		char lint[sizeof("null")] = "null";	/* or up to "255" */

		if (c->entry != CPU_PLAN_ENTRY_NONE)
			snprintf(uid, sizeof(uid), "%u", c->uid);
		if (c->nmi_lint != CPU_PLAN_NO_NMI)
			snprintf(lint, sizeof(lint), "%u", c->nmi_lint);
		out(print, ctx, "    {\"cpu\": %u, \"apic_id\": %u, \"uid\": %s, \"entry\": \"%s\", \"nmi_lint\": %s}%s",
		    c->cpu, c->apic_id, uid, entry_name[c->entry], lint,
		    i + 1 < plan->nr_cpus ? "," : "");
	}
	out(print, ctx, "  ],");
	out(print, ctx, "  \"skipped\": [");
	for (unsigned int i = 0; i < plan->nr_skipped; i++) {
		const struct cpu_plan_skipped *s = &plan->skipped[i];

		out(print, ctx, "    {\"apic_id\": %u, \"uid\": %u, \"entry\": \"%s\", \"reason\": \"%s\", \"enabled\": %s}%s",
		    s->apic_id, s->uid, entry_name[s->entry], skip_name[s->reason],
		    json_bool(s->enabled), i + 1 < plan->nr_skipped ? "," : "");
	}
	out(print, ctx, "  ],");
	out(print, ctx, "  \"skipped_by_reason\": {");
	for (unsigned int r = 0; r < CPU_PLAN_SKIP_NR; r++)
		out(print, ctx, "    \"%s\": %u%s", skip_name[r], plan->skipped_by_reason[r],
		    r + 1 < CPU_PLAN_SKIP_NR ? "," : "");
	out(print, ctx, "  },");
	out(print, ctx, "  \"not_read\": %u,", plan->nr_not_read);
	out(print, ctx, "  \"enabled_left_out\": %u,", plan->nr_enabled_left_out);
}

static void json_interrupts(const struct cpu_plan *plan, cpu_plan_print_fn print,
			    void *ctx)
{
	out(print, ctx, "  \"apic_mode\": \"%s\",", mode_name[plan->apic_mode]);
	out(print, ctx, "  \"apic_mode_reason\": \"%s\",", mode_reason_name[plan->mode_reason]);
	if (plan->have_dmar)
		out(print, ctx, "  \"dmar\": {\"intr_remap\": %s, \"x2apic_opt_out\": %s, \"units\": %u},",
		    json_bool(plan->intr_remap), json_bool(plan->x2apic_opt_out),
		    plan->nr_iommus);
	else
		out(print, ctx, "  \"dmar\": null,");
	if (plan->have_madt) {
		out(print, ctx, "  \"madt\": {\"revision\": %u, \"online_capable_defined\": %s, \"lapic_address\": %llu, \"pcat_compat\": %s, \"max_apic_id\": %u},",
		    plan->madt_revision, json_bool(plan->online_capable_defined),
		    (unsigned long long)plan->lapic_address,
		    json_bool(plan->pcat_compat), plan->max_apic_id);
		out(print, ctx, "  \"nmi\": {\"entries\": %u, \"for_all\": %u, \"unmatched\": %u, \"lint0\": %u, \"cpus_wired\": %u},",
		    plan->nr_nmi_entries, plan->nr_nmi_for_all, plan->nr_nmi_unmatched,
		    plan->nr_nmi_lint0, plan->nr_cpus_with_nmi);
	} else {
		out(print, ctx, "  \"madt\": null,");
		out(print, ctx, "  \"nmi\": null,");
	}
	out(print, ctx, "  \"ioapics\": [");
	for (unsigned int i = 0; i < plan->nr_ioapics; i++)
		out(print, ctx, "    {\"id\": %u, \"address\": %u, \"gsi_base\": %u}%s",
		    plan->ioapics[i].id, plan->ioapics[i].address, plan->ioapics[i].gsi_base,
		    i + 1 < plan->nr_ioapics ? "," : "");
	out(print, ctx, "  ],");
}

static void json_platform(const struct cpu_plan *plan, cpu_plan_print_fn print,
			  void *ctx)
{
	const struct cpu_plan_facts *f = &plan->facts;
	char boot[sizeof("4294967295")] = "null";

	if (plan->pm_timer_port)
		out(print, ctx, "  \"pm_timer\": {\"port\": %u, \"bits\": %u},",
		    plan->pm_timer_port, plan->pm_timer_32bit ? 32 : 24);
	else
		out(print, ctx, "  \"pm_timer\": null,");
	if (plan->have_hpet)
		out(print, ctx, "  \"hpet\": {\"address\": %llu},",
		    (unsigned long long)plan->hpet_address);
	else
		out(print, ctx, "  \"hpet\": null,");
	if (plan->have_fadt)
		out(print, ctx, "  \"fadt\": {\"revision\": %u, \"minor_revision\": %u, \"hw_reduced\": %s, \"legacy_devices\": %s, \"i8042\": %s},",
		    plan->fadt_revision, plan->fadt_minor_revision, json_bool(plan->hw_reduced),
		    json_tristate(plan->legacy_devices), json_tristate(plan->i8042));
	else
		out(print, ctx, "  \"fadt\": null,");
	if (plan->boot_known)
		snprintf(boot, sizeof(boot), "%u", f->boot_apic_id);
	out(print, ctx, "  \"facts\": {\"boot_apic_id\": %s, \"boot_listed\": %s, \"cpu_limit\": %u,",
	    boot, json_bool(plan->boot_listed), f->cpu_limit);
	out(print, ctx, "            \"firmware_x2apic\": %s, \"hypervisor\": %s, \"cpu_has_x2apic\": %s, \"nox2apic\": %s},",
	    json_bool(f->firmware_x2apic), json_bool(f->hypervisor),
	    json_bool(f->cpu_has_x2apic), json_bool(f->nox2apic));
}

/*
 * Keys: cpus, skipped, skipped_by_reason, not_read, enabled_left_out, apic_mode,
 * apic_mode_reason, dmar, madt, nmi, ioapics, pm_timer, hpet, fadt, facts,
 * warnings, warning_kinds (one per stored warning, same order),
 * warnings_by_kind (every warning counted, stored or not),
 * warnings_dropped.
 */
void cpu_plan_print_json(const struct cpu_plan *plan, cpu_plan_print_fn print,
			 void *ctx)
{
	char str[JSON_WARN_LEN];

	out(print, ctx, "{");
	json_cpus(plan, print, ctx);
	json_interrupts(plan, print, ctx);
	json_platform(plan, print, ctx);
	out(print, ctx, "  \"warnings\": [");
	for (unsigned int i = 0; i < plan->nr_warnings; i++) {
		size_t at;

		/* Escaped, a warning may not fit out()'s line: it is built
		 * here, leaving room for the comma, and handed over. */
		str[0] = str[1] = str[2] = str[3] = ' ';
		at = 4 + json_string(str + 4, sizeof(str) - 5, plan->warnings[i].msg);
		if (i + 1 < plan->nr_warnings)
			str[at++] = ',';
		str[at] = '\0';
		print(ctx, str);
	}
	out(print, ctx, "  ],");
	out(print, ctx, "  \"warning_kinds\": [");
	for (unsigned int i = 0; i < plan->nr_warnings; i++)
		out(print, ctx, "    \"%s\"%s", acpi_warn_kind_name(plan->warnings[i].kind),
		    i + 1 < plan->nr_warnings ? "," : "");
	out(print, ctx, "  ],");
	out(print, ctx, "  \"warnings_by_kind\": {");
	for (unsigned int k = 0; k < ACPI_WARN_NR; k++)
		out(print, ctx, "    \"%s\": %u%s", acpi_warn_kind_name(k),
		    plan->warnings_by_kind[k], k + 1 < ACPI_WARN_NR ? "," : "");
	out(print, ctx, "  },");
	out(print, ctx, "  \"warnings_dropped\": %u", plan->warnings_dropped);
	out(print, ctx, "}");
}
