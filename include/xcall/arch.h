/* SPDX-License-Identifier: MIT */
/*
 * The seam between generic code (kernel/, tests/) and the architecture:
 * everything generic code asks of x86 is declared here or comes in
 * through the <asm/...> headers included below; generic code includes no
 * other arch header. (Those headers bring their own constants along, such
 * as the EFLAGS bits, but generic code never names them.) arch/x86_64
 * implements each hook; the file that does is named above each group.
 */
#ifndef XCALL_ARCH_H
#define XCALL_ARCH_H

/*
 * The inline primitives, one or two instructions each:
 *   asm/irqflags.h   arch_local_irq_save/restore/enable/disable(),
 *                    arch_irqs_disabled_flags(); generic code spells them
 *                    as Linux does, through <xcall/irqflags.h>
 *   asm/processor.h  cpu_relax()
 *   asm/percpu.h     arch_this_cpu_off(), arch_this_cpu_add(), for
 *                    <xcall/percpu.h>
 *   asm/timex.h      get_cycles(), get_cycles_ordered(), for <xcall/time.h>
 */
#include <asm/irqflags.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/timex.h>
#include <xcall/compiler.h>
#include <xcall/types.h>

struct cpumask;
struct mb2_info;

/* ---- Cross-CPU call IPIs (arch/x86_64/smp.c) ---- */

/**
 * arch_send_call_function_single_ipi() - interrupt one CPU for its call queue
 * @cpu: the target, online and not the calling CPU
 *
 * Sends CALL_FUNCTION_SINGLE_VECTOR; the target's handler acknowledges
 * the APIC and calls generic_smp_call_function_single_interrupt().
 * Context: any CPU, interrupts on or off.
 */
void arch_send_call_function_single_ipi(unsigned int cpu);

/**
 * arch_send_call_function_ipi_mask() - interrupt every CPU of a mask
 * @mask: the targets, all online; never the calling CPU
 *
 * One "all but self" IPI when @mask is every other CPU and the shorthand
 * is safe (see arch_smp_bringup_done()), else the APIC's many-target
 * send: one logical-mode write per cluster of targets in x2APIC mode, one
 * unicast per target in xAPIC mode.
 * Context: any CPU, interrupts on or off.
 */
void arch_send_call_function_ipi_mask(const struct cpumask *mask);

/**
 * arch_call_icr_writes() - how many interrupt-controller writes a CPU made
 * for calls
 * @cpu: the sender, possible
 *
 * One per IPI on a unicast, one per cluster of targets for a many-target
 * send in x2APIC mode, one for an "all but self" shorthand: what the two
 * send hooks above cost the sender (on x86, ICR writes), whoever called
 * them (the call path, the stuck-call resend, cpu_down()'s kick).
 *
 * Context: any CPU; a snapshot of a counter only @cpu writes.
 * Return: the count since boot.
 */
u64 arch_call_icr_writes(unsigned int cpu);

/**
 * arch_smp_bringup_done() - the set of running CPUs is settled: settle the
 * shorthand rule
 * @all_online: every processor the firmware enabled is online
 *
 * Only then may an IPI go to "all but self" in one shorthand, since the
 * shorthand reaches every APIC, started, parked or starting. Bring-up
 * calls it once at its end; CPU hotplug calls it with false before a CPU
 * leaves cpu_online_mask, and again once a cpu_up() has ended.
 * Context: boot CPU at the end of smp_init(); then the CPU running
 * cpu_down() or cpu_up().
 */
void arch_smp_bringup_done(bool all_online);

/**
 * arch_ipi_shorthand_enabled() - may calls go out as one "all but self" IPI?
 *
 * The rule arch_smp_bringup_done() settled, for the tests.
 * Context: any CPU.
 * Return: true when the shorthand is in use for every-other-CPU calls.
 */
bool arch_ipi_shorthand_enabled(void);

/* ---- Boot (arch/x86_64/setup.c, irq.c, tsc.c) ---- */

