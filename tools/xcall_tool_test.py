#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Self-tests of the tools (the model is KUnit's kunit_tool_test.py): the KTAP
parser and the verdict of tools/ktap.py, the QEMU command line and Boot of
tools/xcall_qemu.py, the matrix of tools/matrix.py, the BENCH line checks
of tools/benchfmt.py, the table, rounds and results.json of tools/bench.py,
the comparison rows and table of tools/benchcmp.py, the Linux boot of
tools/linux_bench.py, the plots of tools/plots.py, the trace tool
tools/xcall_trace.py (its cases are in tools/xcall_trace_test.py, imported
here), the core-to-core matrix of tools/bench_matrix.py and its screen
check, tools/bench_screen.py, the command line of tools/xcall.py and the make
targets that call it (make -n, make help), on canned logs, with no QEMU.
Run them after touching tools/:

  python3 tools/xcall_tool_test.py [-v] [-k PATTERN]    unittest's report
  python3 -m unittest discover -s tools -p '*_test.py'  the same, found
  python3 tools/xcall_tool_test.py --ktap               KTAP, for make test

With --ktap the cases print as KTAP version 1, one suite per TestCase
class, and the exit status is 1 if any failed: `make test` runs this file
that way through `tools/xcall.py test --host`, like the C host tests, so
each case counts in its closing line.

The canned serial logs are in tools/test_data/, as the kernel or a host
test program writes them:

  good.log            a whole report, two suites, all passed
  contract.log        one failed case with diagnostics, one skip, printk
                      before, inside and after the report, a BENCH line
  interleaved.log     printk from other CPUs everywhere, lines that look a
                      bit like KTAP but are not, CRLF line ends and
                      terminal escapes from firmware
  nested.log          suites inside suites, three deep
  skips.log           skip directives in both cases and a skipped suite
  host_llist.log      a host test program's report with one failed check
  selftest_fail.log   `tools/xcall.py test --only '^selftest-fail$'`: the
                      selftest_fail boot, one deliberate failure among
                      the whole run's cases
  expected_warning.log `make run SMP=2 OPTS=selftest=smp_call`: a case
                      announces the WARNING it provokes, then it comes
  selftest_crash.log  `make run SMP=2 OPTS="selftest_crash
                      selftest=harness_crash,llist"`: the second case
                      faults, the kernel panics with the report half done
  crash_cut_smp_call.log  a whole run's log cut after case 3 of smp_call,
                      then that panic: the issue's example of a crash
  selftest_nosuch.log `make run SMP=1 OPTS=selftest=nosuch`: the kernel
                      refuses a suite name that matches no suite
  quiet.log           `make run SMP=2 OPTS="loglevel=4 no_such_option
                      selftest=smp_call"`: the refusal and the WARNING are
                      below the log level; the closing line counts them
  linux_bench_smp2.log  the make test boot of the Linux side (Debian's
                      6.1 kernel, bench_iters=10 bench_methods=both): /init's
                      lines, the module's BENCH lines, its exit
  trace_smp4.log      `make trace`: the trace scenario's dump at -smp 4
                      (tools/xcall_trace_test.py reads it)
  matrix_smp4.log     `make run SMP=4 OPTS="bench bench_iters=10
                      bench_matrix_iters=20"` from the last throughput
                      line on: the core-to-core matrix's MATRIX lines (one
                      with a terminal escape in front), "bench_matrix: done"
  bench_screen_smp4.log, bench_screen_smp4.ppm.gz  the bench-screen-smp4
                      boot of the matrix from "bench_matrix:" on (MATRIX
                      and SCREEN lines, CRLF ends) and QEMU's screendump
                      of its heatmap (800x600, 24 bpp), gzipped
  bench_scale_xcall288.log  `make run SMP=288 OPTS="selftest=off bench
                      bench_scale bench_iters=14 bench_methods=both idle=hlt"`
                      (lines of it): three CPUs left out under load, so no
                      shorthand: 18 ICR writes (clusters) for 284 targets
  bench_scale_linux.log  `tools/bench_scale.py --smp 2,4`: its Linux boot
                      at -smp 4 (1000 samples), whole
  bench_compare.json  results.json of `tools/bench.py --reps 2 --smp 2
                      --idle hlt,poll --iters 50`: both kernels, two rounds

Every kernel log ends with the kernel's closing line, "xcall: options
refused: N; warnings: M" (the hand-made ones too, as a kernel writes it),
but for linux_bench_smp2.log, which is Linux's.
"""

import argparse
import contextlib
import gzip
import importlib.util
import io
import json
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
import types
import unittest

sys.dont_write_bytecode = True          # keep tools/ free of __pycache__
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import bench                            # noqa: E402
import bench_matrix                     # noqa: E402
import bench_screen                     # noqa: E402
import bench_scale                      # noqa: E402
import benchcmp                         # noqa: E402
import benchfmt                         # noqa: E402
import ktap                             # noqa: E402
import linux_bench                      # noqa: E402
import matrix                           # noqa: E402
import plots                            # noqa: E402
import xcall                            # noqa: E402
import xcall_qemu                       # noqa: E402
# The trace tool's tests live in their own module; imported here, they run
# with these (and in make test's KTAP report).
from xcall_trace_test import (ChromeTraceTest, TimelineTest,  # noqa: E402,F401
                              TraceCheckTest, TraceDumpTest, TraceMatrixTest)

TEST_DATA = os.path.join(TOOLS, "test_data")


def read_log(name):
    """A canned log of tools/test_data/, byte for byte (CRLF kept)."""
    with open(os.path.join(TEST_DATA, name), newline="",
              encoding="utf-8") as f:
        return f.read()


GOOD = read_log("good.log")
CONTRACT = read_log("contract.log")
INTERLEAVED = read_log("interleaved.log")
NESTED = read_log("nested.log")
SKIPS = read_log("skips.log")
HOST = read_log("host_llist.log")
SELFTEST_FAIL = read_log("selftest_fail.log")
SELFTEST_NOSUCH = read_log("selftest_nosuch.log")
EXPECTED_WARNING = read_log("expected_warning.log")
SELFTEST_CRASH = read_log("selftest_crash.log")
QUIET = read_log("quiet.log")
LINUX_BENCH = read_log("linux_bench_smp2.log")
SCALE_XCALL = read_log("bench_scale_xcall288.log")
SCALE_LINUX = read_log("bench_scale_linux.log")


# The announcement of the WARNING that smp_call's case provokes on purpose,
# as tests/ktest.c prints it (expected_warning.log, quiet.log).
ANNOUNCE = ("    # wait_with_irqs_off_is_refused: a waited-for call with "
            "interrupts off; expect a WARNING on CPU 0 at kernel/smp.c: "
            "irqs_disabled()")

# The kernel's closing line (kernel_finish()) of a run that refused no
# option and printed no warning.
CLOSING = "xcall: options refused: 0; warnings: 0\n"


def cut(text, after):
    """The log up to and including the first line containing @after."""
    i = text.index(after)
    return text[:text.index("\n", i) + 1]


def drop(text, line):
    """The log without the lines equal to @line (indentation included)."""
    lines = text.split("\n")
    if line not in lines:
        raise ValueError(f"no line {line!r} to drop")
    return "\n".join(l for l in lines if l != line)


OK = ktap.Ending("success", 1)
FAILED = ktap.Ending("failure", 3)
RESET = ktap.Ending("reset", 0)
TIMEOUT = ktap.Ending("timeout", timeout=120)


def units(verdict):
    """(name, status) of each of @verdict's units."""
    return [(u.name, u.status) for u in verdict.units]


def boot_unit(verdict):
    """@verdict's unit for the whole run (named as the run), or None."""
    found = [u for u in verdict.units if u.name == verdict.name]
    return found[0] if found else None


def _boot(**kw):
    """A Boot named t: the matrix defaults and @kw."""
    entry = {"name": "t"}
    entry.update(kw)
    return xcall_qemu.Boot(entry, matrix.DEFAULTS)


def _arg(cmd, flag):
    """Every value @cmd gives @flag."""
    return [cmd[i + 1] for i, a in enumerate(cmd) if a == flag]


class ToolTestCase(unittest.TestCase):
    """Assertions on a ktap.Verdict that every test class uses."""

    def first_line(self, verdict, prefix):
        """The first line of @verdict starting with @prefix; fails without."""
        for line in verdict.lines:
            if line.startswith(prefix):
                return line
        self.fail(f"no line starting {prefix!r} in {verdict.lines!r}")

    def bench_unit(self, v):
        """@v's one bench_lines unit."""
        found = [u for u in v.units if u.name.endswith("/bench_lines")]
        self.assertTrue(len(found) == 1,
                        f"one bench_lines unit, got {units(v)}")
        return found[0]


# The selftest-fail boot's expectation (tools/matrix.py).
SELFTEST = {"expect": "fail", "end": "failure",
            "failed_cases": ["deliberate_failure"]}


