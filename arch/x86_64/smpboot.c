// SPDX-License-Identifier: MIT
/*
 * Starting the application processors: the trampoline's page and
 * parameters, INIT-SIPI-SIPI, and ap_start(), the AP's first C function,
 * which sets up its descriptor tables, memory types and APIC before
 * handing over to the generic start_secondary().
 *
 * The protocol (SDM vol. 3A, 9.4.4.1, "Typical BSP Initialization
 * Sequence", and 11.6.1): INIT puts the AP in wait-for-SIPI; a STARTUP IPI
 * whose vector is the trampoline's page number starts it in real mode at
 * that page; a second SIPI covers a first one lost in flight (an AP that
 * already runs ignores it). The SDM example waits 10 ms after INIT and
 * 200 us after each SIPI. The 10 ms were for the external 82489DX APIC and
 * early Pentiums; like Linux, xcall skips it on CPUs from the P6 family on
 * (AMD: family 0Fh on) and under a hypervisor, and shortens the SIPI wait
 * to 10 us there. cpu_init_udelay= overrides the INIT wait (in us).
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/cpu_plan.h>
#include <asm/cpuid.h>
#include <asm/desc.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <xcall/acpi_kernel.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/mm.h>
#include <xcall/options.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/smpboot.h>
#include <xcall/string.h>
#include <xcall/time.h>

/* Each AP's kernel stack; an unmapped guard page sits below it. */
#define KERNEL_STACK_SIZE	16384

/* The SDM's delays, and the short ones for CPUs that do not need them. */
#define SDM_INIT_UDELAY		10000
#define SDM_SIPI_UDELAY		200
#define MODERN_SIPI_UDELAY	10
#define INTEL_FAMILY_P6		6
#define AMD_FAMILY_K8		0xf
#define INIT_UDELAY_AUTO	(~0u)
#define INIT_UDELAY_MAX		1000000

/* The trampoline's parameter block; layout in boot/trampoline.S. */
struct trampoline_params {
	u16 pad;
	u16 gdt_limit;
	u32 gdt_base;
	u32 pm_offset;
	u16 pm_selector;
	u16 pad2;
	u32 cr3;
	u32 efer;
	u32 lm_offset;
	u16 lm_selector;
	u16 pad3;
	u64 gdt[4];
} __attribute__((packed));

BUILD_BUG_ON(sizeof(struct trampoline_params) != 64);

extern const char __trampoline_start[], __trampoline_end[];
extern const char trampoline_entry[], trampoline_pm[], trampoline_params[];
extern const char ap_long_mode_entry[];

/* Read by ap_long_mode_entry in boot/trampoline.S, so global by need:
 * each AP finds its number by its APIC ID and takes its stack. Written
 * only by the boot CPU before the kick. */
u32 smpboot_apicid[NR_CPUS];
unsigned long smpboot_stack_top[NR_CPUS];
u32 smpboot_nr_apicids;

struct ap_stacks {
	unsigned long stack_lo;
	unsigned long ist_top[NR_IST_STACKS];
};

static DEFINE_PER_CPU(struct ap_stacks, ap_stacks);
static phys_addr_t trampoline_page;
/* The page holds the code and its parameters, and is mapped executable
 * and read-only: a later kick (cpu_up()) finds it as the first left it. */
static bool trampoline_ready;
static unsigned int init_udelay = INIT_UDELAY_AUTO;

DEFINE_OPTION_UINT(cpu_init_udelay, init_udelay, 0, INIT_UDELAY_MAX,
		   "microseconds to wait after INIT (default: 10000 on old CPUs, 0 on modern ones)");

static bool modern_cpu(void)
{
	return cpu_has(X86_FEATURE_HYPERVISOR) ||
	       (cpu_vendor() == X86_VENDOR_INTEL && cpu_family() >= INTEL_FAMILY_P6) ||
	       (cpu_vendor() == X86_VENDOR_AMD && cpu_family() >= AMD_FAMILY_K8);
}

