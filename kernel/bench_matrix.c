// SPDX-License-Identifier: MIT
/*
 * The core-to-core matrix: kernel/bench.c's three round trips, measured
 * for every ordered pair of online CPUs instead of from the boot CPU
 * only, like the matrices core-to-core latency tools draw for a CPU, but
 * with IPIs beside the cache line:
 *
 *   pingpong     the caller and the target bounce a flag on one cache
 *                line; one sample is a round trip, two transfers of the
 *                line (caller writes, target answers)
 *   raw_ipi      the caller sends the bare benchmark vector; the target's
 *                handler sets a flag the caller spins on (kernel/bench.c's
 *                raw_ipi, same vector and handler hook)
 *   call_single  smp_call_function_single(target, nop, NULL, wait=1)
 *
 * The boot CPU only hands out the work: the caller's part runs on the
 * caller's idle loop (smp_call_on_cpu_async()), the ping-pong partner's
 * on the target's, and either runs in place when it is the boot CPU's
 * own. The raw IPI and the call are measured settled
 * (MATRIX_SETTLE_US before each sample), as kernel/bench.c's default
 * method. While the parts run elsewhere the boot CPU waits as an idle
 * CPU does (boot_cpu_idle_until()): halted for idle=hlt, polling its
 * call queue for idle=poll, and each part wakes it with a call when it
 * has finished, so a target that is the boot CPU is in the same idle
 * state as any other target.
 *
 * Each figure of each pair: bench_matrix_iters samples after a tenth as
 * many of warm-up, summarised by lib/stats.c; one line each:
 *
 *   MATRIX {"figure": "raw_ipi", "caller": 1, "target": 2, "cpus": 4,
 *           "apic": "xapic", "idle": "hlt", "unit": "ns", "n": 100, "min": .., "p50": .., "p90": ..,
 *           "p99": .., "max": .., "mean": .., "method": "settled"}
 *
 * then "bench_matrix: done". tools/bench_matrix.py reads them into
 * build/bench/matrix.json and draws the heatmaps.
 *
 * On a framebuffer console the same p50s are drawn as three heatmaps
 * (draw_matrix()), and each rectangle and string drawn is printed as a
 * SCREEN line, so the host can compare QEMU's screendump with what the
 * kernel says it drew (tools/bench_screen.py). The colour scale, per
 * heatmap: light green at its smallest p50, yellow half way, light red
 * at its largest (linear in ns), the two ends written under the map on
 * their colours; the diagonal and any pair that could not be measured
 * are dark grey with "-".
 *
 * Benchmarks are not tests: nothing here passes or fails on a time.
 */
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/bench_matrix.h>
#include <xcall/errno.h>
#include <xcall/fbcon.h>
#include <xcall/fbtext.h>
#include <xcall/format.h>
#include <xcall/idle.h>
#include <xcall/irqflags.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/stats.h>
#include <xcall/string.h>
#include <xcall/time.h>

/* Small: -smp 4 has 12 pairs of 3 figures; under TCG this takes seconds. */
#define MATRIX_ITERS_DEFAULT	100
#define MATRIX_ITERS_MAX	100000
#define MATRIX_WARMUP_DIV	10	/* warm-up: a tenth of the samples, as bench.c */
/* kernel/bench.c's default bench_settle_us: the target back in idle. */
#define MATRIX_SETTLE_US	50
/* The screen shows at most this many CPUs a side: 16 x 16 cells of
 * seven characters in an 8x16 font are 920 pixels wide, so the three
 * maps fit a 1920x1080 screen (two side by side, one below); a smaller
 * screen shows the maps that fit. With more CPUs every pair is still
 * measured and printed (MATRIX lines, matrix.json), and the screen shows
 * CPUs 0 to MATRIX_SCREEN_CPUS - 1 with a note: a photograph of more
 * could not be read. */