/**
 * arch_early_setup() - the first arch steps: CPUID, the serial console,
 * the descriptor tables, the legacy PICs masked
 *
 * Context: boot CPU, once, interrupts off, right after the per-CPU area.
 */
void arch_early_setup(void);

/**
 * arch_read_extra_cmdline() - options the platform passes beside the
 * loader's command line
 * @buf: where to put them, NUL-terminated
 * @size: the size of @buf
 * @source: set to a name for the source, for messages
 *
 * On x86 under QEMU this is the fw_cfg file opt/xcall/cmdline; on bare
 * metal there is none (the fw_cfg ports are not probed there).
 * Context: boot CPU, after arch_early_setup().
 * Return: the length read; -ENOENT when there is nothing; -ERANGE when it
 * does not fit in @buf (nothing is read).
 */
int arch_read_extra_cmdline(char *buf, size_t size, const char **source);

/**
 * arch_time_init() - find the cycle counter's frequency and hand it to
 * time_init()
 *
 * Panics when no calibration method works.
 * Context: boot CPU, once, after acpi_init().
 */
void arch_time_init(void);

/**
 * arch_irq_init() - the interrupt controller up on the boot CPU
 *
 * The APIC in x2APIC or xAPIC mode, the vectors' handlers installed,
 * the APIC timer calibrated.
 * Context: boot CPU, once, interrupts off, after acpi_init() and
 * arch_time_init().
 */
void arch_irq_init(void);

/* ---- Memory (arch/x86_64/mm.c) ---- */

enum page_cache {
	PAGE_CACHE_WB,		/* RAM */
	PAGE_CACHE_WC,		/* framebuffers */
	PAGE_CACHE_UC,		/* device registers */
};

/**
 * paging_init() - build the kernel's page tables and switch to them
 * @mbi: the memory map decides what is RAM (write-back) and what is not
 *       (uncached)
 *
 * Identity map of everything below max(4 GiB, top of RAM): kernel text
 * read-only and executable, read-only data and everything else
 * non-executable, page 0 and the boot stack's guard page unmapped.
 * Context: boot CPU, once, after mm_init().
 */
void paging_init(const struct mb2_info *mbi);

/**
 * paging_map_range() - (re)map a physical range with a cache type
 * @phys: start
 * @size: length in bytes
 * @cache: the memory type
 *
 * Context: boot CPU, before the other CPUs start (no TLB shootdown).
 * Return: 0, or -ENOMEM when a page table could not be allocated.
 */
int paging_map_range(phys_addr_t phys, u64 size, enum page_cache cache);

/**
 * paging_is_mapped() - does a page table entry map an address?
 * @addr: the virtual address
 *
 * Context: any CPU.
 * Return: true when @addr is mapped.
 */
bool paging_is_mapped(unsigned long addr);

/* How an address is mapped, as paging_query() finds it. */
struct page_query {
	bool present;
	bool writable;
	bool executable;
	enum page_cache cache;
	unsigned long page_size;	/* of the mapping found */
};

/**
 * paging_query() - how an address is mapped, for tests and diagnostics
 * @addr: the virtual address
 * @q: filled in; all false and 0 when nothing maps @addr
 *
 * Context: any CPU.
 */
void paging_query(unsigned long addr, struct page_query *q);

/* ---- Bring-up (arch/x86_64/smpboot.c) ---- */

/**
 * arch_smp_enumerate_cpus() - the processors the firmware describes
 * @hw_ids: filled with the hardware IDs of the CPUs to start, the boot
 *          CPU left out, in the firmware's order
 * @max: room in @hw_ids
 * @left_out: set to how many enabled processors cannot be started (an
 *            ID the interrupt controller cannot reach, a table too long)
 *
 * Walks the firmware's table (the ACPI MADT), applies the arch's rules
 * on which entries count, and says why it leaves each one out.
 * Context: boot CPU, once, after arch_irq_init().
 * Return: how many startable CPUs were found; only the first @max are
 * stored in @hw_ids.
 */
