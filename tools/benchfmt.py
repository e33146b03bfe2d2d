# SPDX-License-Identifier: MIT
"""
The BENCH line format of kernel/bench.c: what one line must hold, how a
serial log's lines are read, and the ratios between them.

Both readers use this one module: tools/bench.py (the benchmark matrix
and its table), tools/plots.py (its plots) and the `make test` check of
tools/ktap.py (a boot with "bench": True in tools/matrix.py). It is pure:
text in, records and problems out, and a run's records grouped by
configuration; no file, process or clock.

With the kernel option `bench`, the kernel prints one line per result,
after bring-up and after the self-tests:

  BENCH {"name": "call_single", "target": 1, "cpus": 4, "apic": "x2apic",
         "idle": "hlt", "unit": "ns", "n": 2000, "min": 812, "p50": 901,
         "p90": 1002, "p99": 1500, "max": 9000, "mean": 950, ...}

(one line in the log), then "bench: done", then it leaves QEMU with
status 1. The Linux side of the benchmark (bench/linux/, a module loaded
on Debian's kernel) prints the same lines, with "os": "linux" and the
kernel's release in "kernel"; its idle is Linux's idle= as the boot asked
(hlt for idle=halt, poll, or default), and it has no raw_ipi (a module
cannot own an IPI vector). Lines of the latency figures carry the method
of their pass, "settled" or "back-to-back" (bench_methods=); ping-pong
and throughput are back to back by nature, bringup has none. The format
is checked here, never the values: benchmarks are not tests, and timing
on a shared machine is noise.
"""

import json
import math
import re
from dataclasses import dataclass, field

PREFIX = "BENCH "
DONE = "bench: done"

# Every benchmark, in the order the tables and plots show them.
NAMES = ("pingpong", "raw_ipi", "call_single", "call_self", "on_each_cpu",
         "call_many", "tput_1to1", "tput_nto1", "tput_all", "bringup")
# The ones with one target CPU carry "target".
TARGETED = ("pingpong", "raw_ipi", "call_single", "tput_1to1", "tput_nto1")
# Fire-and-forget throughput: also "calls_per_s" and "ipis_per_call".
THROUGHPUT = ("tput_1to1", "tput_nto1", "tput_all")
# The two floors a call is measured against, and the layers above them.
FLOORS = ("raw_ipi", "pingpong")
LAYERS = ("call_single", "call_many", "on_each_cpu")
# The summary of the samples, in ascending order but for the mean.
STATS = ("min", "p50", "p90", "p99", "max", "mean")
ORDERED = ("min", "p50", "p90", "p99", "max")
APICS = ("xapic", "x2apic")
IDLES = ("hlt", "poll", "haltpoll")
UNIT = "ns"
# The kernels, as "os" names them; a line without "os" is xcall's.
OSES = ("xcall", "linux")
# Linux's idle as its boot asked: idle=halt, idle=poll, or its default.
LINUX_IDLES = ("hlt", "poll", "default")
# What Linux's module measures: all but the bare IPI.
LINUX_NAMES = tuple(n for n in NAMES if n != "raw_ipi")
# The latency figures run once per method; the others have one method
# by nature (back to back), or none (bringup).
METHODS = ("settled", "back-to-back")
PER_METHOD = ("raw_ipi", "call_single", "call_self", "on_each_cpu", "call_many")

# Field -> its kind: "int" (an integer), "num" (an integer or a finite
# float), "str". JSON booleans are not numbers here.
REQUIRED = {"name": "str", "cpus": "int", "apic": "str", "idle": "str",
            "unit": "str", "n": "int", "min": "num", "p50": "num",
            "p90": "num", "p99": "num", "max": "num", "mean": "num"}
REQUIRED_TARGETED = {"target": "int"}
REQUIRED_THROUGHPUT = {"calls_per_s": "num", "ipis_per_call": "num"}
# Not required, but of this kind when present.
# bench_scale's on_each_cpu lines add ipis_per_call, and xcall's
# icr_writes_per_call (tools/bench_scale.py).
OPTIONAL = {"hv": "str", "tsc_hz": "num", "method": "str", "os": "str",
            "kernel": "str", "ipis_per_call": "num",
            "icr_writes_per_call": "num"}


