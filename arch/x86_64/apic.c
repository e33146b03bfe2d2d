// SPDX-License-Identifier: MIT
/*
 * Local APIC driver: mode selection (x2APIC when the CPU has it, unless
 * nox2apic), per-CPU enable, EOI, IPIs, the timer's calibration. Two ops
 * tables, one per mode, chosen once; the call vector's handler and send
 * hooks are in smp.c, the other vectors in irq.c, INIT-SIPI-SIPI in
 * smpboot.c.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/cpuid.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/irq_vectors.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/x2apic_cluster.h>
#include <xcall/arch.h>
#include <xcall/cpumask.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/irqflags.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

struct apic_ops {
	const char *name;
	u32 (*read)(u32 reg);
	void (*write)(u32 reg, u32 v);
	void (*send_ipi)(u32 dest, u32 icr_low);
	unsigned int (*send_ipi_mask)(const struct cpumask *mask, u32 icr_low);
	u32 (*read_id)(void);
	u32 max_id;
};

static const struct apic_ops *apic;
static volatile u8 *xapic_base;
static u64 timer_hz;
/*
 * x2APIC mode: each CPU's logical x2APIC ID, derived from its APIC ID when
 * smpboot numbers it (apic_x2apic_prepare_cpu()), as Linux's
 * x2apic_cluster.c x2apic_prepare_cpu() does; the many-target send reads
 * every target's. A dense array rather than a per-CPU variable: a send
 * to N CPUs reads N entries, 16 to a cache line, where per-CPU variables
 * would cost a line per target, lines their owners write.
 */
static u32 x2apic_logical_id[NR_CPUS];
/*
 * Set once, never cleared, when a CPU's LDR is not the logical ID the SDM
 * derives (a VMM not modelling it, firmware gone wrong) or an x2APIC ID is
 * at or above 2^20, past what the LDR's cluster field holds: a logical
 * send would then miss or alias a target, so the many-target send turns
 * to one physical unicast per target for good. A target sets it in
 * apic_setup_cpu(), before it is marked online; a sender names only
 * online CPUs, and the online mask's publication orders the two.
 */
static bool x2apic_physical_only;
static bool x2apic_physical_warned;

/* The xAPIC polls the ICR's delivery status before a new send; this many
 * polls (each a pause) is far beyond any real acceptance time. */
#define ICR_IDLE_POLLS		1000000u
/* An xAPIC's version register gives the highest LVT index; the thermal
 * (index 5) and performance (index 4) entries exist above 3, the CMCI
 * entry (index 6) from Nehalem on (SDM vol. 3A, 11.5.1), and only where
 * IA32_MCG_CAP says the CPU has CMCI (mce_has_cmci()). Without that the
 * register may not exist: an xAPIC flags the write as an illegal
 * register address, and in x2APIC mode the WRMSR faults. */
#define APIC_LVR_MAXLVT(v)	(((v) >> 16) & 0xff)
#define APIC_MAXLVT_PC		4
#define APIC_MAXLVT_THERMAL	5
#define APIC_MAXLVT_CMCI	6
/* Each EOI clears the highest-priority bit of the ISR, so at most one
 * per vector empties it. */
#define ISR_DRAIN_MAX_EOIS	NR_VECTORS
/* The timer is measured over this long. */
#define TIMER_CALIBRATE_US	10000

/* ---- xAPIC: MMIO ---- */

static u32 xapic_read(u32 reg)
{
	return mmio_read32(xapic_base + reg);
}

static void xapic_write(u32 reg, u32 v)
{
	mmio_write32(xapic_base + reg, v);
}

static void xapic_wait_icr_idle(void)
{
	for (unsigned int i = 0; i < ICR_IDLE_POLLS; i++) {
		if (!(xapic_read(APIC_ICR) & APIC_ICR_BUSY))
			return;
		cpu_relax();
	}
	pr_err("apic: ICR still busy after %u polls, sending anyway\n",
	       ICR_IDLE_POLLS);
}

