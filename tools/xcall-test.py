#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
xcall's host test runner: boots build/xcall.iso in QEMU, keeps the serial
log, enforces a timeout, reads the kernel's KTAP report and judges.

  xcall-test.py run   --smp N --accel tcg|kvm --firmware bios|uefi --opts "..."
                      [--cpu MODEL] [--machine q35|pc] [--timeout S] [--iso PATH]
      One boot; the serial line streams to stdout and to build/logs/run.log.
  xcall-test.py test  --accel tcg|kvm --host [BIN ...] [--jobs J]
                      [--only REGEX] [--list] [--iso PATH]
      The host test binaries, then the boot matrix of tools/matrix.py.
  xcall-test.py debug --smp N --accel ... --firmware ... --opts "..."
      QEMU stopped at the first instruction with its gdb stub on :1234.

Both run and test end with one line per test case and suite and the line
"N passed, M failed[, K skipped]"; the exit status is 0 iff nothing failed.

This file owns processes, files, timeouts and the command line; parsing
and the verdict are in tools/ktap.py (BENCH lines: tools/benchfmt.py),
the matrix in tools/matrix.py. tools/bench.py boots through this file's
Boot and boot_qemu() too.
The kernel leaves QEMU through isa-debug-exit at port 0xf4: it writes 0
for success and 1 for failure, and QEMU exits with (value << 1) | 1.
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
import ktap                             # noqa: E402

ROOT = os.path.dirname(TOOLS)
BUILD = os.path.join(ROOT, "build")
LOGS = os.path.join(BUILD, "logs")
ISO = os.path.join(BUILD, "xcall.iso")
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")

MEMORY = "256M"
DEFAULT_TIMEOUT = 120
UEFI_TIMEOUT = 180                      # OVMF alone takes ~7 s under TCG
UEFI_SLOW = 10                          # seconds OVMF adds to a boot
HOST_TIMEOUT = 600
DEFAULT_JOBS = 2                        # the machine has two cores
GDB_PORT = 1234
# isa-debug-exit: the kernel writes its status to this port.
DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"
# QEMU's exit status is (value << 1) | 1 for the value the kernel wrote.
EXIT_SUCCESS, EXIT_FAILURE, EXIT_RESET = 1, 3, 0

# OVMF: a code + variables pair for two pflash drives, else one image for
# -bios. Debian's ovmf package ships all of them.
OVMF_PAIRS = [
    ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
    ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"),
]
OVMF_SINGLE = ["/usr/share/ovmf/OVMF.fd", "/usr/share/qemu/OVMF.fd"]

FIELDS = {"name", "smp", "firmware", "machine", "cpu", "options", "timeout",
          "min_qemu", "min_qemu_why", "vga", "extra", "expect", "end",
          "failed_cases", "must_print", "bench", "media"}


def rel(path):
    """A path as short as it can be said from the current directory."""
    r = os.path.relpath(path)
    return r if not r.startswith("../..") else path


def say(*lines):
    for line in lines:
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# What to boot.