def bench_records(cpus=2, apic="xapic", idle="hlt"):
    """One boot's BENCH objects as kernel/bench.c prints them: TCG-like
    values, a call_single to every non-boot CPU."""
    common = {"cpus": cpus, "apic": apic, "idle": idle, "unit": "ns"}

    def rec(name, p50, target=None, n=2000, **more):
        r = {"name": name}
        if target is not None:
            r["target"] = target
        r.update(common)
        r.update(n=n, min=p50 * 7 // 10, p50=p50, p90=p50 * 5 // 4,
                 p99=p50 * 5 // 2, max=p50 * 12, mean=p50 * 6 // 5)
        r.update(more)
        r.update(hv="TCGTCGTCGTCG", tsc_hz=2450000000)
        return r

    out = [rec("pingpong", 9184, 1), rec("raw_ipi", 28500, 1)]
    out += [rec("call_single", 39900 + 1000 * t, t) for t in range(1, cpus)]
    out += [rec("call_self", 375), rec("on_each_cpu", 61900),
            rec("call_many", 50000),
            rec("tput_1to1", 4000, 1, calls_per_s=250000, ipis_per_call=0.08),
            rec("tput_nto1", 7143, 1, calls_per_s=140000, ipis_per_call=0.2),
            rec("tput_all", 9090, calls_per_s=110000, ipis_per_call=0.35)]
    b = {"name": "bringup", **common, "n": 1}
    b.update({k: 38000000 for k in benchfmt.STATS})
    return out + [b]


def bench_log(records=None, done=True, before=GOOD):
    """A bench-smp2 serial log: the selftest=boot report, then the lines."""
    recs = bench_records() if records is None else records
    lines = [benchfmt.PREFIX + (r if isinstance(r, str) else json.dumps(r))
             for r in recs]
    text = before + "\r\n".join(lines) + "\r\n"
    if done:
        text += "bench: done\r\nxcall: self-tests passed\r\n"
    return text


def without(rec, field):
    """@rec without @field."""
    return {k: v for k, v in rec.items() if k != field}


def bench_results():
    """Twelve configurations' merged records, as bench.py keeps them."""
    out = []
    for smp in (2, 4):
        for apic in benchfmt.APICS:
            for idle in benchfmt.IDLES:
                cfg = bench.Config(smp, apic, idle, "tcg")
                out += [bench.merge(r, cfg)
                        for r in bench_records(smp, apic, idle)]
    return out


class KtapParserTest(ToolTestCase):
    """ktap.parse(): a serial log into a tree of results, and every way
    the report is not whole."""

    def test_good_report_is_complete(self):
        r = ktap.parse(GOOD)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual(r.complete, True, "complete")
        self.assertEqual(r.totals, {"pass": 4, "fail": 0, "skip": 0, "total": 4},
                         "totals")
        self.assertEqual([s.name for s in r.root.children], ["llist", "smp_call"],
                         "suites")
        self.assertEqual([l.path for l in r.leaves()],
                         ["llist/add_returns_true_when_empty",
                          "llist/del_all_returns_in_lifo_order",
                          "smp_call/self_call_runs_inline",
                          "smp_call/callbacks_run_in_fifo_order"], "leaf paths")
        self.assertEqual(r.counts(), {"pass": 4, "fail": 0, "crash": 0, "skip": 0},
                         "counts")

    def test_contract_example_parses_with_diagnostics(self):
        r = ktap.parse(CONTRACT)
        self.assertEqual(r.errors, [], "errors")
        leaves = {l.path: l for l in r.leaves()}
        self.assertEqual(sorted(leaves), ["bringup/online_count_matches_madt",
                                          "smp_call/needs_two_cpus",
                                          "smp_call/order_is_fifo",
                                          "smp_call/self_call_runs_inline"], "leaves")
        fifo = leaves["smp_call/order_is_fifo"]
        self.assertEqual(fifo.status, ktap.FAIL, "order_is_fifo status")
        self.assertEqual(fifo.diag, [
            "order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120",
            "expected seq == 7, got 6 and 7"
        ], "order_is_fifo diag")
        self.assertEqual(leaves["smp_call/self_call_runs_inline"].diag, [],
                         "case 1 diag")
        skip = leaves["smp_call/needs_two_cpus"]
        self.assertEqual((skip.status, skip.reason),
                         (ktap.SKIP, "needs at least 2 online CPUs"), "skip")
        suite = r.root.children[0]
        self.assertEqual((suite.name, suite.status, suite.plan),
                         ("smp_call", ktap.FAIL, 3), "suite")
        self.assertEqual(suite.summary,
                         {"pass": 1, "fail": 1, "skip": 1, "total": 3}, "summary")
        self.assertEqual(suite.diag, [], "suite diag (the summary is not a diagnostic)")

    def test_nested_suites_to_any_depth(self):
        r = ktap.parse(NESTED)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual([(l.path, l.status) for l in r.leaves()],
                         [("apic/x2apic/icr/icr_write_is_one_msr", ktap.PASS),
                          ("apic/x2apic/no_busy_polling", ktap.PASS),
                          ("apic/lapic_id_matches_cpuid", ktap.PASS),
                          ("top_level_case", ktap.PASS)], "leaves")
        apic = r.root.children[0]
        self.assertEqual([c.name for c in apic.children],
                         ["x2apic", "lapic_id_matches_cpuid"], "apic's children")
        self.assertEqual(apic.children[0].children[0].is_suite, True, "icr is a suite")

    def test_skips_in_both_cases_and_a_skipped_suite(self):
        r = ktap.parse(SKIPS)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual(
            [(l.path, l.status, l.reason) for l in r.leaves()],
            [("smp_call/needs_two_cpus", ktap.SKIP, "needs at least 2 online CPUs"),
             ("smp_call/lower_case", ktap.SKIP, "lower case directive"),
             ("smp_call/plain", ktap.PASS, ""),
             ("x2apic", ktap.SKIP, "no x2APIC on this CPU")], "leaves")

    def test_printk_noise_is_ignored_anywhere(self):
        r = ktap.parse(INTERLEAVED)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual([(l.path, l.status) for l in r.leaves()],
                         [("stress/random_calls_keep_sequence", ktap.PASS),
                          ("stress/no_call_lost_or_doubled", ktap.PASS)], "leaves")
        self.assertEqual(r.root.children[0].children[0].diag, [],
                         "no printk as diagnostics")

    def test_first_version_line_may_follow_firmware_noise(self):
        text = ("\x1b[0m\x1b[30mWelcome to GRUB!KTAP version 1\n" +
                GOOD.split("\n", 2)[2])
        r = ktap.parse(text)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual(len(r.leaves()), 4, "leaves")

    def test_missing_totals_is_incomplete(self):
        r = ktap.parse(drop(GOOD, "# Totals: pass:4 fail:0 skip:0 total:4"))
        self.assertEqual(r.complete, False, "complete")
        self.assertEqual(r.errors, ["no '# Totals:' line after the last result"],
                         "errors")

    def test_totals_that_disagree_are_caught(self):
        r = ktap.parse(GOOD.replace("total:4\n", "total:5\n").replace(
            "# Totals: pass:4", "# Totals: pass:5"))
        self.assertEqual(r.complete, False, "complete")
        self.assertTrue(
            r.errors[0].startswith("'# Totals: pass:5 fail:0 skip:0 total:5' "
                                   "does not match"), r.errors[0])

    def test_plan_mismatch_in_a_suite(self):
        text = drop(GOOD, "    ok 2 del_all_returns_in_lifo_order")
        r = ktap.parse(text)
        self.assertEqual(r.complete, False, "complete")
        self.assertEqual(r.errors[0], "llist: plan 1..2 but 1 results", "first error")

    def test_plan_mismatch_at_top_level(self):
        more = GOOD.replace("KTAP version 1\n1..2\n", "KTAP version 1\n1..3\n", 1)
        r = ktap.parse(more)
        # Linux's parser too counts the planned suite that never came as
        # crashed, the '# Totals:' line notwithstanding.
        self.assertEqual((r.errors, r.crashed), (
            [], "the log ends inside the top level after 2 of 3 results"),
            "a result missing")
        self.assertEqual([(l.path, l.status) for l in r.leaves()][-1],
                         ("#3", ktap.CRASH), "the missing suite")
        fewer = GOOD.replace("KTAP version 1\n1..2\n", "KTAP version 1\n1..1\n", 1)
        self.assertEqual(
            ktap.parse(fewer).errors, ["the top level: plan 1..1 but 2 results"],
            "a result too many")

    def test_missing_plan_is_incomplete(self):
        r = ktap.parse(drop(GOOD, "    1..2"))
        self.assertEqual(r.errors,
                         ["llist has no plan (1..N)", "smp_call has no plan (1..N)"],
                         "errors")

    def test_result_numbers_must_run_in_order(self):
        text = GOOD.replace("    ok 2 del_all_returns_in_lifo_order",
                            "    ok 3 del_all_returns_in_lifo_order")
        r = ktap.parse(text)
        self.assertEqual(r.complete, False, "complete")
        self.assertTrue("result 3 (del_all_returns_in_lifo_order) in llist where 2 was "
                        "expected" in r.errors[0], r.errors[0])

    def test_truncated_log_keeps_what_was_reported(self):
        r = ktap.parse(cut(CONTRACT, "not ok 2 order_is_fifo"))
        self.assertEqual(r.complete, False, "complete")
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual(r.crashed, "the log ends inside smp_call after 2 of 3 "
                         "results", "crashed")
        self.assertEqual([(l.path, l.status, l.reason) for l in r.leaves()],
                         [("smp_call/self_call_runs_inline", ktap.PASS, ""),
                          ("smp_call/order_is_fifo", ktap.FAIL, ""),
                          ("smp_call/#3", ktap.CRASH, "running when the log ended"),
                          ("#2", ktap.CRASH, "never ran")],
                         "what ran, then what crashed")

    def test_truncated_before_a_suites_result_line(self):
        for after in ("ok 3 needs_two_cpus", "# smp_call: pass:1"):
            r = ktap.parse(cut(CONTRACT, after))
            self.assertEqual(r.errors,
                             ["log ends before the result line of suite smp_call"],
                             f"errors when cut after {after!r}")
            self.assertEqual([(l.path, l.status) for l in r.leaves()][-1],
                             ("#2", ktap.CRASH), "the suite that never started")
            self.assertEqual(len(r.leaves()), 4, "three cases and the crash")

    def test_suite_without_result_line_is_caught(self):
        text = drop(GOOD, "ok 1 llist").replace(
            "ok 2 smp_call", "ok 1 smp_call").replace(
            "1..2\n    KTAP", "1..1\n    KTAP", 1)
        r = ktap.parse(text)
        self.assertEqual(r.complete, False, "complete")
        self.assertEqual(r.errors[0], "no result line for suite llist", "first error")
        self.assertTrue(
            "llist/add_returns_true_when_empty" in [l.path for l in r.leaves()],
            "the orphan suite's cases are still reported")

    def test_a_second_report_is_an_error(self):
        text = cut(GOOD, "ok 1 llist") + "KTAP version 1\n1..1\n"
        r = ktap.parse(text)
        self.assertEqual(r.complete, False, "complete")
        self.assertTrue("a second KTAP report starts" in r.errors[0], r.errors[0])

    def test_no_report_at_all(self):
        r = ktap.parse("SeaBIOS\nBooting `xcall'\npanic: out of memory\n")
        self.assertEqual(r.found, False, "found")
        self.assertEqual(r.errors,
                         ["no KTAP report in the log (no 'KTAP version 1' line)"],
                         "errors")

    def test_linux_style_totals_per_suite_are_accepted(self):
        text = GOOD.replace("# llist: pass:2 fail:0 skip:0 total:2\n",
                            "# llist: pass:2 fail:0 skip:0 total:2\n"
                            "# Totals: pass:2 fail:0 skip:0 total:2\n")
        r = ktap.parse(text)
        self.assertEqual(r.errors, [], "errors")
        self.assertEqual(r.totals, {"pass": 4, "fail": 0, "skip": 0, "total": 4},
                         "totals")

    def test_diagnostics_belong_to_the_next_result_at_their_depth(self):
        text = GOOD.replace("ok 1 llist\n", "# llist took 3 ms\nok 1 llist\n").replace(
            "    ok 2 del_all", "    # about del_all\n    ok 2 del_all")
        r = ktap.parse(text)
        llist = r.root.children[0]
        self.assertEqual(llist.diag, ["llist took 3 ms"], "suite diag")
        self.assertEqual([c.diag for c in llist.children], [[], ["about del_all"]],
                         "case diag")


class KtapVerdictTest(ToolTestCase):
    """ktap.judge() on a boot that must pass, and the closing line."""

    def test_good_boot_passes_with_one_line_per_case_and_suite(self):
        v = ktap.judge("bios-smp4", GOOD, OK)
        self.assertEqual(v.passed, True, "passed")
        self.assertEqual(v.lines, [
            "  ok    bios-smp4/llist/add_returns_true_when_empty",
            "  ok    bios-smp4/llist/del_all_returns_in_lifo_order",
            "  ok    bios-smp4/llist",
            "  ok    bios-smp4/smp_call/self_call_runs_inline",
            "  ok    bios-smp4/smp_call/callbacks_run_in_fifo_order",
            "  ok    bios-smp4/smp_call"
        ], "lines")
        self.assertEqual(ktap.closing_line([v]), "4 passed, 0 failed", "closing line")

    def test_failed_case_prints_its_diagnostics(self):
        v = ktap.judge("bios-smp4", CONTRACT, FAILED)
        self.assertEqual(v.passed, False, "passed")
        self.assertEqual(units(v),
                         [("bios-smp4/smp_call/self_call_runs_inline", "pass"),
                          ("bios-smp4/smp_call/order_is_fifo", "fail"),
                          ("bios-smp4/smp_call/needs_two_cpus", "skip"),
                          ("bios-smp4/bringup/online_count_matches_madt", "pass")],
                         "units (no boot unit: status 3 agrees with the report)")
        i = v.lines.index("  FAIL  bios-smp4/smp_call/order_is_fifo")
        self.assertEqual(v.lines[i + 1:i + 3], [
            "        order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120",
            "        expected seq == 7, got 6 and 7"
        ], "diagnostic lines")
        self.first_line(v, "  skip  bios-smp4/smp_call/needs_two_cpus "
                        "(needs at least 2 online CPUs)")
        self.first_line(v, "  FAIL  bios-smp4/smp_call")
        self.first_line(v, "        lines 20-25 of the log, where the report ends:")
        self.assertEqual(v.lines[-2:], ["          xcall: all done",
                                        "          xcall: options refused: 0; "
                                        "warnings: 0"],
                         "what the kernel said after the report comes last")
        self.assertEqual(ktap.closing_line([v]), "2 passed, 1 failed, 1 skipped",
                         "closing line")

    def test_success_status_with_failed_cases_fails_the_boot(self):
        v = ktap.judge("b", CONTRACT, OK)
        u = boot_unit(v)
        self.assertTrue(u is not None, "no boot unit")
        self.assertEqual(
            self.first_line(v, "  FAIL  b: "),
            "  FAIL  b: the kernel reported success (QEMU exit status 1), "
            "but the KTAP report shows 1 failure", "boot line")

    def test_failure_status_with_all_passing_is_a_panic(self):
        v = ktap.judge("b", GOOD, FAILED)
        self.assertEqual(v.passed, False, "passed")
        self.assertTrue("a panic" in self.first_line(v, "  FAIL  b: "),
                        "panic hint")
        self.assertEqual(ktap.closing_line([v]), "4 passed, 1 failed", "closing line")

    def test_incomplete_report_fails_even_with_success_status(self):
        v = ktap.judge("b", drop(GOOD, "# Totals: pass:4 fail:0 skip:0 total:4"), OK)
        self.assertEqual(
            self.first_line(v, "  FAIL  b: "),
            "  FAIL  b: KTAP report incomplete: no '# Totals:' line after the "
            "last result", "boot line")

    def test_truncated_boot_counts_the_rest_as_crashed(self):
        text = "\n".join(f"printk line {i}" for i in range(30)) + "\n" + \
            cut(CONTRACT, "not ok 2 order_is_fifo").split("smpboot: CPU 1", 1)[1]
        # The kernel panicked there, and ended the run with its closing line.
        v = ktap.judge("b", text + CLOSING, FAILED, log_name="build/logs/b.log")
        self.assertEqual(v.passed, False, "passed")
        self.assertEqual(units(v), [
            ("b/smp_call/self_call_runs_inline", "pass"),
            ("b/smp_call/order_is_fifo", "fail"),
            ("b/smp_call/#3", "crash"),
            ("b/#2", "crash")], "no unit for the boot: the crashes are the news")
        self.assertEqual(ktap.closing_line([v]), "1 passed, 1 failed, 2 crashed",
                         "closing line")
        self.first_line(v, "  CRASH b/smp_call/#3 (running when the log ended)")
        self.first_line(v, "  CRASH b/#2 (never ran)")
        self.first_line(v, "  CRASH b: the log ends inside smp_call after 2 of 3 "
                        "results: the kernel reported failure (QEMU exit status 3)")
        v = ktap.judge("b", cut(CONTRACT, "not ok 2 order_is_fifo"), TIMEOUT)
        self.first_line(v, "  CRASH b: the log ends inside smp_call after 2 of 3 "
                        "results: timed out after 120 s")
        v = ktap.judge("b", cut(CONTRACT, "not ok 2 order_is_fifo"), OK)
        self.assertTrue(
            self.first_line(v, "  FAIL  b: ").endswith(
                "but the log ends inside smp_call after 2 of 3 results"),
            "a success status with a crashed report is one more failure")

    def test_crash_counts_agree_with_linux_kunit_parser(self):
        # Each log was given once, by hand, to Linux 6.12's own parser
        # (tools/testing/kunit/kunit.py parse LOG, from Debian's
        # linux-source-6.12 package); its closing lines were:
        #   selftest_crash.log        Ran 4 tests: passed: 1, crashed: 3
        #   crash_cut_smp_call.log    Ran 39 tests: passed: 19, crashed: 20
        #   good.log                  Ran 4 tests: passed: 4
        #   contract.log              Ran 4 tests: passed: 2, failed: 1,
        #                             skipped: 1
        # (it adds "errors: N", its own parse errors, which are not cases).
        linux = {"selftest_crash.log": (FAILED, (1, 0, 3, 0)),
                 "crash_cut_smp_call.log": (FAILED, (19, 0, 20, 0)),
                 "good.log": (OK, (4, 0, 0, 0)),
                 "contract.log": (FAILED, (2, 1, 0, 1))}
        for name, (ending, want) in linux.items():
            c = ktap.judge("b", read_log(name), ending).counts()
            self.assertEqual((c["pass"], c["fail"], c["crash"], c["skip"]), want,
                             f"{name}: passed, failed, crashed, skipped")

    def test_a_crash_shows_the_log_where_the_report_ends(self):
        noise = "".join(f"unrelated line {i}\n" for i in range(60))
        v = ktap.judge("b", SELFTEST_CRASH + noise, FAILED, log_name="x.log")
        i = v.lines.index("        lines 30-72 of x.log, where the report ends:")
        shown = v.lines[i + 1:]
        self.assertEqual(shown[:2], ["              1..3",
                                     "              ok 1 passes_before_the_crash"],
                         "a few lines of the report first")
        self.assertTrue("          Kernel panic - not syncing: unhandled exception "
                        "#PF page fault on CPU 0" in shown, "the panic")
        self.assertEqual(shown[-1], "          ... 45 more lines",
                         "not the unrelated tail")
        self.assertFalse(any("Booting" in l for l in shown), "not the boot")

    def test_the_crashed_case_keeps_what_it_printed(self):
        v = ktap.judge("bios-smp2", SELFTEST_CRASH, FAILED)
        self.assertEqual(units(v), [
            ("bios-smp2/harness_crash/passes_before_the_crash", "pass"),
            ("bios-smp2/harness_crash/#2", "crash"),
            ("bios-smp2/harness_crash/#3", "crash"),
            ("bios-smp2/#2", "crash")], "units")
        i = v.lines.index("  CRASH bios-smp2/harness_crash/#2 "
                          "(running when the log ended)")
        self.assertEqual(v.lines[i + 1],
                         "        faults_mid_suite: writing through a NULL pointer",
                         "its diagnostics")
        self.first_line(v, "  CRASH bios-smp2/harness_crash (no result line: "
                        "the log ended inside it)")

    def test_timeout_reset_and_error_each_fail_the_boot(self):
        for ending, head in [
                (TIMEOUT, "timed out after 120 s"),
                (RESET, "guest reset or shut down without reporting (triple fault?)"),
                (ktap.Ending("error", 2, message="QEMU exited with status 2",
                             stderr="qemu: -cpu bogus: unable to find CPU model"),
                 "QEMU exited with status 2")]:
            v = ktap.judge("b", GOOD, ending)
            self.assertEqual(self.first_line(v, "  FAIL  b: "),
                             "  FAIL  b: " + head, "boot line")
            self.assertEqual(v.counts()["fail"], 1, "one failed unit")
        v = ktap.judge("b", GOOD, ktap.Ending("error", 2, message="m",
                                              stderr="qemu: bad option"))
        self.assertTrue("          qemu: bad option" in v.lines, "QEMU stderr shown")

    def test_unknown_suite_name_is_the_kernels_refusal(self):
        v = ktap.judge("b", SELFTEST_NOSUCH, FAILED)
        self.assertEqual(v.passed, False, "passed")
        self.assertEqual(
            self.first_line(v, "  FAIL  b: "),
            "  FAIL  b: selftest=nosuch: no such suite; the suites are: "
            "harness_crash, harness, boot, bringup, bringup_dead_cpu, smp_call, "
            "smp_stress, llist, smp_csd_timeout, fbcon", "the kernel's words first")
        self.assertFalse(any("a panic?" in l for l in v.lines),
                         "no guess at a panic when the kernel said why")
        self.assertEqual(len(v.lines), 1, "the kernel's words are enough")

    def test_a_run_of_no_case_fails_even_with_success_status(self):
        empty = "KTAP version 1\n1..0\n# Totals: pass:0 fail:0 skip:0 total:0\n"
        v = ktap.judge("b", empty, OK)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: the KTAP report holds no test case",
                         "an empty report is no pass")
        said = "ktest: error: no test case selected: the suites selftest= " \
               "names are disabled in this configuration\n"
        v = ktap.judge("b", empty + said, FAILED)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: no test case selected: the suites "
                         "selftest= names are disabled in this configuration",
                         "the kernel's reason")

    def test_a_run_whose_every_case_skipped_fails(self):
        text = ("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: llist\n"
                "    1..2\n    ok 1 a # SKIP needs two CPUs\n"
                "    ok 2 b # SKIP needs two CPUs\n"
                "# llist: pass:0 fail:0 skip:2 total:2\n"
                "ok 1 llist # SKIP all cases skipped\n"
                "# Totals: pass:0 fail:0 skip:2 total:2\n" + CLOSING)
        v = ktap.judge("b", text, OK)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: every test case was skipped (2): nothing "
                         "was tested", "headline")
        self.assertEqual(ktap.closing_line([v]), "0 passed, 1 failed, 2 skipped",
                         "closing line")
        self.assertEqual(ktap.judge("b", SKIPS, OK).passed, True,
                         "one pass among the skips is a test")
        # A matrix run whose every boot was skipped (too old a QEMU).
        with tempfile.TemporaryDirectory() as d:
            saved = xcall_qemu.skip_reason
            try:
                xcall_qemu.skip_reason = lambda boot, version: "too old"
                status, out = run_cli(["test", "--only", "^x2apic-smp4$",
                                       "--logs", d])
            finally:
                xcall_qemu.skip_reason = saved
        self.assertEqual(status, 1, out)
        self.assertTrue("xcall-test: every run was skipped: nothing was "
                        "tested\n0 passed, 0 failed, 1 skipped\n" in out, out)

    def test_an_announced_warning_is_no_problem(self):
        self.assertEqual(ktap.warnings(EXPECTED_WARNING), (
            ["WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()"], []),
            "one expected warning")
        v = ktap.judge("b", EXPECTED_WARNING, OK)
        self.assertEqual(v.passed, True, "passed")
        self.assertEqual(ktap.closing_line([v]), "21 passed, 0 failed",
                         "closing line")

    def test_an_unannounced_warning_fails_the_boot(self):
        announce = ANNOUNCE
        # The serial line ends each line with CR LF.
        v = ktap.judge("b", drop(EXPECTED_WARNING, announce + "\r"), OK)
        self.assertEqual(v.passed, False, "passed")
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: unexpected WARNING: CPU 0 at "
                         "kernel/smp.c:383: irqs_disabled()", "boot line")
        # Announced for another file, or used up by an earlier warning.
        other = EXPECTED_WARNING.replace("at kernel/smp.c: ", "at kernel/idle.c: ")
        self.assertNotEqual(other, EXPECTED_WARNING, "edited")
        self.assertEqual(len(ktap.warnings(other)[1]), 1, "file must match")
        twice = EXPECTED_WARNING.replace(
            "WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()",
            "WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()\n"
            "WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()")
        self.assertEqual(ktap.warnings(twice)[1],
                         ["WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()"],
                         "one announcement lets one warning pass")
        late = EXPECTED_WARNING.replace(
            "    ok 6 wait_with_irqs_off_is_refused",
            "    ok 6 wait_with_irqs_off_is_refused\n"
            "WARNING: CPU 0 at kernel/smp.c:400: late")
        self.assertEqual(ktap.warnings(late)[1],
                         ["WARNING: CPU 0 at kernel/smp.c:400: late"],
                         "an announcement ends with its case")

    def test_an_announcement_names_the_cpu_and_condition(self):
        warning = "WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()"
        self.assertTrue(ANNOUNCE in EXPECTED_WARNING and warning in
                        EXPECTED_WARNING, "the real log's two lines")
        for line, why in (
                ("WARNING: CPU 1 at kernel/smp.c:383: irqs_disabled()",
                 "another CPU"),
                ("WARNING: CPU 0 at kernel/smp.c:90: csd->flags & CSD_FLAG_LOCK",
                 "another WARN_ON() of the same file"),
                ("WARNING: CPU 0 at kernel/smp.c:383", "no condition")):
            with self.subTest(why=why):
                self.assertEqual(ktap.warnings(EXPECTED_WARNING.replace(
                    warning, line)), ([], [line]), why)
        # The condition is C, and goes last: any character may be in it.
        odd = "a ? b : c; d"
        text = EXPECTED_WARNING.replace(
            "at kernel/smp.c: irqs_disabled()", "at kernel/smp.c: " + odd) \
            .replace(warning, "WARNING: CPU 0 at kernel/smp.c:7: " + odd)
        self.assertEqual(ktap.warnings(text),
                         (["WARNING: CPU 0 at kernel/smp.c:7: " + odd], []),
                         "matched whole")

    def test_a_warning_line_that_is_not_whole_is_unexpected(self):
        warning = "WARNING: CPU 0 at kernel/smp.c:383: irqs_disabled()"
        for line in ("smpboot: CPU 1 idWARNING: CPU 0 at kernel/smp.c:383: "
                     "irqs_disabled()",
                     "  WARNING: CPU 3 at kernel/smp.c:88 csd_lock_wait",
                     "WARNING: CPU x at kernel/smp.c:383: irqs_disabled()"):
            with self.subTest(line=line):
                v = ktap.judge("b", EXPECTED_WARNING.replace(warning, line), OK)
                self.assertEqual(self.first_line(v, "  FAIL  b: "),
                                 "  FAIL  b: unexpected WARNING in a line that "
                                 "is not a whole warning line: " + line,
                                 "flagged, even with an announcement")

    def test_a_quiet_loglevel_hides_no_refusal_and_no_warning(self):
        self.assertEqual((ktap.option_warnings(QUIET), ktap.warnings(QUIET)),
                         ([], ([], [])), "nothing said at loglevel=4")
        self.assertEqual(ktap.kernel_counts(QUIET), (1, 1), "closing line")
        v = ktap.judge("b", QUIET, OK, strict=True)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: the kernel refused 1 option (a strict "
                         "run), its closing line says; the log does not say "
                         "which (loglevel= hides its 'options:' messages?)",
                         "a strict run fails")
        v = ktap.judge("b", QUIET, OK)
        self.assertEqual((v.passed, v.notes), (True, [
            "b: the kernel refused 1 option, its closing line says; the log "
            "does not say which (loglevel= hides its 'options:' messages?)"]),
            "not strict: a note; the unseen warning is the announced one")
        v = ktap.judge("b", drop(QUIET, ANNOUNCE + "\r"), OK)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: unexpected WARNING the log does not show: "
                         "the kernel counted 1; the log shows 0, and 0 were "
                         "announced (loglevel= hides them?)",
                         "a warning nobody announced, unseen")
        more = QUIET.replace("warnings: 1", "warnings: 2")
        self.assertEqual(ktap.warnings(more, 2)[1], [
            "WARNING the log does not show: the kernel counted 2; the log "
            "shows 0, and 1 was announced (loglevel= hides them?)"],
            "one announcement excuses one unseen warning")
        # The kernel's exit without its closing line: nothing can be checked.
        for text, ending in ((GOOD, OK), (SELFTEST_FAIL, FAILED)):
            closing = text.split("\n")[-2] + "\n"
            self.assertTrue(closing.startswith("xcall: options refused: "),
                            closing)
            v = ktap.judge("b", text.replace(closing, ""), ending)
            self.assertEqual(self.first_line(v, "  FAIL  b: "),
                             "  FAIL  b: the kernel ended the run without its "
                             "closing line 'xcall: options refused: N; "
                             "warnings: M': its options and warnings cannot "
                             "be checked", "no closing line")
        v = ktap.judge("selftest-fail", SELFTEST_FAIL.replace(
            "refused: 0", "refused: 2"), FAILED, expect=SELFTEST, strict=True)
        self.assertTrue("the kernel refused 2 options (a strict run)" in
                        v.lines[0], v.lines[0])
        self.assertEqual(ktap.judge("b", cut(GOOD, "Totals"), TIMEOUT).lines[-1],
                         "          # Totals: pass:4 fail:0 skip:0 total:4",
                         "a run the kernel did not end needs no closing line")

    def test_what_the_kernel_said_is_echoed_printable(self):
        bell, shift, esc = "\x07", "\x0e", "\x1b"
        option = "options: fw_cfg: unknown option 'a" + bell + "' ignored\n"
        cases = (GOOD.replace("ok 1 add_returns_true_when_empty",
                              "ok 1 add_returns" + shift + " # SKIP no" + bell)
                 .replace("    ok 2 callbacks_run_in_fifo_order",
                          "    not ok 2 callbacks" + shift))
        warning = GOOD.replace("# Totals:", "WARNING: CPU 0 at kernel/x.c:1: "
                               "a" + esc + "\n# Totals:")
        v = ktap.judge("b", option + cases, OK, strict=True)
        self.assertEqual([l for l in v.lines + v.notes if not l.isprintable()],
                         [], "every line printable")
        self.first_line(v, "  skip  b/llist/add_returns? (no?)")
        self.first_line(v, "  FAIL  b/smp_call/callbacks?")
        v = ktap.judge("b", option + GOOD, OK, strict=True)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: the kernel refused an option (a strict "
                         "run): fw_cfg: unknown option 'a?' ignored", "headline")
        self.assertTrue("  options: fw_cfg: unknown option 'a?' ignored"
                        in v.notes, v.notes)
        v = ktap.judge("b", warning, OK)
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: unexpected WARNING: CPU 0 at kernel/x.c:1: "
                         "a?", "the WARNING headline")

    def test_the_whole_run_is_named_apart_from_the_boot_suite(self):
        # The kernel's first suite is called "boot": a failed run must not
        # be confused with it.
        text = GOOD.replace("Subtest: llist", "Subtest: boot").replace(
            "ok 1 llist", "ok 1 boot").replace("# llist:", "# boot:")
        v = ktap.judge("bios-smp4", text, TIMEOUT)
        self.assertEqual([n for n, s in units(v) if s == "fail"], ["bios-smp4"],
                         "the run's unit")
        self.assertTrue(("bios-smp4/boot/add_returns_true_when_empty", "pass")
                        in units(v), "the boot suite's cases")
        self.assertEqual(self.first_line(v, "  FAIL  bios-smp4: "),
                         "  FAIL  bios-smp4: timed out after 120 s", "headline")

    def test_refused_options_are_noted_and_fail_a_strict_run(self):
        boot = "xcall: options from fw_cfg 'qemu_exit no_such_option'\n" \
               "options: fw_cfg: unknown option 'no_such_option' ignored\n"
        text = boot + GOOD
        self.assertEqual(ktap.option_warnings(EXPECTED_WARNING), [],
                         "the boot suite's own test of bad options is not "
                         "the boot's")
        self.assertEqual(ktap.option_warnings(text), [
            "options: fw_cfg: unknown option 'no_such_option' ignored"], "said")
        v = ktap.judge("b", text, OK)
        self.assertEqual(v.passed, True, "not strict: a note only")
        self.assertEqual(v.notes, [
            "b: the kernel did not take every option:",
            "  options: fw_cfg: unknown option 'no_such_option' ignored"], "notes")
        v = ktap.judge("b", text, OK, strict=True)
        self.assertEqual(v.passed, False, "strict")
        self.assertEqual(self.first_line(v, "  FAIL  b: "),
                         "  FAIL  b: the kernel refused an option (a strict "
                         "run): fw_cfg: unknown option 'no_such_option' ignored",
                         "headline")
        self.assertEqual(ktap.judge("b", GOOD, OK, strict=True).notes, [],
                         "nothing refused, nothing noted")
        v = ktap.judge("selftest-fail", boot + SELFTEST_FAIL, FAILED,
                       expect=SELFTEST, strict=True)
        self.assertEqual(v.passed, False, "a strict expected failure too")

    def test_a_strict_run_stops_once_an_option_is_refused(self):
        gate = ktap.RefusedOptions()
        said = [gate(l) for l in (
            "\x1b[2J  Booting `xcall: self-tests'\r\n",
            "options: fw_cfg: unknown option 'no_such_option' ignored\r\n",
            "options: fw_cfg: bad value 'x' for idle=, keeping 'hlt'; one of:\r\n",
            "options:   idle=hlt\r\n",
            "xcall: booted by GRUB\r\n",
            "KTAP version 1\r\n")]
        self.assertEqual(said, ["", "", "", "", "the kernel refused an option "
                                "(a strict run): fw_cfg: unknown option "
                                "'no_such_option' ignored", ""],
                         "stop after the last options line, once")
        gate = ktap.RefusedOptions()
        self.assertEqual([gate(l) for l in GOOD.split("\n")] +
                         [gate("options: test: unknown option 'x' ignored")],
                         [""] * (GOOD.count("\n") + 2),
                         "never for a boot whose options were taken, nor "
                         "for a test's options inside the report")
        v = ktap.judge("b", "options: fw_cfg: unknown option 'x' ignored\n",
                       ktap.Ending("stopped", -9, message="the kernel refused "
                                   "an option (a strict run): fw_cfg: unknown "
                                   "option 'x' ignored"), strict=True)
        self.assertEqual(v.lines, ["  FAIL  b: the kernel refused an option (a "
                                   "strict run): fw_cfg: unknown option 'x' "
                                   "ignored"], "one line, no guesses")
        self.assertEqual(ktap.closing_line([v]), "0 passed, 1 failed", "counted")

    def test_suite_not_ok_with_all_cases_ok_fails(self):
        text = GOOD.replace("ok 1 llist", "not ok 1 llist")
        v = ktap.judge("b", text, FAILED)
        self.assertEqual([n for n, s in units(v) if s == "fail"], ["b/llist"],
                         "failed units")
        self.assertEqual(
            self.first_line(v, "  FAIL  b/llist"),
            "  FAIL  b/llist (reported 'not ok' but none of its cases failed)", "line")

    def test_skipped_suite_counts_as_one_skip(self):
        v = ktap.judge("b", SKIPS, OK)
        self.assertEqual(v.passed, True, "passed")
        self.assertEqual(ktap.closing_line([v]), "1 passed, 0 failed, 3 skipped",
                         "closing line")
        self.first_line(v, "  skip  b/x2apic (no x2APIC on this CPU)")

    def test_nested_boot_names_every_level(self):
        v = ktap.judge("uefi-smp4", NESTED, OK)
        self.assertEqual(v.passed, True, "passed")
        self.first_line(v, "  ok    uefi-smp4/apic/x2apic/icr/icr_write_is_one_msr")
        self.first_line(v, "  ok    uefi-smp4/apic/x2apic")

    def test_without_passes_keeps_failures_crashes_skips_and_details(self):
        v = ktap.judge("b", CONTRACT, FAILED)
        kept = ktap.without_passes(v.lines)
        self.assertFalse(any(l.startswith("  ok    ") for l in kept), kept)
        self.assertEqual(kept[:4], [
            "  FAIL  b/smp_call/order_is_fifo",
            "        order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120",
            "        expected seq == 7, got 6 and 7",
            "  skip  b/smp_call/needs_two_cpus (needs at least 2 online CPUs)"],
            "the failure with its diagnostics, then the skip")
        self.assertEqual(ktap.without_passes(ktap.judge("b", GOOD, OK).lines), [],
                         "a clean pass leaves nothing to repeat")

    def test_closing_line_format(self):
        pass_v = ktap.judge("a", GOOD, OK)
        skip_v = ktap.skipped("x2apic-smp4",
                              "needs QEMU >= 9.0 for x2APIC under TCG, found 8.2")
        self.assertEqual(ktap.closing_line([pass_v]), "4 passed, 0 failed", "no skips")
        self.assertEqual(ktap.closing_line([pass_v, skip_v]),
                         "4 passed, 0 failed, 1 skipped", "with a skip")
        self.assertEqual(skip_v.lines, [
            "  skip  x2apic-smp4 (needs QEMU >= 9.0 for x2APIC "
            "under TCG, found 8.2)"
        ], "skip line")
        self.assertTrue(
            re.fullmatch(r"\d+ passed, \d+ failed(, \d+ skipped)?",
                         ktap.closing_line([pass_v, skip_v])), "plain closing line")


