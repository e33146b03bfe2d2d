// SPDX-License-Identifier: MIT
/*
 * TSC frequency: read it from CPUID where the CPU states it (leaves 15h
 * and 16h, as arch/x86_64/tsc_cpuid.c takes them), else measure the TSC
 * against a timer of known frequency, in order of trust: the ACPI PM
 * timer, the HPET, PIT channel 2. Owns none of those timers beyond the
 * measurement; kernel/time.c owns the result.
 */
#include <asm/cpu.h>
#include <asm/cpu_quirks.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/tsc_cpuid.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/time.h>

#define CPUID_FREQ_BASE_MASK	0xffffu	/* 16h:EAX[15:0] */
/* A measurement that refines CPUID's estimate must lie this close to it,
 * as Linux's tsc_refine_calibration_work() requires: 1 part in 100. */
#define REFINE_TOLERANCE_DIV	100

/* How long each measurement runs: long enough that one tick of the
 * slowest reference (the PM timer, ~279 ns) is 0.003 %. */
#define CALIBRATE_MS		10

/* ACPI PM timer: 3.579545 MHz (ACPI 6.5, 4.8.3.3). */
#define PM_TIMER_HZ		3579545ull
#define PM_TIMER_MASK_24	0x00ffffffu
#define PM_TIMER_MASK_32	0xffffffffu

/* HPET registers (IA-PC HPET spec 1.0a, 2.3). */
#define HPET_GCAP_ID		0x000
#define HPET_GCAP_PERIOD_SHIFT	32	/* femtoseconds per tick */
#define HPET_GCAP_COUNT_SIZE	(1ull << 13)	/* 1: the main counter has 64 bits */
#define HPET_COUNTER_MASK_32	0xffffffffull
#define HPET_GEN_CONF		0x010
#define HPET_CONF_ENABLE	(1u << 0)
#define HPET_MAIN_COUNTER	0x0f0
#define HPET_MMIO_SIZE		0x400
#define FS_PER_SEC		1000000000000000ull
/* The spec bounds the period at 100 ns (10^8 fs). */
#define HPET_MAX_PERIOD_FS	100000000ull

/* PIT channel 2 behind port 0x61's gate (8254 data sheet). */
#define PIT_HZ			1193182ull
#define PIT_CH2_DATA		0x42
#define PIT_MODE		0x43
#define PIT_MODE_CH2_ONESHOT	0xb0	/* channel 2, lo/hi byte, mode 0 */
#define PORT_B			0x61
#define PORT_B_GATE2		0x01
#define PORT_B_SPEAKER		0x02
#define PORT_B_OUT2		0x20
/*
 * Each end of a measurement pairs a reference-timer read with a TSC read.
 * If the CPU is taken away between the two (an SMI on a PC; under a
 * hypervisor or TCG, the host descheduling the vCPU), the pair is skewed
 * by however long that lasted: one boot under a heavily loaded host
 * measured 5,438 MHz for a 2,100 MHz TSC. So, as Linux's tsc_read_refs()
 * does, each reference read is bracketed by two TSC reads and taken only
 * when the bracket is short, else read again; the TSC stamp is the
 * bracket's middle. Linux's bound is SMI_TRESHOLD, 50,000 cycles: 25 us at
 * 2 GHz, far above one port or MMIO read and far below a deschedule. */
#define REF_READ_MAX_CYCLES	50000ull
#define REF_READ_TRIES		5
/* And, as Linux's calibration does, the whole measurement is taken more
 * than once: two measurements that agree to 1 part in CALIBRATE_AGREE_DIV
 * are taken (the lower, as Linux keeps the minimum). A deschedule longer
 * than the PM timer's wrap (4.7 s for 24 bits) in mid-measurement passes
 * the brackets but not this: two such are not seen to agree. */
#define CALIBRATE_ATTEMPTS	6
#define CALIBRATE_AGREE_DIV	100
/* A measurement whose reference ran past this many times its interval was
 * interrupted for that long: dropped, which also keeps cycles * 10^9 in
 * hpet_hz() far from 2^64. */
#define CALIBRATE_MAX_OVERRUN	4

