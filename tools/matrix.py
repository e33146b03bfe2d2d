# SPDX-License-Identifier: MIT
"""
The QEMU boot matrix of `make test` (tools/xcall.py test).

Plain data, to be edited: one dict per boot, run in this order, two at a
time by default. tools/xcall_qemu.py fills in DEFAULTS and refuses an
unknown field, so a typo fails loudly. Fields:

  name          unique; the log is build/logs/<name>.log, --only matches it
  smp           QEMU's -smp value, a string: a count, or a topology such as
                "6,sockets=2,cores=3"
  firmware      "bios" (SeaBIOS) or "uefi" (OVMF; ~7 s to its first output)
  machine       "q35" or "pc"
  cpu           QEMU's -cpu model; None means qemu64 under TCG and host
                under KVM
  options       kernel options, space separated; the runner always adds
                qemu_exit
  timeout       seconds until the boot is killed and failed; None means
                120, or 180 with UEFI
  min_qemu      (major, minor): on an older QEMU the boot is skipped, with
                min_qemu_why saying what needs it
  vga           QEMU's -vga value ("std" gives a framebuffer); None: -vga none
  media         "cdrom", or "usb": the ISO as a USB stick (what dd writes)
  extra         more QEMU arguments, a list of strings
  expect        "pass", or "fail" for a boot that proves the harness
                catches a failure; such a boot counts as one unit,
                <name>/expected_<end>, that passes when it fails as below
  end           (expect "fail") how it must end: "failure" (the kernel
                reports failure: QEMU status 3), "reset" (QEMU status 0, as
                a triple fault under -no-reboot) or "timeout"
  failed_cases  (end "failure") the test cases that must fail, and be the
                only ones; the KTAP report must be whole
  crashed_cases (end "failure") the entries that must be counted crashed
                (tools/ktap.py names them by their number in their suite's
                plan: "suite/#2", "#3"), and be the only ones; nothing may
                fail
  must_print    regular expressions the log must print, in this order:
                each must match a line (re.MULTILINE) after the line the one
                before it matched; for a failure, the report it must leave,
                for a boot that passes, what it must say on the way
  monitor       [(trigger, command)]: when a line of the serial log matches
                the trigger (a regular expression), the runner sends the
                command to QEMU's monitor over a unix socket, each step in
                turn; what was sent and answered goes into
                build/logs/<name>.monitor
  bench         True: the boot also runs the benchmarks (its options hold
                "bench") and yields one more unit, <name>/bench_lines, that
                passes when every BENCH line is whole (tools/benchfmt.py):
                the format is judged, never a timing value
  trace         True: the boot also dumps a trace (its options hold
                "trace_scenario" or "trace") and yields one more unit,
                <name>/trace_check, that passes when the dump is whole and its
                Chrome trace and calls pass tools/xcall_trace.py's checks
                (every queued call ran once on its target, after its
                queueing; the IPI events match the kernel's count)
  kernel        "xcall" (the ISO), or "linux": Debian's kernel with the
                benchmark's initramfs (bench/linux/, tools/linux_bench.py),
                options on Linux's command line; only for bench boots, and
                skipped, saying why, when the Linux side is not built

  screen        True: the boot draws the core-to-core heatmap on its screen
                (options "bench", a vga): when the kernel says it drew it,
                the monitor takes a screendump (build/logs/<name>.ppm),
                and one more unit, <name>/screen, passes when every
                rectangle and string the kernel's SCREEN lines describe is
                on it, pixel for pixel, in the ISO's PSF font
                (tools/bench_screen.py)

Cost: under TCG each boot runs up to smp vCPU threads on the host's two
cores; keep the whole matrix within about ten minutes.
"""

DEFAULTS = {
    "smp": "1",
    "firmware": "bios",
    "machine": "q35",
    "cpu": None,
    "options": "",
    "timeout": None,
    "min_qemu": None,
    "min_qemu_why": "",
    "vga": None,
    "extra": [],
    "expect": "pass",
    "end": None,
    "failed_cases": [],
    "crashed_cases": [],
    "bench": False,
    "media": "cdrom",
    "monitor": [],
    "kernel": "xcall",
    "trace": False,
    "screen": False,
}

# TCG emulates x2APIC from QEMU 9.0 on; older ones drop +x2apic with a warning.
X2APIC_QEMU = (9, 0)
X2APIC_WHY = "x2APIC under TCG"

