# SPDX-License-Identifier: MIT
"""
xcall beside Linux: the rows of build/bench/compare.json and their table,
from the records of one `make bench` run (tools/bench.py).

Pure, like tools/benchfmt.py: records in, rows and lines out. A record is
a BENCH object as tools/bench.py keeps it, with the boot's "kernel"
("xcall" or "linux"), "rep" (1, 2, ...: the interleaved round it came
from), "smp" and "idle" (the comparison's idle mode: hlt, poll, default).

One row per figure, CPU count, idle mode and method:

  {"figure", "smp", "idle", "method", "xcall_p50_ns", "linux_p50_ns",
   "ratio", "xcall_spread", "linux_spread", "reps", "target"}

  xcall_p50_ns, linux_p50_ns  the median over the rounds of each boot's
                p50, in ns per call (throughput: per call of a batch)
  ratio         the median over the rounds of xcall's p50 / Linux's p50
                in that round: pairs of boots run one after the other, so
                the host's slow minutes fall on both. Below 1: xcall is
                faster, for every figure, throughput included
  *_spread      (max - min) / median of that kernel's p50s over the rounds:
                how much the host moved them
  reps          the rounds with both kernels' figure
  target        the issue's goal for the ratio: 0.5 for poll and for async
                throughput, 1.0 elsewhere; None for pingpong, which is a
                control (the same emulated cache line under both kernels)
  throughput rows add xcall_ipis_per_call and linux_ipis_per_call.

call_single is the mean of the p50s to every other CPU: at -smp 4 the
three targets are the same path, and one figure per boot keeps the rows
readable. Nothing here judges a value: benchmarks are not tests.
"""

import statistics

import benchfmt

KERNELS = ("xcall", "linux")
# The comparison's idle modes (tools/linux_bench.py maps them to idle=).
IDLES = ("hlt", "poll", "default")
# What both kernels measure, in table order.
FIGURES = ("pingpong", "call_single", "call_self", "on_each_cpu", "call_many",
           "tput_1to1", "tput_nto1", "tput_all", "bringup")
CONTROL = ("pingpong",)
BOOT = "boot"                           # bringup's method: once per boot
FIELDS = ("figure", "smp", "idle", "method", "xcall_p50_ns", "linux_p50_ns",
          "ratio", "xcall_spread", "linux_spread", "reps", "target")


def figure_methods(figure):
    """The methods a figure is measured in."""
    if figure in benchfmt.PER_METHOD:
        return benchfmt.METHODS
    if figure == "bringup":
        return (BOOT,)
    return ("back-to-back",)


def target(figure, idle):
    """The ratio the issue asks for: at most 0.5 for a polling target and
    for async throughput, at most 1.0 elsewhere; None for the control."""
    if figure in CONTROL:
        return None
    if idle == "poll" or figure in benchfmt.THROUGHPUT:
        return 0.5
    return 1.0


def value(records, figure, method):
    """(p50 in ns, IPIs per call or None) of @figure in one boot's
    @records, or None when the boot did not measure it."""
    if figure == "call_single":
        p50s = [r["p50"] for r in records if r["name"] == figure and
                r.get("method") in (None, method)]
        return (sum(p50s) / len(p50s), None) if p50s else None
    r = benchfmt.find(records, figure,
                      method=None if method == BOOT else method)
    if r is None:
        return None
    return r["p50"], r.get("ipis_per_call")


def _median(values):
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


def spread(values):
    """(max - min) / median of @values, or None without two of them."""
    vals = [v for v in values if v is not None]
    if len(vals) < 2:
        return None
    mid = statistics.median(vals)
    return round((max(vals) - min(vals)) / mid, 3) if mid else None


def boots(records):
    """{(smp, idle, kernel, rep): [records]} of a run."""
    out = {}
    for r in records:
        k = (r["smp"], r["idle"], r.get("kernel", r.get("os", "xcall")),
             r.get("rep", 1))
        out.setdefault(k, []).append(r)
    return out


def xcall_view(records):
    """xcall's records of the first round of each configuration: what
    tools/bench.py's per-configuration table and plots show (one boot per
    configuration, as before there were rounds)."""
    first = {}
    for r in records:
        if r.get("kernel", r.get("os", "xcall")) != "xcall":
            continue
        c = r.get("config")
        first[c] = min(first.get(c, r.get("rep", 1)), r.get("rep", 1))
    return [r for r in records if r.get("kernel", r.get("os", "xcall")) == "xcall"
            and r.get("rep", 1) == first[r.get("config")]]


def _order(seq, v):
    return seq.index(v) if v in seq else len(seq)