class ExpectedFailureTest(ToolTestCase):
    """ktap.judge() on the boots that must fail in a given way."""

    def test_expected_failure_as_planned_is_one_pass(self):
        v = ktap.judge("selftest-fail", SELFTEST_FAIL, FAILED, expect=SELFTEST)
        self.assertEqual(units(v), [("selftest-fail/expected_failure", "pass")],
                         "units")
        self.assertEqual(ktap.closing_line([v]), "1 passed, 0 failed", "closing line")

    def test_expected_failure_with_another_failure_fails(self):
        text = SELFTEST_FAIL.replace("    ok 1 page_zero_is_unmapped",
                                     "    not ok 1 page_zero_is_unmapped")
        self.assertNotEqual(text, SELFTEST_FAIL, "the case is in the log")
        v = ktap.judge("selftest-fail", text, FAILED, expect=SELFTEST)
        self.assertEqual(units(v), [("selftest-fail/expected_failure", "fail")],
                         "units")
        self.assertTrue("these also failed: page_zero_is_unmapped" in "\n".join(v.lines),
                        "names the other failure")

    def test_expected_failure_with_the_wrong_status_fails(self):
        v = ktap.judge("selftest-fail", SELFTEST_FAIL, OK, expect=SELFTEST)
        self.assertEqual(v.passed, False, "passed")
        self.assertTrue("expected the kernel reporting failure (QEMU exit status 3)" in
                        v.lines[0], v.lines[0])

    def test_expected_failure_that_did_not_fail_fails(self):
        v = ktap.judge("selftest-fail", GOOD, FAILED, expect=SELFTEST)
        self.assertEqual(v.passed, False, "passed")
        self.assertTrue(
            "these cases did not fail: deliberate_failure" in "\n".join(v.lines),
            "names the missing failure")

    def test_expected_failure_needs_a_whole_report(self):
        text = cut(SELFTEST_FAIL, "not ok 1 deliberate_failure")
        v = ktap.judge("selftest-fail", text, FAILED, expect=SELFTEST)
        self.assertEqual(v.passed, False, "passed")

    def test_expected_crash_as_planned_is_one_pass(self):
        boot = xcall_qemu.load_matrix()
        want = [b for b in boot if b.name == "selftest-crash"][0].expectation
        v = ktap.judge("selftest-crash", SELFTEST_CRASH, FAILED, expect=want)
        self.assertEqual(units(v), [("selftest-crash/expected_failure", "pass")],
                         "units")
        self.assertTrue("crashed as planned: harness_crash/#2, harness_crash/#3, #2"
                        in v.lines[0], v.lines[0])
        # The crash came a case later: #2 passed, so #2 is not among them.
        later = SELFTEST_CRASH.replace(
            "    # faults_mid_suite: writing through a NULL pointer",
            "    ok 2 faults_mid_suite\n    # never_runs: ...")
        v = ktap.judge("selftest-crash", later, FAILED, expect=want)
        self.assertEqual(v.passed, False, "a crash elsewhere")
        self.assertTrue("these did not crash: harness_crash/#2" in "\n".join(v.lines),
                        v.lines)
        # No crash at all: the report is whole.
        v = ktap.judge("selftest-crash", GOOD, FAILED, expect=want)
        self.assertEqual(v.passed, False, "no crash")
        self.assertTrue("the report did not crash: it is whole"
                        in "\n".join(v.lines), v.lines)
        with self.assertRaises(ValueError, msg="crashed_cases with end reset"):
            _boot(expect="fail", end="reset", crashed_cases=["#1"])

    def test_an_expected_failure_fails_on_an_unexpected_warning(self):
        self.assertTrue(ANNOUNCE + "\r" in SELFTEST_FAIL, "announced there")
        v = ktap.judge("selftest-fail", drop(SELFTEST_FAIL, ANNOUNCE + "\r"),
                       FAILED, expect=SELFTEST)
        self.assertEqual(units(v), [("selftest-fail/expected_failure", "fail")],
                         "units")
        self.assertEqual(v.lines[0], "  FAIL  selftest-fail/expected_failure: "
                         "unexpected WARNING: CPU 0 at kernel/smp.c:383: "
                         "irqs_disabled()", "headline")
        # Seen or only counted, and on the boots that end otherwise too.
        v = ktap.judge("selftest-fail", SELFTEST_FAIL.replace(
            "warnings: 1", "warnings: 2"), FAILED, expect=SELFTEST)
        self.assertTrue("unexpected WARNING the log does not show: the kernel "
                        "counted 2" in v.lines[0], v.lines[0])
        hang = {"expect": "fail", "end": "timeout"}
        v = ktap.judge("hang", "WARNING: CPU 0 at kernel/idle.c:9: x\n",
                       TIMEOUT, expect=hang)
        self.assertEqual(units(v), [("hang/expected_timeout", "fail")],
                         "a warning before the hang")

    def test_expected_reset_and_timeout(self):
        reset = {"expect": "fail", "end": "reset"}
        hang = {"expect": "fail", "end": "timeout"}
        self.assertEqual(units(ktap.judge("triple-fault", "", RESET, expect=reset)),
                         [("triple-fault/expected_reset", "pass")], "reset as planned")
        self.assertEqual(units(ktap.judge("triple-fault", GOOD, OK, expect=reset)),
                         [("triple-fault/expected_reset", "fail")], "no reset")
        self.assertEqual(units(ktap.judge("triple-fault", "", TIMEOUT, expect=reset)),
                         [("triple-fault/expected_reset", "fail")], "timeout instead")
        self.assertEqual(units(ktap.judge("hang", "", TIMEOUT, expect=hang)),
                         [("hang/expected_timeout", "pass")], "timeout as planned")
        v = ktap.judge("hang", "", RESET, expect=hang)
        self.assertEqual(units(v), [("hang/expected_timeout", "fail")], "reset instead")
        self.assertTrue(
            v.lines[0].startswith("  FAIL  hang/expected_timeout: expected a "
                                  "timeout, but guest reset"), v.lines[0])

    def test_expected_failure_must_print_its_report(self):
        crash = {"expect": "fail", "end": "failure",
                 "must_print": [r"^exception: #PF", r"^Call trace:"]}
        log = ("xcall: booted\n\x1b[0mexception: #PF (page fault) vector 14\n"
               "RIP: 0008:0000000000201234 f+0x4\nCall trace:\n  [<1>] f+0x4\n"
               + CLOSING)
        self.assertEqual(units(ktap.judge("exception", log, FAILED, expect=crash)),
                         [("exception/expected_failure", "pass")], "report printed")
        v = ktap.judge("exception", log.replace("Call trace:", "Call"), FAILED,
                       expect=crash)
        self.assertEqual(units(v), [("exception/expected_failure", "fail")],
                         "no backtrace")
        self.assertTrue("never printed /^Call trace:/" in v.lines[0], v.lines[0])

    def test_must_print_is_a_sequence(self):
        # The machine-check boot: the report, then the panic. A line in
        # the wrong place is as wrong as a missing one.
        mce = {"expect": "fail", "end": "failure",
               "must_print": [r"^mce: CPU 1 bank 1: ", r"^Kernel panic - not syncing"]}
        log = ("mce: machine check on CPU 1 (apic_id 1)\n"
               "mce: CPU 1 bank 1: MCi_STATUS 0xb200000000000000 (uncorrected)\n"
               "Kernel panic - not syncing: machine check on CPU 1\n")
        self.assertEqual(units(ktap.judge("mce", log + CLOSING, FAILED,
                                          expect=mce)),
                         [("mce/expected_failure", "pass")], "in order")
        swapped = "\n".join(reversed(log.strip().split("\n"))) + "\n" + CLOSING
        v = ktap.judge("mce", swapped, FAILED, expect=mce)
        self.assertEqual(units(v), [("mce/expected_failure", "fail")], "swapped")
        self.assertTrue("never printed /^Kernel panic - not syncing/ after "
                        "/^mce: CPU 1 bank 1: /" in v.lines[0], v.lines[0])
        self.assertEqual(ktap.missing_prints(log, []), None, "nothing asked")

    def test_a_boot_that_passes_may_have_to_print_too(self):
        # The stuck-call boot passes, and must show the target's backtrace.
        must = [r"^smp: csd: CPU 0 .* has waited", r"^NMI backtrace for CPU 1",
                r"^  \[<[0-9a-f]+>\] spin\+0x"]
        said = ("smp: csd: CPU 0 (apic_id 0) has waited 200 ms for CPU 1\n"
                "NMI backtrace for CPU 1 (apic_id 1):\n  [<0000000000214e3a>] spin+0x3a\n")
        b = _boot(must_print=must)
        self.assertEqual(b.expectation["must_print"], must, "kept for the judge")
        v = ktap.judge("stuck", said + GOOD, OK, expect=b.expectation)
        self.assertEqual(boot_unit(v), None, "printed: no failure of the run")
        v = ktap.judge("stuck", GOOD, OK, expect=b.expectation)
        self.assertEqual(boot_unit(v).status, "fail", "not printed")
        self.assertTrue(any("never printed /^smp: csd: CPU 0 .* has waited/" in l
                            for l in v.lines), v.lines)


class HostProgramTest(ToolTestCase):
    """ktap.judge() on a host test program's report and exit status."""

    def test_host_binary_failure_agrees_with_its_status(self):
        v = ktap.judge("host/test_llist", HOST, ktap.Ending("failure", 1), host=True)
        self.assertEqual(units(v), [("host/test_llist/host_llist/add_to_empty", "pass"),
                                    ("host/test_llist/host_llist/del_all", "fail")],
                         "units")

    def test_host_binary_nonzero_status_with_all_passing_fails(self):
        text = HOST.replace("    not ok 2 del_all", "    ok 2 del_all").replace(
            "not ok 1 host_llist", "ok 1 host_llist").replace(
            "# Totals: pass:1 fail:1", "# Totals: pass:2 fail:0")
        v = ktap.judge("host/test_llist", text, ktap.Ending(
            "failure", 1, stderr="==1==ERROR: LeakSanitizer: detected memory leaks"),
            host=True)
        self.assertEqual(
            self.first_line(v, "  FAIL  host/test_llist: "),
            "  FAIL  host/test_llist: exited with status 1 but every test "
            "passed (a sanitizer report at exit?)", "boot line")
        self.assertTrue(
            "          ==1==ERROR: LeakSanitizer: detected memory leaks" in v.lines,
            "stderr shown")