#define MATRIX_SCREEN_CPUS	16
#define MATRIX_HOLD_S_MAX	3600
/* No sample waits longer than this for another CPU (as bench.c). */
#define MATRIX_WAIT_NS		(10ull * NSEC_PER_SEC)
#define SPINS_PER_CLOCK_CHECK	256
/* idle=haltpoll: the boot CPU polls this long before it halts, the
 * window kernel/idle.c's haltpoll starts from (its adaptation is not
 * reproduced here). */
#define MATRIX_HALTPOLL_NS	50000

enum matrix_figure { FIG_PINGPONG, FIG_RAW_IPI, FIG_CALL_SINGLE, NR_FIGS };
static const char *const figure_names[NR_FIGS] = {
	[FIG_PINGPONG] = "pingpong",
	[FIG_RAW_IPI] = "raw_ipi",
	[FIG_CALL_SINGLE] = "call_single",
};
/* A pair not measured, in p50s[][][]: no real round trip is this long. */
#define NO_VALUE		(~0ull)

static unsigned int matrix_iters = MATRIX_ITERS_DEFAULT;
static unsigned int hold_s;

DEFINE_OPTION_UINT(bench_matrix_iters, matrix_iters, 0, MATRIX_ITERS_MAX,
		   "samples per pair and figure of the core-to-core matrix (0: no matrix; default 100)");
DEFINE_OPTION_UINT(bench_matrix_hold_s, hold_s, 0, MATRIX_HOLD_S_MAX,
		   "seconds the matrix stays on the screen before the run goes on (default 0)");

static u64 *samples;			/* [matrix_iters + warm-up] */
/* Only what the screen shows: the first MATRIX_SCREEN_CPUS a side. */
static u64 p50s[NR_FIGS][MATRIX_SCREEN_CPUS][MATRIX_SCREEN_CPUS];
static unsigned int cur_caller, cur_target;	/* the pair being measured */

static unsigned int total_samples(void)
{
	return matrix_iters + matrix_iters / MATRIX_WARMUP_DIV;
}

static unsigned int warmup(void)
{
	return matrix_iters / MATRIX_WARMUP_DIV;
}

/* Spin until *@p >= @want, written by CPU @from; false (and a message
 * naming @from and its APIC ID) after MATRIX_WAIT_NS. */
static bool wait_for(const unsigned int *p, unsigned int want, const char *what,
		     unsigned int from)
{
	u64 deadline = get_cycles() + ns_to_cycles(MATRIX_WAIT_NS);

	for (unsigned int spins = 0; smp_load_acquire(p) < want; spins++) {
		cpu_relax();
		if (spins % SPINS_PER_CLOCK_CHECK == 0 && get_cycles() > deadline) {
			pr_err("bench_matrix: CPU %u waited %llu s for CPU %u (apic_id %u): %s\n",
			       smp_processor_id(),
			       (unsigned long long)(MATRIX_WAIT_NS / NSEC_PER_SEC),
			       from, cpu_physical_id(from), what);
			return false;
		}
	}
	return true;
}

/* ---- The three round trips, each run on the caller ---- */

struct matrix_line {
	unsigned int flag;
} ____cacheline_aligned;

static struct matrix_line pp;		/* the ping-pong's line */
static struct matrix_line raw_flag;	/* set by the raw IPI's handler */

static int pingpong_partner(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		if (!wait_for(&pp.flag, 2 * i + 1, "the ping-pong's serve", cur_caller))
			return -ETIMEDOUT;
		smp_store_release(&pp.flag, 2 * i + 2);
	}
	return 0;
}

static int pingpong_caller(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0 = get_cycles_ordered();

		smp_store_release(&pp.flag, 2 * i + 1);
		if (!wait_for(&pp.flag, 2 * i + 2, "the ping-pong's answer", cur_target))
			return -ETIMEDOUT;
		if (i >= warmup())
			samples[i - warmup()] = get_cycles_ordered() - t0;
	}
	return 0;
}

