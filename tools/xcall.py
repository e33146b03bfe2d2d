#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
xcall's test runner, the command line (the model is KUnit's kunit.py):
boots build/xcall.iso in QEMU, reads the kernel's KTAP report and judges.

  xcall.py run   --smp N --accel tcg|kvm --firmware bios|uefi --opts "..."
                 [--cpu MODEL] [--machine q35|pc] [--timeout S] [--iso PATH]
                 [--logs DIR] [--strict 0|1] [--max-cpus N] [--make]
      One boot; the serial line streams to stdout (without its terminal
      escapes) and to its own log, build/logs/run-<date>-<time>.log;
      build/logs/run.log links to the latest.
  xcall.py test  --accel tcg|kvm --host [PROGRAM ...] [--jobs J]
                 [--only REGEX] [--list] [--iso PATH] [--logs DIR]
                 [--strict 0|1] [--make]
      The host test programs, then the boot matrix of tools/matrix.py.
  xcall.py debug (run's settings)
      QEMU stopped at the first instruction with its gdb stub on :1234;
      gdb started here when there is a terminal, else awaited (--timeout).

Every setting is checked before QEMU starts (check_settings()); --make,
which the Makefile passes, names them by make's variables in messages.
--strict 1 fails a boot whose options the kernel refused.

test ends with one line per test case and suite, run with those that did
not pass (it streamed the report), and both with the line
"N passed, M failed[, C crashed][, K skipped]"; the exit status is 0 iff
nothing failed or crashed. When stdout's reader goes away, test --list
ends with 0; anything else with 141 (128 + SIGPIPE), as its verdict went
unsaid.

This file owns the subcommands, running jobs side by side and what they
print. Booting QEMU, the host test programs and every process, timeout and
log file are tools/xcall_qemu.py's; parsing and the verdict are
tools/ktap.py's (BENCH lines: tools/benchfmt.py; a trace dump:
tools/xcall_trace.py); the matrix is tools/matrix.py. Its lines start "xcall-test:", which tells them apart
from the kernel's own "xcall:" lines in the same stream.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True          # keep tools/ free of __pycache__
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import bench_screen                     # noqa: E402
import ktap                             # noqa: E402
import linux_bench                      # noqa: E402
import matrix                           # noqa: E402
import xcall_qemu                       # noqa: E402
import xcall_trace                      # noqa: E402
from xcall_qemu import GDB_PORT, rel  # noqa: E402

UEFI_SLOW = 10                          # seconds OVMF adds to a boot
# make debug with no terminal to start gdb in: how long QEMU waits for a
# debugger started elsewhere before the runner gives up (TIMEOUT= sets it).
GDB_WAIT = 300
DEFAULT_JOBS = 2                        # the machine has two cores
# The exit status when stdout's reader went away: 128 + SIGPIPE, the
# shell's status for a process that signal ended.
SIGPIPE_STATUS = 128 + signal.SIGPIPE
# The kernel's NR_CPUS when make does not say (the Makefile's default).
DEFAULT_MAX_CPUS = 512
# An xAPIC ID is 8 bits and 0xff is its broadcast ID, so xAPIC addresses
# at most 255 CPUs; beyond that the CPUs need x2APIC's 32-bit IDs (Intel
# SDM Vol. 3A, "Extended XAPIC (x2APIC)"). QEMU refuses to start an xAPIC
# CPU with APIC ID 255 or more.
XAPIC_MAX_CPUS = 255
# The pc machine (i440fx) takes at most this many CPUs in QEMU.
PC_MAX_CPUS = 255
# Under KVM, more than 255 CPUs also need interrupt remapping with
# extended IDs, which QEMU's intel-iommu gives on q35, and the split
# irqchip it requires; TCG needs neither.
KVM_X2APIC_EXTRA = ["-machine", "kernel-irqchip=split",
                    "-device", "intel-iommu,intremap=on,eim=on"]

# make's variable for each setting, for messages when make passed them.
MAKE_NAMES = {"smp": "SMP", "accel": "ACCEL", "firmware": "FIRMWARE",
              "machine": "MACHINE", "cpu": "CPU", "timeout": "TIMEOUT",
              "opts": "OPTS", "strict": "STRICT", "tcg_thread": "TCG_THREAD"}


class UsageError(Exception):
    """A setting the user gave that cannot be run; the message says which,
    in one line."""


