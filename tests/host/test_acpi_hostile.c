// SPDX-License-Identifier: MIT
/*
 * Hostile variants of real firmware tables, under AddressSanitizer and
 * UBSan: the MADT, FADT, HPET and DMAR of the linuxhw corpus (real PCs,
 * see ../shared/firmware/linuxhw/README.md), truncated at every length,
 * with a checksum off by one, with an entry of length 0, 1 or past the end,
 * and with a Length larger than the buffer. Each variant must get a clear
 * warning or refusal and a plan that still prints; a crash, a hang or a
 * read outside the buffer fails the binary (every variant sits in its own
 * exact-size allocation, so ASan sees a one-byte over-read).
 *
 * The corpus is found at $XCALL_LINUXHW, else ../shared/firmware/linuxhw
 * from the current directory (the repository root under make test); each
 * case skips, saying so, when it is not there.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/cpu_plan.h>
#include <xcall/acpi.h>
#include <xcall/errno.h>

#include "check.h"

#define DEFAULT_CORPUS	"../shared/firmware/linuxhw"
#define HDR_LEN		sizeof(struct acpi_table_header)
#define MADT_FIXED_LEN	sizeof(struct acpi_madt)
/* Stop printing details about one case after this many failures. */
#define MAX_REPORTS	10

enum { T_APIC, T_FACP, T_HPET, T_DMAR, T_NR };
static const char *const sigs[T_NR] = { "APIC", "FACP", "HPET", "DMAR" };

struct machine {
	char name[256];
	unsigned char *t[T_NR];		/* NULL: the machine has none */
	size_t len[T_NR];
};

static struct machine *machines;
static size_t nr_machines;
static const char *corpus_reason;	/* why there is none, if so */

/* Everything a parse and a plan fill: big, so one, on the heap. */
struct work {
	struct madt_info madt;
	struct fadt_info fadt;
	struct dmar_info dmar;
	struct acpi_diag diag;
	struct cpu_plan plan;
};

static struct work *w;
static unsigned int reports;

/* ---- Loading the corpus ----------------------------------------------- */

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct machine *)a)->name, ((const struct machine *)b)->name);
}

static void load_corpus(void)
{
	const char *dir = getenv("XCALL_LINUXHW");
	struct dirent *e;
	DIR *d;
	size_t cap = 0;

	if (!dir || !*dir)
		dir = DEFAULT_CORPUS;
	d = opendir(dir);
	if (!d) {
		static char reason[512];

		snprintf(reason, sizeof(reason), "no corpus at %s (set XCALL_LINUXHW)", dir);
		corpus_reason = reason;
		return;
	}
	while ((e = readdir(d))) {
		struct machine m = { 0 };
		char path[1024];

		if (e->d_name[0] == '.')
			continue;
		snprintf(m.name, sizeof(m.name), "%s", e->d_name);
		for (int i = 0; i < T_NR; i++) {
			snprintf(path, sizeof(path), "%s/%s/%s.dat", dir, e->d_name, sigs[i]);
			m.t[i] = read_all(path, &m.len[i]);
		}
		if (!m.t[T_APIC])
			continue;
		if (nr_machines == cap) {
			cap = cap ? cap * 2 : 64;
			machines = realloc(machines, cap * sizeof(*machines));
			if (!machines)
				abort();
		}
		machines[nr_machines++] = m;
	}
	closedir(d);
	if (!nr_machines) {
		corpus_reason = "the corpus folder holds no machine with an APIC.dat";
		return;
	}
	qsort(machines, nr_machines, sizeof(*machines), by_name);
}

/* ---- Parsing one variant ---------------------------------------------- */

static unsigned char *copy(const unsigned char *t, size_t len)
{
	unsigned char *c = malloc(len ? len : 1);

	if (!c)
		abort();
	memcpy(c, t, len);
	return c;
}

static void set_length(unsigned char *t, u32 length)
{
	memcpy(t + offsetof(struct acpi_table_header, length), &length, sizeof(length));
}

static void fix_checksum(unsigned char *t, size_t len)
{
	u8 sum = 0;

	t[offsetof(struct acpi_table_header, checksum)] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (u8)(sum + t[i]);
	t[offsetof(struct acpi_table_header, checksum)] = (u8)-sum;
}

static void sink(void *ctx, const char *line)
{
	(*(size_t *)ctx) += strlen(line) + 1;
}

/* Parse @t as table @which into w, run the plan, print it both ways.
 * Return: the parser's result. */
