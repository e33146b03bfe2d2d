# SPDX-License-Identifier: MIT
"""
Booting xcall under QEMU, and the processes of a test run (the model is
KUnit's kunit_kernel.py; the command line is tools/xcall.py).

This module owns:

  Boot, load_matrix()   what to boot: a tools/matrix.py entry with its
                        defaults filled in and checked, so a typo fails loudly
  qemu_command()        QEMU's command line for a Boot: machine, -smp, -cpu,
                        CD or USB stick, SeaBIOS or OVMF, the serial port, the
                        kernel options through fw_cfg
  boot_qemu()           one boot to its end: the serial log in a file (and on
                        stdout for `run`), the timeout, QEMU's stderr
  qemu_ending()         QEMU's exit status decoded into a ktap.Ending
  MonitorDriver         a boot's QEMU monitor commands, each sent over a
                        unix socket when its trigger line reaches the log
                        (the machine-check boot injects its error so)
  run_host()            one host test program, through the same process
                        handling (own process group, timeout, Ctrl-C)
  start(), kill_all()   every child in its own process group, all of them
                        ended on an interrupt

Parsing the log and the verdict are tools/ktap.py's; the matrix's data is
tools/matrix.py's; the subcommands and their output are tools/xcall.py's.
tools/bench.py boots through boot_qemu() too. A Boot whose kernel is
"linux" boots Debian's kernel with the benchmark's initramfs instead of
the ISO (the Linux side of the benchmark: tools/linux_bench.py).

The kernel leaves QEMU through isa-debug-exit at port 0xf4: it writes 0
for success and 1 for failure, and QEMU exits with (value << 1) | 1.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import ktap
import linux_bench
import matrix

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
BUILD = os.path.join(ROOT, "build")
LOGS = os.path.join(BUILD, "logs")
ISO = os.path.join(BUILD, "xcall.iso")
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")

MEMORY = "256M"
DEFAULT_TIMEOUT = 120
UEFI_TIMEOUT = 180                      # OVMF alone takes ~7 s under TCG
HOST_TIMEOUT = 600
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
          "failed_cases", "crashed_cases", "must_print", "bench", "media",
          "monitor", "kernel", "trace", "screen", "tcg_thread"}
# How TCG runs the vCPUs (-accel tcg,thread=): "multi", QEMU's default on
# an x86 host, one host thread per vCPU; "single", one host thread that
# runs every vCPU in turn. None: QEMU's default. Not used under KVM.
TCG_THREADS = ("multi", "single")
KERNELS = ("xcall", "linux")

# The monitor's socket: QEMU creates it at start-up, the driver connects
# when a trigger comes. How long to keep trying, how often to look at the
# log, how long to wait for the monitor's answer to a command.
MONITOR_CONNECT_S = 30
MONITOR_POLL_S = 0.05
MONITOR_REPLY_S = 2


# A boot with "screen": the kernel's line once the heatmap is drawn, on
# which the monitor takes the screendump (kernel/bench_matrix.c).
SCREEN_TRIGGER = r"^bench_matrix: screen drawn"


def screen_path(log):
    """Where a screen boot's screendump goes: beside its log."""
    return os.path.splitext(log)[0] + ".ppm"


def font_path(iso):
    """The PSF font the ISO's GRUB gives the kernel (the Makefile's
    $(ISO_DIR)/boot/font.psf, beside the ISO)."""
    return os.path.join(os.path.dirname(os.path.abspath(iso)), "iso", "boot", "font.psf")