def say(*lines):
    """Print @lines at once, whatever else buffers stdout."""
    for line in lines:
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def rerun_hint(boot, accel, strict=False):
    """The command that runs one matrix boot again on its own, judged as
    the matrix judged it (@strict: the matrix run was; run is not, by
    default, and would pass a boot that failed for a refused option)."""
    if boot.kernel == "linux":
        return shlex.join(["tools/xcall.py", "test", "--only",
                           f"^{re.escape(boot.name)}$", "--jobs", "1"])
    cmd = ["tools/xcall.py", "run", "--smp", boot.smp, "--accel", accel,
           "--firmware", boot.firmware, "--machine", boot.machine,
           "--opts", boot.options]
    if boot.cpu:
        cmd += ["--cpu", boot.cpu]
    if boot.timeout != xcall_qemu.DEFAULT_TIMEOUT:
        cmd += ["--timeout", f"{boot.timeout:g}"]
    if strict:
        cmd += ["--strict", "1"]
    return shlex.join(cmd)


def host_name(path):
    """host/<program>: a host test program's name in the report."""
    base = os.path.basename(path)
    return "host/" + (base[:-3] if base.endswith(".py") else base)


# ---------------------------------------------------------------------------
# Subcommands.

def common_args(p, matrix_run=False):
    # The values are checked by check_settings(), not argparse, so that
    # a bad one gets one line naming it as the user gave it.
    p.add_argument("--accel", default="tcg", help="tcg or kvm")
    p.add_argument("--make", action="store_true",
                   help="name the settings by make's variables (SMP=) in "
                   "messages: the Makefile passes this")
    p.add_argument("--iso", default=xcall_qemu.ISO,
                   help="default: build/xcall.iso")
    p.add_argument("--logs", default=xcall_qemu.LOGS, metavar="DIR",
                   help="where the serial logs go (default: build/logs)")
    p.add_argument("--strict", default="1" if matrix_run else "0",
                   help="1: a boot fails when the kernel refuses one of its "
                   "options; 0: it only says so (default: 1 for test, 0 "
                   "for run)")
    if matrix_run:
        return
    p.add_argument("--smp", default="4", help="a count or a topology")
    p.add_argument("--firmware", default="bios", help="bios or uefi")
    p.add_argument("--opts", default="", help="kernel options")
    p.add_argument("--cpu", default="", help="QEMU -cpu model")
    p.add_argument("--machine", default="q35", help="q35 or pc")
    p.add_argument("--timeout", default="",
                   help=f"seconds (default {xcall_qemu.DEFAULT_TIMEOUT}, "
                   f"uefi {xcall_qemu.UEFI_TIMEOUT})")
    p.add_argument("--tcg-thread", default="",
                   help="TCG only: multi (one host thread per vCPU, QEMU's "
                   "default) or single (one host thread runs the vCPUs in "
                   "turn)")
    p.add_argument("--max-cpus", type=int, default=DEFAULT_MAX_CPUS,
                   help="the kernel's NR_CPUS: the most CPUs it supports")


def named(a, key):
    """A setting as the user gave it: SMP=0 from make, else --smp 0."""
    value = getattr(a, key)
    if getattr(a, "make", False):
        return f"{MAKE_NAMES[key]}={value}"
    return f"--{key.replace('_', '-')} {shlex.quote(str(value))}"


def check_strict(a):
    if a.strict not in ("0", "1"):
        raise UsageError(f"{named(a, 'strict')}: 1 (fail a boot whose options "
                         f"the kernel refused) or 0")
    return a.strict == "1"


def check_accel(a):
    if a.accel not in ("tcg", "kvm"):
        raise UsageError(f"{named(a, 'accel')}: no such accelerator: tcg "
                         f"(QEMU's emulator) or kvm")
    try:
        xcall_qemu.check_accel(a.accel, named(a, "accel"))
    except xcall_qemu.SetupError as e:
        raise UsageError(str(e))


# QEMU's -smp keys (its SMPConfiguration); each count is at least 1 (QEMU
# refuses 0: "CPU topology parameters must be greater than zero").
SMP_LEVELS = ("drawers", "books", "sockets", "dies", "clusters", "modules",
              "cores", "threads")
SMP_KEYS = ("cpus", "maxcpus") + SMP_LEVELS


