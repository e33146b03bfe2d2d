# SPDX-License-Identifier: MIT
"""
KTAP parsing and the verdict on one run, for tools/xcall.py.

This module owns two pure steps, with no file, process or clock in them so
that tools/xcall_tool_test.py can feed them canned logs:

  parse(text)            a serial log (or a host binary's stdout) into a tree
                         of results, with every way the report is not whole
  judge(name, text, ...) how the run ended + that tree + what was expected
                         -> units that passed, failed or were skipped, and the
                         lines that say so

A boot that also runs the benchmarks (a matrix entry with "bench": True)
gets one more unit, <boot>/bench_lines, from judge_bench(): its BENCH
lines are checked by tools/benchfmt.py, the module tools/bench.py reads
them with; their values never decide anything.

A kernel that ends the run itself (QEMU status 1 or 3) last prints its
closing line, "xcall: options refused: N; warnings: M", whatever the log
level; judge() requires it and holds the "options:" and WARNING lines it
saw against it, since loglevel= can hide those lines but not the counts.

Starting QEMU or a host binary, timeouts and log files are left to
tools/xcall_qemu.py, the command line to tools/xcall.py.

The report is KTAP version 1 as Linux's KUnit prints it: a version line, a
plan "1..N", then N result lines "ok N name" / "not ok N name" with an
optional "# SKIP reason"; a suite is a nested report indented four spaces
deeper, and its own result line follows it at the parent's depth. Lines
"# ..." are diagnostics of the next result at their depth. The kernel ends
with "# Totals: pass:P fail:F skip:S total:T" at depth 0.

Anything else in the log (printk from any CPU, BENCH lines, firmware
output) is not KTAP and is passed over, wherever it falls; so is a line that
looks like KTAP but is not indented by a multiple of four.

A log that ends inside the report is a crash (a panic, a reset, a hang
killed at the timeout), counted as Linux's KUnit parser counts it: the
case that was running and every planned case after it in its suite are
"crashed", and so is each planned entry of an enclosing suite that never
started, one apiece since the log cannot say how many cases it holds. The
entries that have no result line are named by their number in their
suite's plan: <suite>/#2.
"""

import re
from dataclasses import dataclass, field

import benchfmt

INDENT = 4

# A suite's result names it; a leaf is a test case. One unit per leaf.
# CRASH: a planned case or suite with no result line, the log having
# ended first.
PASS, FAIL, SKIP, CRASH = "pass", "fail", "skip", "crash"
STATUSES = (PASS, FAIL, CRASH, SKIP)

# Terminal escapes that SeaBIOS, OVMF and GRUB write to the serial line:
# CSI sequences, charset selection, and the other two-byte escapes.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])")
_VERSION = re.compile(r"K?TAP version (\d+)")
# The first version line may have firmware noise glued in front of it (GRUB
# does not always end its last line), but never spaces: those mean nesting.
_FIRST_VERSION = re.compile(r"(?:.*[^ ])?KTAP version (\d+)")
_PLAN = re.compile(r"1\.\.(\d+)(?:\s+#.*)?")
_RESULT = re.compile(r"(ok|not ok) (\d+)(?:\s+-)?(?:\s+(.*))?")
_DIRECTIVE = re.compile(r"\s*#\s*(.*)")
_SKIP = re.compile(r"(?i)skip\b\s*(.*)")
_COUNTS = re.compile(r"(pass|fail|skip|total):(\d+)")
_TOTALS = re.compile(r"Totals:\s*(.*)")
_SUBTEST = re.compile(r"Subtest:\s*(.*)")
_SUMMARY = re.compile(r"(\S+): (pass:\d+ fail:\d+ skip:\d+ total:\d+)")


def clean_line(raw):
    """Strip escapes, NULs, CR and trailing blanks; keep what a terminal shows."""
    line = _ESCAPE.sub("", raw).replace("\x00", "")
    line = line.rstrip("\r\n\t ")
    if "\r" in line:
        # A carriage return mid-line is a redraw: the text after it wins.
        line = line.rsplit("\r", 1)[1]
    return line


# Control characters a terminal acts on, once the escape sequences are
# gone: all of C0 but tab, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def terminal_safe(raw):
    """A serial line as it may be echoed to the user's terminal: the
    firmware's screen clearing, cursor moves and colours (and any other
    control character) removed, so that they can neither wipe what the
    runner printed nor leave the terminal coloured."""
    return _CONTROL.sub("", clean_line(raw))


def _counts(text):
    return {k: int(v) for k, v in _COUNTS.findall(text)}


@dataclass
class Line:
    """One KTAP line: its depth, what it is, and what it carries."""
    lineno: int
    depth: int
    kind: str           # version plan result subtest totals summary diag
    text: str           # the line without its indentation
    value: object = None