static void xapic_send_ipi(u32 dest, u32 icr_low)
{
	/* An interrupt handler that sends its own IPI between our two
	 * writes would change the destination under us. */
	unsigned long flags;

	local_irq_save(flags);
	xapic_wait_icr_idle();
	xapic_write(APIC_ICR2, dest << APIC_XAPIC_DEST_SHIFT);
	xapic_write(APIC_ICR, icr_low);
	local_irq_restore(flags);
}

/*
 * xAPIC: one physical-mode unicast per target. Flat logical mode could
 * multicast, but its 8-bit LDR bitmap names at most 8 CPUs (SDM vol. 3A,
 * 11.6.2.2), and cluster mode in xAPIC needs a cluster manager the
 * platform does not have; Linux drives every xAPIC system with more than
 * 8 CPUs in physical mode too (apic_flat_64.c's physflat), and xcall
 * keeps one path for every xAPIC system rather than a special case for
 * 8 CPUs or fewer. Return: ICR writes (one per target).
 */
static unsigned int xapic_send_ipi_mask(const struct cpumask *mask, u32 icr_low)
{
	unsigned int cpu, writes = 0;

	for_each_cpu(cpu, mask) {
		xapic_send_ipi(cpu_physical_id(cpu), icr_low);
		writes++;
	}
	return writes;
}

static u32 xapic_read_id(void)
{
	return xapic_read(APIC_ID) >> APIC_ID_SHIFT;
}

static const struct apic_ops xapic_ops = {
	.name = "xAPIC",
	.read = xapic_read,
	.write = xapic_write,
	.send_ipi = xapic_send_ipi,
	.send_ipi_mask = xapic_send_ipi_mask,
	.read_id = xapic_read_id,
	.max_id = 0xfe,		/* 0xff is the broadcast address */
};

/* ---- x2APIC: MSRs ---- */

static u32 x2apic_msr(u32 reg)
{
	return MSR_X2APIC_BASE + (reg >> 4);
}

static u32 x2apic_read(u32 reg)
{
	return (u32)rdmsr(x2apic_msr(reg));
}

static void x2apic_write(u32 reg, u32 v)
{
	wrmsr(x2apic_msr(reg), v);
}

static void x2apic_send_ipi(u32 dest, u32 icr_low)
{
	/*
	 * WRMSR to an x2APIC register is not serialising (SDM vol. 3A,
	 * 11.12.3): the IPI could overtake stores still in this CPU's store
	 * buffer, and the target would find the flag or queue entry it was
	 * sent for not yet written. mfence drains the store buffer; lfence
	 * keeps the WRMSR from starting before it. Pairs with the target
	 * reading what the sender wrote once the interrupt is taken.
	 */
	__asm__ __volatile__("mfence; lfence" ::: "memory");
	wrmsr(x2apic_msr(APIC_ICR), ((u64)dest << 32) | icr_low);
}

static u32 x2apic_read_id(void)
{
	return x2apic_read(APIC_ID);
}

/* A send's per-cluster destinations, on the sender's stack: one per
 * cluster with dense IDs (NR_CPUS / 16, and one more for an MADT whose
 * first ID is not a multiple of 16). Sparser IDs can fill it: then it is
 * sent and refilled, which costs writes, never a lost or doubled IPI. */
#define X2APIC_SEND_SLOTS	(DIV_ROUND_UP(NR_CPUS, X2APIC_CLUSTER_SIZE) + 1)

static unsigned int x2apic_send_dests(const u32 *dests, unsigned int n, u32 icr_low)
{
	for (unsigned int i = 0; i < n; i++)
		x2apic_send_ipi(dests[i], icr_low | APIC_DEST_LOGICAL);
	return n;
}