class Boot:
    """One boot: a matrix entry with its defaults filled in."""

    def __init__(self, entry, defaults):
        unknown = set(entry) - FIELDS
        if unknown:
            raise ValueError(f"{entry.get('name', '?')}: unknown field(s) "
                             f"{', '.join(sorted(unknown))}")
        e = dict(defaults)
        e.update(entry)
        for k in FIELDS:
            setattr(self, k, e.get(k))
        for k in ("extra", "failed_cases", "must_print"):
            v = getattr(self, k) or []
            if not (isinstance(v, (list, tuple)) and
                    all(isinstance(x, str) for x in v)):
                raise ValueError(f"matrix entry {self.name}: {k} must be a "
                                 f"list of strings")
            setattr(self, k, list(v))
        for k in ("cpu", "vga"):
            if getattr(self, k) is not None and not isinstance(getattr(self, k), str):
                raise ValueError(f"matrix entry {self.name}: {k} must be a "
                                 f"string or None")
        if not isinstance(self.bench, bool):
            raise ValueError(f"matrix entry {self.name}: bench must be True "
                             f"or False")
        self.options = str(self.options or "")
        self.smp = str(self.smp)
        if self.timeout is None:
            self.timeout = UEFI_TIMEOUT if self.firmware == "uefi" else DEFAULT_TIMEOUT
        self.check()

    def check(self):
        bad = []
        if not self.name or not re.fullmatch(r"[A-Za-z0-9_.+-]+", self.name):
            bad.append("name must be letters, digits and _.+-")
        if self.media not in ("cdrom", "usb"):
            bad.append(f"media '{self.media}' is not cdrom or usb")
        if self.firmware not in ("bios", "uefi"):
            bad.append(f"firmware '{self.firmware}' is not bios or uefi")
        if self.machine not in ("q35", "pc"):
            bad.append(f"machine '{self.machine}' is not q35 or pc")
        if not re.fullmatch(r"(\d+|[a-z-]+=\d+)(,[a-z-]+=\d+)*", self.smp):
            bad.append(f"smp '{self.smp}' is not a count or topology")
        if not (isinstance(self.timeout, (int, float)) and self.timeout > 0):
            bad.append("timeout must be a number of seconds")
        if self.min_qemu is not None and not (
                isinstance(self.min_qemu, tuple) and len(self.min_qemu) >= 2):
            bad.append("min_qemu must be a (major, minor) tuple or None")
        if self.expect not in ("pass", "fail"):
            bad.append(f"expect '{self.expect}' is not pass or fail")
        if self.expect == "fail" and self.end not in ktap.EXPECTED_ENDS:
            bad.append(f"expect 'fail' needs end: one of "
                       f"{', '.join(ktap.EXPECTED_ENDS)}")
        if self.expect == "pass" and (self.end or self.failed_cases):
            bad.append("end and failed_cases only go with expect 'fail'")
        if self.failed_cases and self.end != "failure":
            bad.append("failed_cases only go with end 'failure'")
        if self.must_print and self.expect != "fail":
            bad.append("must_print only goes with expect 'fail'")
        for pattern in self.must_print:
            try:
                re.compile(pattern)
            except re.error as e:
                bad.append(f"must_print '{pattern}': {e}")
        if self.bench and self.expect != "pass":
            bad.append("bench only goes with expect 'pass'")
        if self.bench and "bench" not in self.options.split():
            bad.append("bench needs the kernel option 'bench'")
        if bad:
            raise ValueError(f"matrix entry {self.name}: " + "; ".join(bad))

    @property
    def expectation(self):
        return {"expect": self.expect, "end": self.end,
                "failed_cases": self.failed_cases,
                "must_print": self.must_print}

    @property
    def cpus(self):
        """The CPU count -smp gives: a count, or cpus= of a topology, or
        the product of its levels; None if it cannot be told."""
        parts = self.smp.split(",")
        if parts[0].isdigit():
            return int(parts[0])
        kv = dict(p.split("=", 1) for p in parts if "=" in p)
        if kv.get("cpus", "").isdigit():
            return int(kv["cpus"])
        n = 1
        for k in ("sockets", "dies", "clusters", "cores", "threads"):
            n *= int(kv.get(k, "1")) if kv.get(k, "1").isdigit() else 0
        return n or None

    def cpu_model(self, accel):
        return self.cpu or ("host" if accel == "kvm" else "qemu64")

    def describe(self, accel="tcg"):
        bits = [f"-smp {self.smp}", self.machine, self.firmware,
                self.cpu_model(accel)]
        if self.options:
            bits.append(f'"{self.options}"')
        if self.vga:
            bits.append(f"vga {self.vga}")
        if self.extra:
            bits.append(" ".join(self.extra))
        bits.append(f"{self.timeout:g} s")
        if self.bench:
            bits.append("BENCH lines checked")
        if self.expect == "fail":
            what = f"expect {self.end}"
            if self.failed_cases:
                what += " of " + ", ".join(self.failed_cases)
            bits.append(what)
        return ", ".join(bits)


def load_matrix():
    import matrix
    boots = [Boot(e, matrix.DEFAULTS) for e in matrix.MATRIX]
    names = [b.name for b in boots]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise ValueError("matrix: duplicate names: " + ", ".join(dups))
    return boots


