# SPDX-License-Identifier: MIT
"""
The Linux side of the benchmark, as the runner boots it: Debian's kernel
with the initramfs bench/linux/build.sh makes (busybox, /init and
xcall_bench.ko), which prints kernel/bench.c's BENCH lines measured on
Linux and leaves QEMU through isa-debug-exit as xcall does.

This module owns:

  files(), missing()    where the kernel and the initramfs of a build are
                        (<build>/linux/, beside the ISO), and why a boot
                        cannot run without them
  command_line()        Linux's command line for a boot's options
  idle_option()         the idle= each kernel is given for one idle mode
                        of the comparison (IDLE_MAP)
  judge()               a Linux bench boot's verdict: how it ended, the
                        kernel's own complaints, and its BENCH lines

QEMU's command line is tools/xcall_qemu.py's (it asks files() and
command_line() for a boot whose kernel is "linux"); the line format is
tools/benchfmt.py's. Nothing here judges a timing.
"""

import os
import re

import ktap

LINUX = "linux"
KERNEL = "vmlinuz"                  # a link to /boot/vmlinuz-REL
INITRD = "initramfs.cpio"
VERSION = "version"
# The serial console, no boot chatter on it (/init turns the console up
# for the module's lines), and a panic ends the boot at once (-no-reboot).
BASE_CMDLINE = ("console=ttyS0", "quiet", "panic=-1")
INSTALL = ("scripts/install-deps.sh linux, then make linux-bench "
           "(make bench and make test do both)")

# One idle mode of the comparison -> the option each kernel gets.
#   hlt       halt when idle: xcall's idle=hlt, Linux's idle=halt
#   poll      spin when idle: idle=poll on both
#   default   each kernel's own choice, no idle= at all: xcall's auto
#             (haltpoll in a VM), Linux's cpuidle driver and governor,
#             or plain hlt when no driver loads (as under TCG)
IDLE_MAP = {"hlt": {"xcall": "idle=hlt", LINUX: "idle=halt"},
            "poll": {"xcall": "idle=poll", LINUX: "idle=poll"},
            "default": {"xcall": "", LINUX: ""},
            "haltpoll": {"xcall": "idle=haltpoll", LINUX: None}}

# Lines of Linux's own that mean the run is not to be trusted.
TROUBLE = re.compile(r"^(\[ *[0-9.]+\] )?(Kernel panic - not syncing|BUG: |"
                     r"WARNING: |Oops: |general protection fault|"
                     r"watchdog: BUG: soft lockup|INFO: task .* blocked|"
                     r"rcu: INFO: rcu_.* self-detected stall)")


def idle_option(idle, kernel):
    """The idle= word for @kernel ("xcall" or "linux") in comparison idle
    mode @idle, "" for none; None when that kernel has no such mode."""
    return IDLE_MAP.get(idle, {}).get(kernel)


def linux_dir(iso):
    """The Linux side's build directory: <build>/linux beside @iso, so that
    BUILD=dir boots what was built there."""
    return os.path.join(os.path.dirname(os.path.abspath(iso)), LINUX)


def files(iso):
    """(kernel, initramfs) of the build @iso belongs to."""
    d = linux_dir(iso)
    return os.path.join(d, KERNEL), os.path.join(d, INITRD)


def version(iso):
    """The release the build was made for, or None."""
    try:
        with open(os.path.join(linux_dir(iso), VERSION)) as f:
            return f.read().strip() or None
    except OSError:
        return None


def missing(iso):
    """Why a Linux boot of this build cannot run, or ''."""
    kernel, initrd = files(iso)
    if not os.path.isfile(initrd):
        return (f"the Linux side is not built (no {os.path.relpath(initrd)}): "
                f"{INSTALL}")
    if not os.path.isfile(kernel):          # a dangling link: removed kernel
        return (f"{os.path.relpath(kernel)} points to no kernel "
                f"({os.path.realpath(kernel)}): {INSTALL}")
    return ""


def command_line(options):
    """Linux's command line: the fixed part, then the boot's options (its
    idle= and the bench_* words /init reads)."""
    return " ".join(list(BASE_CMDLINE) + options.split())


def trouble(text):
    """Linux's own complaints in a log: panics, BUGs, WARNINGs, stalls."""
    out = []
    for raw in text.split("\n"):
        line = ktap.clean_line(raw)
        if TROUBLE.search(line):
            out.append(line.strip())
    return out


def judge(name, text, ending, cpus=None, log_name=""):
    """A Linux bench boot's verdict: unit @name for the boot (it must end
    through isa-debug-exit with success and say nothing alarming) and
    @name/bench_lines for its BENCH lines (ktap.judge_bench()). There is
    no KTAP report: the module is the whole run.
    """
    units, lines = [], []
    problems = []
    if ending.kind != "success":
        problems.append(ktap.describe(ending))
    bad = trouble(text)
    if bad:
        problems.append(f"Linux said: {bad[0]}" +
                        (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
    if problems:
        tail = ktap.tail(text, 15)
        details = problems[1:] + ([f"last {len(tail)} lines of {log_name}:"] +
                                  ["  " + l for l in tail] if tail else [])
        units.append(ktap.Unit(name, ktap.FAIL, "", details))
        lines.append(f"  {ktap.TAG[ktap.FAIL]:<6}{name}: {problems[0]}")
        lines += ktap._detail(details)
    else:
        note = f"Linux: {ktap.describe(ending)}"
        units.append(ktap.Unit(name, ktap.PASS, note))
        lines.append(ktap.status_line(ktap.PASS, name, note))
    unit, more = ktap.judge_bench(name, text, cpus)
    units.append(unit)
    lines += more
    return ktap.Verdict(name, units, lines)