void smpboot_set_boot_cpu_id(u32 apic_id)
{
	extern const char boot_stack_bottom[];

	smpboot_apicid[0] = apic_id;
	per_cpu(ap_stacks, 0).stack_lo = (unsigned long)boot_stack_bottom;
}

u32 cpu_physical_id(unsigned int cpu)
{
	return cpu < NR_CPUS ? smpboot_apicid[cpu] : ~0u;
}

u32 arch_read_cpu_id(void)
{
	return apic_read_id();
}

u32 arch_max_cpu_id(void)
{
	return apic_max_id();
}

void arch_cpu_stack(unsigned int cpu, unsigned long *lo, unsigned long *hi)
{
	*lo = per_cpu(ap_stacks, cpu).stack_lo;
	*hi = *lo + KERNEL_STACK_SIZE;
}

/*
 * The plan (arch/x86_64/cpu_plan.c) decides from the ACPI tables which
 * CPUs run, in what order, and in which APIC mode; the same code makes
 * the plan xcall-acpi and make preflight print for any machine. About
 * 65 KiB: static, never on a stack.
 */
static struct cpu_plan plan;
/* Where the plan's boot APIC ID was read (apic_read_id_at_handover()). */
static enum apic_id_source boot_id_from;

static void plan_line(void *ctx, const char *line)
{
	pr_info("plan: %s\n", line);
}

/* The parsed tables, as the plan takes them. */
static void plan_tables(struct cpu_plan_tables *t)
{
	*t = (struct cpu_plan_tables){
		.madt = acpi_madt(),
		.fadt = acpi_fadt(),
		.dmar = acpi_dmar(),
		.have_hpet = acpi_hpet_address() != 0,
		.hpet_address = acpi_hpet_address(),
		/* acpi_init() kept the parsers' lines for the plan to print
		 * and count, as xcall-acpi does. */
		.diag = acpi_diag(),
	};
}

const struct cpu_plan *smpboot_make_plan(bool nox2apic)
{
	u64 apic_base = rdmsr(MSR_IA32_APIC_BASE);
	struct cpu_plan_tables tables;
	enum apic_id_source from;
	const struct cpu_plan_facts facts = {
		/* The register, as Linux takes it, not CPUID's initial ID:
		 * firmware may have given the APIC another ID, and it is
		 * the register that IPIs are addressed by. */
		.boot_apic_id = apic_read_id_at_handover(&from),
		.firmware_x2apic = (apic_base & APIC_BASE_ENABLE) &&
				   (apic_base & APIC_BASE_EXTD),
		.hypervisor = cpu_has(X86_FEATURE_HYPERVISOR),
		.cpu_has_x2apic = cpu_has(X86_FEATURE_X2APIC),
		.nox2apic = nox2apic,
		.cpu_limit = min(smp_max_cpus(), (unsigned int)NR_CPUS),
	};

	boot_id_from = from;
	plan_tables(&tables);
	cpu_plan_make(&plan, &tables, &facts);
	return &plan;
}

/* Is the plan's APIC mode the one the APIC now runs in? */
static bool plan_mode_is_running(void)
{
	return (plan.apic_mode == CPU_PLAN_X2APIC) == apic_is_x2apic();
}