/* A reference timer that has not covered the interval after this many
 * reads is absent or stuck (firmware can name a port with nothing on it);
 * a working one needs a few thousand. */
#define TIMER_MAX_POLLS		20000000u

static enum tsc_cpuid_kind from_cpuid(u64 *hz)
{
	struct tsc_leaves l = { 0 };
	struct cpu_ident id;
	u32 a, b, c, d;

	cpu_get_ident(&id);
	cpuid(0, &l.max_leaf, &b, &c, &d);
	if (l.max_leaf >= CPUID_TSC_LEAF)
		cpuid(CPUID_TSC_LEAF, &l.ratio_denominator, &l.ratio_numerator,
		      &l.crystal_hz, &d);
	if (l.max_leaf >= CPUID_FREQ_LEAF) {
		cpuid(CPUID_FREQ_LEAF, &a, &b, &c, &d);
		l.base_mhz = a & CPUID_FREQ_BASE_MASK;
	}
	return tsc_hz_from_cpuid(&id, &l, hz);
}

/* One reference read, bracketed; false when every try was interrupted. */
static bool read_ref(u64 (*read)(const void *ctx), const void *ctx, u64 *ref, u64 *tsc)
{
	unsigned int i;

	for (i = 0; i < REF_READ_TRIES; i++) {
		u64 t0 = rdtsc_ordered(), v = read(ctx), t1 = rdtsc_ordered();

		if (t1 - t0 <= REF_READ_MAX_CYCLES) {
			*ref = v;
			*tsc = t0 + (t1 - t0) / 2;
			return true;
		}
	}
	return false;
}

struct pm_timer {
	u16 port;
	u32 mask;
};

static u64 read_pm_timer(const void *ctx)
{
	const struct pm_timer *pm = ctx;

	return inl(pm->port) & pm->mask;
}

/* How a reference's ticks and the TSC's cycles over them make Hz. */
struct ref_timer {
	u64 (*read)(const void *ctx);
	u64 (*hz)(const void *ctx, u64 cycles, u64 ticks);
	const void *ctx;
	u64 mask;		/* the counter wraps at mask + 1 */
	u64 want;		/* ticks in CALIBRATE_MS */
};

/* TSC Hz over at least @t->want ticks; 0 when the counter does not move
 * or no bracketed read could be had at either end. */
static u64 measure(const void *ctx)
{
	const struct ref_timer *t = ctx;

	u64 r0, r1 = 0, t0, t1;
	unsigned int i;

	if (!read_ref(t->read, t->ctx, &r0, &t0))
		return 0;
	for (i = 0; i < TIMER_MAX_POLLS; i++)
		if (((t->read(t->ctx) - r0) & t->mask) >= t->want)
			break;
	if (i == TIMER_MAX_POLLS || !read_ref(t->read, t->ctx, &r1, &t1))
		return 0;
	if (((r1 - r0) & t->mask) > CALIBRATE_MAX_OVERRUN * t->want)
		return 0;
	return t->hz(t->ctx, t1 - t0, (r1 - r0) & t->mask);
}

static bool agree(u64 a, u64 b)
{
	u64 lo = a < b ? a : b, hi = a < b ? b : a;

	return hi - lo <= lo / CALIBRATE_AGREE_DIV;
}

/*
 * Measure until two measurements agree (see CALIBRATE_AGREE_DIV), at most
 * CALIBRATE_ATTEMPTS times, failed ones skipped as Linux skips them. No two
 * agreeing (a host that keeps taking the CPU away): the lowest, said
 * aloud. 0 only when every measurement failed.
 */
static u64 measure_agreed(u64 (*one)(const void *ctx), const void *ctx, const char *name)
{
	u64 hz[CALIBRATE_ATTEMPTS], low = 0;
	unsigned int i, j, n = 0;

	for (i = 0; i < CALIBRATE_ATTEMPTS; i++) {
		u64 h = one(ctx);

		if (!h)
			continue;
		for (j = 0; j < n; j++)
			if (agree(h, hz[j]))
				return h < hz[j] ? h : hz[j];
		hz[n++] = h;
		if (!low || h < low)
			low = h;
	}
	if (n > 1)
		pr_warn("tsc: %u measurements against the %s, no two within 1%%: taking the lowest, %llu kHz\n",
			n, name, (unsigned long long)(low / 1000));
	return low;
}

