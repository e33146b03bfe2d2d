# SPDX-License-Identifier: MIT
"""
The plots of a benchmark run, drawn with matplotlib: what tools/bench.py
shows besides its table.

  draw_plots(records, meta, out)   bench-latency, bench-overhead and
                                   bench-throughput (xcall's first round),
                                   and bench-ratio (xcall / Linux, when
                                   Linux ran), as PNG and SVG in @out

@records are results.json's "results" (BENCH objects with the boot's
configuration, kernel and round), @meta its "metadata" (for the
subtitles). The first three show one bar or box per configuration,
grouped by CPU count; benchfmt.py groups the records and gives the
ratios, benchcmp.py the rows of bench-ratio, so the plots and the tables
read the same numbers.

matplotlib is imported only inside draw_plots(): this module loads without
it, and whether and with which interpreter to draw is tools/bench.py's
call (Debian's python3-matplotlib serves the distribution's python3 only).
"""

import math
import os
import re

import benchcmp
import benchfmt

# The files draw_plots() writes, each as .png and .svg.
NAMES = ("bench-latency", "bench-overhead", "bench-throughput")
RATIO = "bench-ratio"                   # only when Linux ran

LATENCY_PLOTS = (("pingpong", "pingpong: cache-line round trip"),
                 ("raw_ipi", "raw_ipi: bare IPI round trip"),
                 ("call_single", "call_single, wait=1, to the floors' CPU"),
                 ("on_each_cpu", "on_each_cpu, wait=1"))


def _tick(v, pos=None):
    """An axis label: 0.5, 20, 1.5k, 500k, 2M."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:g}{suffix}"
    return f"{v:g}"


def _colors(labels_keys):
    """A colour per configuration: a hue per (accel, smp, apic), a shade
    per idle method, so that related configurations look related."""
    from matplotlib import colormaps
    families = []
    for key, _ in labels_keys:
        fam = key[:3]
        if fam not in families:
            families.append(fam)
    maps = [colormaps["tab20c"], colormaps["tab20b"]]
    out = {}
    for key, label in labels_keys:
        f = families.index(key[:3])
        cmap = maps[(f // 5) % 2]
        shade = min(key[3], 2)          # hlt darkest, then poll, haltpoll
        out[label] = cmap(((f % 5) * 4 + shade) / 19.999)
    return out


def _subtitle(meta):
    bits = []
    if meta.get("qemu"):
        m = re.search(r"version (\S+)", meta["qemu"])
        bits.append(f"QEMU {m.group(1) if m else meta['qemu']}")
    if meta.get("accel"):
        bits.append(meta["accel"].upper())
    if meta.get("host_cpu"):
        bits.append(f"host {meta['host_cpu']} ({meta.get('host_cores', '?')} cores)")
    if meta.get("date"):
        bits.append(meta["date"][:10])
    if meta.get("git_commit"):
        bits.append(f"commit {meta['git_commit'][:12]}")
    return ", ".join(bits)


def _positions(configs):
    """x positions of the configurations, a gap between CPU counts."""
    xs, x, last = [], 0.0, None
    for key, _, _ in configs:
        if last is not None and key[:2] != last:
            x += 0.7
        xs.append(x)
        x += 1
        last = key[:2]
    return xs


def _legend(fig, colors, extra=()):
    from matplotlib.patches import Patch
    handles = [Patch(facecolor=c, edgecolor="0.3", label=l)
               for l, c in colors.items()] + list(extra)
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.835, 0.5),
               fontsize=8, title="configuration", title_fontsize=9,
               frameon=False)


def _save(fig, out, stem):
    paths = []
    for ext in ("png", "svg"):
        p = os.path.join(out, f"{stem}.{ext}")
        fig.savefig(p, dpi=110, metadata={"Date": None} if ext == "svg" else None)
        paths.append(p)
    return paths


def _log_if_wide(ax, values, spread=20):
    """A log scale when the values span more than @spread, with all of
    them in view and plain numbers at 1, 2 and 5 of each decade (a decade
    alone is too sparse) or at each decade when there are many.
    Return: whether the scale is now logarithmic."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter
    vals = [v for v in values if v and v > 0 and math.isfinite(v)]
    if not vals or max(vals) / min(vals) <= spread:
        return False
    lo, hi = min(vals) / 1.4, max(vals) * 1.4
    ax.set_yscale("log")
    ax.set_ylim(lo, hi)
    subs = (1.0, 2.0, 5.0) if hi / lo < 1e4 else (1.0,)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.yaxis.set_minor_formatter(NullFormatter())
    return True