# The stress suite's size. The 100,000 calls run at -smp 4 in the
# xAPIC and x2APIC boots; elsewhere a smaller run keeps the matrix within
# its time (with more vCPUs than host cores, TCG spends most of a waited
# call waiting for the target's thread to get a core).
FULL_STRESS = "stress_calls=100000"
SHORT_STRESS = "stress_calls=20000"   # the kernel's default, said anyway
# 100,000 calls take 20-30 s alone at -smp 4 on a quiet 2-core host, but
# 300 s and more when other QEMUs share it (seen beside the matrix's
# second job and other work). The limit is there to catch a hang, and the
# stress test prints its progress every 5 s, so a slow run is visibly not
# a hung one: the limit is generous.
FULL_STRESS_TIMEOUT = 900

# What panic says it does with maxcpus=2 at -smp 4: one NMI to the one
# other online CPU, never the shorthand.
MAXCPUS_PANIC_NMI = r"^panic: NMI to each of the 1 other online CPUs"
# Panic waits until the other CPU has stopped before it goes on, in a
# boot with one other online CPU.
PANIC_STOPPED_ONE = r"^panic: stopped 1 of 1 other online CPUs"

# A broadcast machine check's bank line, from either CPU: CPU 1 holds the
# injected status, CPU 0 what QEMU gives the others (VAL and UC).
MCE_BCAST_BANK = (r"^mce: CPU (1 bank 1: MCi_STATUS 0xb200000000000000|"
                  r"0 bank 1: MCi_STATUS 0xa000000000000000) \(uncorrected")

