/* SPDX-License-Identifier: MIT */
/*
 * The CPU plan (arch/x86_64/cpu_plan.c): which CPUs xcall starts and in
 * what order, which processor entries it leaves out and why, the APIC
 * mode and why, the NMI wiring, the I/O APICs it masks, the timers it can
 * calibrate against, and every warning the tables earned.
 *
 * One function makes the plan from the parsed ACPI tables and a few facts
 * only the running machine knows. The kernel calls it at boot with the
 * real facts and acts on the result; the host tool xcall-acpi calls it with
 * the tables of any machine and default facts; both print it with
 * cpu_plan_print(), so what the tool shows is what the kernel would do.
 *
 * The code keeps no state and allocates nothing (the kernel has no heap):
 * the caller provides struct cpu_plan, which is about 65 KiB (sized from
 * MADT_MAX_CPUS and MADT_MAX_SKIPPED; see the CPU_PLAN_MAX_* limits), so
 * the kernel keeps one static and a host program may put it on the heap.
 * It builds freestanding in the kernel and on the host for the tool, the
 * tests and the fuzzer.
 */
#ifndef ASM_CPU_PLAN_H
#define ASM_CPU_PLAN_H

#include <xcall/acpi.h>

/* Every kept MADT processor entry can become a CPU, and every entry the
 * parser recorded can be left out, so nothing ever overflows these. */
#define CPU_PLAN_MAX_CPUS	MADT_MAX_CPUS
#define CPU_PLAN_MAX_SKIPPED	(MADT_MAX_CPUS + MADT_MAX_SKIPPED)
#define CPU_PLAN_MAX_IOAPICS	MADT_MAX_IOAPICS
/* The parsers' lines (ACPI_DIAG_MAX) and the plan's own. */
#define CPU_PLAN_MAX_WARNINGS	32

/*
 * The highest APIC ID xAPIC mode can address: destinations are 8 bits
 * and 0xff is the broadcast (Intel SDM vol. 3A, 11.6.2.1). Above it a CPU
 * needs x2APIC mode.
 */
#define CPU_PLAN_XAPIC_MAX_ID	0xfeu

/* facts.boot_apic_id when it is not known (the host tool): take the
 * first enabled processor entry, which ACPI 6.5, 5.2.12.1 asks firmware to
 * make the boot processor. It is the x2APIC broadcast ID, never a CPU's. */
#define CPU_PLAN_BOOT_FIRST_ENABLED	0xffffffffu

/* cpu_plan_cpu.nmi_lint when no NMI entry names the CPU. */
#define CPU_PLAN_NO_NMI		0xffu

/* Where a CPU or a left-out entry came from. */
enum cpu_plan_entry {
	CPU_PLAN_ENTRY_LAPIC,	/* Processor Local APIC (type 0) */
	CPU_PLAN_ENTRY_X2APIC,	/* Processor Local x2APIC (type 9) */
	CPU_PLAN_ENTRY_NONE,	/* the boot CPU, missing from the MADT */
};

/* Why a processor entry does not become a CPU. */
enum cpu_plan_skip {
	CPU_PLAN_SKIP_DISABLED,		/* Enabled clear, not online capable */
	CPU_PLAN_SKIP_ONLINE_CAPABLE,	/* absent now, hot-pluggable later */
	CPU_PLAN_SKIP_DUPLICATE,	/* an APIC ID listed before */
	CPU_PLAN_SKIP_PLACEHOLDER,	/* the broadcast APIC ID */
	CPU_PLAN_SKIP_X2APIC_SHADOW,	/* x2APIC repeat of an enabled type 0 entry */
	CPU_PLAN_SKIP_X2APIC_LOW_ID,	/* other x2APIC entry below 255, beside
					 * type 0 entries: ignored, as Linux does */
	CPU_PLAN_SKIP_OVER_LIMIT,	/* beyond NR_CPUS or maxcpus= */
	CPU_PLAN_SKIP_UNREACHABLE,	/* APIC ID above 254 in xAPIC mode */
	CPU_PLAN_SKIP_NR
};

enum cpu_plan_apic_mode {
	CPU_PLAN_XAPIC,
	CPU_PLAN_X2APIC,
};

/* Why that mode, in the order the rules are tried (first match wins). */
enum cpu_plan_mode_reason {
	CPU_PLAN_MODE_FIRMWARE_X2APIC,	/* firmware handed over x2APIC: kept */
	CPU_PLAN_MODE_NO_CPU_X2APIC,	/* the CPU has no x2APIC */
	CPU_PLAN_MODE_NOX2APIC,		/* the nox2apic option */
	CPU_PLAN_MODE_DMAR_OPT_OUT,	/* the DMAR's X2APIC_OPT_OUT, with
					 * INTR_REMAP, not under a hypervisor */
	CPU_PLAN_MODE_ID_ABOVE_254,	/* an enabled CPU needs it */
	CPU_PLAN_MODE_HYPERVISOR,	/* cheaper under a hypervisor */
	CPU_PLAN_MODE_FIRMWARE_XAPIC,	/* nothing asks for a change */
	CPU_PLAN_MODE_NR
};