def plot_latency(plt, configs, colors, meta, out):
    from matplotlib.lines import Line2D
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5))
    xs = _positions(configs)
    for ax, (name, title) in zip(axes.flat, LATENCY_PLOTS):
        pts = []
        for x, (key, label, recs) in zip(xs, configs):
            t = (benchfmt.floor_target(recs) if name == "call_single"
                 else None)
            r = benchfmt.find(recs, name, t)
            if r:
                pts.append((x, label, r))
        unit, scale = benchfmt.time_unit([r["p50"] for _, _, r in pts])
        for x, label, r in pts:
            v = {k: r[k] / scale for k in benchfmt.STATS}
            c = colors[label]
            ax.vlines(x, v["min"], v["max"], color="0.25", lw=1, zorder=2)
            ax.bar(x, v["p99"] - v["p50"], bottom=v["p50"], width=0.7,
                   color=c, edgecolor="0.25", lw=0.6, zorder=3)
            ax.hlines(v["p90"], x - 0.35, x + 0.35, color="0.25", lw=0.8,
                      linestyles="dotted", zorder=4)
            ax.hlines(v["p50"], x - 0.35, x + 0.35, color="black", lw=2.2,
                      zorder=5)
        ax.set_title(title, fontsize=10, pad=16)
        ax.set_ylabel(f"round trip ({unit.replace('us', 'µs')})")
        ends = [r[k] / scale for _, _, r in pts for k in ("min", "max")]
        if pts and not _log_if_wide(ax, ends, spread=10):
            ax.set_ylim(0, max(ends) * 1.08)
        if pts:
            # A glyph keeps its width however few configurations there are.
            mid = (xs[0] + xs[-1]) / 2
            half = max((xs[-1] - xs[0]) / 2 + 0.8, 3)
            ax.set_xlim(mid - half, mid + half)
        ax.set_xticks([x for x, _, _ in pts])
        ax.set_xticklabels([l.split(" ", 1)[1] if " " in l else l
                            for _, l, _ in pts], rotation=60, ha="right",
                           fontsize=7)
        _smp_labels(ax, configs, xs)
        ax.grid(axis="y", which="both", alpha=0.3)
    glyphs = [Line2D([], [], color="black", lw=2.2, label="p50"),
              Line2D([], [], color="0.25", lw=0.8, ls="dotted", label="p90"),
              Line2D([], [], color="0.6", lw=6, label="box: p50 to p99"),
              Line2D([], [], color="0.25", lw=1, label="line: min to max")]
    fig.suptitle("xcall: latency distributions per configuration\n" +
                 _subtitle(meta), fontsize=11)
    fig.subplots_adjust(left=0.06, right=0.82, top=0.87, bottom=0.13,
                        hspace=0.6, wspace=0.22)
    _legend(fig, colors, glyphs)
    return _save(fig, out, "bench-latency")