def classify(lineno, line):
    """Return a Line for a KTAP line, or None for anything else."""
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    if indent % INDENT:
        return None
    depth = indent // INDENT

    def mk(kind, value=None):
        return Line(lineno, depth, kind, body, value)

    m = _VERSION.fullmatch(body)
    if m:
        return mk("version", int(m.group(1)))
    m = _PLAN.fullmatch(body)
    if m:
        return mk("plan", int(m.group(1)))
    m = _RESULT.fullmatch(body)
    if m:
        rest = m.group(3) or ""
        name, directive = rest, ""
        d = re.search(r"(?:^|\s)#", rest)
        if d:
            name = rest[:d.start()].strip()
            directive = _DIRECTIVE.match(rest[d.start():]).group(1).strip()
        return mk("result", (m.group(1) == "ok", int(m.group(2)), name.strip(),
                             directive))
    if body.startswith("#") and (len(body) == 1 or body[1] in " \t"):
        text = body[1:].strip()
        m = _TOTALS.fullmatch(text)
        if m:
            return mk("totals", _counts(m.group(1)))
        m = _SUBTEST.fullmatch(text)
        if m:
            return mk("subtest", m.group(1).strip())
        m = _SUMMARY.fullmatch(text)
        if m:
            return mk("summary", (m.group(1), _counts(m.group(2))))
        return mk("diag", text)
    return None


@dataclass(eq=False)
class Node:
    """A result: a test case (leaf) or a suite with its own nested report."""
    name: str = ""
    number: int = 0
    status: str = None          # PASS, FAIL, SKIP, CRASH; None: no result
                                # line seen
    reported_ok: bool = None
    reason: str = ""            # the skip reason, or another directive
    diag: list = field(default_factory=list)   # lines before its result
    summary: dict = None        # its "# name: pass:.. fail:.." line
    lineno: int = 0             # of its result line
    parent: "Node" = None
    # Suites only:
    is_suite: bool = False
    subtest: str = None         # from "# Subtest: name"
    version: int = None
    plan: int = None
    results: int = 0            # result lines seen at this depth
    children: list = field(default_factory=list)
    trailing: list = field(default_factory=list)   # diag after the last result
    # Parser state, for the depth just below this suite:
    pending: "Node" = None      # a sub-suite that awaits its result line
    pending_diag: list = field(default_factory=list)
    pending_summary: dict = None

    @property
    def label(self):
        return self.name or self.subtest or "(unnamed)"

    @property
    def path(self):
        parts = []
        node = self
        while node is not None and node.parent is not None:
            parts.append(node.label)
            node = node.parent
        return "/".join(reversed(parts))

    @property
    def is_leaf(self):
        # A suite skipped whole, with no cases of its own, counts as one.
        return not self.is_suite or (not self.children and self.status == SKIP)

    def walk(self):
        """Every node below this one, children before their suite (KTAP order)."""
        for child in self.children:
            yield from child.walk()
            yield child

    def leaves(self):
        return [n for n in self.walk() if n.is_leaf]

    def failed_below(self):
        return any(n.status == FAIL for n in self.walk() if n.is_leaf)


@dataclass
class Report:
    root: Node
    found: bool = False         # saw the top-level version line
    totals: dict = None         # the closing "# Totals:" line
    errors: list = field(default_factory=list)
    crashed: str = ""           # where the log ended inside the report
    last_line: int = 0          # the number of the report's last line

    @property
    def complete(self):
        return self.found and not self.errors and not self.crashed

    @property
    def problem(self):
        """What makes the report incomplete, in one line ('' if nothing)."""
        if not self.errors:
            return self.crashed
        more = len(self.errors) - 1
        return self.errors[0] + (f" (and {more} more)" if more else "")

    def leaves(self):
        return self.root.leaves()

    def counts(self):
        c = dict.fromkeys(STATUSES, 0)
        for leaf in self.leaves():
            c[leaf.status] += 1
        return c