static void raw_ipi_seen(void)
{
	smp_store_release(&raw_flag.flag, 1);
}

static int raw_ipi_caller(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;

		udelay(MATRIX_SETTLE_US);
		WRITE_ONCE(raw_flag.flag, 0);
		t0 = get_cycles_ordered();
		arch_send_raw_ipi(cur_target);
		if (!wait_for(&raw_flag.flag, 1, "the raw IPI's handler", cur_target))
			return -ETIMEDOUT;
		if (i >= warmup())
			samples[i - warmup()] = get_cycles_ordered() - t0;
	}
	return 0;
}

static void matrix_nop(void *info)
{
}

static int call_caller(void *arg)
{
	for (unsigned int i = 0; i < total_samples(); i++) {
		u64 t0;
		int err;

		udelay(MATRIX_SETTLE_US);
		t0 = get_cycles_ordered();
		err = smp_call_function_single((int)cur_target, matrix_nop, NULL, 1);
		if (err) {
			pr_err("bench_matrix: call from CPU %u to CPU %u (apic_id %u): error %d\n",
			       smp_processor_id(), cur_target, cpu_physical_id(cur_target), err);
			return err;
		}
		if (i >= warmup())
			samples[i - warmup()] = get_cycles_ordered() - t0;
	}
	return 0;
}

/* ---- Running a pair ---- */

/*
 * Each part's work returns 0 to the idle loop and leaves its result
 * here, so that -ETIMEDOUT from smp_call_on_cpu_wait() always means "not
 * finished yet", never a part that gave up.
 */
static int (*caller_part)(void *), (*partner_part)(void *);
static int caller_result, partner_result;
/* Set (release) by a part that ran away from the boot CPU once it has
 * finished, before it wakes the boot CPU; read in boot_cpu_idle_until(). */
static unsigned int caller_finished, partner_finished;
static unsigned int coordinator;	/* the CPU that runs run_pair() */
/* smp_idle_poll()'s stop: set by matrix_wake() on the boot CPU. */
static void *wake_stop;

/* Runs on the coordinator, from the call a finished part sends it. */
static void matrix_wake(void *info)
{
	WRITE_ONCE(wake_stop, info);
}

/* A part that ran on another CPU says it has finished and wakes the
 * coordinator, which may be halted in boot_cpu_idle_until(). */
static void part_finished(unsigned int *flag)
{
	int err;

	smp_store_release(flag, 1);
	if (smp_processor_id() == coordinator)
		return;		/* ran in place: nobody waits */
	err = smp_call_function_single((int)coordinator, matrix_wake, &wake_stop, 1);
	if (err)
		pr_err("bench_matrix: CPU %u could not wake CPU %u (apic_id %u): error %d\n",
		       smp_processor_id(), coordinator, cpu_physical_id(coordinator), err);
}

static int caller_work(void *arg)
{
	caller_result = caller_part(arg);
	part_finished(&caller_finished);
	return 0;
}

static int partner_work(void *arg)
{
	partner_result = partner_part(arg);
	part_finished(&partner_finished);
	return 0;
}

/*
 * Wait, as this CPU's idle loop would (kernel/idle.c's cpu_idle_loop()),
 * until *@a and *@b are both set: for idle=poll, poll the call queue;
 * for idle=haltpoll, poll MATRIX_HALTPOLL_NS, then halt; otherwise halt
 * until an interrupt. A part's finishing call ends either wait. The
 * raw IPIs and calls sent to this CPU while it waits are then taken the
 * way an idle target takes them, so the column whose target is the boot
 * CPU measures what the other columns measure, not this wait.
 *
 * The wait has no bound of its own: each part's own waits are bounded
 * (MATRIX_WAIT_NS) and it sends its call when it returns; only a part
 * whose CPU died would leave this CPU halted, as it would leave an idle
 * loop. Context: interrupts on; returns with them on.
 */