/*
 * One write per distinct cluster the mask touches, in any order of CPU
 * numbers (x2apic_cluster_add()), as Linux's x2apic_cluster.c: clusters
 * can interleave in CPU order, for one because CPU 0 is the boot CPU
 * whatever its APIC ID. Linux walks per-cluster cpumasks built from the
 * present CPUs at prepare time (they do not change with hotplug, as the
 * targets come from the caller's mask of online CPUs); xcall gathers the
 * clusters per send instead, which needs no per-cluster state. Each
 * target is visited once. Return: ICR writes sent.
 */
static unsigned int x2apic_send_ipi_mask(const struct cpumask *mask, u32 icr_low)
{
	u32 dests[X2APIC_SEND_SLOTS];
	unsigned int cpu, n = 0, writes = 0;

	if (READ_ONCE(x2apic_physical_only)) {
		for_each_cpu(cpu, mask) {
			x2apic_send_ipi(cpu_physical_id(cpu), icr_low);
			writes++;
		}
		return writes;
	}
	for_each_cpu(cpu, mask) {
		u32 ldr = x2apic_logical_id[cpu];
		unsigned int m = x2apic_cluster_add(dests, n, X2APIC_SEND_SLOTS, ldr);

		if (!m) {
			writes += x2apic_send_dests(dests, n, icr_low);
			m = x2apic_cluster_add(dests, 0, X2APIC_SEND_SLOTS, ldr);
		}
		n = m;
	}
	return writes + x2apic_send_dests(dests, n, icr_low);
}

/* Turn many-target sends to physical unicasts, saying why once. */
static void x2apic_go_physical(unsigned int cpu, u32 id, u32 ldr)
{
	WRITE_ONCE(x2apic_physical_only, true);
	if (READ_ONCE(x2apic_physical_warned))
		return;
	WRITE_ONCE(x2apic_physical_warned, true);
	pr_warn("apic: CPU %u: x2APIC ID 0x%x, LDR 0x%08x, derived logical ID 0x%08x: many-target IPIs go as physical unicasts\n",
		cpu, id, ldr, apic_x2apic_ldr_from_id(id));
}

void apic_x2apic_prepare_cpu(unsigned int cpu, u32 apic_id)
{
	if (cpu >= NR_CPUS)
		return;
	x2apic_logical_id[cpu] = apic_x2apic_ldr_from_id(apic_id);
	if (!x2apic_id_has_logical_id(apic_id))
		x2apic_go_physical(cpu, apic_id, x2apic_logical_id[cpu]);
}

void apic_x2apic_force_physical(bool on)
{
	WRITE_ONCE(x2apic_physical_only, on);
}

bool apic_x2apic_uses_clusters(void)
{
	return apic_is_x2apic() && !READ_ONCE(x2apic_physical_only);
}

/*
 * Compare the LDR the hardware derived with the logical ID computed when
 * the CPU was numbered; if they differ, logical sends would reach the
 * wrong CPUs or none (an LDR of 0 matches no destination), so trust
 * neither and go physical. The boot CPU sets its APIC up before smpboot
 * numbers it: it is prepared here from its own ID register.
 */
static void x2apic_check_ldr(void)
{
	unsigned int cpu = smp_processor_id();
	u32 ldr = x2apic_read(APIC_LDR), id = x2apic_read(APIC_ID);

	if (cpu == 0)
		apic_x2apic_prepare_cpu(0, id);
	if (ldr != x2apic_logical_id[cpu])
		x2apic_go_physical(cpu, id, ldr);
}

static const struct apic_ops x2apic_ops = {
	.name = "x2APIC",
	.read = x2apic_read,
	.write = x2apic_write,
	.send_ipi = x2apic_send_ipi,
	.send_ipi_mask = x2apic_send_ipi_mask,
	.read_id = x2apic_read_id,
	.max_id = 0xfffffffe,
};

/* ---- Common ---- */

u32 apic_read(u32 reg)
{
	return apic->read(reg);
}