unsigned int arch_smp_enumerate_cpus(u32 *hw_ids, unsigned int max,
				     unsigned int *left_out);

/**
 * arch_smp_prepare_cpu() - give a CPU its stacks and record its hardware ID
 * @cpu: the logical number it will have
 * @hw_id: its APIC ID
 *
 * Context: boot CPU, before arch_smp_kick_cpus().
 * Return: 0, or -ENOMEM.
 */
int arch_smp_prepare_cpu(unsigned int cpu, u32 hw_id);

/**
 * arch_smp_kick_cpus() - start every CPU of a mask, all at once
 * @cpus: the CPUs, each prepared by arch_smp_prepare_cpu(), never started
 *        or parked by arch_cpu_play_dead()
 *
 * Each CPU that starts ends in start_secondary(). A parked CPU starts
 * afresh, on the same stacks, as at boot (cpu_up()).
 * Context: boot CPU, interrupts on; later, the CPU running cpu_up().
 * Return: 0, or -ENOMEM when the start-up code has nowhere to go.
 */
int arch_smp_kick_cpus(const struct cpumask *cpus);

/**
 * arch_smp_reset_cpu() - stop a CPU whose start was given up on
 * @cpu: a CPU prepared by arch_smp_prepare_cpu() that did not come online
 *
 * Whatever the CPU was doing (still on its way from an earlier start, or
 * halted in start_secondary()), it does nothing more until the next
 * arch_smp_kick_cpus(): on x86 an INIT, and the time for it to land. On
 * return no earlier start of @cpu can reach start_secondary() any more.
 * Context: the CPU running cpu_up(), interrupts on; may wait milliseconds.
 */
void arch_smp_reset_cpu(unsigned int cpu);

/**
 * arch_cpu_disable() - this CPU takes no more interrupts from other CPUs
 *
 * For a CPU going down, once it has run the calls queued while it was
 * online: its interrupt controller stops accepting IPIs (a late sender's
 * "all but self" shorthand among them), while it still answers what
 * starts it again. On x86 the local APIC is software-disabled, as
 * Linux's native_cpu_disable() does (SDM vol. 3A, 11.4.7.2: such an APIC
 * still takes INIT, NMI, SMI and STARTUP).
 * Context: the CPU going down, interrupts off.
 */
void arch_cpu_disable(void);

/**
 * arch_cpu_play_dead() - park this CPU until arch_smp_kick_cpus() starts
 * it again
 *
 * Context: the CPU going down, interrupts off, its calls all run and its
 * death reported; nothing it touches afterwards may be shared.
 */
void arch_cpu_play_dead(void) __noreturn;

/**
 * arch_max_cpu_id() - the largest hardware ID an IPI can reach
 *
 * Context: any CPU, after arch_irq_init().
 * Return: 254 in xAPIC mode, 0xfffffffe in x2APIC mode.
 */
u32 arch_max_cpu_id(void);

/**
 * arch_cpu_stack() - the bounds of a CPU's kernel stack
 * @cpu: the CPU
 * @lo: set to its lowest address
 * @hi: set to one past its highest
 *
 * Context: any CPU.
 */
void arch_cpu_stack(unsigned int cpu, unsigned long *lo, unsigned long *hi);

/* ---- CPUs (arch/x86_64/smpboot.c, setup.c, traps.c, entry.S, smp.c) ---- */

/**
 * cpu_physical_id() - the hardware ID (APIC ID) of a logical CPU
 * @cpu: the CPU, possible
 *
 * Context: any CPU.
 * Return: the ID recorded at bring-up.
 */
u32 cpu_physical_id(unsigned int cpu);

/**
 * arch_read_cpu_id() - the calling CPU's hardware ID, from its APIC now
 *
 * Context: any CPU.
 * Return: the APIC ID.
 */
u32 arch_read_cpu_id(void);

/**
 * arch_set_percpu_base() - make a per-CPU area this CPU's own
 * @base: the area's address, loaded into the GS base
 *
 * Context: the CPU itself, before it touches per-CPU data.
 */
