// SPDX-License-Identifier: MIT
/*
 * Machine checks: the MCA banks and CR4.MCE on every CPU, and the report
 * the #MC handler prints before it panics. xcall recovers from nothing: a
 * machine check ends the run, but with the bank, the status and the
 * address on the console instead of a silent reset.
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

/* The CPU whose report is being printed; the others hold back. */
#define NO_REPORTER		(~0u)
static unsigned int mce_reporter = NO_REPORTER;

bool mce_enabled(void)
{
	return cpu_has(X86_FEATURE_MCE);
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

void mce_report(unsigned int cpu)
{
	unsigned int expected = NO_REPORTER, banks = nr_banks(), found = 0;
	u64 mcg = banks ? rdmsr(MSR_IA32_MCG_STATUS) : 0;

	/* Intel broadcasts an uncorrected error to every thread: one
	 * report is enough, and the banks are often shared. The others
	 * spin until the reporter's panic stops them with an NMI. */
	if (!try_cmpxchg(&mce_reporter, &expected, cpu)) {
		for (;;)
			cpu_relax();
	}
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
		found++;
	}
	if (!found)
		pr_emerg("mce: CPU %u: no bank holds a valid error\n", cpu);
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