bool apic_is_x2apic(void)
{
	return apic == &x2apic_ops;
}

u32 apic_read_id(void)
{
	return apic->read_id();
}

u32 apic_max_id(void)
{
	return apic->max_id;
}

void apic_eoi(void)
{
	apic->write(APIC_EOI, 0);
}

void apic_send_ipi(u32 dest, u32 icr_low)
{
	apic->send_ipi(dest, icr_low);
}

unsigned int apic_send_ipi_mask(const struct cpumask *mask, u32 icr_low)
{
	return apic->send_ipi_mask(mask, icr_low);
}

void apic_send_ipi_allbutself(u32 icr_low)
{
	apic->send_ipi(0, icr_low | APIC_DEST_ALLBUT);
}

void apic_self_ipi(u8 vector)
{
	if (apic_is_x2apic())
		x2apic_write(APIC_SELF_IPI, vector);
	else
		xapic_send_ipi(0, APIC_DEST_SELF | APIC_DM_FIXED | vector);
}

u32 apic_read_esr(void)
{
	/* The ESR latches on a write (SDM vol. 3A, 11.5.3, "Error Handling"); x2APIC wants
	 * the write to be 0 as well. */
	apic->write(APIC_ESR, 0);
	return apic->read(APIC_ESR);
}

/*
 * AMD's extended LVT entries (the instruction-based sampling, MCA
 * threshold and similar interrupts; AMD64 APM vol. 2, "Extended Interrupt
 * Local Vector Table"): firmware may leave one open with a vector of its
 * own, and xcall uses none of them.
 */
static void mask_extended_lvts(void)
{
	unsigned int n;

	if (!cpu_has(X86_FEATURE_EXTAPIC))
		return;
	n = min(APIC_EFEAT_XLC(apic->read(APIC_EFEAT)), (u32)APIC_EILVT_MAX);
	for (unsigned int i = 0; i < n; i++)
		apic->write(APIC_EILVT0 + i * APIC_EILVT_STRIDE, APIC_LVT_MASKED);
}

static bool isr_empty(void)
{
	for (unsigned int i = 0; i < APIC_IR_REGS; i++)
		if (apic->read(APIC_ISR + i * APIC_IR_STRIDE))
			return false;
	return true;
}

static bool isr_has(unsigned int vector)
{
	u32 reg = apic->read(APIC_ISR + (vector / APIC_IR_BITS) * APIC_IR_STRIDE);

	return reg & (1u << (vector % APIC_IR_BITS));
}

/*
 * An interrupt the firmware (or a kernel before us) took and never
 * acknowledged leaves its ISR bit set, and the APIC then holds back every
 * interrupt of that priority class and below: for xcall, the vector the
 * calls arrive on could be one. Each EOI clears the highest bit set, so
 * EOI until the ISR is empty (Linux does the same at APIC set-up, in
 * apic_pending_intr_clear()). Interrupts are off: nothing is taken, and
 * nothing new lands in the ISR, while this runs. Return: EOIs sent.
 */
static unsigned int drain_isr(void)
{
	unsigned int eois = 0;

	while (!isr_empty() && eois < ISR_DRAIN_MAX_EOIS) {
		apic_eoi();
		eois++;
	}
	if (!isr_empty())
		pr_err("apic: CPU %u's ISR is still not empty after %u EOIs\n",
		       smp_processor_id(), eois);
	return eois;
}

static void enable_x2apic_mode(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	/* From disabled, go through xAPIC-enabled first: disabled -> x2APIC
	 * directly is an invalid transition (SDM vol. 3A, 11.12.5.1, "x2APIC State Transitions"). */
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD);
}

