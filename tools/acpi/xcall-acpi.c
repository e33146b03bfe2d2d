// SPDX-License-Identifier: MIT
/*
 * xcall-acpi: what xcall would do on a machine, from its ACPI tables.
 *
 *	xcall-acpi [--json] [facts...] SOURCE
 *
 * SOURCE is a folder of binary tables (acpixtract's APIC.dat, FACP.dat,
 * HPET.dat, DMAR.dat in either case, or /sys/firmware/acpi/tables), an
 * acpidump text dump, or one binary table. The tables go through the
 * kernel's own parsers (lib/acpi_tables.c) and plan (arch/x86_64/
 * cpu_plan.c); the plan is printed in plain words, or as JSON.
 *
 * This file owns the command line, the host-side checks a table gets
 * before parsing (the kernel's acpi_find_table() does the same on real
 * memory), and where facts come from: the defaults of
 * cpu_plan_default_facts(), the options, and, when SOURCE is the running
 * machine's /sys/firmware/acpi/tables, /proc/cpuinfo. Reading files is
 * acpi_source.c's.
 *
 * Exit status: 0 with a plan printed, 1 for a usage error, 2 when the
 * tables cannot be read (missing, unreadable, malformed), 3 with
 * --require-madt when there is no usable MADT (one line on stderr, no
 * plan): make preflight's "cannot tell".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/cpu_plan.h>

#include "acpi_source.h"

#define EXIT_USAGE		1
#define EXIT_NO_TABLES		2
#define EXIT_NO_MADT		3

#define LIVE_TABLES		"/sys/firmware/acpi/tables"
#define CPUINFO			"/proc/cpuinfo"

/* Everything the parsers and the plan fill: on the heap, it is large. */
struct state {
	struct acpi_source src;
	struct acpi_diag diag;
	struct acpi_tables parsed;
	struct cpu_plan_tables tables;
	struct cpu_plan_facts facts;
	struct cpu_plan plan;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xcall-acpi [--json] [options] SOURCE\n"
		"\n"
		"Print the plan xcall would follow on a machine: the CPUs it starts,\n"
		"the entries it leaves out and why, the APIC mode and why, NMI wiring,\n"
		"I/O APICs, timers and warnings.\n"
		"\n"
		"SOURCE: a folder of binary tables (APIC.dat, FACP.dat, HPET.dat,\n"
		"        DMAR.dat, any case, as acpixtract writes them), an acpidump\n"
		"        text dump, one binary table, or " LIVE_TABLES ".\n"
		"\n"
		"options:\n"
		"  --json              one JSON object instead of text\n"
		"  --boot-apic-id=N    the boot CPU's APIC ID (default: the first\n"
		"                      enabled processor entry, ACPI 6.5 5.2.12.1)\n"
		"  --firmware-x2apic   firmware hands over x2APIC mode (default: xAPIC)\n"
		"  --hypervisor        running under a hypervisor (default: no)\n"
		"  --no-cpu-x2apic     the CPU has no x2APIC (default: it has)\n"
		"  --nox2apic          as xcall's nox2apic option\n"
		"  --max-cpus=N        the CPU limit (default: NR_CPUS, %u)\n"
		"  --require-madt      no usable MADT: say why in one line, exit 3\n"
		"\n"
		"With SOURCE " LIVE_TABLES ", the boot CPU, the hypervisor bit and\n"
		"x2APIC support are read from " CPUINFO " instead.\n"
		"Exit status: 0 plan printed, 1 usage error, 2 tables unreadable,\n"
		"3 no usable MADT (with --require-madt).\n",
		(unsigned int)NR_CPUS);
}

static int parse_uint(const char *arg, const char *opt, unsigned long min,
		      unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || *out < min || *out > max) {
		fprintf(stderr, "xcall-acpi: %s wants a number from %lu to %lu, not '%s'\n",
			opt, min, max, arg);
		return -1;
	}
	return 0;
}

/* The facts the command line set; they win over /proc/cpuinfo's. */
struct overrides {
	bool boot, hypervisor, no_cpu_x2apic, firmware_x2apic, nox2apic, limit;
	bool require_madt;	/* not a fact: what to do without an MADT */
	u32 boot_apic_id;
	unsigned int cpu_limit;
};

static bool overrides_given(const struct overrides *o)
{
	return o->boot || o->hypervisor || o->no_cpu_x2apic || o->firmware_x2apic ||
	       o->nox2apic || o->limit;
}