def smp_counts(smp):
    """The (present, possible) CPU counts of a -smp value of the form "N"
    or "[N,]key=N,...", as QEMU reckons them: with neither a count (or
    cpus=) nor maxcpus=, both are the topology's product; else the one
    given stands for the other (QEMU fills the missing levels in). Raise
    ValueError, saying why in words, for an unknown key, a key=0, or more
    present CPUs than possible. A bare count of 0 is the caller's to
    refuse, with the CPU count's range."""
    parts = smp.split(",")
    count = int(parts.pop(0)) if parts[0].isdigit() else None
    kv = {}
    for part in parts:
        key, value = part.split("=", 1)
        if key not in SMP_KEYS:
            raise ValueError(f"QEMU's -smp has no '{key}=': a count, then any "
                             f"of {', '.join(k + '=' for k in SMP_KEYS)}")
        if int(value) < 1:
            raise ValueError(f"{key}={value}: each count and topology level "
                             f"must be at least 1")
        kv[key] = int(value)
    cpus = kv.get("cpus", count)
    possible = kv.get("maxcpus")
    if cpus is None and possible is None:
        possible = 1
        for level in SMP_LEVELS:
            possible *= kv.get(level, 1)
    cpus = possible if cpus is None else cpus
    possible = cpus if possible is None else possible
    if cpus > possible:
        raise ValueError(f"{cpus} CPUs but maxcpus={possible}: maxcpus counts "
                         f"the present CPUs too")
    return cpus, possible


def check_settings(a, cpu_models=None):
    """Check a run's settings before QEMU starts; return the notes to
    print (what was set up on the user's behalf). Raise UsageError.

    @cpu_models: the CPU models QEMU knows (tests); None asks QEMU.
    """
    notes = []
    check_strict(a)
    check_accel(a)
    if a.firmware not in ("bios", "uefi"):
        raise UsageError(f"{named(a, 'firmware')}: no such firmware: bios "
                         f"(SeaBIOS) or uefi (OVMF)")
    if a.machine not in ("q35", "pc"):
        raise UsageError(f"{named(a, 'machine')}: no such machine: q35 or pc")
    if a.tcg_thread not in ("", *xcall_qemu.TCG_THREADS):
        raise UsageError(f"{named(a, 'tcg_thread')}: multi (a host thread "
                         f"per vCPU) or single (one for them all)")
    if a.timeout != "":
        try:
            seconds = float(a.timeout)
        except ValueError:
            seconds = 0
        if not 0 < seconds < float("inf"):
            raise UsageError(f"{named(a, 'timeout')}: not a number of seconds "
                             f"above 0")
    if not re.fullmatch(r"(\d+|[a-z-]+=\d+)(,[a-z-]+=\d+)*", a.smp):
        raise UsageError(f"{named(a, 'smp')}: not a CPU count, nor a QEMU "
                         f"topology such as 6,sockets=2,cores=3")
    try:
        cpus, max_cpus = smp_counts(a.smp)
    except ValueError as e:
        raise UsageError(f"{named(a, 'smp')}: {e}")
    if not 1 <= cpus <= a.max_cpus:
        raise UsageError(f"{named(a, 'smp')}: the CPU count must be 1 to "
                         f"{a.max_cpus}, the most this kernel is built for "
                         f"(NR_CPUS)")
    if max_cpus > a.max_cpus:
        # QEMU's ACPI tables list every possible CPU, hot-pluggable ones
        # too: the kernel must be built for all of them.
        raise UsageError(f"{named(a, 'smp')}: maxcpus={max_cpus} is more than "
                         f"{a.max_cpus}, the most this kernel is built for "
                         f"(NR_CPUS)")
    if a.cpu:
        if cpu_models is None:
            cpu_models = xcall_qemu.cpu_models()
        model = a.cpu.split(",")[0]
        if cpu_models and model not in cpu_models:
            raise UsageError(f"{named(a, 'cpu')}: QEMU has no CPU model "
                             f"'{model}' ({xcall_qemu.QEMU} -cpu help lists "
                             f"them)")
    # The APIC IDs go up to the possible CPUs', not only the present ones.
    if max_cpus > XAPIC_MAX_CPUS:
        if a.machine == "pc":
            raise UsageError(f"{named(a, 'smp')}: the pc machine takes at most "
                             f"{PC_MAX_CPUS} CPUs; q35 takes more")
        base = a.cpu or ("host" if a.accel == "kvm" else "qemu64")
        if "x2apic" not in base.split(",")[1:] and \
                "+x2apic" not in base.split(",")[1:]:
            a.cpu = base + ",+x2apic"
            notes.append(f"{named(a, 'smp')}: more than {XAPIC_MAX_CPUS} CPUs "
                         f"need x2APIC (xAPIC IDs stop at 254): CPU model "
                         f"{a.cpu}" + (" with intel-iommu interrupt remapping"
                                       if a.accel == "kvm" else ""))
    return notes


