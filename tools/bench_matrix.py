#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The core-to-core matrix: kernel/bench_matrix.c's MATRIX lines read into
build/bench/matrix.json, and drawn as three heatmaps.

With the kernel option `bench` (and bench_matrix_iters= not 0), after
the other benchmarks, the kernel prints for every ordered pair of online
CPUs (caller, target), caller != target, one line per figure:

  MATRIX {"figure": "raw_ipi", "caller": 1, "target": 2, "cpus": 4,
          "unit": "ns", "n": 100, "min": .., "p50": .., "p90": .., "p99": ..,
          "max": .., "mean": .., "method": "settled"}

then "bench_matrix: done". The figures: pingpong (a cache line bounced
between the two CPUs), raw_ipi (a bare IPI and the flag its handler
sets), call_single (smp_call_function_single with wait=1).

matrix.json (documented in README.md):

  {"smp": 4, "unit": "ns", "statistic": "p50", "rows": "caller",
   "columns": "target", "figures": {"pingpong": [[null, 588, ...], ...],
   "raw_ipi": [...], "call_single": [...]}, "n": {figure: samples},
   "method": {figure: "settled" | "back-to-back"}, "source": "<log>"}

figures[f][i][j] is the p50 of caller CPU i to target CPU j in ns; the
diagonal is null (a CPU is not its own partner). A pair missing from the
log, a pair twice, a line about the diagonal or a CPU out of range is an
error, never a silent hole. Heatmaps: bench-matrix-<figure>.png/.svg
(matplotlib), values in the cells, caller rows and target columns.

  bench_matrix.py LOG [--out DIR] [--no-plots]
      Read LOG, write DIR/matrix.json (default build/bench) and the plots.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True          # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchfmt                         # noqa: E402

PREFIX = "MATRIX "
DONE = "bench_matrix: done"
FIGURES = ("pingpong", "raw_ipi", "call_single")
TITLES = {"pingpong": "cache-line ping-pong round trip",
          "raw_ipi": "raw IPI round trip",
          "call_single": "smp_call_function_single(wait=1) round trip"}
METHODS = ("settled", "back-to-back")
JSON_NAME = "matrix.json"
# A cell lighter than this (luma, 0 to 1) gets black text, else white.
LIGHT_LUMA = 0.5
REQUIRED = {"figure": "str", "caller": "int", "target": "int", "cpus": "int",
            "unit": "str", "n": "int", "min": "num", "p50": "num", "p90": "num",
            "p99": "num", "max": "num", "mean": "num", "method": "str"}


class MatrixError(ValueError):
    """The lines do not make a whole matrix; the message lists why."""


def _check(rec):
    if not isinstance(rec, dict):
        return ["not a JSON object"]
    bad = [f"missing {k}" for k in REQUIRED if k not in rec]
    if bad:
        return bad
    for k, kind in REQUIRED.items():
        if not benchfmt._kind_ok(rec[k], kind):
            bad.append(f"{k} is {json.dumps(rec[k])}")
    if bad:
        return bad
    if rec["figure"] not in FIGURES:
        bad.append(f"unknown figure '{rec['figure']}'")
    if rec["method"] not in METHODS:
        bad.append(f"unknown method '{rec['method']}'")
    if rec["unit"] != "ns":
        bad.append(f"unit '{rec['unit']}' is not 'ns'")
    if rec["n"] < 1:
        bad.append("n < 1")
    values = [rec[k] for k in benchfmt.ORDERED]
    if values != sorted(values) or min(values) < 0:
        bad.append("not 0 <= min <= p50 <= p90 <= p99 <= max")
    cpus = rec["cpus"]
    for k in ("caller", "target"):
        if not 0 <= rec[k] < cpus:
            bad.append(f"{k} {rec[k]} is not a CPU of {cpus}")
    if rec["caller"] == rec["target"]:
        bad.append(f"caller and target are both CPU {rec['caller']}")
    return bad