static void apply(const struct overrides *o, struct cpu_plan_facts *f)
{
	if (o->boot)
		f->boot_apic_id = o->boot_apic_id;
	if (o->hypervisor)
		f->hypervisor = true;
	if (o->no_cpu_x2apic)
		f->cpu_has_x2apic = false;
	if (o->firmware_x2apic)
		f->firmware_x2apic = true;
	if (o->nox2apic)
		f->nox2apic = true;
	if (o->limit)
		f->cpu_limit = o->cpu_limit;
}

/*
 * The running machine's facts, from /proc/cpuinfo's first processor
 * (Linux's CPU 0 is the boot CPU): "apicid", and "hypervisor" and "x2apic"
 * among its flags. Whether firmware handed over x2APIC mode cannot be
 * read back once Linux runs: that one stays assumed.
 */
static bool live_facts(struct cpu_plan_facts *f)
{
	FILE *in = fopen(CPUINFO, "r");
	char line[8192];
	bool apicid = false, flags = false;

	if (!in)
		return false;
	while (fgets(line, sizeof(line), in) && !(apicid && flags)) {
		unsigned long id;
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		if (!apicid && strncmp(line, "apicid", strlen("apicid")) == 0 &&
		    sscanf(colon + 1, "%lu", &id) == 1) {
			f->boot_apic_id = (u32)id;
			apicid = true;
		} else if (!flags && strncmp(line, "flags", strlen("flags")) == 0) {
			f->hypervisor = strstr(colon, " hypervisor") != NULL;
			f->cpu_has_x2apic = strstr(colon, " x2apic") != NULL;
			flags = true;
		}
	}
	fclose(in);
	return apicid && flags;
}

static bool is_live(const char *path)
{
	char real[PATH_MAX];

	return realpath(path, real) && strcmp(real, LIVE_TABLES) == 0;
}

/*
 * Check a table as the kernel's acpi_find_table() would, then parse it.
 * A table whose structure is broken is not used (one warning); a wrong
 * checksum costs a warning only.
 */
static const void *checked(struct state *s, unsigned int which)
{
	const struct acpi_source_table_data *t = &s->src.t[which];
	const char *sig = acpi_source_sig(which);
	const char *why;

	if (!t->data)
		return NULL;
	if (acpi_table_check(t->data, t->len, sig, &why)) {
		acpi_diag_add(&s->diag, ACPI_WARN_TABLE, "%s: %s (%zu bytes read), not used",
			      sig, why, t->len);
		return NULL;
	}
	if (!acpi_table_checksum_ok(t->data))
		acpi_diag_add(&s->diag, ACPI_WARN_CHECKSUM, "%s: bad checksum, used anyway",
			      sig);
	return t->data;
}

static void parse_tables(struct state *s)
{
	struct acpi_found_tables found;
	struct acpi_tables *p = &s->parsed;

	/* One statement each: the warnings come in this order. */
	found.madt = checked(s, SRC_APIC);
	found.fadt = checked(s, SRC_FACP);
	found.dmar = checked(s, SRC_DMAR);
	found.hpet = checked(s, SRC_HPET);

	/* The kernel's own rules for which tables count (kernel/acpi.c). */
	acpi_parse_tables(&found, p, &s->diag);
	s->tables.madt = p->have_madt ? &p->madt : NULL;
	s->tables.fadt = p->have_fadt ? &p->fadt : NULL;
	s->tables.dmar = p->have_dmar ? &p->dmar : NULL;
	s->tables.have_hpet = p->have_hpet;
	s->tables.hpet_address = p->hpet_address;
	s->tables.diag = &s->diag;
}

/*
 * Why there is no usable MADT, in a few words: the line the file check or
 * the parser left about it, or that there is no APIC table at all.
 */
static const char *why_no_madt(const struct state *s)
{
	for (unsigned int i = 0; i < s->diag.nr && i < ACPI_DIAG_MAX; i++)
		if (strncmp(s->diag.msg[i], "APIC: ", strlen("APIC: ")) == 0 ||
		    strncmp(s->diag.msg[i], "MADT: ", strlen("MADT: ")) == 0)
			return s->diag.msg[i];
	return "no APIC table";
}

static void print_line(void *ctx, const char *line)
{
	fprintf(ctx, "%s\n", line);
}

/*
 * The command line into @o, @json and @path. Return: -1 to exit with
 * EXIT_USAGE, 1 to exit 0 (--help), 0 to go on.
 */