def boot_from_args(a):
    name = re.sub(r"[^A-Za-z0-9_.+-]", "_", f"{a.firmware}-smp{a.smp}")
    entry = {"name": name, "smp": a.smp,
             "firmware": a.firmware, "machine": a.machine,
             "cpu": a.cpu or None, "options": a.opts}
    if a.timeout != "":
        entry["timeout"] = float(a.timeout)
    if a.tcg_thread:
        entry["tcg_thread"] = a.tcg_thread
    if a.accel == "kvm" and smp_counts(a.smp)[1] > XAPIC_MAX_CPUS:
        entry["extra"] = list(KVM_X2APIC_EXTRA)
    return xcall_qemu.Boot(entry, matrix.DEFAULTS)


def new_run_log(logs, now=None):
    """A log of its own for this run, logs/run-YYYYmmdd-HHMMSS.log (a
    suffix when that is taken), with logs/run.log made a symbolic link to
    it: each run is kept, and run.log is always the latest."""
    os.makedirs(logs, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    name, n = f"run-{stamp}.log", 1
    while os.path.lexists(os.path.join(logs, name)):
        n += 1
        name = f"run-{stamp}-{n}.log"
    path = os.path.join(logs, name)
    open(path, "wb").close()
    latest = os.path.join(logs, "run.log")
    tmp = latest + ".new"
    try:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(name, tmp)
        os.replace(tmp, latest)         # atomic: never a moment without one
    except OSError as e:
        say(f"xcall-test: cannot point {rel(latest)} at {name}: {e}")
    return path


def cmd_run(a):
    try:
        notes = check_settings(a)
        boot = boot_from_args(a)
    except (UsageError, ValueError) as e:
        say(f"xcall-test: {e}")
        return 2
    for note in notes:
        say(f"xcall-test: {note}")
    log = new_run_log(a.logs)
    say(f"xcall-test: booting {rel(a.iso)}: {boot.describe(a.accel)}; "
        f"kernel options \"{xcall_qemu.kernel_options(boot.options)}\"; "
        f"serial log {rel(log)}")
    start = time.monotonic()
    # A strict run ends as soon as the kernel has refused an option: the
    # tests that would follow ran under options other than asked.
    stop = ktap.RefusedOptions() if a.strict == "1" else None
    ending, text = xcall_qemu.boot_qemu(boot, a.accel, a.iso, log, stream=True,
                                        stop=stop)
    verdict = ktap.judge(boot.name, text, ending, log_name=rel(log),
                         strict=a.strict == "1")
    say("", f"xcall-test: {boot.name} ended after "
        f"{time.monotonic() - start:.1f} s: {ktap.describe(ending)}")
    # Every result went by in the report above: repeat only what did not
    # pass, then where the log is, then the count.
    say(*ktap.without_passes(verdict.lines))
    say(*("xcall-test: " + n for n in verdict.notes))
    say(f"xcall-test: serial log {rel(log)}")
    say(ktap.closing_line([verdict]))
    return 0 if verdict.passed else 1


class Job:
    def __init__(self, name, run, weight=0):
        self.name = name
        self.run = run                  # () -> Verdict
        self.weight = weight            # heavier ones start first
        self.verdict = None


def run_jobs(jobs, nparallel, first_index, total):
    """Run jobs nparallel at a time, saying as each starts and ends.

    The long ones start first so that they overlap the short ones instead
    of running alone at the end; the results keep the matrix order.
    """
    order = sorted(jobs, key=lambda j: -j.weight)
    pending = list(enumerate(order, first_index))
    lock = threading.Lock()
    width = len(str(total))
    # What ended a worker other than running out of jobs: its say() found
    # stdout gone (BrokenPipeError), say. A thread cannot end the run
    # itself, and an exception left to the thread would only print a
    # traceback and vanish: it is raised again here, in the main thread,
    # where main() decides the exit status.
    raised = []

    def run_one(i, job):
        t0 = time.monotonic()
        try:
            job.verdict = job.run()
        except Exception as e:          # a runner bug must not hang the rest
            job.verdict = ktap.Verdict(job.name, [ktap.Unit(
                job.name, ktap.FAIL)], [ktap.status_line(
                    ktap.FAIL, job.name, f"runner error: {e!r}")])
        v = job.verdict
        c = v.counts()
        if v.passed:
            what = "skipped" if c[ktap.SKIP] and not c[ktap.PASS] else "ok"
        else:
            what = f"FAILED ({c[ktap.FAIL]} failed" + (
                f", {c[ktap.CRASH]} crashed)" if c[ktap.CRASH] else ")")
        with lock:
            say(f"[{i:>{width}}/{total}] done  {job.name}: {what} "
                f"in {time.monotonic() - t0:.1f} s")

    def worker():
        try:
            while True:
                with lock:
                    if not pending or raised:
                        return
                    i, job = pending.pop(0)
                    say(f"[{i:>{width}}/{total}] start {job.name}")
                run_one(i, job)
        except BaseException as e:      # handed to the main thread
            with lock:
                raised.append(e)

    threads = [threading.Thread(target=worker, daemon=True)
               for _ in range(max(1, min(nparallel, len(jobs))))]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)
            if raised:
                # main() ends the boots still running (kill_all()).
                raise raised[0]
    if raised:
        raise raised[0]