def _kind_ok(value, kind):
    if kind == "str":
        return isinstance(value, str)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    return isinstance(value, int) or (isinstance(value, float) and
                                      math.isfinite(value))


_KIND_WORD = {"str": "a string", "int": "an integer", "num": "a number"}


def check_record(rec):
    """The problems with one decoded BENCH object; [] if it is whole.

    Checks presence, types, the allowed words, and that the summary is a
    summary (min <= p50 <= p90 <= p99 <= max, min <= mean <= max); never
    whether a value is fast or slow.
    """
    if not isinstance(rec, dict):
        return [f"not a JSON object but {type(rec).__name__}"]
    name = rec.get("name")
    want = dict(REQUIRED)
    if name in TARGETED:
        want.update(REQUIRED_TARGETED)
    if name in THROUGHPUT:
        want.update(REQUIRED_THROUGHPUT)
    bad = []
    missing = [k for k in want if k not in rec]
    if missing:
        bad.append("missing " + ", ".join(missing))
    for k, kind in list(want.items()) + list(OPTIONAL.items()):
        if k in rec and not _kind_ok(rec[k], kind):
            bad.append(f"{k} is {json.dumps(rec[k])}, not {_KIND_WORD[kind]}")
    if bad:
        return bad
    os_ = rec.get("os", "xcall")
    if os_ not in OSES:
        bad.append(f"os '{os_}' is not one of {', '.join(OSES)}")
    names = LINUX_NAMES if os_ == "linux" else NAMES
    if name not in names:
        bad.append(f"unknown name '{name}'" + (" on Linux" if os_ == "linux"
                                               and name in NAMES else ""))
    if rec["apic"] not in APICS:
        bad.append(f"apic '{rec['apic']}' is not one of {', '.join(APICS)}")
    # "default" on an xcall record: the comparison's mode, which
    # tools/bench.py's merge() puts there (the kernel's word, haltpoll or
    # hlt, is kept as kernel_idle).
    idles = LINUX_IDLES if os_ == "linux" else IDLES + ("default",)
    if rec["idle"] not in idles:
        bad.append(f"idle '{rec['idle']}' is not one of {', '.join(idles)}")
    if "method" in rec and rec["method"] not in METHODS:
        bad.append(f"method '{rec['method']}' is not one of "
                   f"{', '.join(METHODS)}")
    if rec["unit"] != UNIT:
        bad.append(f"unit '{rec['unit']}' is not '{UNIT}'")
    if rec["cpus"] < 1:
        bad.append(f"cpus is {rec['cpus']}")
    if rec["n"] < 1:
        bad.append(f"n is {rec['n']}: a summary of no samples")
    if "target" in want and not 0 <= rec["target"] < max(rec["cpus"], 1):
        bad.append(f"target {rec['target']} is not a CPU of {rec['cpus']}")
    negative = [k for k in STATS + tuple(REQUIRED_THROUGHPUT)
                if k in rec and rec[k] < 0]
    if negative:
        bad.append("negative " + ", ".join(negative))
    values = [rec[k] for k in ORDERED]
    if values != sorted(values):
        bad.append("not min <= p50 <= p90 <= p99 <= max: " +
                   " ".join(f"{k}={rec[k]}" for k in ORDERED))
    elif not rec["min"] <= rec["mean"] <= rec["max"]:
        bad.append(f"mean {rec['mean']} is outside min..max")
    if name == "bringup" and (rec["n"] != 1 or len(set(values)) != 1):
        bad.append("bringup is one value: n = 1 and min = p50 = ... = max")
    return bad


def _no_constant(word):
    raise ValueError(f"{word} is not JSON")


def decode(payload):
    """A BENCH line's JSON text -> (object, None) or (None, why)."""
    try:
        return json.loads(payload, parse_constant=_no_constant), None
    except ValueError as e:
        return None, f"bad JSON: {e}"


_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])")