static void boot_cpu_idle_until(const unsigned int *a, const unsigned int *b)
{
	const char *method = idle_method_name();
	bool poll = strcmp(method, "poll") == 0;
	bool haltpoll = strcmp(method, "haltpoll") == 0;

	local_irq_disable();
	for (;;) {
		/* Clear the stop before the look at the flags: a part that
		 * finishes after the look sets it again with its call, and
		 * with interrupts off here, a call's IPI waits for the
		 * halt's sti and ends the halt (as in cpu_idle_loop()). */
		WRITE_ONCE(wake_stop, NULL);
		if (smp_load_acquire(a) && smp_load_acquire(b))
			break;
		if (poll) {
			smp_idle_poll(0, (void *const *)&wake_stop);
			continue;
		}
		if (haltpoll && !smp_idle_poll(ns_to_cycles(MATRIX_HALTPOLL_NS),
					       (void *const *)&wake_stop))
			continue;
		if (smp_call_queue_pending()) {
			flush_smp_call_function_queue();
		} else {
			arch_idle_halt();
			local_irq_disable();
		}
	}
	local_irq_enable();
}

/*
 * Collect work handed to another CPU once it has said it finished: its
 * smp_call_on_cpu_struct is marked done just after. Return: 0, or
 * -ETIMEDOUT if it is not marked within MATRIX_WAIT_NS.
 */
static int work_collect(struct smp_call_on_cpu_struct *w, unsigned int cpu)
{
	if (smp_call_on_cpu_wait(w, MATRIX_WAIT_NS) != -ETIMEDOUT)
		return 0;
	pr_err("bench_matrix: CPU %u (apic_id %u) finished its part but its work is not marked done after %llu s\n",
	       cpu, cpu_physical_id(cpu), (unsigned long long)(MATRIX_WAIT_NS / NSEC_PER_SEC));
	return -ETIMEDOUT;
}

/*
 * Run @caller_fn on @caller and, when @partner_fn is set, @partner_fn on
 * the target at the same time; the boot CPU runs its own part in place
 * and hands out the others. Return: 0 or the first error, as it came:
 * smp_call_on_cpu_async()'s (-EBUSY, -ENXIO, -EDEADLK), a part's own
 * (-ETIMEDOUT from its bounded wait, smp_call_function_single()'s), or
 * -ETIMEDOUT from work_collect().
 */
static int run_pair(unsigned int caller, unsigned int target,
		    int (*caller_fn)(void *), int (*partner_fn)(void *))
{
	static struct smp_call_on_cpu_struct cw, pw;
	unsigned int me = smp_processor_id();
	bool partner_away = partner_fn && target != me;
	bool caller_away = caller != me;
	int err = 0;

	coordinator = me;
	cur_caller = caller;
	cur_target = target;
	caller_part = caller_fn;
	partner_part = partner_fn;
	caller_result = partner_result = 0;
	/* A part that does not run away counts as finished. */
	caller_finished = !caller_away;
	partner_finished = !partner_away;
	if (partner_away) {
		pw = (struct smp_call_on_cpu_struct){ .func = partner_work };
		err = smp_call_on_cpu_async(target, &pw);
		if (err) {
			pr_err("bench_matrix: CPU %u (apic_id %u) would not take the partner's work: error %d\n",
			       target, cpu_physical_id(target), err);
			return err;
		}
	}
	if (caller_away) {
		cw = (struct smp_call_on_cpu_struct){ .func = caller_work };
		err = smp_call_on_cpu_async(caller, &cw);
		if (err) {
			pr_err("bench_matrix: CPU %u (apic_id %u) would not take the caller's work: error %d\n",
			       caller, cpu_physical_id(caller), err);
			caller_result = err;
			err = 0;
			caller_away = false;
			caller_finished = 1;
			/* The partner gives up within its own bounded wait. */
		} else if (partner_fn && !partner_away) {
			partner_work(NULL);
		}
	} else {
		caller_work(NULL);
	}
	boot_cpu_idle_until(&caller_finished, &partner_finished);
	if (caller_away)
		err = work_collect(&cw, caller);
	if (partner_away && !err)
		err = work_collect(&pw, target);
	if (err)
		return err;
	return caller_result ? caller_result : partner_result;
}

