#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Self-tests of the host test runner: the KTAP parser and the verdict logic
of tools/ktap.py, the QEMU command line and matrix of tools/xcall_qemu.py
and tools/matrix.py, the BENCH line checks of tools/benchfmt.py and the
table and results.json of tools/bench.py, all on canned logs, with no QEMU.

Prints its results as KTAP, one suite host_runner, and exits 1 if any
case failed, so it runs under `xcall.py test --host` like the C host
test binaries. Run it directly after touching tools/.
"""

import os
import re
import sys
import tempfile
import traceback

sys.dont_write_bytecode = True
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import bench                            # noqa: E402
import benchfmt                         # noqa: E402
import ktap                             # noqa: E402
import matrix                           # noqa: E402
import xcall_qemu                       # noqa: E402


def log(text):
    """A canned log: '|' marks the left margin, so indentation shows."""
    out = []
    for line in text.strip("\n").split("\n"):
        line = line.strip()
        out.append(line[1:] if line.startswith("|") else line)
    return "\n".join(out) + "\n"


# The report of the contract: one failed case with diagnostics, one skip,
# printk lines before, inside and after it.
CONTRACT = log("""
|SeaBIOS (version 1.16.3-debian-1.16.3-2)
|smpboot: CPU 1 apic_id=1 online
|KTAP version 1
|1..2
|    KTAP version 1
|    # Subtest: smp_call
|    1..3
|    ok 1 self_call_runs_inline
|    # order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120
|smpboot: CPU 2 apic_id=2 online
|    # expected seq == 7, got 6 and 7
|    not ok 2 order_is_fifo
|    ok 3 needs_two_cpus # SKIP needs at least 2 online CPUs
|# smp_call: pass:1 fail:1 skip:1 total:3
|not ok 1 smp_call
|    KTAP version 1
|    # Subtest: bringup
|    1..1
|    ok 1 online_count_matches_madt
|# bringup: pass:1 fail:0 skip:0 total:1
|ok 2 bringup
|# Totals: pass:2 fail:1 skip:1 total:4
|BENCH {"call_ns": 1234, "ipi_ns": 987}
|xcall: all done
""")

GOOD = log("""
|xcall: booting on 4 CPUs
|KTAP version 1
|1..2
|    KTAP version 1
|    # Subtest: llist
|    1..2
|    ok 1 add_returns_true_when_empty
|    ok 2 del_all_returns_in_lifo_order
|# llist: pass:2 fail:0 skip:0 total:2
|ok 1 llist
|    KTAP version 1
|    # Subtest: smp_call
|    1..2
|    ok 1 self_call_runs_inline
|    ok 2 callbacks_run_in_fifo_order
|# smp_call: pass:2 fail:0 skip:0 total:2
|ok 2 smp_call
|# Totals: pass:4 fail:0 skip:0 total:4
""")

# Printk from other CPUs everywhere, including lines that look a bit like
# KTAP but are not (wrong indentation, no space after '#', BENCH, a plan
# before the report), CRLF line ends and terminal escapes from firmware.
INTERLEAVED = (
    "\x1b[2J\x1b[01;01H\x1b[=3hBdsDxe: loading Boot0001\r\n"
    "1..9 this is not a plan\r\n"
    "ok 7 neither is this: the report has not started\r\n"
    "\x1b[0m\x1b[37m\x1b[40m    Booting `xcall'\r\n" +
    log("""