void arch_set_percpu_base(unsigned long base);

/**
 * arch_dump_stack() - print a backtrace of the caller
 *
 * Context: any CPU, interrupts on or off.
 */
void arch_dump_stack(void);

/**
 * arch_trigger_cpu_backtrace() - have another CPU print where it is
 * @cpu: the CPU, online, not the caller
 *
 * Sends @cpu a non-maskable interrupt whose handler prints @cpu's
 * registers and a symbolic backtrace, so a CPU spinning with interrupts
 * off still shows where (the stuck-call detector uses it, as Linux's CSD
 * lock-wait debugging does). Waits, bounded, until @cpu has printed.
 * Implemented in arch/x86_64/traps.c.
 * Context: any CPU, interrupts on or off; not from an NMI.
 * Return: true when @cpu printed its backtrace in time; false for a CPU
 * out of range, offline or the caller's own, or no answer in time.
 */
bool arch_trigger_cpu_backtrace(unsigned int cpu);

/**
 * arch_send_nmi() - send another CPU a bare NMI, asking nothing
 * @cpu: the CPU, online, not the caller
 *
 * For the tests: the NMI's handler finds no request and says so, or
 * stops the CPU when another CPU panics. Implemented in
 * arch/x86_64/traps.c.
 * Context: any CPU, interrupts on or off.
 */
void arch_send_nmi(unsigned int cpu);

/**
 * arch_stop_other_cpus() - stop every other CPU with an NMI, for panic
 *
 * One "all but self" NMI only when every enabled processor is online
 * (see arch_smp_bringup_done()); else one NMI per online CPU, so that no
 * processor bring-up left out in the firmware's hands gets one. Says
 * which it sends, then waits, bounded (about a second), until every other
 * online CPU has stopped, names any that did not, and says how many did.
 * Implemented in arch/x86_64/smp.c.
 * Context: any CPU, interrupts off.
 */
void arch_stop_other_cpus(void);

/**
 * arch_halt_forever() - halt this CPU for good, interrupts off
 *
 * Context: any CPU.
 */
void arch_halt_forever(void) __noreturn;

/**
 * arch_qemu_exit() - leave QEMU through its isa-debug-exit device
 * @failed: false for success (QEMU exits with status 1), true for failure
 *          (status 3)
 *
 * Returns only when there is no such device (a real machine); the caller
 * halts then.
 * Context: any CPU.
 */
void arch_qemu_exit(bool failed);

/**
 * arch_running_on_hypervisor() - is the machine a virtual one?
 *
 * Context: any CPU, after arch_early_setup().
 * Return: true when CPUID's hypervisor bit is set.
 */
bool arch_running_on_hypervisor(void);

/**
 * arch_hypervisor_dedicated_cpus() - does each vCPU have a host CPU of its own?
 *
 * Only a hypervisor that says so counts: on x86, KVM's KVM_HINTS_REALTIME
 * hint. Without it a vCPU may share its host CPU with other threads,
 * the other vCPUs of the same machine among them.
 *
 * Context: any CPU, after arch_early_setup().
 * Return: true when the hypervisor promises a host CPU per vCPU.
 */
bool arch_hypervisor_dedicated_cpus(void);

/**
 * arch_hypervisor_name() - the hypervisor's vendor string
 *
 * Context: any CPU, after arch_early_setup().
 * Return: CPUID's hypervisor vendor, "" on bare metal.
 */
const char *arch_hypervisor_name(void);

/**
 * probe_read_u64() - read a word that may fault
 * @addr: the address
 * @val: where to store the word
 *
 * Context: any CPU.
 * Return: 0, or -EFAULT when the read faulted.
 */
int probe_read_u64(const void *addr, u64 *val);

/**
 * probe_write_u64() - write a word that may fault
 * @addr: the address
 * @val: the word
 *
 * Context: any CPU.
 * Return: 0, or -EFAULT when the write faulted.
 */
int probe_write_u64(void *addr, u64 val);