static void report(enum matrix_figure fig, unsigned int caller, unsigned int target)
{
	struct sample_summary s;

	for (unsigned int i = 0; i < matrix_iters; i++)
		samples[i] = cycles_to_ns(samples[i]);
	summarize_u64(samples, matrix_iters, &s);
	if (caller < MATRIX_SCREEN_CPUS && target < MATRIX_SCREEN_CPUS)
		p50s[fig][caller][target] = s.p50;
	printk_always("MATRIX {\"figure\": \"%s\", \"caller\": %u, \"target\": %u, \"cpus\": %u"
		      ", \"apic\": \"%s\", \"idle\": \"%s\""
		      ", \"unit\": \"ns\", \"n\": %llu, \"min\": %llu, \"p50\": %llu"
		      ", \"p90\": %llu, \"p99\": %llu, \"max\": %llu, \"mean\": %llu"
		      ", \"method\": \"%s\"}\n",
		      figure_names[fig], caller, target, num_online_cpus(),
		      arch_ipi_mode_name(), idle_method_name(),
		      (unsigned long long)s.n, (unsigned long long)s.min,
		      (unsigned long long)s.p50, (unsigned long long)s.p90,
		      (unsigned long long)s.p99, (unsigned long long)s.max,
		      (unsigned long long)s.mean,
		      fig == FIG_PINGPONG ? "back-to-back" : "settled");
}

static unsigned int measure_pair(unsigned int caller, unsigned int target)
{
	static int (*const callers[NR_FIGS])(void *) = {
		[FIG_PINGPONG] = pingpong_caller,
		[FIG_RAW_IPI] = raw_ipi_caller,
		[FIG_CALL_SINGLE] = call_caller,
	};
	unsigned int failed = 0;

	console_status("benchmarks: core-to-core matrix, CPU %u to CPU %u", caller, target);
	for (unsigned int fig = 0; fig < NR_FIGS; fig++) {
		int err;

		WRITE_ONCE(pp.flag, 0);
		err = run_pair(caller, target, callers[fig],
			       fig == FIG_PINGPONG ? pingpong_partner : NULL);
		if (err) {
			pr_err("bench_matrix: %s from CPU %u to CPU %u not measured (error %d)\n",
			       figure_names[fig], caller, target, err);
			failed++;
			continue;
		}
		report(fig, caller, target);
	}
	return failed;
}

/* ---- The screen ---- */

/* A cell: seven characters wide (six of value and one of margin), one
 * and a half lines high. */
#define CELL_CHARS		7
#define VALUE_CHARS_MAX		6
/* format_ns_short() writes longer only past 99999 s: room for u64's 20
 * digits and a suffix, so nothing is cut. */
#define VALUE_BUF		24
#define LABEL_CHARS		3	/* the caller column: " 7 " */
#define MAP_GAP_CHARS		2	/* between two maps side by side */
#define LEGEND_LINES		3	/* the lines above the first map */
#define COLOUR_STEPS		256	/* the scale's resolution */
/* The scale's positions: 0 at its low end, one stop (COLOUR_STEPS - 1)
 * at yellow, two stops at its high end. */
#define SCALE_SPAN		(2 * (COLOUR_STEPS - 1))
/* "[255, 255, 255]" and its terminator, with room to spare. */
#define RGB_TEXT_MAX		20
/* The scale line: its two ends start this many characters after the
 * label column, with one character between them. */
#define SCALE_LO_CHARS		3
#define SCALE_GAP_CHARS		1