static int parse_args(int argc, char **argv, struct overrides *o, bool *json,
		      const char **path)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned long v;

		if (strcmp(a, "--json") == 0) {
			*json = true;
		} else if (strncmp(a, "--boot-apic-id=", strlen("--boot-apic-id=")) == 0) {
			if (parse_uint(a + strlen("--boot-apic-id="), "--boot-apic-id", 0,
				       ACPI_X2APIC_ID_BROADCAST - 1, &v))
				return -1;
			o->boot = true;
			o->boot_apic_id = (u32)v;
		} else if (strcmp(a, "--firmware-x2apic") == 0) {
			o->firmware_x2apic = true;
		} else if (strcmp(a, "--hypervisor") == 0) {
			o->hypervisor = true;
		} else if (strcmp(a, "--no-cpu-x2apic") == 0) {
			o->no_cpu_x2apic = true;
		} else if (strcmp(a, "--nox2apic") == 0) {
			o->nox2apic = true;
		} else if (strcmp(a, "--require-madt") == 0) {
			o->require_madt = true;
		} else if (strncmp(a, "--max-cpus=", strlen("--max-cpus=")) == 0) {
			if (parse_uint(a + strlen("--max-cpus="), "--max-cpus", 1,
				       CPU_PLAN_MAX_CPUS, &v))
				return -1;
			o->limit = true;
			o->cpu_limit = (unsigned int)v;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "xcall-acpi: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		} else if (*path) {
			fprintf(stderr, "xcall-acpi: one SOURCE only ('%s' and '%s')\n", *path, a);
			return -1;
		} else {
			*path = a;
		}
	}
	if (!*path) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct overrides o = { 0 };
	const char *path = NULL;
	bool json = false, live = false;
	char err[ACPI_SOURCE_ERR_LEN];
	struct state *s;
	int ret;

	ret = parse_args(argc, argv, &o, &json, &path);
	if (ret)
		return ret > 0 ? 0 : EXIT_USAGE;
	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "xcall-acpi: out of memory\n");
		return EXIT_NO_TABLES;
	}
	cpu_plan_default_facts(&s->facts);

	ret = acpi_source_load(path, &s->src, err);
	if (ret) {
		fprintf(stderr, "xcall-acpi: %s\n", err);
		if (ret == -EACCES)
			fprintf(stderr, "xcall-acpi: the tables are readable by root only: run it with sudo\n");
		ret = EXIT_NO_TABLES;
		goto out;
	}
	/* Options the user gave win over what the machine says. */
	if (is_live(path))
		live = live_facts(&s->facts);
	apply(&o, &s->facts);

	parse_tables(s);
	/* Without an MADT the plan could only guess; make preflight asks
	 * for a clear "cannot tell" instead. */
	if (o.require_madt && !s->tables.madt) {
		fprintf(stderr, "xcall-acpi: no usable MADT in %s: %s\n", path, why_no_madt(s));
		ret = EXIT_NO_MADT;
		goto out;
	}
	ret = cpu_plan_make(&s->plan, &s->tables, &s->facts);
	if (ret) {
		/* Only a bug gets here: the facts were checked above. */
		fprintf(stderr, "xcall-acpi: cannot make a plan (error %d)\n", ret);
		ret = EXIT_USAGE;
		goto out;
	}
	if (json) {
		cpu_plan_print_json(&s->plan, print_line, stdout);
	} else {
		printf("source: %s (%s)\n", path, s->src.kind);
		if (live && o.firmware_x2apic) {
			printf("facts: boot CPU, hypervisor and x2APIC support read from %s; firmware's APIC mode x2APIC, as --firmware-x2apic says\n",
			       CPUINFO);
		} else if (live) {
			/* The one fact a running Linux cannot give: it may
			 * have switched the APIC since boot, so even the APIC
			 * base MSR now shows Linux's choice, not firmware's. */
			printf("facts: boot CPU, hypervisor and x2APIC support read from %s; firmware's APIC mode assumed xAPIC\n",
			       CPUINFO);
			printf("note: a running Linux does not say which APIC mode firmware handed over; if it was x2APIC, xcall keeps it (--firmware-x2apic shows that plan)\n");
		} else {
			printf("facts: defaults%s, not read from a machine (see --help)\n",
			       overrides_given(&o) ? " and options" : "");
		}
		cpu_plan_print(&s->plan, print_line, stdout);
	}
out:
	acpi_source_free(&s->src);
	free(s);
	return ret;
}
