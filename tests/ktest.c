// SPDX-License-Identifier: MIT
/*
 * The in-kernel test runner: walks the suites in .ktest_suites, runs each
 * case on the boot CPU, and prints KTAP version 1 as Linux's KUnit does,
 * so Linux's own parser (tools/testing/kunit) and tools/ktap.py both
 * read it; on a screen, the status line says which case runs and then
 * the totals. Owns the selftest= option.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/format.h>
#include <xcall/ktest.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/string.h>
#include <xcall/time.h>

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

/* KTAP nests a suite's lines four spaces in. */
#define KTAP_INDENT	"    "
/* selftest=a,b,c: at most this many suite names. */
#define MAX_FILTERS	16
#define FILTER_NAME_MAX	32

static bool selftest;
static unsigned int nr_filters;
static char filters[MAX_FILTERS][FILTER_NAME_MAX];

/* Where the run is, for the status line: written by the runner on the
 * boot CPU only, read by ktest_progress() on it too. */
static struct {
	unsigned int suite, nr_suites;
	const char *suite_name;
	size_t case_no, nr_cases;
	const char *case_name;
	unsigned int failed;
} where;
/* The run's totals, for ktest_summary(). */
static char summary[CONSOLE_STATUS_MAX];

static int parse_selftest(const char *value, size_t len)
{
	/* selftest=off undoes an earlier selftest, e.g. GRUB's default
	 * entry's, for a benchmark-only run. */
	if (value && len == 3 && !strncmp(value, "off", 3)) {
		selftest = false;
		nr_filters = 0;
		return 0;
	}
	selftest = true;
	nr_filters = 0;
	for (size_t i = 0; value && i < len;) {
		size_t j = i;

		while (j < len && value[j] != ',')
			j++;
		if (j - i == 0 || j - i >= FILTER_NAME_MAX || nr_filters == MAX_FILTERS)
			return -1;
		memcpy(filters[nr_filters], value + i, j - i);
		filters[nr_filters][j - i] = 0;
		nr_filters++;
		i = j + 1;
	}
	return 0;
}
DEFINE_OPTION_CUSTOM(selftest, parse_selftest,
		     "run the in-kernel tests; selftest=a,b runs suites a and b only; selftest=off none");

bool ktest_selected(void)
{
	return selftest;
}

static bool wanted(const struct ktest_suite *s)
{
	if (s->enabled && !s->enabled())
		return false;
	if (nr_filters == 0)
		return true;
	for (unsigned int i = 0; i < nr_filters; i++)
		if (!strcmp(filters[i], s->name))
			return true;
	return false;
}

bool ktest_check(struct ktest *t, bool ok, const char *file, int line,
		 const char *fmt, ...)
{
	char msg[PRINTK_LINE_MAX];
	va_list ap;

	if (ok)
		return true;
	t->failures++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk_always(KTAP_INDENT "# %s: EXPECTATION FAILED at %s:%d\n", t->name,
		      file, line);
	printk_always(KTAP_INDENT "# %s\n", msg);
	return false;
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	t->skipped = true;
	va_start(ap, fmt);
	vsnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
}