class QemuTest(ToolTestCase):
    """xcall_qemu: the QEMU command line, OVMF, exit statuses, old QEMUs."""

    def test_qemu_status_maps_to_endings(self):
        m = xcall_qemu.qemu_ending
        self.assertEqual(m(1, 120, "").kind, "success", "status 1")
        self.assertEqual(m(3, 120, "").kind, "failure", "status 3")
        self.assertEqual(m(0, 120, "").kind, "reset", "status 0")
        self.assertEqual((m(None, 20, "").kind, m(None, 20, "").timeout),
                         ("timeout", 20), "timeout")
        self.assertEqual(m(2, 120, "").message, "QEMU exited with status 2", "status 2")
        self.assertEqual(m(-9, 120, "").message, "QEMU was killed by SIGKILL", "signal")
        # Status 1 without a word from the guest: QEMU refused to start.
        refused = m(1, 120, "qemu-system-x86_64: Invalid CPU topology: CPU "
                    "topology parameters must be greater than zero\n", wrote=False)
        self.assertEqual((refused.kind, refused.message), (
            "error", "QEMU failed to start: qemu-system-x86_64: Invalid CPU "
            "topology: CPU topology parameters must be greater than zero"),
            "QEMU's own error")
        self.assertEqual(m(1, 120, "", wrote=False).message,
                         "QEMU exited with status 1 before the guest wrote "
                         "anything", "status 1, silent")
        v = ktap.judge("bios-smp0", "", refused)
        self.assertEqual(v.lines[0], "  FAIL  bios-smp0: QEMU failed to start: "
                         "qemu-system-x86_64: Invalid CPU topology: CPU topology "
                         "parameters must be greater than zero", "never a success")

    def test_cpu_models_from_qemu_help(self):
        new = ("Available CPUs:\n  486                   (alias configured by "
               "machine type)\n  qemu64                (alias)\n  host          "
               "        processor with all supported host features\n\n"
               "Recognized CPUID flags:\n  3dnow 3dnowext\n")
        self.assertEqual(xcall_qemu.cpu_models(new), {"486", "qemu64", "host"},
                         "QEMU 7 and later")
        old = "Available CPUs:\nx86 qemu64  QEMU Virtual CPU\nx86 host  KVM\n\n"
        self.assertEqual(xcall_qemu.cpu_models(old), {"qemu64", "host"},
                         "older QEMU")
        self.assertEqual(xcall_qemu.cpu_models(""), set(), "nothing said")

    def test_serial_echo_is_safe_for_the_terminal(self):
        first = SELFTEST_NOSUCH.split("\n")[0]      # SeaBIOS and GRUB's
        self.assertTrue(first.startswith("\x1b[H\x1b[J"), repr(first))
        self.assertEqual(ktap.terminal_safe(first), "  Booting `xcall: self-tests'",
                         "screen clearing and cursor moves")
        self.assertEqual(ktap.terminal_safe("\x1b[1;31mred\x1b[0m \x07bell\x0e\r\n"),
                         "red bell", "colours and other controls")
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "run.log")
            buf = io.BytesIO()
            out = io.TextIOWrapper(buf)
            with open(os.path.join(d, "err"), "wb") as err, \
                    contextlib.redirect_stdout(out):
                status = xcall_qemu._stream(
                    ["printf", "\\033[2J\\033[1;1Hhello \\033[31mred\r\\n"],
                    log, err, 30)
            out.flush()
            self.assertEqual((status, buf.getvalue()), (0, b"hello red\n"),
                             "what the terminal gets")
            with open(log, "rb") as f:
                self.assertEqual(f.read(), b"\x1b[2J\x1b[1;1Hhello \x1b[31mred\r\n",
                                 "the log keeps every byte")

    def test_a_stop_ends_the_streamed_boot_there(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, "run.log")
            buf = io.BytesIO()
            out = io.TextIOWrapper(buf)
            stopped = []
            with open(os.path.join(d, "err"), "wb") as err, \
                    contextlib.redirect_stdout(out):
                status = xcall_qemu._stream(
                    ["sh", "-c", "echo one; echo options: x; echo two; sleep 60"],
                    log, err, 120, ktap.RefusedOptions(), stopped)
            out.flush()
            self.assertEqual((status, stopped), (-9, [
                "the kernel refused an option (a strict run): x"]), "stopped")
            self.assertEqual(buf.getvalue(), b"one\noptions: x\n",
                             "nothing echoed after the stop")

    def test_the_terminal_is_reset_after_a_boot(self):
        class Tty(io.StringIO):
            def isatty(self):
                return True
        tty, pipe = Tty(), io.StringIO()
        xcall_qemu.reset_terminal(tty)
        xcall_qemu.reset_terminal(pipe)
        self.assertEqual((tty.getvalue(), pipe.getvalue()),
                         ("\x1b[0m\x1b[?25h", ""), "only a terminal is reset")

    def test_gdb_stub_state_from_proc_net_tcp(self):
        head = "  sl  local_address rem_address   st tx_queue rx_queue\n"
        listen = head + "   0: 00000000:04D2 00000000:0000 0A 00000000:00000000\n"
        up = listen + "   1: 0100007F:04D2 0100007F:A2F0 01 00000000:00000000\n"
        other = head + "   0: 00000000:04D3 00000000:0000 0A 00000000:00000000\n"
        self.assertEqual([xcall_qemu.gdb_listening(1234, [t]) for t in
                          (listen, up, other)], [True, True, False], "listening")
        self.assertEqual([xcall_qemu.gdb_connected(1234, [t]) for t in
                          (listen, up, other)], [False, True, False], "connected")

    def test_debug_waits_for_a_debugger_within_a_bound(self):
        class Qemu:
            def __init__(self, status=None):
                self.status = status

            def poll(self):
                return self.status
        wait = xcall_qemu.await_debugger
        self.assertEqual(wait(Qemu(), 1234, 0.3, connected=lambda p: False,
                              poll=0.05), "timeout", "nobody came")
        self.assertEqual(wait(Qemu(), 1234, 30, connected=lambda p: True),
                         "connected", "gdb came")
        self.assertEqual(wait(Qemu(1), 1234, 30, connected=lambda p: False),
                         "exited", "QEMU ended first")

    def test_debug_echoes_the_serial_line_safely_and_debugs_its_own_elf(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("xcall.iso", "xcall.elf"):
                open(os.path.join(d, name), "w").close()
            # A QEMU that writes what SeaBIOS writes, then ends.
            fake = os.path.join(d, "qemu")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nprintf '\\033[2J\\033[1;1Hhello "
                        "\\033[31mred\\r\\n'\n")
            os.chmod(fake, 0o755)
            p = subprocess.run(
                [sys.executable, os.path.join(TOOLS, "xcall.py"), "debug",
                 "--iso", os.path.join(d, "xcall.iso"), "--logs", d],
                env=dict(os.environ, QEMU=fake), stdin=subprocess.DEVNULL,
                capture_output=True, timeout=60)
            self.assertTrue(b"\nhello red\n" in p.stdout, p.stdout)
            self.assertFalse(b"\x1b" in p.stdout, p.stdout)
            with open(os.path.join(d, "debug.log"), "rb") as f:
                self.assertEqual(f.read(), b"\x1b[2J\x1b[1;1Hhello \x1b[31mred\r\n",
                                 "the log keeps every byte")
            self.assertEqual(xcall.gdb_command(os.path.join(d, "xcall.elf"))[:4],
                             ["gdb", "-q", "-ex", "file " + xcall_qemu.rel(
                                 os.path.join(d, "xcall.elf"))],
                             "the ELF next to the ISO, before gdbinit")
            os.unlink(os.path.join(d, "xcall.elf"))
            status, out = run_cli(["debug", "--iso", os.path.join(d, "xcall.iso"),
                                   "--logs", d])
            self.assertEqual(status, 2, out)
            self.assertTrue("xcall.elf not found next to" in out, out)
        with open(os.path.join(TOOLS, "gdbinit")) as f:
            self.assertFalse(any(l.startswith("file ") for l in f),
                             "gdbinit names no ELF of its own")

    def test_debug_says_when_qemu_ends_before_a_debugger_came(self):
        with tempfile.TemporaryDirectory() as d:
            for name in ("xcall.iso", "xcall.elf"):
                open(os.path.join(d, name), "w").close()
            fake = os.path.join(d, "qemu")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nsleep 0.5\nexit 0\n")
            os.chmod(fake, 0o755)
            # QEMU's gdb stub seems up; no terminal here for gdb.
            saved = (xcall_qemu.QEMU, xcall_qemu.gdb_listening, sys.stdin)
            xcall_qemu.QEMU = fake
            xcall_qemu.gdb_listening = lambda port: True
            sys.stdin = io.StringIO()
            try:
                status, out = run_cli(["debug", "--iso",
                                       os.path.join(d, "xcall.iso"),
                                       "--logs", d, "--timeout", "30"])
            finally:
                xcall_qemu.QEMU, xcall_qemu.gdb_listening, sys.stdin = saved
        self.assertEqual((status, out.rstrip().split("\n")[-1]), (
            1, "xcall-test: QEMU exited with status 0 before a debugger "
            "connected"), out)

    def test_qemu_command_line(self):
        b = _boot(smp="6,sockets=2,cores=3", options="ipi_drop=3 csd_timeout_ms=20")
        cmd, vars_copy = xcall_qemu.qemu_command(b, "tcg", "build/xcall.iso",
                                             "build/logs/t.log")
        self.assertEqual(vars_copy, None, "no OVMF vars for BIOS")
        self.assertEqual(_arg(cmd, "-smp"), ["6,sockets=2,cores=3"], "-smp")
        self.assertEqual(_arg(cmd, "-cpu"), ["qemu64"], "-cpu under TCG")
        self.assertEqual(_arg(cmd, "-accel"), ["tcg"], "-accel")
        self.assertEqual(_arg(cmd, "-machine"), ["q35"], "-machine")
        self.assertEqual(_arg(cmd, "-m"), ["256M"], "-m")
        self.assertEqual(_arg(cmd, "-serial"), ["file:build/logs/t.log"], "-serial")
        self.assertEqual(_arg(cmd, "-device"),
                         ["isa-debug-exit,iobase=0xf4,iosize=0x04"], "-device")
        self.assertEqual(
            _arg(cmd, "-fw_cfg"),
            ["name=opt/xcall/cmdline,string=qemu_exit "
             "ipi_drop=3 csd_timeout_ms=20"], "-fw_cfg")
        for flag in ("-no-reboot", "-cdrom", "-display", "-monitor", "-vga"):
            self.assertTrue(flag in cmd, f"{flag} missing")
        self.assertEqual(_arg(cmd, "-vga"), ["none"], "-vga")
        self.assertTrue("-bios" not in cmd and "-drive" not in cmd,
                        "SeaBIOS is the default")

        b = _boot(options="list=a,b", vga="std", extra=["-d", "int"])
        cmd, _ = xcall_qemu.qemu_command(b, "kvm", "x.iso", "l,og", stdio=True)
        self.assertEqual(_arg(cmd, "-fw_cfg"),
                         ["name=opt/xcall/cmdline,string=qemu_exit list=a,,b"],
                         "comma doubled")
        self.assertEqual(_arg(cmd, "-cpu"), ["host"], "-cpu under KVM")
        self.assertEqual(_arg(cmd, "-serial"), ["stdio"], "serial on stdio")
        self.assertEqual(_arg(cmd, "-vga"), ["std"], "vga")
        self.assertEqual(cmd[-2:], ["-d", "int"], "extra")
        cmd, _ = xcall_qemu.qemu_command(_boot(cpu="qemu64,+x2apic"), "kvm", "x.iso",
                                         "l")
        self.assertEqual(_arg(cmd, "-cpu"), ["qemu64,+x2apic"],
                         "an entry's model wins under KVM")

    def test_uefi_firmware_choices(self):
        with tempfile.TemporaryDirectory() as d:
            code, vars_ = os.path.join(d, "CODE.fd"), os.path.join(d, "VARS.fd")
            for p in (code, vars_):
                open(p, "w").close()
            b = _boot(firmware="uefi")
            self.assertEqual(b.timeout, 180, "UEFI default timeout")
            ovmf = xcall_qemu.find_ovmf([(code, vars_)], [])
            cmd, copy = xcall_qemu.qemu_command(b, "tcg", "x.iso", "l", logdir=d,
                                                ovmf=ovmf)
            mine = os.path.join(d, "t.OVMF_VARS.fd")
            self.assertEqual(copy, (vars_, mine), "per-boot vars copy")
            self.assertEqual(_arg(cmd, "-drive"), [
                f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
                f"if=pflash,format=raw,unit=1,file={mine}"
            ], "pflash drives")
            self.assertEqual(
                xcall_qemu.find_ovmf([(code, os.path.join(d, "none"))], [code]),
                ("bios", code), "falls back to one image")
            cmd, _ = xcall_qemu.qemu_command(b, "tcg", "x.iso", "l", logdir=d,
                                         ovmf=("bios", code))
            self.assertEqual(_arg(cmd, "-bios"), [code], "-bios")
            self.assertEqual(xcall_qemu.find_ovmf([], [os.path.join(d, "none")]), None,
                             "none")
            with self.assertRaises(xcall_qemu.SetupError,
                                   msg="no SetupError without OVMF") as cm:
                xcall_qemu.firmware_args(b, d, ovmf=None)
            e = cm.exception
            self.assertTrue("'ovmf'" in str(e), f"message names the package: {e}")

    def test_old_qemu_skips_x2apic_boots(self):
        b = _boot(cpu="qemu64,+x2apic", min_qemu=(9, 0),
                  min_qemu_why="x2APIC under TCG")
        self.assertEqual(xcall_qemu.skip_reason(b, (8, 2)),
                         "needs QEMU >= 9.0 for x2APIC under TCG, found 8.2",
                         "old QEMU")
        self.assertEqual(xcall_qemu.skip_reason(b, (9, 0)), "", "9.0")
        self.assertEqual(xcall_qemu.skip_reason(b, (10, 0)), "", "10.0")
        self.assertEqual(xcall_qemu.skip_reason(_boot(), (7, 2)), "", "no minimum")

    def test_monitor_socket_only_for_boots_that_drive_it(self):
        cmd, _ = xcall_qemu.qemu_command(_boot(), "tcg", "x.iso", "x.log")
        self.assertEqual(_arg(cmd, "-monitor"), ["none"], "no monitor by default")
        b = _boot(monitor=[(r"^go", "mce 1 1 0xb200000000000000 0 0 0")])
        cmd, _ = xcall_qemu.qemu_command(b, "tcg", "x.iso", "x.log",
                                         monitor="/tmp/m,x/sock")
        self.assertEqual(_arg(cmd, "-monitor"), ["unix:/tmp/m,,x/sock,server,nowait"],
                         "a unix socket QEMU makes and does not wait on")
        self.assertTrue("monitor 'mce 1 1 0xb200000000000000 0 0 0' at /^go/"
                        in b.describe(), b.describe())
        for bad in ([("^go",)], [("^go", "")], "mce 1", [("(", "mce")], [(1, "x")]):
            with self.subTest(monitor=bad), \
                    self.assertRaises(ValueError, msg=f"accepted {bad!r}"):
                _boot(monitor=bad)

    def test_monitor_driver_sends_each_command_at_its_line(self):
        with tempfile.TemporaryDirectory() as d:
            log, sock = os.path.join(d, "t.log"), os.path.join(d, "sock")
            got = []
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind(sock)
            server.listen(1)

            def qemu_monitor():
                # As QEMU's: a banner and a prompt, the command's echo, an
                # answer and the prompt again.
                conn, _ = server.accept()
                with conn:
                    conn.sendall(b"QEMU 10.0.2 monitor - type 'help'\r\n(qemu) ")
                    data = b""
                    while not data.endswith(b"\n"):
                        data += conn.recv(100)
                    got.append(data.decode().strip())
                    conn.sendall(data + b"CPU 1: done\r\n(qemu) ")

            t = threading.Thread(target=qemu_monitor, daemon=True)
            t.start()
            drv = xcall_qemu.MonitorDriver(log, sock, [
                (r"^    # Subtest: smp_stress", "mce 1 1 0xb2 0 0 0"),
                (r"^never$", "quit")])
            drv.start()
            with open(log, "wb") as f:
                f.write(b"KTAP version 1\n\x1b[0m    # Subtest: smp_")
                f.flush()
                time.sleep(0.2)         # half a line: not yet
                self.assertEqual(got, [], "sent on half a line")
                f.write(b"stress\r\n    1..1\n")
            t.join(30)
            drv.stop()
            server.close()
            self.assertEqual(got, ["mce 1 1 0xb2 0 0 0"], "the command, once")
            self.assertEqual(drv.notes, [
                "monitor: sent 'mce 1 1 0xb2 0 0 0' (after the line "
                "'    # Subtest: smp_stress'); QEMU said: CPU 1: done",
                "monitor: 'quit' never sent: no line matched /^never$/"],
                "what the boot's record says")

    def test_usb_media_boots_the_iso_as_a_stick(self):
        cmd, _ = xcall_qemu.qemu_command(_boot(media="usb"), "tcg", "x.iso", "x.log")
        self.assertTrue("-cdrom" not in cmd, "no CD when booting from the stick")
        self.assertTrue("usb-storage,drive=stick" in cmd, "a USB mass-storage device")
        self.assertTrue(any(a.startswith("file=x.iso,format=raw") for a in cmd),
                        "the raw image")
        cmd, _ = xcall_qemu.qemu_command(_boot(), "tcg", "x.iso", "x.log")
        self.assertEqual(cmd[cmd.index("-cdrom") + 1], "x.iso", "CD by default")
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        self.assertEqual(
            (boots["usb-bios-smp2"].media, boots["usb-uefi-smp2"].firmware),
            ("usb", "uefi"), "the USB boots")