def parse(text):
    """A serial log -> ([records], done, [errors]). Never raises."""
    records, errors, done = [], [], False
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = benchfmt._clean(raw)
        if line == DONE:
            done = True
            continue
        if not line.startswith(PREFIX):
            continue
        rec, why = benchfmt.decode(line[len(PREFIX):])
        problems = [why] if why else _check(rec)
        if problems:
            errors.append(f"line {lineno}: " + "; ".join(problems))
        else:
            records.append(rec)
    return records, done, errors


# What one sample of each figure is, for matrix.json's readers.
WHAT = {"pingpong": "round trip: the caller writes the line, the target answers "
                    "(2 cache-line transfers)",
        "raw_ipi": "round trip: the bare IPI, then the target handler's flag",
        "call_single": "round trip: smp_call_function_single(wait=1) of a nop"}
# Said once per boot on each line: must be the same on all (absent from
# logs before the kernel printed them: then null in matrix.json).
BOOT_FIELDS = ("apic", "idle")


def build(records, source=""):
    """The records of one boot -> the matrix.json object.

    Raises MatrixError listing every missing or doubled pair."""
    if not records:
        raise MatrixError("no MATRIX line")
    cpus = {r["cpus"] for r in records}
    if len(cpus) != 1:
        raise MatrixError(f"the lines disagree on the CPU count: {sorted(cpus)}")
    n = cpus.pop()
    grid = {f: [[None] * n for _ in range(n)] for f in FIGURES}
    samples, methods, bad = {}, {}, []
    for r in records:
        f, i, j = r["figure"], r["caller"], r["target"]
        if grid[f][i][j] is not None:
            bad.append(f"{f} from CPU {i} to CPU {j} twice")
        grid[f][i][j] = r["p50"]
        for k, per in (("n", samples), ("method", methods)):
            if per.setdefault(f, r[k]) != r[k]:
                bad.append(f"{f} from CPU {i} to CPU {j}: {k} {r[k]!r}, the "
                           f"figure's other lines {per[f]!r}")
    boot = {}
    for k in BOOT_FIELDS:
        seen = sorted({str(r.get(k)) for r in records})
        if len(seen) != 1:
            bad.append(f"the lines disagree on {k}: {seen}")
        boot[k] = records[0].get(k)
    for f in FIGURES:
        missing = [f"{i}->{j}" for i in range(n) for j in range(n)
                   if i != j and grid[f][i][j] is None]
        if missing:
            bad.append(f"{f}: no line for caller->target " + ", ".join(missing))
    if bad:
        raise MatrixError("; ".join(bad))
    return {"smp": n, "unit": "ns", "statistic": "p50", "rows": "caller",
            "columns": "target", "figures": grid, "n": samples,
            "method": methods, "what": dict(WHAT), "apic": boot["apic"],
            "idle": boot["idle"], "source": source}


def from_log(text, source=""):
    """A log -> the matrix object. Raises MatrixError."""
    records, done, errors = parse(text)
    if errors:
        raise MatrixError("; ".join(errors))
    if not done:
        raise MatrixError(f"no '{DONE}' line")
    return build(records, source)


def check_json(obj):
    """The problems with a matrix.json object; [] when its shape is right."""
    bad = []
    if not isinstance(obj, dict):
        return ["not a JSON object"]
    n = obj.get("smp")
    if not isinstance(n, int) or n < 2:
        return [f"smp is {n!r}"]
    figs = obj.get("figures")
    if not isinstance(figs, dict) or set(figs) != set(FIGURES):
        return [f"figures must be exactly {', '.join(FIGURES)}"]
    for f, m in figs.items():
        if not (isinstance(m, list) and len(m) == n and
                all(isinstance(row, list) and len(row) == n for row in m)):
            bad.append(f"{f} is not {n}x{n}")
            continue
        for i in range(n):
            for j in range(n):
                v = m[i][j]
                if i == j and v is not None:
                    bad.append(f"{f}[{i}][{i}] is {v}, not null")
                elif i != j and not (isinstance(v, (int, float)) and
                                     not isinstance(v, bool) and v >= 0):
                    bad.append(f"{f}[{i}][{j}] is {v!r}, not a time")
    return bad