class _Parser:
    def __init__(self):
        self.root = Node(is_suite=True)
        self.report = Report(self.root)
        self.stack = [self.root]        # stack[d]: the open suite at depth d
        self.loose_diag = []            # depth+1 diag that may start a suite
        self.done = False

    def error(self, msg):
        self.report.errors.append(msg)

    @staticmethod
    def where(suite):
        return suite.path or "the top level"

    def open_suite(self):
        parent = self.stack[-1]
        if parent.pending is not None:
            self.orphan(parent)
        node = Node(is_suite=True, parent=parent)
        node.pending_diag, self.loose_diag = self.loose_diag, []
        parent.pending = node
        self.stack.append(node)
        return node

    def orphan(self, parent):
        """A sub-suite ended but its result line never came: keep its cases."""
        node = parent.pending
        parent.pending = None
        self.error(f"no result line for suite {node.path}")
        parent.children.append(node)

    def close_suite(self):
        node = self.stack.pop()
        node.trailing += node.pending_diag
        node.pending_diag = []
        if node.pending is not None:
            self.orphan(node)
        self.check_plan(node)
        parent = self.stack[-1]
        # The suite's result line comes next at the parent's depth; open_suite
        # and the end of the log report it when it does not.
        parent.pending = node

    def check_plan(self, suite):
        if suite.plan is None:
            self.error(f"{self.where(suite)} has no plan (1..N)")
        elif suite.plan != suite.results:
            self.error(f"{self.where(suite)}: plan 1..{suite.plan} but "
                       f"{suite.results} results")

    def starts_sibling(self, suite):
        """A header line at a suite's depth after its body began."""
        return suite.plan is not None or suite.results > 0

    def feed(self, ln):
        self.report.last_line = ln.lineno
        depth = len(self.stack) - 1
        if ln.depth > depth + 1:
            if ln.kind in ("version", "plan", "result"):
                self.error(f"line {ln.lineno}: '{ln.text}' is indented deeper "
                           f"than any open suite")
            return
        if ln.depth == depth + 1:
            if ln.kind in ("diag", "summary", "totals"):
                self.loose_diag.append(ln.text.lstrip("#").strip())
                return
            self.open_suite()
        else:
            self.loose_diag = []
            while len(self.stack) - 1 > ln.depth:
                self.close_suite()
        suite = self.stack[ln.depth]
        getattr(self, "on_" + ln.kind)(suite, ln)

    def on_version(self, suite, ln):
        if suite is self.root:
            self.error(f"line {ln.lineno}: a second KTAP report starts before "
                       f"the first one ended")
            self.done = True
            return
        if suite.version is None and not self.starts_sibling(suite):
            suite.version = ln.value
            return
        self.close_suite()
        self.open_suite().version = ln.value

    def on_subtest(self, suite, ln):
        if suite is self.root:
            self.on_diag(suite, ln)
        elif suite.subtest is None and not self.starts_sibling(suite):
            suite.subtest = ln.value
        else:
            self.close_suite()
            self.open_suite().subtest = ln.value

    def on_plan(self, suite, ln):
        if suite.plan is not None:
            self.error(f"line {ln.lineno}: {self.where(suite)} has a second "
                       f"plan '{ln.text}'")
            return
        suite.plan = ln.value

    def on_result(self, suite, ln):
        ok, number, name, directive = ln.value
        expected = suite.results + 1
        if number != expected:
            self.error(f"line {ln.lineno}: result {number} ({name or 'unnamed'}) "
                       f"in {self.where(suite)} where {expected} was expected")
        suite.results += 1
        node = suite.pending if suite.pending is not None else Node(parent=suite)
        suite.pending = None
        node.name = name or node.subtest or ""
        node.number = number
        node.lineno = ln.lineno
        node.reported_ok = ok
        skip = _SKIP.fullmatch(directive)
        if skip:
            node.status, node.reason = SKIP, skip.group(1).strip()
        else:
            node.status, node.reason = (PASS if ok else FAIL), directive
        node.diag, suite.pending_diag = suite.pending_diag, []
        node.summary, suite.pending_summary = suite.pending_summary, None
        suite.children.append(node)

    def on_totals(self, suite, ln):
        root = self.root
        if (suite is root and root.plan is not None and
                root.results >= root.plan and root.pending is None):
            self.report.totals = ln.value
            self.done = True
        else:
            # Linux prints a Totals line per suite too; only the last one ends.
            suite.pending_summary = ln.value

    def on_summary(self, suite, ln):
        suite.pending_summary = ln.value[1]

    def on_diag(self, suite, ln):
        suite.pending_diag.append(ln.text.lstrip("#").strip())

    def finish(self):
        root = self.root
        if not self.report.found:
            self.error("no KTAP report in the log (no 'KTAP version 1' line)")
            return self.report
        if self.done:
            if self.report.totals is not None:
                self.check_plan(root)
                self.check_totals()
            return self.report
        inner = self.stack[-1]
        if inner is root and root.pending is not None:
            self.error(f"log ends before the result line of suite "
                       f"{root.pending.path}")
            root.children.append(root.pending)
            root.pending = None
            self.crash_rest(root, False)
        elif inner is not root or root.plan is None or root.results < root.plan:
            if inner is not root and inner.plan is not None and \
                    inner.results >= inner.plan:
                self.error(f"log ends before the result line of suite "
                           f"{inner.path}")
            else:
                of = f" of {inner.plan}" if inner.plan is not None else ""
                self.report.crashed = (f"the log ends inside "
                                       f"{self.where(inner)} after "
                                       f"{inner.results}{of} results")
            # Keep what was reported, so its failures still show, and
            # count what never reported as crashed.
            running = True              # the innermost suite's next case
            while len(self.stack) > 1:
                node = self.stack.pop()
                if node.pending is not None:
                    node.children.append(node.pending)
                    node.pending = None
                self.crash_rest(node, running)
                running = False
                node.status = CRASH
                self.stack[-1].children.append(node)
                self.stack[-1].pending = None
            if root.pending is not None:
                root.children.append(root.pending)
                root.pending = None
            self.crash_rest(root, running)
        else:
            self.check_plan(root)
            self.error("no '# Totals:' line after the last result")
        return self.report

    def crash_rest(self, suite, running):
        """Add a CRASH leaf for each entry of @suite's plan that has no
        result line and did not start (@running: the first of them was
        running when the log ended, and gets the diagnostics it printed).
        A suite that ended before its plan gets one, as it did crash
        (Linux's parser counts none there: it cannot tell how many)."""
        entries = len(suite.children)
        if suite.plan is None:
            missing = 0 if suite is self.root else (1 if not entries else 0)
        else:
            missing = max(0, suite.plan - entries)
        for i in range(missing):
            number = entries + 1 + i
            first = running and i == 0
            node = Node(name=f"#{number}", number=number, status=CRASH,
                        parent=suite,
                        reason="running when the log ended" if first
                        else "never ran")
            if first:
                node.diag, suite.pending_diag = suite.pending_diag, []
            suite.children.append(node)
        suite.trailing += suite.pending_diag
        suite.pending_diag = []

    def check_totals(self):
        t = self.report.totals
        c = self.report.counts()
        seen = {"pass": c[PASS], "fail": c[FAIL], "skip": c[SKIP],
                "total": c[PASS] + c[FAIL] + c[SKIP]}
        wrong = [k for k in ("pass", "fail", "skip", "total")
                 if k in t and t[k] != seen[k]]
        if wrong or "total" not in t:
            said = " ".join(f"{k}:{v}" for k, v in t.items())
            got = " ".join(f"{k}:{v}" for k, v in seen.items())
            self.error(f"'# Totals: {said}' does not match the cases reported "
                       f"({got})")