def boot_job(boot, accel, iso, logs, version, strict):
    reason = xcall_qemu.skip_reason(boot, version)
    if not reason and boot.kernel == "linux":
        reason = linux_bench.missing(iso)
    if reason:
        return Job(boot.name, lambda: ktap.skipped(boot.name, reason))

    def run():
        log = os.path.join(logs, boot.name + ".log")
        ending, text = xcall_qemu.boot_qemu(boot, accel, iso, log)
        if boot.kernel == "linux":
            v = linux_bench.judge(boot.name, text, ending, boot.cpus,
                                  log_name=rel(log))
        else:
            v = ktap.judge(boot.name, text, ending, expect=boot.expectation,
                           log_name=rel(log), strict=strict,
                           bench=(boot.cpus or True) if boot.bench else None)
            if boot.trace:
                unit, more = xcall_trace.judge(boot.name, text, boot.cpus or 1)
                v.units.append(unit)
                v.lines += more
        if boot.screen:
            unit, more = bench_screen.judge(boot.name, text,
                                            xcall_qemu.screen_path(log),
                                            xcall_qemu.font_path(iso))
            v.units.append(unit)
            v.lines += more
        if not v.passed:
            v.lines.append(ktap.DETAIL + "rerun: " +
                           rerun_hint(boot, accel, strict))
        return v
    # A boot that must time out takes its whole timeout; OVMF is slow.
    weight = (boot.timeout if boot.end == "timeout" else 0) + \
        (UEFI_SLOW if boot.firmware == "uefi" else 0)
    return Job(boot.name, run, weight)


def host_job(path, logs):
    name = host_name(path)

    def run():
        log = os.path.join(logs, "host", os.path.basename(name) + ".log")
        ending, text = xcall_qemu.run_host(path, log)
        return ktap.judge(name, text, ending, host=True, log_name=rel(log))
    return Job(name, run)