|KTAP version 1
|smpboot: CPU 1 apic_id=1 online
|1..1
|smpboot: CPU 2 apic_id=2 online
|    KTAP version 1
|  WARNING: CPU 3 at kernel/smp.c:88 csd_lock_wait
|    # Subtest: stress
|BENCH {"x": 1}
|    1..2
|      ok 1 two_spaces_too_many_is_not_ktap
|#not-a-diagnostic
|    ok 1 random_calls_keep_sequence
|  [<ffffffff8010123a>] smp_call_function_many+0x4a
|    ok 2 no_call_lost_or_doubled
|stress: done
|# stress: pass:2 fail:0 skip:0 total:2
|ok 1 stress
|smpboot: CPU 3 going idle
|# Totals: pass:2 fail:0 skip:0 total:2
|ok 5 after the end, ignored
""").replace("\n", "\r\n"))

NESTED = log("""
|KTAP version 1
|1..2
|    KTAP version 1
|    # Subtest: apic
|    1..2
|        KTAP version 1
|        # Subtest: x2apic
|        1..2
|            KTAP version 1
|            # Subtest: icr
|            1..1
|            ok 1 icr_write_is_one_msr
|        # icr: pass:1 fail:0 skip:0 total:1
|        ok 1 icr
|        ok 2 no_busy_polling
|    # x2apic: pass:2 fail:0 skip:0 total:2
|    ok 1 x2apic
|    ok 2 lapic_id_matches_cpuid
|# apic: pass:3 fail:0 skip:0 total:3
|ok 1 apic
|ok 2 top_level_case
|# Totals: pass:4 fail:0 skip:0 total:4
""")

SKIPS = log("""
|KTAP version 1
|1..2
|    KTAP version 1
|    # Subtest: smp_call
|    1..3
|    ok 1 needs_two_cpus # SKIP needs at least 2 online CPUs
|    ok 2 lower_case # skip lower case directive
|    ok 3 plain
|# smp_call: pass:1 fail:0 skip:2 total:3
|ok 1 smp_call
|    KTAP version 1
|    # Subtest: x2apic
|    1..0
|ok 2 x2apic # SKIP no x2APIC on this CPU
|# Totals: pass:1 fail:0 skip:3 total:4
""")

HOST = log("""
|KTAP version 1
|1..1
|    KTAP version 1
|    # Subtest: host_llist
|    1..2
|    ok 1 add_to_empty
|    # del_all: CHECK FAILED at tests/host/test_llist.c:40
|    # expected n == 3, got 2 and 3
|    not ok 2 del_all
|# host_llist: pass:1 fail:1 skip:0 total:2
|not ok 1 host_llist
|# Totals: pass:1 fail:1 skip:0 total:2
""")

SELFTEST_FAIL = log("""
|KTAP version 1
|1..2
|    KTAP version 1
|    # Subtest: selftest
|    1..2
|    ok 1 harness_sees_a_pass
|    # deliberate_failure: EXPECTATION FAILED at tests/test_selftest.c:20
|    not ok 2 deliberate_failure
|# selftest: pass:1 fail:1 skip:0 total:2
|not ok 1 selftest
|    KTAP version 1
|    # Subtest: bringup
|    1..1
|    ok 1 online_count_matches_madt
|ok 2 bringup
|# Totals: pass:2 fail:1 skip:0 total:3
""")


def cut(text, after):
    """The log up to and including the first line containing @after."""
    i = text.index(after)
    return text[:text.index("\n", i) + 1]


def drop(text, line):
    """The log without the lines equal to @line (indentation included)."""
    lines = text.split("\n")
    assert line in lines, line
    return "\n".join(l for l in lines if l != line)


OK = ktap.Ending("success", 1)
FAILED = ktap.Ending("failure", 3)
RESET = ktap.Ending("reset", 0)
TIMEOUT = ktap.Ending("timeout", timeout=120)


# ---------------------------------------------------------------------------
# A tiny harness: a failed check raises, the case fails with a diagnostic.

class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def eq(got, want, what):
    if got != want:
        raise Failure(f"expected {what} == {want!r}, got {got!r}")


def units(verdict):
    return [(u.name, u.status) for u in verdict.units]


def boot_unit(verdict):
    found = [u for u in verdict.units if u.name.endswith("/boot")]
    return found[0] if found else None


def first_line(verdict, prefix):
    for line in verdict.lines:
        if line.startswith(prefix):
            return line
    raise Failure(f"no line starting {prefix!r} in {verdict.lines!r}")


CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# ---------------------------------------------------------------------------
# The parser.

@case
def good_report_is_complete():
    r = ktap.parse(GOOD)
    eq(r.errors, [], "errors")
    eq(r.complete, True, "complete")
    eq(r.totals, {"pass": 4, "fail": 0, "skip": 0, "total": 4}, "totals")
    eq([s.name for s in r.root.children], ["llist", "smp_call"], "suites")
    eq([l.path for l in r.leaves()],
       ["llist/add_returns_true_when_empty",
        "llist/del_all_returns_in_lifo_order",
        "smp_call/self_call_runs_inline",
        "smp_call/callbacks_run_in_fifo_order"], "leaf paths")
    eq(r.counts(), {"pass": 4, "fail": 0, "skip": 0}, "counts")


@case
def contract_example_parses_with_diagnostics():
    r = ktap.parse(CONTRACT)
    eq(r.errors, [], "errors")
    leaves = {l.path: l for l in r.leaves()}
    eq(sorted(leaves), ["bringup/online_count_matches_madt",
                        "smp_call/needs_two_cpus",
                        "smp_call/order_is_fifo",
                        "smp_call/self_call_runs_inline"], "leaves")
    fifo = leaves["smp_call/order_is_fifo"]
    eq(fifo.status, ktap.FAIL, "order_is_fifo status")
    eq(fifo.diag, ["order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120",
                   "expected seq == 7, got 6 and 7"], "order_is_fifo diag")
    eq(leaves["smp_call/self_call_runs_inline"].diag, [], "case 1 diag")
    skip = leaves["smp_call/needs_two_cpus"]
    eq((skip.status, skip.reason), (ktap.SKIP, "needs at least 2 online CPUs"),
       "skip")
    suite = r.root.children[0]
    eq((suite.name, suite.status, suite.plan), ("smp_call", ktap.FAIL, 3),
       "suite")
    eq(suite.summary, {"pass": 1, "fail": 1, "skip": 1, "total": 3}, "summary")
    eq(suite.diag, [], "suite diag (the summary is not a diagnostic)")


@case
def nested_suites_to_any_depth():
    r = ktap.parse(NESTED)
    eq(r.errors, [], "errors")
    eq([(l.path, l.status) for l in r.leaves()],
       [("apic/x2apic/icr/icr_write_is_one_msr", ktap.PASS),
        ("apic/x2apic/no_busy_polling", ktap.PASS),
        ("apic/lapic_id_matches_cpuid", ktap.PASS),
        ("top_level_case", ktap.PASS)], "leaves")
    apic = r.root.children[0]
    eq([c.name for c in apic.children], ["x2apic", "lapic_id_matches_cpuid"],
       "apic's children")
    eq(apic.children[0].children[0].is_suite, True, "icr is a suite")


@case
def skips_in_both_cases_and_a_skipped_suite():
    r = ktap.parse(SKIPS)
    eq(r.errors, [], "errors")
    eq([(l.path, l.status, l.reason) for l in r.leaves()],
       [("smp_call/needs_two_cpus", ktap.SKIP, "needs at least 2 online CPUs"),
        ("smp_call/lower_case", ktap.SKIP, "lower case directive"),
        ("smp_call/plain", ktap.PASS, ""),
        ("x2apic", ktap.SKIP, "no x2APIC on this CPU")], "leaves")


@case
def printk_noise_is_ignored_anywhere():
    r = ktap.parse(INTERLEAVED)
    eq(r.errors, [], "errors")
    eq([(l.path, l.status) for l in r.leaves()],
       [("stress/random_calls_keep_sequence", ktap.PASS),
        ("stress/no_call_lost_or_doubled", ktap.PASS)], "leaves")
    eq(r.root.children[0].children[0].diag, [], "no printk as diagnostics")


@case
def first_version_line_may_follow_firmware_noise():
    text = "\x1b[0m\x1b[30mWelcome to GRUB!KTAP version 1\n" + GOOD.split("\n", 2)[2]
    r = ktap.parse(text)
    eq(r.errors, [], "errors")
    eq(len(r.leaves()), 4, "leaves")


@case
def missing_totals_is_incomplete():
    r = ktap.parse(drop(GOOD, "# Totals: pass:4 fail:0 skip:0 total:4"))
    eq(r.complete, False, "complete")
    eq(r.errors, ["no '# Totals:' line after the last result"], "errors")


@case
def totals_that_disagree_are_caught():
    r = ktap.parse(GOOD.replace("total:4\n", "total:5\n").replace(
        "# Totals: pass:4", "# Totals: pass:5"))
    eq(r.complete, False, "complete")
    check(r.errors[0].startswith("'# Totals: pass:5 fail:0 skip:0 total:5' "
                                 "does not match"), r.errors[0])


@case
def plan_mismatch_in_a_suite():
    text = drop(GOOD, "    ok 2 del_all_returns_in_lifo_order")
    r = ktap.parse(text)
    eq(r.complete, False, "complete")
    eq(r.errors[0], "llist: plan 1..2 but 1 results", "first error")


@case
def plan_mismatch_at_top_level():
    more = GOOD.replace("KTAP version 1\n1..2\n", "KTAP version 1\n1..3\n", 1)
    eq(ktap.parse(more).errors,
       ["log ends inside the top level after 2 of 3 results"], "a result missing")
    fewer = GOOD.replace("KTAP version 1\n1..2\n", "KTAP version 1\n1..1\n", 1)
    eq(ktap.parse(fewer).errors, ["the top level: plan 1..1 but 2 results"],
       "a result too many")


@case
def missing_plan_is_incomplete():
    r = ktap.parse(drop(GOOD, "    1..2"))
    eq(r.errors, ["llist has no plan (1..N)", "smp_call has no plan (1..N)"],
       "errors")


@case
def result_numbers_must_run_in_order():
    text = GOOD.replace("    ok 2 del_all_returns_in_lifo_order",
                        "    ok 3 del_all_returns_in_lifo_order")
    r = ktap.parse(text)
    eq(r.complete, False, "complete")
    check("result 3 (del_all_returns_in_lifo_order) in llist where 2 was "
          "expected" in r.errors[0], r.errors[0])


@case
def truncated_log_keeps_what_was_reported():
    r = ktap.parse(cut(CONTRACT, "not ok 2 order_is_fifo"))
    eq(r.complete, False, "complete")
    eq(r.errors, ["log ends inside smp_call after 2 of 3 results"], "errors")
    eq([(l.path, l.status) for l in r.leaves()],
       [("smp_call/self_call_runs_inline", ktap.PASS),
        ("smp_call/order_is_fifo", ktap.FAIL)], "leaves")


@case
def truncated_before_a_suites_result_line():
    for after in ("ok 3 needs_two_cpus", "# smp_call: pass:1"):
        r = ktap.parse(cut(CONTRACT, after))
        eq(r.errors, ["log ends before the result line of suite smp_call"],
           f"errors when cut after {after!r}")
        eq(len(r.leaves()), 3, "leaves")


@case
def suite_without_result_line_is_caught():
    text = drop(GOOD, "ok 1 llist").replace(
        "ok 2 smp_call", "ok 1 smp_call").replace("1..2\n    KTAP", "1..1\n    KTAP", 1)
    r = ktap.parse(text)
    eq(r.complete, False, "complete")
    eq(r.errors[0], "no result line for suite llist", "first error")
    check("llist/add_returns_true_when_empty" in [l.path for l in r.leaves()],
          "the orphan suite's cases are still reported")


@case
def a_second_report_is_an_error():
    text = cut(GOOD, "ok 1 llist") + "KTAP version 1\n1..1\n"
    r = ktap.parse(text)
    eq(r.complete, False, "complete")
    check("a second KTAP report starts" in r.errors[0], r.errors[0])


@case
def no_report_at_all():
    r = ktap.parse("SeaBIOS\nBooting `xcall'\npanic: out of memory\n")
    eq(r.found, False, "found")
    eq(r.errors, ["no KTAP report in the log (no 'KTAP version 1' line)"], "errors")


@case
def linux_style_totals_per_suite_are_accepted():
    text = GOOD.replace("# llist: pass:2 fail:0 skip:0 total:2\n",
                        "# llist: pass:2 fail:0 skip:0 total:2\n"
                        "# Totals: pass:2 fail:0 skip:0 total:2\n")
    r = ktap.parse(text)
    eq(r.errors, [], "errors")
    eq(r.totals, {"pass": 4, "fail": 0, "skip": 0, "total": 4}, "totals")


@case
def diagnostics_belong_to_the_next_result_at_their_depth():
    text = GOOD.replace("ok 1 llist\n", "# llist took 3 ms\nok 1 llist\n").replace(
        "    ok 2 del_all", "    # about del_all\n    ok 2 del_all")
    r = ktap.parse(text)
    llist = r.root.children[0]
    eq(llist.diag, ["llist took 3 ms"], "suite diag")
    eq([c.diag for c in llist.children], [[], ["about del_all"]], "case diag")


# ---------------------------------------------------------------------------
# The verdict on a boot that must pass.

@case
def good_boot_passes_with_one_line_per_case_and_suite():
    v = ktap.judge("bios-smp4", GOOD, OK)
    eq(v.passed, True, "passed")
    eq(v.lines, ["  ok    bios-smp4/llist/add_returns_true_when_empty",
                 "  ok    bios-smp4/llist/del_all_returns_in_lifo_order",
                 "  ok    bios-smp4/llist",
                 "  ok    bios-smp4/smp_call/self_call_runs_inline",
                 "  ok    bios-smp4/smp_call/callbacks_run_in_fifo_order",
                 "  ok    bios-smp4/smp_call"], "lines")
    eq(ktap.closing_line([v]), "4 passed, 0 failed", "closing line")


@case
def failed_case_prints_its_diagnostics():
    v = ktap.judge("bios-smp4", CONTRACT, FAILED)
    eq(v.passed, False, "passed")
    eq(units(v), [("bios-smp4/smp_call/self_call_runs_inline", "pass"),
                  ("bios-smp4/smp_call/order_is_fifo", "fail"),
                  ("bios-smp4/smp_call/needs_two_cpus", "skip"),
                  ("bios-smp4/bringup/online_count_matches_madt", "pass")],
       "units (no boot unit: status 3 agrees with the report)")
    i = v.lines.index("  FAIL  bios-smp4/smp_call/order_is_fifo")
    eq(v.lines[i + 1:i + 3],
       ["        order_is_fifo: EXPECTATION FAILED at tests/test_smp_call.c:120",
        "        expected seq == 7, got 6 and 7"], "diagnostic lines")
    first_line(v, "  skip  bios-smp4/smp_call/needs_two_cpus "
               "(needs at least 2 online CPUs)")
    first_line(v, "  FAIL  bios-smp4/smp_call")
    first_line(v, "        last 20 lines:")
    eq(v.lines[-1], "          xcall: all done", "the log tail comes last")
    eq(ktap.closing_line([v]), "2 passed, 1 failed, 1 skipped", "closing line")


@case
def success_status_with_failed_cases_fails_the_boot():
    v = ktap.judge("b", CONTRACT, OK)
    u = boot_unit(v)
    check(u is not None, "no boot unit")
    eq(first_line(v, "  FAIL  b/boot"),
       "  FAIL  b/boot: the kernel reported success (QEMU exit status 1), "
       "but the KTAP report shows 1 failure", "boot line")


@case
def failure_status_with_all_passing_is_a_panic():
    v = ktap.judge("b", GOOD, FAILED)
    eq(v.passed, False, "passed")
    check("a panic" in first_line(v, "  FAIL  b/boot: "), "panic hint")
    eq(ktap.closing_line([v]), "4 passed, 1 failed", "closing line")


@case
def incomplete_report_fails_even_with_success_status():
    v = ktap.judge("b", drop(GOOD, "# Totals: pass:4 fail:0 skip:0 total:4"), OK)
    eq(first_line(v, "  FAIL  b/boot"),
       "  FAIL  b/boot: KTAP report incomplete: no '# Totals:' line after the "
       "last result", "boot line")


@case
def truncated_boot_fails_and_shows_the_log_tail():
    text = "\n".join(f"printk line {i}" for i in range(30)) + "\n" + \
        cut(CONTRACT, "not ok 2 order_is_fifo").split("smpboot: CPU 1", 1)[1]
    v = ktap.judge("b", text, FAILED, log_name="build/logs/b.log")
    u = boot_unit(v)
    check(u is not None, "no boot unit")
    check(first_line(v, "  FAIL  b/boot: ").endswith(
        "KTAP report incomplete: log ends inside smp_call after 2 of 3 results"),
        "headline")
    i = v.lines.index("        last 20 lines of build/logs/b.log:")
    tail = v.lines[i + 1:i + 21]
    eq(len(tail), 20, "tail length")
    eq(tail[-1], "              not ok 2 order_is_fifo", "last tail line")
    check(any("panic?" in l for l in v.lines), "status 3 hint")


@case
def timeout_reset_and_error_each_fail_the_boot():
    for ending, head in [
            (TIMEOUT, "timed out after 120 s"),
            (RESET, "guest reset or shut down without reporting (triple fault?)"),
            (ktap.Ending("error", 2, message="QEMU exited with status 2",
                         stderr="qemu: -cpu bogus: unable to find CPU model"),
             "QEMU exited with status 2")]:
        v = ktap.judge("b", GOOD, ending)
        eq(first_line(v, "  FAIL  b/boot"), "  FAIL  b/boot: " + head, "boot line")
        eq(v.counts()["fail"], 1, "one failed unit")
    v = ktap.judge("b", GOOD, ktap.Ending("error", 2, message="m",
                                          stderr="qemu: bad option"))
    check("          qemu: bad option" in v.lines, "QEMU stderr shown")


@case
def suite_not_ok_with_all_cases_ok_fails():
    text = GOOD.replace("ok 1 llist", "not ok 1 llist")
    v = ktap.judge("b", text, FAILED)
    eq([n for n, s in units(v) if s == "fail"], ["b/llist"], "failed units")
    eq(first_line(v, "  FAIL  b/llist"),
       "  FAIL  b/llist (reported 'not ok' but none of its cases failed)", "line")


@case
def skipped_suite_counts_as_one_skip():
    v = ktap.judge("b", SKIPS, OK)
    eq(v.passed, True, "passed")
    eq(ktap.closing_line([v]), "1 passed, 0 failed, 3 skipped", "closing line")
    first_line(v, "  skip  b/x2apic (no x2APIC on this CPU)")


@case
def nested_boot_names_every_level():
    v = ktap.judge("uefi-smp4", NESTED, OK)
    eq(v.passed, True, "passed")
    first_line(v, "  ok    uefi-smp4/apic/x2apic/icr/icr_write_is_one_msr")
    first_line(v, "  ok    uefi-smp4/apic/x2apic")


# ---------------------------------------------------------------------------
# Expected failures.

SELFTEST = {"expect": "fail", "end": "failure",
            "failed_cases": ["deliberate_failure"]}


@case
def expected_failure_as_planned_is_one_pass():
    v = ktap.judge("selftest-fail", SELFTEST_FAIL, FAILED, expect=SELFTEST)
    eq(units(v), [("selftest-fail/expected_failure", "pass")], "units")
    eq(ktap.closing_line([v]), "1 passed, 0 failed", "closing line")


@case
def expected_failure_with_another_failure_fails():
    text = SELFTEST_FAIL.replace("    ok 1 harness_sees_a_pass",
                                 "    not ok 1 harness_sees_a_pass")
    v = ktap.judge("selftest-fail", text, FAILED, expect=SELFTEST)
    eq(units(v), [("selftest-fail/expected_failure", "fail")], "units")
    check("these also failed: harness_sees_a_pass" in "\n".join(v.lines),
          "names the other failure")


@case
def expected_failure_with_the_wrong_status_fails():
    v = ktap.judge("selftest-fail", SELFTEST_FAIL, OK, expect=SELFTEST)
    eq(v.passed, False, "passed")
    check("expected the kernel reporting failure (QEMU exit status 3)" in
          v.lines[0], v.lines[0])


@case
def expected_failure_that_did_not_fail_fails():
    v = ktap.judge("selftest-fail", GOOD, FAILED, expect=SELFTEST)
    eq(v.passed, False, "passed")
    check("these cases did not fail: deliberate_failure" in "\n".join(v.lines),
          "names the missing failure")


@case
def expected_failure_needs_a_whole_report():
    text = cut(SELFTEST_FAIL, "not ok 2 deliberate_failure")
    v = ktap.judge("selftest-fail", text, FAILED, expect=SELFTEST)
    eq(v.passed, False, "passed")


@case
def expected_reset_and_timeout():
    reset = {"expect": "fail", "end": "reset"}
    hang = {"expect": "fail", "end": "timeout"}
    eq(units(ktap.judge("triple-fault", "", RESET, expect=reset)),
       [("triple-fault/expected_reset", "pass")], "reset as planned")
    eq(units(ktap.judge("triple-fault", GOOD, OK, expect=reset)),
       [("triple-fault/expected_reset", "fail")], "no reset")
    eq(units(ktap.judge("triple-fault", "", TIMEOUT, expect=reset)),
       [("triple-fault/expected_reset", "fail")], "timeout instead")
    eq(units(ktap.judge("hang", "", TIMEOUT, expect=hang)),
       [("hang/expected_timeout", "pass")], "timeout as planned")
    v = ktap.judge("hang", "", RESET, expect=hang)
    eq(units(v), [("hang/expected_timeout", "fail")], "reset instead")
    check(v.lines[0].startswith("  FAIL  hang/expected_timeout: expected a "
                                "timeout, but guest reset"), v.lines[0])


@case
def expected_failure_must_print_its_report():
    crash = {"expect": "fail", "end": "failure",
             "must_print": [r"^exception: #PF", r"^Call trace:"]}
    log = ("xcall: booted\n\x1b[0mexception: #PF (page fault) vector 14\n"
           "RIP: 0008:0000000000201234 f+0x4\nCall trace:\n  [<1>] f+0x4\n")
    eq(units(ktap.judge("exception", log, FAILED, expect=crash)),
       [("exception/expected_failure", "pass")], "report printed")
    v = ktap.judge("exception", log.replace("Call trace:", "Call"), FAILED,
                   expect=crash)
    eq(units(v), [("exception/expected_failure", "fail")], "no backtrace")
    check("never printed /^Call trace:/" in v.lines[0], v.lines[0])
    try:
        _boot(expect="pass", must_print=["x"])
    except ValueError:
        pass
    else:
        raise Failure("must_print accepted on a boot that must pass")


# ---------------------------------------------------------------------------
# Host binaries.

@case
def host_binary_failure_agrees_with_its_status():
    v = ktap.judge("host/test_llist", HOST, ktap.Ending("failure", 1), host=True)
    eq(units(v), [("host/test_llist/host_llist/add_to_empty", "pass"),
                  ("host/test_llist/host_llist/del_all", "fail")], "units")


@case
def host_binary_nonzero_status_with_all_passing_fails():
    text = HOST.replace("    not ok 2 del_all", "    ok 2 del_all").replace(
        "not ok 1 host_llist", "ok 1 host_llist").replace(
        "# Totals: pass:1 fail:1", "# Totals: pass:2 fail:0")
    v = ktap.judge("host/test_llist", text, ktap.Ending(
        "failure", 1, stderr="==1==ERROR: LeakSanitizer: detected memory leaks"),
        host=True)
    eq(first_line(v, "  FAIL  host/test_llist/boot"),
       "  FAIL  host/test_llist/boot: exited with status 1 but every test "
       "passed (a sanitizer report at exit?)", "boot line")
    check("          ==1==ERROR: LeakSanitizer: detected memory leaks" in v.lines,
          "stderr shown")


# ---------------------------------------------------------------------------
# Output and the runner's own pieces.

@case
def closing_line_format():
    pass_v = ktap.judge("a", GOOD, OK)
    skip_v = ktap.skipped("x2apic-smp4", "needs QEMU >= 9.0 for x2APIC under TCG, found 8.2")
    eq(ktap.closing_line([pass_v]), "4 passed, 0 failed", "no skips")
    eq(ktap.closing_line([pass_v, skip_v]), "4 passed, 0 failed, 1 skipped",
       "with a skip")
    eq(skip_v.lines, ["  skip  x2apic-smp4/boot (needs QEMU >= 9.0 for x2APIC "
                      "under TCG, found 8.2)"], "skip line")
    check(re.fullmatch(r"\d+ passed, \d+ failed(, \d+ skipped)?",
                       ktap.closing_line([pass_v, skip_v])), "plain closing line")


@case
def qemu_status_maps_to_endings():
    m = xcall_qemu.qemu_ending
    eq(m(1, 120, "").kind, "success", "status 1")
    eq(m(3, 120, "").kind, "failure", "status 3")
    eq(m(0, 120, "").kind, "reset", "status 0")
    eq((m(None, 20, "").kind, m(None, 20, "").timeout), ("timeout", 20), "timeout")
    eq(m(2, 120, "").message, "QEMU exited with status 2", "status 2")
    eq(m(-9, 120, "").message, "QEMU was killed by SIGKILL", "signal")


def _boot(**kw):
    entry = {"name": "t"}
    entry.update(kw)
    return xcall_qemu.Boot(entry, matrix.DEFAULTS)


def _arg(cmd, flag):
    return [cmd[i + 1] for i, a in enumerate(cmd) if a == flag]


@case
def qemu_command_line():
    b = _boot(smp="6,sockets=2,cores=3", options="ipi_drop=3 csd_timeout_ms=20")
    cmd, vars_copy = xcall_qemu.qemu_command(b, "tcg", "build/xcall.iso",
                                         "build/logs/t.log")
    eq(vars_copy, None, "no OVMF vars for BIOS")
    eq(_arg(cmd, "-smp"), ["6,sockets=2,cores=3"], "-smp")
    eq(_arg(cmd, "-cpu"), ["qemu64"], "-cpu under TCG")
    eq(_arg(cmd, "-accel"), ["tcg"], "-accel")
    eq(_arg(cmd, "-machine"), ["q35"], "-machine")
    eq(_arg(cmd, "-m"), ["256M"], "-m")
    eq(_arg(cmd, "-serial"), ["file:build/logs/t.log"], "-serial")
    eq(_arg(cmd, "-device"), ["isa-debug-exit,iobase=0xf4,iosize=0x04"], "-device")
    eq(_arg(cmd, "-fw_cfg"), ["name=opt/xcall/cmdline,string=qemu_exit "
                              "ipi_drop=3 csd_timeout_ms=20"], "-fw_cfg")
    for flag in ("-no-reboot", "-cdrom", "-display", "-monitor", "-vga"):
        check(flag in cmd, f"{flag} missing")
    eq(_arg(cmd, "-vga"), ["none"], "-vga")
    check("-bios" not in cmd and "-drive" not in cmd, "SeaBIOS is the default")

    b = _boot(options="list=a,b", vga="std", extra=["-d", "int"])
    cmd, _ = xcall_qemu.qemu_command(b, "kvm", "x.iso", "l,og", stdio=True)
    eq(_arg(cmd, "-fw_cfg"), ["name=opt/xcall/cmdline,string=qemu_exit list=a,,b"],
       "comma doubled")
    eq(_arg(cmd, "-cpu"), ["host"], "-cpu under KVM")
    eq(_arg(cmd, "-serial"), ["stdio"], "serial on stdio")
    eq(_arg(cmd, "-vga"), ["std"], "vga")
    eq(cmd[-2:], ["-d", "int"], "extra")
    cmd, _ = xcall_qemu.qemu_command(_boot(cpu="qemu64,+x2apic"), "kvm", "x.iso", "l")
    eq(_arg(cmd, "-cpu"), ["qemu64,+x2apic"], "an entry's model wins under KVM")


@case
def uefi_firmware_choices():
    with tempfile.TemporaryDirectory() as d:
        code, vars_ = os.path.join(d, "CODE.fd"), os.path.join(d, "VARS.fd")
        for p in (code, vars_):
            open(p, "w").close()
        b = _boot(firmware="uefi")
        eq(b.timeout, 180, "UEFI default timeout")
        cmd, copy = xcall_qemu.qemu_command(b, "tcg", "x.iso", "l", logdir=d,
                                        ovmf=xcall_qemu.find_ovmf([(code, vars_)], []))
        mine = os.path.join(d, "t.OVMF_VARS.fd")
        eq(copy, (vars_, mine), "per-boot vars copy")
        eq(_arg(cmd, "-drive"),
           [f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
            f"if=pflash,format=raw,unit=1,file={mine}"], "pflash drives")
        eq(xcall_qemu.find_ovmf([(code, os.path.join(d, "none"))], [code]),
           ("bios", code), "falls back to one image")
        cmd, _ = xcall_qemu.qemu_command(b, "tcg", "x.iso", "l", logdir=d,
                                     ovmf=("bios", code))
        eq(_arg(cmd, "-bios"), [code], "-bios")
        eq(xcall_qemu.find_ovmf([], [os.path.join(d, "none")]), None, "none")
        try:
            xcall_qemu.firmware_args(b, d, ovmf=None)
            raise Failure("no SetupError without OVMF")
        except xcall_qemu.SetupError as e:
            check("'ovmf'" in str(e), f"message names the package: {e}")


@case
def old_qemu_skips_x2apic_boots():
    b = _boot(cpu="qemu64,+x2apic", min_qemu=(9, 0), min_qemu_why="x2APIC under TCG")
    eq(xcall_qemu.skip_reason(b, (8, 2)),
       "needs QEMU >= 9.0 for x2APIC under TCG, found 8.2", "old QEMU")
    eq(xcall_qemu.skip_reason(b, (9, 0)), "", "9.0")
    eq(xcall_qemu.skip_reason(b, (10, 0)), "", "10.0")
    eq(xcall_qemu.skip_reason(_boot(), (7, 2)), "", "no minimum")


@case
def matrix_has_the_required_boots():
    boots = {b.name: b for b in xcall_qemu.load_matrix()}
    for name in ("bios-smp1", "bios-smp2", "bios-smp4", "bios-smp8", "pc-smp2",
                 "uefi-smp4", "sparse-apic", "x2apic-smp4", "x2apic-smp8",
                 "nox2apic-smp4", "poll-smp4", "ipi-drop-smp4", "selftest-fail",
                 "triple-fault", "hang"):
        check(name in boots, f"{name} missing from the matrix")
    eq(boots["pc-smp2"].machine, "pc", "pc-smp2 machine")
    eq(boots["uefi-smp4"].firmware, "uefi", "uefi-smp4 firmware")
    eq(boots["sparse-apic"].smp, "6,sockets=2,cores=3", "sparse-apic smp")
    for name in ("x2apic-smp4", "x2apic-smp8", "nox2apic-smp4"):
        eq((boots[name].cpu, boots[name].min_qemu), ("qemu64,+x2apic", (9, 0)), name)
    for name, word in (("nox2apic-smp4", "nox2apic"), ("poll-smp4", "idle=poll"),
                       ("hlt-smp4", "idle=hlt"),
                       ("ipi-drop-smp4", "ipi_drop=3"),
                       ("ipi-drop-smp4", "csd_timeout_ms=20"),
                       ("bios-smp4", "stress_calls=100000"),
                       ("x2apic-smp4", "stress_calls=100000")):
        check(word in boots[name].options.split(), f"{name} lacks {word}")
    eq(boots["selftest-fail"].expectation,
       {"expect": "fail", "end": "failure", "failed_cases": ["deliberate_failure"],
        "must_print": []},
       "selftest-fail")
    eq((boots["triple-fault"].options, boots["triple-fault"].end),
       ("selftest_triple_fault", "reset"), "triple-fault")
    eq((boots["hang"].options, boots["hang"].end, boots["hang"].timeout),
       ("selftest_hang", "timeout", 20), "hang")
    eq(boots["bios-smp1"].timeout, 120, "default timeout")


@case
def usb_media_boots_the_iso_as_a_stick():
    cmd, _ = xcall_qemu.qemu_command(_boot(media="usb"), "tcg", "x.iso", "x.log")
    check("-cdrom" not in cmd, "no CD when booting from the stick")
    check("usb-storage,drive=stick" in cmd, "a USB mass-storage device")
    check(any(a.startswith("file=x.iso,format=raw") for a in cmd), "the raw image")
    cmd, _ = xcall_qemu.qemu_command(_boot(), "tcg", "x.iso", "x.log")
    eq(cmd[cmd.index("-cdrom") + 1], "x.iso", "CD by default")
    boots = {b.name: b for b in xcall_qemu.load_matrix()}
    eq((boots["usb-bios-smp2"].media, boots["usb-uefi-smp2"].firmware),
       ("usb", "uefi"), "the USB boots")


@case
def matrix_entry_typos_are_refused():
    for bad in ({"name": "x", "option": "typo"}, {"name": "x", "firmware": "efi"},
                {"name": "x", "expect": "fail"}, {"name": "x", "smp": "four"},
                {"name": "x", "extra": "-d int"}, {"name": "x", "failed_cases": ["a"]},
                {"name": "x", "min_qemu": 9}, {"name": "x", "media": "floppy"}):
        try:
            _boot(**{k: v for k, v in bad.items() if k != "name"})
        except ValueError:
            continue
        raise Failure(f"accepted {bad}")


# ---------------------------------------------------------------------------
# BENCH lines (tools/benchfmt.py), the bench_lines unit, tools/bench.py.

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
    import json
    recs = bench_records() if records is None else records
    lines = [benchfmt.PREFIX + (r if isinstance(r, str) else json.dumps(r))
             for r in recs]
    text = before + "\r\n".join(lines) + "\r\n"
    if done:
        text += "bench: done\r\nxcall: self-tests passed\r\n"
    return text


def bench_unit(v):
    found = [u for u in v.units if u.name.endswith("/bench_lines")]
    check(len(found) == 1, f"one bench_lines unit, got {units(v)}")
    return found[0]


def without(rec, field):
    return {k: v for k, v in rec.items() if k != field}


@case
def bench_lines_good_boot_passes():
    v = ktap.judge("bench-smp2", bench_log(), OK, bench=2)
    eq(v.passed, True, "passed")
    eq(units(v)[-1], ("bench-smp2/bench_lines", "pass"), "last unit")
    first_line(v, "  ok    bench-smp2/bench_lines (10 BENCH lines)")
    parsed, problems = benchfmt.validate(bench_log(bench_records(4)), 4)
    eq(problems, [], "problems at 4 CPUs")
    eq(len(parsed.records), 12, "records at 4 CPUs")


@case
def bench_lines_only_for_bench_boots():
    v = ktap.judge("bios-smp2", GOOD, OK)
    eq([u for u in v.units if u.name.endswith("bench_lines")], [], "no unit")
    v = ktap.judge("bios-smp2", GOOD, OK, bench=2)
    u = bench_unit(v)
    eq((u.status, u.details[0]), ("fail", "no BENCH line in the log"), "unit")


@case
def bench_line_missing_field_fails():
    recs = bench_records()
    recs[2] = without(recs[2], "p99")
    recs[7] = without(recs[7], "ipis_per_call")
    recs[1] = without(recs[1], "target")
    v = ktap.judge("bench-smp2", bench_log(recs), OK, bench=2)
    u = bench_unit(v)
    eq(u.status, "fail", "status")
    text = "\n".join(u.details)
    for want in ("(call_single): missing p99", "(tput_nto1): missing "
                 "ipis_per_call", "(raw_ipi): missing target"):
        check(want in text, f"{want!r} not in {u.details}")
    eq(v.counts()["fail"], 1, "only bench_lines fails: the boot is fine")


@case
def bench_line_wrong_types_fail():
    for field, value, word in (("n", 20.5, "an integer"),
                               ("p50", "901", "a number"),
                               ("max", True, "a number"),
                               ("apic", 2, "a string"),
                               ("tsc_hz", "fast", "a number")):
        recs = bench_records()
        recs[3][field] = value
        _, problems = benchfmt.validate(bench_log(recs), 2)
        check(problems and f"{field} is " in problems[0] and word in problems[0],
              f"{field}={value!r}: {problems}")
    recs = bench_records()
    recs[0]["idle"] = "mwait"
    _, problems = benchfmt.validate(bench_log(recs), 2)
    check(any("idle 'mwait'" in p for p in problems), problems)


@case
def bench_line_bad_json_fails():
    good = bench_records()
    for bad in ('{"name": "call_self", "cpus": 2,', '{"name": \'x\'}',
                '{name: "call_self"}', '[1, 2]', '{"name": "call_self", '
                '"p50": NaN}'):
        recs = [r for r in good if r["name"] != "call_self"] + [bad]
        v = ktap.judge("bench-smp2", bench_log(recs), OK, bench=2)
        u = bench_unit(v)
        eq(u.status, "fail", f"status for {bad!r}")
        check(any("bad JSON" in d or "not a JSON object" in d
                  for d in u.details), f"{bad!r}: {u.details}")
        check(any("no result for call_self" in d for d in u.details),
              f"{bad!r}: the bad line does not count: {u.details}")


@case
def bench_missing_name_fails():
    recs = [r for r in bench_records() if r["name"] != "tput_all"]
    u = bench_unit(ktap.judge("bench-smp2", bench_log(recs), OK, bench=2))
    eq((u.status, u.details), ("fail", ["no result for tput_all"]), "unit")
    recs = [r for r in bench_records(4)
            if not (r["name"] == "call_single" and r["target"] == 3)]
    _, problems = benchfmt.validate(bench_log(recs), 4)
    eq(problems, ["no call_single to CPU 3"], "a target missing")
    recs = bench_records() + [bench_records()[2]]
    _, problems = benchfmt.validate(bench_log(recs), 2)
    eq(problems, ["reported more than once: call_single ->1"], "a duplicate")


@case
def bench_without_done_fails():
    v = ktap.judge("bench-smp2", bench_log(done=False), OK, bench=2)
    u = bench_unit(v)
    eq(u.status, "fail", "status")
    eq(u.details, ["no 'bench: done' line: the benchmarks did not finish"],
       "details")
    first_line(v, "  FAIL  bench-smp2/bench_lines: no 'bench: done' line")
    check(any("last " in l and " lines" in l for l in v.lines),
          "the log tail is shown")
    # A boot that timed out mid-benchmark fails both ways.
    v = ktap.judge("bench-smp2", bench_log(done=False), TIMEOUT, bench=2)
    eq([n for n, s in units(v) if s == "fail"],
       ["bench-smp2/boot", "bench-smp2/bench_lines"], "failed units")


@case
def bench_ratios_must_be_finite():
    recs = bench_records()
    for k in benchfmt.STATS:
        recs[1][k] = 0                  # raw_ipi all zero
    _, problems = benchfmt.validate(bench_log(recs), 2)
    check(any("call_single/raw_ipi p50 ratio is not finite" in p
              for p in problems), problems)
    ratios = benchfmt.layer_ratios(bench_records())
    eq(round(ratios["call_single"]["raw_ipi"], 3), round(40900 / 28500, 3),
       "call_single over raw_ipi, same target")
    eq(round(ratios["call_many"]["pingpong"], 3), round(50000 / 9184, 3),
       "call_many over pingpong")


@case
def bench_summary_must_be_a_summary_never_fast():
    recs = bench_records()
    recs[0]["p90"] = recs[0]["p99"] + 1
    _, problems = benchfmt.validate(bench_log(recs), 2)
    check(problems and "not min <= p50 <= p90" in problems[0], problems)
    recs = bench_records()
    recs[2]["cpus"] = 3
    _, problems = benchfmt.validate(bench_log(recs), 2)
    check(any("lines disagree on cpus" in p for p in problems), problems)
    # Any timing, however slow or odd, is not a failure.
    recs = bench_records()
    for r in recs:
        for k in benchfmt.STATS:
            r[k] = 10 ** 12
    _, problems = benchfmt.validate(bench_log(recs), 2)
    eq(problems, [], "huge equal values")
    _, problems = benchfmt.validate(bench_log(bench_records(2, "x2apic",
                                                            "haltpoll")), None)
    eq(problems, [], "x2apic haltpoll, no CPU count given")


@case
def bench_lines_survive_serial_noise():
    text = bench_log().replace("BENCH {\"name\": \"call_self\"",
                               "\x1b[0mBENCH {\"name\": \"call_self\"")
    text = "smpboot: CPU 1 apic_id=1 online\nBENCH is not this\n" + text
    parsed, problems = benchfmt.validate(text, 2)
    eq(problems, ["line 2: bad JSON: Expecting value: line 1 column 1 (char 0)"],
       "a BENCH line that is not JSON is reported with its line number")


@case
def matrix_has_a_bench_boot():
    boots = {b.name: b for b in xcall_qemu.load_matrix()}
    b = boots.get("bench-smp2")
    check(b is not None, "bench-smp2 missing")
    eq((b.bench, b.smp, b.cpus), (True, "2", 2), "bench-smp2")
    for word in ("bench", "bench_iters=20"):
        check(word in b.options.split(), f"bench-smp2 lacks {word}")
    eq(boots["bios-smp4"].bench, False, "others have no bench unit")
    eq(_boot(smp="6,sockets=2,cores=3").cpus, 6, "topology count")
    eq(_boot(smp="sockets=2,cores=3").cpus, 6, "levels only")
    for bad in ({"bench": "yes", "options": "bench"}, {"bench": True},
                {"bench": True, "options": "bench", "expect": "fail",
                 "end": "timeout"}):
        try:
            _boot(**bad)
        except ValueError:
            continue
        raise Failure(f"accepted {bad}")


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


@case
def bench_table_fits_and_shows_the_ratios():
    lines = bench.table(bench_results())
    wide = [l for l in lines if len(l) > bench.WIDTH]
    eq(wide, [], "lines wider than the terminal")
    text = "\n".join(lines)
    for want in ("-smp 2, tcg", "-smp 4, tcg", "call_single ->3",
                 "call/raw_ipi", "call/pingpong", "calls/s", "IPIs/call"):
        check(want in text, f"{want!r} missing")
    row = [l for l in lines if l.startswith("call/raw_ipi ")][0]
    eq(row.split()[2:], [f"{40900 / 28500:.2f}"] * 6, "ratio cells")
    row = [l for l in lines if l.startswith("raw_ipi ->1")][0]
    eq(row.split()[2:4], ["us", "28.5/71.2"], "p50/p99 in µs")
    eq(bench.table([]), ["(no results)"], "empty")


@case
def bench_results_json_round_trip():
    recs = bench_results()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "results.json")
        bench.write_json(path, {"date": "2025-01-01", "accel": "tcg"}, recs)
        meta, back = bench.load_json(path)
        eq(meta["date"], "2025-01-01", "metadata")
        eq(back, recs, "records")
        eq({(r["smp"], r["apic"], r["idle"], r["accel"]) for r in back},
           {(s, a, i, "tcg") for s in (2, 4) for a in benchfmt.APICS
            for i in benchfmt.IDLES}, "configurations")
        with open(path, "w") as f:
            f.write('{"results": [{"name": "pingpong"}]}')
        try:
            bench.load_json(path)
            raise Failure("a bad record was loaded")
        except ValueError as e:
            check("missing" in str(e), str(e))


@case
def bench_merge_keeps_the_kernels_word():
    cfg = bench.Config(4, "x2apic", "poll", "tcg")
    r = bench.merge(bench_records(4, "xapic", "poll")[0], cfg)
    eq((r["apic"], r["kernel_apic"], r["idle"], r["smp"], r["config"]),
       ("x2apic", "xapic", "poll", 4, "smp4-x2apic-poll"), "merged")
    check("kernel_idle" not in r, "no kernel_idle when they agree")
    b = bench.boot_for(cfg, 50, 300)
    eq((b.cpu, b.smp, b.options, b.timeout, b.min_qemu),
       ("qemu64,+x2apic", "4", "selftest=off bench idle=poll bench_iters=50", 300, (9, 0)),
       "boot")
    eq(bench.boot_for(bench.Config(2, "xapic", "hlt", "tcg"), None, 300).options,
       "selftest=off bench idle=hlt", "no bench_iters: the kernel chooses")


# ---------------------------------------------------------------------------

def main():
    results = []
    for i, fn in enumerate(CASES, 1):
        try:
            fn()
            results.append((fn.__name__, []))
        except Failure as e:
            results.append((fn.__name__, [f"{fn.__name__}: CHECK FAILED: {e}"]))
        except Exception:
            lines = traceback.format_exc().rstrip().split("\n")
            results.append((fn.__name__, [f"{fn.__name__}: raised"] + lines))
    n = len(results)
    failed = sum(1 for _, diag in results if diag)
    print("KTAP version 1\n1..1")
    print("    KTAP version 1\n    # Subtest: host_runner")
    print(f"    1..{n}")
    for i, (name, diag) in enumerate(results, 1):
        for d in diag:
            print(f"    # {d}")
        print(f"    {'not ok' if diag else 'ok'} {i} {name}")
    print(f"# host_runner: pass:{n - failed} fail:{failed} skip:0 total:{n}")
    print(f"{'not ok' if failed else 'ok'} 1 host_runner")
    print(f"# Totals: pass:{n - failed} fail:{failed} skip:0 total:{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