void smpboot_confirm_plan(u32 boot_apic_id)
{
	u32 planned = plan.facts.boot_apic_id;

	pr_info("smpboot: boot CPU APIC ID %u, read from %s\n", planned,
		apic_id_source_name(boot_id_from));
	/*
	 * The plan took its boot CPU from the register before the APIC was
	 * set up; only firmware that changed the ID on the way (or an
	 * emulator that lets it) makes the two differ. Then the plan is
	 * made again with the ID the APIC now answers to, so that the CPU
	 * the plan thought was the boot CPU is started (or left out, with
	 * its reason) like any other, and what is printed is what is done.
	 */
	if (boot_apic_id != planned) {
		struct cpu_plan_facts facts = plan.facts;
		struct cpu_plan_tables tables_again;

		pr_warn("smpboot: the boot CPU's APIC ID register now says %u, the plan took %u: planning again\n",
			boot_apic_id, planned);
		facts.boot_apic_id = boot_apic_id;
		plan_tables(&tables_again);
		cpu_plan_make(&plan, &tables_again, &facts);
		/* A new ID can only change the mode by needing x2APIC for
		 * itself, which an APIC already set up cannot follow: keep
		 * the first plan, and let arch_smp_enumerate_cpus() count
		 * what it then cannot start. */
		if (!plan_mode_is_running()) {
			pr_warn("smpboot: with APIC ID %u the plan would switch to %s mode, which the APIC is not in: keeping the first plan\n",
				boot_apic_id, apic_is_x2apic() ? "xAPIC" : "x2APIC");
			facts.boot_apic_id = planned;
			cpu_plan_make(&plan, &tables_again, &facts);
		}
	}
	cpu_plan_print(&plan, plan_line, NULL);
}

enum apic_id_source smpboot_boot_id_from(void)
{
	return boot_id_from;
}

const struct cpu_plan *smpboot_plan(void)
{
	return &plan;
}

/*
 * The CPUs to start are the plan's, in its order; the plan has printed
 * every entry it left out and why. Those it left out that firmware had
 * enabled, and that no started CPU stands for (over the limit,
 * unreachable, lone x2APIC entries below 255, entries not read), count as
 * left out: they keep the "all but self" shorthand off, since it would
 * reach them too.
 */
unsigned int arch_smp_enumerate_cpus(u32 *hw_ids, unsigned int max,
				     unsigned int *left_out)
{
	u32 boot_id = cpu_physical_id(0);
	unsigned int found = 0;

	*left_out = plan.nr_enabled_left_out;
	/*
	 * smpboot_confirm_plan() made the plan again with the boot CPU's
	 * real ID; only when that would have changed the APIC mode does the
	 * first plan stand, with another ID as its CPU 0. That processor is
	 * then neither the boot CPU nor started: counted, not lost.
	 */
	if (plan.nr_cpus && plan.cpus[0].apic_id != boot_id) {
		pr_warn("smpboot: the plan's CPU 0 is APIC ID %u, the boot CPU is %u: APIC ID %u is not started\n",
			plan.cpus[0].apic_id, boot_id, plan.cpus[0].apic_id);
		(*left_out)++;
	}
	for (unsigned int i = 1; i < plan.nr_cpus; i++) {
		u32 id = plan.cpus[i].apic_id;

		/* Never INIT the boot CPU, whatever the plan thought: it is
		 * running, so nothing is lost. */
		if (id == boot_id)
			continue;
		/* The plan judged reachability in its own mode; the APIC's
		 * is the one that sends. */
		if (id > arch_max_cpu_id()) {
			pr_warn("smpboot: APIC ID %u (the plan's CPU %u) is beyond what %s mode addresses: not started\n",
				id, i, apic_is_x2apic() ? "x2APIC" : "xAPIC");
			(*left_out)++;
			continue;
		}
		if (found < max)
			hw_ids[found] = id;
		found++;
	}
	return found;
}

int arch_smp_prepare_cpu(unsigned int cpu, u32 hw_id)
{
	struct ap_stacks *st = per_cpu_ptr(&ap_stacks, cpu);
	char *stack = alloc_stack(KERNEL_STACK_SIZE);

	if (!stack)
		return -ENOMEM;
	/* The IST stacks get guard pages too: #DF, NMI and #MC switch to
	 * them because the stack in use may be broken, so an overflow of
	 * one of them must fault rather than write on. */
	for (unsigned int i = 0; i < NR_IST_STACKS; i++) {
		char *ist = alloc_stack(IST_STACK_SIZE);

		if (!ist)
			return -ENOMEM;
		st->ist_top[i] = (unsigned long)ist + IST_STACK_SIZE;
	}
	st->stack_lo = (unsigned long)stack;
	smpboot_apicid[cpu] = hw_id;
	apic_x2apic_prepare_cpu(cpu, hw_id);
	smpboot_stack_top[cpu] = (unsigned long)stack + KERNEL_STACK_SIZE;
	if (cpu >= smpboot_nr_apicids)
		smpboot_nr_apicids = cpu + 1;
	return 0;
}