/**
 * arch_triple_fault() - reset the machine the hard way
 *
 * For the harness's own test that a reset is caught: the CPU shuts down
 * on an exception it cannot deliver.
 * Context: any CPU.
 */
void arch_triple_fault(void) __noreturn;

/* ---- Idle (arch/x86_64/idle.c) ---- */

/**
 * arch_idle_halt() - enable interrupts and halt until one arrives
 *
 * Context: interrupts off on entry (the caller checked for work with
 * them off); returns with them on, after the interrupt was handled.
 */
void arch_idle_halt(void);

/**
 * arch_idle_nap() - halt for about a given time, or until an interrupt
 * @us: microseconds
 *
 * A wait that leaves the host's cores to the other vCPUs under emulation,
 * and saves power on real hardware.
 * Context: interrupts on; returns with them on.
 */
void arch_idle_nap(unsigned int us);

/**
 * arch_has_mwait() - can this CPU wait on a cache line (MONITOR/MWAIT)?
 *
 * Context: any CPU, after arch_irq_init().
 * Return: true when it has MONITOR/MWAIT and no erratum of its model lets
 * a store to the monitored line fail to end the wait.
 */
bool arch_has_mwait(void);

/**
 * arch_monitor() - arm the monitor on a cache line
 * @addr: an address in the line
 *
 * Context: interrupts off; check the condition after arming, then call
 * arch_mwait_irqs_on() (a write between the two still ends the wait).
 */
void arch_monitor(const void *addr);

/**
 * arch_mwait_irqs_on() - enable interrupts and wait for a write to the
 * monitored line or an interrupt
 *
 * There is no window between the two in which an interrupt could be taken
 * and the wait then sleep on.
 * Context: interrupts off; returns with them on.
 */
void arch_mwait_irqs_on(void);

/* ---- Benchmark floor (arch/x86_64/irq.c) ---- */

/**
 * arch_set_raw_ipi_handler() - what the bare benchmark vector runs
 * @fn: called after the APIC is acknowledged; no queue, no generic code
 *      in between
 *
 * Context: any CPU.
 */
void arch_set_raw_ipi_handler(void (*fn)(void));

/**
 * arch_send_raw_ipi() - send the bare benchmark vector
 * @cpu: the target, online
 *
 * Context: any CPU.
 */
void arch_send_raw_ipi(unsigned int cpu);

/**
 * arch_ipi_mode_name() - the interrupt controller's mode, for reports
 *
 * Context: any CPU, after arch_irq_init().
 * Return: "x2apic" or "xapic".
 */
const char *arch_ipi_mode_name(void);

/*
 * ---- Checks for the tests (arch/x86_64/setup.c, mce.c, desc.c, io_apic.c,
 * apic.c, smpboot.c): what boot set up, read back from the hardware ----
 */

/**
 * arch_cpu_state_check() - does this CPU's control state hold exactly
 * what the kernel set?
 * @buf: where a mismatch is described
 * @size: the size of @buf
 *
 * No bit the firmware left may survive the boot code's
 * whole-value writes (on x86: CR0, CR4 and EFER).
 * Context: any CPU, about itself; interrupts on or off.
 * Return: 0 when everything matches; -EINVAL when something does not,
 * with @buf naming the register, the value found and the one expected.
 */
int arch_cpu_state_check(char *buf, size_t size);

/**
 * arch_mce_check() - is this CPU set up to report machine checks?
 * @buf: where what is missing is described
 * @size: the size of @buf
 *
 * On x86: CR4.MCE set (without it a machine check resets the machine
 * with nothing on the screen) and IA32_MCG_CTL all ones where it exists.
 * Context: any CPU, about itself.
 * Return: 0 when it is; -ENODEV when the CPU has no machine-check
 * exception; -EINVAL when something is not set, described in @buf.
 */
int arch_mce_check(char *buf, size_t size);