/*
 * What only the running machine knows. The kernel fills it from the boot
 * CPU (its APIC ID, IA32_APIC_BASE, CPUID) and the options; the tool uses
 * cpu_plan_default_facts() and whatever the user says.
 */
struct cpu_plan_facts {
	u32 boot_apic_id;	/* or CPU_PLAN_BOOT_FIRST_ENABLED */
	bool firmware_x2apic;	/* IA32_APIC_BASE.EXTD set at hand-over */
	bool hypervisor;	/* CPUID.1:ECX[31] */
	bool cpu_has_x2apic;	/* CPUID.1:ECX[21] */
	bool nox2apic;		/* the user asked for xAPIC mode */
	unsigned int cpu_limit;	/* min(NR_CPUS, maxcpus=), boot CPU included */
};

/* The parsed tables; NULL (or have_hpet false) for a table not found. */
struct cpu_plan_tables {
	const struct madt_info *madt;
	const struct fadt_info *fadt;
	const struct dmar_info *dmar;
	bool have_hpet;
	u64 hpet_address;
	const struct acpi_diag *diag;	/* the parsers' lines, or NULL */
};

struct cpu_plan_cpu {
	u32 apic_id;
	u32 uid;		/* ACPI processor UID (meaningless for NONE) */
	u16 cpu;		/* the logical CPU number: 0 is the boot CPU */
	u8 entry;		/* enum cpu_plan_entry */
	u8 nmi_lint;		/* LINT pin the MADT wires to NMI, or
				 * CPU_PLAN_NO_NMI (see struct cpu_plan) */
};

struct cpu_plan_skipped {
	u32 apic_id;
	u32 uid;
	u8 entry;		/* enum cpu_plan_entry */
	u8 reason;		/* enum cpu_plan_skip */
	bool enabled;		/* the entry's Enabled flag */
};

struct cpu_plan_warning {
	u8 kind;		/* enum acpi_warn_kind */
	char msg[ACPI_DIAG_LEN];
};

struct cpu_plan {
	struct cpu_plan_facts facts;	/* as used: boot_apic_id resolved */
	bool boot_known;	/* false: no MADT entry to take it from */
	bool boot_listed;	/* the boot CPU has a MADT entry */

	bool have_madt;
	u8 madt_revision;
	/* The FADT dates the tables ACPI 6.3 or later, so the MADT's Online
	 * Capable flags were read (acpi_fadt_online_capable()). */
	bool online_capable_defined;
	u64 lapic_address;
	bool pcat_compat;	/* 8259 PICs present */

	/* The CPUs in logical order: cpus[i].cpu == i. */
	unsigned int nr_cpus;
	struct cpu_plan_cpu cpus[CPU_PLAN_MAX_CPUS];
	/* Every processor entry left out, in table order. */
	unsigned int nr_skipped;
	unsigned int skipped_by_reason[CPU_PLAN_SKIP_NR];
	struct cpu_plan_skipped skipped[CPU_PLAN_MAX_SKIPPED];
	/* Entries beyond the parser's limits: neither read nor judged. */
	unsigned int nr_not_read;
	/*
	 * Processors firmware enabled that the plan does not start and that
	 * no CPU it starts stands for: over the limit, unreachable, lone
	 * x2APIC entries below 255, plus every entry not read (whose flags
	 * are unknown). An all-but-self IPI would reach them too, so the
	 * kernel keeps that shorthand off when this is not 0.
	 */
	unsigned int nr_enabled_left_out;

	u8 apic_mode;		/* enum cpu_plan_apic_mode */
	u8 mode_reason;		/* enum cpu_plan_mode_reason */
	u32 max_apic_id;	/* the highest among the enabled entries */

	bool have_dmar;
	bool intr_remap;	/* the DMAR says remapping is supported */
	bool x2apic_opt_out;
	unsigned int nr_iommus;	/* DRHD units */

	/*
	 * NMI wiring as the MADT describes it (ACPI 6.5, 5.2.12.7 and
	 * 5.2.12.13), which is not what xcall programs: apic_setup_cpu()
	 * masks LINT0 on every CPU and takes NMI on LINT1 of the boot CPU
	 * only, as Linux does. cpu_plan_cpu.nmi_lint is the MADT's word.
	 */
	unsigned int nr_nmi_entries;
	unsigned int nr_nmi_for_all;	/* UID 0xff / 0xffffffff */
	unsigned int nr_nmi_unmatched;	/* naming no CPU of the plan */
	unsigned int nr_nmi_lint0;	/* naming LINT0, which xcall masks */
	unsigned int nr_cpus_with_nmi;

	unsigned int nr_ioapics;	/* xcall masks every pin of each */
	struct madt_ioapic ioapics[CPU_PLAN_MAX_IOAPICS];

	bool have_fadt;
	u8 fadt_revision;	/* FADT Major Version */
	u8 fadt_minor_revision;
	u16 pm_timer_port;	/* 0: none */
	bool pm_timer_32bit;
	bool hw_reduced;
	u8 legacy_devices;	/* enum acpi_tristate */
	u8 i8042;		/* enum acpi_tristate */
	bool have_hpet;
	u64 hpet_address;