def cmd_test(a):
    try:
        boots = xcall_qemu.load_matrix()
    except ValueError as e:
        say(f"xcall-test: {e}")
        return 2
    try:
        only = re.compile(a.only) if a.only else None
    except re.error as e:
        say(f"xcall-test: --only {shlex.quote(a.only)}: not a regular "
            f"expression: {e}")
        return 2
    hosts = [p for p in (a.host or [])]
    if only:
        boots = [b for b in boots if only.search(b.name)]
        hosts = [p for p in hosts if only.search(host_name(p))]
    if not boots and not hosts:
        # A listing of nothing is as much a mistake as a run of nothing:
        # a regex that matches no boot says so, whatever was asked.
        say("xcall-test: nothing to run" + (f" matches --only "
                                            f"{shlex.quote(a.only)}"
                                            if a.only else ""))
        return 2
    version = xcall_qemu.qemu_version() if boots else None

    if a.list:
        for p in hosts:
            say(f"{host_name(p):<16} {p}")
        for b in boots:
            reason = xcall_qemu.skip_reason(b, version)
            if not reason and b.kernel == "linux":
                reason = linux_bench.missing(a.iso)
            say(f"{b.name:<16} {b.describe(a.accel)}" +
                (f"  [skipped: {reason}]" if reason else ""))
        return 0
    if boots:
        try:
            strict = check_strict(a)
            check_accel(a)
        except UsageError as e:
            say(f"xcall-test: {e}")
            return 2
    if boots and version is None:
        say(f"xcall-test: cannot run {xcall_qemu.QEMU} --version: is QEMU "
            f"installed? (scripts/install-deps.sh run)")
    elif boots:
        say(f"xcall-test: QEMU {xcall_qemu.version_str(version)}, {a.accel}, "
            f"{len(boots)} boots, {a.jobs} at a time; logs in {rel(a.logs)}/")

    os.makedirs(a.logs, exist_ok=True)
    host_jobs = [host_job(p, a.logs) for p in hosts]
    boot_jobs = [boot_job(b, a.accel, a.iso, a.logs, version, strict)
                 for b in boots]
    total = len(host_jobs) + len(boot_jobs)
    t0 = time.monotonic()
    run_jobs(host_jobs, a.jobs, 1, total)
    run_jobs(boot_jobs, a.jobs, len(host_jobs) + 1, total)

    verdicts = [j.verdict for j in host_jobs + boot_jobs]
    say("")
    for v in verdicts:
        say(*v.lines)
    failed = [u.name for v in verdicts for u in v.units
              if u.status in (ktap.FAIL, ktap.CRASH)]
    say(*("xcall-test: " + n for v in verdicts for n in v.notes))
    say("", f"xcall-test: {len(verdicts)} runs in {time.monotonic() - t0:.0f} s")
    if failed:
        say(ktap.printable("failed: " + ", ".join(failed)))
    # Every run skipped (an old QEMU and --only x2apic, say) tested
    # nothing: no failure, but no success either.
    nothing = not failed and all(u.status == ktap.SKIP for v in verdicts
                                 for u in v.units)
    if nothing:
        say("xcall-test: every run was skipped: nothing was tested")
    say(ktap.closing_line(verdicts))
    return 1 if failed or nothing else 0


def gdb_command(elf):
    """gdb for make debug: the ELF first (the one built with the ISO that
    boots, BUILD= or not), then tools/gdbinit, which connects and sets
    the first breakpoint; gdb runs them in this order."""
    return ["gdb", "-q", "-ex", f"file {rel(elf)}", "-x",
            os.path.join(rel(TOOLS), "gdbinit")]