static u64 pm_timer_hz(const void *ctx, u64 cycles, u64 ticks)
{
	return cycles * PM_TIMER_HZ / ticks;
}

static u64 against_pm_timer(u16 port, bool is32)
{
	struct pm_timer pm = { port, is32 ? PM_TIMER_MASK_32 : PM_TIMER_MASK_24 };
	struct ref_timer t = {
		.read = read_pm_timer, .hz = pm_timer_hz, .ctx = &pm, .mask = pm.mask,
		.want = PM_TIMER_HZ * CALIBRATE_MS / MSEC_PER_SEC,
	};

	return measure_agreed(measure, &t, "ACPI PM timer");
}

/* Hz = cycles * 10^9 / elapsed ns: over at most CALIBRATE_MAX_OVERRUN
 * times 10 ms, cycles * 10^9 stays far below 2^64 at any real clock rate.
 * @ctx is the HPET's period in fs. */
static u64 hpet_hz(const void *ctx, u64 cycles, u64 ticks)
{
	u64 period = *(const u64 *)ctx;

	return cycles * NSEC_PER_SEC / (ticks * period / (FS_PER_SEC / NSEC_PER_SEC));
}

static volatile u8 *hpet_regs;

static u64 read_hpet(const void *ctx)
{
	return mmio_read64(hpet_regs + HPET_MAIN_COUNTER);
}

static u64 against_hpet(u64 base)
{
	u64 cap, period;
	struct ref_timer t = {
		.read = read_hpet, .hz = hpet_hz, .ctx = &period,
	};

	if (paging_map_range(base, HPET_MMIO_SIZE, PAGE_CACHE_UC))
		return 0;
	hpet_regs = (volatile u8 *)base;
	cap = mmio_read64(hpet_regs + HPET_GCAP_ID);
	period = cap >> HPET_GCAP_PERIOD_SHIFT;
	if (period == 0 || period > HPET_MAX_PERIOD_FS)
		return 0;
	/* A 32-bit main counter wraps at 2^32 (HPET spec 1.0a, 2.3.4). */
	t.mask = cap & HPET_GCAP_COUNT_SIZE ? ~0ull : HPET_COUNTER_MASK_32;
	mmio_write32(hpet_regs + HPET_GEN_CONF,
		     mmio_read32(hpet_regs + HPET_GEN_CONF) | HPET_CONF_ENABLE);
	t.want = CALIBRATE_MS * (FS_PER_SEC / MSEC_PER_SEC) / period;
	return measure_agreed(measure, &t, "HPET");
}

/* One measurement against PIT channel 2; its ends are not bracketed (the
 * count starts at a port write, not a read), so agreement is all the
 * check it gets. */