static const struct fbcon_rgb black = { 0, 0, 0 };
static const struct fbcon_rgb grey = { 0xaa, 0xaa, 0xaa };	/* fbcon's text */
static const struct fbcon_rgb white = { 0xff, 0xff, 0xff };
static const struct fbcon_rgb no_value = { 0x40, 0x40, 0x40 };
/* The scale's three stops: VGA's light green, yellow and light red, the
 * colours of fbcon's ok and not ok lines. */
static const struct fbcon_rgb scale[3] = {
	{ 0x55, 0xff, 0x55 }, { 0xff, 0xff, 0x55 }, { 0xff, 0x55, 0x55 },
};

static u8 lerp(u8 a, u8 b, unsigned int t)
{
	return (u8)((a * (COLOUR_STEPS - 1 - t) + b * t) / (COLOUR_STEPS - 1));
}

/* The colour of @v on a scale from @lo to @hi. */
static struct fbcon_rgb scale_colour(u64 v, u64 lo, u64 hi)
{
	unsigned int t = hi > lo ? (unsigned int)((v - lo) * SCALE_SPAN / (hi - lo)) : 0;
	const struct fbcon_rgb *a = &scale[0], *b = &scale[1];

	if (t >= COLOUR_STEPS - 1) {
		t -= COLOUR_STEPS - 1;
		a = &scale[1];
		b = &scale[2];
	}
	return (struct fbcon_rgb){ lerp(a->r, b->r, t), lerp(a->g, b->g, t), lerp(a->b, b->b, t) };
}

static void say_rgb(char *buf, size_t size, const struct fbcon_rgb *c)
{
	scnprintf(buf, size, "[%u, %u, %u]", c->r, c->g, c->b);
}

/* Draw a map's cell (caller @i, target @j of @fig) and say so on serial:
 * the host checks the value drawn in it against the MATRIX line. */
static void cell_rect(u32 x, u32 y, u32 w, u32 h, const struct fbcon_rgb *c,
		      enum matrix_figure fig, unsigned int i, unsigned int j)
{
	char rgb[RGB_TEXT_MAX];

	fbcon_fill_rect(x, y, w, h, c->r, c->g, c->b);
	say_rgb(rgb, sizeof(rgb), c);
	printk_always("SCREEN {\"rect\": [%u, %u, %u, %u], \"rgb\": %s, \"cell\": [\"%s\", %u, %u]}\n",
		      x, y, w, h, rgb, figure_names[fig], i, j);
}

/* Draw a string and say what was drawn (it may be cut at the right). */
static void text(u32 x, u32 y, const char *s, const struct fbcon_rgb *fg,
		 const struct fbcon_rgb *bg)
{
	char fgs[RGB_TEXT_MAX], bgs[RGB_TEXT_MAX], shown[PRINTK_LINE_MAX / 2];
	size_t n = fbcon_draw_text(x, y, s, fg, bg);

	if (n == 0)
		return;
	scnprintf(shown, min(sizeof(shown), n + 1), "%s", s);
	say_rgb(fgs, sizeof(fgs), fg);
	say_rgb(bgs, sizeof(bgs), bg);
	printk_always("SCREEN {\"text\": \"%s\", \"at\": [%u, %u], \"fg\": %s, \"bg\": %s}\n",
		      shown, x, y, fgs, bgs);
}

/* @ns in a cell: at most VALUE_CHARS_MAX characters (lib/fbtext.c). */
static void format_value(char *buf, size_t size, u64 ns)
{
	format_ns_short(buf, size, ns, VALUE_CHARS_MAX);
}

/* The x at which @len characters of width @fw sit centred in @w pixels
 * from @x; at @x itself when they do not fit (fbcon cuts them). */
static u32 centred_x(u32 x, u32 w, size_t len, u32 fw)
{
	u64 tw = (u64)len * fw;

	return tw < w ? x + (u32)((w - tw) / 2) : x;
}