# A cell's width in characters (kernel/bench_matrix.c's VALUE_CHARS_MAX).
VALUE_CHARS_MAX = 6


def cell_text(ns):
    """A value as the heatmaps write it, lib/fbtext.c's format_ns_short():
    ns while its digits fit VALUE_CHARS_MAX, else the first of µs (u), ms
    (m) and s whose digits and one-letter suffix fit, rounded down; only
    past 99999 s is it longer, in s."""
    if ns is None:
        return "-"
    ns = int(ns)
    units = ("", "u", "m", "s")
    u = 0
    while len(str(ns)) + (1 if u else 0) > VALUE_CHARS_MAX and u + 1 < len(units):
        ns //= 1000
        u += 1
    return f"{ns}{units[u]}"


def plot(obj, out, fmts=("png", "svg")):
    """Draw one heatmap per figure; return the paths written.

    Colour: per map, a linear scale from its smallest to its largest p50,
    green fast, yellow half way, red slow, the same rule as the kernel's
    screen but not its colours: matplotlib's RdYlGn reversed, darker at
    both ends than the screen's VGA light green and light red (so the
    numbers there are white). The diagonal is dark grey (#404040) with
    "-", as on the screen. The title gives the samples, the method and,
    when the log had them, the idle= method and APIC mode."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    n, paths = obj["smp"], []
    for f in FIGURES:
        m = np.array([[np.nan if v is None else v for v in row]
                      for row in obj["figures"][f]], dtype=float)
        fig, ax = plt.subplots(figsize=(1.2 + 0.9 * n, 1.0 + 0.8 * n))
        cmap = matplotlib.colormaps["RdYlGn_r"].copy()
        cmap.set_bad("#404040")
        im = ax.imshow(np.ma.masked_invalid(m), cmap=cmap)
        for i in range(n):
            for j in range(n):
                # Black on the light middle of the scale, white on its
                # dark ends and on the grey diagonal (ITU-R BT.601 luma).
                r, g, b, _ = (cmap(im.norm(m[i][j])) if i != j
                              else matplotlib.colors.to_rgba("#404040"))
                light = 0.299 * r + 0.587 * g + 0.114 * b > LIGHT_LUMA
                ax.text(j, i, cell_text(obj["figures"][f][i][j]), ha="center",
                        va="center", fontsize=8,
                        color="black" if light else "white")
        ax.set_xticks(range(n))
        ax.set_yticks(range(n))
        ax.set_xlabel("target CPU")
        ax.set_ylabel("caller CPU")
        ax.set_title(f"{TITLES[f]}, p50 ns\n-smp {n}, "
                     f"{obj['n'].get(f, '?')} samples, {obj['method'].get(f, '?')}"
                     + "".join(f", {k} {obj[k]}" for k in BOOT_FIELDS if obj.get(k)),
                     fontsize=9)
        fig.colorbar(im, ax=ax, label="ns")
        fig.tight_layout()
        for ext in fmts:
            path = os.path.join(out, f"bench-matrix-{f}.{ext}")
            fig.savefig(path)
            paths.append(path)
        plt.close(fig)
    return paths


def write(obj, out):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, JSON_NAME)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    return path


def main(argv=None):
    p = argparse.ArgumentParser(description="the core-to-core matrix of a log")
    p.add_argument("log")
    p.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "bench"))
    p.add_argument("--no-plots", action="store_true")
    a = p.parse_args(argv)
    try:
        with open(a.log, errors="replace") as f:
            obj = from_log(f.read(), os.path.relpath(a.log))
    except (OSError, MatrixError) as e:
        print(f"bench_matrix: {a.log}: {e}")
        return 1
    print(f"bench_matrix: wrote {write(obj, a.out)}")
    if not a.no_plots:
        for path in plot(obj, a.out):
            print(f"bench_matrix: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