	unsigned int nr_warnings;
	unsigned int warnings_dropped;	/* beyond CPU_PLAN_MAX_WARNINGS */
	/* Warnings cut to fit (they end in ACPI_DIAG_CUT_MARK): a bug,
	 * which the tests and the fuzzer look for. */
	unsigned int warnings_cut;
	unsigned int warnings_by_kind[ACPI_WARN_NR];
	struct cpu_plan_warning warnings[CPU_PLAN_MAX_WARNINGS];
};

/**
 * cpu_plan_default_facts() - the facts a tool assumes about a machine
 * @facts: filled in
 *
 * The boot CPU is the first enabled processor entry; firmware hands over
 * xAPIC mode; no hypervisor; the CPU has x2APIC (every x86-64 CPU since
 * about 2010 does); the CPU limit is NR_CPUS.
 * Context: any.
 */
void cpu_plan_default_facts(struct cpu_plan_facts *facts);

/**
 * cpu_plan_make() - decide what xcall does on a machine
 * @plan: filled in (the caller's memory; see the top of this file)
 * @tables: the parsed tables; @tables->madt NULL means none was usable
 * @facts: the running machine's facts
 *
 * Numbering: the boot CPU is CPU 0, the enabled processor entries follow
 * in table order (ACPI 6.5, 5.2.12.1: OSPM starts processors in MADT
 * order), up to @facts->cpu_limit. Each processor entry that does not
 * become a CPU is recorded with its reason: the parser's (placeholder,
 * x2APIC shadow, duplicate) or the plan's (disabled, online capable, over
 * the limit, unreachable in the chosen mode). The APIC mode follows
 * Linux's policy but for one rule of xcall's own: keep x2APIC when
 * firmware handed it over (with a warning where nox2apic or the DMAR's
 * opt-out asked otherwise; cpu_plan.c says why); never x2APIC without
 * CPU support or against the nox2apic option or the DMAR's opt-out (valid
 * only with INTR_REMAP, and not followed under a hypervisor, as in
 * Linux); switch to x2APIC when an enabled CPU has an ID above 254, or
 * under a hypervisor. Without an MADT the plan is the boot CPU alone (when its
 * APIC ID is known), with a warning.
 *
 * Context: any; reads only @tables and @facts, writes only @plan.
 * Return: 0, or -EINVAL when an argument is NULL or @facts->cpu_limit is 0.
 */
int cpu_plan_make(struct cpu_plan *plan, const struct cpu_plan_tables *tables,
		  const struct cpu_plan_facts *facts);

/* Takes one line of output, without its newline. */
typedef void (*cpu_plan_print_fn)(void *ctx, const char *line);

/**
 * cpu_plan_print() - the plan in plain words, one call per line
 * @plan: from cpu_plan_make()
 * @print: called with each line (the kernel's printk, the tool's stdout)
 * @ctx: passed to @print
 *
 * The first line sums the plan up; then the CPUs, the entries left out
 * (placeholders and x2APIC shadows counted, not listed), the APIC mode and
 * why, the NMI wiring, the I/O APICs, the timers, the FADT flags, the
 * facts used and the warnings. Lines are shorter than
 * CPU_PLAN_LINE_LEN - 1 characters.
 * Context: any; as @print allows.
 */
void cpu_plan_print(const struct cpu_plan *plan, cpu_plan_print_fn print,
		    void *ctx);

/**
 * cpu_plan_print_json() - the plan as one JSON object, in lines
 * @plan: from cpu_plan_make()
 * @print: called with each line
 * @ctx: passed to @print
 *
 * The object has at least "cpus" ([{"cpu", "apic_id", "uid", "entry"}]),
 * "skipped" ([{"apic_id", "uid", "entry", "reason"}]), "apic_mode"
 * ("xAPIC" or "x2APIC"), "warnings" (strings), "pm_timer" and "hpet"
 * (null when absent), and more: every key is written by this one
 * function, whose comment lists them.
 * Context: any; as @print allows.
 */
void cpu_plan_print_json(const struct cpu_plan *plan, cpu_plan_print_fn print,
			 void *ctx);

/* The longest line the printers produce, NUL included (JSON strings of
 * warnings excepted: escaped, they may be longer). */
#define CPU_PLAN_LINE_LEN	192

/**
 * cpu_plan_skip_name() - the short, stable name of a skip reason
 * @reason: an enum cpu_plan_skip
 *
 * Context: any.
 * Return: "disabled", "online_capable", ..., or "unknown".
 */
const char *cpu_plan_skip_name(unsigned int reason);

/**
 * cpu_plan_entry_name() - "lapic", "x2apic" or "none"
 * @entry: an enum cpu_plan_entry
 *
 * Context: any.
 * Return: the name, or "unknown".
 */
const char *cpu_plan_entry_name(unsigned int entry);

#endif /* ASM_CPU_PLAN_H */