static void draw_map(enum matrix_figure fig, u32 x0, u32 y0, u32 fw, u32 fh)
{
	u32 cw = CELL_CHARS * fw, ch = fh + fh / 2, lw = LABEL_CHARS * fw;
	u64 lo = NO_VALUE, hi = 0;
	unsigned int n = min(num_online_cpus(), MATRIX_SCREEN_CPUS);
	char buf[VALUE_BUF];

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			if (p50s[fig][i][j] != NO_VALUE) {
				lo = min(lo, p50s[fig][i][j]);
				hi = max(hi, p50s[fig][i][j]);
			}
	text(x0, y0, figure_names[fig], &white, &black);
	for (unsigned int j = 0; j < n; j++) {
		scnprintf(buf, sizeof(buf), "%u", j);
		text(x0 + lw + j * cw + (cw - fw) / 2, y0 + fh + (ch - fh) / 2, buf, &grey, &black);
	}
	for (unsigned int i = 0; i < n; i++) {
		u32 y = y0 + fh + ch + i * ch;

		scnprintf(buf, sizeof(buf), "%2u", i);
		text(x0, y + (ch - fh) / 2, buf, &grey, &black);
		for (unsigned int j = 0; j < n; j++) {
			u64 v = p50s[fig][i][j];
			struct fbcon_rgb c = v == NO_VALUE ? no_value : scale_colour(v, lo, hi);
			u32 x = x0 + lw + j * cw;

			/* One pixel of black between cells, so they read as a grid. */
			cell_rect(x, y, cw - 1, ch - 1, &c, fig, i, j);
			if (v == NO_VALUE)
				scnprintf(buf, sizeof(buf), "-");
			else
				format_value(buf, sizeof(buf), v);
			text(centred_x(x, cw - 1, strlen(buf), fw), y + (ch - 1 - fh) / 2,
			     buf, v == NO_VALUE ? &grey : &black, &c);
		}
	}
	/* The scale's ends under the map, each in its own colour. */
	if (lo != NO_VALUE) {
		u32 y = y0 + fh + ch + n * ch + fh / 4;
		char hi_s[VALUE_BUF];

		format_value(buf, sizeof(buf), lo);
		format_value(hi_s, sizeof(hi_s), hi);
		text(x0, y, "scale", &grey, &black);
		text(x0 + lw + fw * SCALE_LO_CHARS, y, buf, &black, &scale[0]);
		text(x0 + lw + fw * (SCALE_LO_CHARS + SCALE_GAP_CHARS) + (u32)strlen(buf) * fw,
		     y, hi_s, &black, &scale[2]);
	}
}

/*
 * Three maps side by side, wrapped to the next band when the screen is
 * too narrow; a legend above. Refused, with a message, when even that
 * does not fit.
 */