void apic_setup_cpu(void)
{
	u32 maxlvt;

	if (apic_is_x2apic()) {
		enable_x2apic_mode();
		x2apic_check_ldr();
	} else {
		u64 base = rdmsr(MSR_IA32_APIC_BASE);

		if (!(base & APIC_BASE_ENABLE))
			wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	}

	/* Software-enable with the spurious vector, accept every priority,
	 * mask what xcall does not use (SDM vol. 3A, 11.4.7, 11.5.1). */
	apic->write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
	apic->write(APIC_TASKPRI, 0);
	maxlvt = APIC_LVR_MAXLVT(apic->read(APIC_LVR));
	apic->write(APIC_LVTT, APIC_LVT_MASKED);
	if (maxlvt >= APIC_MAXLVT_THERMAL)
		apic->write(APIC_LVTTHMR, APIC_LVT_MASKED);
	if (maxlvt >= APIC_MAXLVT_PC)
		apic->write(APIC_LVTPC, APIC_LVT_MASKED);
	/* Corrected machine-check interrupts: xcall does not poll the banks
	 * for corrected errors, so it wants no interrupt for them either;
	 * firmware may have left the entry open with a vector of its own. */
	if (maxlvt >= APIC_MAXLVT_CMCI && mce_has_cmci())
		apic->write(APIC_LVTCMCI, APIC_LVT_MASKED);
	mask_extended_lvts();
	/* LINT0 carries the 8259's ExtINT, which is masked off. LINT1 is
	 * wired to the platform's NMI on PCs; one CPU taking it is enough,
	 * so only the boot CPU listens (as Linux sets it up). */
	apic->write(APIC_LVT0, APIC_LVT_MASKED);
	apic->write(APIC_LVT1, (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_BSP) ?
				APIC_DM_NMI : APIC_DM_NMI | APIC_LVT_MASKED);
	apic->write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_read_esr();
	drain_isr();
}

void apic_soft_disable(void)
{
	/* Clearing SPIV's enable bit masks every LVT entry and makes the
	 * APIC refuse fixed interrupts; INIT, NMI, SMI and STARTUP still get
	 * through (SDM vol. 3A, 11.4.7.2), which is all a parked CPU needs.
	 * The mode (x2APIC or xAPIC) stays: INIT does not change it either,
	 * and apic_setup_cpu() enables the APIC again in that mode. */
	apic->write(APIC_SPIV, apic->read(APIC_SPIV) & ~APIC_SPIV_ENABLE);
}

void apic_init_boot_cpu(u64 madt_address, bool want_x2apic)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	bool firmware_x2apic = (base & APIC_BASE_ENABLE) && (base & APIC_BASE_EXTD);

	if (!cpu_has(X86_FEATURE_APIC))
		panic("apic: this CPU has no local APIC; xcall needs one");

	if (firmware_x2apic) {
		/*
		 * xcall keeps the mode firmware handed over: a policy, not a
		 * limit (x2APIC -> disabled -> xAPIC is legal, SDM vol. 3A,
		 * 11.12.5.1). The plan makes that choice and says why
		 * (arch/x86_64/cpu_plan.c), so it never asks for xAPIC here;
		 * if it did, the APIC stays as it is, and this says so.
		 */
		if (!want_x2apic)
			pr_warn("apic: the plan asked for xAPIC, but firmware handed over x2APIC: kept\n");
		apic = &x2apic_ops;
	} else if (want_x2apic && cpu_has(X86_FEATURE_X2APIC)) {
		apic = &x2apic_ops;
	} else {
		u64 phys = base & APIC_BASE_ADDR_MASK;

		/* The MSR is what the hardware decodes; the MADT only
		 * describes it. */
		if (madt_address && madt_address != (base & APIC_BASE_ADDR_MASK))
			pr_warn("apic: MADT says 0x%llx, IA32_APIC_BASE says 0x%llx; using the MSR's\n",
				(unsigned long long)madt_address,
				(unsigned long long)(base & APIC_BASE_ADDR_MASK));
		if (paging_map_range(phys, PAGE_SIZE, PAGE_CACHE_UC))
			panic("apic: cannot map the xAPIC at 0x%llx", (unsigned long long)phys);
		xapic_base = (volatile u8 *)phys;
		apic = &xapic_ops;
	}
	apic_setup_cpu();
	pr_info("apic: using %s\n", apic->name);
}