# ---------------------------------------------------------------------------
# QEMU.

def qemu_version():
    """QEMU's (major, minor), or None if it cannot be run."""
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"version (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def version_str(v):
    return ".".join(str(x) for x in v) if v else "none"


def skip_reason(boot, version):
    """Why a boot cannot run on this QEMU, or ''."""
    if boot.min_qemu is None or version is None:
        return ""
    if tuple(version) >= tuple(boot.min_qemu[:2]):
        return ""
    why = f" for {boot.min_qemu_why}" if boot.min_qemu_why else ""
    return (f"needs QEMU >= {version_str(boot.min_qemu[:2])}{why}, "
            f"found {version_str(version)}")


def qemu_escape(value):
    """QEMU splits option values at commas; a literal comma is doubled."""
    return value.replace(",", ",,")


def kernel_options(options):
    return " ".join(["qemu_exit"] + options.split())


def find_ovmf(pairs=None, singles=None):
    """('pflash', code, vars) or ('bios', image), or None."""
    for code, vars_ in (OVMF_PAIRS if pairs is None else pairs):
        if os.path.isfile(code) and os.path.isfile(vars_):
            return ("pflash", code, vars_)
    for image in (OVMF_SINGLE if singles is None else singles):
        if os.path.isfile(image):
            return ("bios", image)
    return None


class SetupError(Exception):
    """A boot that could not be started; the message says why."""


# find_ovmf()'s answer, when the caller has none of its own.
FIND = "find"


def firmware_args(boot, logdir, ovmf=FIND):
    """QEMU's firmware arguments, and (template, copy) of the OVMF variables
    file the boot needs, or None. @ovmf: a find_ovmf() answer."""
    if boot.firmware == "bios":
        return [], None                 # QEMU's default is SeaBIOS
    if ovmf == FIND:
        ovmf = find_ovmf()
    if ovmf is None:
        raise SetupError("no OVMF firmware for a UEFI boot: install the Debian "
                         "package 'ovmf' (scripts/install-deps.sh run)")
    if ovmf[0] == "bios":
        return ["-bios", ovmf[1]], None
    _, code, vars_ = ovmf
    # OVMF writes its variables: each boot gets its own copy.
    mine = os.path.join(logdir, f"{boot.name}.OVMF_VARS.fd")
    return ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={qemu_escape(code)}",
            "-drive", f"if=pflash,format=raw,unit=1,file={qemu_escape(mine)}"], (vars_, mine)


def boot_media(boot, iso):
    """The ISO as a CD, or as a USB stick: the raw image a user writes
    with dd, which must boot from its hybrid MBR or its EFI partition."""
    if boot.media == "usb":
        return ["-drive", f"file={qemu_escape(iso)},format=raw,if=none,id=stick,"
                          "readonly=on",
                "-device", "qemu-xhci", "-device", "usb-storage,drive=stick"]
    return ["-cdrom", iso, "-boot", "d"]


def qemu_command(boot, accel, iso, log, stdio=False, logdir=LOGS, ovmf=FIND,
                 gdb=False):
    """The QEMU command line for a boot, and the OVMF_VARS copy it needs.

    @stdio: serial on stdio (run, debug) rather than into @log (test)
    Return: (argv, None or (vars template, per-boot copy)).
    """
    cpu = boot.cpu_model(accel)
    cmd = [QEMU, "-machine", boot.machine, "-accel", accel,
           "-smp", boot.smp, "-m", MEMORY, "-cpu", cpu,
           *boot_media(boot, iso),
           "-display", "none", "-vga", boot.vga or "none",
           "-no-reboot", "-monitor", "none",
           "-serial", "stdio" if stdio else "file:" + qemu_escape(log),
           "-device", DEBUG_EXIT,
           "-fw_cfg", "name=opt/xcall/cmdline,string=" +
           qemu_escape(kernel_options(boot.options))]
    fw, vars_copy = firmware_args(boot, logdir, ovmf)
    cmd += fw
    if gdb:
        cmd += ["-s", "-S"]
    cmd += boot.extra
    return cmd, vars_copy