void ktest_diag(struct ktest *t, const char *fmt, ...)
{
	char msg[PRINTK_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk_always(KTAP_INDENT "# %s: %s\n", t->name, msg);
}

unsigned int ktest_expect_warning(struct ktest *t, unsigned int cpu,
				  const char *file, const char *cond,
				  const char *why)
{
	/* The condition goes last: it is C, and may hold any character. */
	ktest_diag(t, "%s; expect a WARNING on CPU %u at %s: %s", why, cpu,
		   file, cond);
	return warn_count();
}

/* The status line: which suite and case, how far, how many failed. */
static void show_where(const char *detail)
{
	/* Counts first, names last: a narrow screen cuts the end. */
	console_status("self-tests: suite %u/%u, case %zu/%zu, %u failed%s%s: %s.%s",
		       where.suite, where.nr_suites, where.case_no, where.nr_cases,
		       where.failed, detail ? ", " : "", detail ? detail : "",
		       where.suite_name, where.case_name);
}

void ktest_progress(const char *fmt, ...)
{
	char detail[CONSOLE_STATUS_MAX];
	va_list ap;

	if (!where.case_name)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	show_where(detail);
}

const char *ktest_summary(void)
{
	return summary[0] ? summary : NULL;
}

bool ktest_wait_ge(const unsigned int *p, unsigned int want)
{
	u64 start = ktime_get_ns();

	while (smp_load_acquire(p) < want) {
		if (ktime_get_ns() - start > KTEST_WAIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

struct tally {
	unsigned int pass, fail, skip;
};

static void run_suite(const struct ktest_suite *s, unsigned int number,
		      struct tally *total)
{
	struct tally st = { 0, 0, 0 };

	printk_always(KTAP_INDENT "KTAP version 1\n");
	printk_always(KTAP_INDENT "# Subtest: %s\n", s->name);
	printk_always(KTAP_INDENT "1..%zu\n", s->nr_cases);
	where.suite = number;
	where.suite_name = s->name;
	where.nr_cases = s->nr_cases;
	for (size_t i = 0; i < s->nr_cases; i++) {
		struct ktest t = { .name = s->cases[i].name };

		where.case_no = i + 1;
		where.case_name = t.name;
		where.failed = total->fail + st.fail;
		show_where(NULL);
		s->cases[i].run(&t);
		if (t.failures) {
			st.fail++;
			printk_always(KTAP_INDENT "not ok %zu %s\n", i + 1, t.name);
		} else if (t.skipped) {
			st.skip++;
			printk_always(KTAP_INDENT "ok %zu %s # SKIP %s\n", i + 1,
				      t.name, t.skip_reason);
		} else {
			st.pass++;
			printk_always(KTAP_INDENT "ok %zu %s\n", i + 1, t.name);
		}
	}
	printk_always("# %s: pass:%u fail:%u skip:%u total:%zu\n", s->name,
		      st.pass, st.fail, st.skip, s->nr_cases);
	if (st.fail)
		printk_always("not ok %u %s\n", number, s->name);
	else if (st.skip == s->nr_cases)
		printk_always("ok %u %s # SKIP all cases skipped\n", number, s->name);
	else
		printk_always("ok %u %s\n", number, s->name);
	total->pass += st.pass;
	total->fail += st.fail;
	total->skip += st.skip;
}

/* Is @name the name of a suite linked in, enabled or not? */
static bool suite_exists(const char *name)
{
	const struct ktest_suite *s;

	/* cppcheck-suppress comparePointers ; linker.ld sets both
	 * symbols around .ktest_suites: they bound one array. */
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (!strcmp(name, s->name))
			return true;
	return false;
}

/*
 * A selftest= name that matches no suite is refused with the list of the
 * suites there are. The whole run is refused rather than narrowed to the
 * names that matched: a typo would otherwise give a shorter run than was
 * asked for, and a pass that proves less than it seems to.
 */
static bool filters_name_real_suites(void)
{
	char names[PRINTK_LINE_MAX];
	const struct ktest_suite *s;
	bool ok = true;
	int pos = 0;

	for (unsigned int i = 0; i < nr_filters; i++)
		ok &= suite_exists(filters[i]);
	if (ok)
		return true;
	/* cppcheck-suppress comparePointers ; as in suite_exists() */
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		pos += scnprintf(names + pos, sizeof(names) - (size_t)pos, "%s%s",
				 pos ? ", " : "", s->name);
	for (unsigned int i = 0; i < nr_filters; i++)
		if (!suite_exists(filters[i]))
			pr_err("ktest: error: selftest=%s: no such suite; the suites are: %s\n",
			       filters[i], names);
	return false;
}

unsigned int ktest_run_all(void)
{
	struct tally total = { 0, 0, 0 };
	unsigned int nr = 0, number = 0, cases = 0;
	const struct ktest_suite *s;

	if (!filters_name_real_suites())
		return 1;
	/* cppcheck-suppress comparePointers ; as above */
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		if (wanted(s)) {
			nr++;
			cases += s->nr_cases;
		}
	}

	printk_always("KTAP version 1\n");
	printk_always("1..%u\n", nr);
	where.nr_suites = nr;
	/* cppcheck-suppress comparePointers ; as above */
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (wanted(s))
			run_suite(s, ++number, &total);
	printk_always("# Totals: pass:%u fail:%u skip:%u total:%u\n", total.pass,
		      total.fail, total.skip, total.pass + total.fail + total.skip);
	where.case_name = NULL;
	snprintf(summary, sizeof(summary), "self-tests pass:%u fail:%u skip:%u total:%u",
		 total.pass, total.fail, total.skip, total.pass + total.fail + total.skip);
	console_status("%s", summary);
	/* A run of nothing proves nothing: it must not look like a pass
	 * (KUnit's tool calls it an error too). */
	if (cases == 0) {
		pr_err("ktest: error: no test case selected: the suites selftest= names are disabled in this configuration\n");
		return 1;
	}
	return total.fail;
}