static int parse_and_plan(int which, const unsigned char *t)
{
	struct cpu_plan_tables tables = { .diag = &w->diag };
	struct cpu_plan_facts facts;
	size_t printed = 0;
	u64 hpet = 0;
	int ret;

	memset(&w->diag, 0, sizeof(w->diag));
	switch (which) {
	case T_APIC:
		/* The MADT alone: no FADT dates it, so Online Capable is
		 * not believed (the same for every variant). */
		ret = madt_parse((const void *)t, NULL, &w->madt, &w->diag);
		tables.madt = ret ? NULL : &w->madt;
		break;
	case T_FACP:
		ret = fadt_parse((const void *)t, &w->fadt);
		tables.fadt = ret ? NULL : &w->fadt;
		break;
	case T_HPET:
		ret = hpet_parse((const void *)t, &hpet);
		tables.have_hpet = !ret;
		tables.hpet_address = hpet;
		break;
	default:
		ret = dmar_parse((const void *)t, &w->dmar, &w->diag);
		tables.dmar = ret ? NULL : &w->dmar;
		break;
	}
	cpu_plan_default_facts(&facts);
	if (cpu_plan_make(&w->plan, &tables, &facts) == 0) {
		cpu_plan_print(&w->plan, sink, &printed);
		cpu_plan_print_json(&w->plan, sink, &printed);
	}
	return ret;
}

static bool report(struct ktest *t, const struct machine *m, int which,
		   const char *what, size_t at)
{
	t->failures++;
	if (reports++ < MAX_REPORTS)
		printf("    # %s: %s %s at %zu\n", m->name, sigs[which], what, at);
	return false;
}

/* ---- Cases ------------------------------------------------------------- */

static bool need_corpus(struct ktest *t)
{
	reports = 0;
	if (corpus_reason)
		ktest_skip(t, "%s", corpus_reason);
	return !corpus_reason;
}

static void buffer_cut_short_is_refused_at_every_length(struct ktest *t)
{
	size_t variants = 0;

	if (!need_corpus(t))
		return;
	for (size_t i = 0; i < nr_machines; i++) {
		const struct machine *m = &machines[i];

		for (int which = 0; which < T_NR; which++) {
			if (!m->t[which])
				continue;
			for (size_t n = 0; n < m->len[which]; n++) {
				unsigned char *c = copy(m->t[which], n);
				const char *why = NULL;

				variants++;
				/* Length says more than the buffer holds: refused
				 * before anything past the header is read. */
				if (acpi_table_check(c, n, sigs[which], &why) != -EINVAL || !why)
					report(t, m, which, "cut buffer accepted", n);
				free(c);
			}
		}
	}
	printf("    # %zu cut buffers refused\n", variants);
}

/* Offsets where MADT entries start, walking the good table. */
static size_t madt_boundaries(const unsigned char *t, size_t len, size_t *at, size_t max)
{
	size_t n = 0;

	for (size_t off = MADT_FIXED_LEN; off + 2 <= len && n < max && t[off + 1] >= 2;
	     off += t[off + 1])
		at[n++] = off;
	if (n < max)
		at[n++] = len;
	return n;
}

static bool is_boundary(const size_t *at, size_t nr, size_t n)
{
	for (size_t i = 0; i < nr; i++)
		if (at[i] == n)
			return true;
	return false;
}

/* What a table parsed whole gave, for judging its cut copies. */
struct whole {
	size_t *bounds;		/* MADT entry offsets, and the end */
	size_t nr_bounds;
	size_t cpus;		/* MADT processor entries kept */
	u16 pm_timer_port;	/* FADT */
};

/*
 * Judge table @which cut to @n bytes (its Length saying so), which the
 * parser answered with @ret. Return: what is wrong, or NULL.
 */
static const char *judge_cut(int which, size_t n, int ret, const struct whole *whole)
{
	const size_t x_pm_tmr_end = ACPI_FADT_X_PM_TMR_BLK_OFF + sizeof(struct acpi_gas);
	const size_t hpet_end = ACPI_HPET_ADDRESS_OFF + sizeof(struct acpi_gas);
	bool warned = w->diag.count[ACPI_WARN_TRUNCATED] > 0;

	switch (which) {
	case T_APIC:
		if (ret)
			return n >= MADT_FIXED_LEN || !warned ?
			       "cut MADT refused without its line" : NULL;
		/* Inside an entry: stopped, saying so; at a boundary: not. */
		if (w->madt.truncated == is_boundary(whole->bounds, whole->nr_bounds, n) ||
		    (w->madt.truncated && !warned))
			return "cut MADT walk misjudged";
		return w->madt.nr_cpus > whole->cpus ? "cut MADT gained a CPU" : NULL;
	case T_FACP:
		if (n <= ACPI_FADT_PM_TMR_LEN_OFF && w->fadt.pm_timer_port)
			return "PM timer read past the end";
		if (n >= x_pm_tmr_end && w->fadt.pm_timer_port != whole->pm_timer_port)
			return "PM timer changed by a cut";
		return NULL;
	case T_HPET:
		return (ret == 0) != (n >= hpet_end) ? "cut HPET misjudged" : NULL;
	default:
		if ((ret == 0) != (n > ACPI_DMAR_FLAGS_OFF))
			return "cut DMAR misjudged";
		return ret == 0 && w->dmar.truncated && !warned ?
		       "cut DMAR stopped without its line" : NULL;
	}
}