def rerun_hint(boot, accel):
    """The command that runs one matrix boot again on its own."""
    cmd = ["tools/xcall-test.py", "run", "--smp", boot.smp, "--accel", accel,
           "--firmware", boot.firmware, "--machine", boot.machine,
           "--opts", boot.options]
    if boot.cpu:
        cmd += ["--cpu", boot.cpu]
    if boot.timeout != DEFAULT_TIMEOUT:
        cmd += ["--timeout", f"{boot.timeout:g}"]
    return shlex.join(cmd)


# Every QEMU or host test still running, so an interrupt can end them all;
# once stopping, nothing new starts.
_live = set()
_live_lock = threading.Lock()
_stopping = False


def _start(cmd, **kw):
    # Its own session and process group: the timeout kills the whole group,
    # and Ctrl-C at the terminal reaches this runner, which ends them.
    with _live_lock:
        if _stopping:
            raise OSError("interrupted")
        proc = subprocess.Popen(cmd, start_new_session=True, **kw)
        _live.add(proc)
    return proc


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _forget(proc):
    with _live_lock:
        _live.discard(proc)


def kill_all():
    global _stopping
    with _live_lock:
        _stopping = True
        procs = list(_live)
    for proc in procs:
        _kill(proc)


def _wait(proc, timeout):
    """proc's exit status, or None after killing it at the timeout."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return None
    except BaseException:               # Ctrl-C: leave no QEMU behind
        _kill(proc)
        raise
    finally:
        _forget(proc)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def signame(num):
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def qemu_ending(status, timeout, stderr):
    if status is None:
        return ktap.Ending("timeout", timeout=timeout, stderr=stderr)
    if status == EXIT_SUCCESS:
        return ktap.Ending("success", status, stderr=stderr)
    if status == EXIT_FAILURE:
        return ktap.Ending("failure", status, stderr=stderr)
    if status == EXIT_RESET:
        return ktap.Ending("reset", status, stderr=stderr)
    if status < 0:
        msg = f"QEMU was killed by {signame(-status)}"
    else:
        msg = f"QEMU exited with status {status}"
    return ktap.Ending("error", status, message=msg, stderr=stderr)


def check_accel(accel):
    if accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise SetupError("--accel kvm, but /dev/kvm is missing or not "
                         "usable by this user")


def boot_qemu(boot, accel, iso, log, stream=False):
    """Run one boot to its end; return (Ending, serial log text)."""
    logdir = os.path.dirname(log)
    os.makedirs(logdir, exist_ok=True)
    errpath = os.path.splitext(log)[0] + ".stderr"
    for path in (log, errpath):
        if os.path.exists(path):
            os.unlink(path)
    try:
        check_accel(accel)
        if not os.path.isfile(iso):
            raise SetupError(f"{rel(iso)} not found: build it with 'make iso'")
        cmd, vars_copy = qemu_command(boot, accel, iso, log, stdio=stream,
                                      logdir=logdir)
        if vars_copy:
            shutil.copyfile(*vars_copy)
        with open(os.path.splitext(log)[0] + ".cmd", "w") as f:
            f.write(shlex.join(cmd) + "\n")
    except (SetupError, OSError) as e:
        open(log, "wb").close()
        return ktap.Ending("error", message=str(e)), ""

    with open(errpath, "wb") as err:
        if not stream:
            try:
                proc = _start(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=err)
            except OSError as e:
                return ktap.Ending("error", message=f"cannot run {QEMU}: {e}"), ""
            status = _wait(proc, boot.timeout)
        else:
            status = _stream(cmd, log, err, boot.timeout)
            if isinstance(status, ktap.Ending):
                return status, ""
    stderr = _read(errpath)
    if not stderr:
        os.unlink(errpath)
    return qemu_ending(status, boot.timeout, stderr), _read(log)


def _stream(cmd, log, err, timeout):
    """Serial on QEMU's stdout: copy it line by line to our stdout and log."""
    try:
        proc = _start(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=err)
    except OSError as e:
        return ktap.Ending("error", message=f"cannot run {QEMU}: {e}")

    def copy():
        echo = True
        with open(log, "wb") as f:
            for line in iter(proc.stdout.readline, b""):
                f.write(line)
                f.flush()
                if echo:
                    try:
                        sys.stdout.buffer.write(line)
                        sys.stdout.buffer.flush()
                    except (BrokenPipeError, ValueError):
                        echo = False    # stdout went away; keep the log

    reader = threading.Thread(target=copy, daemon=True)
    reader.start()
    status = _wait(proc, timeout)
    reader.join()
    proc.stdout.close()
    return status