def parse(text):
    """Parse a log into a Report. Never raises on bad input."""
    p = _Parser()
    for lineno, raw in enumerate(text.split("\n"), 1):
        line = clean_line(raw)
        if not p.report.found:
            m = _FIRST_VERSION.fullmatch(line)
            if m:
                p.report.found = True
                p.report.last_line = lineno
                p.root.version = int(m.group(1))
            continue
        ln = classify(lineno, line)
        if ln is not None:
            p.feed(ln)
            if p.done:
                break
    return p.finish()


# ---------------------------------------------------------------------------
# The verdict.

@dataclass
class Ending:
    """How a run ended, as the runner saw it.

    kind: "success"  QEMU status 1 (the kernel wrote 0 to isa-debug-exit),
                     or a host binary's status 0
          "failure"  QEMU status 3 (the kernel wrote 1), or a host status > 0
          "reset"    QEMU status 0: the guest reset or shut down unreported
          "timeout"  killed after `timeout` seconds
          "stopped"  ended by the runner on purpose; `message` says why
          "error"    anything else; `message` says what
    """
    kind: str
    status: int = None
    timeout: float = None
    message: str = ""
    stderr: str = ""


# How an expected failure must end, for the matrix's "end" field.
EXPECTED_ENDS = {
    "failure": "the kernel reporting failure (QEMU exit status 3)",
    "reset": "a guest reset (QEMU exit status 0)",
    "timeout": "a timeout",
}


def describe(ending, host=False):
    k = ending.kind
    if k == "timeout":
        return f"timed out after {ending.timeout:g} s"
    if k == "reset":
        return "guest reset or shut down without reporting (triple fault?)"
    if k in ("error", "stopped"):
        return ending.message
    if host:
        return f"exited with status {ending.status}"
    if k == "success":
        return "the kernel reported success (QEMU exit status 1)"
    return "the kernel reported failure (QEMU exit status 3)"


@dataclass
class Unit:
    name: str
    status: str                 # PASS, FAIL, SKIP, CRASH
    note: str = ""              # shown in parentheses after the name
    details: list = field(default_factory=list)


@dataclass
class Verdict:
    name: str
    units: list
    lines: list                 # what to print, in order
    report: Report = None
    notes: list = field(default_factory=list)   # to print by the closing line

    @property
    def passed(self):
        return not any(u.status in (FAIL, CRASH) for u in self.units)

    def counts(self):
        c = dict.fromkeys(STATUSES, 0)
        for u in self.units:
            c[u.status] += 1
        return c


TAG = {PASS: "ok", FAIL: "FAIL", SKIP: "skip", CRASH: "CRASH"}
DETAIL = " " * 8
MAX_DIAG = 40
MAX_STDERR = 40
TAIL = 20


def without_passes(lines):
    """A verdict's lines less those of the units and suites that passed
    (each of which is one line): what a user who watched the report go by
    still needs, the failures, crashes and skips with their details."""
    return [l for l in lines if not l.startswith(f"  {TAG[PASS]:<6}")]


def status_line(status, name, note=""):
    """'  TAG   name (note)': @name and @note come from the kernel's words
    (case names, skip reasons), so they are made printable."""
    return printable(f"  {TAG[status]:<6}{name}" + (f" ({note})" if note else ""))


def headline(status, name, text):
    """'  TAG   name: text', a run's one line of why, often the kernel's own
    words (a refused option, a WARNING, a selftest= error): printable."""
    return printable(f"  {TAG[status]:<6}{name}: {text}")