def rows(records):
    """compare.json's rows for a run's records, in table order: CPU count,
    idle mode, figure, method."""
    by_boot = boots(records)
    configs = sorted({(smp, idle) for smp, idle, _, _ in by_boot},
                     key=lambda c: (c[0], _order(IDLES, c[1]), c[1]))
    out = []
    for smp, idle in configs:
        reps = sorted({rep for s, i, _, rep in by_boot if (s, i) == (smp, idle)})
        for figure in FIGURES:
            for method in figure_methods(figure):
                got = {k: [] for k in KERNELS}
                ipis = {k: [] for k in KERNELS}
                ratios = []
                for rep in reps:
                    pair = {}
                    for k in KERNELS:
                        v = value(by_boot.get((smp, idle, k, rep), []), figure,
                                  method)
                        if v is not None:
                            pair[k] = v[0]
                            got[k].append(v[0])
                            ipis[k].append(v[1])
                    if len(pair) == 2 and pair["linux"]:
                        ratios.append(pair["xcall"] / pair["linux"])
                if not got["xcall"] and not got["linux"]:
                    continue
                row = {"figure": figure, "smp": smp, "idle": idle,
                       "method": method,
                       "xcall_p50_ns": _round(_median(got["xcall"])),
                       "linux_p50_ns": _round(_median(got["linux"])),
                       "ratio": _round(_median(ratios), 3),
                       "xcall_spread": spread(got["xcall"]),
                       "linux_spread": spread(got["linux"]),
                       "reps": len(ratios),
                       "target": target(figure, idle)}
                if figure in benchfmt.THROUGHPUT:
                    for k in KERNELS:
                        row[f"{k}_ipis_per_call"] = _round(_median(ipis[k]), 3)
                out.append(row)
    return out


def _round(v, digits=0):
    if v is None:
        return None
    return round(v, digits) if digits else int(round(v))


def above_target(rows_):
    """The rows whose ratio misses its target (None: no target or ratio)."""
    return [r for r in rows_ if r["target"] is not None and
            r["ratio"] is not None and r["ratio"] > r["target"]]


# ---------------------------------------------------------------------------
# The table.

def _time(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            v = ns / scale
            return f"{v:.3g}{unit}" if v < 100 else f"{v:.0f}{unit}"
    return f"{ns:.0f}ns"


def _num(v, fmt="{:.2f}"):
    return "-" if v is None else fmt.format(v)


def _spread(v):
    """A spread in at most four characters: one round far off the others
    (a host that stalled a vCPU) makes it run to thousands."""
    if v is None:
        return "-"
    if v >= 1e3:
        return f"{v / 1e3:.0f}k"
    return f"{v:.0f}" if v >= 10 else f"{v:.2f}" if v < 1 else f"{v:.1f}"


def table(rows_):
    """The comparison as lines of at most 100 characters: one per row,
    grouped by CPU count and idle mode, '<-' where a ratio misses its
    target."""
    if not rows_:
        return ["(no comparison: no figure from both kernels)"]
    lines = ["xcall / Linux: p50 per call, each the median over interleaved "
             "rounds; ratio below 1: xcall faster",
             f"{'  figure':<14}{'method':<13}{'xcall':>9}{'Linux':>9}"
             f"{'ratio':>8}{'target':>8}  {'spread x/L':<13}{'IPIs/call x/L':<14}"
             f"{'reps':>4}"]
    last = None
    for r in rows_:
        if (r["smp"], r["idle"]) != last:
            last = (r["smp"], r["idle"])
            lines.append(f"-smp {r['smp']}, idle {r['idle']}:")
        mark = " <-" if r in above_target([r]) else ""
        ipis = ""
        if "xcall_ipis_per_call" in r:
            ipis = (f"{_num(r['xcall_ipis_per_call'], '{:.3f}')}/"
                    f"{_num(r['linux_ipis_per_call'], '{:.3f}')}")
        sp = f"{_spread(r['xcall_spread'])}/{_spread(r['linux_spread'])}"
        lines.append((f"  {r['figure']:<12}{r['method']:<13}"
                      f"{_time(r['xcall_p50_ns']):>9}{_time(r['linux_p50_ns']):>9}"
                      f"{_num(r['ratio']):>8}{_num(r['target'], '{:.1f}'):>8}  "
                      f"{sp:<13}{ipis:<14}{r['reps']:>4}{mark}").rstrip())
    missed = above_target(rows_)
    lines.append(f"{len(missed)} of {len([r for r in rows_ if r['target']])} "
                 f"rows miss their target (<-); pingpong is a control: the "
                 f"same cache line under both kernels")
    return lines
