// SPDX-License-Identifier: MIT
/*
 * The C side of interrupt dispatch: do_interrupt() routes each vector to
 * its handler; exceptions get the exception-table fixup or a full report
 * and a panic (a machine check with the MCA banks' report first, from
 * mce.c); NMIs stop the CPU when another CPU panics, or print its
 * registers and backtrace when another CPU asks. The stubs are in
 * entry.S, the tables in desc.c.
 */
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/mce.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <xcall/arch.h>
#include <xcall/ksyms.h>
#include <xcall/panic.h>
#include <xcall/percpu.h>
#include <xcall/printk.h>
#include <xcall/smp.h>
#include <xcall/time.h>

static irq_handler_t irq_handlers[NR_VECTORS];

struct extable_entry {
	u64 insn;
	u64 fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

/* The most frames a backtrace prints; a deeper chain is a loop or junk. */
#define BACKTRACE_MAX_FRAMES	32
/* How long arch_trigger_cpu_backtrace() waits for the target to finish
 * printing: Linux's nmi_trigger_cpumask_backtrace() gives 10 s, which
 * covers a target that must first wait out printk's lock. */
#define NMI_BACKTRACE_WAIT_MS	10000

/* A frame record: the saved RBP, then the return address above it. */
#define FRAME_RECORD_SIZE	16

/* Set by a CPU that wants this CPU's registers and backtrace; cleared by
 * this CPU's NMI handler once they are printed. */
static DEFINE_PER_CPU(unsigned int, nmi_backtrace_wanted);
/* Set while this CPU runs its NMI handler (see handle_nmi()). */
static DEFINE_PER_CPU(unsigned int, in_nmi);

static const char *const exception_names[NR_EXCEPTION_VECTORS] = {
	[X86_TRAP_DE] = "#DE divide error",
	[X86_TRAP_DB] = "#DB debug",
	[X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "#BP breakpoint",
	[X86_TRAP_OF] = "#OF overflow",
	[X86_TRAP_BR] = "#BR bound range exceeded",
	[X86_TRAP_UD] = "#UD invalid opcode",
	[X86_TRAP_NM] = "#NM device not available",
	[X86_TRAP_DF] = "#DF double fault",
	[X86_TRAP_TS] = "#TS invalid TSS",
	[X86_TRAP_NP] = "#NP segment not present",
	[X86_TRAP_SS] = "#SS stack-segment fault",
	[X86_TRAP_GP] = "#GP general protection",
	[X86_TRAP_PF] = "#PF page fault",
	[X86_TRAP_MF] = "#MF x87 floating-point error",
	[X86_TRAP_AC] = "#AC alignment check",
	[X86_TRAP_MC] = "#MC machine check",
	[X86_TRAP_XF] = "#XM SIMD floating-point",
	[X86_TRAP_VE] = "#VE virtualization",
	[X86_TRAP_CP] = "#CP control protection",
};

void idt_set_handler(unsigned int vector, irq_handler_t fn)
{
	if (WARN_ON(vector < NR_EXCEPTION_VECTORS || vector >= NR_VECTORS))
		return;
	irq_handlers[vector] = fn;
}

static bool fixup_exception(struct pt_regs *regs)
{
	/* cppcheck-suppress comparePointers ; linker.ld sets both symbols
	 * around __ex_table: they bound one array of entries. */
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/* Bits 63..47 all equal (SDM vol. 3A, 3.3.7.1, "Canonical Addressing"). */
static bool is_canonical(unsigned long addr)
{
	return (unsigned long)((long)(addr << 16) >> 16) == addr;
}

static bool is_kernel_text(unsigned long addr)
{
	unsigned long off;

	return ksym_lookup(addr, &off) != NULL;
}

/* Whether the frame record at @rbp lies inside one of this CPU's stacks:
 * its kernel stack or one of its IST stacks. */
static bool frame_on_this_cpu_stacks(unsigned long rbp)
{
	unsigned int cpu = smp_processor_id();
	unsigned long lo, hi;

	arch_cpu_stack(cpu, &lo, &hi);
	if (rbp >= lo && rbp + FRAME_RECORD_SIZE <= hi)
		return true;
	for (unsigned int i = 0; arch_cpu_exception_stack(cpu, i, &lo, &hi); i++)
		if (rbp >= lo && rbp + FRAME_RECORD_SIZE <= hi)
			return true;
	return false;
}

/*
 * Walk the frame-pointer chain. Every read goes through probe_read_u64,
 * so a corrupt chain ends the trace instead of faulting again. With
 * @stacks_only (the NMI handler), a frame outside this CPU's stacks ends
 * it before any read: an NMI handler must not fault at all (see
 * handle_nmi()). The stacks' bounds are known once bring-up has recorded
 * them; an NMI before that gets the RIP line only.
 */
static void backtrace_from(unsigned long rbp, unsigned long rip, bool stacks_only)
{
	char sym[KSYM_NAME_MAX];

	pr_emerg("Call trace:\n");
	if (rip)
		pr_emerg("  [<%016lx>] %s\n", rip, ksym_format(sym, sizeof(sym), rip));
	for (unsigned int i = 0; i < BACKTRACE_MAX_FRAMES; i++) {
		u64 next, ret;

		/* A non-canonical address raises #GP, not #PF; the fixup
		 * covers both, but the check costs less than a fault. */
		if (!rbp || (rbp & 7) || !is_canonical(rbp) ||
		    (stacks_only && !frame_on_this_cpu_stacks(rbp)) ||
		    probe_read_u64((void *)rbp, &next) ||
		    probe_read_u64((void *)(rbp + 8), &ret) || !is_kernel_text(ret))
			break;
		pr_emerg("  [<%016lx>] %s\n", (unsigned long)ret,
			 ksym_format(sym, sizeof(sym), ret));
		if (next <= rbp)	/* frames grow toward higher addresses */
			break;
		rbp = next;
	}
}

void arch_dump_stack(void)
{
	backtrace_from(read_rbp(), 0, false);
}

static void show_regs(const struct pt_regs *r)
{
	char sym[KSYM_NAME_MAX];

	pr_emerg("RIP: %04lx:%016lx %s\n", (unsigned long)r->cs,
		 (unsigned long)r->rip, ksym_format(sym, sizeof(sym), r->rip));
	pr_emerg("RSP: %04lx:%016lx RFLAGS: %08lx\n", (unsigned long)r->ss,
		 (unsigned long)r->rsp, (unsigned long)r->rflags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n",
		 (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n",
		 (unsigned long)r->rdx, (unsigned long)r->rsi, (unsigned long)r->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n",
		 (unsigned long)r->rbp, (unsigned long)r->r8, (unsigned long)r->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n",
		 (unsigned long)r->r10, (unsigned long)r->r11, (unsigned long)r->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n",
		 (unsigned long)r->r13, (unsigned long)r->r14, (unsigned long)r->r15);
	pr_emerg("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/*
 * An NMI: another CPU panicked and stops this one, or asked for this
 * CPU's registers and backtrace (the stuck-call detector does, for the
 * CPU it waits on). NMIs get through with interrupts off, which is the
 * point: a CPU spinning with them off shows where.
 *
 * Only another CPU's panic stops this one. The panicking CPU can take an
 * NMI too, in the middle of its own report (a backtrace request sent
 * before the others were stopped, or a hardware NMI): halting there
 * would cut the report off. Linux's stop callback skips the stopping CPU
 * the same way.
 *
 * Nothing here may fault. The IRET that ends an exception unblocks NMIs
 * (SDM vol. 3A, 6.7.1), and a second NMI would then start again at the
 * top of the same IST stack, over this one's saved registers and frames
 * (entry.S). So the backtrace reads only this CPU's stacks, and an NMI
 * that finds in_nmi set, which only such an IRET lets in, panics: the
 * handler beneath it has lost the frame it would return through, and
 * returning to it would run on a wrecked stack.
 */
static void handle_nmi(struct pt_regs *regs, unsigned int cpu)
{
	unsigned int *wanted = this_cpu_ptr(&nmi_backtrace_wanted);
	unsigned int *nesting = this_cpu_ptr(&in_nmi);

	if (other_cpu_in_panic())
		stop_this_cpu();
	if (READ_ONCE(*nesting))
		panic("NMI on CPU %u inside its own NMI handler: an exception's IRET let it in, on the same IST stack",
		      cpu);
	WRITE_ONCE(*nesting, 1);
	/* Acquire: pairs with the requester's release, though the flag is
	 * all it wrote. */
	if (smp_load_acquire(wanted)) {
		pr_warn("NMI backtrace for CPU %u (apic_id %u):\n", cpu, cpu_physical_id(cpu));
		show_regs(regs);
		backtrace_from(regs->rbp, regs->rip, true);
		/* Release: the requester, seeing the flag clear, knows every
		 * line above is out. */
		smp_store_release(wanted, 0);
	} else {
		pr_warn("traps: unexpected NMI on CPU %u, ignored\n", cpu);
	}
	WRITE_ONCE(*nesting, 0);
}

bool arch_trigger_cpu_backtrace(unsigned int cpu)
{
	unsigned int *wanted;
	u64 deadline;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || cpu == smp_processor_id())
		return false;
	wanted = per_cpu_ptr(&nmi_backtrace_wanted, cpu);
	smp_store_release(wanted, 1);
	apic_send_ipi(cpu_physical_id(cpu), APIC_DM_NMI);
	deadline = ktime_get_ns() + (u64)NMI_BACKTRACE_WAIT_MS * NSEC_PER_MSEC;
	while (smp_load_acquire(wanted)) {
		if (ktime_get_ns() > deadline) {
			pr_warn("traps: CPU %u (apic_id %u) did not answer the backtrace NMI within %u ms\n",
				cpu, cpu_physical_id(cpu), NMI_BACKTRACE_WAIT_MS);
			return false;
		}
		cpu_relax();
	}
	return true;
}

void arch_send_nmi(unsigned int cpu)
{
	if (cpu < nr_cpu_ids && cpu_online(cpu) && cpu != smp_processor_id())
		apic_send_ipi(cpu_physical_id(cpu), APIC_DM_NMI);
}

static void handle_exception(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;
	const char *name = exception_names[v] ? exception_names[v] : "reserved";
	unsigned int cpu = smp_processor_id(), ticket = 0;

	if (v == X86_TRAP_NMI) {
		handle_nmi(regs, cpu);
		return;
	}
	/* probe_read_u64() and friends fault with #PF, rdmsr_safe() with
	 * #GP; an instruction in the table is expected to fault. */
	if ((v == X86_TRAP_PF || v == X86_TRAP_GP) && fixup_exception(regs))
		return;
	/* Every CPU may take a machine check at once: each reports in its
	 * turn, from the exception line on, and the first one in panics. */
	if (v == X86_TRAP_MC)
		ticket = mce_start(cpu);

	pr_emerg("exception: %s (vector %u) error code 0x%lx on CPU %u (apic_id %u)\n",
		 name, v, (unsigned long)regs->error_code, cpu, cpu_physical_id(cpu));
	if (v == X86_TRAP_PF)
		pr_emerg("exception: page fault at address 0x%016lx (%s, %s)\n",
			 read_cr2(),
			 (regs->error_code & 1) ? "protection violation" : "page not present",
			 (regs->error_code & 2) ? "write" : (regs->error_code & 16) ?
			 "instruction fetch" : "read");
	if (v == X86_TRAP_MC) {
		/* The banks first: they are what explains the others. */
		mce_report(cpu);
		show_regs(regs);
		backtrace_from(regs->rbp, regs->rip, false);
		mce_end(cpu, ticket);
		panic("machine check on CPU %u", cpu);
	}
	show_regs(regs);
	backtrace_from(regs->rbp, regs->rip, false);
	panic("unhandled exception %s on CPU %u", name, cpu);
}

static void unexpected_interrupt(struct pt_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;

	/* The 8259s are masked, but they can still raise IRQ 7 or 15 as
	 * spurious interrupts, which take no EOI (8259A data sheet). */
	if (v == PIC_MASTER_VECTOR + 7 || v == PIC_SLAVE_VECTOR + 7)
		return;
	pr_warn("traps: unexpected interrupt vector 0x%x on CPU %u\n", v,
		smp_processor_id());
	apic_eoi();
}

/* Called by entry.S with interrupts off. */
void do_interrupt(struct pt_regs *regs);
void do_interrupt(struct pt_regs *regs)
{
	irq_handler_t fn;

	if (unlikely(regs->vector < NR_EXCEPTION_VECTORS)) {
		handle_exception(regs);
		return;
	}
	fn = irq_handlers[regs->vector];
	if (likely(fn))
		fn(regs);
	else
		unexpected_interrupt(regs);
}