static void draw_matrix(void)
{
	struct fbcon_picture_area a;
	unsigned int n = min(num_online_cpus(), MATRIX_SCREEN_CPUS);
	u32 fw, fh, map_w, map_h, x, y;
	unsigned int drawn = 0;
	int err;

	console_status("benchmarks: core-to-core matrix drawn (%u CPUs)", n);
	err = fbcon_picture_begin(&a);
	if (err) {
		pr_info("bench_matrix: %s; the matrix is on serial only\n",
			err == -ENODEV ? "no pixel screen" : "the screen's console lock stayed taken");
		return;
	}
	fw = a.font_width;
	fh = a.font_height;
	map_w = LABEL_CHARS * fw + n * CELL_CHARS * fw;
	/* title, header row, n rows, the scale line */
	map_h = fh + (n + 1) * (fh + fh / 2) + fh + fh / 4;
	printk_always("SCREEN {\"screen\": [%u, %u], \"font\": [%u, %u], \"bpp\": %u}\n",
		      a.width, a.height, fw, fh, a.bpp);
	text(0, 0, "xcall core-to-core round trips, p50 in ns (u: us, m: ms)", &white, &black);
	text(0, fh, "rows: caller CPU; columns: target CPU; pingpong: 2 line transfers", &grey, &black);
	text(0, 2 * fh, "colour per map: green fastest, yellow, red slowest", &grey, &black);
	if (num_online_cpus() > n) {
		char note[PRINTK_LINE_MAX / 2];

		scnprintf(note, sizeof(note), "CPUs 0-%u of %u shown; all pairs on serial",
			  n - 1, num_online_cpus());
		text(0, LEGEND_LINES * fh, note, &white, &black);
		pr_info("bench_matrix: the screen shows CPUs 0 to %u of %u; every pair is in the MATRIX lines\n",
			n - 1, num_online_cpus());
	}
	x = 0;
	/* One more line when the note above is there. */
	y = (LEGEND_LINES + (num_online_cpus() > n ? 1 : 0)) * fh + fh / 2;
	for (unsigned int fig = 0; fig < NR_FIGS; fig++) {
		/* Wrap to the next band only when this one holds a map: a map
		 * wider than the screen fails below where it stands. */
		if (x > 0 && x + map_w > a.width) {
			x = 0;
			y += map_h + fh;
		}
		if (x + map_w > a.width || y + map_h > a.height) {
			pr_warn("bench_matrix: the %s map does not fit a %ux%u screen; drawn up to it\n",
				figure_names[fig], a.width, a.height);
			break;
		}
		draw_map(fig, x, y, fw, fh);
		drawn++;
		x += map_w + MAP_GAP_CHARS * fw;
	}
	if (drawn == 0) {
		pr_warn("bench_matrix: no map fits the %ux%u screen; the matrix is on serial only\n",
			a.width, a.height);
		return;
	}
	printk_always("bench_matrix: screen drawn (%u of %u maps); holding it %u s\n",
		      drawn, (unsigned int)NR_FIGS, hold_s);
	mdelay((u64)hold_s * MSEC_PER_SEC);
}

/* ---- All of it ---- */

unsigned int bench_matrix_run(void)
{
	size_t pages = DIV_ROUND_UP((size_t)total_samples() * sizeof(u64), PAGE_SIZE);
	unsigned int n = num_online_cpus(), failed = 0;

	if (matrix_iters == 0 || n < 2) {
		pr_info("bench_matrix: no core-to-core matrix (%s)\n",
			matrix_iters ? "one CPU" : "bench_matrix_iters=0");
		return 0;
	}
	/* Online CPUs are numbered 0..n-1 at boot (kernel/smpboot.c), so the
	 * matrix's rows and columns are CPU numbers; after a cpu_down() they
	 * would not be, and the matrix is skipped. */
	for (unsigned int i = 0; i < n; i++)
		if (!cpu_online(i)) {
			pr_info("bench_matrix: no core-to-core matrix: the %u online CPUs are not numbered 0 to %u (CPU %u is offline)\n",
				n, n - 1, i);
			return 0;
		}
	samples = alloc_pages(pages);
	if (!samples) {
		pr_err("bench_matrix: out of memory for %u samples\n", total_samples());
		return 1;
	}
	pr_info("bench_matrix: %u pairs, %u samples each, settle %u us\n", n * (n - 1),
		matrix_iters, MATRIX_SETTLE_US);
	for (unsigned int f = 0; f < NR_FIGS; f++)
		for (unsigned int i = 0; i < MATRIX_SCREEN_CPUS; i++)
			for (unsigned int j = 0; j < MATRIX_SCREEN_CPUS; j++)
				p50s[f][i][j] = NO_VALUE;
	arch_set_raw_ipi_handler(raw_ipi_seen);
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			if (i != j)
				failed += measure_pair(i, j);
	arch_set_raw_ipi_handler(NULL);
	free_pages(samples, pages);
	printk_always("bench_matrix: done\n");
	draw_matrix();
	return failed;
}