def tail(text, n=TAIL):
    lines = [clean_line(l) for l in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines[-n:]


def printable(s):
    """@s with each character a terminal would act on (a bell, a shift,
    a lone ESC left after clean_line()) shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in s)


def _detail(lines, limit=MAX_DIAG):
    out = [DETAIL + printable(l) for l in lines[:limit]]
    if len(lines) > limit:
        out.append(DETAIL + f"... {len(lines) - limit} more lines")
    return out


# The log around the end of the report: a few lines of the report, then
# what came after it (a panic's register dump and two backtraces fit).
BEFORE_END = 3
AFTER_END = 40


def _around_the_end(text, report, log_name):
    """The lines where the report ended, when it began at all: the cause
    of a failure or crash is there (a panic, the kernel's last words),
    not necessarily in the log's last lines. Else the log's tail."""
    name = log_name or "the log"
    if report is None or not report.found:
        t = tail(text)
        if not t:
            return [f"{name} is empty"]
        return [f"last {len(t)} lines" + (f" of {log_name}:" if log_name
                                            else ":")] + ["  " + l for l in t]
    lines = [clean_line(l) for l in text.split("\n")]
    start = max(0, report.last_line - BEFORE_END)
    stop = min(len(lines), report.last_line + AFTER_END)
    while stop > start and not lines[stop - 1]:
        stop -= 1
    more = sum(1 for l in lines[stop:] if l)
    out = [f"lines {start + 1}-{stop} of {name}, where the report ends:"]
    out += ["  " + l for l in lines[start:stop]]
    if more:
        out.append(f"  ... {more} more lines")
    return out


def _context(text, ending, log_name, host, report=None):
    """The lines after a failed run: QEMU's or the sanitizer's stderr, and
    the log where the report ends (or its tail, with no report)."""
    out = []
    err = [l for l in (clean_line(x) for x in ending.stderr.split("\n")) if l]
    if err:
        # A sanitizer report starts with its error and stack and ends them
        # with a SUMMARY line; after it comes a legend of shadow bytes.
        total = len(err)
        summary = [i for i, l in enumerate(err) if l.startswith("SUMMARY: ")]
        if summary:
            err = err[:summary[0] + 1]
        err = err[:MAX_STDERR]
        out.append("stderr:" if host else "QEMU stderr:")
        out += ["  " + l for l in err]
        if total > len(err):
            out.append(f"  ... {total - len(err)} more lines")
    return out + _around_the_end(text, report, log_name)


# The kernel's own refusal of a test run (tests/ktest.c): a selftest= name
# that matches no suite, a selection of no case.
_KTEST_ERROR = re.compile(r"ktest: error: (.*)")


def kernel_errors(text):
    """What the kernel said was wrong with the run it was asked for."""
    found = []
    for raw in text.split("\n"):
        m = _KTEST_ERROR.fullmatch(clean_line(raw))
        if m:
            found.append(m.group(1))
    return found


# A kernel warning (kernel/panic.c, warn_slowpath()): its CPU, file,
# line and condition; and a test case's announcement that it provokes one
# (tests/ktest.c, ktest_expect_warning()): the CPU, file and condition
# (the condition is last in both: it is C and may hold any character).
_WARNING = re.compile(r"WARNING: CPU (\d+) at (\S+?):\d+(?:: (.*))?")
_WARNING_MARK = "WARNING: CPU"
_EXPECT_WARNING = re.compile(
    r"\s*# \S+: (?:.*; )?expect a WARNING on CPU (\d+) at (\S+): (.*)")
_ANY_RESULT = re.compile(r"\s*(?:not )?ok \d+\b.*")


def warnings(text, counted=None):
    """The kernel's WARNING lines, as (expected, unexpected) lists.

    A case announces each warning it provokes on purpose, naming the CPU,
    the source file and the WARN_ON()'s condition; the announcement lets
    one warning with all three pass until the next result line (the
    case's own). Any other warning is a broken contract the run did not
    ask for; so is a line that holds "WARNING: CPU" but is not a whole
    warning line (another CPU's output run into it, noise in front): the
    runner cannot tell what it says, so it cannot excuse it.

    @counted: the number of warnings the kernel's closing line gives, or
    None. WARNING lines are printk at KERN_WARNING, which loglevel= can
    hide; the count cannot be hidden. Each warning counted but not in
    the log uses up an announcement that no warning line answered (the
    case announced it, so it is the one that came, unseen); the rest are
    unexpected, and one entry in the unexpected list says how many.
    """
    expected, unexpected, announced = [], [], []
    unanswered = 0
    for raw in text.split("\n"):
        line = clean_line(raw)
        m = _EXPECT_WARNING.fullmatch(line)
        if m:
            announced.append(m.groups())
            continue
        m = _WARNING.fullmatch(line)
        if m:
            key = (m.group(1), m.group(2), m.group(3) or "")
            if key in announced:
                announced.remove(key)
                expected.append(line)
            else:
                unexpected.append(line)
        elif _WARNING_MARK in line:
            unexpected.append(f"WARNING in a line that is not a whole "
                              f"warning line: {line}")
        elif _ANY_RESULT.fullmatch(line):
            unanswered += len(announced)
            announced = []
    unanswered += len(announced)
    seen = len(expected) + len(unexpected)
    unseen = max(0, (counted or 0) - seen - unanswered)
    if unseen:
        unexpected.append(f"WARNING{'s' if unseen != 1 else ''} the log does "
                          f"not show: the kernel counted {counted}; the log "
                          f"shows {seen}, and {unanswered} "
                          f"{'was' if unanswered == 1 else 'were'} announced "
                          f"(loglevel= hides them?)")
    return expected, unexpected


# The kernel's closing line (kernel/panic.c, kernel_finish()), printed
# whatever the log level: the options of its command lines it refused,
# and the warnings it printed.
_CLOSING = re.compile(r"xcall: options refused: (\d+); warnings: (\d+)")


def kernel_counts(text):
    """The kernel's closing line as (options refused, warnings), or None
    when the log has none. The last one counts: a panic in the middle of
    the closing prints another."""
    found = None
    for raw in text.split("\n"):
        m = _CLOSING.fullmatch(clean_line(raw))
        if m:
            found = (int(m.group(1)), int(m.group(2)))
    return found


def finished_itself(ending, host=False):
    """Did the kernel end the run itself (kernel_finish(): QEMU status 1
    or 3), so that its closing line must be in the log?"""
    return not host and ending.kind in ("success", "failure")


def no_closing_line():
    return ("the kernel ended the run without its closing line "
            "'xcall: options refused: N; warnings: M': its options and "
            "warnings cannot be checked")


def option_warnings(text):
    """What the kernel said of the options it was booted with: its
    'options: ...' lines (kernel/options.c) before the report begins,
    where the boot's own command line is parsed (the boot suite's test
    of bad options prints more, inside the report)."""
    found = []
    for raw in text.split("\n"):
        line = clean_line(raw)
        if _FIRST_VERSION.fullmatch(line):
            break
        if line.startswith("options:"):
            found.append(line)
    return found


def unexpected_warnings(text, counts):
    """[] when every warning the kernel printed or counted (@counts:
    kernel_counts()) was announced; else one line that says so."""
    unexpected = warnings(text, counts[1] if counts else None)[1]
    if not unexpected:
        return []
    more = len(unexpected) - 1
    return [f"unexpected {unexpected[0]}" + (f" (and {more} more)" if more
                                             else "")]


def refusal(said, counted=0):
    """The headline of a strict run whose options the kernel refused: its
    first 'options:' line, or, when loglevel= hid them all, the count
    from its closing line."""
    if said:
        return (f"the kernel refused an option (a strict run): "
                f"{said[0][len('options:'):].strip()}")
    return (f"the kernel refused {counted} option{'s' if counted != 1 else ''} "
            f"(a strict run), its closing line says; the log does not say "
            f"which (loglevel= hides its 'options:' messages?)")


def refused_options(said, counts):
    """Did the kernel refuse any option of its command lines: a message
    seen, or a count in its closing line (@counts: kernel_counts())?"""
    return bool(said) or bool(counts and counts[0])


class RefusedOptions:
    """For a strict run whose serial line is read as it comes: called with
    each line, it returns why to stop the boot (else ''), once the kernel
    has refused an option and printed something else after its
    'options:' lines, so that all of them are in the log. Options are
    parsed before the report begins: after that it never stops a boot."""

    def __init__(self):
        self.said = []
        self.done = False

    def __call__(self, raw):
        if self.done:
            return ""
        line = clean_line(raw)
        if line.startswith("options:"):
            self.said.append(line)
            return ""
        if self.said or _FIRST_VERSION.fullmatch(line):
            self.done = True
        return refusal(self.said) if self.said else ""


def _options_notes(boot, said, counts=None):
    if said:
        return [f"{boot}: the kernel did not take every option:"] + \
            ["  " + printable(l) for l in said]
    if counts and counts[0]:
        return [f"{boot}: " + refusal(said, counts[0]).replace(
            " (a strict run)", "")]
    return []


def _case_lines(boot, report):
    """Per-case and per-suite lines and units of a report (expect "pass")."""
    units, lines = [], []
    for node in report.root.walk():
        name = f"{boot}/{node.path}"
        if node.is_leaf:
            note = node.reason if node.status in (SKIP, CRASH) else ""
            unit = Unit(name, node.status, note)
            if node.status in (FAIL, CRASH):
                unit.details = [d for d in node.diag]
            units.append(unit)
            lines.append(status_line(node.status, name, note))
            if node.status in (FAIL, CRASH):
                lines += _detail(unit.details)
            continue
        # A suite with cases of its own.
        below = node.failed_below()
        own = [d for d in node.diag + node.trailing]
        if node.status == CRASH:
            lines.append(status_line(CRASH, name, "no result line: the log "
                                     "ended inside it"))
        elif node.status is None:
            lines.append(status_line(FAIL, name, "no result line"))
        elif node.status == FAIL and not below:
            note = "reported 'not ok' but none of its cases failed"
            units.append(Unit(name, FAIL, note, own))
            lines.append(status_line(FAIL, name, note))
            lines += _detail(own)
        elif node.status == FAIL or below:
            note = "reported 'ok' although a case failed" if node.reported_ok else ""
            lines.append(status_line(FAIL, name, note))
            lines += _detail(own)
        elif node.status == SKIP:
            lines.append(status_line(SKIP, name, node.reason))
        else:
            lines.append(status_line(PASS, name))
    return units, lines


def missing_prints(text, patterns):
    """The first of @patterns the log does not print in order, or None.

    Each pattern (re.MULTILINE) must match after where the one before it
    matched: the report a boot must leave is a sequence (the waiter's
    line, then the target's backtrace; the machine-check report, then the
    panic), and a line in the wrong place is as wrong as a missing one.
    """
    clean = "\n".join(clean_line(line) for line in text.split("\n"))
    pos = 0
    for i, pattern in enumerate(patterns or []):
        m = re.compile(pattern, re.MULTILINE).search(clean, pos)
        if not m:
            after = f" after /{patterns[i - 1]}/" if i else ""
            return f"the log never printed /{pattern}/{after}"
        pos = m.end()
    return None


def _failed_case_names(report):
    names = [leaf.name for leaf in report.leaves() if leaf.status == FAIL]
    for node in report.root.walk():
        if node.is_suite and not node.is_leaf and node.status == FAIL \
                and not node.failed_below():
            names.append(node.path)
    return names


def judge(boot, text, ending, expect=None, host=False, log_name="",
          bench=None, strict=False):
    """Judge one run.

    @boot: its name, the first part of every unit name ("bios-smp4",
           "host/test_llist")
    @text: the serial log, or the host binary's stdout
    @ending: an Ending
    @expect: None or {"expect": "pass"} for a run that must pass; for one
             that must fail, {"expect": "fail", "end": one of EXPECTED_ENDS,
             "failed_cases": [names], "crashed_cases": [names]} (the two
             lists only with end "failure"); either may hold "must_print":
             [regular expressions] the log must print, in that order
    @host: a host test binary rather than a QEMU boot (changes the wording)
    @log_name: the log's path, for messages
    @bench: None, or the boot also ran the benchmarks: its CPU count (or
            True not to check it) for judge_bench()
    @strict: an option the kernel refused (unknown, or a bad value) fails
             the run; else it is only a note by the closing line
    """
    report = parse(text)
    said = [] if host else option_warnings(text)
    counts = None if host else kernel_counts(text)
    if expect and expect.get("expect", "pass") == "fail":
        v = _judge_expected_failure(boot, text, ending, expect, report,
                                    host, log_name, strict, said, counts)
        v.notes = _options_notes(boot, said, counts)
        return v

    units, lines = _case_lines(boot, report)
    failed = sum(u.status == FAIL for u in units)
    crashed = report.crashed and not report.errors
    problems = []
    if crashed:
        # The crashed cases carry the failure; how the run ended says why.
        lines.append(headline(CRASH, boot, f"{report.crashed}: "
                              f"{describe(ending, host)}"))
        if ending.kind == "success":
            problems.append(f"{describe(ending, host)}, but {report.crashed}")
    elif ending.kind in ("timeout", "reset", "error"):
        problems.append(describe(ending, host))
    if crashed or (ending.kind == "error" and not text.strip()):
        pass                # no report is no news: it crashed, or never ran
    elif not report.complete:
        problems.append(f"KTAP report incomplete: {report.problem}")
        problems += ["  " + e for e in report.errors[1:6]]
        if ending.kind == "failure" and not host:
            problems.append("the kernel reported failure (QEMU exit status 3) "
                            "before the report ended: a panic?")
    elif not units:
        # A report of nothing proves nothing (Linux's parser agrees).
        problems.append("the KTAP report holds no test case")
    elif all(u.status == SKIP for u in units):
        # Nor does a report whose every case was skipped: a run that
        # tested nothing must not end with status 0.
        problems.append(f"every test case was skipped ({len(units)}): nothing "
                        f"was tested")
    elif ending.kind == "success" and failed:
        problems.append(f"{describe(ending, host)}, but the KTAP report shows "
                        f"{failed} failure{'s' if failed != 1 else ''}")
    elif ending.kind == "failure" and not failed:
        if host:
            problems.append(f"{describe(ending, host)} but every test passed "
                            f"(a sanitizer report at exit?)")
        else:
            problems.append("the kernel reported failure (QEMU exit status 3) "
                            "but every test passed: a panic after the report?")
    if ending.kind == "stopped":
        # The runner ended the boot (a strict run's refused option): the
        # reason is the whole story, the missing report its consequence.
        unit = Unit(boot, FAIL, "", [])
        return Verdict(boot, units + [unit], lines + [
            headline(FAIL, boot, ending.message)], report,
            _options_notes(boot, said, counts))
    if strict and refused_options(said, counts):
        problems.append(refusal(said, counts[0] if counts else 0))
    missing = missing_prints(text, (expect or {}).get("must_print"))
    if missing:
        problems.append(missing)
    if not host:
        problems += unexpected_warnings(text, counts)
    if finished_itself(ending, host) and counts is None:
        problems.append(no_closing_line())
    refused = [] if host else kernel_errors(text)
    if refused:
        # The kernel refused the run it was asked for: its words say why,
        # and the missing or empty report is only the consequence.
        problems = refused
    if problems:
        details = problems[1:] + ([] if refused else
                                  _context(text, ending, log_name, host, report))
        # The whole run's unit is named as the run: no suite can have
        # that name, as every suite's unit is <run>/<suite>.
        unit = Unit(boot, FAIL, "", details)
        units.append(unit)
        lines.append(headline(FAIL, boot, problems[0]))
        lines += _detail(details, limit=200)
    elif (failed or crashed) and (not host or ending.stderr.strip() or crashed):
        # Only cases failed: their diagnostics say why; the tail shows
        # what the kernel said around them.
        lines += _detail(_context(text, ending, log_name, host, report), limit=200)
    if bench is not None and bench is not False:
        unit, more = judge_bench(boot, text, None if bench is True else bench)
        units.append(unit)
        lines += more
        if unit.status == FAIL and not problems and not failed:
            # The BENCH lines come after the report: the tail shows them.
            lines += _detail(_context(text, ending, log_name, host), limit=200)
    return Verdict(boot, units, lines, report, _options_notes(boot, said, counts))


def judge_bench(boot, text, cpus=None):
    """The unit <boot>/bench_lines: are the benchmark lines whole?

    @cpus: the boot's CPU count, or None not to check the lines' "cpus"
    Return: (Unit, the lines that say so). It passes when every BENCH line
    is a JSON object with the fields and types of tools/benchfmt.py, every
    benchmark and a call_single to each non-boot CPU is there, the ratios
    to the floors are finite and "bench: done" ends them. Only the format
    is judged: no timing value can fail it.
    """
    parsed, problems = benchfmt.validate(text, cpus)
    name = f"{boot}/bench_lines"
    if not problems:
        note = f"{len(parsed.records)} BENCH lines"
        return Unit(name, PASS, note), [status_line(PASS, name, note)]
    unit = Unit(name, FAIL, "", problems)
    lines = [headline(FAIL, name, problems[0])] + _detail(problems[1:])
    return unit, lines


def _judge_expected_failure(boot, text, ending, expect, report, host, log_name,
                            strict=False, said=(), counts=None):
    end = expect["end"]
    want = expect.get("failed_cases") or []
    want_crashed = expect.get("crashed_cases") or []
    name = f"{boot}/expected_{end}"
    reasons = []
    if ending.kind != end:
        reasons.append(f"expected {EXPECTED_ENDS[end]}, but {describe(ending, host)}")
    if strict and refused_options(said, counts):
        reasons.append(refusal(said, counts[0] if counts else 0))
    if finished_itself(ending, host) and counts is None:
        reasons.append(no_closing_line())
    if not host:
        # A boot that must fail must fail only in the planned way: a
        # warning on the way is as unplanned there as anywhere.
        reasons += unexpected_warnings(text, counts)
    missing = missing_prints(text, expect.get("must_print"))
    if missing:
        reasons.append(missing)
    if want:
        if not report.complete:
            reasons.append(f"KTAP report incomplete: {report.problem}")
        failed = _failed_case_names(report)
        missing = [w for w in want if w not in failed]
        others = [f for f in failed if f not in want]
        if missing:
            reasons.append("these cases did not fail: " + ", ".join(missing))
        if others:
            reasons.append("these also failed: " + ", ".join(others))
    if want_crashed:
        if report.errors or not report.crashed:
            reasons.append(f"the report did not crash: "
                           f"{report.problem or 'it is whole'}")
        crashed = [l.path for l in report.leaves() if l.status == CRASH]
        missing = [w for w in want_crashed if w not in crashed]
        others = [c for c in crashed if c not in want_crashed]
        if missing:
            reasons.append("these did not crash: " + ", ".join(missing))
        if others:
            reasons.append("these also crashed: " + ", ".join(others))
        failed = _failed_case_names(report)
        if failed:
            reasons.append("these failed: " + ", ".join(failed))
    if not reasons:
        note = describe(ending, host)
        if want:
            note += "; failed as planned: " + ", ".join(want)
        if want_crashed:
            note += "; crashed as planned: " + ", ".join(want_crashed)
        unit = Unit(name, PASS, note)
        return Verdict(boot, [unit], [status_line(PASS, name, note)], report)
    details = reasons[1:] + _context(text, ending, log_name, host, report)
    unit = Unit(name, FAIL, "", details)
    lines = [headline(FAIL, name, reasons[0])] + _detail(details, limit=200)
    return Verdict(boot, [unit], lines, report)


def skipped(boot, reason):
    """The verdict on a run that was not started."""
    unit = Unit(boot, SKIP, reason)
    return Verdict(boot, [unit], [status_line(SKIP, unit.name, reason)])


def closing_line(verdicts):
    """'P passed, F failed[, C crashed][, S skipped]': the crashed and
    skipped counts only when there are any, so that a run without them
    ends on the plain line that CI systems read."""
    c = dict.fromkeys(STATUSES, 0)
    for v in verdicts:
        for k, n in v.counts().items():
            c[k] += n
    line = f"{c[PASS]} passed, {c[FAIL]} failed"
    if c[CRASH]:
        line += f", {c[CRASH]} crashed"
    if c[SKIP]:
        line += f", {c[SKIP]} skipped"
    return line