def rel(path):
    """A path as short as it can be said from the current directory."""
    r = os.path.relpath(path)
    return r if not r.startswith("../..") else path


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
        for k in ("extra", "failed_cases", "crashed_cases", "must_print"):
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
        if self.tcg_thread not in (None, *TCG_THREADS):
            raise ValueError(f"matrix entry {self.name}: tcg_thread must be "
                             f"one of {', '.join(TCG_THREADS)}")
        steps = self.monitor or []
        if not (isinstance(steps, (list, tuple)) and all(
                isinstance(s, (list, tuple)) and len(s) == 2 and
                all(isinstance(x, str) and x for x in s) for s in steps)):
            raise ValueError(f"matrix entry {self.name}: monitor must be a "
                             f"list of (trigger regex, command) pairs")
        self.monitor = [tuple(s) for s in steps]
        for k in ("bench", "trace", "screen"):
            if not isinstance(getattr(self, k), bool):
                raise ValueError(f"matrix entry {self.name}: {k} must be True "
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
        if self.expect == "pass" and (self.end or self.failed_cases or
                                      self.crashed_cases):
            bad.append("end, failed_cases and crashed_cases only go with "
                       "expect 'fail'")
        if (self.failed_cases or self.crashed_cases) and self.end != "failure":
            bad.append("failed_cases and crashed_cases only go with end "
                       "'failure'")
        for pattern in self.must_print + [t for t, _ in self.monitor]:
            try:
                re.compile(pattern)
            except re.error as e:
                bad.append(f"regular expression '{pattern}': {e}")
        if self.bench and self.expect != "pass":
            bad.append("bench only goes with expect 'pass'")
        if self.trace and (self.expect != "pass" or self.kernel != "xcall" or
                           not {"trace", "trace_scenario"} & set(
                               o.split("=")[0] for o in self.options.split())):
            bad.append("trace only goes with expect 'pass', kernel 'xcall' "
                       "and the option trace_scenario (or trace)")
        if self.screen and not (self.vga and self.kernel == "xcall" and
                                self.expect == "pass" and
                                "bench" in self.options.split()):
            bad.append("screen needs vga, kernel 'xcall', expect 'pass' and "
                       "the kernel option 'bench' (it checks the matrix's "
                       "heatmap)")
        if self.kernel not in KERNELS:
            bad.append(f"kernel '{self.kernel}' is not one of {', '.join(KERNELS)}")
        if self.bench and self.kernel == "xcall" and \
                "bench" not in self.options.split():
            bad.append("bench needs the kernel option 'bench'")
        if self.kernel == "linux":
            # Linux is booted directly (-kernel), only to run the benchmark.
            if not self.bench or self.expect != "pass":
                bad.append("kernel 'linux' boots only run the benchmark: "
                           "bench True, expect 'pass'")
            if self.firmware != "bios" or self.media != "cdrom":
                bad.append("kernel 'linux' boots with QEMU's own loader: "
                           "firmware 'bios', media 'cdrom' (unused)")
        if bad:
            raise ValueError(f"matrix entry {self.name}: " + "; ".join(bad))

    @property
    def expectation(self):
        return {"expect": self.expect, "end": self.end,
                "failed_cases": self.failed_cases,
                "crashed_cases": self.crashed_cases,
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
        if self.kernel == "linux":
            bits.insert(0, "Linux")
        if self.options:
            bits.append(f'"{self.options}"')
        if self.vga:
            bits.append(f"vga {self.vga}")
        if self.extra:
            bits.append(" ".join(self.extra))
        if self.tcg_thread and accel == "tcg":
            bits.append(f"TCG thread={self.tcg_thread}")
        for trigger, command in self.monitor:
            bits.append(f"monitor '{command}' at /{trigger}/")
        bits.append(f"{self.timeout:g} s")
        if self.bench:
            bits.append("BENCH lines checked")
        if self.trace:
            bits.append("trace checked")
        if self.screen:
            bits.append("screen checked")
        if self.expect == "fail":
            what = f"expect {self.end}"
            if self.failed_cases:
                what += " of " + ", ".join(self.failed_cases)
            if self.crashed_cases:
                what += ", crashed " + ", ".join(self.crashed_cases)
            bits.append(what)
        return ", ".join(bits)


def load_matrix():
    """Every boot of tools/matrix.py, in its order; ValueError if one is
    malformed or two share a name."""
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


def cpu_models(help_text=None):
    """The CPU models QEMU knows (its -cpu help), or an empty set if it
    cannot be asked. @help_text: that output, for tests."""
    if help_text is None:
        try:
            help_text = subprocess.run([QEMU, "-cpu", "help"], capture_output=True,
                                       text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            return set()
    models = set()
    listing = False
    for line in help_text.split("\n"):
        if line.startswith("Available CPUs"):
            listing = True
        elif listing and not line.strip():
            break                       # the CPUID flags follow
        elif listing:
            words = line.split()
            # QEMU before 7 wrote "x86 qemu64 ..."; newer ones "  qemu64 ...".
            if words and words[0] == "x86" and len(words) > 1:
                words = words[1:]
            if words:
                models.add(words[0])
    return models


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


def linux_media(boot, iso):
    """Debian's kernel and the benchmark's initramfs of @iso's build, on
    QEMU's loader, with the boot's options on Linux's command line."""
    kernel, initrd = linux_bench.files(iso)
    return ["-kernel", kernel, "-initrd", initrd,
            "-append", linux_bench.command_line(boot.options)]


def qemu_command(boot, accel, iso, log, stdio=False, logdir=LOGS, ovmf=FIND,
                 gdb=False, monitor=None):
    """The QEMU command line for a boot, and the OVMF_VARS copy it needs.

    @stdio: serial on stdio (run, debug) rather than into @log (test)
    @monitor: the path of a unix socket for QEMU's monitor (a boot with
              monitor steps), or None: no monitor
    Return: (argv, None or (vars template, per-boot copy)).
    """
    cpu = boot.cpu_model(accel)
    mon = f"unix:{qemu_escape(monitor)},server,nowait" if monitor else "none"
    if boot.kernel == "linux":
        media = linux_media(boot, iso)
    else:
        media = boot_media(boot, iso) + [
            "-fw_cfg", "name=opt/xcall/cmdline,string=" +
            qemu_escape(kernel_options(boot.options))]
    # The same machine for both kernels: only how the kernel is loaded
    # and given its options differs.
    if accel == "tcg" and boot.tcg_thread:
        accel += ",thread=" + boot.tcg_thread
    cmd = [QEMU, "-machine", boot.machine, "-accel", accel,
           "-smp", boot.smp, "-m", MEMORY, "-cpu", cpu,
           "-display", "none", "-vga", boot.vga or "none",
           "-no-reboot", "-monitor", mon,
           "-serial", "stdio" if stdio else "file:" + qemu_escape(log),
           "-device", DEBUG_EXIT, *media]
    fw, vars_copy = firmware_args(boot, logdir, ovmf)
    cmd += fw
    if gdb:
        cmd += ["-s", "-S"]
    cmd += boot.extra
    return cmd, vars_copy


# ---------------------------------------------------------------------------
# Processes: QEMU, and the host test programs.

# Every QEMU or host test still running, so an interrupt can end them all;
# once stopping, nothing new starts.
_live = set()
_live_lock = threading.Lock()
_stopping = False


def start(cmd, **kw):
    """Popen @cmd (keyword arguments as Popen's) as a child kill_all() ends.

    Raises OSError once kill_all() has run: nothing new starts then.
    """
    # Its own session and process group: the timeout kills the whole group,
    # and Ctrl-C at the terminal reaches this runner, which ends them.
    with _live_lock:
        if _stopping:
            raise OSError("interrupted")
        proc = subprocess.Popen(cmd, start_new_session=True, **kw)
        _live.add(proc)
    return proc


def kill(proc):
    """SIGKILL @proc's whole process group and reap @proc."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def forget(proc):
    """@proc has ended: kill_all() no longer needs to end it."""
    with _live_lock:
        _live.discard(proc)


def kill_all():
    """End every child still running; start() refuses from now on."""
    global _stopping
    with _live_lock:
        _stopping = True
        procs = list(_live)
    for proc in procs:
        kill(proc)


def _wait(proc, timeout):
    """proc's exit status, or None after killing it at the timeout."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(proc)
        return None
    except BaseException:               # Ctrl-C: leave no QEMU behind
        kill(proc)
        raise
    finally:
        forget(proc)


def _read(path):
    """A file's text, undecodable bytes replaced; '' if it cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def signame(num):
    """SIGKILL for 9: the name of a signal number."""
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def qemu_ending(status, timeout, stderr, wrote=True):
    """How a boot ended, from QEMU's exit status (None: killed at @timeout
    seconds): isa-debug-exit's success and failure, a reset under
    -no-reboot, or an error naming the status or signal.

    @wrote: the guest wrote something to the serial line. QEMU's own
    errors (a -smp it refuses, a missing file) exit with status 1 too,
    which is also the kernel's success: without a word from the guest,
    status 1 is QEMU failing to start, said with its own message.
    """
    if status is None:
        return ktap.Ending("timeout", timeout=timeout, stderr=stderr)
    if status == EXIT_SUCCESS and not wrote:
        said = [l.strip() for l in stderr.split("\n") if l.strip()]
        msg = ("QEMU failed to start: " + said[0] if said else
               "QEMU exited with status 1 before the guest wrote anything")
        return ktap.Ending("error", status, message=msg, stderr=stderr)
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


class MonitorDriver:
    """A boot's QEMU monitor commands, each sent when its trigger comes.

    @log: the serial log QEMU writes; @sock: the monitor's unix socket
    (QEMU makes it at start-up, -monitor unix:...,server,nowait); @steps:
    [(trigger regex, command)], in order. A thread reads the log as it
    grows; when a whole line matches the next step's trigger, it connects
    to the monitor, sends the command and reads the answer. notes says
    what was sent and answered, or why a step never went out, for the
    boot's record: a boot that ends wrongly then shows whether the
    command reached QEMU at all.
    """

    def __init__(self, log, sock, steps):
        self.log, self.sock, self.steps = log, sock, list(steps)
        self.notes = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        """QEMU has ended: send nothing more; say which steps never ran."""
        self._done.set()
        self._thread.join()
        for trigger, command in self.steps:
            self.notes.append(f"monitor: '{command}' never sent: no line "
                              f"matched /{trigger}/")
        self.steps = []

    def _lines(self):
        """Each whole line the log gains, as it comes, until stop()."""
        pos, tail = 0, b""
        while not self._done.is_set():
            try:
                with open(self.log, "rb") as f:
                    f.seek(pos)
                    data = f.read()
            except OSError:
                data = b""              # QEMU has not made it yet
            pos += len(data)
            *whole, tail = (tail + data).split(b"\n")
            for line in whole:
                yield ktap.clean_line(line.decode("utf-8", "replace"))
            if not whole:
                self._done.wait(MONITOR_POLL_S)

    def _run(self):
        for line in self._lines():
            if not self.steps:
                return
            trigger, command = self.steps[0]
            if re.search(trigger, line):
                self.steps.pop(0)
                self.notes.append(self.send(command, f"after the line '{line}'"))

    def send(self, command, why=""):
        """Send one command; return a note of what happened."""
        deadline = time.monotonic() + MONITOR_CONNECT_S
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
                break
            except OSError as e:
                s.close()
                if time.monotonic() > deadline or self._done.is_set():
                    return f"monitor: '{command}' not sent ({why}): {e}"
                time.sleep(MONITOR_POLL_S)
        with s:
            s.settimeout(MONITOR_REPLY_S)
            self._until_prompt(s)       # the banner and the first prompt
            s.sendall(command.encode() + b"\n")
            said = self._until_prompt(s)
        # The monitor echoes the command as a line editor draws it: keep
        # what follows the echo.
        said = [l for l in (ktap.terminal_safe(x).strip() for x in said.split("\n"))
                if l and not l.endswith(command) and l != "(qemu)"]
        return (f"monitor: sent '{command}' ({why})" +
                (f"; QEMU said: {' / '.join(said)}" if said else ""))

    @staticmethod
    def _until_prompt(s):
        got = b""
        try:
            while not got.endswith(b"(qemu) "):
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
        except OSError:
            pass                        # the answer's end: a timeout, or QEMU gone
        return got.decode("utf-8", "replace")


def check_accel(accel, said="--accel kvm"):
    """Raise SetupError when @accel is kvm and /dev/kvm cannot be used.
    @said: how the user asked for it (ACCEL=kvm from make)."""
    if accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise SetupError(f"{said}, but /dev/kvm is missing or not usable by "
                         f"this user")


def boot_qemu(boot, accel, iso, log, stream=False, stop=None):
    """Run one boot to its end; return (Ending, serial log text).

    @stream: the serial line on stdout too, as it comes (run, debug)
    @stop: with @stream, called with each serial line; a non-empty answer
           ends the boot there, as an Ending "stopped" with it as message
    """
    logdir = os.path.dirname(log)
    os.makedirs(logdir, exist_ok=True)
    errpath = os.path.splitext(log)[0] + ".stderr"
    for path in (log, errpath):
        if os.path.exists(path):
            os.unlink(path)
    steps = list(boot.monitor)
    if boot.screen:
        # The heatmap's screendump, taken while the kernel holds it
        # (bench_matrix_hold_s); tools/bench_screen.py compares it.
        ppm = screen_path(log)
        if os.path.exists(ppm):
            os.unlink(ppm)
        steps.append((SCREEN_TRIGGER, f"screendump {os.path.abspath(ppm)}"))
    if steps:
        # A socket path must fit sun_path's 108 bytes: a short directory
        # of its own, not the log directory.
        mondir = tempfile.mkdtemp(prefix="xcall-mon-")
        try:
            return _boot_with_monitor(boot, accel, iso, log, stream, stop,
                                      os.path.join(mondir, "sock"), steps)
        finally:
            shutil.rmtree(mondir, ignore_errors=True)
    return _boot(boot, accel, iso, log, stream, stop)


def _boot_with_monitor(boot, accel, iso, log, stream, stop, sock, steps):
    """_boot() with a MonitorDriver beside it; what it did goes into the
    boot's <name>.monitor file and, as QEMU's stderr does, into the
    verdict's details."""
    driver = MonitorDriver(log, sock, steps)
    driver.start()
    try:
        ending, text = _boot(boot, accel, iso, log, stream, stop, monitor=sock)
    finally:
        driver.stop()
    notes = "\n".join(driver.notes)
    with open(os.path.splitext(log)[0] + ".monitor", "w") as f:
        f.write(notes + "\n")
    ending.stderr = (ending.stderr + "\n" + notes).strip()
    return ending, text


def _boot(boot, accel, iso, log, stream, stop, monitor=None):
    logdir = os.path.dirname(log)
    errpath = os.path.splitext(log)[0] + ".stderr"
    try:
        check_accel(accel)
        if boot.kernel == "linux":
            if linux_bench.missing(iso):
                raise SetupError(linux_bench.missing(iso))
        elif not os.path.isfile(iso):
            raise SetupError(f"{rel(iso)} not found: build it with 'make iso'")
        cmd, vars_copy = qemu_command(boot, accel, iso, log, stdio=stream,
                                      logdir=logdir, monitor=monitor)
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
                proc = start(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=err)
            except OSError as e:
                return ktap.Ending("error", message=f"cannot run {QEMU}: {e}"), ""
            status = _wait(proc, boot.timeout)
        else:
            stopped = []
            status = _stream(cmd, log, err, boot.timeout, stop, stopped)
            if isinstance(status, ktap.Ending):
                return status, ""
            if stopped:
                return ktap.Ending("stopped", status, message=stopped[0],
                                   stderr=_read(errpath)), _read(log)
    stderr = _read(errpath)
    if not stderr:
        os.unlink(errpath)
    text = _read(log)
    return qemu_ending(status, boot.timeout, stderr, wrote=bool(text)), text


def echo_serial(proc, log, stop=None, stopped=None):
    """Start a thread that copies @proc's stdout (QEMU's serial line) to
    @log, every byte, and to our stdout line by line without the
    firmware's terminal escapes (ktap.terminal_safe()). When @stop(line)
    answers, @proc is ended and the answer put in @stopped. Return the
    thread; it ends with @proc's stdout."""
    def copy():
        echo = True
        with open(log, "wb") as f:
            for line in iter(proc.stdout.readline, b""):
                f.write(line)           # the log keeps every byte
                f.flush()
                why = stop(line.decode("utf-8", "replace")) if stop else ""
                if why and not stopped:
                    stopped.append(why)
                    kill(proc)
                    echo = False        # the rest is QEMU cut off mid-line
                if echo:
                    try:
                        text = ktap.terminal_safe(line.decode("utf-8", "replace"))
                        sys.stdout.buffer.write(text.encode() + b"\n")
                        sys.stdout.buffer.flush()
                    except (BrokenPipeError, ValueError):
                        echo = False    # stdout went away; keep the log

    reader = threading.Thread(target=copy, daemon=True)
    reader.start()
    return reader


def _stream(cmd, log, err, timeout, stop=None, stopped=None):
    """Serial on QEMU's stdout: copy it line by line to our stdout and log.
    When @stop(line) answers, QEMU is ended and the answer put in
    @stopped."""
    try:
        proc = start(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                      stderr=err)
    except OSError as e:
        return ktap.Ending("error", message=f"cannot run {QEMU}: {e}")
    reader = echo_serial(proc, log, stop, stopped)
    try:
        status = _wait(proc, timeout)
        reader.join()
    finally:
        proc.stdout.close()
        reset_terminal()
    return status


# SGR 0 (default colours and attributes) and DECTCEM (cursor shown).
TERMINAL_RESET = "\x1b[0m\x1b[?25h"


def reset_terminal(stream=None):
    """Put a terminal that serial output may have touched back to its
    defaults; nothing when @stream (stdout) is not a terminal."""
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            stream.write(TERMINAL_RESET)
            stream.flush()
    except (OSError, ValueError):
        pass


# ---------------------------------------------------------------------------
# Host test binaries.

def host_command(path):
    """The command that runs a host test program with KTAP on stdout: a C
    binary as it is; a Python unittest module (.py) with this interpreter
    and --ktap, so its report is KTAP rather than unittest's own and it
    runs on the python3 the runner was given (make's PYTHON)."""
    if path.endswith(".py"):
        return [sys.executable, os.path.abspath(path), "--ktap"]
    return [os.path.abspath(path)]


def run_host(path, log):
    """Run one host test program; return (Ending, its stdout)."""
    env = dict(os.environ)
    if os.path.basename(path).startswith("tsan_"):
        prev = env.get("TSAN_OPTIONS")
        env["TSAN_OPTIONS"] = (prev + ":" if prev else "") + "halt_on_error=1"
    os.makedirs(os.path.dirname(log), exist_ok=True)
    outpath, errpath = log + ".out", log + ".err"
    try:
        with open(outpath, "wb") as out, open(errpath, "wb") as err:
            proc = start(host_command(path), stdin=subprocess.DEVNULL,
                         stdout=out, stderr=err, env=env, cwd=ROOT)
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
# `debug`: QEMU's gdb stub.

# The states of /proc/net/tcp's "st" column (Linux's include/net/tcp_states.h).
TCP_ESTABLISHED, TCP_LISTEN = "01", "0A"


def _tcp_state(port, state, tables=None):
    """Is a socket with local TCP @port in @state? Read from /proc, not by
    connecting: a probe connection would be taken by QEMU's gdb stub as a
    debugger. @tables: the tables' text, for tests."""
    want = f":{port:04X}"
    if tables is None:
        tables = []
        for path in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(path) as f:
                    tables.append(f.read())
            except OSError:
                pass
    for table in tables:
        for row in table.split("\n")[1:]:
            cols = row.split()
            if len(cols) > 3 and cols[1].endswith(want) and cols[3] == state:
                return True
    return False


def gdb_listening(port, tables=None):
    """True once something listens on TCP @port."""
    return _tcp_state(port, TCP_LISTEN, tables)


def gdb_connected(port, tables=None):
    """True once a connection to local TCP @port is up: a debugger came."""
    return _tcp_state(port, TCP_ESTABLISHED, tables)


def await_debugger(proc, port, timeout, connected=gdb_connected, poll=0.2):
    """Wait for a debugger to connect to QEMU's gdb stub on @port.
    Return: "connected", "exited" (QEMU ended first) or "timeout"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return "exited"
        if connected(port):
            return "connected"
        time.sleep(poll)
    return "timeout"