static int setup_trampoline(void)
{
	size_t size = (unsigned long)__trampoline_end - (unsigned long)__trampoline_start;
	struct trampoline_params *p;
	u32 base;
	int err;

	/* Nothing in it changes between kicks (the kernel's page tables, the
	 * entry point), and a write would now fault: keep it as it is. */
	if (trampoline_ready)
		return 0;
	if (!trampoline_page) {
		struct lowmem_window w;

		/* Not in the first 64 KiB, not in the BIOS's area at the top
		 * of conventional memory (the EBDA is often not in the map
		 * at all), and only from memory the map calls usable: the
		 * frame allocator holds nothing else. */
		setup_lowmem_window(&w);
		trampoline_page = alloc_low_page(w.lo, w.hi);
		if (!trampoline_page) {
			pr_err("smpboot: no free page in 0x%llx-0x%llx (clear of the first 64 KiB and the BIOS's area) for the AP trampoline\n",
			       (unsigned long long)w.lo, (unsigned long long)w.hi);
			return -ENOMEM;
		}
	}
	base = (u32)trampoline_page;
	memcpy((void *)(unsigned long)base, __trampoline_start, size);
	p = (struct trampoline_params *)(unsigned long)
		(base + (u32)((unsigned long)trampoline_params -
		       (unsigned long)__trampoline_start));
	/* Identity-mapped: the copy's addresses are the AP's linear ones. */
	p->gdt_base = (u32)(unsigned long)p->gdt;
	p->pm_offset = base + (u32)((unsigned long)trampoline_pm -
				     (unsigned long)__trampoline_start);
	p->cr3 = (u32)paging_cr3();
	p->efer = EFER_LME | (cpu_has(X86_FEATURE_NX) ? EFER_NXE : 0);
	p->lm_offset = (u32)(unsigned long)ap_long_mode_entry;
	/* The AP runs the page's code after turning on paging with the
	 * kernel's tables, which map data non-executable. */
	err = paging_map_exec_page(base);
	trampoline_ready = !err;
	return err;
}

int arch_smp_kick_cpus(const struct cpumask *cpus)
{
	unsigned int cpu, delay = init_udelay;
	unsigned int sipi_delay;
	u32 sipi_vector, esr;
	int err;

	BUILD_BUG_ON(sizeof(smpboot_apicid[0]) != 4);
	err = setup_trampoline();
	if (err)
		return err;
	sipi_vector = (u32)(trampoline_page >> PAGE_SHIFT);
	if (delay == INIT_UDELAY_AUTO)
		delay = modern_cpu() ? 0 : SDM_INIT_UDELAY;
	sipi_delay = delay ? SDM_SIPI_UDELAY : MODERN_SIPI_UDELAY;

	/* The tables above must be in memory before any AP reads them; the
	 * IPI send orders them (apic_send_ipi's fence, or the xAPIC's MMIO
	 * write, which is ordered after earlier stores). */
	for_each_cpu(cpu, cpus)
		apic_send_ipi(smpboot_apicid[cpu], APIC_DM_INIT | APIC_INT_ASSERT);
	udelay(delay);
	for (int round = 0; round < 2; round++) {
		for_each_cpu(cpu, cpus)
			apic_send_ipi(smpboot_apicid[cpu], APIC_DM_STARTUP | sipi_vector);
		udelay(sipi_delay);
	}
	/* A send the APIC could not deliver (an APIC ID with nothing
	 * behind it, say) shows up here (SDM vol. 3A, 11.5.3). The CPUs
	 * that did not answer are named by the caller. */
	esr = apic_read_esr();
	if (esr)
		pr_warn("smpboot: APIC error status 0x%x after the INIT and STARTUP IPIs\n",
			esr);
	return 0;
}