const char *apic_id_source_name(enum apic_id_source src)
{
	switch (src) {
	case APIC_ID_FROM_X2APIC_REG:
		return "the x2APIC ID register";
	case APIC_ID_FROM_XAPIC_REG:
		return "the xAPIC ID register";
	default:
		return "CPUID's initial APIC ID (the APIC was disabled)";
	}
}

u32 apic_read_id_at_handover(enum apic_id_source *src)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	u64 phys = base & APIC_BASE_ADDR_MASK;
	u32 a, b, c, d;

	/* The register Linux reads (read_apic_id()), in the mode firmware
	 * left: the x2APIC ID MSR, or the xAPIC ID register at the MMIO
	 * base IA32_APIC_BASE names (SDM vol. 3A, 11.4.6, 11.12.5.1). */
	if ((base & APIC_BASE_ENABLE) && (base & APIC_BASE_EXTD)) {
		*src = APIC_ID_FROM_X2APIC_REG;
		return x2apic_read(APIC_ID);
	}
	if ((base & APIC_BASE_ENABLE) && !paging_map_range(phys, PAGE_SIZE, PAGE_CACHE_UC)) {
		*src = APIC_ID_FROM_XAPIC_REG;
		return mmio_read32((volatile u8 *)phys + APIC_ID) >> APIC_ID_SHIFT;
	}
	/* A globally disabled APIC's registers cannot be read; enabling it
	 * resets them to their power-up state (SDM vol. 3A, 11.4.3), where
	 * the ID register holds the initial APIC ID CPUID reports (11.4.6). */
	*src = APIC_ID_FROM_CPUID;
	cpuid(CPUID_FEATURES_LEAF, &a, &b, &c, &d);
	return b >> CPUID_1_EBX_APIC_ID_SHIFT;
}

void apic_timer_calibrate(void)
{
	u32 left;

	apic->write(APIC_TDCR, APIC_TDR_DIV_1);
	apic->write(APIC_LVTT, APIC_LVT_MASKED);
	apic->write(APIC_TMICT, 0xffffffffu);
	udelay(TIMER_CALIBRATE_US);
	left = apic->read(APIC_TMCCT);
	apic->write(APIC_TMICT, 0);
	timer_hz = (u64)(0xffffffffu - left) * (USEC_PER_SEC / TIMER_CALIBRATE_US);
}

u64 apic_timer_hz(void)
{
	return timer_hz;
}

void apic_timer_oneshot(u8 vector, u32 ticks)
{
	apic->write(APIC_TDCR, APIC_TDR_DIV_1);
	apic->write(APIC_LVTT, vector);
	apic->write(APIC_TMICT, ticks);
}

/* ---- Checks, for the tests ---- */

/* An LVT entry that must read back masked: its offset and name. */
struct lvt_want {
	u32 reg;
	const char *name;
	u32 min_maxlvt;		/* present when the max LVT entry is this or more */
	bool cmci;		/* and, for CMCI, when the CPU has it */
};

static const struct lvt_want masked_lvts[] = {
	{ APIC_LVT0, "LINT0", 0, false },
	{ APIC_LVTPC, "performance counter", APIC_MAXLVT_PC, false },
	{ APIC_LVTTHMR, "thermal", APIC_MAXLVT_THERMAL, false },
	{ APIC_LVTCMCI, "CMCI", APIC_MAXLVT_CMCI, true },
};