def _clean(raw):
    line = _ESCAPE.sub("", raw).replace("\x00", "").rstrip("\r\n\t ")
    return line.rsplit("\r", 1)[-1]


@dataclass
class Parsed:
    """What a log says about the benchmarks."""
    records: list = field(default_factory=list)     # the good objects
    errors: list = field(default_factory=list)      # "line N: why"
    done: bool = False                              # saw "bench: done"
    lines: int = 0                                  # BENCH lines seen

    @property
    def ok(self):
        return not self.errors


def parse(text):
    """Every BENCH line of a log, checked one by one. Never raises.

    A BENCH line starts with "BENCH " (after terminal escapes); anything
    else in the log is passed over. Each bad line is one error naming its
    line number; the good ones are kept in order.
    """
    out = Parsed()
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = _clean(raw)
        if line == DONE:
            out.done = True
            continue
        if not line.startswith(PREFIX):
            continue
        out.lines += 1
        rec, why = decode(line[len(PREFIX):])
        problems = [why] if why else check_record(rec)
        if problems:
            what = rec.get("name") if isinstance(rec, dict) else None
            tag = f" ({what})" if isinstance(what, str) else ""
            out.errors.append(f"line {lineno}{tag}: " + "; ".join(problems))
        else:
            out.records.append(rec)
    return out


def key(rec):
    """(name, target or None, method or None): what one record measures
    within a boot."""
    return (rec["name"], rec.get("target"), rec.get("method"))


def find(records, name, target=None, method=None):
    """The record of @name (to @target, in @method, when given), or None."""
    for r in records:
        if r["name"] == name and (target is None or r.get("target") == target) \
                and (method is None or r.get("method") in (None, method)):
            return r
    return None


def methods_of(records):
    """The methods the latency figures of @records ran in, in METHODS
    order; [None] for lines from before there were methods."""
    seen = {r.get("method") for r in records if r["name"] in PER_METHOD}
    return [m for m in METHODS if m in seen] or [None]


def one_method(records, method=None):
    """@records with the latency figures of one method only: @method, or
    the first of methods_of() (settled when it ran). The figures with no
    choice of method are kept."""
    if method is None:
        method = methods_of(records)[0]
    return [r for r in records if r["name"] not in PER_METHOD or
            r.get("method") in (None, method)]


def _ratio(num, den):
    if num is None or den is None:
        return None
    if den == 0:
        return math.inf if num else math.nan
    return num / den


def layer_ratios(records):
    """How far each layer sits above each floor, within one boot.

    Return: {layer: {floor: p50(layer) / p50(floor)}} for the LAYERS and
    FLOORS present (None where either is missing), in one method (see
    one_method()). call_single is taken to the floor's own target when it
    has one, so both ends of the ratio cross the same pair of CPUs;
    without it, its mean over all targets.
    """
    records = one_method(records)
    out = {}
    for layer in LAYERS:
        out[layer] = {}
        for floor in FLOORS:
            f = find(records, floor)
            if layer == "call_single":
                mine = find(records, layer, f.get("target")) if f else None
                if mine is None:
                    all_ = [r["p50"] for r in records if r["name"] == layer]
                    num = sum(all_) / len(all_) if all_ else None
                else:
                    num = mine["p50"]
            else:
                r = find(records, layer)
                num = r["p50"] if r else None
            out[layer][floor] = _ratio(num, f["p50"] if f else None)
    return out


def floor_target(recs):
    """The target CPU the floors used (call_single to it is compared)."""
    for floor in FLOORS:
        f = find(recs, floor)
        if f and f.get("target") is not None:
            return f["target"]
    targets = sorted(r["target"] for r in recs if r["name"] == "call_single")
    return targets[0] if targets else None

