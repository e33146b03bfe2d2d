// SPDX-License-Identifier: MIT
/*
 * Machine checks: the MCA banks and CR4.MCE on every CPU, and the report
 * the #MC handler prints before it panics. xcall recovers from nothing: a
 * machine check ends the run, but with the bank, the status and the
 * address on the console instead of a silent reset.
 *
 * Intel broadcasts an uncorrected error to every thread (SDM vol. 3B,
 * 16.10), and a core's or a thread's banks can be read only from that
 * core or thread: every CPU in the handler reports its own banks, one
 * CPU at a time, in the order they came in, and the first CPU in panics
 * once the others have reported or a bound has passed. Linux's
 * do_machine_check() has the same shape (mce_start() and mce_end(): a
 * monarch and its subjects); the facts are from there, the code is not.
 *
 * The vector's entry, the register dump and the panic are traps.c's;
 * the IST stack #MC runs on is desc.c's and smpboot.c's.
 */
#include <asm/cpu.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <xcall/arch.h>
#include <xcall/atomic.h>
#include <xcall/errno.h>
#include <xcall/format.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

#define MCA_CTL_ALL		(~0ull)

/* SDM vol. 3B, 16.8: P6-family processors before model 1Ah leave
 * IA32_MC0_CTL to the BIOS; the OS must not write it. */
#define INTEL_FAMILY_P6		6
#define INTEL_MODEL_MC0_CTL_OK	0x1a

/* Linux's quirk for K8 (family 0Fh): bit 10 of IA32_MC4_CTL reports GART
 * table-walk errors, which the GART raises falsely with some devices
 * (Linux arch/x86/kernel/cpu/mce/core.c, AMD quirks; BKDG for K8 rev F). */
#define AMD_FAMILY_K8		0xf
#define AMD_K8_GART_BANK	4
#define AMD_K8_GART_TBL_WALK	_BITULL(10)

/*
 * How long the first CPU in waits for the others to come in and report,
 * and how long one waits for its turn: Linux's monarch timeout on Intel,
 * one second. A machine check that reached one CPU only (AMD signals
 * only the CPU that saw the error; QEMU's injection without -b) costs
 * that second before the panic: Linux waits only on Intel, but a dying
 * machine loses nothing by waiting, and QEMU broadcasts on any vendor's
 * model.
 */
#define MCE_RENDEZVOUS_MS	1000

/*
 * The turn counter: each CPU that enters the handler takes a ticket from
 * mce_callin (0 for the first), waits until mce_served equals it,
 * reports, and serves the next ticket. Neither counter is ever reset:
 * the first machine check ends the run.
 */
static unsigned int mce_callin;
static unsigned int mce_served;

bool mce_enabled(void)
{
	return cpu_has(X86_FEATURE_MCE);
}

bool mce_has_cmci(void)
{
	return cpu_has(X86_FEATURE_MCA) && (rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_CMCI_P);
}

static unsigned int nr_banks(void)
{
	if (!cpu_has(X86_FEATURE_MCA))
		return 0;
	return min((unsigned int)(rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_COUNT_MASK),
		   (unsigned int)MCA_MAX_BANKS);
}

/* What IA32_MCi_CTL gets: every error class, with the quirks above. */
static bool bank_ctl(unsigned int bank, u64 *ctl)
{
	*ctl = MCA_CTL_ALL;
	if (bank == 0 && cpu_vendor() == X86_VENDOR_INTEL &&
	    cpu_family() == INTEL_FAMILY_P6 && cpu_model() < INTEL_MODEL_MC0_CTL_OK)
		return false;
	if (bank == AMD_K8_GART_BANK && cpu_vendor() == X86_VENDOR_AMD &&
	    cpu_family() == AMD_FAMILY_K8)
		*ctl &= ~AMD_K8_GART_TBL_WALK;
	return true;
}

static void print_bank(const char *prefix, unsigned int cpu, unsigned int bank,
		       u64 status)
{
	char line[PRINTK_LINE_MAX];
	size_t n;

	n = scnprintf(line, sizeof(line), "%sCPU %u bank %u: MCi_STATUS 0x%016llx (%s%s%s%s%s%s)",
		      prefix, cpu, bank, (unsigned long long)status,
		      (status & MCI_STATUS_UC) ? "uncorrected" : "corrected",
		      (status & MCI_STATUS_PCC) ? ", processor context corrupt" : "",
		      (status & MCI_STATUS_OVER) ? ", overflow" : "",
		      (status & MCI_STATUS_EN) ? ", enabled" : "",
		      (status & MCI_STATUS_S) ? ", signalled" : "",
		      (status & MCI_STATUS_AR) ? ", action required" : "");
	/* MCi_ADDR and MCi_MISC are read only where the status says they
	 * hold something: on some processors reading them otherwise faults
	 * (SDM vol. 3B, 16.3.2.3 and 16.3.2.4). */
	if (status & MCI_STATUS_ADDRV)
		n += scnprintf(line + n, sizeof(line) - n, " MCi_ADDR 0x%016llx",
			       (unsigned long long)rdmsr(MSR_IA32_MCx(bank, MCA_ADDR)));
	if (status & MCI_STATUS_MISCV)
		scnprintf(line + n, sizeof(line) - n, " MCi_MISC 0x%016llx",
			  (unsigned long long)rdmsr(MSR_IA32_MCx(bank, MCA_MISC)));
	pr_emerg("%s\n", line);
}