# ---------------------------------------------------------------------------
# Host test binaries.

def host_name(path):
    base = os.path.basename(path)
    return "host/" + (base[:-3] if base.endswith(".py") else base)


def run_host(path, log):
    """Run one host test binary; return (Ending, its stdout)."""
    env = dict(os.environ)
    if os.path.basename(path).startswith("tsan_"):
        prev = env.get("TSAN_OPTIONS")
        env["TSAN_OPTIONS"] = (prev + ":" if prev else "") + "halt_on_error=1"
    os.makedirs(os.path.dirname(log), exist_ok=True)
    outpath, errpath = log + ".out", log + ".err"
    try:
        with open(outpath, "wb") as out, open(errpath, "wb") as err:
            cmd = [os.path.abspath(path)]
            proc = _start(cmd, stdin=subprocess.DEVNULL, stdout=out,
                          stderr=err, env=env, cwd=ROOT)
            status = _wait(proc, HOST_TIMEOUT)
    except OSError as e:
        with open(log, "w") as f:
            f.write(f"cannot run {path}: {e}\n")
        return ktap.Ending("error", message=f"cannot run {path}: {e}"), ""
    stdout, stderr = _read(outpath), _read(errpath)
    # One log: the KTAP on stdout, then whatever went to stderr.
    with open(log, "w") as f:
        f.write(stdout)
        if stderr:
            f.write(("" if stdout.endswith("\n") or not stdout else "\n") +
                    "--- stderr ---\n" + stderr)
    for p in (outpath, errpath):
        os.unlink(p)
    if status is None:
        ending = ktap.Ending("timeout", timeout=HOST_TIMEOUT, stderr=stderr)
    elif status < 0:
        ending = ktap.Ending("error", status, stderr=stderr, message=
                             f"killed by {signame(-status)}")
    else:
        ending = ktap.Ending("success" if status == 0 else "failure", status,
                             stderr=stderr)
    return ending, stdout


# ---------------------------------------------------------------------------
# Subcommands.

def common_args(p, matrix_run=False):
    p.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    p.add_argument("--iso", default=ISO, help="default: build/xcall.iso")
    if matrix_run:
        return
    p.add_argument("--smp", default="4", help="a count or a topology")
    p.add_argument("--firmware", choices=("bios", "uefi"), default="bios")
    p.add_argument("--opts", default="", help="kernel options")
    p.add_argument("--cpu", default=None, help="QEMU -cpu model")
    p.add_argument("--machine", choices=("q35", "pc"), default="q35")


def boot_from_args(a):
    name = re.sub(r"[^A-Za-z0-9_.+-]", "_", f"{a.firmware}-smp{a.smp}")
    entry = {"name": name, "smp": a.smp,
             "firmware": a.firmware, "machine": a.machine, "cpu": a.cpu,
             "options": a.opts}
    if getattr(a, "timeout", None) is not None:
        entry["timeout"] = a.timeout
    import matrix
    return Boot(entry, matrix.DEFAULTS)