def _smp_labels(ax, configs, xs):
    """'-smp N' under each group of configurations."""
    groups = {}
    for x, (key, _, recs) in zip(xs, configs):
        groups.setdefault(key[:2], []).append(x)
    for (accel, smp), pos in groups.items():
        ax.annotate(f"-smp {smp}", xy=((min(pos) + max(pos)) / 2, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, color="0.3")


def _grouped_bars(ax, groups, configs, colors, value, base=0):
    """Bars: one group per entry of @groups, one bar per configuration,
    each from @base (up or down) to its value.
    @value(label, recs, group) -> number or None. Return the values drawn."""
    n = len(configs)
    w = 0.8 / max(n, 1)
    drawn = []
    for i, (key, label, recs) in enumerate(configs):
        xs, ys = [], []
        for g, group in enumerate(groups):
            v = value(label, recs, group)
            if v is not None and math.isfinite(v):
                xs.append(g - 0.4 + w * (i + 0.5))
                ys.append(v)
        ax.bar(xs, [y - base for y in ys], bottom=base, width=w,
               color=colors[label], edgecolor="0.3", lw=0.4, label=label,
               zorder=3)
        drawn += ys
    ax.set_xticks(range(len(groups)))
    ax.grid(axis="y", which="both", alpha=0.3, zorder=0)
    return drawn


def plot_overhead(plt, configs, colors, meta, out):
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
    ratios = {label: benchfmt.layer_ratios(recs) for _, label, recs in configs}
    for ax, (floor, title) in zip(axes, (
            ("raw_ipi", "over the raw-IPI floor (p50 / raw_ipi p50)"),
            ("pingpong", "over the shared-memory floor (p50 / pingpong p50)"))):
        drawn = _grouped_bars(ax, benchfmt.LAYERS, configs, colors,
                              lambda label, recs, layer:
                              ratios[label][layer][floor], base=1)
        ax.axhline(1, color="black", lw=1, zorder=4)
        ax.set_xticklabels(benchfmt.LAYERS)
        ax.set_ylabel("ratio to the floor (×); bars start at 1×")
        ax.set_title(title, fontsize=10)
        _log_if_wide(ax, drawn + [1])
    fig.suptitle("xcall: overhead of each call layer over the two floors, "
                 "same boot\n" + _subtitle(meta), fontsize=11)
    fig.text(0.06, 0.02, "Below 1×: the call came back sooner than the floor; "
             "a target that polls its queue (idle=poll, haltpoll) needs no "
             "IPI at all (see IPIs per call in bench-throughput).",
             fontsize=8, color="0.3")
    fig.subplots_adjust(left=0.06, right=0.82, top=0.85, bottom=0.13,
                        wspace=0.25)
    _legend(fig, colors)
    return _save(fig, out, "bench-overhead")


def plot_throughput(plt, configs, colors, meta, out):
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
    tput = benchfmt.THROUGHPUT

    def get(field):
        def value(label, recs, name):
            r = benchfmt.find(recs, name)
            return r[field] if r else None
        return value

    drawn = _grouped_bars(axes[0], tput, configs, colors, get("calls_per_s"))
    axes[0].set_ylabel("calls per second (guest time)")
    from matplotlib.ticker import FuncFormatter
    axes[0].yaxis.set_major_formatter(FuncFormatter(_tick))
    axes[0].set_title("fire-and-forget calls completed per second", fontsize=10)
    _log_if_wide(axes[0], drawn, spread=10)
    _grouped_bars(axes[1], tput, configs, colors, get("ipis_per_call"))
    axes[1].set_ylabel("IPIs per call")
    axes[1].set_title("IPIs sent per call (below 1: calls shared an IPI)",
                      fontsize=10)
    for ax in axes:
        ax.set_xticklabels(tput)
    fig.suptitle("xcall: call throughput (tput_1to1, tput_nto1, tput_all)\n" +
                 _subtitle(meta), fontsize=11)
    fig.subplots_adjust(left=0.07, right=0.82, top=0.85, bottom=0.1,
                        wspace=0.25)
    _legend(fig, colors)
    return _save(fig, out, "bench-throughput")


# bench-ratio's two panels: which rows each shows.
RATIO_PANELS = (("settled", "latency, settled: each call wakes an idle target",
                 ("settled", benchcmp.BOOT)),
                ("back-to-back", "back to back: latency, ping-pong, throughput",
                 ("back-to-back",)))


def plot_ratio(plt, rows, meta, out):
    """xcall's time over Linux's per figure, one bar per CPU count and idle
    mode, a line at 1 (below it xcall is faster), the target drawn at each
    figure where it is 0.5."""
    from matplotlib import colormaps
    configs = []
    for r in rows:
        if (r["smp"], r["idle"]) not in configs:
            configs.append((r["smp"], r["idle"]))
    cmap = colormaps["tab20c"]
    colors = {c: cmap((i // 3 % 5) * 4 + i % 3) for i, c in enumerate(configs)}
    fig, axes = plt.subplots(1, 2, figsize=(14, 5.8))
    drawn = []
    for ax, (_, title, methods) in zip(axes, RATIO_PANELS):
        figures = [f for f in benchcmp.FIGURES
                   if any(r["figure"] == f and r["method"] in methods and
                          r["ratio"] is not None for r in rows)]
        w = 0.8 / max(len(configs), 1)
        for i, c in enumerate(configs):
            xs, ys = [], []
            for g, f in enumerate(figures):
                for r in rows:
                    if (r["figure"], (r["smp"], r["idle"])) == (f, c) and \
                            r["method"] in methods and r["ratio"] is not None:
                        xs.append(g - 0.4 + w * (i + 0.5))
                        ys.append(r["ratio"])
            ax.bar(xs, [y - 1 for y in ys], bottom=1, width=w, color=colors[c],
                   edgecolor="0.3", lw=0.4, zorder=3,
                   label=f"-smp {c[0]}, idle {c[1]}")
            drawn += ys
        ax.axhline(1, color="black", lw=1.2, zorder=4)
        ax.set_xticks(range(len(figures)))
        ax.set_xticklabels(figures, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("xcall ÷ Linux, p50 per call (×); below 1: xcall faster")
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", which="both", alpha=0.3, zorder=0)
        _log_if_wide(ax, drawn + [1], spread=4)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(0.855, 0.5),
               fontsize=8, title="configuration", title_fontsize=9,
               frameon=False)
    reps = max((r["reps"] for r in rows), default=0)
    fig.suptitle("xcall ÷ Linux, same QEMU, interleaved boots: median ratio of "
                 f"{reps} pairs\n" + _subtitle(meta), fontsize=11)
    fig.text(0.06, 0.02, "Targets: at most 1 everywhere, at most 0.5 for idle "
             "poll and for async throughput (tput_*). pingpong is a control: "
             "the same emulated cache line under both kernels.", fontsize=8,
             color="0.3")
    fig.subplots_adjust(left=0.06, right=0.84, top=0.86, bottom=0.2,
                        wspace=0.22)
    return _save(fig, out, RATIO)


def draw_plots(records, meta, out):
    """Draw every plot into @out (PNG and SVG); return the paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    configs = benchfmt.by_config(benchcmp.xcall_view(records))
    colors = _colors([(k, l) for k, l, _ in configs])
    os.makedirs(out, exist_ok=True)
    paths = []
    for fn in (plot_latency, plot_overhead, plot_throughput):
        paths += fn(plt, configs, colors, meta, out)
        plt.close("all")
    rows = benchcmp.rows(records)
    if any(r["ratio"] is not None for r in rows):
        paths += plot_ratio(plt, rows, meta, out)
        plt.close("all")
    return paths