int arch_irq_controller_check(char *buf, size_t size)
{
	u32 maxlvt = APIC_LVR_MAXLVT(apic->read(APIC_LVR)), v;
	unsigned int n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(masked_lvts); i++) {
		const struct lvt_want *w = &masked_lvts[i];

		if (maxlvt < w->min_maxlvt || (w->cmci && !mce_has_cmci()))
			continue;
		v = apic->read(w->reg);
		if (!(v & APIC_LVT_MASKED)) {
			snprintf(buf, size, "the %s LVT entry is open: 0x%08x", w->name, v);
			return -EINVAL;
		}
	}
	if (cpu_has(X86_FEATURE_EXTAPIC))
		n = min(APIC_EFEAT_XLC(apic->read(APIC_EFEAT)), (u32)APIC_EILVT_MAX);
	for (unsigned int i = 0; i < n; i++) {
		v = apic->read(APIC_EILVT0 + i * APIC_EILVT_STRIDE);
		if (!(v & APIC_LVT_MASKED)) {
			snprintf(buf, size, "extended LVT entry %u is open: 0x%08x", i, v);
			return -EINVAL;
		}
	}
	for (unsigned int i = 0; i < APIC_IR_REGS; i++) {
		v = apic->read(APIC_ISR + i * APIC_IR_STRIDE);
		if (v) {
			snprintf(buf, size, "ISR bits 0x%08x in service at vectors %u-%u",
				 v, i * APIC_IR_BITS, i * APIC_IR_BITS + APIC_IR_BITS - 1);
			return -EINVAL;
		}
	}
	snprintf(buf, size, "max LVT entry %u, %u extended; all masked, ISR empty",
		 maxlvt, n);
	return 0;
}

/* How many times the test opens interrupts for each of its self-IPIs;
 * one is taken at the first opening on any real or emulated APIC. */
#define ISR_TEST_POLLS		1000

static const u8 isr_test_vectors[] = { ISR_TEST_VECTOR_LOW, ISR_TEST_VECTOR_HIGH };
static unsigned int isr_test_taken;

/* No EOI, on purpose: the vector stays in service, as an interrupt the
 * firmware took and never acknowledged does. */
static void isr_test_interrupt(struct pt_regs *regs)
{
	WRITE_ONCE(isr_test_taken, READ_ONCE(isr_test_taken) + 1);
}

int arch_irq_unacked_selftest(char *buf, size_t size)
{
	unsigned int taken = 0, held = 0, eois;
	unsigned long flags;
	bool empty;

	local_irq_save(flags);
	WRITE_ONCE(isr_test_taken, 0);
	/* The lower class first: once it is in service, only a higher one
	 * is delivered, so both end up in the ISR together, and one EOI
	 * (all the set-up used to send) is not enough. */
	for (unsigned int v = 0; v < ARRAY_SIZE(isr_test_vectors); v++) {
		idt_set_handler(isr_test_vectors[v], isr_test_interrupt);
		apic_self_ipi(isr_test_vectors[v]);
		for (unsigned int i = 0; i < ISR_TEST_POLLS && READ_ONCE(isr_test_taken) == v; i++) {
			local_irq_enable();
			cpu_relax();
			local_irq_disable();
		}
	}
	taken = READ_ONCE(isr_test_taken);
	for (unsigned int v = 0; v < ARRAY_SIZE(isr_test_vectors); v++)
		held += isr_has(isr_test_vectors[v]);
	eois = drain_isr();
	empty = isr_empty();
	for (unsigned int v = 0; v < ARRAY_SIZE(isr_test_vectors); v++)
		idt_set_handler(isr_test_vectors[v], NULL);
	local_irq_restore(flags);

	snprintf(buf, size, "vectors 0x%x and 0x%x: %u taken, %u left in service; %u EOIs; ISR %s",
		 ISR_TEST_VECTOR_LOW, ISR_TEST_VECTOR_HIGH, taken, held, eois,
		 empty ? "empty" : "not empty");
	return taken == ARRAY_SIZE(isr_test_vectors) && held == taken &&
	       eois >= held && empty ? 0 : -EINVAL;
}