def cmd_run(a):
    try:
        boot = boot_from_args(a)
    except ValueError as e:
        say(f"xcall-test: {e}")
        return 2
    log = os.path.join(LOGS, "run.log")
    say(f"xcall-test: booting {rel(a.iso)}: {boot.describe(a.accel)}; "
        f"kernel options \"{kernel_options(boot.options)}\"; "
        f"serial log {rel(log)}")
    start = time.monotonic()
    ending, text = boot_qemu(boot, a.accel, a.iso, log, stream=True)
    verdict = ktap.judge(boot.name, text, ending, log_name=rel(log))
    say("", f"xcall-test: {boot.name} ended after "
        f"{time.monotonic() - start:.1f} s: {ktap.describe(ending)}")
    say(*verdict.lines)
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

    def worker():
        while True:
            with lock:
                if not pending:
                    return
                i, job = pending.pop(0)
                say(f"[{i:>{width}}/{total}] start {job.name}")
            t0 = time.monotonic()
            try:
                job.verdict = job.run()
            except Exception as e:      # a runner bug must not hang the rest
                job.verdict = ktap.Verdict(job.name, [ktap.Unit(
                    f"{job.name}/boot", ktap.FAIL)], [ktap.status_line(
                        ktap.FAIL, f"{job.name}/boot", f"runner error: {e!r}")])
            v = job.verdict
            c = v.counts()
            if v.passed:
                what = "skipped" if c[ktap.SKIP] and not c[ktap.PASS] else "ok"
            else:
                what = f"FAILED ({c[ktap.FAIL]} failed)"
            with lock:
                say(f"[{i:>{width}}/{total}] done  {job.name}: {what} "
                    f"in {time.monotonic() - t0:.1f} s")

    threads = [threading.Thread(target=worker, daemon=True)
               for _ in range(max(1, min(nparallel, len(jobs))))]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.2)


def boot_job(boot, accel, iso, version):
    reason = skip_reason(boot, version)
    if reason:
        return Job(boot.name, lambda: ktap.skipped(boot.name, reason))

    def run():
        log = os.path.join(LOGS, boot.name + ".log")
        ending, text = boot_qemu(boot, accel, iso, log)
        v = ktap.judge(boot.name, text, ending, expect=boot.expectation,
                       log_name=rel(log),
                       bench=(boot.cpus or True) if boot.bench else None)
        if not v.passed:
            v.lines.append(ktap.DETAIL + "rerun: " + rerun_hint(boot, accel))
        return v
    # A boot that must time out takes its whole timeout; OVMF is slow.
    weight = (boot.timeout if boot.end == "timeout" else 0) + \
        (UEFI_SLOW if boot.firmware == "uefi" else 0)
    return Job(boot.name, run, weight)


def host_job(path):
    name = host_name(path)

    def run():
        log = os.path.join(LOGS, "host", os.path.basename(name) + ".log")
        ending, text = run_host(path, log)
        return ktap.judge(name, text, ending, host=True, log_name=rel(log))
    return Job(name, run)


def cmd_test(a):
    try:
        boots = load_matrix()
        only = re.compile(a.only) if a.only else None
    except (ValueError, re.error) as e:
        say(f"xcall-test: {e}")
        return 2
    hosts = [p for p in (a.host or [])]
    if only:
        boots = [b for b in boots if only.search(b.name)]
        hosts = [p for p in hosts if only.search(host_name(p))]
    version = qemu_version() if boots else None

    if a.list:
        for p in hosts:
            say(f"{host_name(p):<16} {p}")
        for b in boots:
            reason = skip_reason(b, version)
            say(f"{b.name:<16} {b.describe(a.accel)}" +
                (f"  [skipped: {reason}]" if reason else ""))
        return 0
    if not boots and not hosts:
        say("xcall-test: nothing to run" + (f" matches --only '{a.only}'"
                                            if a.only else ""))
        return 2
    if boots and version is None:
        say(f"xcall-test: cannot run {QEMU} --version: is QEMU installed? "
            f"(scripts/install-deps.sh run)")
    elif boots:
        say(f"xcall-test: QEMU {version_str(version)}, {a.accel}, "
            f"{len(boots)} boots, {a.jobs} at a time; logs in {rel(LOGS)}/")

    os.makedirs(LOGS, exist_ok=True)
    host_jobs = [host_job(p) for p in hosts]
    boot_jobs = [boot_job(b, a.accel, a.iso, version) for b in boots]
    total = len(host_jobs) + len(boot_jobs)
    t0 = time.monotonic()
    run_jobs(host_jobs, a.jobs, 1, total)
    run_jobs(boot_jobs, a.jobs, len(host_jobs) + 1, total)

    verdicts = [j.verdict for j in host_jobs + boot_jobs]
    say("")
    for v in verdicts:
        say(*v.lines)
    failed = [u.name for v in verdicts for u in v.units if u.status == ktap.FAIL]
    say("", f"xcall-test: {len(verdicts)} runs in {time.monotonic() - t0:.0f} s")
    if failed:
        say("failed: " + ", ".join(failed))
    say(ktap.closing_line(verdicts))
    return 1 if failed else 0