static void table_cut_short_parses_what_is_left_at_every_length(struct ktest *t)
{
	size_t variants = 0, refused = 0, stopped = 0;

	if (!need_corpus(t))
		return;
	for (size_t i = 0; i < nr_machines; i++) {
		const struct machine *m = &machines[i];

		for (int which = 0; which < T_NR; which++) {
			/* At most one entry per two bytes, and the end. */
			size_t max_bounds = m->len[which] / 2 + 2;
			struct whole whole = {
				.bounds = malloc(max_bounds * sizeof(size_t)),
			};

			if (!m->t[which] || !KTEST_EXPECT_TRUE(t, whole.bounds != NULL)) {
				free(whole.bounds);
				continue;
			}
			parse_and_plan(which, m->t[which]);
			if (which == T_APIC)
				whole.nr_bounds = madt_boundaries(m->t[which], m->len[which],
								  whole.bounds, max_bounds);
			whole.cpus = w->madt.nr_cpus;
			whole.pm_timer_port = w->fadt.pm_timer_port;
			/* The Length field says n too: a consistent, shorter
			 * table, which the check accepts from a header up. */
			for (size_t n = HDR_LEN; n < m->len[which]; n++) {
				unsigned char *c = copy(m->t[which], n);
				const char *wrong;
				int ret;

				set_length(c, (u32)n);
				fix_checksum(c, n);
				variants++;
				if (acpi_table_check(c, n, sigs[which], NULL) != 0) {
					report(t, m, which, "consistent cut refused", n);
					free(c);
					continue;
				}
				ret = parse_and_plan(which, c);
				refused += ret != 0;
				stopped += which == T_APIC && ret == 0 && w->madt.truncated;
				wrong = judge_cut(which, n, ret, &whole);
				if (wrong)
					report(t, m, which, wrong, n);
				free(c);
			}
			free(whole.bounds);
		}
	}
	printf("    # %zu cut tables parsed: %zu refused as too short, %zu MADT walks stopped with a warning\n",
	       variants, refused, stopped);
	KTEST_EXPECT_TRUE(t, variants == 0 || stopped > 0);
}

static void checksum_off_by_one_is_warned_and_table_used(struct ktest *t)
{
	size_t variants = 0;

	if (!need_corpus(t))
		return;
	for (size_t i = 0; i < nr_machines; i++) {
		const struct machine *m = &machines[i];

		for (int which = 0; which < T_NR; which++) {
			unsigned char *c;
			size_t cpus = 0;
			int ret_good;

			if (!m->t[which])
				continue;
			ret_good = parse_and_plan(which, m->t[which]);
			cpus = w->plan.nr_cpus;
			c = copy(m->t[which], m->len[which]);
			c[offsetof(struct acpi_table_header, checksum)]++;
			variants++;
			if (!acpi_table_checksum_ok(m->t[which]) ||
			    acpi_table_checksum_ok(c) ||
			    acpi_table_check(c, m->len[which], sigs[which], NULL) != 0 ||
			    parse_and_plan(which, c) != ret_good || w->plan.nr_cpus != cpus)
				report(t, m, which, "checksum off by one misjudged", 0);
			free(c);
		}
	}
	printf("    # %zu tables with a checksum off by one: warned, still used\n", variants);
}

/* Set the length of the MADT entry at @off (or the DMAR structure) to
 * @bad, fix the checksum, parse: the walk must stop there, saying so. */