def cmd_debug(a):
    try:
        for note in check_settings(a):
            say(f"xcall-test: {note}")
        boot = boot_from_args(a)
        if not os.path.isfile(a.iso):
            raise xcall_qemu.SetupError(f"{rel(a.iso)} not found: build it "
                                        f"with 'make iso'")
        # The kernel in the ISO: make builds both in the same directory.
        elf = os.path.join(os.path.dirname(os.path.abspath(a.iso)), "xcall.elf")
        if not os.path.isfile(elf):
            raise xcall_qemu.SetupError(f"{rel(elf)} not found next to "
                                        f"{rel(a.iso)}: gdb needs its symbols")
        os.makedirs(a.logs, exist_ok=True)
        cmd, vars_copy = xcall_qemu.qemu_command(boot, a.accel, a.iso, None,
                                                 stdio=True, gdb=True,
                                                 logdir=a.logs)
        if vars_copy:
            shutil.copyfile(*vars_copy)
    except (UsageError, ValueError, xcall_qemu.SetupError, OSError) as e:
        say(f"xcall-test: {e}")
        return 2
    gdb_cmd = gdb_command(elf)
    log = os.path.join(a.logs, "debug.log")
    say(f"xcall-test: {shlex.join(cmd)}", f"xcall-test: serial log {rel(log)}")
    try:
        # The serial line comes through us, as for run: without the
        # firmware's screen clearing, cursor moves and colours, which
        # would wipe what is said here and leave the terminal coloured.
        qemu = xcall_qemu.start(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE)
    except OSError as e:
        say(f"xcall-test: cannot run {xcall_qemu.QEMU}: {e}")
        return 2
    serial = xcall_qemu.echo_serial(qemu, log)
    try:
        deadline = time.monotonic() + 10
        while not xcall_qemu.gdb_listening(GDB_PORT) and \
                qemu.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if qemu.poll() is not None:
            say(f"xcall-test: QEMU exited with status {qemu.returncode} "
                f"(is port {GDB_PORT} taken?)")
            return 1
        if sys.stdin.isatty() and shutil.which("gdb"):
            say(f"xcall-test: QEMU waits on :{GDB_PORT}; starting "
                f"{shlex.join(gdb_cmd)} (quit gdb to end QEMU)")
            # gdb takes Ctrl-C to stop the guest; it must not end us.
            old = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                subprocess.run(gdb_cmd, cwd=xcall_qemu.ROOT, preexec_fn=lambda:
                               signal.signal(signal.SIGINT, signal.SIG_DFL))
            finally:
                signal.signal(signal.SIGINT, old)
        else:
            # No terminal for gdb here (CI, a pipe, an editor's task), or
            # no gdb: the debugger must come from elsewhere, and may never
            # come, so the wait for it is bounded.
            wait = float(a.timeout) if a.timeout != "" else GDB_WAIT
            why = "no terminal here" if not sys.stdin.isatty() else "no gdb here"
            say(f"xcall-test: {why} to start gdb in; QEMU waits on "
                f":{GDB_PORT} for {wait:g} s. In another terminal, in "
                f"{xcall_qemu.ROOT}, run:", "",
                "    " + shlex.join(gdb_cmd), "",
                "xcall-test: Ctrl-C here ends QEMU")
            got = xcall_qemu.await_debugger(qemu, GDB_PORT, wait)
            if got == "timeout":
                say(f"xcall-test: no debugger connected within {wait:g} s; "
                    f"QEMU ended")
                return 1
            if got == "exited":
                # Nobody debugged anything: that is no success.
                say(f"xcall-test: QEMU exited with status {qemu.returncode} "
                    f"before a debugger connected")
                return 1
            if got == "connected":
                say("xcall-test: a debugger connected; QEMU ends when it "
                    "does")
                qemu.wait()
    except KeyboardInterrupt:
        pass
    finally:
        xcall_qemu.kill(qemu)
        xcall_qemu.forget(qemu)
        serial.join()
        qemu.stdout.close()
        xcall_qemu.reset_terminal()
    return 0


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="xcall.py", description=
                                 "Boot xcall in QEMU and judge its KTAP report.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run", help="one boot, serial on stdout")
    common_args(p)
    p = sub.add_parser("test", help="host tests, then the boot matrix")
    common_args(p, matrix_run=True)
    p.add_argument("--host", nargs="*", default=[], metavar="PROGRAM",
                   help="host test programs (KTAP on stdout): binaries, and "
                   "Python unittest modules (.py, run with --ktap)")
    p.add_argument("--jobs", "-j", type=int, default=DEFAULT_JOBS)
    p.add_argument("--only", default=None, metavar="REGEX",
                   help="only the boots (and host/<program>) whose name "
                   "matches")
    p.add_argument("--list", action="store_true", help="print the matrix")
    p = sub.add_parser("debug", help="QEMU stopped for gdb on :1234")
    common_args(p)
    return ap.parse_args(argv)


def main(argv=None):
    a = parse_args(argv)

    # SIGTERM (make killed, CI's timeout) ends the QEMUs like Ctrl-C does.
    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        return {"run": cmd_run, "test": cmd_test, "debug": cmd_debug}[a.cmd](a)
    except BrokenPipeError:
        # Whoever read stdout stopped. Python must not complain again at
        # exit, when it flushes stdout: stdout becomes /dev/null.
        xcall_qemu.kill_all()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        # A listing cut short (tools/xcall.py test --list | head) got
        # what it wanted. Anything else did not say its verdict, and may
        # not have run at all: that is no success, whatever the tests
        # did. The status is the shell's for a process that SIGPIPE
        # ended, which is what the reader's leaving means.
        if a.cmd == "test" and a.list:
            return 0
        return SIGPIPE_STATUS
    except KeyboardInterrupt:
        xcall_qemu.kill_all()
        say("", "xcall-test: interrupted")
        return 130
    finally:
        xcall_qemu.kill_all()


if __name__ == "__main__":
    sys.exit(main())