static u64 pit_once(const void *ctx)
{
	u64 count = PIT_HZ * CALIBRATE_MS / MSEC_PER_SEC;
	u8 b = inb(PORT_B);
	u64 t0, t1;
	unsigned int i;

	/* Gate low and speaker off while programming, then gate high to
	 * start the count; OUT2 goes high when it reaches 0. */
	outb(PORT_B, (b & ~(PORT_B_GATE2 | PORT_B_SPEAKER)));
	outb(PIT_MODE, PIT_MODE_CH2_ONESHOT);
	outb(PIT_CH2_DATA, (u8)count);
	outb(PIT_CH2_DATA, (u8)(count >> 8));
	outb(PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	t0 = rdtsc_ordered();
	for (i = 0; i < TIMER_MAX_POLLS; i++)
		if (inb(PORT_B) & PORT_B_OUT2)
			break;
	t1 = rdtsc_ordered();
	outb(PORT_B, b);
	if (i == TIMER_MAX_POLLS)
		return 0;
	return (t1 - t0) * MSEC_PER_SEC / CALIBRATE_MS;
}

/* Against the two timers Linux refines with, PM timer first. */
static u64 against_reference(u16 pm_timer_port, bool pm_timer_32bit, u64 hpet_address,
			     const char **source)
{
	u64 hz;

	if (pm_timer_port && (hz = against_pm_timer(pm_timer_port, pm_timer_32bit))) {
		*source = "ACPI PM timer";
		return hz;
	}
	if (hpet_address && (hz = against_hpet(hpet_address))) {
		*source = "HPET";
		return hz;
	}
	return 0;
}

/* The reference timer the frequency in use was measured against (NULL:
 * taken from CPUID, or from the PIT), for arch_time_check(). */
static const char *measured_against;

u64 tsc_calibrate(u16 pm_timer_port, bool pm_timer_32bit, u64 hpet_address,
		  const char **source)
{
	static char refined[64];
	const char *ref = NULL;
	enum tsc_cpuid_kind kind;
	u64 hz, estimate;

	kind = from_cpuid(&estimate);
	if (kind == TSC_CPUID_KNOWN) {
		*source = "CPUID 15h";
		return estimate;
	}
	hz = against_reference(pm_timer_port, pm_timer_32bit, hpet_address, &ref);
	if (kind == TSC_CPUID_DERIVED) {
		/* The crystal came from the base frequency, itself a rounded
		 * figure: Linux refines such an estimate against a reference
		 * timer and keeps the measurement when the two agree to 1 %. */
		if (hz && (hz > estimate ? hz - estimate : estimate - hz) <=
		    estimate / REFINE_TOLERANCE_DIV) {
			snprintf(refined, sizeof(refined), "CPUID 15h+16h, refined against the %s", ref);
			*source = refined;
			measured_against = ref;
			return hz;
		}
		if (hz)
			pr_warn("tsc: the %s measures %llu kHz, CPUID 15h+16h says %llu kHz: more than 1%% apart, keeping CPUID's\n",
				ref, (unsigned long long)(hz / 1000),
				(unsigned long long)(estimate / 1000));
		*source = "CPUID 15h, crystal from 16h";
		return estimate;
	}
	if (hz) {
		*source = ref;
		measured_against = ref;
		return hz;
	}
	*source = "PIT channel 2";
	return measure_agreed(pit_once, NULL, "PIT");
}


int arch_time_check(char *buf, size_t size)
{
	const char *ref = NULL;
	unsigned long flags;
	bool pm32;
	u16 pm = acpi_pm_timer(&pm32);
	u64 boot = cycles_hz(), now;

	if (!measured_against) {
		snprintf(buf, size, "boot measured against neither the PM timer nor the HPET");
		return -ENODEV;
	}
	local_irq_save(flags);
	now = against_reference(pm, pm32, acpi_hpet_address(), &ref);
	local_irq_restore(flags);
	if (!now) {
		snprintf(buf, size, "no undisturbed reading of the reference timer now");
		return -ENODEV;
	}
	snprintf(buf, size, "boot %llu kHz against the %s, now %llu kHz against the %s",
		 (unsigned long long)(boot / 1000), measured_against,
		 (unsigned long long)(now / 1000), ref);
	return (now > boot ? now - boot : boot - now) <= boot / REFINE_TOLERANCE_DIV ?
		0 : -ERANGE;
}

void arch_time_init(void)
{
	const char *source = "none";
	bool pm32;
	u16 pm = acpi_pm_timer(&pm32);
	u64 hz = tsc_calibrate(pm, pm32, acpi_hpet_address(), &source);

	if (!hz)
		panic("tsc: cannot find the TSC frequency: no CPUID leaf, and no PM timer, HPET or PIT answered");
	time_init(hz);
	pr_info("tsc: %llu.%03llu MHz (%s)%s; CPU '%s'%s%s\n",
		(unsigned long long)(hz / 1000000),
		(unsigned long long)(hz / 1000 % 1000), source,
		cpu_has(X86_FEATURE_INVARIANT_TSC) ? ", invariant" : "",
		cpu_model_name(),
		cpu_hypervisor_name()[0] ? ", hypervisor " : "", cpu_hypervisor_name());
}