static void entry_length_variant(struct ktest *t, const struct machine *m, int which,
				 size_t off, unsigned int bad, size_t *variants)
{
	unsigned char *c = copy(m->t[which], m->len[which]);
	bool kept_only_before = true;

	if (which == T_APIC)
		c[off + 1] = (u8)bad;
	else
		memcpy(c + off + 2, &(u16){ (u16)bad }, sizeof(u16));
	fix_checksum(c, m->len[which]);
	(*variants)++;
	if (parse_and_plan(which, c) != 0) {
		report(t, m, which, "entry length variant refused", off);
	} else if (which == T_APIC) {
		for (size_t i = 0; i < w->madt.nr_cpus; i++)
			kept_only_before &= w->madt.cpus[i].offset < off;
		if (!w->madt.truncated || !w->diag.count[ACPI_WARN_TRUNCATED] ||
		    !kept_only_before)
			report(t, m, which, "bad entry length not stopped", off);
	} else if (!w->dmar.truncated || !w->diag.count[ACPI_WARN_TRUNCATED]) {
		report(t, m, which, "bad structure length not stopped", off);
	}
	free(c);
}

static void entry_length_0_1_or_past_end_stops_the_walk(struct ktest *t)
{
	size_t variants = 0;
	size_t bounds[4096];

	if (!need_corpus(t))
		return;
	for (size_t i = 0; i < nr_machines; i++) {
		const struct machine *m = &machines[i];
		size_t nb = madt_boundaries(m->t[T_APIC], m->len[T_APIC], bounds,
					    ARRAY_SIZE(bounds)) - 1;

		/* The first, a middle and the last entry: each made 0 and 1
		 * bytes long, and one byte longer than what is left. */
		for (size_t k = 0; nb && k < 3; k++) {
			size_t off = bounds[k == 0 ? 0 : k == 1 ? nb / 2 : nb - 1];

			entry_length_variant(t, m, T_APIC, off, 0, &variants);
			entry_length_variant(t, m, T_APIC, off, 1, &variants);
			if (m->len[T_APIC] - off + 1 <= 0xff)
				entry_length_variant(t, m, T_APIC, off,
						     (unsigned int)(m->len[T_APIC] - off + 1),
						     &variants);
		}
		if (m->t[T_DMAR] && m->len[T_DMAR] > ACPI_DMAR_STRUCTS_OFF + 4) {
			size_t left = m->len[T_DMAR] - ACPI_DMAR_STRUCTS_OFF;

			entry_length_variant(t, m, T_DMAR, ACPI_DMAR_STRUCTS_OFF, 0, &variants);
			entry_length_variant(t, m, T_DMAR, ACPI_DMAR_STRUCTS_OFF, 1, &variants);
			entry_length_variant(t, m, T_DMAR, ACPI_DMAR_STRUCTS_OFF,
					     (unsigned int)left + 1, &variants);
		}
	}
	printf("    # %zu entries of length 0, 1 or past the end: walk stopped with a warning\n",
	       variants);
}

static void length_beyond_the_buffer_is_refused(struct ktest *t)
{
	static const u32 extra[] = { 1, 4096, ACPI_TABLE_MAX_LEN };
	size_t variants = 0;

	if (!need_corpus(t))
		return;
	for (size_t i = 0; i < nr_machines; i++) {
		const struct machine *m = &machines[i];

		for (int which = 0; which < T_NR; which++) {
			if (!m->t[which])
				continue;
			for (size_t k = 0; k < ARRAY_SIZE(extra) + 1; k++) {
				unsigned char *c = copy(m->t[which], m->len[which]);
				u32 length = k < ARRAY_SIZE(extra) ?
					     (u32)m->len[which] + extra[k] : 0xffffffffu;
				const char *why = NULL;

				set_length(c, length);
				fix_checksum(c, m->len[which]);
				variants++;
				int ret = acpi_table_check(c, m->len[which], sigs[which], &why);

				if (ret != -EINVAL || !why ||
				    strcmp(why, "length beyond the readable bytes") != 0)
					report(t, m, which, "Length beyond the buffer accepted", length);
				free(c);
			}
		}
	}
	printf("    # %zu tables claiming more than their buffer: refused\n", variants);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(buffer_cut_short_is_refused_at_every_length),
	KTEST_CASE(table_cut_short_parses_what_is_left_at_every_length),
	KTEST_CASE(checksum_off_by_one_is_warned_and_table_used),
	KTEST_CASE(entry_length_0_1_or_past_end_stops_the_walk),
	KTEST_CASE(length_beyond_the_buffer_is_refused),
};

int main(void)
{
	int ret;

	w = calloc(1, sizeof(*w));
	if (!w)
		abort();
	load_corpus();
	ret = host_main("acpi_hostile", cases, ARRAY_SIZE(cases));
	for (size_t i = 0; i < nr_machines; i++)
		for (int k = 0; k < T_NR; k++)
			free(machines[i].t[k]);
	free(machines);
	free(w);
	return ret;
}
