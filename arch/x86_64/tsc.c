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
#include <xcall/format.h>
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

static u64 against_pm_timer(u16 port, bool is32)
{
	u32 mask = is32 ? PM_TIMER_MASK_32 : PM_TIMER_MASK_24;
	u64 want = PM_TIMER_HZ * CALIBRATE_MS / MSEC_PER_SEC;
	u32 start = inl(port) & mask, now;
	u64 t0 = rdtsc_ordered(), t1;
	unsigned int i;

	for (i = 0; i < TIMER_MAX_POLLS; i++) {
		now = inl(port) & mask;
		if (((now - start) & mask) >= want)
			break;
	}
	t1 = rdtsc_ordered();
	if (i == TIMER_MAX_POLLS)
		return 0;
	return (t1 - t0) * PM_TIMER_HZ / ((now - start) & mask);
}

static u64 against_hpet(u64 base)
{
	volatile u8 *hpet = (volatile u8 *)base;
	u64 period, want, c0, c1 = 0, t0, t1;
	unsigned int i;

	if (paging_map_range(base, HPET_MMIO_SIZE, PAGE_CACHE_UC))
		return 0;
	period = mmio_read64(hpet + HPET_GCAP_ID) >> HPET_GCAP_PERIOD_SHIFT;
	if (period == 0 || period > HPET_MAX_PERIOD_FS)
		return 0;
	mmio_write32(hpet + HPET_GEN_CONF,
		     mmio_read32(hpet + HPET_GEN_CONF) | HPET_CONF_ENABLE);
	want = CALIBRATE_MS * (FS_PER_SEC / MSEC_PER_SEC) / period;
	c0 = mmio_read64(hpet + HPET_MAIN_COUNTER);
	t0 = rdtsc_ordered();
	for (i = 0; i < TIMER_MAX_POLLS; i++) {
		c1 = mmio_read64(hpet + HPET_MAIN_COUNTER);
		if (c1 - c0 >= want)
			break;
	}
	t1 = rdtsc_ordered();
	if (i == TIMER_MAX_POLLS)
		return 0;
	/* Hz = cycles * 10^9 / elapsed ns: for 10 ms, cycles * 10^9 stays
	 * far below 2^64 at any real clock rate. */
	return (t1 - t0) * NSEC_PER_SEC / ((c1 - c0) * period / (FS_PER_SEC / NSEC_PER_SEC));
}

static u64 against_pit(void)
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
		return hz;
	}
	*source = "PIT channel 2";
	return against_pit();
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
