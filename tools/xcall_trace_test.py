#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Self-tests of tools/xcall_trace.py, on a real dump with no QEMU:

  tools/test_data/trace_smp4.log   `make trace` (SMP=4, TCG): the boot with
                                   "trace_scenario selftest=off", its dump
                                   of 131 events from 4 CPUs, 13 IPIs

tools/xcall_tool_test.py imports these classes, so its run (and make
test's, through --ktap) includes them; alone:

  python3 tools/xcall_trace_test.py [-v]
"""

import copy
import json
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import matrix                           # noqa: E402
import xcall_qemu                       # noqa: E402
import xcall_trace                      # noqa: E402

TRACE_LOG_NAME = "trace_smp4.log"
with open(os.path.join(TOOLS, "test_data", TRACE_LOG_NAME), newline="",
          encoding="utf-8") as _f:
    TRACE_LOG = _f.read()

# What the captured dump holds (its own lines say so; the tests check
# that the tool reads the same).
LOG_CPUS = 4
LOG_EVENTS = 131
LOG_IPIS = 13
LOG_QUEUED = 16


def event_lines(text, name):
    """The dump's event lines of event @name, as they are in @text, but
    those of a function run here (csd=0x0: on_each_cpu()'s own CPU),
    which no queueing caused."""
    return [l for l in text.split("\n") if l.startswith("T ") and
            f" {name} " in l and "csd=0x0" not in l]


def without_line(text, line):
    """@text with @line taken out, and the counts fixed to match, so that
    only the calls are wrong."""
    cpu = line.split()[1]
    text = text.replace(line + "\n", "", 1)
    text = re.sub(rf"trace: cpu {cpu} events=(\d+)",
                  lambda m: f"trace: cpu {cpu} events={int(m[1]) - 1}", text)
    return re.sub(r"trace: end events=(\d+)",
                  lambda m: f"trace: end events={int(m[1]) - 1}", text)


def with_line(text, line):
    """@text with @line in twice, the counts fixed to match."""
    cpu = line.split()[1]
    text = text.replace(line + "\n", line + "\n" + line + "\n", 1)
    text = re.sub(rf"trace: cpu {cpu} events=(\d+)",
                  lambda m: f"trace: cpu {cpu} events={int(m[1]) + 1}", text)
    return re.sub(r"trace: end events=(\d+)",
                  lambda m: f"trace: end events={int(m[1]) + 1}", text)


class TraceDumpTest(unittest.TestCase):
    """parse(): the kernel's dump into events, and a dump that is not whole."""

    def test_the_captured_dump_parses_whole(self):
        tr, bad = xcall_trace.parse(TRACE_LOG)
        self.assertEqual(bad, [], "no problem with a real dump")
        self.assertEqual(len(tr.events), LOG_EVENTS, "every event line")
        self.assertEqual(sorted({e.cpu for e in tr.events}), list(range(LOG_CPUS)))
        self.assertEqual(tr.end["ipis_sent"], LOG_IPIS)
        self.assertTrue(tr.tsc_hz > 0, "the TSC frequency")
        q = [e for e in tr.events if e.name == "csd:csd_queue_cpu"]
        self.assertEqual(len(q), LOG_QUEUED)
        self.assertTrue(isinstance(q[0].fields["csd"], int) and
                        q[0].fields["func"].startswith("scenario_func"),
                        f"fields typed: {q[0].fields}")
        # In TSC order across CPUs, though the dump gives them CPU by CPU.
        self.assertNotEqual([e.cpu for e in tr.events],
                            sorted(e.cpu for e in tr.events), "CPUs interleave")
        self.assertTrue(all(a.tsc <= b.tsc for a, b in
                            zip(tr.events, tr.events[1:])), "in TSC order")

    def test_a_cut_dump_is_reported(self):
        cut = TRACE_LOG[:TRACE_LOG.index("trace: end")]
        _, bad = xcall_trace.parse(cut)
        self.assertTrue(any("no 'trace: end'" in b for b in bad), bad)
        _, bad = xcall_trace.parse("xcall: up\n")
        self.assertTrue(any("no 'trace: begin'" in b for b in bad), bad)

    def test_a_lost_line_disagrees_with_the_counts(self):
        line = event_lines(TRACE_LOG, "csd:csd_function_exit")[0]
        _, bad = xcall_trace.parse(TRACE_LOG.replace(line + "\n", "", 1))
        self.assertTrue(any("'trace: end' counts" in b for b in bad), bad)
        self.assertTrue(any("ring counts" in b for b in bad), bad)


class TraceCheckTest(unittest.TestCase):
    """check_trace(): the calls and IPIs of a real trace, and each way one
    can be wrong."""

    def check(self, text):
        tr, bad = xcall_trace.parse(text)
        self.assertEqual(bad, [], "the dump itself is whole")
        return xcall_trace.check_trace(tr, LOG_CPUS)

    def test_the_captured_trace_passes(self):
        self.assertEqual(self.check(TRACE_LOG), [])

    def test_every_queueing_has_its_flow(self):
        tr, _ = xcall_trace.parse(TRACE_LOG)
        fl, orphans = xcall_trace.flows(tr)
        self.assertEqual((len(fl), orphans), (LOG_QUEUED, []))
        for f in fl:
            self.assertTrue(f.dst_tsc > f.src_tsc and f.dst_cpu != f.src_cpu,
                            f"later, on the target: {f}")

    def test_a_call_that_never_ran_fails(self):
        line = event_lines(TRACE_LOG, "csd:csd_function_entry")[0]
        bad = self.check(without_line(TRACE_LOG, line))
        self.assertEqual(len(bad), 1, bad)
        self.assertTrue("0 function entries" in bad[0], bad)

    def test_a_call_that_ran_twice_fails(self):
        line = event_lines(TRACE_LOG, "csd:csd_function_entry")[0]
        bad = self.check(with_line(TRACE_LOG, line))
        self.assertTrue(any("2 function entries" in b for b in bad), bad)

    def test_an_entry_before_its_queueing_fails(self):
        # Stamp the first queueing after the function it caused.
        q = event_lines(TRACE_LOG, "csd:csd_queue_cpu")[0]
        tr, _ = xcall_trace.parse(TRACE_LOG)
        entry = xcall_trace.flows(tr)[0][0].dst_tsc
        later = q.replace(f" {q.split()[2]} ", f" {entry + 1} ", 1)
        bad = self.check(TRACE_LOG.replace(q, later, 1))
        self.assertTrue(any("0 function entries" in b for b in bad), bad)

    def test_ipi_events_must_match_the_kernels_count(self):
        text = TRACE_LOG.replace(f"ipis_sent={LOG_IPIS}", f"ipis_sent={LOG_IPIS + 1}")
        bad = self.check(text)
        self.assertEqual(bad, [f"the IPI events show {LOG_IPIS} IPIs, the "
                               f"kernel counted {LOG_IPIS + 1}"])

    def test_a_dropped_event_makes_the_trace_unjudgeable(self):
        text = re.sub(r"trace: end events=(\d+) dropped=0",
                      r"trace: end events=\1 dropped=3", TRACE_LOG)
        bad = self.check(text)
        self.assertEqual(len(bad), 1)
        self.assertTrue("3 events dropped" in bad[0], bad)

    def test_checks_of_events_not_recorded_are_skipped(self):
        # trace=csd (0x41c): no IPI event was recorded, so the IPI count cannot
        # be compared, and the check says it was skipped.
        only_csd = re.sub(r"events=0x[0-9a-f]+", "events=0x41c", TRACE_LOG)
        only_csd = "\n".join(l for l in only_csd.split("\n")
                             if " ipi:" not in l)
        tr, _ = xcall_trace.parse(only_csd)
        self.assertEqual(tr.mask, 0x41c)
        self.assertEqual(xcall_trace.check_trace(tr, LOG_CPUS), [])
        skipped = xcall_trace.skipped_checks(tr)
        self.assertEqual([w.split("'")[1] for w in skipped], ["ipis", "handlers"],
                         skipped)
        # trace=ipi: no queueing recorded, the calls check is skipped.
        tr.mask = 0x3
        self.assertTrue(any("'calls' skipped" in w for w in
                            xcall_trace.skipped_checks(tr)))
        self.assertEqual(xcall_trace.skipped_checks(xcall_trace.parse(TRACE_LOG)[0]), [])

    def test_a_local_run_with_a_record_fails(self):
        # A function run on its caller's CPU (csd=0x0, as Linux traces
        # it) given a record's address instead, which nothing queued.
        line = next(l for l in TRACE_LOG.split("\n") if l.startswith("T ") and
                    " csd:csd_function_entry " in l and "csd=0x0" in l)
        bad = self.check(TRACE_LOG.replace(line, line.replace("csd=0x0", "csd=0x123"), 1))
        self.assertTrue(any("no queueing before it" in b for b in bad), bad)

    def test_an_ipi_callback_other_than_the_handler_fails(self):
        line = event_lines(TRACE_LOG, "ipi:ipi_send_cpu")[0]
        spoilt = re.sub(r"callback=\S+", "callback=scenario_func", line)
        bad = self.check(TRACE_LOG.replace(line, spoilt, 1))
        self.assertTrue(any("callback scenario_func" in b for b in bad), bad)

    def test_a_mask_of_one_cpu_fails(self):
        line = next(l for l in TRACE_LOG.split("\n") if " ipi:ipi_send_cpumask " in l)
        spoilt = re.sub(r"cpumask=\S+ nr=\d+", "cpumask=0x2 nr=1", line)
        bad = self.check(TRACE_LOG.replace(line, spoilt, 1))
        self.assertTrue(any("one IPI is an ipi_send_cpu" in b for b in bad), bad)

    def test_a_handler_run_no_ipi_explains_fails(self):
        # The cpu_down() kick as a kernel before it was traced: the
        # handler ran on the target, no ipi_send_cpu went to it.
        kick = next(l for l in TRACE_LOG.split("\n") if " ipi:ipi_send_cpu " in l
                    and "callsite=cpu_down" in l)
        bad = self.check(without_line(TRACE_LOG, kick))
        self.assertTrue(any("IPIs were sent to it" in b for b in bad), bad)

    def test_the_batch_shares_one_ipi_and_one_handler_run(self):
        tr, _ = xcall_trace.parse(TRACE_LOG)
        self.assertTrue(tr.batch and len(tr.batch[1]) == 4, tr.batch)
        self.assertEqual(xcall_trace.check_batch(tr), [])
        cpu, csds = tr.batch
        first = next(l for l in TRACE_LOG.split("\n") if " csd:csd_queue_cpu " in l
                     and f"csd={csds[0]:#x}" in l)
        ipi = TRACE_LOG.split("\n")[TRACE_LOG.split("\n").index(first) + 1]
        self.assertTrue(f"ipi:ipi_send_cpu cpu={cpu} " in ipi, ipi)
        for text, want in ((without_line(TRACE_LOG, ipi), "sent 0 IPIs"),
                           (with_line(TRACE_LOG, ipi), "sent 2 IPIs")):
            tr, _ = xcall_trace.parse(text)
            bad = xcall_trace.check_batch(tr)
            self.assertTrue(any(want in b for b in bad), bad)
        # Its last call run by another run of the handler.
        last = next(l for l in TRACE_LOG.split("\n") if l.startswith(f"T {cpu} ")
                    and " csd:csd_function_entry " in l and f"csd={csds[-1]:#x}" in l)
        tsc = int(last.split()[2])
        split = (f"T {cpu} {tsc - 2} irq_vectors:call_function_single_exit vector=251\n"
                 f"T {cpu} {tsc - 1} irq_vectors:call_function_single_entry vector=251")
        tr, _ = xcall_trace.parse(TRACE_LOG.replace(last, split + "\n" + last, 1))
        bad = xcall_trace.check_batch(tr)
        self.assertTrue(any("ran in 2 runs of the handler" in b for b in bad), bad)

    def test_too_few_cpus_fail(self):
        tr, _ = xcall_trace.parse(TRACE_LOG)
        bad = xcall_trace.check_trace(tr, LOG_CPUS + 1)
        self.assertTrue(any("events from 4 CPUs" in b for b in bad), bad)


class ChromeTraceTest(unittest.TestCase):
    """chrome() and check_chrome(): the trace-event document."""

    def setUp(self):
        tr, _ = xcall_trace.parse(TRACE_LOG)
        self.doc = json.loads(json.dumps(xcall_trace.chrome(tr)))
        self.events = self.doc["traceEvents"]

    def test_the_document_passes_the_format_checks(self):
        self.assertEqual(xcall_trace.check_chrome(self.doc), [])
        for e in self.events:
            for k in xcall_trace.REQUIRED:
                self.assertTrue(k in e, f"{k} in {e}")

    def test_one_named_track_per_cpu(self):
        names = {e["tid"]: e["args"]["name"] for e in self.events
                 if e["ph"] == "M" and e["name"] == "thread_name"}
        self.assertEqual(names, {c: f"CPU {c}" for c in range(LOG_CPUS)})

    def test_slices_instants_and_flows(self):
        ph = [e["ph"] for e in self.events]
        self.assertEqual(ph.count("s"), LOG_QUEUED, "one flow per queueing")
        self.assertEqual(ph.count("f"), LOG_QUEUED)
        inst = [e["name"] for e in self.events if e["ph"] == "i"]
        self.assertEqual(inst.count("csd_queue_cpu"), LOG_QUEUED)
        self.assertTrue("ipi_send_cpu" in inst and "ipi_send_cpumask" in inst)
        slices = {e["name"] for e in self.events if e["ph"] == "X"}
        self.assertTrue("call_function_single" in slices, slices)
        self.assertTrue(any(n.startswith("scenario_func") for n in slices), slices)
        # Each flow ends inside a function slice on its thread, and
        # starts inside the queueing's slice (check_chrome() checks that
        # each end is in some slice; here, which one).
        for ph, kind in (("f", lambda n: not n.startswith("queue to")),
                         ("s", lambda n: n.startswith("queue to"))):
            for e in self.events:
                if e["ph"] != ph:
                    continue
                inside = [x for x in self.events if x["ph"] == "X" and
                          x["cat"] == "csd" and kind(x["name"]) and
                          x["tid"] == e["tid"] and
                          x["ts"] < e["ts"] <= x["ts"] + x["dur"]]
                self.assertEqual(len(inside), 1, e)

    def test_the_checker_catches_each_fault(self):
        faults = {
            "missing ts": lambda ev: ev[-1].pop("ts"),
            "X without dur": lambda ev: next(e for e in ev if e["ph"] == "X").pop("dur"),
            "unpaired flow": lambda ev: ev.remove(next(e for e in ev if e["ph"] == "f")),
            "two starts": lambda ev: ev.append(dict(next(e for e in ev if e["ph"] == "s"))),
            "unknown phase": lambda ev: ev[-1].update(ph="Q"),
            "B without E": lambda ev: ev.append({"name": "x", "ph": "B", "ts": 1,
                                                 "pid": 1, "tid": 0}),
            "flow end in no slice": lambda ev: next(
                e for e in ev if e["ph"] == "f").update(ts=1e9),
            "flow start in no slice": lambda ev: next(
                e for e in ev if e["ph"] == "s").update(tid=99),
            "flow end without bp": lambda ev: next(
                e for e in ev if e["ph"] == "f").pop("bp"),
            "overlapping slices": lambda ev: ev.extend([
                {"name": "a", "ph": "X", "ts": 1, "dur": 2, "pid": 1, "tid": 9},
                {"name": "b", "ph": "X", "ts": 2, "dur": 2, "pid": 1, "tid": 9}]),
        }
        for what, spoil in faults.items():
            with self.subTest(fault=what):
                doc = copy.deepcopy(self.doc)
                spoil(doc["traceEvents"])
                self.assertNotEqual(xcall_trace.check_chrome(doc), [], what)
        self.assertEqual(xcall_trace.check_chrome({}), ["no traceEvents list"])


# CPU 3 halts, CPU 0 takes it down and brings it up again, as a kernel
# before the per-CPU entry flag of kernel/idle.c dumped it: CPU 3's idle
# exit comes only after cpu_up().
HOTPLUG_IDLE_LOG = """\
trace: begin cpus=4 tsc_hz=1000000000 events=0x3ff
T 3 1000 power:cpu_idle state=1 cpu_id=3
T 0 2000 cpuhp:cpuhp_enter cpu=3 target=0
T 0 3000 cpuhp:cpuhp_exit cpu=3 state=0 ret=0
T 0 4000 cpuhp:cpuhp_enter cpu=3 target=1
T 0 5000 cpuhp:cpuhp_exit cpu=3 state=1 ret=0
T 3 50000 power:cpu_idle state=4294967295 cpu_id=3
trace: cpu 0 events=4 dropped=0
trace: cpu 1 events=0 dropped=0
trace: cpu 2 events=0 dropped=0
trace: cpu 3 events=2 dropped=0
trace: end events=6 dropped=0 ipis_sent=0
"""


class HotplugIdleTest(unittest.TestCase):
    """slices(): a CPU taken down is not idle while it is offline."""

    def test_an_idle_period_ends_when_its_cpu_goes_down(self):
        tr, bad = xcall_trace.parse(HOTPLUG_IDLE_LOG)
        self.assertEqual(bad, [])
        idle = [(s.cpu, s.start, s.end) for s in xcall_trace.slices(tr)
                if s.kind == "idle"]
        self.assertEqual(idle, [(3, 1000, 2000)])

    def test_the_cpus_own_exit_ends_it_when_recorded(self):
        # Today's kernel: the kick wakes CPU 3, which records its exit
        # (2500) before cpu_down() ends; that, not cpuhp_enter, ends it.
        log = HOTPLUG_IDLE_LOG.replace(
            "T 3 50000 power:cpu_idle", "T 3 2500 power:cpu_idle")
        tr, bad = xcall_trace.parse(log)
        self.assertEqual(bad, [])
        idle = [(s.cpu, s.start, s.end) for s in xcall_trace.slices(tr)
                if s.kind == "idle"]
        self.assertEqual(idle, [(3, 1000, 2500)])


# Two queueings 399 TSC ticks (0.19 us) apart, each run on CPU 1: the
# first one's queue slice, 0.2 us unless cut, must end before the second.
CLOSE_QUEUES_LOG = """\
trace: begin cpus=2 tsc_hz=2104077351 events=0x3ff
T 0 2545545807 csd:csd_queue_cpu cpu=1 callsite=f+0x1 func=g+0x0 csd=0x40
T 0 2545546206 csd:csd_queue_cpu cpu=1 callsite=f+0x1 func=g+0x0 csd=0x80
T 1 2545600000 csd:csd_function_entry func=g+0x0 csd=0x40
T 1 2545600100 csd:csd_function_exit func=g+0x0 csd=0x40
T 1 2545600200 csd:csd_function_entry func=g+0x0 csd=0x80
T 1 2545600300 csd:csd_function_exit func=g+0x0 csd=0x80
trace: cpu 0 events=2 dropped=0
trace: cpu 1 events=4 dropped=0
trace: end events=6 dropped=0 ipis_sent=0
"""


class CloseQueueingsTest(unittest.TestCase):
    """chrome(): each flow starts inside its own queueing's slice only,
    on the times as written (rounded to the ns)."""

    def test_close_queueings_do_not_share_a_slice(self):
        tr, bad = xcall_trace.parse(CLOSE_QUEUES_LOG)
        self.assertEqual(bad, [])
        ev = xcall_trace.chrome(tr)["traceEvents"]
        qs = [x for x in ev if x["ph"] == "X" and x["name"].startswith("queue to")]
        for s in (x for x in ev if x["ph"] == "s"):
            inside = [x for x in qs if x["ts"] < s["ts"] <= x["ts"] + x["dur"]]
            self.assertEqual(len(inside), 1, (s, qs))


# CPU 0 queues to CPU 3 as it goes down (refused: xcall's own event) and
# to CPU 1, which runs its call.
REFUSED_LOG = """\
trace: begin cpus=4 tsc_hz=1000000000 events=0x7ff
T 0 1000 csd:csd_queue_cpu cpu=3 callsite=f+0x1 func=g csd=0x40
T 0 1100 xcall:csd_queue_refused cpu=3 csd=0x40
T 0 2000 csd:csd_queue_cpu cpu=1 callsite=f+0x1 func=g csd=0x80
T 0 2100 ipi:ipi_send_cpu cpu=1 callsite=f+0x1 callback=generic_smp_call_function_single_interrupt
T 1 3000 csd:csd_function_entry func=g csd=0x80
T 1 3100 csd:csd_function_exit func=g csd=0x80
trace: cpu 0 events=4 dropped=0
trace: cpu 1 events=2 dropped=0
trace: end events=6 dropped=0 ipis_sent=1
"""


class RefusedQueueingTest(unittest.TestCase):
    """check_trace() and flows(): a refused queueing was never made."""

    def test_a_refused_queueing_is_not_a_lost_call(self):
        tr, bad = xcall_trace.parse(REFUSED_LOG)
        self.assertEqual(bad, [])
        self.assertEqual(xcall_trace.check_trace(tr), [])
        fl, orphans = xcall_trace.flows(tr)
        self.assertEqual(([f.csd for f in fl], orphans), ([0x80], []))
        # Without its refusal the same queueing is a call that never ran.
        line = "T 0 1100 xcall:csd_queue_refused cpu=3 csd=0x40\n"
        text = REFUSED_LOG.replace(line, "").replace(
            "cpu 0 events=4", "cpu 0 events=3").replace("end events=6", "end events=5")
        tr, _ = xcall_trace.parse(text)
        bad = xcall_trace.check_trace(tr)
        self.assertTrue(any("0 function entries" in b for b in bad), bad)


class TimelineTest(unittest.TestCase):
    """svg(): the picture is a well-formed SVG with a row per CPU and an
    arrow per flow."""

    def test_svg_rows_and_arrows(self):
        tr, _ = xcall_trace.parse(TRACE_LOG)
        root = ET.fromstring(xcall_trace.svg(tr))
        ns = "{http://www.w3.org/2000/svg}"
        texts = [t.text for t in root.iter(ns + "text")]
        for c in range(LOG_CPUS):
            self.assertTrue(f"CPU {c}" in texts, f"row of CPU {c}")
        arrows = [l for l in root.iter(ns + "line") if l.get("marker-end")]
        self.assertEqual(len(arrows), LOG_QUEUED)


class TraceMatrixTest(unittest.TestCase):
    """The matrix boot that checks its own fresh trace, and its judge."""

    def test_trace_smp4_is_in_the_matrix(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        b = boots["trace-smp4"]
        self.assertTrue(b.trace and "trace_scenario" in b.options.split())
        self.assertEqual(b.cpus, LOG_CPUS)

    def test_trace_needs_a_trace_option(self):
        with self.assertRaises(ValueError) as cm:
            xcall_qemu.Boot({"name": "t", "smp": "2", "trace": True},
                            matrix.DEFAULTS)
        self.assertTrue("trace_scenario" in str(cm.exception))

    def test_judge_passes_the_real_trace_and_fails_a_bad_one(self):
        unit, lines = xcall_trace.judge("b", TRACE_LOG, LOG_CPUS)
        self.assertEqual((unit.name, unit.status), ("b/trace_check", "pass"))
        self.assertTrue("16 flows" in lines[0], lines)
        bad = TRACE_LOG.replace(f"ipis_sent={LOG_IPIS}", "ipis_sent=0")
        unit, lines = xcall_trace.judge("b", bad, LOG_CPUS)
        self.assertEqual(unit.status, "fail")
        self.assertTrue("IPI events" in lines[0], lines)


if __name__ == "__main__":
    unittest.main()