class MatrixTest(ToolTestCase):
    """tools/matrix.py as xcall_qemu.load_matrix() reads it."""

    def test_matrix_has_the_required_boots(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        for name in ("bios-smp1", "bios-smp2", "bios-smp4", "bios-smp8", "pc-smp2",
                     "uefi-smp4", "sparse-apic", "x2apic-smp4", "x2apic-smp8",
                     "nox2apic-smp4", "poll-smp4", "ipi-drop-smp4", "selftest-fail",
                     "selftest-crash",
                     "triple-fault", "hang"):
            self.assertTrue(name in boots, f"{name} missing from the matrix")
        self.assertEqual(boots["pc-smp2"].machine, "pc", "pc-smp2 machine")
        self.assertEqual(boots["uefi-smp4"].firmware, "uefi", "uefi-smp4 firmware")
        self.assertEqual(boots["sparse-apic"].smp, "6,sockets=2,cores=3",
                         "sparse-apic smp")
        for name in ("x2apic-smp4", "x2apic-smp8", "nox2apic-smp4"):
            self.assertEqual((boots[name].cpu, boots[name].min_qemu),
                             ("qemu64,+x2apic", (9, 0)), name)
        for name, word in (("nox2apic-smp4", "nox2apic"), ("poll-smp4", "idle=poll"),
                           ("haltpoll-smp4", "idle=haltpoll"),
                           ("ipi-drop-smp4", "ipi_drop=3"),
                           ("ipi-drop-smp4", "csd_timeout_ms=20"),
                           ("bios-smp4", "stress_calls=100000"),
                           ("x2apic-smp4", "stress_calls=100000")):
            self.assertTrue(word in boots[name].options.split(), f"{name} lacks {word}")
        self.assertEqual(boots["selftest-fail"].expectation,
                         {"expect": "fail", "end": "failure",
                          "failed_cases": ["deliberate_failure"],
                          "crashed_cases": [], "must_print": []},
                         "selftest-fail")
        self.assertEqual((boots["selftest-crash"].end,
                          boots["selftest-crash"].crashed_cases),
                         ("failure", ["harness_crash/#2", "harness_crash/#3", "#2"]),
                         "selftest-crash")
        self.assertTrue("selftest_crash" in boots["selftest-crash"].options.split(),
                        "selftest-crash options")
        self.assertEqual((boots["triple-fault"].options, boots["triple-fault"].end),
                         ("selftest_triple_fault", "reset"), "triple-fault")
        self.assertEqual(
            (boots["hang"].options, boots["hang"].end, boots["hang"].timeout),
            ("selftest_hang", "timeout", 20), "hang")
        self.assertEqual(boots["bios-smp1"].timeout, 120, "default timeout")

    def test_a_reset_or_hang_passes_only_with_the_kernels_own_line(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        for name, ending, said in (
                ("triple-fault", RESET, "xcall: selftest_triple_fault: loading "
                 "an empty IDT and trapping"),
                ("hang", TIMEOUT, "xcall: selftest_hang: spinning with "
                 "interrupts off")):
            want = boots[name].expectation
            before = "xcall: booted by GRUB\r\nsmp: Brought up 1 CPUs\r\n"
            with self.subTest(name=name):
                self.assertEqual(units(ktap.judge(name, before, ending,
                                                  expect=want)),
                                 [(f"{name}/expected_{boots[name].end}",
                                   "fail")], "any reset or hang")
                self.assertEqual(units(ktap.judge(
                    name, before + "\x1b[0m" + said + "\r\n", ending,
                    expect=want)), [(f"{name}/expected_{boots[name].end}",
                                     "pass")], "this one")

    def test_matrix_has_the_panic_nmi_boot(self):
        # The panicking CPU takes an NMI mid-report and still finishes it.
        b = {b.name: b for b in xcall_qemu.load_matrix()}["panic-nmi-smp2"]
        self.assertEqual((b.expect, b.end, b.options.split()),
                         ("fail", "failure", ["selftest_panic_nmi", "selftest=panic_nmi"]),
                         "panic-nmi-smp2")
        self.assertTrue(b.must_print[0].startswith("^traps: unexpected NMI on CPU 0"),
                        "the NMI is seen")
        self.assertTrue(b.must_print[-1].startswith(r"^---\[ end Kernel panic"),
                        "and the report ends")

    def test_matrix_entry_typos_are_refused(self):
        for bad in ({"name": "x", "option": "typo"}, {"name": "x", "firmware": "efi"},
                    {"name": "x", "expect": "fail"}, {"name": "x", "smp": "four"},
                    {"name": "x", "extra": "-d int"},
                    {"name": "x", "failed_cases": ["a"]},
                    {"name": "x", "min_qemu": 9}, {"name": "x", "media": "floppy"},
                    {"name": "x", "must_print": ["("]},
                    {"name": "x", "monitor": [("^x", "mce", "extra")]}):
            with self.subTest(entry=bad), \
                    self.assertRaises(ValueError, msg=f"accepted {bad}"):
                _boot(**{k: v for k, v in bad.items() if k != "name"})

    def test_matrix_has_the_real_hardware_boots(self):
        # Issue 10's acceptance: the machine check injected mid-run, the
        # panics with CPUs left out under both firmwares, the stuck target.
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        mce = boots["mce-smp2"]
        self.assertEqual((mce.end, mce.monitor),
                         ("failure", [(r"^    # Subtest: smp_stress",
                                       "mce 1 1 0xb200000000000000 0 0 0")]),
                         "mce-smp2 injects on CPU 1, bank 1, and must fail")
        self.assertTrue(any("CPU 1 bank 1: MCi_STATUS 0xb200000000000000" in p
                            for p in mce.must_print), "the report is checked")
        self.assertTrue(mce.must_print[-1].startswith(r"^---\[ end Kernel panic"),
                        "the panic comes last")
        for name, fw in (("maxcpus-panic-bios", "bios"), ("maxcpus-panic-uefi", "uefi")):
            b = boots[name]
            self.assertEqual((b.smp, b.firmware, b.end, b.options.split()),
                             ("4", fw, "failure", ["maxcpus=2", "selftest_exception"]),
                             name)
            self.assertTrue(any("NMI to each of the 1 other online CPUs" in p
                                for p in b.must_print), f"{name}: the NMI path")
        stuck = boots["csd-stuck-smp2"]
        self.assertEqual((stuck.expect, stuck.cpus), ("pass", 2), "csd-stuck-smp2")
        self.assertTrue("csd_stuck_target_spin" in stuck.must_print[-2],
                        "the backtrace names the spinning function")
        self.assertTrue("generic_smp_call_function_single_interrupt" in stuck.must_print[-1],
                        "and, walking the frames, its caller")

    def test_matrix_has_the_broadcast_mce_boot(self):
        # Every CPU in the #MC handler reports its own banks.
        b = {b.name: b for b in xcall_qemu.load_matrix()}["mce-bcast-smp2"]
        self.assertEqual((b.end, [c for _, c in b.monitor]),
                         ("failure", ["mce -b 1 1 0xb200000000000000 0 0 0"]),
                         "mce-bcast-smp2 broadcasts and must fail")
        self.assertEqual(sum("bank 1: MCi_STATUS" in p for p in b.must_print), 2,
                         "two CPUs' bank lines")
        self.assertTrue(any("2 CPUs reported" in p for p in b.must_print),
                        "both reported")

    def test_matrix_has_a_bench_boot(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        b = boots.get("bench-smp2")
        self.assertTrue(b is not None, "bench-smp2 missing")
        self.assertEqual((b.bench, b.smp, b.cpus), (True, "2", 2), "bench-smp2")
        for word in ("bench", "bench_iters=20", "bench_methods=both"):
            self.assertTrue(word in b.options.split(), f"bench-smp2 lacks {word}")
        self.assertEqual(boots["bios-smp4"].bench, False, "others have no bench unit")
        self.assertEqual(_boot(smp="6,sockets=2,cores=3").cpus, 6, "topology count")
        self.assertEqual(_boot(smp="sockets=2,cores=3").cpus, 6, "levels only")
        for bad in ({"bench": "yes", "options": "bench"}, {"bench": True},
                    {"bench": True, "options": "bench", "expect": "fail",
                     "end": "timeout"}):
            with self.subTest(entry=bad), \
                    self.assertRaises(ValueError, msg=f"accepted {bad}"):
                _boot(**bad)


def run_cli(argv):
    """tools/xcall.py's main(@argv) in this process: (status, its stdout)."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            status = xcall.main(argv)
    finally:
        # main() ends by refusing new children (kill_all()): a runner
        # process ends there, this one goes on testing.
        xcall_qemu._stopping = False
    return status, out.getvalue()


def make_dry_run(*args):
    """What `make -n ARGS` would run, from the top of the tree: the make
    that runs these tests (make test) must not pass its flags down."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    p = subprocess.run(["make", "-n", "--no-print-directory", *args],
                       cwd=xcall_qemu.ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    # One command a line: continuation lines joined, blanks collapsed.
    p.stdout = "\n".join(re.sub(r"[ \t]+", " ", l) for l in
                         p.stdout.replace("\\\n", " ").split("\n"))
    return p


def make_runner_argv(goal, *args):
    """The arguments `make GOAL ARGS` gives tools/xcall.py, as a stand-in
    runner receives them. The ISO, the dependency checks and the host
    tests are taken as made (make -o), so nothing is built or installed."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    show = shlex.join([sys.executable, "-c", "import json, sys; "
                       "print(json.dumps(sys.argv[1:]))"])
    with tempfile.TemporaryDirectory() as d:
        made = [f"-o{d}/xcall.iso", f"-o{d}/.deps-run", f"-o{d}/.deps-test",
                "-ohost-tests"]
        p = subprocess.run(["make", "--no-print-directory", f"BUILD={d}",
                            *made, "RUNNER=" + show, goal, *args],
                           cwd=xcall_qemu.ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    if p.returncode:
        raise AssertionError(f"make {goal} failed: {p.stdout}{p.stderr}")
    return json.loads(p.stdout.strip().split("\n")[-1])


class CommandLineTest(ToolTestCase):
    """tools/xcall.py and the make targets that call it, with no QEMU."""

    def test_build_dir_gives_the_iso_and_the_logs(self):
        with tempfile.TemporaryDirectory() as d:
            for goal in ("run", "test", "debug"):
                out = make_dry_run(goal, f"BUILD={d}").stdout
                runner = [l for l in out.split("\n") if "tools/xcall.py" in l]
                self.assertTrue(runner, f"make -n {goal} runs no tools/xcall.py")
                self.assertTrue(f"--iso {d}/xcall.iso --logs {d}/logs" in runner[0],
                                f"{goal}: {runner[0]}")
            out = make_dry_run("bench", f"BUILD={d}").stdout
            self.assertTrue(f"--iso {d}/xcall.iso --out {d}/bench" in out, out)

    def test_make_test_is_strict_and_make_run_is_not(self):
        def strict(*args):
            argv = make_runner_argv(*args)
            return argv[argv.index("--strict") + 1]
        self.assertEqual([strict("test"), strict("run"), strict("run", "STRICT=1"),
                          strict("test", "STRICT=0"), strict("debug")],
                         ["1", "0", "1", "0", "0"], "test, run, STRICT=")

    def test_make_passes_each_setting_as_it_was_given(self):
        odd = {"SMP": "a'b", "OPTS": "idle='hlt' x=$$HOME \"q\"  two",
               "CPU": "max,+x2apic", "TIMEOUT": "3 0", "FIRMWARE": "`uefi`",
               "MACHINE": "q35;pc", "ACCEL": "tcg&", "NR_CPUS": "8"}
        for goal in ("run", "debug"):
            argv = make_runner_argv(goal, *(f"{k}={v}" for k, v in odd.items()))
            with self.subTest(goal=goal):
                got = {k: argv[argv.index(f"--{o}") + 1] for k, o in (
                    ("SMP", "smp"), ("OPTS", "opts"), ("CPU", "cpu"),
                    ("TIMEOUT", "timeout"), ("FIRMWARE", "firmware"),
                    ("MACHINE", "machine"), ("ACCEL", "accel"),
                    ("NR_CPUS", "max-cpus"))}
                # make reads $$ as one $ itself; the shell adds nothing.
                self.assertEqual(got, dict(odd, OPTS=odd["OPTS"].replace(
                    "$$", "$")), "as typed")
                self.assertEqual(argv[:2], [goal, "--make"], "subcommand")

    def test_objects_are_rebuilt_when_nr_cpus_or_the_compiler_changes(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
        with tempfile.TemporaryDirectory() as d:
            def built(*args):
                """Did make compile lib/string.c into BUILD=d?"""
                p = subprocess.run(["make", "--no-print-directory", "V=1",
                                    f"BUILD={d}", f"{d}/lib/string.o", *args],
                                   cwd=xcall_qemu.ROOT, env=env, text=True,
                                   capture_output=True, timeout=120)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                return "-c lib/string.c" in p.stdout
            self.assertEqual([built(), built(), built("NR_CPUS=8"),
                              built("NR_CPUS=8"), built("NR_CPUS=8", "CC=cc"),
                              built("NR_CPUS=8", "CC=cc"), built()],
                             [True, False, True, False, True, False, True],
                             "built, kept, rebuilt for NR_CPUS=8, kept, "
                             "rebuilt for CC=cc, kept, rebuilt as at first")

    def test_trace_0_compiles_the_hooks_out(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
        with tempfile.TemporaryDirectory() as d:
            def build(*args):
                """Build kernel/smp.o into BUILD=d: (compiled?, its symbols)."""
                p = subprocess.run(["make", "--no-print-directory", "V=1",
                                    f"BUILD={d}", f"{d}/kernel/smp.o", *args],
                                   cwd=xcall_qemu.ROOT, env=env, text=True,
                                   capture_output=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                nm = subprocess.run(["nm", f"{d}/kernel/smp.o"], text=True,
                                    capture_output=True, check=True).stdout
                return "-c kernel/smp.c" in p.stdout, "__trace_record" in nm
            self.assertEqual([build(), build("TRACE=0"), build("TRACE=0"),
                              build("TRACE=1")],
                             [(True, True), (True, False), (False, False),
                              (True, True)],
                             "hooks in, rebuilt without them for TRACE=0, kept, "
                             "rebuilt with them")
            p = subprocess.run(["make", "--no-print-directory", f"BUILD={d}",
                                "TRACE=yes", f"{d}/kernel/smp.o"],
                               cwd=xcall_qemu.ROOT, env=env, text=True,
                               capture_output=True, timeout=120)
            self.assertNotEqual(p.returncode, 0)
            self.assertTrue("TRACE='yes': give TRACE=1" in p.stderr, p.stderr)

    def test_no_plots_neither_installs_nor_draws(self):
        with tempfile.TemporaryDirectory() as d:
            plain = make_dry_run("bench", f"BUILD={d}").stdout
            self.assertTrue("install-deps.sh --check bench" in plain,
                            "make bench installs matplotlib")
            bare = make_dry_run("bench", "NO_PLOTS=1", f"BUILD={d}").stdout
            self.assertFalse("install-deps.sh --check bench" in bare,
                             "NO_PLOTS=1 does not")
            self.assertTrue(re.search(r"tools/bench.py .*--no-plots", bare), bare)

    def test_install_deps_says_what_and_why_first(self):
        script = os.path.join(xcall_qemu.ROOT, "scripts", "install-deps.sh")
        with open(script) as f:
            self.assertTrue("--no-install-recommends" in f.read(),
                            "no recommended extras")
        with tempfile.TemporaryDirectory() as d:
            # A dpkg-query that finds nothing: every package is missing.
            fake = os.path.join(d, "dpkg-query")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nexit 1\n")
            os.chmod(fake, 0o755)
            env = dict(os.environ, PATH=d + os.pathsep + os.environ["PATH"])
            p = subprocess.run(["bash", script, "--dry-run", "bench"], env=env,
                               capture_output=True, text=True, timeout=60)
            q = subprocess.run(["bash", script, "--check", "linux"], env=env,
                               capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout), (0,
            "install-deps: bench needs python3-matplotlib: for make bench's "
            "plots (matplotlib; NO_PLOTS=1 skips the plots and this)\n"
            "install-deps: --dry-run: nothing installed\n"), p.stderr)
        # The Linux side: Debian's kernel and its headers (the same
        # release, from one metapackage pair), busybox, cpio.
        self.assertEqual((q.returncode, q.stdout.split()[:4]), (1, [
            "linux-image-amd64", "linux-headers-amd64", "busybox-static",
            "cpio"]), q.stderr)

    def test_install_deps_names_only_what_the_purpose_needs(self):
        script = os.path.join(xcall_qemu.ROOT, "scripts", "install-deps.sh")
        with tempfile.TemporaryDirectory() as d:
            # A PATH of what the script uses before it installs, with a
            # dpkg-query that finds nothing, no sudo and no apt-get.
            for tool in ("grep", "sed", "awk"):
                os.symlink(shutil.which(tool), os.path.join(d, tool))

            def fake(name, body):
                with open(os.path.join(d, name), "w") as f:
                    f.write("#!/bin/sh\n" + body + "\n")
                os.chmod(os.path.join(d, name), 0o755)
            fake("dpkg-query", "exit 1")
            said = {}
            for uid in ("1000", "0"):
                fake("id", f"echo {uid}")
                p = subprocess.run([shutil.which("bash"), script, "bench"],
                                   env=dict(os.environ, PATH=d),
                                   capture_output=True, text=True, timeout=60)
                said[uid] = (p.returncode, p.stderr)
        self.assertEqual(said, {
            "1000": (1, "install-deps: need root to install: python3-matplotlib\n"
                        "  run as root: apt-get install python3-matplotlib\n"),
            "0": (1, "install-deps: no apt-get; install by hand: "
                     "python3-matplotlib\n")}, "no QEMU for make bench")

    def test_make_help_lists_the_targets_and_variables(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
        out = subprocess.run(["make", "--no-print-directory", "help", "SMP=8"],
                             cwd=xcall_qemu.ROOT, env=env, capture_output=True,
                             text=True, timeout=60).stdout
        words = [l.split()[1] if l.split()[0] == "make" and len(l.split()) > 1
                 else l.split()[0] for l in out.split("\n") if l.startswith("  ")]
        for goal in ("run", "test", "bench", "debug", "check", "clean"):
            self.assertTrue(goal in words, f"make help lacks {goal}")
        for var in xcall.MAKE_NAMES.values():
            self.assertTrue(any(w.startswith(var + "=") for w in words),
                            f"make help lacks {var}")
        self.assertTrue("SMP=8" in words, "the variables' values now")

    def test_make_help_shows_a_value_with_quotes_as_it_is(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
        opts = 'selftest=smp_call "x" it\'s'
        p = subprocess.run(["make", "--no-print-directory", "help",
                            "OPTS=" + opts], cwd=xcall_qemu.ROOT, env=env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(any(l.startswith("  OPTS=" + opts + " ")
                            for l in p.stdout.split("\n")), p.stdout)

    def test_a_bad_only_regex_is_named_as_only(self):
        status, out = run_cli(["test", "--only", "smp[4"])
        self.assertEqual(status, 2, "refused")
        self.assertEqual(out, "xcall-test: --only 'smp[4': not a regular "
                         "expression: unterminated character set at position 3\n",
                         "one line naming --only")

    def test_a_list_of_nothing_says_so(self):
        for argv in (["test", "--list", "--only", "nomatch"],
                     ["test", "--only", "nomatch"]):
            with self.subTest(argv=argv):
                self.assertEqual(run_cli(argv), (
                    2, "xcall-test: nothing to run matches --only nomatch\n"),
                    "one line, status 2")
        status, out = run_cli(["test", "--list", "--only", "^hang$"])
        self.assertEqual((status, out.split()[0]), (0, "hang"), "a match")

    def test_list_into_a_closed_pipe_ends_quietly(self):
        # As `tools/xcall.py test --list | head -n 1` once head has gone:
        # the pipe's reader is closed before the runner writes at all.
        r, w = os.pipe()
        os.close(r)
        try:
            p = subprocess.run([sys.executable, os.path.join(TOOLS, "xcall.py"),
                                "test", "--list"], stdout=w,
                               stderr=subprocess.PIPE, text=True, timeout=60)
        finally:
            os.close(w)
        self.assertEqual((p.returncode, p.stderr), (0, ""), "no traceback")

    def test_only_a_listing_ends_well_into_a_closed_pipe(self):
        # The reader went away before anything was written: a run of one
        # boot (which fails: no ISO), a run of the host tests (whose first
        # words come from a worker thread) and bench.py's listing.
        with tempfile.TemporaryDirectory() as d:
            for argv, want in (
                    (["xcall.py", "run", "--iso", os.path.join(d, "none.iso"),
                      "--logs", d], 128 + signal.SIGPIPE),
                    (["xcall.py", "test", "--only", "^host/", "--logs", d,
                      "--host", shutil.which("true")], 128 + signal.SIGPIPE),
                    (["bench.py", "--list"], 0)):
                r, w = os.pipe()
                os.close(r)
                try:
                    p = subprocess.run(
                        [sys.executable, os.path.join(TOOLS, argv[0]),
                         *argv[1:]], stdout=w, stderr=subprocess.PIPE,
                        text=True, timeout=60)
                finally:
                    os.close(w)
                with self.subTest(argv=argv):
                    self.assertEqual((p.returncode, p.stderr), (want, ""),
                                     "status, and no traceback")

    def test_a_worker_that_cannot_print_ends_the_run(self):
        class Gone(io.StringIO):
            def write(self, s):
                raise BrokenPipeError(32, "Broken pipe")
        ran, hook = [], threading.excepthook
        threading.excepthook = lambda args: ran.append(("thread", args))
        try:
            jobs = [xcall.Job(f"j{n}", lambda n=n: ran.append(n) or
                              ktap.skipped(f"j{n}", "x")) for n in range(3)]
            with contextlib.redirect_stdout(Gone()), \
                    self.assertRaises(BrokenPipeError):
                xcall.run_jobs(jobs, 1, 1, 3)
        finally:
            threading.excepthook = hook
        self.assertEqual(ran, [], "nothing run after 'start' failed, and no "
                         "exception left to a thread")

    def test_the_rerun_hint_is_as_strict_as_the_matrix(self):
        b = _boot(smp="2", options="no_such_option", timeout=30)
        self.assertEqual(xcall.rerun_hint(b, "tcg", True),
                         "tools/xcall.py run --smp 2 --accel tcg --firmware "
                         "bios --machine q35 --opts no_such_option --timeout "
                         "30 --strict 1", "strict")
        self.assertFalse("--strict" in xcall.rerun_hint(b, "tcg", False),
                         "run's default")
        # What a failed strict boot prints, through boot_job().
        with tempfile.TemporaryDirectory() as d:
            job = xcall.boot_job(b, "tcg", os.path.join(d, "none.iso"), d,
                                 None, True)
            hint = [l for l in job.run().lines if "rerun: " in l]
        self.assertEqual(len(hint), 1, "one hint")
        self.assertTrue(hint[0].endswith(" --strict 1"), hint[0])

    def test_each_run_keeps_its_log_and_run_log_is_the_latest(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "run.log"), "w") as f:
                f.write("a log from before runs had their own\n")
            with contextlib.redirect_stdout(io.StringIO()):
                first = xcall.new_run_log(d, 0)
                second = xcall.new_run_log(d, 0)
            self.assertNotEqual(first, second, "same second, two logs")
            self.assertEqual(os.path.basename(second),
                             os.path.basename(first)[:-4] + "-2.log", "suffix")
            self.assertTrue(os.path.isfile(first) and os.path.isfile(second),
                            "both kept")
            link = os.path.join(d, "run.log")
            self.assertEqual((os.path.islink(link), os.readlink(link)),
                             (True, os.path.basename(second)), "the latest")

    def test_the_readme_says_where_a_runs_log_is(self):
        with open(os.path.join(xcall_qemu.ROOT, "README.md")) as f:
            readme = " ".join(f.read().split())
        with tempfile.TemporaryDirectory() as d, \
                contextlib.redirect_stdout(io.StringIO()):
            name = os.path.basename(xcall.new_run_log(d, 0))
        self.assertTrue(re.fullmatch(r"run-\d{8}-\d{6}\.log", name), name)
        for said in ("build/logs/run-YYYYmmdd-HHMMSS.log",
                     "build/logs/run.log` links to the latest",
                     "xcall: options refused: N; warnings: M"):
            self.assertTrue(said in readme, f"README lacks {said!r}")
        self.assertFalse("the runner shows the last lines of the log" in readme,
                         "the runner shows where the report ends")

    def test_run_uses_the_iso_and_logs_it_is_given(self):
        with tempfile.TemporaryDirectory() as d:
            status, out = run_cli(["run", "--iso", os.path.join(d, "none.iso"),
                                   "--logs", os.path.join(d, "logs"),
                                   "--smp", "1"])
            self.assertEqual(status, 1, "a missing ISO fails the run")
            self.assertTrue(os.path.isdir(os.path.join(d, "logs")),
                            "the log directory given")
            self.assertTrue("none.iso not found" in out, out)


def settings(*argv):
    """The argparse namespace of `xcall.py run ARGV` (no check made yet)."""
    with contextlib.redirect_stderr(io.StringIO()):
        return xcall.parse_args(["run", *argv])


# A few models of QEMU's -cpu help, so that no QEMU is needed.
QEMU_CPUS = {"qemu64", "host", "max", "Skylake-Server"}


class SettingsTest(ToolTestCase):
    """xcall.check_settings(): each bad setting is one line naming it."""

    def refused(self, *argv):
        a = settings(*argv)
        with self.assertRaises(xcall.UsageError, msg=f"accepted {argv}") as cm:
            xcall.check_settings(a, QEMU_CPUS)
        msg = str(cm.exception)
        self.assertTrue("\n" not in msg, f"one line: {msg!r}")
        return msg

    def test_each_bad_setting_names_the_make_variable(self):
        for argv, want in (
                (["--smp", "0"], "SMP=0: the CPU count must be 1 to 512"),
                (["--smp", "abc"], "SMP=abc: not a CPU count, nor a QEMU topology"),
                (["--smp", "513"], "SMP=513: the CPU count must be 1 to 512"),
                (["--smp", "4", "--max-cpus", "2"],
                 "SMP=4: the CPU count must be 1 to 2"),
                (["--smp", "sockets=0,cores=2"],
                 "SMP=sockets=0,cores=2: sockets=0: each count and topology "
                 "level must be at least 1"),
                (["--smp", "4,cores=0"], "SMP=4,cores=0: cores=0: each count"),
                (["--smp", "0,sockets=1"], "SMP=0,sockets=1: the CPU count "
                 "must be 1 to 512"),
                (["--smp", "4,sokets=2"], "SMP=4,sokets=2: QEMU's -smp has no "
                 "'sokets='"),
                (["--smp", "4,maxcpus=2"], "SMP=4,maxcpus=2: 4 CPUs but "
                 "maxcpus=2"),
                (["--smp", "2,maxcpus=600"], "SMP=2,maxcpus=600: maxcpus=600 "
                 "is more than 512, the most this kernel is built for"),
                (["--smp", "sockets=2,cores=8", "--max-cpus", "8"],
                 "SMP=sockets=2,cores=8: the CPU count must be 1 to 8"),
                (["--smp", "2,maxcpus=300", "--machine", "pc"],
                 "SMP=2,maxcpus=300: the pc machine takes at most 255 CPUs"),
                (["--firmware", "foo"], "FIRMWARE=foo: no such firmware"),
                (["--accel", "xen"], "ACCEL=xen: no such accelerator"),
                (["--machine", "isapc"], "MACHINE=isapc: no such machine"),
                (["--tcg-thread", "many"], "TCG_THREAD=many: multi (a host "
                 "thread per vCPU) or single (one for them all)"),
                (["--cpu", "foo,+x2apic"], "CPU=foo,+x2apic: QEMU has no CPU "
                 "model 'foo'"),
                (["--timeout", "abc"], "TIMEOUT=abc: not a number of seconds"),
                (["--timeout", "0"], "TIMEOUT=0: not a number of seconds"),
                (["--timeout", "nan"], "TIMEOUT=nan: not a number of seconds"),
                (["--smp", "300", "--machine", "pc"],
                 "SMP=300: the pc machine takes at most 255 CPUs")):
            with self.subTest(argv=argv):
                msg = self.refused("--make", *argv)
                self.assertTrue(msg.startswith(want), msg)
        # Run directly, the same checks name the option.
        self.assertTrue(self.refused("--smp", "0").startswith("--smp 0: "),
                        "option names without --make")
        self.assertTrue(self.refused("--tcg-thread", "x").startswith(
            "--tcg-thread x: "), "the option as spelt on the command line")

    def test_strict_is_one_or_zero(self):
        self.assertTrue(self.refused("--make", "--strict", "yes").startswith(
            "STRICT=yes: 1 (fail a boot whose options the kernel refused) or 0"),
            "STRICT=yes")
        self.assertEqual(settings().strict, "0", "run reports only")
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(xcall.parse_args(["test"]).strict, "1",
                             "test is strict")

    def test_good_settings_pass_and_make_a_boot(self):
        a = settings("--make", "--smp", "6,sockets=2,cores=3", "--firmware",
                     "uefi", "--machine", "pc", "--cpu", "Skylake-Server,-hle",
                     "--timeout", "30", "--opts", "idle=poll")
        self.assertEqual(xcall.check_settings(a, QEMU_CPUS), [], "no notes")
        b = xcall.boot_from_args(a)
        self.assertEqual((b.cpus, b.firmware, b.machine, b.cpu, b.timeout,
                          b.options),
                         (6, "uefi", "pc", "Skylake-Server,-hle", 30.0,
                          "idle=poll"), "boot")
        b = xcall.boot_from_args(settings("--smp", "2"))
        self.assertEqual((b.cpu, b.timeout, b.tcg_thread), (None, 120, None),
                         "defaults")

    def test_tcg_thread_reaches_the_accel_option(self):
        a = settings("--make", "--tcg-thread", "single")
        self.assertEqual(xcall.check_settings(a, QEMU_CPUS), [], "accepted")
        b = xcall.boot_from_args(a)
        cmd, _ = xcall_qemu.qemu_command(b, "tcg", "x.iso", "x.log")
        self.assertEqual(_arg(cmd, "-accel"), ["tcg,thread=single"], "TCG")
        self.assertTrue("TCG thread=single" in b.describe("tcg"), b.describe("tcg"))
        cmd, _ = xcall_qemu.qemu_command(b, "kvm", "x.iso", "x.log")
        self.assertEqual(_arg(cmd, "-accel"), ["kvm"], "KVM has no TCG threads")
        self.assertTrue("thread" not in b.describe("kvm"), b.describe("kvm"))
        cmd, _ = xcall_qemu.qemu_command(xcall.boot_from_args(settings()), "tcg",
                                         "x.iso", "x.log")
        self.assertEqual(_arg(cmd, "-accel"), ["tcg"], "QEMU's default")
        with self.assertRaises(ValueError):
            xcall_qemu.Boot({"name": "b", "tcg_thread": "two"}, matrix.DEFAULTS)

    def test_above_255_cpus_sets_up_x2apic(self):
        a = settings("--make", "--smp", "300")
        notes = xcall.check_settings(a, QEMU_CPUS)
        self.assertEqual(notes, ["SMP=300: more than 255 CPUs need x2APIC "
                                 "(xAPIC IDs stop at 254): CPU model "
                                 "qemu64,+x2apic"], "the note")
        cmd, _ = xcall_qemu.qemu_command(xcall.boot_from_args(a), "tcg",
                                         "x.iso", "x.log")
        self.assertEqual(_arg(cmd, "-cpu"), ["qemu64,+x2apic"], "-cpu")
        self.assertEqual(_arg(cmd, "-device").count(
            "intel-iommu,intremap=on,eim=on"), 0, "no IOMMU under TCG")
        a = settings("--smp", "256", "--cpu", "max,+x2apic")
        self.assertEqual(xcall.check_settings(a, QEMU_CPUS), [],
                         "x2APIC asked for already")
        a = settings("--smp", "255")
        self.assertEqual((xcall.check_settings(a, QEMU_CPUS), a.cpu), ([], ""),
                         "255 CPUs fit xAPIC")
        # The possible CPUs have APIC IDs too, present or not.
        a = settings("--smp", "2,maxcpus=300")
        self.assertEqual((len(xcall.check_settings(a, QEMU_CPUS)), a.cpu),
                         (1, "qemu64,+x2apic"), "maxcpus above 255")
        self.assertEqual([xcall.smp_counts(s) for s in (
            "4", "6,sockets=2,cores=3", "sockets=2,cores=3", "8,sockets=2",
            "4,maxcpus=8", "maxcpus=6,sockets=2,cores=3")],
            [(4, 4), (6, 6), (6, 6), (8, 8), (4, 8), (6, 6)],
            "present and possible, as QEMU reckons them")


class BenchLinesTest(ToolTestCase):
    """benchfmt: the BENCH lines of one boot, and the bench_lines unit
    ktap.judge() adds for a bench boot."""

    def test_bench_lines_good_boot_passes(self):
        v = ktap.judge("bench-smp2", bench_log(), OK, bench=2)
        self.assertEqual(v.passed, True, "passed")
        self.assertEqual(units(v)[-1], ("bench-smp2/bench_lines", "pass"), "last unit")
        self.first_line(v, "  ok    bench-smp2/bench_lines (10 BENCH lines)")
        parsed, problems = benchfmt.validate(bench_log(bench_records(4)), 4)
        self.assertEqual(problems, [], "problems at 4 CPUs")
        self.assertEqual(len(parsed.records), 12, "records at 4 CPUs")

    def test_bench_lines_only_for_bench_boots(self):
        v = ktap.judge("bios-smp2", GOOD, OK)
        self.assertEqual([u for u in v.units if u.name.endswith("bench_lines")], [],
                         "no unit")
        v = ktap.judge("bios-smp2", GOOD, OK, bench=2)
        u = self.bench_unit(v)
        self.assertEqual((u.status, u.details[0]), ("fail", "no BENCH line in the log"),
                         "unit")

    def test_bench_line_missing_field_fails(self):
        recs = bench_records()
        recs[2] = without(recs[2], "p99")
        recs[7] = without(recs[7], "ipis_per_call")
        recs[1] = without(recs[1], "target")
        v = ktap.judge("bench-smp2", bench_log(recs), OK, bench=2)
        u = self.bench_unit(v)
        self.assertEqual(u.status, "fail", "status")
        text = "\n".join(u.details)
        for want in ("(call_single): missing p99", "(tput_nto1): missing "
                     "ipis_per_call", "(raw_ipi): missing target"):
            self.assertTrue(want in text, f"{want!r} not in {u.details}")
        self.assertEqual(v.counts()["fail"], 1,
                         "only bench_lines fails: the boot is fine")

    def test_bench_line_wrong_types_fail(self):
        for field, value, word in (("n", 20.5, "an integer"),
                                   ("p50", "901", "a number"),
                                   ("max", True, "a number"),
                                   ("apic", 2, "a string"),
                                   ("tsc_hz", "fast", "a number")):
            recs = bench_records()
            recs[3][field] = value
            _, problems = benchfmt.validate(bench_log(recs), 2)
            self.assertTrue(
                problems and f"{field} is " in problems[0] and word in problems[0],
                f"{field}={value!r}: {problems}")
        recs = bench_records()
        recs[0]["idle"] = "mwait"
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertTrue(any("idle 'mwait'" in p for p in problems), problems)

    def test_bench_line_bad_json_fails(self):
        good = bench_records()
        for bad in ('{"name": "call_self", "cpus": 2,', '{"name": \'x\'}',
                    '{name: "call_self"}', '[1, 2]', '{"name": "call_self", '
                    '"p50": NaN}'):
            recs = [r for r in good if r["name"] != "call_self"] + [bad]
            v = ktap.judge("bench-smp2", bench_log(recs), OK, bench=2)
            u = self.bench_unit(v)
            self.assertEqual(u.status, "fail", f"status for {bad!r}")
            self.assertTrue(any("bad JSON" in d or "not a JSON object" in d
                                for d in u.details), f"{bad!r}: {u.details}")
            self.assertTrue(any("no result for call_self" in d for d in u.details),
                            f"{bad!r}: the bad line does not count: {u.details}")

    def test_bench_missing_name_fails(self):
        recs = [r for r in bench_records() if r["name"] != "tput_all"]
        u = self.bench_unit(ktap.judge("bench-smp2", bench_log(recs), OK, bench=2))
        self.assertEqual((u.status, u.details), ("fail", ["no result for tput_all"]),
                         "unit")
        recs = [r for r in bench_records(4)
                if not (r["name"] == "call_single" and r["target"] == 3)]
        _, problems = benchfmt.validate(bench_log(recs), 4)
        self.assertEqual(problems, ["no call_single to CPU 3"], "a target missing")
        recs = bench_records() + [bench_records()[2]]
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertEqual(problems, ["reported more than once: call_single ->1"],
                         "a duplicate")

    def test_bench_without_done_fails(self):
        v = ktap.judge("bench-smp2", bench_log(done=False), OK, bench=2)
        u = self.bench_unit(v)
        self.assertEqual(u.status, "fail", "status")
        self.assertEqual(u.details,
                         ["no 'bench: done' line: the benchmarks did not finish"],
                         "details")
        self.first_line(v, "  FAIL  bench-smp2/bench_lines: no 'bench: done' line")
        self.assertTrue(any("last " in l and " lines" in l for l in v.lines),
                        "the log tail is shown")
        # A boot that timed out mid-benchmark fails both ways.
        v = ktap.judge("bench-smp2", bench_log(done=False), TIMEOUT, bench=2)
        self.assertEqual([n for n, s in units(v) if s == "fail"],
                         ["bench-smp2", "bench-smp2/bench_lines"], "failed units")

    def test_bench_ratios_must_be_finite(self):
        recs = bench_records()
        for k in benchfmt.STATS:
            recs[1][k] = 0                  # raw_ipi all zero
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertTrue(any("call_single/raw_ipi p50 ratio is not finite" in p
                            for p in problems), problems)
        ratios = benchfmt.layer_ratios(bench_records())
        self.assertEqual(round(ratios["call_single"]["raw_ipi"], 3),
                         round(40900 / 28500, 3),
                         "call_single over raw_ipi, same target")
        self.assertEqual(round(ratios["call_many"]["pingpong"], 3),
                         round(50000 / 9184, 3), "call_many over pingpong")

    def test_bench_summary_must_be_a_summary_never_fast(self):
        recs = bench_records()
        recs[0]["p90"] = recs[0]["p99"] + 1
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertTrue(problems and "not min <= p50 <= p90" in problems[0], problems)
        recs = bench_records()
        recs[2]["cpus"] = 3
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertTrue(any("lines disagree on cpus" in p for p in problems), problems)
        # Any timing, however slow or odd, is not a failure.
        recs = bench_records()
        for r in recs:
            for k in benchfmt.STATS:
                r[k] = 10 ** 12
        _, problems = benchfmt.validate(bench_log(recs), 2)
        self.assertEqual(problems, [], "huge equal values")
        _, problems = benchfmt.validate(bench_log(bench_records(2, "x2apic",
                                                                "haltpoll")), None)
        self.assertEqual(problems, [], "x2apic haltpoll, no CPU count given")

    def test_bench_methods_are_separate_figures(self):
        # bench_methods=both: every latency figure twice, one per method;
        # the others once.
        def both(cpus=2):
            out = []
            for r in bench_records(cpus):
                if r["name"] in benchfmt.PER_METHOD:
                    out += [dict(r, method="settled"),
                            dict(r, method="back-to-back", p50=r["p50"] // 2,
                                 min=r["min"] // 2)]
                else:
                    out.append(r if r["name"] == "bringup" else
                               dict(r, method="back-to-back"))
            return out
        _, problems = benchfmt.validate(bench_log(both()), 2)
        self.assertEqual(problems, [], "both methods")
        recs = both(4)
        self.assertEqual(benchfmt.methods_of(recs), ["settled", "back-to-back"])
        self.assertEqual(benchfmt.methods_of(bench_records()), [None], "old lines")
        b2b = benchfmt.one_method(recs, "back-to-back")
        self.assertEqual(sorted({r.get("method") for r in b2b
                                 if r["name"] in benchfmt.PER_METHOD}),
                         ["back-to-back"], "one method's latency figures")
        self.assertEqual(len(b2b), len(bench_records(4)), "and all the others")
        # The ratios to the floors stay within one method (settled first).
        r = benchfmt.layer_ratios(recs)["call_single"]["raw_ipi"]
        self.assertEqual(round(r, 3), round(40900 / 28500, 3), "settled ratio")
        dropped = [x for x in both() if not (x["name"] == "call_self" and
                                             x.get("method") == "back-to-back")]
        _, problems = benchfmt.validate(bench_log(dropped), 2)
        self.assertEqual(problems, ["no back-to-back result for call_self"])
        _, problems = benchfmt.validate(bench_log(both() + [both()[2]]), 2)
        self.assertEqual(problems, ["reported more than once: raw_ipi ->1 "
                                    "(back-to-back)"],
                         "a duplicate names its method")
        bad = both()
        bad[0]["method"] = "sometimes"
        _, problems = benchfmt.validate(bench_log(bad), 2)
        self.assertTrue(problems and "method 'sometimes' is not one of" in
                        problems[0], problems)

    def test_bench_lines_survive_serial_noise(self):
        text = bench_log().replace("BENCH {\"name\": \"call_self\"",
                                   "\x1b[0mBENCH {\"name\": \"call_self\"")
        text = "smpboot: CPU 1 apic_id=1 online\nBENCH is not this\n" + text
        parsed, problems = benchfmt.validate(text, 2)
        self.assertEqual(
            problems, ["line 2: bad JSON: Expecting value: line 1 column 1 (char 0)"],
            "a BENCH line that is not JSON is reported with its line number")


class LinuxSideTest(ToolTestCase):
    """The Linux side of the benchmark: its lines, its boot, its verdict
    (tools/linux_bench.py, the kernel "linux" of tools/xcall_qemu.py)."""

    def test_linux_lines_parse_with_the_same_parser(self):
        parsed, problems = benchfmt.validate(LINUX_BENCH, 2)
        self.assertEqual(problems, [], "the canned Linux boot")
        self.assertEqual(len(parsed.records), 13, "records")
        self.assertEqual({(r["os"], r["idle"], r["apic"]) for r in parsed.records},
                         {("linux", "default", "xapic")}, "os, idle, apic")
        self.assertEqual(benchfmt.methods_of(parsed.records),
                         ["settled", "back-to-back"], "both methods")
        self.assertEqual([r["name"] for r in parsed.records
                          if r["name"] not in benchfmt.PER_METHOD],
                         ["pingpong", "tput_1to1", "tput_nto1", "tput_all",
                          "bringup"], "the figures with one method")
        call = benchfmt.find(parsed.records, "call_single", 1, "back-to-back")
        self.assertEqual((call["p50"], call["method"]), (15719, "back-to-back"))

    def test_linux_lines_have_their_own_words(self):
        recs = benchfmt.parse(LINUX_BENCH).records
        raw = dict(recs[1], name="raw_ipi")
        self.assertEqual(benchfmt.check_record(raw),
                         ["unknown name 'raw_ipi' on Linux"], "no raw_ipi")
        self.assertEqual(benchfmt.check_record(dict(recs[1], idle="haltpoll")),
                         ["idle 'haltpoll' is not one of hlt, poll, default"])
        self.assertEqual(benchfmt.check_record(dict(recs[1], os="bsd"))[0],
                         "os 'bsd' is not one of xcall, linux")
        self.assertEqual(benchfmt.check_record(
            without(dict(recs[1], idle="sometimes"), "os")),
            ["idle 'sometimes' is not one of hlt, poll, haltpoll, default"],
            "xcall's words, and default where bench.py's merge() put it")
        mixed = LINUX_BENCH.replace('"os": "linux", ', "", 1).replace(
            '"idle": "default"', '"idle": "hlt"', 1)
        _, problems = benchfmt.validate(mixed, 2)
        self.assertTrue(any("lines disagree on os: linux, xcall" in p
                            for p in problems), problems)
        cut_log = cut(LINUX_BENCH, '"name": "tput_all"')
        _, problems = benchfmt.validate(cut_log, 2)
        self.assertEqual(problems, ["no result for bringup", "no 'bench: done' "
                                    "line: the benchmarks did not finish"])

    def test_linux_boot_verdict(self):
        v = linux_bench.judge("linux-bench-smp2", LINUX_BENCH, OK, 2)
        self.assertEqual(units(v), [("linux-bench-smp2", "pass"),
                                    ("linux-bench-smp2/bench_lines", "pass")])
        self.first_line(v, "  ok    linux-bench-smp2/bench_lines (13 BENCH lines)")
        warned = LINUX_BENCH.replace(
            "bench: done", "[   3.1] WARNING: CPU: 0 PID: 60 at kernel/smp.c:912 "
            "smp_call_function_many_cond+0x1/0x2\nbench: done")
        v = linux_bench.judge("l", warned, OK, 2)
        self.assertEqual(units(v), [("l", "fail"), ("l/bench_lines", "pass")])
        self.first_line(v, "  FAIL  l: Linux said: [   3.1] WARNING: CPU: 0")
        v = linux_bench.judge("l", cut(LINUX_BENCH, "bench: 10 samples"),
                              TIMEOUT, 2)
        self.assertEqual(units(v), [("l", "fail"), ("l/bench_lines", "fail")])
        self.first_line(v, "  FAIL  l: timed out after 120 s")

    def test_linux_boot_command_line(self):
        b = _boot(name="lb", kernel="linux", smp="2", machine="pc", bench=True,
                  options="bench_iters=10 idle=halt")
        cmd, vars_copy = xcall_qemu.qemu_command(b, "tcg", "/b/xcall.iso", "/l/x.log")
        self.assertEqual(vars_copy, None, "no OVMF")
        self.assertEqual((_arg(cmd, "-kernel"), _arg(cmd, "-initrd")),
                         (["/b/linux/vmlinuz"], ["/b/linux/initramfs.cpio"]),
                         "beside the ISO")
        self.assertEqual(_arg(cmd, "-append"), [
            "console=ttyS0 quiet panic=-1 bench_iters=10 idle=halt"])
        self.assertEqual((_arg(cmd, "-machine"), _arg(cmd, "-smp"), _arg(cmd, "-cpu"),
                          _arg(cmd, "-m")), (["pc"], ["2"], ["qemu64"],
                                             [xcall_qemu.MEMORY]), "same machine")
        self.assertTrue(xcall_qemu.DEBUG_EXIT in cmd, "exits as xcall does")
        self.assertFalse("-cdrom" in cmd or "-fw_cfg" in cmd, cmd)
        x = _boot(name="xb", smp="2", machine="pc", bench=True, options="bench")
        xcmd, _ = xcall_qemu.qemu_command(x, "tcg", "/b/xcall.iso", "/l/x.log")
        self.assertEqual([a for a in xcmd if a not in ("-cdrom", "/b/xcall.iso",
                                                       "-boot", "d", "-fw_cfg")
                          and not a.startswith("name=opt/xcall")],
                         [a for a in cmd if a not in ("-kernel", "-initrd", "-append")
                          and not a.startswith(("/b/linux/", "console="))],
                         "xcall's boot differs only in how the kernel is loaded")
        for bad in ({"kernel": "bsd", "bench": True},
                    {"kernel": "linux"},
                    {"kernel": "linux", "bench": True, "firmware": "uefi"}):
            with self.subTest(entry=bad), \
                    self.assertRaises(ValueError, msg=f"accepted {bad}"):
                _boot(**bad)

    def test_linux_boot_skips_without_the_linux_side(self):
        with tempfile.TemporaryDirectory() as d:
            iso = os.path.join(d, "xcall.iso")
            why = linux_bench.missing(iso)
            self.assertTrue("the Linux side is not built" in why and
                            "scripts/install-deps.sh linux" in why, why)
            boot = _boot(kernel="linux", bench=True)
            v = xcall.boot_job(boot, "tcg", iso, d, (10, 0), True).run()
            self.assertEqual(units(v), [("t", "skip")], "skipped")
            self.assertTrue(v.lines[0].startswith("  skip  t (the Linux side"),
                            v.lines)
            os.makedirs(os.path.join(d, "linux"))
            open(os.path.join(d, "linux", "initramfs.cpio"), "w").close()
            os.symlink(os.path.join(d, "gone"), os.path.join(d, "linux", "vmlinuz"))
            self.assertTrue("points to no kernel" in linux_bench.missing(iso))

    def test_idle_modes_map_to_each_kernels_option(self):
        self.assertEqual([(linux_bench.idle_option(i, "xcall"),
                           linux_bench.idle_option(i, "linux"))
                          for i in ("hlt", "poll", "default", "haltpoll")],
                         [("idle=hlt", "idle=halt"), ("idle=poll", "idle=poll"),
                          ("", ""), ("idle=haltpoll", None)])

    def test_matrix_boots_the_linux_side_cheaply(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        b = boots["linux-bench-smp2"]
        self.assertEqual((b.kernel, b.bench, b.machine, b.smp),
                         ("linux", True, "pc", "2"), "linux-bench-smp2")
        self.assertTrue("bench_iters=10" in b.options.split(),
                        "the fewest samples: format only")
        self.assertTrue(b.timeout <= 90, "a cheap boot")


def canned_compare():
    """(metadata, records) of tools/test_data/bench_compare.json."""
    return bench.load_json(os.path.join(TEST_DATA, "bench_compare.json"))


class CompareTest(ToolTestCase):
    """tools/benchcmp.py: compare.json's rows and the ratio table, on the
    canned run of both kernels; bench.py's rounds and boots for them."""

    def test_rows_have_the_issues_fields(self):
        _, recs = canned_compare()
        rows = benchcmp.rows(recs)
        for r in rows:
            extra = ({"xcall_ipis_per_call", "linux_ipis_per_call"}
                     if r["figure"] in benchfmt.THROUGHPUT else set())
            self.assertEqual(set(r), set(benchcmp.FIELDS) | extra, r)
        self.assertEqual([(r["figure"], r["method"]) for r in rows
                          if (r["smp"], r["idle"]) == (2, "hlt")],
                         [("pingpong", "back-to-back"),
                          ("call_single", "settled"), ("call_single", "back-to-back"),
                          ("call_self", "settled"), ("call_self", "back-to-back"),
                          ("on_each_cpu", "settled"), ("on_each_cpu", "back-to-back"),
                          ("call_many", "settled"), ("call_many", "back-to-back"),
                          ("tput_1to1", "back-to-back"), ("tput_nto1", "back-to-back"),
                          ("tput_all", "back-to-back"), ("bringup", "boot")],
                         "every figure both kernels measure, in each method")
        self.assertEqual({(r["smp"], r["idle"], r["reps"]) for r in rows},
                         {(2, "hlt", 2), (2, "poll", 2)}, "two rounds each")

    def test_ratio_is_the_median_of_the_rounds_pairs(self):
        _, recs = canned_compare()

        def p50(kernel, rep, name, method, idle="hlt"):
            found = [r["p50"] for r in recs if (r["kernel"], r["rep"], r["name"],
                     r.get("method"), r["idle"]) == (kernel, rep, name, method, idle)]
            self.assertEqual(len(found), 1, (kernel, rep, name, method))
            return found[0]
        rows = {(r["figure"], r["idle"], r["method"]): r for r in benchcmp.rows(recs)}
        for figure, method in (("call_single", "settled"),
                               ("tput_all", "back-to-back")):
            want = sorted(p50("xcall", k, figure, method) /
                          p50("linux", k, figure, method) for k in (1, 2))
            row = rows[(figure, "hlt", method)]
            self.assertEqual(row["ratio"], round(sum(want) / 2, 3), figure)
            xs = [p50("xcall", k, figure, method) for k in (1, 2)]
            self.assertEqual(row["xcall_p50_ns"], round(sum(xs) / 2), figure)
            self.assertEqual(row["xcall_spread"],
                             round((max(xs) - min(xs)) / (sum(xs) / 2), 3), figure)
        # Throughput is time per call too: below 1, xcall did more calls.
        r = rows[("tput_1to1", "hlt", "back-to-back")]
        self.assertEqual(r["ratio"] < 1, r["xcall_p50_ns"] < r["linux_p50_ns"],
                         "the ratio reads the same way for throughput")
        self.assertTrue(0 <= r["linux_ipis_per_call"] <= 1, r)

    def test_targets_and_what_misses_them(self):
        self.assertEqual([benchcmp.target(f, i) for f, i in (
            ("call_single", "hlt"), ("call_single", "poll"), ("tput_1to1", "hlt"),
            ("bringup", "default"), ("pingpong", "poll"))], [1.0, 0.5, 0.5, 1.0, None])
        rows = [{"figure": "call_single", "target": 1.0, "ratio": 1.2},
                {"figure": "call_self", "target": 1.0, "ratio": 0.9},
                {"figure": "pingpong", "target": None, "ratio": 3.0},
                {"figure": "tput_all", "target": 0.5, "ratio": None}]
        self.assertEqual(benchcmp.above_target(rows), [rows[0]])
        self.assertEqual(benchcmp.spread([10, 20, 30]), 1.0)
        self.assertEqual((benchcmp.spread([5]), benchcmp.spread([])), (None, None))
        # One stalled round makes thousands: the table's column still fits.
        self.assertEqual([benchcmp._spread(v) for v in (None, 0.034, 2.5, 37.0,
                                                        15022.4)],
                         ["-", "0.03", "2.5", "37", "15k"])

    def test_a_round_without_linux_gives_no_ratio(self):
        _, recs = canned_compare()
        mine = [r for r in recs if not (r["kernel"] == "linux" and r["rep"] == 2)]
        row = [r for r in benchcmp.rows(mine) if (r["figure"], r["idle"], r["method"])
               == ("call_self", "hlt", "settled")][0]
        self.assertEqual(row["reps"], 1, "one pair left")
        xcall_only = [r for r in recs if r["kernel"] == "xcall"]
        self.assertEqual({r["ratio"] for r in benchcmp.rows(xcall_only)}, {None})
        self.assertEqual(benchcmp.table([]), [
            "(no comparison: no figure from both kernels)"])

    def test_compare_table_fits_and_marks_misses(self):
        _, recs = canned_compare()
        rows = benchcmp.rows(recs)
        lines = benchcmp.table(rows)
        self.assertEqual([l for l in lines if len(l) > bench.WIDTH], [], "width")
        marked = [l for l in lines if l.endswith(" <-")]
        self.assertEqual(len(marked), len(benchcmp.above_target(rows)), "marks")
        self.assertTrue(lines[-1].startswith(
            f"{len(marked)} of {len([r for r in rows if r['target']])} rows miss"),
            lines[-1])
        self.assertTrue(any(l.startswith("  call_single settled ") for l in lines))

    def test_xcall_view_is_the_first_round_of_xcall(self):
        _, recs = canned_compare()
        view = benchcmp.xcall_view(recs)
        self.assertEqual({(r["kernel"], r["rep"]) for r in view}, {("xcall", 1)})
        self.assertEqual(len(view), len([r for r in recs if (r["kernel"], r["rep"])
                                         == ("xcall", 1)]))
        self.assertTrue(bench.table(view)[0].startswith("-smp 2, tcg"), "old table")

    def test_rounds_interleave_the_kernels(self):
        cfgs = bench.matrix_configs([2, 4], ["xapic"], ["hlt", "default"], "tcg")
        plan = bench.schedule(cfgs, ["xcall", "linux"], 3)
        self.assertEqual(len(plan), 2 * 2 * 2 * 3, "boots")
        self.assertEqual([(r, c.name, k) for r, c, k in plan[:5]], [
            (1, "smp2-xapic-hlt", "xcall"), (1, "smp2-xapic-hlt", "linux"),
            (1, "smp2-xapic-default", "xcall"), (1, "smp2-xapic-default", "linux"),
            (1, "smp4-xapic-hlt", "xcall")], "pairs back to back, rounds outside")
        self.assertEqual([k for _, _, k in plan],
                         ["xcall", "linux"] * (len(plan) // 2), "alternating")
        hlt, default = cfgs[0], cfgs[1]
        lb = bench.boot_for(hlt, 50, 300, "linux", "both")
        xb = bench.boot_for(default, None, 300, "xcall", "both")
        self.assertEqual((lb.kernel, lb.machine, lb.options, lb.bench),
                         ("linux", "pc", "idle=halt bench_methods=both bench_iters=50",
                          True), "Linux's boot")
        self.assertEqual((xb.kernel, xb.machine, xb.options),
                         ("xcall", "pc", "selftest=off bench bench_methods=both"),
                         "xcall's default idle: no idle= at all")
        self.assertEqual(bench.boot_for(bench.Config(2, "xapic", "haltpoll", "tcg"),
                                        None, 300, "linux"), None,
                         "no haltpoll for Linux")

    def test_compare_json_is_a_list_of_rows(self):
        _, recs = canned_compare()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "compare.json")
            bench.write_compare(path, benchcmp.rows(recs))
            with open(path) as f:
                back = json.load(f)
        self.assertTrue(isinstance(back, list) and back, "a list")
        self.assertEqual(back, benchcmp.rows(recs), "round trip")
        meta, _ = canned_compare()
        self.assertEqual((meta["reps"], meta["kernels"], meta["linux"]),
                         (2, ["xcall", "linux"], "6.1.0-57-amd64"), "metadata")


class BenchDriverTest(ToolTestCase):
    """tools/bench.py: merged records, results.json, the table."""

    def test_bench_table_fits_and_shows_the_ratios(self):
        lines = bench.table(bench_results())
        wide = [l for l in lines if len(l) > bench.WIDTH]
        self.assertEqual(wide, [], "lines wider than the terminal")
        text = "\n".join(lines)
        for want in ("-smp 2, tcg", "-smp 4, tcg", "call_single ->3",
                     "call/raw_ipi", "call/pingpong", "calls/s", "IPIs/call"):
            self.assertTrue(want in text, f"{want!r} missing")
        row = [l for l in lines if l.startswith("call/raw_ipi ")][0]
        self.assertEqual(row.split()[2:], [f"{40900 / 28500:.2f}"] * 6, "ratio cells")
        row = [l for l in lines if l.startswith("raw_ipi ->1")][0]
        self.assertEqual(row.split()[2:4], ["us", "28.5/71.2"], "p50/p99 in µs")
        self.assertEqual(bench.table([]), ["(no results)"], "empty")

    def test_bench_results_json_round_trip(self):
        recs = bench_results()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "results.json")
            bench.write_json(path, {"date": "2025-01-01", "accel": "tcg"}, recs)
            meta, back = bench.load_json(path)
            self.assertEqual(meta["date"], "2025-01-01", "metadata")
            self.assertEqual(back, recs, "records")
            self.assertEqual(
                {(r["smp"], r["apic"], r["idle"], r["accel"])
                 for r in back}, {(s, a, i, "tcg")
                                  for s in (2, 4) for a in benchfmt.APICS
                                  for i in benchfmt.IDLES}, "configurations")
            with open(path, "w") as f:
                f.write('{"results": [{"name": "pingpong"}]}')
            with self.assertRaises(ValueError,
                                   msg="a bad record was loaded") as cm:
                bench.load_json(path)
            self.assertTrue("missing" in str(cm.exception), str(cm.exception))

    def test_bench_merge_keeps_the_kernels_word(self):
        cfg = bench.Config(4, "x2apic", "poll", "tcg")
        r = bench.merge(bench_records(4, "xapic", "poll")[0], cfg)
        self.assertEqual(
            (r["apic"], r["kernel_apic"], r["idle"], r["smp"], r["config"]),
            ("x2apic", "xapic", "poll", 4, "smp4-x2apic-poll"), "merged")
        self.assertTrue("kernel_idle" not in r, "no kernel_idle when they agree")
        b = bench.boot_for(cfg, 50, 300)
        self.assertEqual(
            (b.cpu, b.smp, b.options, b.timeout, b.min_qemu),
            ("qemu64,+x2apic", "4", "selftest=off bench idle=poll bench_iters=50", 300,
             (9, 0)), "boot")
        self.assertEqual(
            bench.boot_for(bench.Config(2, "xapic", "hlt", "tcg"), None, 300).options,
            "selftest=off bench idle=hlt", "no bench_iters: the kernel chooses")

    def test_only_the_first_rounds_largest_boots_take_the_core_matrix(self):
        configs = bench.matrix_configs([2, 4], ["xapic"], ["hlt", "poll"], "tcg")
        wanted = [(rep, c.name) for rep in (1, 2) for c in configs
                  if bench.wants_core_matrix(rep, c, configs)]
        self.assertEqual(wanted, [(1, "smp4-xapic-hlt"), (1, "smp4-xapic-poll")],
                         "round 1, -smp 4")
        off = bench.boot_for(configs[0], None, 300, "xcall", None, False)
        self.assertEqual(off.options, "selftest=off bench idle=hlt bench_matrix_iters=0",
                         "turned off in the kernel")
        linux = bench.boot_for(configs[0], None, 300, "linux", None, False)
        self.assertTrue("bench_matrix" not in linux.options, "Linux has no such option")

    def test_from_json_prints_the_table_without_booting(self):
        recs = bench_results()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "results.json")
            bench.write_json(path, {"accel": "tcg"}, recs)
            a = bench.parse_args(["--from-json", path, "--no-plots",
                                  "--out", d])
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = bench.cmd_from_json(a)
            self.assertEqual(status, 0, "exit status")
            self.assertEqual(out.getvalue().split("\n")[:-1], bench.table(recs),
                             "the table, and nothing else with --no-plots")
            self.assertEqual(sorted(os.listdir(d)), ["results.json"],
                             "no file written")
            with open(path, "w") as f:
                f.write("{")
            with contextlib.redirect_stdout(io.StringIO()) as said:
                status = bench.cmd_from_json(a)
            self.assertEqual(status, 2, "a bad file is a bad argument")
            self.assertTrue(said.getvalue().startswith(f"bench: {path}: "),
                            said.getvalue())


def has_matplotlib():
    """Whether this interpreter can import matplotlib."""
    return importlib.util.find_spec("matplotlib") is not None


class PlotsTest(ToolTestCase):
    """tools/plots.py on the canned results of BenchDriverTest."""

    def test_plots_module_loads_without_matplotlib(self):
        # A fresh interpreter: another case may have imported it here.
        code = ("import sys; sys.dont_write_bytecode = True; "
                f"sys.path.insert(0, {TOOLS!r}); import bench, plots; "
                "print(sorted(m for m in sys.modules "
                "if m.split('.')[0] == 'matplotlib'))")
        p = subprocess.run([sys.executable, "-c", code], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual((p.returncode, p.stderr), (0, ""), "import")
        self.assertEqual(p.stdout, "[]\n", "matplotlib modules loaded")

    @unittest.skipUnless(has_matplotlib(), "no matplotlib in this python3 "
                         "(Debian's python3-matplotlib: scripts/install-deps.sh "
                         "bench)")
    def test_plots_drawn_from_canned_results(self):
        with tempfile.TemporaryDirectory() as d:
            paths = plots.draw_plots(bench_results(), {"accel": "tcg"}, d)
            self.assertEqual(paths, [os.path.join(d, f"{name}.{ext}")
                                     for name in plots.NAMES
                                     for ext in ("png", "svg")], "files")
            meta, recs = canned_compare()
            both = plots.draw_plots(recs, meta, d)
            self.assertEqual(both[-2:], [os.path.join(d, f"{plots.RATIO}.{ext}")
                                         for ext in ("png", "svg")],
                             "the ratio plot when Linux ran")
            paths += both[-2:]
            for path in paths:
                with open(path, "rb") as f:
                    head = f.read(4096)
                if path.endswith(".png"):
                    self.assertTrue(head.startswith(b"\x89PNG\r\n"),
                                    f"{path} is not a PNG")
                else:
                    self.assertTrue(b"<svg" in head, f"{path} is not an SVG")


# The font the Makefile puts on the ISO (FONT_SRC), which the canned
# screendump was drawn with.
FONT_SRC = "/usr/share/consolefonts/Lat15-VGA16.psf.gz"
MATRIX_LOG = read_log("matrix_smp4.log")


def matrix_drop(text, figure, caller, target):
    """@text without the MATRIX line of one pair and figure."""
    tag = f'"figure": "{figure}", "caller": {caller}, "target": {target},'
    lines = text.split("\n")
    kept = [l for l in lines if tag not in l]
    if len(kept) != len(lines) - 1:
        raise ValueError(f"no single line {tag}")
    return "\n".join(kept)


class CoreMatrixTest(ToolTestCase):
    """tools/bench_matrix.py: MATRIX lines into matrix.json."""

    def test_canned_log_makes_a_whole_matrix(self):
        obj = bench_matrix.from_log(MATRIX_LOG, "m.log")
        self.assertEqual(bench_matrix.check_json(obj), [], "shape")
        self.assertEqual(obj["smp"], 4, "smp")
        self.assertEqual(sorted(obj["figures"]), sorted(bench_matrix.FIGURES))
        # Values straight from the log's lines.
        self.assertEqual(obj["figures"]["pingpong"][0][1], 7949140, "pingpong 0->1")
        self.assertEqual(obj["figures"]["raw_ipi"][3][2], 19979, "raw_ipi 3->2")
        self.assertEqual(obj["figures"]["call_single"][2][0], 13569, "call 2->0")
        self.assertEqual(obj["n"], dict.fromkeys(bench_matrix.FIGURES, 20), "n")
        self.assertEqual(obj["method"]["pingpong"], "back-to-back")
        self.assertEqual(obj["method"]["call_single"], "settled")
        for f in bench_matrix.FIGURES:
            self.assertEqual([obj["figures"][f][i][i] for i in range(4)],
                             [None] * 4, f"{f}: the diagonal is null")
        # The JSON file round-trips with the same shape.
        with tempfile.TemporaryDirectory() as d:
            with open(bench_matrix.write(obj, d)) as f:
                again = json.load(f)
        self.assertEqual(again, obj, "matrix.json as written")

    def test_missing_pair_is_an_error(self):
        text = matrix_drop(MATRIX_LOG, "raw_ipi", 1, 2)
        with self.assertRaisesRegex(bench_matrix.MatrixError,
                                    r"raw_ipi: no line for caller->target 1->2$"):
            bench_matrix.from_log(text)

    def test_doubled_pair_and_diagonal_line_are_errors(self):
        line = next(l for l in MATRIX_LOG.split("\n") if '"caller": 2, "target": 3' in l)
        with self.assertRaisesRegex(bench_matrix.MatrixError, "from CPU 2 to CPU 3 twice"):
            bench_matrix.from_log(MATRIX_LOG.replace(line, line + "\n" + line))
        diag = line.replace('"target": 3', '"target": 2')
        with self.assertRaisesRegex(bench_matrix.MatrixError,
                                    "caller and target are both CPU 2"):
            bench_matrix.from_log(MATRIX_LOG.replace(line, diag))

    def test_no_done_line_and_bad_summary_are_errors(self):
        with self.assertRaisesRegex(bench_matrix.MatrixError, "no 'bench_matrix: done'"):
            bench_matrix.from_log(drop(MATRIX_LOG, "bench_matrix: done"))
        line = next(l for l in MATRIX_LOG.split("\n") if l.startswith("MATRIX"))
        bad = re.sub(r'"p50": \d+', '"p50": 999999999999', line)
        with self.assertRaisesRegex(bench_matrix.MatrixError, "not 0 <= min <= p50"):
            bench_matrix.from_log(MATRIX_LOG.replace(line, bad))
        with self.assertRaisesRegex(bench_matrix.MatrixError, "no MATRIX line"):
            bench_matrix.from_log("bench_matrix: done\n")

    def test_lines_must_agree_on_n_method_idle_and_apic(self):
        obj = bench_matrix.from_log(MATRIX_LOG)
        self.assertIn("2 cache-line transfers", obj["what"]["pingpong"])
        line = next(l for l in MATRIX_LOG.split("\n")
                    if l.startswith('MATRIX {"figure": "raw_ipi"'))
        for old, new, why in ((r'"n": \d+', '"n": 7', "raw_ipi from CPU"),
                              (r'"method": "settled"', '"method": "back-to-back"',
                               "method 'back-to-back'"),
                              (r'"figure": "raw_ipi",', '"figure": "raw_ipi", "idle": "poll",',
                               "disagree on idle")):
            bad = re.sub(old, new, line, count=1)
            self.assertNotEqual(bad, line, old)
            with self.assertRaisesRegex(bench_matrix.MatrixError, why):
                bench_matrix.from_log(MATRIX_LOG.replace(line, bad))
        with_modes = re.sub(r'("cpus": \d+)', r'\1, "apic": "xapic", "idle": "hlt"', MATRIX_LOG)
        obj = bench_matrix.from_log(with_modes)
        self.assertEqual((obj["apic"], obj["idle"]), ("xapic", "hlt"))

    def test_check_json_finds_a_bad_shape(self):
        obj = bench_matrix.from_log(MATRIX_LOG)
        obj["figures"]["pingpong"][1][1] = 5
        obj["figures"]["call_single"][0][3] = None
        self.assertEqual(bench_matrix.check_json(obj),
                         ["pingpong[1][1] is 5, not null",
                          "call_single[0][3] is None, not a time"])
        del obj["figures"]["raw_ipi"]
        self.assertEqual(len(bench_matrix.check_json(obj)), 1, "a figure missing")

    def test_bench_writes_the_matrix_of_the_largest_boot(self):
        with tempfile.TemporaryDirectory() as d:
            boots = []
            for smp, text in ((2, "nothing here\n"), (4, MATRIX_LOG)):
                b = bench.BootResult(bench.Config(smp, "xapic", "hlt", "tcg"))
                b.log = os.path.join(d, f"smp{smp}.log")
                with open(b.log, "w") as f:
                    f.write(text)
                boots.append(b)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.assertTrue(bench.write_matrix(boots, d, plots_wanted=False))
            self.assertIn("core-to-core matrix of -smp 4", out.getvalue())
            with open(os.path.join(d, "matrix.json")) as f:
                self.assertEqual(json.load(f)["smp"], 4, "the -smp 4 boot's")
            # Only a boot without a whole matrix: said, and nothing written.
            os.unlink(os.path.join(d, "matrix.json"))
            with contextlib.redirect_stdout(io.StringIO()) as out:
                self.assertFalse(bench.write_matrix(boots[:1], d, plots_wanted=False))
            self.assertIn("NO CORE-TO-CORE MATRIX", out.getvalue())
            self.assertFalse(os.path.exists(os.path.join(d, "matrix.json")))

    def test_bench_removes_an_old_matrix_first(self):
        with tempfile.TemporaryDirectory() as d:
            stale = [os.path.join(d, n) for n in
                     ("matrix.json", "bench-matrix-raw_ipi.png",
                      "bench-matrix-pingpong.svg")]
            for p in stale:
                with open(p, "w") as f:
                    f.write("an earlier run's\n")
            b = bench.BootResult(bench.Config(4, "xapic", "hlt", "tcg"))
            b.log = os.path.join(d, "smp4.log")
            with open(b.log, "w") as f:
                f.write("no matrix in this boot\n")
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertFalse(bench.write_matrix([b], d, plots_wanted=False))
            self.assertEqual([p for p in stale if os.path.exists(p)], [])

    def test_a_matrix_is_expected_of_xcall_with_two_cpus(self):
        one, four = bench.Config(1, "xapic", "hlt", "tcg"), bench.Config(4, "xapic", "hlt", "tcg")
        self.assertTrue(bench.matrix_expected([one, four], ["xcall", "linux"]))
        self.assertFalse(bench.matrix_expected([one], ["xcall"]))
        self.assertFalse(bench.matrix_expected([four], ["linux"]))

    def test_cell_text_steps_up_after_six_digits(self):
        self.assertEqual([bench_matrix.cell_text(v) for v in
                          (None, 0, 999999, 1000000, 23720111, 2 * 10 ** 12)],
                         ["-", "0", "999999", "1000u", "23720u", "2000s"])

    def test_cell_text_never_wider_than_a_cell(self):
        # 100-999 ms once came out as 100000u-999999u, seven characters.
        cases = {10 ** 8: "100m", 150 * 10 ** 6: "150m", 999999999: "999m",
                 99999999: "99999u", 10 ** 11: "100s"}
        for ns, want in cases.items():
            self.assertEqual(bench_matrix.cell_text(ns), want)
        for ns in (10 ** k - 1 for k in range(1, 15)):
            self.assertLessEqual(len(bench_matrix.cell_text(ns)),
                                 bench_matrix.VALUE_CHARS_MAX, ns)

    @unittest.skipUnless(has_matplotlib(), "no matplotlib in this python3 "
                         "(Debian's python3-matplotlib: scripts/install-deps.sh "
                         "bench)")
    def test_heatmaps_drawn(self):
        obj = bench_matrix.from_log(MATRIX_LOG)
        with tempfile.TemporaryDirectory() as d:
            paths = bench_matrix.plot(obj, d)
            self.assertEqual(paths, [os.path.join(d, f"bench-matrix-{f}.{e}")
                                     for f in bench_matrix.FIGURES
                                     for e in ("png", "svg")])
            for path in paths:
                with open(path, "rb") as f:
                    head = f.read(4096)
                self.assertTrue(head.startswith(b"\x89PNG") or b"<svg" in head, path)


class BenchScaleTest(ToolTestCase):
    """tools/bench_scale.py: the sample rule, the boots, the lines of a
    bench_scale boot and scale.json, on canned logs."""

    def test_samples_shrink_with_the_cpu_count(self):
        got = [bench_scale.samples_for(n) for n in bench_scale.SMPS]
        self.assertEqual(got, [1000, 1000, 1000, 500, 125, 27])
        self.assertEqual(bench_scale.samples_for(100000),
                         bench_scale.SCALE_MIN_SAMPLES, "the floor")

    def test_x2apic_only_above_255_cpus(self):
        self.assertEqual(bench_scale.apic_for(255), "xapic")
        self.assertEqual(bench_scale.apic_for(256), "x2apic")

    def test_linux_left_out_above_its_cap(self):
        run, left = bench_scale.plan([2, 64, 288], ["xcall", "linux"], 64)
        self.assertEqual(run, [("xcall", 2), ("linux", 2), ("xcall", 64),
                               ("linux", 64), ("xcall", 288)])
        self.assertEqual([(k, n) for k, n, _ in left], [("linux", 288)])
        self.assertIn("LINUX_SCALE_MAX_CPUS", left[0][2])

    def test_bad_counts_are_refused(self):
        for argv in (["--smp", "2,1000"], ["--smp", "x"],
                     ["--linux-max-cpus", "0"], ["--max-cpus", "0"],
                     ["--smp", "2,16", "--max-cpus", "8"]):
            with contextlib.redirect_stderr(io.StringIO()) as err, \
                    self.assertRaises(SystemExit) as cm:
                bench_scale.parse_args(argv)
            self.assertEqual(cm.exception.code, 2, argv)
            self.assertIn("error:", err.getvalue())

    def test_max_cpus_follows_the_build(self):
        """make NR_CPUS=8 bench-scale passes --max-cpus 8: 16 CPUs are
        refused, naming 8; NR_CPUS=1024 lets 600 through."""
        with contextlib.redirect_stderr(io.StringIO()) as err, \
                self.assertRaises(SystemExit):
            bench_scale.parse_args(["--smp", "2,16", "--max-cpus", "8"])
        self.assertIn("NR_CPUS, 8", err.getvalue())
        a = bench_scale.parse_args(["--smp", "2,600", "--max-cpus", "1024"])
        self.assertEqual((a.smp, a.max_cpus), ([2, 600], 1024))
        self.assertEqual(bench_scale.parse_args([]).max_cpus,
                         bench_scale.MAX_CPUS)

    def test_boot_asks_for_bench_scale_on_q35(self):
        cfg, boot = bench_scale.boot_entry(288, "xcall", "tcg")
        self.assertEqual((boot.machine, boot.smp, boot.cpu),
                         ("q35", "288", "qemu64,+x2apic"))
        words = boot.options.split()
        for w in ("bench", "bench_scale", "bench_iters=27", "idle=hlt",
                  "bench_methods=both", "selftest=off",
                  "smpboot_timeout_ms=20000"):
            self.assertIn(w, words)
        cfg, boot = bench_scale.boot_entry(64, "linux", "tcg")
        self.assertEqual((boot.kernel, boot.cpu), ("linux", "qemu64"))
        self.assertIn("idle=halt", boot.options.split())
        self.assertIn("bench_scale", boot.options.split())

    def test_xcall_lines_become_rows(self):
        parsed = benchfmt.parse(SCALE_XCALL)
        self.assertEqual(bench_scale.check_scale(parsed), [])
        rows = bench_scale.rows_of("xcall", 288, "x2apic", parsed.records)
        self.assertEqual([r["method"] for r in rows],
                         ["settled", "back-to-back"])
        r = rows[0]
        self.assertEqual((r["online"], r["samples"], r["on_each_cpu_p50_ns"],
                          r["ipis_per_call"], r["icr_writes_per_call"],
                          r["bringup_ns"]),
                         (285, 14, 13309215, 284.0, 18.0, 683992710))
        self.assertEqual(sorted(r), sorted(bench_scale.ROW_KEYS))

    def test_linux_lines_have_no_icr_writes(self):
        parsed = benchfmt.parse(SCALE_LINUX)
        self.assertEqual(bench_scale.check_scale(parsed), [])
        rows = bench_scale.rows_of("linux", 4, "xapic", parsed.records)
        self.assertEqual(len(rows), 2)
        self.assertIsNone(rows[0]["icr_writes_per_call"])
        self.assertIsNotNone(rows[0]["ipis_per_call"])
        self.assertGreater(rows[0]["bringup_ns"], 0)

    def test_missing_method_or_end_is_a_problem(self):
        lines = SCALE_XCALL.split("\n")
        b2b = [l for l in lines if '"back-to-back"' in l]
        self.assertEqual(len(b2b), 1)
        text = drop(SCALE_XCALL, b2b[0])
        self.assertEqual(bench_scale.check_scale(benchfmt.parse(text)),
                         ["no on_each_cpu (back-to-back) line"])
        text = drop(SCALE_XCALL, "bench: done\r")    # serial: CRLF
        self.assertEqual(len(bench_scale.check_scale(benchfmt.parse(text))), 1)
        self.assertIn("no BENCH line in the log",
                      bench_scale.check_scale(benchfmt.parse(CLOSING)))

    def test_icr_writes_field_must_be_a_number(self):
        bad = SCALE_XCALL.replace('"icr_writes_per_call": 18.000',
                                  '"icr_writes_per_call": "18"', 1)
        parsed = benchfmt.parse(bad)
        self.assertEqual(len(parsed.errors), 1)
        self.assertIn("icr_writes_per_call", parsed.errors[0])

    def test_json_round_trip_and_table(self):
        parsed = benchfmt.parse(SCALE_XCALL)
        rows = bench_scale.rows_of("xcall", 288, "x2apic", parsed.records)
        parsed = benchfmt.parse(SCALE_LINUX)
        rows += bench_scale.rows_of("linux", 4, "xapic", parsed.records)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "scale.json")
            bench_scale.write_json(path, {"date": "x"}, rows)
            meta, back = bench_scale.load_json(path)
            self.assertEqual((meta, back), ({"date": "x"}, rows))
            with open(path) as f:
                data = json.load(f)
            del data["rows"][0]["icr_writes_per_call"]
            with open(path, "w") as f:
                json.dump(data, f)
            with self.assertRaisesRegex(ValueError, "icr_writes_per_call"):
                bench_scale.load_json(path)
        text = "\n".join(bench_scale.table(rows))
        self.assertIn("18.0", text)
        self.assertEqual(len(bench_scale.table(rows)), 2 + len(rows))

    def test_stale_plots_are_removed(self):
        with tempfile.TemporaryDirectory() as d:
            for ext in ("png", "svg"):
                with open(os.path.join(d, f"bench-scale.{ext}"), "w") as f:
                    f.write("old")
            self.assertEqual(len(bench_scale.drop_stale_plots(d)), 2)
            self.assertEqual(os.listdir(d), [])
            self.assertEqual(bench_scale.drop_stale_plots(d), [])

    def test_make_bench_scale_passes_its_variables(self):
        p = subprocess.run(["make", "-n", "bench-scale", "SCALE_SMP=2,4",
                            "LINUX_SCALE_MAX_CPUS=4", "NO_PLOTS=1"],
                           cwd=os.path.dirname(TOOLS), capture_output=True,
                           text=True, timeout=120)
        self.assertIn("tools/bench_scale.py", p.stdout)
        self.assertIn("--smp '2,4'", p.stdout)
        self.assertIn("--linux-max-cpus '4'", p.stdout)
        self.assertIn("--no-plots", p.stdout)

    @unittest.skipUnless(has_matplotlib(), "no matplotlib in this python3 "
                         "(Debian's python3-matplotlib: scripts/install-deps.sh "
                         "bench)")
    def test_plot_drawn(self):
        parsed = benchfmt.parse(SCALE_XCALL)
        rows = bench_scale.rows_of("xcall", 288, "x2apic", parsed.records)
        parsed = benchfmt.parse(SCALE_LINUX)
        rows += bench_scale.rows_of("linux", 4, "xapic", parsed.records)
        with tempfile.TemporaryDirectory() as d:
            paths = bench_scale.draw(rows, {}, d)
            self.assertEqual(paths, [os.path.join(d, f"bench-scale.{e}")
                                     for e in ("png", "svg")])
            with open(paths[0], "rb") as f:
                self.assertTrue(f.read(8).startswith(b"\x89PNG"))

@unittest.skipUnless(os.path.exists(FONT_SRC), f"no {FONT_SRC} (Debian's "
                     "console-setup-linux, the ISO's font)")
class ScreenCheckTest(ToolTestCase):
    """tools/bench_screen.py: a canned screendump of the heatmap against
    the kernel's SCREEN lines."""

    def setUp(self):
        self.log = read_log("bench_screen_smp4.log")
        with gzip.open(os.path.join(TEST_DATA, "bench_screen_smp4.ppm.gz")) as f:
            self.ppm = f.read()
        with gzip.open(FONT_SRC) as f:
            self.font = f.read()

    def test_canned_screendump_matches(self):
        problems, note = bench_screen.check(self.log, self.ppm, self.font)
        self.assertEqual(problems, [])
        self.assertEqual(note, "48 rectangles and 87 texts match")

    def _item(self, pred):
        for line in self.log.split("\n"):
            if line.startswith("SCREEN "):
                rec = json.loads(line[len("SCREEN "):].rstrip("\r"))
                if pred(rec):
                    return rec
        raise AssertionError("no such SCREEN line")

    def _poke(self, x, y, rgb):
        img = bench_screen.read_ppm(self.ppm)
        px = bytearray(img.pixels)
        i = 3 * (y * img.width + x)
        px[i:i + 3] = bytes(rgb)
        return bench_screen.write_ppm(bench_screen.Image(img.width, img.height, px))

    def test_one_wrong_pixel_in_a_digit_fails(self):
        t = self._item(lambda r: r.get("text", "").isdigit() and len(r["text"]) > 2)
        font = bench_screen.load_psf(self.font)
        # The first set pixel of its first glyph, turned to the background.
        x0, y0 = t["at"]
        gx, gy = next((x, y) for y in range(font.height) for x in range(font.width)
                      if font.bit(t["text"][0], x, y))
        bad = self._poke(x0 + gx, y0 + gy, t["bg"])
        problems, _ = bench_screen.check(self.log, bad, self.font)
        self.assertEqual(len(problems), 1, problems)
        self.assertIn(f"text '{t['text']}' at {t['at']}: 1 pixels differ: "
                      f"({x0 + gx},{y0 + gy}) is {t['bg']}", problems[0])

    def test_wrong_cell_colour_fails(self):
        r = self._item(lambda r: "cell" in r and r["cell"][1] != r["cell"][2])
        x, y, _, _ = r["rect"]
        bad = self._poke(x, y, [(c + 32) % 256 for c in r["rgb"]])
        problems, _ = bench_screen.check(self.log, bad, self.font)
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(f"rect {r['rect']} should be "
                                               f"{r['rgb']}: 1 pixels differ"),
                        problems[0])

    def test_more_cpus_than_the_screen_shows(self):
        # 18 CPUs measured; the kernel draws the first 16 a side only.
        n, shown = 18, bench_screen.SCREEN_CPUS
        font = types.SimpleNamespace(width=8, height=16)
        records = [{"figure": f, "caller": i, "target": j, "cpus": n,
                    "p50": 1000 + 10 * i + j + (10 ** 6 if i >= shown else 0)}
                   for f in bench_matrix.FIGURES for i in range(n)
                   for j in range(n) if i != j]
        p50 = {(r["figure"], r["caller"], r["target"]): r["p50"] for r in records}
        items = []
        for k, f in enumerate(bench_matrix.FIGURES):
            vals = [p50[(f, i, j)] for i in range(shown) for j in range(shown) if i != j]
            for i in range(shown):
                for j in range(shown):
                    v = p50.get((f, i, j))
                    x, y = 100 * j, 1000 * k + 50 * i
                    rgb = bench_screen.NO_VALUE_RGB if v is None else \
                        bench_screen.scale_colour(v, min(vals), max(vals))
                    items.append({"rect": [x, y, 55, 23], "rgb": rgb, "cell": [f, i, j]})
                    items.append({"text": bench_matrix.cell_text(v), "at": [x + 1, y + 1],
                                  "fg": [0, 0, 0], "bg": rgb})
        self.assertEqual(bench_screen.check_cells(items, records, font), [])
        self.assertEqual(bench_screen.check_colours(items, records), [])
        # A cell for CPU 16 would be one too many.
        extra = dict(items[0], cell=["pingpong", 16, 0])
        self.assertIn("extra or twice [('pingpong', 16, 0)]",
                      bench_screen.check_cells(items + [extra], records, font)[0])

    def test_stray_block_on_the_background_fails(self):
        # A 4x4 white block in the picture area's bottom right corner,
        # where the kernel reported nothing.
        hdr = self._item(lambda r: "screen" in r)
        w, h = hdr["screen"]
        img = bench_screen.read_ppm(self.ppm)
        px = bytearray(img.pixels)
        for y in range(h - 5, h - 1):
            for x in range(w - 5, w - 1):
                px[3 * (y * w + x):3 * (y * w + x) + 3] = b"\xff\xff\xff"
        bad = bench_screen.write_ppm(bench_screen.Image(img.width, img.height, px))
        problems, _ = bench_screen.check(self.log, bad, self.font)
        self.assertEqual(len(problems), 1, problems)
        self.assertTrue(problems[0].startswith(
            "16 pixels outside everything the kernel reported are not the "
            f"background [0, 0, 0]: ({w - 5},{h - 5}) is [255, 255, 255]"), problems[0])

    def test_inverted_colour_scale_fails(self):
        # The kernel reports (and would draw) each cell in the colour of
        # the mirror value: red fastest, green slowest.
        header, items, _, _ = bench_screen.parse(self.log)
        records, _, _ = bench_matrix.parse(self.log)
        self.assertEqual(bench_screen.check_colours(items, records), [])
        p50 = {(r["figure"], r["caller"], r["target"]): r["p50"] for r in records}
        for f in bench_matrix.FIGURES:
            vals = [v for (g, i, j), v in p50.items() if g == f]
            lo, hi = min(vals), max(vals)
            for c in items:
                if "cell" in c and c["cell"][0] == f and c["cell"][1] != c["cell"][2]:
                    v = p50[tuple(c["cell"])]
                    c["rgb"] = bench_screen.scale_colour(hi - (v - lo), lo, hi)
        problems = bench_screen.check_colours(items, records)
        self.assertTrue(any(p.startswith("cell raw_ipi ") and "on the scale" in p
                            for p in problems), problems)

    def test_cell_value_must_be_the_matrix_lines(self):
        # The screen is as drawn, but the MATRIX line says another p50.
        line = next(l for l in self.log.split("\n")
                    if l.startswith('MATRIX {"figure": "raw_ipi", "caller": 1, "target": 0,'))
        p50 = int(re.search(r'"p50": (\d+)', line).group(1))
        other = line.replace(f'"p50": {p50},', f'"p50": {p50 + 1},')
        other = re.sub(r'"p90": \d+', f'"p90": {10 ** 12}', other)
        other = re.sub(r'"p99": \d+', f'"p99": {10 ** 12}', other)
        other = re.sub(r'"max": \d+', f'"max": {10 ** 12}', other)
        problems, _ = bench_screen.check(self.log.replace(line, other), self.ppm, self.font)
        self.assertEqual(problems, [f"cell raw_ipi 1->0 shows "
                                    f"['{bench_matrix.cell_text(p50)}'], the MATRIX "
                                    f"line says '{bench_matrix.cell_text(p50 + 1)}'"])

    def test_missing_screendump_or_lines_fail(self):
        self.assertEqual(bench_screen.check(self.log, None, self.font)[0],
                         ["no screendump was written (did the monitor's "
                          "screendump run?)"])
        no_drawn = "\n".join(l for l in self.log.split("\n")
                             if not l.startswith(bench_screen.DRAWN))
        self.assertEqual(bench_screen.check(no_drawn, self.ppm, self.font)[0],
                         ["the kernel never said 'bench_matrix: screen drawn'"])
        cut = self.ppm[:len(self.ppm) // 2]
        self.assertIn("bytes of pixels", bench_screen.check(self.log, cut, self.font)[0][0])
        self.assertEqual(bench_screen.check(self.log, b"P3\n1 1\n255\n0 0 0",
                                            self.font)[0],
                         ["not a binary PPM (magic b'P3')"])

    def test_judge_makes_the_screen_unit(self):
        with tempfile.TemporaryDirectory() as d:
            ppm, font = os.path.join(d, "s.ppm"), os.path.join(d, "font.psf")
            with open(font, "wb") as f:
                f.write(self.font)
            with open(ppm, "wb") as f:
                f.write(self.ppm)
            unit, lines = bench_screen.judge("b", self.log, ppm, font)
            self.assertEqual((unit.name, unit.status), ("b/screen", ktap.PASS))
            os.unlink(ppm)
            unit, lines = bench_screen.judge("b", self.log, ppm, font)
            self.assertEqual(unit.status, ktap.FAIL, "no screendump")
            self.assertIn("FAIL  b/screen: no screendump", lines[0])

    def test_screen_boot_is_in_the_matrix(self):
        boots = {b.name: b for b in xcall_qemu.load_matrix()}
        b = boots["bench-screen-smp4"]
        self.assertEqual((b.screen, b.vga, b.cpus), (True, "std", 4))
        self.assertIn("bench_matrix_hold_s=5", b.options.split())
        with self.assertRaisesRegex(ValueError, "screen needs vga"):
            xcall_qemu.Boot({"name": "s", "options": "bench", "screen": True},
                            matrix.DEFAULTS)



# ---------------------------------------------------------------------------
# --ktap: the cases as KTAP version 1, for `make test`.

class KtapResult(unittest.TestResult):
    """Prints one KTAP result line per case as it ends, with a failure's
    traceback as diagnostic lines before it (KTAP puts diagnostics ahead
    of the result they belong to)."""

    def __init__(self, stream, indent):
        super().__init__()
        self.stream = stream
        self.indent = indent
        self.buffer = True              # a case's prints are not KTAP
        self.counts = {"pass": 0, "fail": 0, "skip": 0}
        self._number = 0

    def startTest(self, test):
        super().startTest(test)
        self._diag = []
        self._skip = None

    def _failed(self, test, err, what):
        self._diag.append(f"{case_name(test)}: {what}")
        self._diag += self._exc_info_to_string(err, test).rstrip().split("\n")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed(test, err, "FAILED")

    def addError(self, test, err):
        super().addError(test, err)
        self._failed(test, err, "raised")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            # str(subtest) is the case's own str() and the parameters.
            what = str(subtest)
            if what.startswith(str(test)):
                what = what[len(str(test)):].strip()
            self._failed(test, err, f"FAILED {what}")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._skip = reason

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._diag.append(f"{case_name(test)}: passed, but was expected "
                          f"to fail")

    def stopTest(self, test):
        super().stopTest(test)
        self._number += 1
        pad = " " * self.indent
        for line in self._diag:
            self.stream.write(f"{pad}# {line}\n")
        if self._diag:
            status, line = "fail", f"not ok {self._number} {case_name(test)}"
        elif self._skip is not None:
            status = "skip"
            line = f"ok {self._number} {case_name(test)} # SKIP {self._skip}"
        else:
            status, line = "pass", f"ok {self._number} {case_name(test)}"
        self.counts[status] += 1
        self.stream.write(pad + line + "\n")
        self.stream.flush()


def case_name(test):
    """A case's KTAP name: its method's name without the test_ prefix,
    the name it is written about in the commit history."""
    name = test.id().rsplit(".", 1)[-1]
    return name[len("test_"):] if name.startswith("test_") else name


def by_class(suite):
    """The cases of @suite, [(class name, [cases])] in the loader's order."""
    out = []
    stack = [suite]
    cases = []
    while stack:
        s = stack.pop(0)
        if isinstance(s, unittest.TestSuite):
            stack[:0] = list(s)
        else:
            cases.append(s)
    for case in cases:
        name = type(case).__name__
        if not out or out[-1][0] != name:
            out.append((name, []))
        out[-1][1].append(case)
    return out


def run_ktap(suite, stream=sys.stdout):
    """Run @suite, printing KTAP: one subtest per TestCase class, the
    "# name: pass:P ..." line after each, "# Totals:" at the end.

    Return: 0 when no case failed, 1 otherwise.
    """
    groups = by_class(suite)
    stream.write(f"KTAP version 1\n1..{len(groups)}\n")
    totals = {"pass": 0, "fail": 0, "skip": 0}
    for number, (name, cases) in enumerate(groups, 1):
        stream.write(f"    KTAP version 1\n    # Subtest: {name}\n"
                     f"    1..{len(cases)}\n")
        result = KtapResult(stream, 4)
        # A TestSuite per class keeps unittest's class and module fixtures.
        unittest.TestSuite(cases).run(result)
        c = result.counts
        stream.write(f"# {name}: pass:{c['pass']} fail:{c['fail']} "
                     f"skip:{c['skip']} total:{sum(c.values())}\n")
        stream.write(f"{'not ok' if c['fail'] else 'ok'} {number} {name}\n")
        for k in totals:
            totals[k] += c[k]
    stream.write(f"# Totals: pass:{totals['pass']} fail:{totals['fail']} "
                 f"skip:{totals['skip']} total:{sum(totals.values())}\n")
    stream.flush()
    return 1 if totals["fail"] else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--ktap", action="store_true")
    a, rest = ap.parse_known_args(argv)
    if a.ktap:
        if rest:
            sys.stderr.write(f"xcall_tool_test.py: --ktap takes no other "
                             f"argument: {' '.join(rest)}\n")
            return 2
        tests = unittest.defaultTestLoader.loadTestsFromModule(
            sys.modules[__name__])
        return run_ktap(tests)
    unittest.main(module=sys.modules[__name__], argv=[sys.argv[0]] + rest)


if __name__ == "__main__":
    sys.exit(main())