void arch_smp_reset_cpu(unsigned int cpu)
{
	/* INIT puts the AP in wait-for-SIPI whatever it was doing, halted
	 * or half-way through the trampoline (SDM vol. 3A, 9.4.4.1 and
	 * 11.6.1). Nothing acknowledges that it has taken effect, so wait
	 * the SDM example's full 10 ms after INIT even on CPUs where
	 * arch_smp_kick_cpus() skips it: here the wait is what makes a late
	 * start impossible, not just what lets the SIPI find the AP ready.
	 * Only cpu_up() of a CPU given up on pays it. */
	apic_send_ipi(smpboot_apicid[cpu], APIC_DM_INIT | APIC_INT_ASSERT);
	udelay(SDM_INIT_UDELAY);
}

/* Called by ap_long_mode_entry on the AP's own stack. */
void ap_start(unsigned int cpu) __noreturn;
void ap_start(unsigned int cpu)
{
	percpu_enter(cpu);
	cpu_desc_init(this_cpu_ptr(&ap_stacks)->ist_top);
	mce_cpu_init();
	paging_init_ap();
	apic_setup_cpu();
	start_secondary(cpu);
}

/* ---- CPU hotplug: the x86 half of a CPU going down ---- */

void arch_cpu_disable(void)
{
	apic_soft_disable();
}

/*
 * Where a CPU taken down by cpu_down() waits: halted with interrupts off,
 * as Linux's hlt_play_dead() leaves it, not in wait-for-SIPI after an
 * INIT. Why:
 *
 *  - It parks itself. Parking in wait-for-SIPI takes an INIT from another
 *    CPU, sent only once this one has run its last call and said so: one
 *    more IPI and one more cross-CPU wait in every cpu_down().
 *  - The way back is the same either way: cpu_up() sends INIT-SIPI-SIPI,
 *    and INIT ends a halt even with interrupts off (SDM vol. 2A, HLT), so
 *    waiting for SIPI saves nothing.
 *  - The trade-off: a halted CPU still wakes for an NMI, an SMI or a
 *    broadcast machine check. Its IDT, IST stacks and per-CPU area stay
 *    where they were (xcall never frees them), so the kernel's handlers
 *    take those (panic's NMI halts it again, a #MC is reported) and the
 *    loop halts again. Linux puts CPUs in INIT only for kexec, where that
 *    memory is about to be overwritten; xcall has no such case.
 *
 * No WBINVD, which Linux's hlt_play_dead() issues: a halted core's caches
 * stay coherent, and INIT leaves them as they are (SDM vol. 3A, 10.1:
 * INIT invalidates the TLBs, not the caches), so nothing this CPU wrote
 * can be lost or go stale; the
 * flush matters where the platform may power a dead core down with its
 * caches, which xcall never asks for.
 */
void arch_cpu_play_dead(void)
{
	arch_halt_forever();
}

/*
 * Checked against the rules themselves, not the window setup_trampoline()
 * gave the allocator: a window computed wrongly would hold a page in the
 * BIOS's area just as well. The BDA's words are the ones
 * arch_early_setup() read while page 0 was still mapped.
 */
int arch_smp_trampoline_check(char *buf, size_t size)
{
	u16 seg, kib;
	size_t n;
	int err;

	if (!trampoline_page) {
		snprintf(buf, size, "no AP was started, so there is no trampoline page");
		return -ENODEV;
	}
	setup_lowmem_bda(&seg, &kib);
	err = lowmem_page_check(trampoline_page, seg, kib, buf, size);
	n = strnlen(buf, size);
	if (!mm_map_usable(trampoline_page, PAGE_SIZE)) {
		snprintf(buf + n, size - n, "; not inside a usable memory map entry");
		return -EINVAL;
	}
	return err;
}