def check_boot(parsed, cpus=None):
    """The problems with one boot's benchmarks as a whole; [] if none.

    @parsed: parse()'s answer for the boot's log
    @cpus: how many CPUs the boot was given, or None not to check

    Beyond the lines themselves: every benchmark reported, call_single to
    every CPU but the boot CPU, one record per (name, target), the same
    cpus, apic and idle on every line, finite ratios to the floors, and
    "bench: done" at the end.
    """
    bad = list(parsed.errors)
    recs = parsed.records
    if not parsed.lines:
        bad.append("no BENCH line in the log")
    seen = {}
    for r in recs:
        seen[key(r)] = seen.get(key(r), 0) + 1
    dups = [f"{n}" + (f" ->{t}" if t is not None else "") +
            (f" ({m})" if m is not None else "")
            for (n, t, m), c in seen.items() if c > 1]
    if dups:
        bad.append("reported more than once: " + ", ".join(dups))
    for k in ("cpus", "apic", "idle", "os"):
        values = sorted({str(r.get(k, "xcall")) for r in recs})
        if len(values) > 1:
            bad.append(f"lines disagree on {k}: {', '.join(values)}")
    online = recs[0]["cpus"] if recs else None
    if cpus is not None and online is not None and online != cpus:
        bad.append(f"cpus is {online} but the boot has {cpus} CPUs")
    if recs:
        names = {r["name"] for r in recs}
        want_names = LINUX_NAMES if recs[0].get("os") == "linux" else NAMES
        missing = [n for n in want_names if n not in names]
        if missing:
            bad.append("no result for " + ", ".join(missing))
        for m in methods_of(recs):
            if m is None:
                continue
            have = {r["name"] for r in recs if r.get("method") == m}
            gone = [n for n in want_names if n in PER_METHOD and n in names
                    and n not in have]
            if gone:
                bad.append(f"no {m} result for " + ", ".join(gone))
        targets = {r["target"] for r in recs if r["name"] == "call_single"}
        want = set(range(1, online)) if online else set()
        if "call_single" in names and want - targets:
            bad.append("no call_single to CPU " +
                       ", ".join(str(t) for t in sorted(want - targets)))
        for layer, floors in layer_ratios(recs).items():
            for floor, ratio in floors.items():
                if ratio is not None and not math.isfinite(ratio):
                    bad.append(f"{layer}/{floor} p50 ratio is not finite "
                               f"({floor} p50 is 0)")
    if not parsed.done:
        bad.append(f"no '{DONE}' line: the benchmarks did not finish")
    return bad


def validate(text, cpus=None):
    """parse() and check_boot() in one: (Parsed, problems)."""
    parsed = parse(text)
    return parsed, check_boot(parsed, cpus)


# ---------------------------------------------------------------------------
# A run's records: grouped into configurations, in a stable order, for
# tools/bench.py's table and tools/plots.py's plots.

def _index(seq, v):
    """@v's place in @seq; an unknown value sorts last."""
    return seq.index(v) if v in seq else len(seq)


def config_key(rec):
    """A record's configuration as a sort key: accelerator, CPU count, then
    APIC mode and idle method in APICS and IDLES order (the smp and accel
    fields are those tools/bench.py's merge() adds to each record)."""
    return (rec.get("accel", ""), rec["smp"], _index(APICS, rec["apic"]),
            _index(IDLES, rec["idle"]), rec["apic"], rec["idle"])


def by_config(records):
    """[(key, label, [records])] in matrix order."""
    groups = {}
    for r in records:
        groups.setdefault(config_key(r), []).append(r)
    accels = {k[0] for k in groups}
    out = []
    for k in sorted(groups):
        r = groups[k][0]
        label = f"smp{r['smp']} {r['apic']} {r['idle']}"
        if len(accels) > 1:
            label = f"{r['accel']} {label}"
        out.append((k, label, groups[k]))
    return out


# Latency units: (name, nanoseconds in one).
UNITS = (("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9))


def time_unit(values_ns):
    """The unit in which the median value is below 1,000: the outliers of
    one configuration (TCG with more vCPUs than host cores) must not turn
    every other value of the row into 0.01."""
    vals = sorted(v for v in values_ns if v is not None)
    mid = vals[len(vals) // 2] if vals else 0
    for name, scale in UNITS:
        if mid / scale < 1e3:
            return name, scale
    return UNITS[-1]