/**
 * arch_cpu_exception_stack() - where one of a CPU's exception stacks is
 * @cpu: the CPU, possible
 * @i: which stack, from 0
 * @lo: set to its lowest address; a guard page lies just below
 * @hi: set to one past its highest
 *
 * The stacks a CPU switches to for the exceptions that may arrive on a
 * broken stack (on x86 the IST stacks of #DF, NMI and #MC, as the CPU's
 * TSS gives them).
 * Context: any CPU.
 * Return: the stack's name, or NULL when @i is past the last one.
 */
const char *arch_cpu_exception_stack(unsigned int cpu, unsigned int i,
				     unsigned long *lo, unsigned long *hi);

/**
 * arch_io_apic_check() - are all the interrupt routers' inputs masked?
 * @buf: a summary, or what is not masked
 * @size: the size of @buf
 *
 * xcall routes no device interrupt, so boot masks every input of every
 * router the firmware describes (on x86 every I/O APIC redirection entry,
 * SMI pins aside). This reads them back.
 * Context: any CPU, interrupts on or off.
 * Return: 0 when every one reads back masked (@buf counts them);
 * -ENODEV when there is no router (@buf says why); -EINVAL when an input
 * is open (@buf names it).
 */
int arch_io_apic_check(char *buf, size_t size);

/**
 * arch_irq_controller_check() - is this CPU's interrupt controller as
 * boot left it?
 * @buf: a summary, or what is wrong
 * @size: the size of @buf
 *
 * Every local interrupt source xcall does not use is masked (on x86 the
 * LVT entries: LINT0, performance counter, thermal, CMCI where present,
 * AMD's extended entries) and no interrupt is in service.
 * Context: any CPU, about itself, outside interrupt handlers that have
 * not acknowledged their interrupt yet.
 * Return: 0, or -EINVAL with @buf naming the first difference.
 */
int arch_irq_controller_check(char *buf, size_t size);

/**
 * arch_irq_unacked_selftest() - prove an unacknowledged interrupt is
 * cleared at set-up
 * @buf: what happened
 * @size: the size of @buf
 *
 * Takes a self-IPI whose handler sends no EOI, as firmware can leave an
 * interrupt in service, then runs the set-up's drain and reads the
 * in-service register back.
 * Context: the calling CPU, interrupts on, not in an interrupt handler.
 * Return: 0 when the interrupt was taken, stayed in service, and the
 * drain emptied the in-service register; -EINVAL otherwise.
 */
int arch_irq_unacked_selftest(char *buf, size_t size);

/**
 * arch_smp_trampoline_check() - does the CPUs' start-up code sit where
 * the firmware cannot touch it?
 * @buf: where it is and where it may be
 * @size: the size of @buf
 *
 * On a PC: the AP trampoline's page below 1 MiB is page-aligned, lies
 * clear of the first 64 KiB, below the EBDA and the end of conventional
 * memory as the BIOS Data Area gave them at boot, and inside an entry the
 * memory map calls usable. Each rule is checked from those data
 * themselves, not from the window the page was allocated in.
 * Context: any CPU, after bring-up.
 * Return: 0 when it does; -ENODEV when no AP was started (no page was
 * needed); -EINVAL when a rule is broken (@buf names it).
 */
int arch_smp_trampoline_check(char *buf, size_t size);

/**
 * arch_time_check() - measure the clock again and hold it against boot's
 * @buf: both frequencies and the reference timer
 * @size: the size of @buf
 *
 * Where boot measured the cycle counter's frequency against a reference
 * timer, measures it again the same way and compares. A measurement
 * skewed by the CPU being taken away mid-read (an SMI; a host that
 * deschedules the vCPU) would disagree with a good one.
 * Context: boot CPU, interrupts on; takes some tens of milliseconds.
 * Return: 0 when the two agree to 1 %; -ERANGE when they do not;
 * -ENODEV when boot measured nothing (the CPU states the frequency) or no
 * undisturbed reading could be had now (@buf says which).
 */
int arch_time_check(char *buf, size_t size);

#endif /* XCALL_ARCH_H */