void mce_cpu_init(void)
{
	unsigned int cpu = smp_processor_id(), banks;
	u64 cap;

	if (!mce_enabled())
		return;
	banks = nr_banks();
	cap = banks ? rdmsr(MSR_IA32_MCG_CAP) : 0;

	/* SDM vol. 3B, 16.8, "Machine-Check Initialization": all of
	 * IA32_MCG_CTL where it exists, all of each bank's IA32_MCi_CTL,
	 * then the status registers cleared, once what they hold has been
	 * logged (it is from before this boot: a warm reset keeps it). */
	if (cap & MCG_CAP_CTL_P)
		wrmsr(MSR_IA32_MCG_CTL, MCA_CTL_ALL);
	for (unsigned int bank = 0; bank < banks; bank++) {
		u64 ctl;

		if (bank_ctl(bank, &ctl))
			wrmsr(MSR_IA32_MCx(bank, MCA_CTL), ctl);
	}
	for (unsigned int bank = 0; bank < banks; bank++) {
		u64 status = rdmsr(MSR_IA32_MCx(bank, MCA_STATUS));

		if (!(status & MCI_STATUS_VAL))
			continue;
		print_bank("mce: logged before this boot: ", cpu, bank, status);
		wrmsr(MSR_IA32_MCx(bank, MCA_STATUS), 0);
	}
	/* LMCE (a machine check signalled to one thread only) is left off:
	 * it needs the firmware's opt-in and buys a kernel that panics on
	 * every machine check nothing. The handler is in the IDT already. */
	write_cr4(read_cr4() | X86_CR4_MCE);
}

/* Whether a wait that started at @start has run out. Before the clock
 * is calibrated only the boot CPU runs, and no one else is waited for. */
static bool mce_timed_out(u64 start)
{
	return !cycles_hz() ||
	       ktime_get_ns() - start > (u64)MCE_RENDEZVOUS_MS * NSEC_PER_MSEC;
}

unsigned int mce_start(unsigned int cpu)
{
	unsigned int ticket;
	u64 start = ktime_get_ns();

	/* Before anything prints: the CPU holding the console lock may be
	 * in here too, and it will not drop it again. */
	console_panic_mode();
	ticket = atomic_fetch_add(&mce_callin, 1);
	/* Acquire: pairs with the release in mce_end(); the turn before
	 * this one has printed everything. */
	while (smp_load_acquire(&mce_served) != ticket) {
		if (mce_timed_out(start)) {
			pr_emerg("mce: CPU %u (apic_id %u): the CPU before it did not finish its report within %u ms, reporting anyway\n",
				 cpu, cpu_physical_id(cpu), MCE_RENDEZVOUS_MS);
			break;
		}
		cpu_relax();
	}
	return ticket;
}

void mce_end(unsigned int cpu, unsigned int ticket)
{
	unsigned int online = num_online_cpus(), served;
	u64 start;

	/* Release: this CPU's report is out before the next one starts. */
	smp_store_release(&mce_served, ticket + 1);
	if (ticket != 0) {
		/* The first CPU's panic stops this one with an NMI. */
		for (;;)
			cpu_relax();
	}
	start = ktime_get_ns();
	for (;;) {
		served = smp_load_acquire(&mce_served);
		if ((served >= online && served == atomic_read(&mce_callin)) ||
		    mce_timed_out(start))
			break;
		cpu_relax();
	}
	pr_emerg("mce: %u CPU%s reported, of %u online; CPU %u (apic_id %u) panics\n",
		 served, served == 1 ? "" : "s", online, cpu, cpu_physical_id(cpu));
}

void mce_report(unsigned int cpu)
{
	unsigned int banks = nr_banks(), found = 0;
	u64 mcg = banks ? rdmsr(MSR_IA32_MCG_STATUS) : 0;

	pr_emerg("mce: machine check on CPU %u (apic_id %u): MCG_STATUS 0x%llx (%s%s%s), %u banks\n",
		 cpu, cpu_physical_id(cpu), (unsigned long long)mcg,
		 (mcg & MCG_STATUS_RIPV) ? "restartable" : "not restartable",
		 (mcg & MCG_STATUS_EIPV) ? ", RIP at the error" : "",
		 (mcg & MCG_STATUS_MCIP) ? ", in progress" : "", banks);
	for (unsigned int bank = 0; bank < banks; bank++) {
		u64 status = rdmsr(MSR_IA32_MCx(bank, MCA_STATUS));

		if (!(status & MCI_STATUS_VAL))
			continue;
		print_bank("mce: ", cpu, bank, status);
		/* Reported: a CPU that shares this bank and reports after this
		 * one does not print it again (SDM vol. 3B, 16.3.2.2: software
		 * clears MCi_STATUS by writing 0). */
		wrmsr(MSR_IA32_MCx(bank, MCA_STATUS), 0);
		found++;
	}
	if (!found)
		pr_emerg("mce: CPU %u: no bank holds a valid error (a CPU that shares its banks may have reported it)\n",
			 cpu);
}

int arch_mce_check(char *buf, size_t size)
{
	u64 cr4 = read_cr4();

	if (!mce_enabled()) {
		snprintf(buf, size, "CPUID reports no machine-check exception");
		return -ENODEV;
	}
	if (!(cr4 & X86_CR4_MCE)) {
		snprintf(buf, size, "CR4.MCE is clear (CR4 0x%llx)", (unsigned long long)cr4);
		return -EINVAL;
	}
	if (nr_banks() && (rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_CTL_P) &&
	    rdmsr(MSR_IA32_MCG_CTL) != MCA_CTL_ALL) {
		snprintf(buf, size, "IA32_MCG_CTL is 0x%llx, not all ones",
			 (unsigned long long)rdmsr(MSR_IA32_MCG_CTL));
		return -EINVAL;
	}
	return 0;
}
