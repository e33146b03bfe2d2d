#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The kernel's trace dump (kernel/trace.c, options trace and trace_scenario)
read on the host: a Chrome trace-event file for Perfetto and
chrome://tracing, the same timeline drawn as SVG (by this module) and PNG
(matplotlib), and the checks make test runs on a fresh trace.

  tools/xcall_trace.py [--smp N] [--accel tcg|kvm] [--iso PATH] [--out DIR]
      Boot the ISO with "trace_scenario selftest=off", then write
      DIR/trace.json, DIR/timeline.svg, DIR/timeline.png and the boot's
      log DIR/trace.log (make trace: DIR is build/trace).
  tools/xcall_trace.py --from-log LOG [--out DIR]
      The same from a log already captured.

The dump, one line each (README.md, "Trace"):

  trace: begin cpus=4 tsc_hz=2100000000 events=0x7ff
  trace: batch cpu=<target> csd=<record>,...   (trace_scenario only)
  T <cpu> <tsc> <group:event> field=value ...
  trace: cpu <cpu> events=<n> dropped=<n>
  trace: end events=<n> dropped=<n> ipis_sent=<n>

The module's parts: parse() reads a log, chrome() makes the trace-event
document, check_chrome() and check_trace() are the checks (the host test
in tools/xcall_tool_test.py and the matrix boot trace-smp4 through
judge()), layout() places the timeline's shapes, which svg() and png()
draw. Standard library only, but png() (matplotlib, imported there).
"""

import argparse
import bisect
import importlib.util
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

sys.dont_write_bytecode = True
TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)

# ---------------------------------------------------------------------------
# The dump.

BEGIN_RE = re.compile(r"^trace: begin cpus=(\d+) tsc_hz=(\d+) events=0x([0-9a-f]+)$")
EVENT_RE = re.compile(r"^T (\d+) (\d+) ([a-z_]+:[a-z_]+)((?: [a-z_]+=\S*)*)$")
RING_RE = re.compile(r"^trace: cpu (\d+) events=(\d+) dropped=(\d+)$")
BATCH_RE = re.compile(r"^trace: batch cpu=(\d+) csd=((?:0x[0-9a-f]+,?)+)$")
END_RE = re.compile(r"^trace: end events=(\d+) dropped=(\d+) ipis_sent=(\d+)$")

# power:cpu_idle's state on the way out (Linux's PWR_EVENT_EXIT), and the
# states xcall reports (include/xcall/trace.h).
PWR_EVENT_EXIT = 0xffffffff
IDLE_STATES = {0: "idle (poll)", 1: "idle (halt)"}
# cpuhp_enter's target when the CPU is brought up (kernel/smpboot.c's
# CPUHP_TRACE_ONLINE; 0, CPUHP_TRACE_OFFLINE, for cpu_down()).
CPUHP_TARGET_ONLINE = 1
# The events by their bit in the header's events= mask: enum trace_event's
# order (include/xcall/trace.h).
EVENT_BITS = ("ipi:ipi_send_cpu", "ipi:ipi_send_cpumask", "csd:csd_queue_cpu",
              "csd:csd_function_entry", "csd:csd_function_exit",
              "irq_vectors:call_function_single_entry",
              "irq_vectors:call_function_single_exit", "power:cpu_idle",
              "cpuhp:cpuhp_enter", "cpuhp:cpuhp_exit", "xcall:csd_queue_refused")
# The fields that are numbers; the others (symbols) stay strings.
NUMERIC = {"cpu", "vector", "state", "cpu_id", "target", "ret", "nr"}
HEX = {"csd", "cpumask"}


@dataclass
class Event:
    cpu: int
    tsc: int
    name: str
    fields: dict


@dataclass
class Trace:
    tsc_hz: int = 0
    cpus: int = 0
    mask: int = 0                                  # events= of the header
    events: list = field(default_factory=list)     # in TSC order
    rings: dict = field(default_factory=dict)      # cpu -> (events, dropped)
    end: dict = field(default_factory=dict)        # events, dropped, ipis_sent
    batch: tuple = None                            # (cpu, [csd]) of the scenario

    def recorded(self, *names):
        """Were all of @names (group:event) recorded (the events= mask)?"""
        return all(self.mask >> EVENT_BITS.index(n) & 1 for n in names)

    def us(self, tsc):
        """@tsc as µs from the first event."""
        t0 = self.events[0].tsc if self.events else 0
        return (tsc - t0) * 1e6 / self.tsc_hz


def _value(key, text):
    if key in HEX:
        return int(text, 16)
    if key in NUMERIC:
        return int(text)
    return text


def parse(text):
    """Read a dump out of a serial log. Return (Trace, problems): problems
    is a list of what is wrong with the dump itself (missing lines,
    counts that disagree, a line that does not parse)."""
    tr, problems = Trace(), []
    state = "before"
    for raw in text.splitlines():
        line = raw.strip("\r\n ")
        if state == "before":
            m = BEGIN_RE.match(line)
            if m:
                tr.cpus, tr.tsc_hz, tr.mask = int(m[1]), int(m[2]), int(m[3], 16)
                state = "in"
            continue
        if state != "in":
            continue
        if line.startswith("T "):
            m = EVENT_RE.match(line)
            if not m:
                problems.append(f"unreadable event line: {line!r}")
                continue
            fields = {}
            for kv in m[4].split():
                # Linux's csd_function events print "func=%ps, csd=%p".
                k, v = kv.rstrip(",").split("=", 1)
                try:
                    fields[k] = _value(k, v)
                except ValueError:
                    problems.append(f"bad value {kv!r} in {line!r}")
            tr.events.append(Event(int(m[1]), int(m[2]), m[3], fields))
            continue
        m = BATCH_RE.match(line)
        if m:
            tr.batch = (int(m[1]), [int(c, 16) for c in m[2].split(",")])
            continue
        m = RING_RE.match(line)
        if m:
            tr.rings[int(m[1])] = (int(m[2]), int(m[3]))
            continue
        m = END_RE.match(line)
        if m:
            tr.end = {"events": int(m[1]), "dropped": int(m[2]),
                      "ipis_sent": int(m[3])}
            state = "after"
    if state == "before":
        problems.append("no 'trace: begin' line: was the kernel booted with "
                        "trace or trace_scenario?")
    elif state == "in":
        problems.append("no 'trace: end' line: the dump was cut")
    elif not tr.tsc_hz:
        problems.append("tsc_hz=0: the kernel did not know its TSC frequency")
    if tr.end and tr.end["events"] != len(tr.events):
        problems.append(f"'trace: end' counts {tr.end['events']} events, "
                        f"{len(tr.events)} event lines were read")
    for cpu, (n, _) in sorted(tr.rings.items()):
        got = sum(e.cpu == cpu for e in tr.events)
        if got != n:
            problems.append(f"CPU {cpu}'s ring counts {n} events, {got} lines")
    tr.events.sort(key=lambda e: (e.tsc, e.cpu))
    return tr, problems


# ---------------------------------------------------------------------------
# What happened: slices, instants and flows, shared by the JSON and the
# pictures.

@dataclass
class Slice:
    cpu: int
    start: int          # TSC
    end: int
    name: str
    kind: str           # "handler", "function", "idle", "hotplug"
    args: dict = field(default_factory=dict)


@dataclass
class Flow:
    src_cpu: int
    src_tsc: int
    dst_cpu: int
    dst_tsc: int
    func: str
    csd: int


def slices(tr):
    """Pair each entry event with its exit on the same CPU (innermost
    first). An entry left open ends at the CPU's last event; an exit with
    no entry (recording started inside the period) is left out."""
    open_ = defaultdict(list)       # (cpu, kind) -> [(tsc, name, args)]
    out = []
    last = defaultdict(int)
    hotplug_enter = {}              # cpu -> its cpuhp_enter, until the exit

    def start(e, kind, name, args):
        open_[(e.cpu, kind)].append((e.tsc, name, args))

    def finish(e, kind, cpu=None):
        cpu = e.cpu if cpu is None else cpu
        stack = open_[(cpu, kind)]
        if stack:
            tsc, name, args = stack.pop()
            out.append(Slice(cpu, tsc, e.tsc, name, kind, args))

    for e in tr.events:
        last[e.cpu] = max(last[e.cpu], e.tsc)
        n, f = e.name, e.fields
        if n == "irq_vectors:call_function_single_entry":
            start(e, "handler", "call_function_single", {"vector": f.get("vector")})
        elif n == "irq_vectors:call_function_single_exit":
            finish(e, "handler")
        elif n == "csd:csd_function_entry":
            start(e, "function", str(f.get("func")), {"csd": hex(f.get("csd", 0))})
        elif n == "csd:csd_function_exit":
            finish(e, "function")
        elif n == "power:cpu_idle":
            if f.get("state") == PWR_EVENT_EXIT:
                finish(e, "idle")
            else:
                start(e, "idle", IDLE_STATES.get(f.get("state"), "idle"),
                      {"state": f.get("state")})
        elif n == "cpuhp:cpuhp_enter":
            hotplug_enter[f.get("cpu")] = e
            what = "cpu_up" if f.get("target") == CPUHP_TARGET_ONLINE else "cpu_down"
            start(e, "hotplug", f"{what} {f.get('cpu')}", dict(f))
        elif n == "cpuhp:cpuhp_exit":
            finish(e, "hotplug")
            # A CPU taken down records its idle exit as the kick wakes it,
            # before the hotplug ends. One still open here (a kernel before
            # kernel/idle.c's per-CPU entry flag skipped that exit) ends
            # where the hotplug began, not across the CPU's offline time.
            begun = hotplug_enter.pop(f.get("cpu"), e)
            while open_[(f.get("cpu"), "idle")]:
                finish(begun, "idle", f.get("cpu"))
    for (cpu, kind), stack in open_.items():
        for tsc, name, args in stack:
            out.append(Slice(cpu, tsc, max(tsc, last[cpu]), name, kind, args))
    out.sort(key=lambda s: (s.start, -s.end))
    return out


def refused(tr):
    """The csd_queue_cpu events the target refused (xcall's own event
    xcall:csd_queue_refused follows each, on the same CPU, for the same
    target and record): nothing was queued, nothing will run. Return
    their ids (id() of the Event)."""
    out, last = set(), {}
    for e in tr.events:
        if e.name == "csd:csd_queue_cpu":
            last[(e.cpu, e.fields.get("cpu"), e.fields.get("csd"))] = e
        elif e.name == "xcall:csd_queue_refused":
            q = last.pop((e.cpu, e.fields.get("cpu"), e.fields.get("csd")), None)
            if q is not None:
                out.add(id(q))
    return out


def flows(tr):
    """Each csd_queue_cpu with the csd_function_entry it caused: the first
    entry of that record on the target CPU after the queueing. Return
    (flows, queues left without an entry)."""
    entries = defaultdict(list)     # (cpu, csd) -> [tsc], sorted
    for e in tr.events:
        if e.name == "csd:csd_function_entry" and e.fields.get("csd"):
            entries[(e.cpu, e.fields["csd"])].append(e.tsc)
    taken = defaultdict(int)        # (cpu, csd) -> entries used so far
    out, orphans = [], []
    gone = refused(tr)
    for e in tr.events:
        if e.name != "csd:csd_queue_cpu" or id(e) in gone:
            continue
        key = (e.fields.get("cpu"), e.fields.get("csd"))
        lst = entries.get(key, [])
        i = max(taken[key], bisect.bisect_right(lst, e.tsc))
        if i < len(lst):
            taken[key] = i + 1
            out.append(Flow(e.cpu, e.tsc, key[0], lst[i], str(e.fields.get("func")),
                            key[1]))
        else:
            orphans.append(e)
    return out, orphans


# ---------------------------------------------------------------------------
# The Chrome trace-event document (the "JSON Object Format" of Google's
# Trace Event Format): one process, one thread per CPU, ts in µs.

PID = 1
# The queueing is an instant; a flow must start inside a slice on its
# thread, so each queueing also gets a slice this long (µs), or up to the
# CPU's next event if that comes sooner.
QUEUE_SLICE_US = 0.2
FLOW_INSET_US = 0.001
INSTANT_NAMES = {"csd:csd_queue_cpu": "csd_queue_cpu",
                 "ipi:ipi_send_cpu": "ipi_send_cpu",
                 "ipi:ipi_send_cpumask": "ipi_send_cpumask",
                 "xcall:csd_queue_refused": "csd_queue_refused"}
CATEGORY = {"handler": "irq_vectors", "function": "csd", "idle": "power",
            "hotplug": "cpuhp"}


def chrome(tr):
    """The trace-event document (a dict, for json.dump)."""
    ev = [{"name": "process_name", "ph": "M", "ts": 0, "pid": PID, "tid": 0,
           "args": {"name": f"xcall ({tr.cpus} CPUs)"}}]
    cpus = sorted({e.cpu for e in tr.events} | set(tr.rings))
    for cpu in cpus:
        ev.append({"name": "thread_name", "ph": "M", "ts": 0, "pid": PID,
                   "tid": cpu, "args": {"name": f"CPU {cpu}"}})
        ev.append({"name": "thread_sort_index", "ph": "M", "ts": 0, "pid": PID,
                   "tid": cpu, "args": {"sort_index": cpu}})
    for s in slices(tr):
        ev.append({"name": s.name, "cat": CATEGORY[s.kind], "ph": "X",
                   "ts": round(tr.us(s.start), 3),
                   "dur": round(tr.us(s.end) - tr.us(s.start), 3),
                   "pid": PID, "tid": s.cpu, "args": s.args})
    next_tsc = {}
    by_cpu = defaultdict(list)
    for e in tr.events:
        by_cpu[e.cpu].append(e.tsc)
    for e in tr.events:
        if e.name not in INSTANT_NAMES:
            continue
        args = {k: (hex(v) if k in HEX else v) for k, v in e.fields.items()}
        ev.append({"name": INSTANT_NAMES[e.name], "cat": e.name.split(":")[0],
                   "ph": "i", "s": "t", "ts": round(tr.us(e.tsc), 3),
                   "pid": PID, "tid": e.cpu, "args": args})
        if e.name == "csd:csd_queue_cpu":
            lst = by_cpu[e.cpu]
            i = bisect.bisect_right(lst, e.tsc)
            nxt = lst[i] if i < len(lst) else e.tsc
            # On the written (rounded) times: the slice ends at least an
            # inset before the CPU's next event, so the next queueing's
            # flow start is inside its own slice only.
            ts, ts_next = round(tr.us(e.tsc), 3), round(tr.us(nxt), 3)
            dur = min(QUEUE_SLICE_US, ts_next - ts - FLOW_INSET_US) \
                if nxt != e.tsc else QUEUE_SLICE_US
            next_tsc[id(e)] = nxt
            ev.append({"name": f"queue to CPU {e.fields.get('cpu')}", "cat": "csd",
                       "ph": "X", "ts": ts,
                       "dur": round(max(dur, 0.0), 3), "pid": PID, "tid": e.cpu,
                       "args": args})
    # Each end of a flow a nanosecond inside the slice it binds to (the
    # queueing's slice, the function's), not on its first instant, where
    # a viewer could as well take the slice before it.
    fl, _ = flows(tr)
    for i, f in enumerate(fl, 1):
        common = {"name": f.func, "cat": "csd", "id": i, "pid": PID}
        ev.append(dict(common, ph="s",
                       ts=round(round(tr.us(f.src_tsc), 3) + FLOW_INSET_US, 3),
                       tid=f.src_cpu))
        ev.append(dict(common, ph="f", bp="e",
                       ts=round(round(tr.us(f.dst_tsc), 3) + FLOW_INSET_US, 3),
                       tid=f.dst_cpu))
    return {"traceEvents": ev, "displayTimeUnit": "ns",
            "otherData": {"tsc_hz": tr.tsc_hz, "cpus": tr.cpus,
                          "ipis_sent": tr.end.get("ipis_sent"),
                          "dropped": tr.end.get("dropped")}}


# ---------------------------------------------------------------------------
# The checks.

REQUIRED = ("name", "ph", "ts", "pid", "tid")
# Times are written rounded to the ns: slices that touch may overlap by
# that much.
NEST_EPS_US = 0.002
PHASES = {"X", "B", "E", "i", "I", "s", "t", "f", "M", "C"}


def check_chrome(doc):
    """What is wrong with a trace-event document: each event has the
    required fields (name, ph, ts, pid, tid) with the right types, a known
    phase, X events a duration >= 0, B and E events pair up on their
    thread, X slices on a thread nest, every flow id has one start and
    one finish, the start not after the finish, and each end of a flow
    lies inside an X slice on its thread (the 'f' with bp "e"), where a
    viewer binds it. Return a list of problems (empty: fine)."""
    bad = []
    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        return ["no traceEvents list"]
    starts, finishes, depth = {}, {}, defaultdict(int)
    complete = defaultdict(list)
    for i, e in enumerate(events):
        where = f"event {i} ({e.get('name', '?')!r})" if isinstance(e, dict) \
            else f"event {i}"
        if not isinstance(e, dict):
            bad.append(f"{where}: not an object")
            continue
        missing = [k for k in REQUIRED if k not in e]
        if missing:
            bad.append(f"{where}: missing {', '.join(missing)}")
            continue
        if e["ph"] not in PHASES:
            bad.append(f"{where}: unknown phase {e['ph']!r}")
        if not isinstance(e["ts"], (int, float)) or e["ts"] < 0:
            bad.append(f"{where}: ts {e['ts']!r} is not a time")
        if not isinstance(e["name"], str):
            bad.append(f"{where}: name is not a string")
        if e["ph"] == "X":
            if isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0:
                complete[(e["pid"], e["tid"])].append((e["ts"], e["dur"], where))
            else:
                bad.append(f"{where}: complete event without a duration >= 0")
        if e["ph"] in ("B", "E"):
            depth[(e["pid"], e["tid"])] += 1 if e["ph"] == "B" else -1
            if depth[(e["pid"], e["tid"])] < 0:
                bad.append(f"{where}: E without its B")
        if e["ph"] in ("s", "f"):
            if "id" not in e:
                bad.append(f"{where}: flow event without an id")
                continue
            side = starts if e["ph"] == "s" else finishes
            if e["id"] in side:
                bad.append(f"{where}: flow id {e['id']} has two '{e['ph']}' events")
            side[e["id"]] = e
    # Slices on one thread nest or follow each other; one that ends
    # inside another it began in is no call stack, and viewers drop it.
    for key, xs in complete.items():
        stack = []
        for ts, dur, where in sorted(xs, key=lambda x: (x[0], -x[1])):
            while stack and stack[-1] <= ts + NEST_EPS_US:
                stack.pop()
            if stack and ts + dur > stack[-1] + NEST_EPS_US:
                bad.append(f"{where}: overlaps the slice it starts in on thread "
                           f"{key[1]} without ending inside it")
            stack.append(ts + dur)
    for key, d in depth.items():
        if d:
            bad.append(f"thread {key}: {d} B events without their E")
    for fid in sorted(set(starts) ^ set(finishes), key=str):
        bad.append(f"flow id {fid}: only its '{'s' if fid in starts else 'f'}' event")
    for fid in set(starts) & set(finishes):
        if starts[fid]["ts"] > finishes[fid]["ts"]:
            bad.append(f"flow id {fid}: starts after it finishes")
    # Perfetto binds a flow's 's', and its 'f' with bp "e", to the slice
    # that encloses it on its thread, and drops a flow end that has none.
    for fid, e in sorted(list(starts.items()) + list(finishes.items()),
                         key=lambda kv: str(kv[0])):
        if e["ph"] == "f" and e.get("bp") != "e":
            bad.append(f"flow id {fid}: 'f' without bp \"e\" (binds to the "
                       f"next slice, not the enclosing one)")
            continue
        xs = complete.get((e["pid"], e["tid"]), [])
        if not any(ts <= e["ts"] <= ts + dur for ts, dur, _ in xs):
            bad.append(f"flow id {fid}: its '{e['ph']}' at {e['ts']} us lies in "
                       f"no slice of thread {e['tid']} (a viewer drops it)")
    return bad


# The callback of every ipi_send_* event: the IPI's handler (Linux's
# send_call_function_single_ipi() and smp_call_function_many_cond()).
IPI_CALLBACK = "generic_smp_call_function_single_interrupt"
# IPIs traced outside the call path, by their callsite: cpu_down()'s kick
# (kernel/smpboot.c) and the resend of a call waited on too long
# (csd_report_stuck(), kernel/smp.c). Their handler runs like a call's,
# but the kernel's ipis_sent counts only the call path's IPIs.
KICK_CALLSITES = ("cpu_down", "csd_report_stuck")
# What each check needs recorded, by the name check_trace() gives it.
CHECK_NEEDS = {
    "calls": ("csd:csd_queue_cpu", "csd:csd_function_entry"),
    "ipis": ("ipi:ipi_send_cpu", "ipi:ipi_send_cpumask"),
    "handlers": ("ipi:ipi_send_cpu", "ipi:ipi_send_cpumask",
                 "irq_vectors:call_function_single_entry"),
}


def is_kick(e):
    """Is @e an ipi_send_cpu from outside the call path (KICK_CALLSITES)?"""
    site = str(e.fields.get("callsite", ""))
    return e.name == "ipi:ipi_send_cpu" and \
        any(re.match(rf"{k}(\+|$)", site) for k in KICK_CALLSITES)


def check_handlers(tr):
    """Per CPU, the CALL_FUNCTION_SINGLE handler runs no more often than
    IPIs were sent to it (two IPIs may make one run, never the other way
    round). Return a list of problems."""
    sent, runs = defaultdict(int), defaultdict(int)
    for e in tr.events:
        if e.name == "ipi:ipi_send_cpu":
            sent[e.fields.get("cpu")] += 1
        elif e.name == "ipi:ipi_send_cpumask":
            m = e.fields.get("cpumask", 0)
            for c in range(64):
                if m >> c & 1:
                    sent[c] += 1
        elif e.name == "irq_vectors:call_function_single_entry":
            runs[e.cpu] += 1
    if tr.cpus > 64:
        return []       # the mask's CPUs past 64 are not in the dump
    return [f"CPU {c}: the handler ran {runs[c]} times, {sent[c]} IPIs were "
            f"sent to it (an IPI traced nowhere?)"
            for c in sorted(runs) if runs[c] > sent[c]]


def skipped_checks(tr):
    """The checks of check_trace() that @tr's events= mask leaves out, as
    sentences saying why (empty: every check runs)."""
    out = []
    for check, needs in CHECK_NEEDS.items():
        missing = [n for n in needs if not tr.recorded(n)]
        if missing:
            out.append(f"check '{check}' skipped: {', '.join(missing)} not "
                       f"recorded (events=0x{tr.mask:x})")
    return out


def check_batch(tr):
    """The scenario's batch (trace: batch): its queueings sent exactly one
    IPI to its target (ipi_send_cpu, from its first queueing to its last
    function entry), and one run of the handler there ran every call of
    it. Return a list of problems (none without a batch line)."""
    if not tr.batch:
        return []
    cpu, csds = tr.batch
    queued = [e.tsc for e in tr.events if e.name == "csd:csd_queue_cpu" and
              e.fields.get("cpu") == cpu and e.fields.get("csd") in csds]
    ran = [e.tsc for e in tr.events if e.name == "csd:csd_function_entry" and
           e.cpu == cpu and e.fields.get("csd") in csds]
    if len(queued) != len(csds) or len(ran) != len(csds):
        return [f"the batch to CPU {cpu}: {len(queued)} queueings and {len(ran)} "
                f"function entries of its {len(csds)} records"]
    bad = []
    ipis = [e for e in tr.events if e.name == "ipi:ipi_send_cpu" and
            e.fields.get("cpu") == cpu and min(queued) <= e.tsc <= max(ran)]
    if len(ipis) != 1:
        bad.append(f"the batch to CPU {cpu} sent {len(ipis)} IPIs (expected "
                   f"exactly 1, by its first queueing)")
    runs = {(s.start, s.end) for s in slices(tr) if s.kind == "handler" and
            s.cpu == cpu for t in ran if s.start <= t <= s.end}
    inside = [t for t in ran if any(a <= t <= b for a, b in runs)]
    if len(runs) != 1 or len(inside) != len(ran):
        bad.append(f"the batch to CPU {cpu} ran in {len(runs)} runs of the "
                   f"handler, {len(ran) - len(inside)} of its calls outside one "
                   f"(expected all in exactly 1)")
    return bad


def check_trace(tr, min_cpus=1):
    """What is wrong with a real trace: every csd_queue_cpu has exactly
    one csd_function_entry of its record on its target CPU, after the
    queueing and before the record is queued again; the IPIs the events
    show (ipi_send_cpu, one each; ipi_send_cpumask, nr each) are the IPIs
    the kernel counted for the window (trace: end ipis_sent=); no ring
    dropped an event (then the rest cannot be judged); at least @min_cpus
    CPUs recorded. A check whose events the header's events= mask left
    out is not run (skipped_checks() says which). Return a list of
    problems (empty: fine)."""
    bad = []
    run = {c for c, needs in CHECK_NEEDS.items() if tr.recorded(*needs)}
    if tr.end.get("dropped"):
        return [f"{tr.end['dropped']} events dropped (a ring was full): the "
                f"trace is not whole and cannot be checked (boot with a bigger "
                f"trace_entries=)"]
    cpus = {e.cpu for e in tr.events}
    if len(cpus) < min_cpus:
        bad.append(f"events from {len(cpus)} CPUs, expected at least {min_cpus}")
    queues = defaultdict(list)
    entries = defaultdict(list)
    gone = refused(tr)
    for e in tr.events:
        if e.name == "csd:csd_queue_cpu" and id(e) not in gone:
            queues[(e.fields.get("cpu"), e.fields.get("csd"))].append(e.tsc)
        elif e.name == "csd:csd_function_entry" and e.fields.get("csd"):
            entries[(e.cpu, e.fields["csd"])].append(e.tsc)
    nq = 0
    for key, qs in sorted(queues.items()) if "calls" in run else ():
        es = entries.get(key, [])
        for i, q in enumerate(qs):
            nq += 1
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            ran = [t for t in es if t > q and (nxt is None or t < nxt)]
            if len(ran) != 1:
                bad.append(f"call of record {key[1]:#x} queued to CPU {key[0]} at "
                           f"TSC {q}: {len(ran)} function entries on CPU {key[0]} "
                           f"after it (expected exactly 1)")
    if not nq and "calls" in run:
        bad.append("no csd_queue_cpu event: nothing to check")
    # A function run with a record no queueing put there: a run on the
    # caller's own CPU, which must say csd=NULL as Linux's does.
    for key, es in sorted(entries.items()) if "calls" in run else ():
        qs = queues.get(key)
        first_q = min(qs) if qs else None
        early = [t for t in es if first_q is None or t <= first_q]
        if early:
            bad.append(f"record {key[1]:#x} ran on CPU {key[0]} at TSC {early[0]} "
                       f"with no queueing before it (a run on its own CPU "
                       f"traces csd=NULL)")
    if "handlers" in run:
        bad += check_handlers(tr)
        if tr.recorded("csd:csd_queue_cpu", "csd:csd_function_entry",
                       "irq_vectors:call_function_single_exit"):
            bad += check_batch(tr)
    if "ipis" not in run:
        return bad
    # One IPI is ipi_send_cpu, as Linux's smp_call_function_many_cond()
    # sends and traces it; a mask is for two or more.
    for e in tr.events:
        if e.name == "ipi:ipi_send_cpumask" and e.fields.get("nr", 0) < 2:
            bad.append(f"ipi_send_cpumask on CPU {e.cpu} at TSC {e.tsc} for "
                       f"{e.fields.get('nr')} CPU: one IPI is an ipi_send_cpu")
    # An IPI's callback is the handler it runs, as Linux's events say.
    for e in tr.events:
        if e.name.startswith("ipi:") and \
                not str(e.fields.get("callback")).startswith(IPI_CALLBACK):
            bad.append(f"{e.name} on CPU {e.cpu} at TSC {e.tsc}: callback "
                       f"{e.fields.get('callback')}, expected {IPI_CALLBACK}")
    ipis = sum(1 for e in tr.events if e.name == "ipi:ipi_send_cpu" and
               not is_kick(e)) + \
        sum(e.fields.get("nr", 0) for e in tr.events if e.name == "ipi:ipi_send_cpumask")
    if "ipis_sent" not in tr.end:
        bad.append("no ipis_sent count in 'trace: end'")
    elif ipis != tr.end["ipis_sent"]:
        bad.append(f"the IPI events show {ipis} IPIs, the kernel counted "
                   f"{tr.end['ipis_sent']}")
    return bad


def judge(boot, text, min_cpus=1):
    """The matrix unit <boot>/trace_check: the boot's own dump parses, its Chrome
    document passes check_chrome() and the trace check_trace(). Return
    (Unit, lines), as ktap.judge_bench() does."""
    import ktap
    tr, bad = parse(text)
    if not bad:
        doc = chrome(tr)
        bad = check_chrome(doc) + check_trace(tr, min_cpus)
        if not bad and not any(e["ph"] == "s" for e in doc["traceEvents"]):
            bad.append("no flow from a queueing to a function entry")
    name = f"{boot}/trace_check"
    if not bad:
        fl, _ = flows(tr)
        note = "; ".join([f"{len(tr.events)} events, {len(fl)} flows, "
                          f"{tr.end['ipis_sent']} IPIs"] + skipped_checks(tr))
        return ktap.Unit(name, ktap.PASS, note), [ktap.status_line(ktap.PASS, name, note)]
    unit = ktap.Unit(name, ktap.FAIL, "", bad)
    return unit, [ktap.headline(ktap.FAIL, name, bad[0])] + \
        [ktap.DETAIL + b for b in bad[1:40]]


# ---------------------------------------------------------------------------
# The timeline picture: CPUs as rows, time in µs. A whole scenario spans
# tens of ms while a call takes µs, so stretches where only idle goes on
# are cut out of the axis (a gap mark says how long each was).

# Under QEMU's TCG one call takes a few hundred µs from queueing to its
# function, so only stretches longer than that are cut, and the picture
# is scaled to fit PLOT_PX (at most MAX_PX_PER_US: on KVM a call is µs).
GAP_US = 300            # quiet stretches longer than this are cut
MARGIN_US = 20          # kept around each burst of activity
PLOT_PX = 1600
MAX_PX_PER_US = 20.0
GAP_PX = 26
LEFT_PX, TOP_PX, ROW_PX, ROW_GAP_PX = 70, 40, 46, 10
COLORS = {"idle": "#e6e6e6", "handler": "#f4a259", "function": "#5b8e7d",
          "hotplug": "#bc4b51", "queue": "#3d5a80", "ipi": "#c1121f",
          "flow": "#3d5a80", "text": "#222222", "axis": "#888888"}


@dataclass
class Layout:
    width: float
    height: float
    rects: list         # (x, y, w, h, color, label)
    marks: list         # (x, y, kind) kind "queue" or "ipi"
    arrows: list        # (x0, y0, x1, y1)
    texts: list         # (x, y, text, size, anchor)
    lines: list         # (x0, y0, x1, y1, color, dash)


def _segments(tr):
    """The kept stretches of time, in µs: [(start, end)], merged."""
    busy = sorted(tr.us(e.tsc) for e in tr.events if e.name != "power:cpu_idle")
    segs = []
    for t in busy:
        if segs and t - segs[-1][1] <= GAP_US:
            segs[-1][1] = t
        else:
            segs.append([t, t])
    return [(max(0.0, a - MARGIN_US), b + MARGIN_US) for a, b in segs] or [(0.0, 1.0)]


def layout(tr):
    """Place every shape of the timeline; svg() and png() draw them."""
    segs = _segments(tr)
    kept = sum(b - a for a, b in segs)
    px_per_us = min(MAX_PX_PER_US, max(PLOT_PX - GAP_PX * (len(segs) - 1), 200) / kept)
    offsets, x = [], LEFT_PX
    for i, (a, b) in enumerate(segs):
        offsets.append(x)
        x += (b - a) * px_per_us + (GAP_PX if i + 1 < len(segs) else 0)
    width = x + 20
    starts = [a for a, _ in segs]

    def xof(us):
        i = max(0, bisect.bisect_right(starts, us) - 1)
        a, b = segs[i]
        if us > b and i + 1 < len(segs):
            return offsets[i] + (b - a) * px_per_us + GAP_PX / 2
        return offsets[i] + (min(max(us, a), b) - a) * px_per_us

    cpus = sorted({e.cpu for e in tr.events} | set(tr.rings))
    row = {c: TOP_PX + i * (ROW_PX + ROW_GAP_PX) for i, c in enumerate(cpus)}
    height = TOP_PX + len(cpus) * (ROW_PX + ROW_GAP_PX) + 40
    L = Layout(width, height, [], [], [], [], [])
    for c in cpus:
        L.texts.append((8, row[c] + ROW_PX / 2 + 4, f"CPU {c}", 12, "start"))
        L.lines.append((LEFT_PX, row[c] + ROW_PX, width - 20, row[c] + ROW_PX,
                        COLORS["axis"], False))
    # Depth of each kind in the row: idle the whole height, the handler
    # inside it, the function inside that.
    inset = {"idle": 0, "hotplug": 4, "handler": 8, "function": 16}
    for s in slices(tr):
        x0, x1 = xof(tr.us(s.start)), xof(tr.us(s.end))
        y = row[s.cpu] + inset[s.kind]
        h = ROW_PX - 2 * inset[s.kind]
        # The function's name, and a hotplug step's; a handler's would
        # sit under its function's.
        label = s.name.split("+")[0] if s.kind in ("function", "hotplug") else ""
        L.rects.append((x0, y, max(x1 - x0, 1.0), h, COLORS[s.kind], label))
    for e in tr.events:
        if e.name == "csd:csd_queue_cpu":
            L.marks.append((xof(tr.us(e.tsc)), row[e.cpu] + 6, "queue"))
        elif e.name.startswith("ipi:"):
            L.marks.append((xof(tr.us(e.tsc)), row[e.cpu] + ROW_PX - 6, "ipi"))
    fl, _ = flows(tr)
    for f in fl:
        y0 = row[f.src_cpu] + 6
        y1 = row[f.dst_cpu] + 16
        y1 += 0 if row[f.dst_cpu] > row[f.src_cpu] else ROW_PX - 32
        L.arrows.append((xof(tr.us(f.src_tsc)), y0, xof(tr.us(f.dst_tsc)), y1))
    # The time axis: each kept stretch starts with its time in µs; each cut
    # says how long it was.
    yaxis = height - 30
    for i, (a, b) in enumerate(segs):
        L.texts.append((offsets[i], yaxis + 14, f"{a:.0f} µs", 9, "start"))
        L.lines.append((offsets[i], TOP_PX - 6, offsets[i], yaxis, COLORS["axis"], True))
        if i + 1 < len(segs):
            gx = offsets[i] + (b - a) * px_per_us + GAP_PX / 2
            L.texts.append((gx, TOP_PX - 12, f"≈{segs[i + 1][0] - b:.0f}", 8, "middle"))
    L.texts.append((LEFT_PX, 18, f"xcall trace: {len(cpus)} CPUs, time in µs "
                    f"(quiet stretches over {GAP_US} µs cut, their length above "
                    f"the cut); arrows: queueing → function entry", 12, "start"))
    return L


def _esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def svg(tr):
    """The timeline as an SVG document (a string)."""
    L = layout(tr)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{L.width:.0f}" '
           f'height="{L.height:.0f}" viewBox="0 0 {L.width:.0f} {L.height:.0f}" '
           f'font-family="sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
           f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{COLORS["flow"]}"/></marker></defs>',
           f'<rect width="100%" height="100%" fill="white"/>']
    for x0, y0, x1, y1, color, dash in L.lines:
        out.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
                   f'stroke="{color}" stroke-width="0.6"'
                   + (' stroke-dasharray="2,3"' if dash else "") + '/>')
    for x, y, w, h, color, label in L.rects:
        out.append(f'<rect x="{x:.2f}" y="{y:.1f}" width="{w:.2f}" height="{h:.1f}" '
                   f'fill="{color}"><title>{_esc(label)}</title></rect>')
        if label and w > 6 * len(label):
            out.append(f'<text x="{x + 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="9" '
                       f'fill="white">{_esc(label)}</text>')
    for x, y, kind in L.marks:
        c = COLORS[kind]
        if kind == "queue":
            out.append(f'<circle cx="{x:.2f}" cy="{y:.1f}" r="3" fill="{c}"/>')
        else:
            out.append(f'<path d="M {x:.2f} {y - 4:.1f} l 4 4 l -4 4 l -4 -4 z" '
                       f'fill="{c}"/>')
    for x0, y0, x1, y1 in L.arrows:
        out.append(f'<line x1="{x0:.2f}" y1="{y0:.1f}" x2="{x1:.2f}" y2="{y1:.1f}" '
                   f'stroke="{COLORS["flow"]}" stroke-width="1" '
                   f'marker-end="url(#arrow)"/>')
    for x, y, text, size, anchor in L.texts:
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
                   f'text-anchor="{anchor}" fill="{COLORS["text"]}">{_esc(text)}</text>')
    legend = [("idle", "idle"), ("handler", "call_function_single"),
              ("function", "function run"), ("hotplug", "cpu_down / cpu_up")]
    x = LEFT_PX
    for kind, text in legend:
        out.append(f'<rect x="{x}" y="{L.height - 14}" width="10" height="10" '
                   f'fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{x + 14}" y="{L.height - 5}" font-size="10">{text}</text>')
        x += 30 + 6 * len(text)
    out.append(f'<circle cx="{x + 5}" cy="{L.height - 9}" r="3" fill="{COLORS["queue"]}"/>'
               f'<text x="{x + 14}" y="{L.height - 5}" font-size="10">csd_queue_cpu</text>')
    x += 110
    out.append(f'<path d="M {x + 5} {L.height - 13} l 4 4 l -4 4 l -4 -4 z" '
               f'fill="{COLORS["ipi"]}"/><text x="{x + 14}" y="{L.height - 5}" '
               f'font-size="10">IPI sent</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def other_python():
    """Another python3 that imports matplotlib, or None: Debian's
    python3-matplotlib serves the distribution's python3 only, not an
    interpreter of its own (pyenv, a venv)."""
    import subprocess
    mine = os.path.realpath(sys.executable)
    for cand in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not os.path.isfile(cand) or os.path.realpath(cand) == mine:
            continue
        try:
            if subprocess.run([cand, "-c", "import matplotlib"],
                              capture_output=True, timeout=60).returncode == 0:
                return cand
        except (OSError, subprocess.TimeoutExpired):
            pass
    return None


def png(tr, path, log=None):
    """The same timeline with matplotlib; without it here, by another
    python3 that has it, reading @log. Return '' or why it was not drawn."""
    if not importlib.util.find_spec("matplotlib"):
        import subprocess
        other = other_python() if log else None
        if not other:
            return ("no matplotlib for " + sys.executable +
                    " (scripts/install-deps.sh bench installs it)")
        p = subprocess.run([other, os.path.abspath(__file__), "--from-log", log,
                            "--png-only", path], capture_output=True, text=True)
        return "" if p.returncode == 0 else \
            f"{other} failed: {(p.stdout + p.stderr).strip()[-300:]}"
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle
    L = layout(tr)
    dpi = 100
    fig = plt.figure(figsize=(L.width / dpi, L.height / dpi), dpi=dpi)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, L.width)
    ax.set_ylim(L.height, 0)
    ax.axis("off")
    for x0, y0, x1, y1, color, dash in L.lines:
        ax.plot([x0, x1], [y0, y1], color=color, lw=0.6, ls=":" if dash else "-")
    for x, y, w, h, color, label in L.rects:
        ax.add_patch(Rectangle((x, y), w, h, color=color, lw=0))
        if label and w > 6 * len(label):
            ax.text(x + 2, y + h / 2, label, fontsize=7, color="white", va="center")
    for x, y, kind in L.marks:
        ax.plot([x], [y], marker="o" if kind == "queue" else "D", ms=4,
                color=COLORS[kind])
    for x0, y0, x1, y1 in L.arrows:
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>",
                                     mutation_scale=8, color=COLORS["flow"], lw=0.8))
    for x, y, text, size, anchor in L.texts:
        ax.text(x, y, text, fontsize=size * 0.75,
                ha={"start": "left", "middle": "center"}[anchor], va="baseline",
                color=COLORS["text"])
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return ""


# ---------------------------------------------------------------------------
# The command line.

SCENARIO_OPTIONS = "trace_scenario selftest=off"


def write_outputs(text, out, log_name, want_png=True):
    """Parse @text, check it, write trace.json, timeline.svg and
    timeline.png into @out. Return the exit status."""
    tr, bad = parse(text)
    if bad:
        print(f"trace: the dump in {log_name} is not whole:", *bad, sep="\n  ")
        return 1
    os.makedirs(out, exist_ok=True)
    doc = chrome(tr)
    problems = check_chrome(doc) + check_trace(tr)
    paths = [os.path.join(out, n) for n in ("trace.json", "timeline.svg",
                                            "timeline.png")]
    with open(paths[0], "w") as f:
        json.dump(doc, f, indent=0)
    with open(paths[1], "w") as f:
        f.write(svg(tr))
    why = png(tr, paths[2], log_name) if want_png else "not asked for (--no-png)"
    if why and os.path.exists(paths[2]):
        # An earlier run's picture is not this trace's.
        os.unlink(paths[2])
    fl, _ = flows(tr)
    cpus = len({e.cpu for e in tr.events})
    print(f"trace: {len(tr.events)} events from {cpus} CPUs, {len(fl)} flows, "
          f"{tr.end['ipis_sent']} IPIs, TSC {tr.tsc_hz} Hz")
    print("trace: wrote " + ", ".join(os.path.relpath(p) for p in
                                      (paths if not why else paths[:2])))
    if why:
        print(f"trace: PNG not drawn: {why}")
    for why_not in skipped_checks(tr):
        print(f"trace: {why_not}")
    if problems:
        print("trace: the trace fails its checks:", *problems, sep="\n  ")
        return 1
    print("trace: checks passed (every queued call ran once on its target, "
          "IPI events match the kernel's count)")
    print("trace: open trace.json at https://ui.perfetto.dev (Open trace file) "
          "or chrome://tracing")
    return 0 if not why or not want_png else 1


def main(argv=None):
    p = argparse.ArgumentParser(description="make trace: boot, dump, draw")
    p.add_argument("--smp", default="4")
    p.add_argument("--accel", default="tcg", choices=["tcg", "kvm"])
    p.add_argument("--iso", default=os.path.join("build", "xcall.iso"))
    p.add_argument("--out", default=os.path.join("build", "trace"))
    p.add_argument("--timeout", default="",
                   help="seconds until the boot is failed (empty: 120)")
    p.add_argument("--no-png", action="store_true",
                   help="leave the PNG out (no matplotlib needed)")
    p.add_argument("--from-log", metavar="LOG",
                   help="read this log instead of booting")
    p.add_argument("--png-only", metavar="PNG",
                   help="with --from-log: only draw the PNG, to this path")
    a = p.parse_args(argv)
    if a.from_log and a.png_only:
        with open(a.from_log, errors="replace") as f:
            tr, bad = parse(f.read())
        why = "; ".join(bad) or png(tr, a.png_only)
        if why:
            print(f"trace: {why}")
        return 1 if why else 0
    if a.from_log:
        with open(a.from_log, errors="replace") as f:
            return write_outputs(f.read(), a.out, a.from_log, not a.no_png)
    import matrix
    import xcall_qemu
    if not re.fullmatch(r"\d+", a.smp) or int(a.smp) < 2:
        print(f"trace: SMP={a.smp}: the scenario needs a CPU count of 2 or more")
        return 2
    if a.timeout and not re.fullmatch(r"\d+", a.timeout):
        print(f"trace: TIMEOUT={a.timeout}: a whole number of seconds")
        return 2
    boot = xcall_qemu.Boot({"name": "trace", "smp": a.smp,
                            "options": SCENARIO_OPTIONS,
                            "timeout": int(a.timeout) if a.timeout else None},
                           matrix.DEFAULTS)
    log = os.path.join(a.out, "trace.log")
    print(f"trace: booting {a.iso} at -smp {a.smp} ({a.accel}) with "
          f"'{SCENARIO_OPTIONS}'; log {log}")
    ending, text = xcall_qemu.boot_qemu(boot, a.accel, a.iso, log)
    if ending.kind != "success":
        print(f"trace: the boot did not end well ({ending.kind}"
              f"{': ' + ending.message if getattr(ending, 'message', '') else ''});"
              f" see {log}")
        return 1
    return write_outputs(text, a.out, log, not a.no_png)


if __name__ == "__main__":
    sys.exit(main())