def gdb_listening(port):
    """True once something listens on TCP port (read from /proc: a probe
    connection would be taken by QEMU's gdb stub as a debugger)."""
    want = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for row in f.readlines()[1:]:
                    cols = row.split()
                    # st 0A is LISTEN.
                    if len(cols) > 3 and cols[1].endswith(want) and cols[3] == "0A":
                        return True
        except OSError:
            pass
    return False


def cmd_debug(a):
    try:
        boot = boot_from_args(a)
        check_accel(a.accel)
        if not os.path.isfile(a.iso):
            raise SetupError(f"{rel(a.iso)} not found: build it with 'make iso'")
        os.makedirs(LOGS, exist_ok=True)
        cmd, vars_copy = qemu_command(boot, a.accel, a.iso, None, stdio=True,
                                      gdb=True)
        if vars_copy:
            shutil.copyfile(*vars_copy)
    except (ValueError, SetupError, OSError) as e:
        say(f"xcall-test: {e}")
        return 2
    gdb_cmd = ["gdb", "-q", "-x", os.path.join(rel(TOOLS), "gdbinit")]
    say(f"xcall-test: {shlex.join(cmd)}")
    try:
        qemu = _start(cmd, stdin=subprocess.DEVNULL)
    except OSError as e:
        say(f"xcall-test: cannot run {QEMU}: {e}")
        return 2
    try:
        deadline = time.monotonic() + 10
        while not gdb_listening(GDB_PORT) and qemu.poll() is None \
                and time.monotonic() < deadline:
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
                subprocess.run(gdb_cmd, cwd=ROOT, preexec_fn=lambda:
                               signal.signal(signal.SIGINT, signal.SIG_DFL))
            finally:
                signal.signal(signal.SIGINT, old)
        else:
            say(f"xcall-test: QEMU waits on :{GDB_PORT}; in another terminal, "
                f"in {ROOT}, run:", "", "    " + shlex.join(gdb_cmd), "",
                "xcall-test: Ctrl-C here ends QEMU")
            qemu.wait()
    except KeyboardInterrupt:
        pass
    finally:
        _kill(qemu)
        _forget(qemu)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="xcall-test.py", description=
                                 "Boot xcall in QEMU and judge its KTAP report.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run", help="one boot, serial on stdout")
    common_args(p)
    p.add_argument("--timeout", type=float, default=None,
                   help=f"seconds (default {DEFAULT_TIMEOUT}, "
                   f"uefi {UEFI_TIMEOUT})")
    p = sub.add_parser("test", help="host tests, then the boot matrix")
    common_args(p, matrix_run=True)
    p.add_argument("--host", nargs="*", default=[], metavar="BIN",
                   help="host test binaries (KTAP on stdout)")
    p.add_argument("--jobs", "-j", type=int, default=DEFAULT_JOBS)
    p.add_argument("--only", default=None, metavar="REGEX",
                   help="only the boots (and host/<bin>) whose name matches")
    p.add_argument("--list", action="store_true", help="print the matrix")
    p = sub.add_parser("debug", help="QEMU stopped for gdb on :1234")
    common_args(p)
    a = ap.parse_args(argv)

    # SIGTERM (make killed, CI's timeout) ends the QEMUs like Ctrl-C does.
    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        return {"run": cmd_run, "test": cmd_test, "debug": cmd_debug}[a.cmd](a)
    except KeyboardInterrupt:
        kill_all()
        say("", "xcall-test: interrupted")
        return 130
    finally:
        kill_all()


if __name__ == "__main__":
    sys.exit(main())
