#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
make bench-scale: how bring-up and on_each_cpu grow with the CPU count,
for xcall and for Linux, one boot per kernel and CPU count.

  bench_scale.py [--smp 2,4,8,16,64,288] [--kernels xcall,linux]
                 [--linux-max-cpus 64] [--max-cpus 512] [--accel tcg]
                 [--iso PATH] [--out DIR] [--no-plots]
  bench_scale.py --from-json FILE [--out DIR] [--plots-only]

Each boot is q35, idle=hlt (Linux's idle=halt), with the kernel option
`bench_scale` (xcall's kernel/bench.c and the Linux module both measure
only on_each_cpu, settled and back to back, and report the bring-up
time). xAPIC up to 255 CPUs, x2APIC above (xAPIC IDs stop at 254).
xcall's on_each_cpu lines carry ipis_per_call (targets interrupted) and
icr_writes_per_call (the sender's ICR writes); Linux's carry
ipis_per_call only (the CAL row of /proc/interrupts; Linux keeps no
count of ICR writes).

Sample count: samples(cpus) = SCALE_CALL_BUDGET // cpus, clamped to
[SCALE_MIN_SAMPLES, SCALE_MAX_SAMPLES]: every call of on_each_cpu costs
about one wake-up per CPU, so the run's work stays near the budget of
CPU-wake-ups per figure whatever the count (1000 samples at 2-8 CPUs, 125
at 64, 27 at 288).

--max-cpus is the kernel's NR_CPUS (make passes $(NR_CPUS), as it does
to tools/xcall.py): an --smp count above it is refused before any boot.

Linux boots above --linux-max-cpus (LINUX_SCALE_MAX_CPUS in make) are
left out, and the JSON says so: Debian's kernel under TCG takes minutes
to boot with many CPUs on a two-core host.

Out (build/bench/ or --out): scale-logs/<kernel>-smp<N>.log, scale.json
{"metadata": {date, host, load, qemu, commit, rule, command, boots},
"rows": [one per kernel, CPU count and method: kernel, cpus (asked),
online, apic, method, samples, on_each_cpu_p50_ns, _p90_ns,
ipis_per_call, icr_writes_per_call (None on Linux), bringup_ns]}, and
bench-scale.png / .svg (log x axis).

Exit status: 0 when every boot that ran gave whole lines; 1 otherwise;
2 for bad arguments. Benchmarks are not tests: no value is judged.
"""

import argparse
import datetime
import json
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench                            # noqa: E402
import benchfmt                         # noqa: E402
import linux_bench                      # noqa: E402
import xcall_qemu                       # noqa: E402

SMPS = (2, 4, 8, 16, 64, 288)
KERNELS = ("xcall", "linux")
# The kernel's NR_CPUS when --max-cpus is not given: the Makefile's
# default, as tools/xcall.py's DEFAULT_MAX_CPUS; make passes its NR_CPUS.
MAX_CPUS = 512
# Linux's boots stop at this many CPUs (make's LINUX_SCALE_MAX_CPUS).
LINUX_MAX_CPUS = 64
# xAPIC IDs stop at 254: above this many CPUs the boots run x2APIC.
XAPIC_MAX_CPUS = 255
# The sample rule (see the module's doc).
SCALE_CALL_BUDGET = 8000
SCALE_MIN_SAMPLES = 20
SCALE_MAX_SAMPLES = 1000
IDLE = "hlt"
MACHINE = "q35"
METHODS = "both"
# A boot's limit: QEMU and firmware start, bring-up, the figures. 288
# vCPUs on two host cores took about a minute for xcall; Linux's boot
# grows faster with the CPU count. The limit only catches a hang.
BASE_TIMEOUT_S = 180
TIMEOUT_S_PER_CPU = {"xcall": 2, "linux": 15}
# xcall's wait for its APs in these boots (the kernel's default is 2000
# ms): long enough that host load does not leave CPUs out of the curve.
SMPBOOT_TIMEOUT_MS = 20000
SCALE_JSON = "scale.json"
PLOT_STEM = "bench-scale"
ROW_KEYS = ("kernel", "cpus", "online", "apic", "method", "samples",
            "on_each_cpu_p50_ns", "on_each_cpu_p90_ns", "ipis_per_call",
            "icr_writes_per_call", "bringup_ns")


def say(*lines):
    bench.say(*lines)


def samples_for(cpus):
    """on_each_cpu samples for a boot of @cpus CPUs (the module's rule)."""
    return max(SCALE_MIN_SAMPLES, min(SCALE_MAX_SAMPLES,
                                      SCALE_CALL_BUDGET // max(cpus, 1)))


def apic_for(cpus):
    return "x2apic" if cpus > XAPIC_MAX_CPUS else "xapic"


def timeout_for(cpus, kernel):
    return BASE_TIMEOUT_S + TIMEOUT_S_PER_CPU[kernel] * cpus


def plan(smps, kernels, linux_max):
    """[(kernel, cpus)] in the order they boot (xcall then Linux at each
    count), and [(kernel, cpus, why)] left out."""
    run, left = [], []
    for n in smps:
        for k in kernels:
            if k == "linux" and n > linux_max:
                left.append((k, n, f"more than {linux_max} CPUs "
                                   f"(LINUX_SCALE_MAX_CPUS)"))
            else:
                run.append((k, n))
    return run, left


def boot_entry(cpus, kernel, accel):
    cfg = bench.Config(cpus, apic_for(cpus), IDLE, accel, MACHINE)
    boot = bench.boot_for(cfg, samples_for(cpus), timeout_for(cpus, kernel),
                          kernel=kernel, methods=METHODS, core_matrix=False)
    boot.options += " bench_scale"
    if kernel == "xcall":
        # 288 vCPUs on a loaded two-core host: the default 2 s left three
        # APs out in a trial run (and then no shorthand either).
        boot.options += f" smpboot_timeout_ms={SMPBOOT_TIMEOUT_MS}"
    boot.name = f"{kernel}-smp{cpus}"
    return cfg, boot


def check_scale(parsed):
    """The problems with one bench_scale boot's lines; [] if whole: an
    on_each_cpu line per method and a bringup line, agreeing on the CPU
    count, and "bench: done"."""
    bad = list(parsed.errors)
    recs = parsed.records
    if not parsed.lines:
        bad.append("no BENCH line in the log")
    for m in benchfmt.METHODS:
        if not any(r["name"] == "on_each_cpu" and r.get("method") == m
                   for r in recs):
            bad.append(f"no on_each_cpu ({m}) line")
    if not any(r["name"] == "bringup" for r in recs):
        bad.append("no bringup line")
    cpus = {r["cpus"] for r in recs}
    if len(cpus) > 1:
        bad.append("lines disagree on cpus: " + ", ".join(map(str, sorted(cpus))))
    if not parsed.done:
        bad.append(f"no '{benchfmt.DONE}' line: the benchmarks did not finish")
    return bad


def rows_of(kernel, cpus, apic, records):
    """scale.json rows (one per method) from one boot's good records."""
    bring = next((r for r in records if r["name"] == "bringup"), None)
    out = []
    for r in records:
        if r["name"] != "on_each_cpu":
            continue
        out.append({
            "kernel": kernel, "cpus": cpus, "online": r["cpus"],
            "apic": r.get("apic", apic), "method": r.get("method"),
            "samples": r["n"], "on_each_cpu_p50_ns": r["p50"],
            "on_each_cpu_p90_ns": r["p90"],
            "ipis_per_call": r.get("ipis_per_call"),
            "icr_writes_per_call": r.get("icr_writes_per_call"),
            "bringup_ns": bring["p50"] if bring else None})
    return out


def run_one(kernel, cpus, a, logdir):
    cfg, boot = boot_entry(cpus, kernel, a.accel)
    log = os.path.join(logdir, boot.name + ".log")
    meta = {"kernel": kernel, "cpus": cpus, "apic": cfg.apic,
            "samples": samples_for(cpus), "log": xcall_qemu.rel(log),
            "host_load_before": round(os.getloadavg()[0], 2)}
    why = bench.skip_why(boot, kernel, cfg, a.qemu_version, a.iso)
    if why:
        meta.update(status="skipped", why=why)
        return meta, []
    t0 = time.monotonic()
    ending, text = xcall_qemu.boot_qemu(boot, a.accel, a.iso, log)
    meta["seconds"] = round(time.monotonic() - t0, 1)
    parsed = benchfmt.parse(text)
    problems = check_scale(parsed)
    if ending.kind != "success":
        problems.insert(0, bench.ktap.describe(ending))
    meta["status"] = "failed" if problems else "ok"
    if problems:
        meta["problems"] = problems
    return meta, rows_of(kernel, cpus, cfg.apic, parsed.records)


def metadata(a, boots, left):
    qemu = bench._run([xcall_qemu.QEMU, "--version"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "host_cpu": bench.host_cpu_model(),
        "host_cores": os.cpu_count(),
        "qemu": qemu.split("\n")[0] if qemu else None,
        "git_commit": bench.git_commit(),
        "accel": a.accel, "machine": MACHINE, "idle": IDLE,
        "linux": linux_bench.version(a.iso) if "linux" in a.kernels else None,
        "sample_rule": (f"max({SCALE_MIN_SAMPLES}, min({SCALE_MAX_SAMPLES}, "
                        f"{SCALE_CALL_BUDGET} // cpus))"),
        "linux_max_cpus": a.linux_max_cpus,
        "command": " ".join(["tools/bench_scale.py"] + list(a.argv)),
        "boots": boots,
        "left_out": [{"kernel": k, "cpus": n, "why": w} for k, n, w in left],
    }


def write_json(path, meta, rows):
    bench.write_json(path, meta, rows, key="rows")


def load_json(path):
    """(metadata, rows) of a scale.json; raises ValueError if bad."""
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: {e}")
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise ValueError(f"{path}: no list 'rows'")
    for i, r in enumerate(data["rows"]):
        missing = [k for k in ROW_KEYS if not isinstance(r, dict) or k not in r]
        if missing:
            raise ValueError(f"{path}: row {i}: missing {', '.join(missing)}")
        if r["kernel"] not in KERNELS:
            raise ValueError(f"{path}: row {i}: kernel {r['kernel']!r}")
    return data.get("metadata") or {}, data["rows"]


def _fmt_ns(v):
    if v is None:
        return "-"
    for div, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "us")):
        if v >= div:
            return f"{v / div:.3g} {unit}"
    return f"{v:.0f} ns"


def table(rows):
    """The text table: one line per kernel, CPU count and method."""
    head = (f"{'kernel':<6} {'cpus':>5} {'online':>6} {'apic':<6} "
            f"{'method':<12} {'n':>5} {'p50':>9} {'p90':>9} {'IPIs':>7} "
            f"{'ICR wr':>7} {'bring-up':>9}")
    out = [head, "-" * len(head)]
    for r in sorted(rows, key=lambda r: (r["method"] or "", r["kernel"], r["cpus"])):
        out.append(
            f"{r['kernel']:<6} {r['cpus']:>5} {r['online']:>6} {r['apic']:<6} "
            f"{r['method'] or '-':<12} {r['samples']:>5} "
            f"{_fmt_ns(r['on_each_cpu_p50_ns']):>9} "
            f"{_fmt_ns(r['on_each_cpu_p90_ns']):>9} "
            f"{'-' if r['ipis_per_call'] is None else r['ipis_per_call']:>7} "
            f"{'-' if r['icr_writes_per_call'] is None else r['icr_writes_per_call']:>7} "
            f"{_fmt_ns(r['bringup_ns']):>9}")
    return out


def series(rows, kernel, method, key):
    """[(cpus, value)] of @key for one kernel and method, by CPU count."""
    pts = sorted((r["cpus"], r[key]) for r in rows
                 if r["kernel"] == kernel and r["method"] == method
                 and r[key] is not None)
    return pts


def draw(rows, meta, out):
    """bench-scale.png and .svg: bring-up, on_each_cpu p50 (both
    methods) and IPIs / ICR writes per call against the CPU count, log x.
    Return the paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    colors = {"xcall": "tab:blue", "linux": "tab:orange"}
    styles = {"settled": "-", "back-to-back": "--"}
    ax = axes[0]
    for k in KERNELS:
        pts = series(rows, k, "settled", "bringup_ns") or \
            series(rows, k, "back-to-back", "bringup_ns")
        if pts:
            ax.plot([p[0] for p in pts], [p[1] / 1e6 for p in pts], "o-",
                    color=colors[k], label=k)
    ax.set_title("bring-up (ms)")
    ax.set_ylabel("ms")
    ax.set_yscale("log")
    ax = axes[1]
    for k in KERNELS:
        for m in benchfmt.METHODS:
            pts = series(rows, k, m, "on_each_cpu_p50_ns")
            if pts:
                ax.plot([p[0] for p in pts], [p[1] / 1e3 for p in pts], "o",
                        linestyle=styles[m], color=colors[k], label=f"{k}, {m}")
    ax.set_title("on_each_cpu(wait=1), p50 (µs)")
    ax.set_ylabel("µs")
    ax.set_yscale("log")
    ax = axes[2]
    for k in KERNELS:
        # xcall counts the targets it interrupted, Linux the function-call
        # interrupts its CPUs took (merged ones count once).
        pts = series(rows, k, "settled", "ipis_per_call")
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-",
                    color=colors[k], label=f"{k}: IPIs " +
                    ("sent" if k == "xcall" else "taken"))
        pts = series(rows, k, "settled", "icr_writes_per_call")
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "s:",
                    color=colors[k], label=f"{k}: ICR writes")
    ax.set_title("per on_each_cpu (settled)")
    ax.set_yscale("symlog", linthresh=1)
    for ax in axes:
        ax.set_xscale("log", base=2)
        ax.set_xlabel("CPUs (q35, TCG; x2APIC above 255)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    cpus = sorted({r["cpus"] for r in rows})
    for ax in axes:
        ax.set_xticks(cpus)
        ax.set_xticklabels([str(c) for c in cpus])
    fig.suptitle(f"make bench-scale, {meta.get('date', '?')}, "
                 f"{meta.get('host_cpu', '?')} ({meta.get('host_cores', '?')} "
                 f"cores), {meta.get('qemu', '?')}", fontsize="small")
    fig.tight_layout()
    os.makedirs(out, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        p = os.path.join(out, f"{PLOT_STEM}.{ext}")
        fig.savefig(p, dpi=110)
        paths.append(p)
    plt.close(fig)
    return paths


def drop_stale_plots(out):
    """Remove an earlier run's bench-scale.png/.svg from @out, so that no
    plot sits beside a scale.json it was not drawn from. Return the
    paths removed."""
    gone = []
    for ext in ("png", "svg"):
        p = os.path.join(out, f"{PLOT_STEM}.{ext}")
        if os.path.exists(p):
            os.unlink(p)
            gone.append(p)
    return gone


def make_plots(rows, meta, out, json_path):
    """Draw here, or with the system's python3 (bench.py's rule)."""
    if not rows:
        say("bench-scale: no results, no plots")
        return True
    why = bench.find_matplotlib()
    if not why:
        paths = draw(rows, meta, out)
        say("bench-scale: plots: " + ", ".join(xcall_qemu.rel(p) for p in paths))
        return True
    other = bench.system_python()
    if other:
        import subprocess
        p = subprocess.run([other, os.path.abspath(__file__), "--from-json",
                            json_path, "--out", out, "--plots-only"],
                           capture_output=True, text=True)
        if p.returncode == 0:
            say(f"bench-scale: drawn by {other}: {p.stdout.strip()}")
            return True
        why += f"; {other} failed: {(p.stdout + p.stderr).strip()[-200:]}"
    say(f"bench-scale: PLOTS SKIPPED: no matplotlib ({why}); scale.json is "
        f"complete: tools/bench_scale.py --from-json {xcall_qemu.rel(json_path)}")
    return False


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="bench_scale.py", description="Bring-up and on_each_cpu "
        "against the CPU count, xcall and Linux; scale.json and a plot.")
    ap.add_argument("--smp", type=bench._smp_list, default=list(SMPS))
    ap.add_argument("--kernels", type=bench._list("--kernels", KERNELS),
                    default=list(KERNELS))
    ap.add_argument("--linux-max-cpus", type=int, default=LINUX_MAX_CPUS)
    ap.add_argument("--max-cpus", type=int, default=MAX_CPUS,
                    help="the kernel's NR_CPUS: the most CPUs it supports")
    ap.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    ap.add_argument("--iso", default=os.path.join(xcall_qemu.BUILD, "xcall.iso"))
    ap.add_argument("--out", default=bench.OUT)
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--from-json", metavar="FILE")
    ap.add_argument("--plots-only", action="store_true")
    a = ap.parse_args(argv)
    if a.linux_max_cpus < 1:
        ap.error("--linux-max-cpus (LINUX_SCALE_MAX_CPUS) must be 1 or more")
    if a.max_cpus < 1:
        ap.error("--max-cpus (NR_CPUS) must be 1 or more")
    too_many = [n for n in a.smp if n > a.max_cpus]
    if too_many:
        ap.error(f"--smp (SCALE_SMP): {too_many[0]} CPUs is more than the "
                 f"kernel's NR_CPUS, {a.max_cpus}")
    a.argv = list(argv)
    return a


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    a = parse_args(argv)
    if a.from_json:
        try:
            meta, rows = load_json(a.from_json)
        except ValueError as e:
            say(f"bench-scale: {e}")
            return 1
        if not a.plots_only:
            say(*table(rows))
        if a.no_plots:
            return 0
        if a.plots_only:
            draw(rows, meta, a.out)
            say(", ".join(xcall_qemu.rel(os.path.join(a.out, f"{PLOT_STEM}.{e}"))
                          for e in ("png", "svg")))
            return 0
        return 0 if make_plots(rows, meta, a.out, a.from_json) else 1
    run, left = plan(a.smp, a.kernels, a.linux_max_cpus)
    a.qemu_version = xcall_qemu.qemu_version()
    logdir = os.path.join(a.out, "scale-logs")
    boots, rows = [], []
    for kernel, cpus in run:
        say(f"bench-scale: {kernel} at -smp {cpus} ({apic_for(cpus)}, "
            f"{samples_for(cpus)} samples)...")
        meta, got = run_one(kernel, cpus, a, logdir)
        boots.append(meta)
        rows += got
        say(f"  {meta['status']}" + (f" in {meta['seconds']} s" if "seconds" in meta else "")
            + (f": {meta.get('why') or meta['problems'][0]}"
               if meta["status"] != "ok" else ""))
    for k, n, w in left:
        say(f"bench-scale: {k} at -smp {n} left out: {w}")
    meta = metadata(a, boots, left)
    path = os.path.join(a.out, SCALE_JSON)
    write_json(path, meta, rows)
    drop_stale_plots(a.out)
    say(*table(rows))
    say(f"bench-scale: {xcall_qemu.rel(path)}")
    ok = all(b["status"] != "failed" for b in boots)
    if not a.no_plots:
        ok &= make_plots(rows, meta, a.out, path)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
