#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
xcall's benchmark, beside Linux's: boots build/xcall.iso with the kernel
option `bench`, and Debian's kernel with the Linux side's initramfs
(bench/linux/, tools/linux_bench.py), in each configuration, one boot at
a time and interleaved (xcall, Linux, xcall, Linux, ...; the whole set of
configurations once per round), collects the BENCH lines, and writes
build/bench/results.json, compare.json, the tables and the plots.

  bench.py [--accel tcg|kvm] [--only REGEX] [--smp 2,4] [--apic xapic]
           [--idle hlt,poll,default] [--machine pc] [--kernels xcall,linux]
           [--reps 3] [--iters N] [--timeout S] [--iso PATH] [--out DIR]
           [--no-plots] [--list]
      Boot every configuration (default: -smp 2 and 4, pc, xAPIC, idle
      hlt, poll and each kernel's default) with each kernel, --reps rounds
      (36 boots), both methods (settled and back-to-back) in every boot;
      then print the tables and draw the plots. --kernels xcall --apic
      xapic,x2apic --idle hlt,poll,haltpoll --reps 1 --machine q35 is
      xcall's own matrix of before, without Linux.
  bench.py --from-json FILE [--out DIR] [--no-plots | --plots-only]
      The tables and plots of an earlier run, without booting.

Out (build/bench/ or --out): logs/<config>-<kernel>-r<round>.log per boot;
results.json, {"metadata": {date, host_cpu, host_cores, qemu, git_commit,
accel, iters, reps, kernels, linux, command, boots: [per boot: status,
seconds, host load, problems]}, "results": [every BENCH object, plus the
boot's smp, apic, idle, accel, config, kernel and rep]}, written only when
some boot gave results; compare.json, the rows of tools/benchcmp.py
(xcall's time per call over Linux's, figure by figure); bench-latency,
bench-overhead, bench-throughput (xcall's first round) and bench-ratio
(xcall / Linux) as PNG and SVG (matplotlib: Debian's python3-matplotlib;
without it the JSON and the tables are still made, and the tool says so).

Exit status: 0 when every boot ran to "bench: done" with whole BENCH lines,
1 if one failed or timed out (the others still run), 2 for bad arguments.

Benchmarks are not tests: nothing here judges a timing value. What counts
is the ratio within one boot, a call against the two floors measured in
the same boot: the bare IPI (raw_ipi) and a cache line bounced between the
same two CPUs (pingpong). Under TCG every number is the emulator's, and
on a two-core host a guest with more vCPUs than cores mostly measures the
host scheduler: compare ratios and configurations, not nanoseconds.

Between the kernels, the ratio of each pair of boots run one after the
other is what counts (compare.json's "ratio", its median over the
rounds): the host's load moves both.

This file owns the rounds, results.json and the per-configuration table,
and decides where the plots are drawn (which python3 has matplotlib);
tools/plots.py draws them. Booting QEMU (command line, timeout, serial
log) is tools/xcall_qemu.py's boot_qemu(); the BENCH line format and the
grouping of records by configuration are tools/benchfmt.py's; the
comparison's rows and table are tools/benchcmp.py's.
"""

import argparse
import datetime
import importlib
import importlib.util
import json
import math
import os
import platform
import re
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True          # keep tools/ free of __pycache__
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import bench_matrix                     # noqa: E402
import benchcmp                         # noqa: E402
import benchfmt                         # noqa: E402
import ktap                             # noqa: E402
import linux_bench                      # noqa: E402
import matrix                           # noqa: E402
import plots                            # noqa: E402
import xcall_qemu                       # noqa: E402

ROOT = xcall_qemu.ROOT
OUT = os.path.join(xcall_qemu.BUILD, "bench")
RESULTS = "results.json"
COMPARE = "compare.json"
DEFAULT_TIMEOUT = 300
SMPS = (2, 4)
APICS = benchfmt.APICS
# The idle modes: the comparison's (tools/linux_bench.py's IDLE_MAP), of
# which haltpoll is xcall's alone.
IDLES = ("hlt", "poll", "default", "haltpoll")
DEFAULT_IDLES = benchcmp.IDLES
KERNELS = benchcmp.KERNELS
REPS = 3
MACHINES = ("pc", "q35")
# Each boot runs the latency figures settled, then back to back.
METHODS = "both"
# -cpu per accelerator and APIC mode. Under TCG qemu64 has no x2APIC
# unless asked; under KVM the host's CPU is taken with x2APIC forced
# either way.
CPU_MODELS = {("tcg", "xapic"): "qemu64", ("tcg", "x2apic"): "qemu64,+x2apic",
              ("kvm", "xapic"): "host,-x2apic", ("kvm", "x2apic"): "host,+x2apic"}
TAIL = 15                               # log lines shown for a failed boot
WIDTH = 100                             # the table fits this terminal


def say(*lines):
    for line in lines:
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# The matrix.

class Config:
    """One configuration: CPU count, APIC mode, idle mode, accelerator,
    machine; the same for both kernels."""

    def __init__(self, smp, apic, idle, accel, machine="pc"):
        self.smp, self.apic, self.idle, self.accel = int(smp), apic, idle, accel
        self.machine = machine

    @property
    def name(self):
        return f"smp{self.smp}-{self.apic}-{self.idle}"

    @property
    def label(self):
        return f"smp{self.smp} {self.apic} {self.idle}"

    def fields(self):
        return {"smp": self.smp, "apic": self.apic, "idle": self.idle,
                "accel": self.accel}


def matrix_configs(smps, apics, idles, accel, machine="pc"):
    return [Config(s, a, i, accel, machine) for s in smps for a in apics
            for i in idles]


def boot_for(cfg, iters, timeout, kernel="xcall", methods=None, core_matrix=True):
    """The runner's Boot for a configuration and kernel; None when that
    kernel has no such idle mode (Linux has no haltpoll under TCG).
    core_matrix=False turns xcall's core-to-core matrix off in that boot."""
    idle = linux_bench.idle_option(cfg.idle, kernel)
    if idle is None:
        return None
    # GRUB's default entry asks for the self-tests; a benchmark boot
    # only wants the benchmarks. Linux's /init reads the bench_* words.
    options = ["selftest=off", "bench"] if kernel == "xcall" else []
    options += [idle] if idle else []
    if methods:
        options.append(f"bench_methods={methods}")
    if iters is not None:
        options.append(f"bench_iters={iters}")
    if kernel == "xcall" and not core_matrix:
        options.append("bench_matrix_iters=0")
    entry = {"name": cfg.name if kernel == "xcall" else f"{cfg.name}-{kernel}",
             "smp": str(cfg.smp), "machine": cfg.machine, "kernel": kernel,
             "bench": kernel != "xcall",
             "cpu": CPU_MODELS[(cfg.accel, cfg.apic)],
             "options": " ".join(options), "timeout": timeout}
    if cfg.apic == "x2apic" and cfg.accel == "tcg":
        entry["min_qemu"] = matrix.X2APIC_QEMU
        entry["min_qemu_why"] = matrix.X2APIC_WHY
    return xcall_qemu.Boot(entry, matrix.DEFAULTS)


def merge(rec, cfg, kernel="xcall", rep=1):
    """A BENCH record with its boot's configuration added.

    The configuration is what the boot asked for; where the kernel says
    otherwise (an option it refused; the idle method its default chose),
    its word is kept as kernel_<key>.
    """
    out = dict(rec)
    for k, v in cfg.fields().items():
        if k in rec and rec[k] != v:
            out["kernel_" + k] = rec[k]
        out[k] = v
    out["config"] = cfg.name
    out["kernel"] = kernel
    out["rep"] = rep
    return out


class BootResult:
    def __init__(self, cfg, kernel="xcall", rep=1):
        self.cfg = cfg
        self.kernel = kernel
        self.rep = rep
        self.status = "ok"              # ok, failed, skipped
        self.why = ""
        self.seconds = 0.0
        self.records = []
        self.problems = []
        self.warnings = []
        self.log = ""
        self.tail = []
        self.load = None                # host load average before the boot

    @property
    def name(self):
        return f"{self.cfg.name}-{self.kernel}-r{self.rep}"

    def meta(self):
        out = {"config": self.cfg.name, **self.cfg.fields(),
               "kernel": self.kernel, "rep": self.rep,
               "status": self.status, "seconds": round(self.seconds, 1),
               "results": len(self.records), "log": self.log,
               "host_load_before": self.load}
        if self.why:
            out["why"] = self.why
        if self.problems:
            out["problems"] = self.problems
        if self.warnings:
            out["warnings"] = self.warnings
        return out


def iters_taken(records, iters):
    """A note when the kernel did not take bench_iters=@iters (out of its
    range), from the sample counts of the latency figures; or ''."""
    if iters is None:
        return ""
    ns = sorted({r["n"] for r in records if r["name"] not in
                 benchfmt.THROUGHPUT and r["name"] != "bringup"})
    if ns and ns != [iters]:
        return (f"asked for bench_iters={iters}, the kernel took "
                f"{', '.join(map(str, ns))}")
    return ""


def run_boot(cfg, boot, iso, logdir, iters=None, kernel="xcall", rep=1):
    """Boot one configuration with one kernel to its end and read its
    BENCH lines."""
    res = BootResult(cfg, kernel, rep)
    log = os.path.join(logdir, res.name + ".log")
    res.log = xcall_qemu.rel(log)
    # Whatever else the host runs skews the figures: keep the load with them.
    res.load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    t0 = time.monotonic()
    ending, text = xcall_qemu.boot_qemu(boot, cfg.accel, iso, log)
    res.seconds = time.monotonic() - t0
    parsed, problems = benchfmt.validate(text, cfg.smp)
    res.records = [merge(r, cfg, kernel, rep) for r in parsed.records]
    if kernel == "linux":
        trouble = linux_bench.trouble(text)
        problems += [f"Linux said: {t}" for t in trouble[:3]]
    # GRUB's default entry puts "selftest" on the command line, so the
    # self-tests run first in every boot, and a failed one ends it with
    # status 3 even when the benchmarks ran to the end.
    failed_leaves = [l for l in ktap.parse(text).leaves()
                     if l.status == ktap.FAIL] if kernel == "xcall" else []
    failed_tests = [l.path for l in failed_leaves]
    if ending.kind != "success":
        res.status, res.why = "failed", ktap.describe(ending)
        if ending.kind == "failure" and failed_tests:
            res.why = ("the kernel reported failure: self-test " +
                       ", ".join(failed_tests[:3]) +
                       (f" and {len(failed_tests) - 3} more"
                        if len(failed_tests) > 3 else "") + " failed" +
                       ("" if problems else "; the BENCH lines are whole "
                        "and kept"))
    elif problems:
        res.status, res.why = "failed", problems[0]
    res.problems = problems
    for k in ("apic", "idle"):
        if k == "idle" and cfg.idle == "default":
            continue                    # the kernel's own choice, kept
        if k == "idle" and kernel == "linux":
            continue                    # Linux's lines say the mode asked
        said = sorted({r[k] for r in parsed.records if r[k] != getattr(cfg, k)})
        if said:
            res.warnings.append(f"asked for {k} {getattr(cfg, k)}, the kernel "
                                f"says {', '.join(said)}")
    note = iters_taken(parsed.records, iters)
    if note:
        res.warnings.append(note)
    if res.status != "ok" and ending.kind == "failure" and failed_tests:
        res.tail = [f"{res.log}, the failed self-tests:"]
        for leaf in failed_leaves[:3]:
            res.tail += ["  " + d for d in leaf.diag[:6]] + [
                f"  not ok {leaf.path}"]
    elif res.status != "ok":
        err = [l for l in (ktap.clean_line(x) for x in ending.stderr.split("\n"))
               if l]
        res.tail = (["QEMU stderr:"] + ["  " + l for l in err[:10]]
                    if err else [])
        t = ktap.tail(text, TAIL)
        res.tail += ([f"last {len(t)} lines of {res.log}:"] +
                     ["  " + l for l in t] if t else [f"{res.log} is empty"])
    return res


def _clip(line, width=WIDTH):
    return line if len(line) <= width else line[:width - 3] + "..."


def schedule(configs, kernels, reps):
    """The boots in the order they run: round by round, each
    configuration's kernels one right after the other (xcall, Linux,
    xcall, Linux, ...), so that each pair shares the host's mood."""
    return [(rep, cfg, k) for rep in range(1, reps + 1) for cfg in configs
            for k in kernels]


def skip_why(boot, kernel, cfg, version, iso):
    """Why a boot of the run cannot happen, or ''."""
    if boot is None:
        return f"{kernel} has no idle mode {cfg.idle}"
    reason = xcall_qemu.skip_reason(boot, version)
    if not reason and kernel == "linux":
        reason = linux_bench.missing(iso)
    return reason


def wants_core_matrix(rep, cfg, configs):
    """The core-to-core matrix is measured in the first round's boots at
    the most CPUs only: write_matrix() takes one of them (hlt first, the
    others in case it failed). In every boot it would add about 36 s to
    each -smp 4 poll boot here, some 2.5 minutes to a make bench."""
    return rep == 1 and cfg.smp == max(c.smp for c in configs)


def run_matrix(configs, a, version):
    """Boot each configuration with each kernel, round after round; never
    two boots at once (timing)."""
    logdir = os.path.join(a.out, "logs")
    os.makedirs(logdir, exist_ok=True)
    results = []
    plan = schedule(configs, a.kernels, a.reps)
    width = len(str(len(plan)))
    for i, (rep, cfg, kernel) in enumerate(plan, 1):
        boot = boot_for(cfg, a.iters, a.timeout, kernel, METHODS,
                        wants_core_matrix(rep, cfg, configs))
        head = (f"[{i:>{width}}/{len(plan)}] round {rep}: {cfg.label} "
                f"{kernel} ...")
        reason = skip_why(boot, kernel, cfg, version, a.iso)
        if reason:
            res = BootResult(cfg, kernel, rep)
            res.status, res.why = "skipped", reason
            results.append(res)
            say(f"{head} skipped: {reason}")
            continue
        sys.stdout.write(head)
        sys.stdout.flush()
        res = run_boot(cfg, boot, a.iso, logdir, a.iters, kernel, rep)
        results.append(res)
        line = f" {res.seconds:.1f} s"
        if res.status == "ok":
            say(line + f", {len(res.records)} results")
        else:
            say(line + f": FAILED: {res.why}")
            more = [p for p in res.problems if p != res.why]
            say(*[_clip("    " + p) for p in more[:5]])
            say(*[_clip("    " + l) for l in res.tail])
        say(*["    note: " + w for w in res.warnings])
    return results


# ---------------------------------------------------------------------------
# results.json.

def _run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                           cwd=ROOT)
        return p.stdout.strip() if p.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def host_cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit():
    head = _run(["git", "rev-parse", "HEAD"])
    if head is None:
        return None
    # --no-optional-locks: reading the status must not rewrite the index.
    dirty = _run(["git", "--no-optional-locks", "status", "--porcelain",
                  "--untracked-files=no"])
    return head + ("-dirty" if dirty else "")


def metadata(a, boots):
    qemu = _run([xcall_qemu.QEMU, "--version"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "host_cpu": host_cpu_model(),
        "host_cores": os.cpu_count(),
        "qemu": qemu.split("\n")[0] if qemu else None,
        "git_commit": git_commit(),
        "accel": a.accel,
        "machine": a.machine,
        "iters": a.iters,
        "reps": a.reps,
        "kernels": list(a.kernels),
        "linux": linux_bench.version(a.iso) if "linux" in a.kernels else None,
        "command": " ".join(["tools/bench.py"] + list(a.argv or [])),
        "timeout": a.timeout,
        "iso": xcall_qemu.rel(a.iso),
        "boots": [b.meta() for b in boots],
    }


def write_json(path, meta, records, key="results"):
    """{"metadata": meta, key: records} to path, whole or not at all
    (written beside it, then renamed); bench_scale.py writes "rows"."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"metadata": meta, key: records}, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def load_json(path):
    """(metadata, records) of a results.json; raises ValueError if bad."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: {e}")
    if isinstance(data, list):          # a bare list of records
        data = {"metadata": {}, "results": data}
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ValueError(f"{path}: no list 'results'")
    recs = []
    for i, r in enumerate(data["results"]):
        bad = benchfmt.check_record(r)
        if bad:
            raise ValueError(f"{path}: result {i}: " + "; ".join(bad))
        r = dict(r)
        # Records written by hand may lack the configuration: the kernel's
        # own word stands in for it.
        r.setdefault("smp", r["cpus"])
        r.setdefault("accel", data.get("metadata", {}).get("accel", "tcg"))
        r.setdefault("config", f"smp{r['smp']}-{r['apic']}-{r['idle']}")
        recs.append(r)
    return data.get("metadata") or {}, recs


# ---------------------------------------------------------------------------
# The table.

def _num(v):
    """A value in at most five characters, three significant digits."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-"
    av = abs(v)
    if av >= 1e9:
        return f"{v / 1e9:.1f}G"
    if av >= 1e6:
        return f"{v / 1e6:.1f}M" if av < 1e7 else f"{v / 1e6:.0f}M"
    if av >= 1e4:
        return f"{v / 1e3:.1f}k" if av < 1e5 else f"{v / 1e3:.0f}k"
    if av >= 100:
        return f"{v:.0f}"
    if av >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def _ratio3(v):
    """A small ratio with its third decimal when it is below 0.1 (the
    kernel prints IPIs per call to the thousandth)."""
    return f"{v:.3f}" if 0 < v < 0.1 else f"{v:.2f}"


def table_rows(recs_by_col):
    """The rows of one table: [(label, unit, [cell per column])].

    @recs_by_col: one list of records per column (configuration)
    """
    rows = []
    every = [r for recs in recs_by_col for r in recs]

    def targets(name):
        return sorted({r.get("target") for r in every if r["name"] == name},
                      key=lambda t: -1 if t is None else t)

    for name in benchfmt.NAMES:
        if name in benchfmt.THROUGHPUT:
            continue
        for t in targets(name):
            cells = [benchfmt.find(recs, name, t) if t is not None else
                     benchfmt.find(recs, name) for recs in recs_by_col]
            unit, scale = benchfmt.time_unit([c["p50"] for c in cells if c])
            label = name + (f" ->{t}" if t is not None else "")
            if name == "bringup":
                row = [_num(c["p50"] / scale) if c else "-" for c in cells]
            else:
                row = [f"{_num(c['p50'] / scale)}/{_num(c['p99'] / scale)}"
                       if c else "-" for c in cells]
            rows.append((label, unit, row))
    for name in benchfmt.THROUGHPUT:
        for t in targets(name):
            cells = [benchfmt.find(recs, name, t) if t is not None else
                     benchfmt.find(recs, name) for recs in recs_by_col]
            label = name + (f" ->{t}" if t is not None else "")
            rows.append((label, "calls/s",
                         [_num(c["calls_per_s"]) if c else "-" for c in cells]))
            rows.append(("", "IPIs/call",
                         [_ratio3(c["ipis_per_call"]) if c else "-"
                          for c in cells]))
    ratios = [benchfmt.layer_ratios(recs)["call_single"] for recs in recs_by_col]
    for floor, label in (("raw_ipi", "call/raw_ipi"), ("pingpong", "call/pingpong")):
        rows.append((label, "x", [_num(r[floor]) for r in ratios]))
    return rows


def table(records, width=WIDTH):
    """The table of a run, as lines: per CPU count, one column per
    configuration, one row per figure."""
    groups = {}
    for key, label, recs in benchfmt.by_config(records):
        groups.setdefault((key[0], key[1]), []).append((key, recs))
    lines = []
    label_w, unit_w, cell_w = 17, 10, 12
    ncols = max(1, (width - label_w - unit_w) // cell_w)
    for (accel, smp), cols in sorted(groups.items()):
        for start in range(0, len(cols), ncols):
            part = cols[start:start + ncols]
            rows = table_rows([recs for _, recs in part])
            lines.append(f"-smp {smp}, {accel}: p50/p99 of each latency "
                         f"(bringup: its one value; call/...: p50 ratios)")
            pad = " " * (label_w + unit_w)
            lines.append(pad + "".join(f"{recs[0]['apic']:<{cell_w}}"
                                       for _, recs in part).rstrip())
            lines.append(f"{'benchmark':<{label_w}}{'unit':<{unit_w}}" +
                         "".join(f"{recs[0]['idle']:<{cell_w}}"
                                 for _, recs in part).rstrip())
            for label, unit, cells in rows:
                lines.append((f"{label:<{label_w}}{unit:<{unit_w}}" +
                              "".join(f"{c:<{cell_w}}" for c in cells)).rstrip())
            lines.append("")
    if not lines:
        return ["(no results)"]
    lines += [
        "call/raw_ipi:  call_single p50 over raw_ipi p50, same target CPU: "
        "the overhead",
        "               of the call layer over the raw-IPI floor",
        "call/pingpong: call_single p50 over pingpong p50 (a cache line "
        "bounced between",
        "               the same two CPUs): over the shared-memory floor",
        "IPIs/call:     IPIs sent per fire-and-forget call; below 1, calls "
        "shared an IPI",
    ]
    return lines


# ---------------------------------------------------------------------------
# The plots: tools/plots.py draws them; here is where, and with which python.

def find_matplotlib():
    """Make matplotlib importable if it can be. Return '' or why not.

    Debian's python3-matplotlib (scripts/install-deps.sh bench) serves the
    distribution's python3; an interpreter of its own (pyenv, a venv) does
    not see it, and then plot_elsewhere() hands the plots to that python3.
    """
    if importlib.util.find_spec("matplotlib"):
        return ""
    first = "no module named 'matplotlib' in " + sys.executable
    script = os.path.join(ROOT, "scripts", "install-deps.sh")
    if subprocess.run(["bash", script, "--check", "bench"],
                      stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        say("bench: matplotlib is missing: scripts/install-deps.sh bench")
        p = subprocess.run(["bash", script, "bench"])
        if p.returncode != 0:
            return (f"{first}; scripts/install-deps.sh bench failed "
                    f"(status {p.returncode})")
        importlib.invalidate_caches()
        if importlib.util.find_spec("matplotlib"):
            return ""
        first += " (still, after scripts/install-deps.sh bench)"
    return first


def system_python():
    """Another python3 that imports matplotlib, or None."""
    mine = os.path.realpath(sys.executable)
    for cand in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not os.path.isfile(cand) or os.path.realpath(cand) == mine:
            continue
        try:
            ok = subprocess.run([cand, "-c", "import matplotlib"],
                                capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return cand
    return None


def plot_elsewhere(python, json_path, out):
    """Draw the plots with another interpreter; return what it said."""
    cmd = [python, os.path.abspath(__file__), "--from-json", json_path,
           "--out", out, "--plots-only"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip()


def make_plots(records, meta, out, json_path, allow_elsewhere=True):
    """Draw the plots here or with the system's python3; say what happened.
    Return True when drawn (or nothing to draw)."""
    if not records:
        say("bench: no results, no plots")
        return True
    why = find_matplotlib()
    if not why:
        paths = plots.draw_plots(records, meta, out)
        say("bench: plots: " + ", ".join(xcall_qemu.rel(p) for p in paths))
        return True
    other = system_python() if allow_elsewhere else None
    if other:
        status, said = plot_elsewhere(other, json_path, out)
        if status == 0:
            say(f"bench: matplotlib drawn by {other} (this {sys.executable} "
                f"has none): {said}")
            return True
        why += f"; {other} failed: {said.splitlines()[-1] if said else status}"
    say(f"bench: PLOTS SKIPPED: no matplotlib ({why}). results.json and the "
        f"table are complete; install python3-matplotlib "
        f"(scripts/install-deps.sh bench) and run "
        f"tools/bench.py --from-json {xcall_qemu.rel(json_path)}")
    return False


def matrix_expected(configs, kernels):
    """Does this run measure a core-to-core matrix? Only xcall boots do,
    and only with two CPUs or more (wants_core_matrix())."""
    return "xcall" in kernels and max(c.smp for c in configs) >= 2


def clear_matrix(out):
    """Remove an earlier run's matrix.json and heatmaps from @out, so
    that what is there after this run is this run's or nothing."""
    names = [bench_matrix.JSON_NAME] + [f"bench-matrix-{f}.{ext}"
                                        for f in bench_matrix.FIGURES
                                        for ext in ("png", "svg")]
    for name in names:
        try:
            os.unlink(os.path.join(out, name))
        except FileNotFoundError:
            pass


def write_matrix(boots, out, plots_wanted=True):
    """build/bench/matrix.json and its heatmaps (tools/bench_matrix.py),
    from the xcall boot of the first round at the most CPUs, idle hlt
    when there is one: the matrix of the machine as the run measured it.
    An earlier run's files are removed first. Return False when no boot
    had a whole matrix (the heatmaps skipped for want of matplotlib are
    said loudly, but the matrix is there: True)."""
    clear_matrix(out)
    cands = sorted((b for b in boots if b.kernel == "xcall" and b.log and
                    b.status == "ok"),
                   key=lambda b: (-b.cfg.smp, b.cfg.idle != "hlt", b.rep))
    obj, why = None, "no xcall boot ran to its end"
    for b in cands:
        try:
            with open(b.log, errors="replace") as f:
                obj = bench_matrix.from_log(f.read(), b.log)
            break
        except (OSError, bench_matrix.MatrixError) as e:
            why = f"{b.log}: {e}"
    if obj is None:
        say(f"bench: NO CORE-TO-CORE MATRIX: {why}")
        return False
    say(f"bench: core-to-core matrix of -smp {obj['smp']} "
        f"({obj['source']}) in {xcall_qemu.rel(bench_matrix.write(obj, out))}")
    if not plots_wanted:
        return True
    if not find_matplotlib():
        paths = bench_matrix.plot(obj, out)
        say("bench: matrix heatmaps: " + ", ".join(xcall_qemu.rel(p) for p in paths))
        return True
    other = system_python()
    if other:
        p = subprocess.run([other, bench_matrix.__file__, obj["source"], "--out", out],
                           capture_output=True, text=True)
        if p.returncode == 0:
            say(f"bench: matrix heatmaps drawn by {other}")
            return True
    say("bench: MATRIX HEATMAPS SKIPPED: no matplotlib; matrix.json is complete")
    return True


# ---------------------------------------------------------------------------
# The command line.

def _list(kind, choices):
    def parse(text):
        items = [x for x in text.split(",") if x]
        bad = [x for x in items if x not in choices]
        if bad or not items:
            raise argparse.ArgumentTypeError(
                f"{kind} must be a comma-separated list of "
                f"{', '.join(map(str, choices))}")
        return items
    return parse


def _smp_list(text):
    try:
        items = [int(x) for x in text.split(",") if x]
    except ValueError:
        items = []
    if not items or any(n < 1 for n in items):
        raise argparse.ArgumentTypeError("--smp is a list of CPU counts: 2,4")
    return items


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench.py", description="Boot xcall's benchmark and Linux's, "
        "interleaved, one boot at a time; write results.json, compare.json, "
        "the tables and plots.")
    ap.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    ap.add_argument("--only", metavar="REGEX", default=None,
                    help="only the configurations whose name (smp4-x2apic-poll)"
                    " matches")
    ap.add_argument("--smp", type=_smp_list, default=list(SMPS),
                    help="CPU counts, default 2,4")
    ap.add_argument("--apic", type=_list("--apic", APICS), default=["xapic"],
                    help="default xapic (the machine's own qemu64)")
    ap.add_argument("--idle", type=_list("--idle", IDLES),
                    default=list(DEFAULT_IDLES),
                    help="default hlt,poll,default (each kernel's own); "
                    "haltpoll is xcall's alone")
    ap.add_argument("--machine", choices=MACHINES, default="pc",
                    help="default pc")
    ap.add_argument("--kernels", type=_list("--kernels", KERNELS),
                    default=list(KERNELS), help="default xcall,linux")
    ap.add_argument("--reps", type=int, default=REPS, metavar="N",
                    help=f"rounds of interleaved boots (default {REPS})")
    ap.add_argument("--iters", type=int, default=None, metavar="N",
                    help="bench_iters=N (default: the kernel's choice)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                    metavar="S", help=f"seconds per boot (default "
                    f"{DEFAULT_TIMEOUT})")
    ap.add_argument("--iso", default=xcall_qemu.ISO, help="default: build/xcall.iso")
    ap.add_argument("--out", default=OUT, metavar="DIR",
                    help="results.json, plots and logs/ (default build/bench)")
    ap.add_argument("--from-json", metavar="FILE", default=None,
                    help="no boots: the table and plots of an earlier run")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--plots-only", action="store_true",
                    help="with --from-json: only the plots")
    ap.add_argument("--list", action="store_true",
                    help="print the configurations and exit")
    a = ap.parse_args(argv)
    if a.iters is not None and a.iters < 1:
        ap.error("--iters must be at least 1")
    if a.reps < 1:
        ap.error("--reps must be at least 1")
    a.argv = list(argv) if argv is not None else sys.argv[1:]
    if a.timeout <= 0:
        ap.error("--timeout must be positive")
    if a.plots_only and not a.from_json:
        ap.error("--plots-only goes with --from-json")
    return a


def write_compare(path, rows):
    """compare.json: the list of rows, as tools/benchcmp.py makes them."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def tables(records):
    """Both tables: xcall's per configuration (its first round), then
    xcall beside Linux when Linux ran."""
    out = table(benchcmp.xcall_view(records))
    rows = benchcmp.rows(records)
    if any(r["linux_p50_ns"] is not None for r in rows):
        out += [""] + benchcmp.table(rows)
    return out


def cmd_from_json(a):
    try:
        meta, records = load_json(a.from_json)
    except ValueError as e:
        say(f"bench: {e}")
        return 2
    if a.plots_only:
        try:
            paths = plots.draw_plots(records, meta, a.out)
        except ImportError as e:
            say(f"bench: no plots: {e}")
            return 1
        say(", ".join(xcall_qemu.rel(p) for p in paths))
        return 0
    say(*tables(records))
    if not a.no_plots:
        make_plots(records, meta, a.out, os.path.abspath(a.from_json))
    return 0


def cmd_bench(a):
    try:
        only = re.compile(a.only) if a.only else None
    except re.error as e:
        say(f"bench: --only: {e}")
        return 2
    configs = [c for c in matrix_configs(a.smp, a.apic, a.idle, a.accel,
                                         a.machine)
               if not only or only.search(c.name) or only.search(c.label)]
    if not configs:
        say("bench: no configuration" +
            (f" matches --only '{a.only}'" if a.only else ""))
        return 2
    version = xcall_qemu.qemu_version()
    if a.list:
        for rep, c, k in schedule(configs, a.kernels, a.reps):
            b = boot_for(c, a.iters, a.timeout, k, METHODS,
                         wants_core_matrix(rep, c, configs))
            reason = skip_why(b, k, c, version, a.iso)
            say(f"r{rep} {c.name:<18} {k:<6} " +
                (b.describe(a.accel) if b else "") +
                (f"  [skipped: {reason}]" if reason else ""))
        return 0
    if version is None:
        say(f"bench: cannot run {xcall_qemu.QEMU} --version: is QEMU installed? "
            f"(scripts/install-deps.sh run)")
        return 1
    try:
        xcall_qemu.check_accel(a.accel)
    except xcall_qemu.SetupError as e:
        say(f"bench: {e}")
        return 1
    iters = f"bench_iters={a.iters}" if a.iters else "the kernel's iteration count"
    say(f"bench: QEMU {xcall_qemu.version_str(version)}, {a.accel}, "
        f"{len(configs)} configurations x {', '.join(a.kernels)} x {a.reps} "
        f"rounds, one boot at a time, {iters}, {a.timeout:g} s each; "
        f"logs in {xcall_qemu.rel(os.path.join(a.out, 'logs'))}/")
    t0 = time.monotonic()
    boots = run_matrix(configs, a, version)
    records = [r for b in boots for r in b.records]
    path = os.path.join(a.out, RESULTS)
    meta = metadata(a, boots)
    failed = [b for b in boots if b.status == "failed"]
    skipped = [b for b in boots if b.status == "skipped"]
    took = f"bench: {len(boots)} boots in {time.monotonic() - t0:.0f} s"
    if records:
        write_json(path, meta, records)
        cpath = os.path.join(a.out, COMPARE)
        write_compare(cpath, benchcmp.rows(records))
        say("", f"{took}, {len(records)} results in {xcall_qemu.rel(path)}, "
            f"the comparison in {xcall_qemu.rel(cpath)}", "")
    else:
        # A run that measured nothing must not wipe out one that did.
        say("", f"{took}, no results; {xcall_qemu.rel(path)} left as it was", "")
    say(*tables(records))
    matrix_missing = not write_matrix(boots, a.out, not a.no_plots) and \
        matrix_expected(configs, a.kernels)
    if not a.no_plots:
        say("")
        make_plots(records, meta, a.out, os.path.abspath(path))
    else:
        say("", "bench: no plots, as asked (--no-plots; NO_PLOTS=1 from make)")
    for b in skipped:
        say(f"bench: skipped {b.name}: {b.why}")
    for b in failed:
        say(f"bench: FAILED {b.name}: {b.why} (log {b.log})")
    if matrix_missing:
        say("bench: FAILED: this run should have measured the core-to-core "
            "matrix and no boot has a whole one (see NO CORE-TO-CORE MATRIX above)")
    if failed or matrix_missing:
        return 1
    return 0


def main(argv=None):
    a = parse_args(argv)

    # SIGTERM (make killed, CI's timeout) ends QEMU like Ctrl-C does.
    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        return cmd_from_json(a) if a.from_json else cmd_bench(a)
    except BrokenPipeError:
        # stdout's reader went away: quietly (stdout becomes /dev/null, or
        # Python complains when it flushes it at exit). A listing cut short
        # (bench.py --list | head) got what it wanted; anything else did
        # not say its results, which is no success: the shell's status for
        # a process that SIGPIPE ended.
        xcall_qemu.kill_all()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0 if a.list else 128 + signal.SIGPIPE
    except KeyboardInterrupt:
        xcall_qemu.kill_all()
        say("", "bench: interrupted")
        return 130
    finally:
        xcall_qemu.kill_all()


if __name__ == "__main__":
    sys.exit(main())