MATRIX = [
    {"name": "bios-smp1", "smp": "1"},
    {"name": "bios-smp2", "smp": "2"},
    {"name": "bios-smp4", "smp": "4", "options": FULL_STRESS,
     "timeout": FULL_STRESS_TIMEOUT},
    # Also ten seconds of the torture suite (make torture runs it longer).
    {"name": "bios-smp8", "smp": "8", "options": SHORT_STRESS + " torture_s=10"},
    {"name": "pc-smp2", "smp": "2", "machine": "pc", "options": SHORT_STRESS},
    {"name": "uefi-smp4", "smp": "4", "firmware": "uefi",
     "options": SHORT_STRESS},
    # Two sockets of three cores: QEMU rounds each level up to a power of
    # two, so the APIC IDs are 0-2 and 4-6, not contiguous.
    {"name": "sparse-apic", "smp": "6,sockets=2,cores=3",
     "options": SHORT_STRESS},
    {"name": "x2apic-smp4", "smp": "4", "cpu": "qemu64,+x2apic",
     "options": FULL_STRESS, "timeout": FULL_STRESS_TIMEOUT,
     "min_qemu": X2APIC_QEMU, "min_qemu_why": X2APIC_WHY},
    {"name": "x2apic-smp8", "smp": "8", "cpu": "qemu64,+x2apic",
     "options": SHORT_STRESS,
     "min_qemu": X2APIC_QEMU, "min_qemu_why": X2APIC_WHY},
    # More than 16 CPUs: two x2APIC clusters (IDs 0-15 and 16-19), so a
    # many-target call takes one logical ICR write per cluster (the
    # ipi_mask suite counts them); idle=hlt so that every target takes
    # its IPI. The three suites that care, not the whole set: 20 vCPUs
    # on two host cores are slow under TCG.
    {"name": "x2apic-smp20", "smp": "20", "cpu": "qemu64,+x2apic",
     "options": "idle=hlt selftest=ipi_mask,smp_call,bringup",
     "min_qemu": X2APIC_QEMU, "min_qemu_why": X2APIC_WHY},
    {"name": "nox2apic-smp4", "smp": "4", "cpu": "qemu64,+x2apic",
     "options": "nox2apic " + SHORT_STRESS, "min_qemu": X2APIC_QEMU,
     "min_qemu_why": X2APIC_WHY},
    # The default idle method is hlt under QEMU (idle=auto haltpolls only
    # on dedicated host CPUs, which TCG never promises): haltpoll gets a
    # boot of its own, and hlt one with x2APIC.
    {"name": "haltpoll-smp4", "smp": "4", "options": "idle=haltpoll " + SHORT_STRESS},
    {"name": "hlt-x2apic-smp2", "smp": "2", "cpu": "qemu64,+x2apic",
     "options": "idle=hlt", "min_qemu": X2APIC_QEMU, "min_qemu_why": X2APIC_WHY},
    {"name": "poll-smp4", "smp": "4", "options": "idle=poll " + SHORT_STRESS},
    # MONITOR/MWAIT on the queue's line where the CPU has them (under TCG
    # with several CPUs, MWAIT returns at once: the code path is what is
    # tested, not the sleep).
    {"name": "mwait-poll-smp2", "smp": "2", "cpu": "qemu64,+monitor",
     "options": "idle=poll"},
    # A firmware table the parsers refuse: QEMU's HPET is off and an
    # HPET table with no body stands in for it. The kernel says why it
    # is not used, once, in the plan (bringup's
    # plan_carries_the_parsers_lines runs only where there is a line).
    {"name": "bad-hpet-smp2", "smp": "2", "options": "selftest=bringup",
     "extra": ["-machine", "hpet=off", "-acpitable", "sig=HPET,data=/dev/null"]},
    # The ISO written to a USB stick: BIOS boots its hybrid MBR, UEFI its
    # EFI system partition.
    {"name": "usb-bios-smp2", "smp": "2", "media": "usb", "options": "selftest=boot"},
    {"name": "usb-uefi-smp2", "smp": "2", "media": "usb", "firmware": "uefi",
     "options": "selftest=boot"},
    # CPU hotplug: the hotplug suite runs in every boot above (SeaBIOS at
    # -smp 4 and 8, xAPIC and x2APIC, OVMF at -smp 4, each idle method);
    # this one adds OVMF with x2APIC at -smp 8.
    {"name": "uefi-x2apic-smp8", "smp": "8", "firmware": "uefi",
     "cpu": "qemu64,+x2apic", "options": "selftest=hotplug,bringup,cpu_setup",
     "min_qemu": X2APIC_QEMU, "min_qemu_why": X2APIC_WHY},
    # A CPU that never answers the STARTUP IPIs: reported by APIC ID, left
    # out, and the others work on.
    {"name": "dead-cpu-smp4", "smp": "4",
     "options": "selftest_dead_cpu=2 smpboot_timeout_ms=200 "
                "selftest=bringup,bringup_dead_cpu,smp_call"},
    # Processors maxcpus= left out: cpu_up() cannot start them, and says
    # why (bringup's cpus_left_out_by_maxcpus_are_not_started).
    {"name": "maxcpus-smp4", "smp": "4", "options": "maxcpus=2 selftest=bringup"},
    # A screen: GRUB sets a linear framebuffer, the console draws on it
    # and its suite runs (without -vga, it is left out).
    {"name": "vga-bios-smp2", "smp": "2", "vga": "std"},
    {"name": "vga-uefi-smp2", "smp": "2", "firmware": "uefi", "vga": "std"},
    # Lost IPIs: only the suite that waits with the stuck-call detector.
    {"name": "ipi-drop-smp4", "smp": "4",
     "options": "ipi_drop=3 csd_timeout_ms=20 idle=hlt selftest=smp_csd_timeout"},
    # A target stuck with interrupts off in a named function for three
    # stuck-call timeouts: the waiter reports, the target answers the
    # detector's NMI with its backtrace naming that function, and the call
    # still completes. The last line is a caller's frame, found by walking
    # the frame pointers from the NMI's saved registers (the line before
    # it is only the saved RIP): the queue's flush, or whichever function
    # the compiler inlined the flush into: the vector's entry when the call
    # came by IPI, smp_idle_poll() when the polling idle loop found it.
    {"name": "csd-stuck-smp2", "smp": "2",
     "options": "csd_timeout_ms=200 selftest=smp_csd_stuck",
     "must_print": [r"^smp: csd: CPU 0 \(apic_id 0\) has waited \d+ ms for "
                    r"CPU 1 \(apic_id 1\) to run count_hit\+0x0",
                    r"^NMI backtrace for CPU 1 \(apic_id 1\):",
                    r"^RIP: 0008:[0-9a-f]{16} csd_stuck_target_spin\+0x",
                    r"^  \[<[0-9a-f]{16}>\] csd_stuck_target_spin\+0x",
                    r"^  \[<[0-9a-f]{16}>\] (__flush_smp_call_function_queue|"
                    r"generic_smp_call_function_single_interrupt|"
                    r"smp_idle_poll)\+0x"]},
    # MONITOR/MWAIT errata, with CPUID made to say the models Linux lists:
    # Goldmont (5Ch), where MWAIT is not used at all, and Nehalem-EX (2Eh),
    # where the line is flushed before MONITOR. The calls must still work.
    {"name": "mwait-bug-model", "smp": "2",
     "cpu": "qemu64,vendor=GenuineIntel,family=6,model=92,+monitor",
     "options": "idle=poll selftest=smp_call",
     "must_print": [r"^idle: MONITOR may miss stores on this CPU \(family 6 "
                    r"model 0x5c"]},
    {"name": "clflush-monitor-model", "smp": "2",
     "cpu": "qemu64,vendor=GenuineIntel,family=6,model=46,+monitor",
     "options": "idle=poll selftest=smp_call",
     "must_print": [r"^idle: the monitored line is flushed before MONITOR on "
                    r"this CPU \(family 6 model 0x2e"]},
    # The benchmarks run to the end and print lines tools/bench.py can
    # read; a tiny iteration count, since only the format is checked.
    {"name": "bench-smp2", "smp": "2",
     "options": "selftest=boot bench bench_iters=20 bench_methods=both "
                "bench_matrix_iters=10",
     "bench": True},
    # The trace scenario make trace draws, with the trace suite first: the
    # boot's own dump must give a valid Chrome trace in which every queued
    # call ran once on its target and the IPI events match the kernel's
    # count.
    {"name": "trace-smp4", "smp": "4",
     "options": "trace_scenario selftest=trace,smp_call", "trace": True},
    # The core-to-core heatmap on a screen, as a PC booted from the USB
    # stick shows it: QEMU's screendump of it against the kernel's SCREEN
    # lines (tools/bench_screen.py), cell values against its MATRIX lines.
    # The kernel holds the picture 5 s for the screendump.
    {"name": "bench-screen-smp4", "smp": "4", "vga": "std",
     "options": "selftest=boot bench bench_iters=10 bench_matrix_iters=10 "
                "bench_matrix_hold_s=5",
     "bench": True, "screen": True},
    # The Linux side of the benchmark, the same way: its lines parse,
    # whatever their values. The fewest samples it takes: under TCG the
    # boot is some 15 s, most of it Linux's own.
    {"name": "linux-bench-smp2", "kernel": "linux", "smp": "2", "machine": "pc",
     "options": "bench_iters=10 bench_methods=both", "bench": True,
     "timeout": 90},

    # Expected failures: each proves the runner sees one way a boot fails.
    {"name": "selftest-fail", "smp": "2", "options": "selftest_fail",
     "expect": "fail", "end": "failure",
     "failed_cases": ["deliberate_failure"]},
    # A case faults in the middle of its suite: the case that was running,
    # the case after it and the suite after this one are crashed.
    {"name": "selftest-crash", "smp": "2",
     "options": "selftest_crash selftest=harness_crash,llist",
     "expect": "fail", "end": "failure",
     "crashed_cases": ["harness_crash/#2", "harness_crash/#3", "#2"],
     "must_print": [r"^    # faults_mid_suite: writing through a NULL pointer",
                    r"^Kernel panic - not syncing: unhandled exception #PF"]},
    {"name": "exception", "smp": "2", "options": "selftest_exception",
     "expect": "fail", "end": "failure",
     "must_print": [r"^exception: #PF page fault \(vector 14\) error code 0x2 on CPU 0",
                    r"^exception: page fault at address 0x0000000000000000 "
                    r"\(page not present, write\)",
                    r"^RIP: 0008:[0-9a-f]{16} start_kernel\+0x",
                    r"^CR0: .* CR2: 0000000000000000",
                    r"^Call trace:", r"^  \[<[0-9a-f]{16}>\] start_kernel\+0x",
                    r"^Kernel panic - not syncing: unhandled exception #PF",
                    PANIC_STOPPED_ONE]},
    # A reset or a hang proves nothing unless it is this one: the kernel's
    # own line before it (kernel/main.c, harness_misbehave()) must be
    # there, or any early reset or stall would pass.
    {"name": "triple-fault", "smp": "1", "options": "selftest_triple_fault",
     "expect": "fail", "end": "reset",
     "must_print": [r"^xcall: selftest_triple_fault: loading an empty IDT "
                    r"and trapping$"]},
    # A machine check injected on CPU 1 through QEMU's monitor while the
    # stress suite runs: reported (CPU 1, bank 1, the status), then the
    # panic, and the boot ends as a failure, never a reset (CR4.MCE set,
    # banks enabled). 0xb2...: VAL, UC, EN and PCC.
    {"name": "mce-smp2", "smp": "2",
     "options": "selftest=smp_stress stress_calls=5000000",
     "monitor": [(r"^    # Subtest: smp_stress", "mce 1 1 0xb200000000000000 0 0 0")],
     "expect": "fail", "end": "failure",
     "must_print": [r"^exception: #MC machine check \(vector 18\) error code 0x0 "
                    r"on CPU 1",
                    r"^mce: machine check on CPU 1 \(apic_id 1\)",
                    r"^mce: CPU 1 bank 1: MCi_STATUS 0xb200000000000000 "
                    r"\(uncorrected, processor context corrupt",
                    r"^Kernel panic - not syncing: machine check on CPU 1",
                    r"^---\[ end Kernel panic - not syncing: machine check on CPU 1"]},
    # The same error broadcast, as Intel signals an uncorrected error to
    # every thread (QEMU's mce -b: CPU 1 gets the status above, every
    # other CPU VAL|UC in its own bank 1). Each CPU must report its own
    # bank, one after the other in the order they came in (either CPU may
    # be first), and the first panics once both have. QEMU broadcasts
    # only on a model that does (family 6 from model 0Eh on; qemu64's
    # numbers do not qualify): an Intel family 6 model 55h, Skylake-SP.
    {"name": "mce-bcast-smp2", "smp": "2",
     "cpu": "qemu64,vendor=GenuineIntel,family=6,model=85",
     "options": "selftest=smp_stress stress_calls=5000000",
     "monitor": [(r"^    # Subtest: smp_stress", "mce -b 1 1 0xb200000000000000 0 0 0")],
     "expect": "fail", "end": "failure",
     "must_print": [r"^mce: machine check on CPU [01] \(apic_id [01]\)",
                    MCE_BCAST_BANK,
                    r"^mce: machine check on CPU [01] \(apic_id [01]\)",
                    MCE_BCAST_BANK,
                    r"^mce: 2 CPUs reported, of 2 online; CPU [01] \(apic_id [01]\) panics",
                    r"^Kernel panic - not syncing: machine check on CPU [01]",
                    PANIC_STOPPED_ONE,
                    r"^---\[ end Kernel panic - not syncing: machine check on CPU [01]"]},
    # Panic with CPUs that bring-up left out (maxcpus=2 at -smp 4): its
    # NMIs go to the online CPUs one by one, never as a shorthand that
    # reaches the firmware's parked CPUs and resets the machine, so the
    # whole report comes out, under SeaBIOS and OVMF alike.
    # The path taken is checked too: OVMF parks the left-out CPUs where an
    # NMI does no harm, so under UEFI the shorthand would pass unseen.
    {"name": "maxcpus-panic-bios", "smp": "4",
     "options": "maxcpus=2 selftest_exception",
     "expect": "fail", "end": "failure",
     "must_print": [r"^Kernel panic - not syncing: unhandled exception #PF",
                    MAXCPUS_PANIC_NMI, PANIC_STOPPED_ONE,
                    r"^---\[ end Kernel panic - not syncing: unhandled exception #PF"]},
    {"name": "maxcpus-panic-uefi", "smp": "4", "firmware": "uefi",
     "options": "maxcpus=2 selftest_exception",
     "expect": "fail", "end": "failure",
     "must_print": [r"^Kernel panic - not syncing: unhandled exception #PF",
                    MAXCPUS_PANIC_NMI, PANIC_STOPPED_ONE,
                    r"^---\[ end Kernel panic - not syncing: unhandled exception #PF"]},
    # The panicking CPU takes an NMI in the middle of its own report (the
    # other CPU holds the console lock so the panic's first line waits,
    # and sends the NMI once the panic has begun): it must say so and
    # finish the report, not halt as if another CPU's panic stopped it.
    {"name": "panic-nmi-smp2", "smp": "2",
     "options": "selftest_panic_nmi selftest=panic_nmi",
     "expect": "fail", "end": "failure",
     "crashed_cases": ["panic_nmi/#1"],
     "must_print": [r"^traps: unexpected NMI on CPU 0",
                    r"^Kernel panic - not syncing: selftest_panic_nmi: CPU 0 takes an NMI",
                    r"^---\[ end Kernel panic - not syncing: selftest_panic_nmi"]},
    # As for triple-fault: this hang, after the kernel's own line, not any.
    {"name": "hang", "smp": "1", "options": "selftest_hang", "timeout": 20,
     "expect": "fail", "end": "timeout",
     "must_print": [r"^xcall: selftest_hang: spinning with interrupts off$"]},
]
