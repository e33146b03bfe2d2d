#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Tests of xcall-acpi (tools/acpi/) as a program: its command line, exit
status and messages, the three kinds of SOURCE, and the plan it prints for
small machines written here, byte by byte, with Python's struct module;
and of make preflight's script (tools/acpi/preflight.sh) on folders named
as /sys/firmware/acpi/tables names them.

Prints KTAP, one suite host_xcall_acpi, and exits 1 if any case failed, so
it runs under `xcall-test.py test --host` like the C host test binaries.
Environment: XCALL_ACPI, the tool (default build/host/xcall-acpi under the
repository root); XCALL_LINUXHW, the corpus one preflight case takes a real
machine's tables from (default ../shared/firmware/linuxhw).
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, os.environ.get("XCALL_ACPI", "build/host/xcall-acpi"))
PREFLIGHT = os.path.join(ROOT, "tools/acpi/preflight.sh")
CORPUS = os.path.normpath(os.path.join(
    ROOT, os.environ.get("XCALL_LINUXHW", "../shared/firmware/linuxhw")))

# Exit statuses of xcall-acpi (tools/acpi/xcall-acpi.c).
EXIT_USAGE = 1
EXIT_NO_TABLES = 2
EXIT_NO_MADT = 3

# ACPI table layout (ACPI 6.5, 5.2.6 and 5.2.12).
HDR = struct.Struct("<4sIBB6s8sIII")
MADT_FIXED = struct.Struct("<II")
ENABLED = 1
ONLINE_CAPABLE = 2
NMI_ALL = 0xFF
PCAT_COMPAT = 1
FADT_LEN = 276
FADT_PM_TMR_BLK = 76
FADT_PM_TMR_LEN = 91
FADT_IAPC_BOOT_ARCH = 109
FADT_FLAGS = 112
FADT_MINOR_VERSION = 131
TMR_VAL_EXT = 1 << 8
PM_PORT = 0x408


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def eq(got, want, what):
    if got != want:
        raise Failure(f"{what}: got {got!r}, want {want!r}")


def skip(reason):
    raise Skip(reason)


class Skip(Exception):
    pass


# ---------------------------------------------------------------------------
# Table builders.

def table(sig, revision, body):
    """A table with a right Length and checksum."""
    length = HDR.size + len(body)
    raw = bytearray(HDR.pack(sig, length, revision, 0, b"XCALLT", b"PYTEST  ",
                             1, 0, 0) + body)
    raw[9] = (-sum(raw)) & 0xFF
    return bytes(raw)


def lapic(uid, apic_id, flags):
    return struct.pack("<BBBBI", 0, 8, uid, apic_id, flags)


def x2apic(uid, apic_id, flags):
    return struct.pack("<BBHIII", 9, 16, 0, apic_id, flags, uid)


def ioapic(ioapic_id, address, gsi_base):
    return struct.pack("<BBBBII", 1, 12, ioapic_id, 0, address, gsi_base)


def lapic_nmi(uid, lint):
    return struct.pack("<BBBHB", 4, 6, uid, 5, lint)


def madt(entries, revision=5):
    return table(b"APIC", revision, MADT_FIXED.pack(0xFEE00000, PCAT_COMPAT) +
                 b"".join(entries))


def fadt(pm_port=PM_PORT, boot_arch=3, flags=TMR_VAL_EXT, version=(6, 0)):
    body = bytearray(FADT_LEN - HDR.size)
    struct.pack_into("<I", body, FADT_PM_TMR_BLK - HDR.size, pm_port)
    body[FADT_PM_TMR_LEN - HDR.size] = 4
    struct.pack_into("<H", body, FADT_IAPC_BOOT_ARCH - HDR.size, boot_arch)
    struct.pack_into("<I", body, FADT_FLAGS - HDR.size, flags)
    body[FADT_MINOR_VERSION - HDR.size] = version[1]
    return table(b"FACP", version[0], bytes(body))


def dmar(flags):
    """A DMAR with no remapping structures: Host Address Width, Flags,
    10 reserved bytes (VT-d 4.1, Table 8-1)."""
    return table(b"DMAR", 1, bytes([38, flags]) + bytes(10))


DMAR_INTR_REMAP, DMAR_X2APIC_OPT_OUT = 1, 2


# The standard small machine: three CPUs, a placeholder, a disabled CPU,
# an x2APIC shadow of CPU 2, an I/O APIC and one NMI entry for all.
STD_MADT = madt([lapic(1, 0, ENABLED), lapic(2, 2, ENABLED),
                 lapic(3, 0xFF, 0), lapic(4, 4, ENABLED), lapic(5, 6, 0),
                 x2apic(9, 2, ENABLED), ioapic(8, 0xFEC00000, 0),
                 lapic_nmi(NMI_ALL, 1)])
STD_CPUS = [0, 2, 4]


def acpidump_text(tables):
    """The tables as ACPICA's acpidump prints them."""
    out = []
    for raw in tables:
        out.append(f"{raw[:4].decode()} @ 0x00000000796D3000")
        for off in range(0, len(raw), 16):
            chunk = raw[off:off + 16]
            hexes = " ".join(f"{b:02X}" for b in chunk)
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            out.append(f"    {off:04X}: {hexes:<47}  {text}")
        out.append("")
    return "\n".join(out) + "\n"


class Machine:
    """A temporary folder of tables, removed on exit."""

    def __init__(self, files):
        self.files = files

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="xcall-acpi-")
        for name, raw in self.files.items():
            with open(os.path.join(self.dir, name), "wb") as f:
                f.write(raw)
        return self.dir

    def __exit__(self, *exc):
        shutil.rmtree(self.dir)


def run(*args):
    p = subprocess.run([TOOL, *args], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout, p.stderr


def plan(*args):
    rc, out, err = run("--json", *args)
    eq(rc, 0, f"exit status ({err.strip()})")
    check(not err, f"nothing on stderr, got {err!r}")
    return json.loads(out)


def cpu_ids(p):
    return [c["apic_id"] for c in p["cpus"]]


def reasons(p):
    return [s["reason"] for s in p["skipped"]]


# ---------------------------------------------------------------------------
# Cases.

def usage_errors_exit_1():
    for args in ([], ["--bogus", "x"], ["--max-cpus=0", "x"],
                 ["--boot-apic-id=-1", "x"], ["a", "b"]):
        rc, out, err = run(*args)
        eq(rc, EXIT_USAGE, f"exit status of {args}")
        check(err.strip(), f"a message on stderr for {args}")
    rc, out, _ = run("--help")
    eq(rc, 0, "--help exit status")
    check("usage: xcall-acpi" in out, "--help prints the usage")


def unreadable_sources_exit_2_with_one_clear_line():
    rc, out, err = run("/nonexistent/tables")
    eq(rc, EXIT_NO_TABLES, "exit status for a missing path")
    check("/nonexistent/tables: No such file or directory" in err, err)
    eq(out, "", "nothing on stdout")
    with Machine({"DSDT.dat": b"DSDT"}) as d:
        rc, _, err = run(d)
        eq(rc, EXIT_NO_TABLES, "exit status for a folder without tables")
        check("holds none of the tables xcall reads" in err, err)
    with Machine({"notes.txt": b"hello\n"}) as d:
        rc, _, err = run(os.path.join(d, "notes.txt"))
        eq(rc, EXIT_NO_TABLES, "exit status for a file that is no dump")
        check("not an acpidump text?" in err, err)


def folder_plan_has_every_reason_and_value():
    with Machine({"apic.dat": STD_MADT, "FACP.DAT": fadt()}) as d:
        p = plan(d)
    eq(cpu_ids(p), STD_CPUS, "CPUs")
    eq([c["cpu"] for c in p["cpus"]], [0, 1, 2], "CPU numbers")
    eq([c["uid"] for c in p["cpus"]], [1, 2, 4], "UIDs")
    eq({c["entry"] for c in p["cpus"]}, {"lapic"}, "entry types")
    eq(reasons(p), ["placeholder", "disabled", "x2apic_shadow"], "left out")
    eq(p["skipped"][2]["entry"], "x2apic", "the shadow's entry type")
    eq(p["apic_mode"], "xAPIC", "APIC mode")
    eq(p["apic_mode_reason"], "firmware_xapic", "APIC mode reason")
    eq(p["pm_timer"], {"port": PM_PORT, "bits": 32}, "PM timer")
    eq(p["hpet"], None, "HPET")
    eq(p["dmar"], None, "DMAR")
    eq(p["ioapics"], [{"id": 8, "address": 0xFEC00000, "gsi_base": 0}], "I/O APICs")
    eq(p["nmi"]["cpus_wired"], 3, "CPUs with NMI")
    eq(p["fadt"]["i8042"], True, "8042")
    eq(p["warnings"], [], "warnings")
    eq(p["enabled_left_out"], 0, "enabled CPUs left out")


def facts_from_options_change_the_plan():
    with Machine({"APIC": STD_MADT, "FACP": fadt()}) as d:
        p = plan("--hypervisor", d)
        eq(p["apic_mode"], "x2APIC", "mode under a hypervisor")
        eq(p["apic_mode_reason"], "hypervisor", "reason under a hypervisor")
        p = plan("--hypervisor", "--nox2apic", d)
        eq(p["apic_mode_reason"], "nox2apic", "nox2apic beats a hypervisor")
        p = plan("--firmware-x2apic", "--no-cpu-x2apic", d)
        eq(p["apic_mode_reason"], "firmware_x2apic", "firmware's x2APIC")
        p = plan("--max-cpus=2", d)
        eq(cpu_ids(p), [0, 2], "CPUs under --max-cpus=2")
        check("over_limit" in reasons(p), "the third CPU is over the limit")
        p = plan("--boot-apic-id=4", d)
        eq(cpu_ids(p), [4, 0, 2], "CPUs with boot CPU 4")
        p = plan("--boot-apic-id=9", d)
        eq(cpu_ids(p), [9, 0, 2, 4], "CPUs with an unlisted boot CPU")
        eq(p["cpus"][0]["entry"], "none", "its entry")
        eq(p["warnings_by_kind"]["firmware"], 1, "its warning")


def high_apic_ids_choose_x2apic_or_are_left_out():
    high = madt([lapic(1, 0, ENABLED), x2apic(2, 0x100, ENABLED)])
    with Machine({"APIC.dat": high, "FACP.dat": fadt()}) as d:
        p = plan(d)
        eq(cpu_ids(p), [0, 0x100], "CPUs")
        eq(p["apic_mode_reason"], "apic_id_above_254", "reason")
        p = plan("--no-cpu-x2apic", d)
        eq(cpu_ids(p), [0], "CPUs without x2APIC")
        eq(reasons(p), ["unreachable"], "left out")


def dmar_opt_out_counts_only_with_intr_remap():
    high = madt([lapic(1, 0, ENABLED), x2apic(2, 0x100, ENABLED)])
    with Machine({"APIC.dat": high, "FACP.dat": fadt(),
                  "DMAR.dat": dmar(DMAR_X2APIC_OPT_OUT)}) as d:
        p = plan(d)
    eq(p["apic_mode_reason"], "apic_id_above_254", "opt-out without INTR_REMAP ignored")
    eq(p["warnings_by_kind"]["firmware"], 1, "and said")
    with Machine({"APIC.dat": high, "FACP.dat": fadt(),
                  "DMAR.dat": dmar(DMAR_X2APIC_OPT_OUT | DMAR_INTR_REMAP)}) as d:
        p = plan(d)
        eq(p["apic_mode_reason"], "dmar_opt_out", "opt-out with INTR_REMAP followed")
        eq(reasons(p), ["unreachable"], "the CPU above 254")
        p = plan("--hypervisor", d)
        eq(p["apic_mode"], "x2APIC", "under a hypervisor, as Linux")
        eq(p["warnings_by_kind"]["firmware"], 1, "said")


def lone_low_x2apic_entry_is_not_a_shadow():
    # ID 2 repeats an enabled Local APIC entry: a shadow. Nothing else
    # names ID 5: ignored too (as Linux does), under its own reason, and
    # an enabled CPU that is not started.
    tables = madt([lapic(1, 0, ENABLED), lapic(2, 2, ENABLED),
                   x2apic(9, 2, ENABLED), x2apic(10, 5, ENABLED)])
    with Machine({"APIC.dat": tables, "FACP.dat": fadt()}) as d:
        p = plan(d)
    eq(cpu_ids(p), [0, 2], "CPUs")
    eq(reasons(p), ["x2apic_shadow", "x2apic_low_id"], "left out")
    eq([s["enabled"] for s in p["skipped"]], [True, True], "their Enabled flags")
    eq(p["enabled_left_out"], 1, "enabled CPUs left out")
    eq(p["warnings_by_kind"]["firmware"], 1, "a warning for the lone entry")


def online_capable_is_dated_by_the_fadt():
    # ACPI 6.2 Errata B firmware writes MADT revision 45: the FADT's
    # version, not the MADT's revision, says whether the flag is defined.
    tables = madt([lapic(1, 0, ENABLED), lapic(2, 1, ONLINE_CAPABLE)], revision=45)
    for version, reason, defined in (((6, 3), "online_capable", True),
                                     ((6, 2), "disabled", False)):
        with Machine({"APIC.dat": tables, "FACP.dat": fadt(version=version)}) as d:
            p = plan(d)
        eq(reasons(p), [reason], f"left out with FADT {version}")
        eq(p["madt"]["online_capable_defined"], defined, f"flag defined, FADT {version}")
        eq(p["fadt"]["minor_revision"], version[1], "FADT minor version")
        check("revision" in p["warnings_by_kind"] and p["warnings_by_kind"]["revision"] == 1,
              "MADT revision 45 is said")


def bad_checksum_is_a_warning_and_the_table_is_used():
    raw = bytearray(STD_MADT)
    raw[9] = (raw[9] + 1) & 0xFF
    with Machine({"APIC.dat": bytes(raw), "FACP.dat": fadt()}) as d:
        p = plan(d)
    eq(cpu_ids(p), STD_CPUS, "CPUs")
    eq(p["warnings"], ["APIC: bad checksum, used anyway"], "warnings")
    eq(p["warning_kinds"], ["checksum"], "kinds")


def table_longer_than_its_file_is_refused_with_a_warning():
    with Machine({"APIC.dat": STD_MADT[:-3], "FACP.dat": fadt()}) as d:
        p = plan(d)
        eq(p["cpus"], [], "no CPUs known without a MADT")
        want = ("APIC: length beyond the readable bytes "
                f"({len(STD_MADT) - 3} bytes read), not used")
        check(want in p["warnings"], f"{want!r} in {p['warnings']}")
        check(any("no usable MADT" in w for w in p["warnings"]), "the consequence")
        rc, out, _ = run(d)
        eq(rc, 0, "exit status: a plan, however poor, is printed")
        check("xcall would run the boot CPU alone (APIC ID not known here)" in out, out)
        check("0 CPUs" not in out, "the summary agrees with the warning")


def acpidump_text_gives_the_folder_plan():
    tables = [table(b"DSDT", 2, b"\x10\x20"), STD_MADT, fadt()]
    with Machine({"dump.txt": acpidump_text(tables).encode(),
                  "APIC.dat": STD_MADT, "FACP.dat": fadt()}) as d:
        from_text = plan(os.path.join(d, "dump.txt"))
        from_folder = plan(d)
    eq(from_text, from_folder, "the plan from the text dump")


def real_acpidump_output_is_understood():
    acpidump = shutil.which("acpidump")
    if not acpidump:
        skip("no acpidump (Debian acpica-tools) to print a real dump")
    with Machine({"APIC.dat": STD_MADT, "FACP.dat": fadt()}) as d:
        dump = subprocess.run([acpidump, "-f", os.path.join(d, "APIC.dat"),
                               "-f", os.path.join(d, "FACP.dat")],
                              capture_output=True, text=True, check=True).stdout
        with open(os.path.join(d, "dump.txt"), "w") as f:
            f.write(dump)
        eq(plan(os.path.join(d, "dump.txt")), plan(d), "the plan from acpidump's text")


def text_output_says_it_in_plain_words():
    with Machine({"APIC.dat": STD_MADT, "FACP.dat": fadt()}) as d:
        rc, out, err = run(d)
    eq(rc, 0, f"exit status ({err})")
    for want in ("xcall would run 3 CPUs in xAPIC mode; 3 entries left out "
                 "(1 disabled, 1 placeholder, 1 x2apic_shadow); 0 warnings",
                 "  CPU 1: APIC ID 2, UID 2, Local APIC entry, MADT: NMI on LINT1",
                 "NMI as xcall sets it up: LINT0 masked on every CPU, NMI on LINT1 of the boot CPU only",
                 "  left out: APIC ID 6, UID 5, Local APIC entry: disabled in the MADT",
                 "APIC mode: xAPIC, because firmware handed over xAPIC mode",
                 "facts: defaults, not read from a machine"):
        check(want in out, f"{want!r} in:\n{out}")


def require_madt_says_why_in_one_line():
    with Machine({"APIC.dat": STD_MADT[:-3], "FACP.dat": fadt()}) as d:
        rc, out, err = run("--require-madt", d)
        eq(rc, EXIT_NO_MADT, "exit status without a usable MADT")
        eq(out, "", "no plan")
        eq(err.count("\n"), 1, f"one line: {err!r}")
        check("no usable MADT" in err and "length beyond the readable bytes" in err, err)
        # Without the option the same tables give a plan, as before.
        eq(run(d)[0], 0, "exit status without --require-madt")
    with Machine({"APIC.dat": STD_MADT, "FACP.dat": fadt()}) as d:
        rc, out, _ = run("--require-madt", d)
        eq(rc, 0, "a usable MADT")
        check("xcall would run 3 CPUs" in out, out)


def preflight(tables):
    p = subprocess.run([PREFLIGHT, TOOL, tables], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout, p.stderr


def sysfs_names(tables):
    """Tables named as /sys/firmware/acpi/tables names them."""
    return {name.split(".")[0].upper(): raw for name, raw in tables.items()}


def preflight_prints_the_plan_of_good_tables():
    if not os.path.isdir(CORPUS):
        skip(f"no corpus at {CORPUS} for a real machine's tables")
    machine = os.path.join(CORPUS, sorted(os.listdir(CORPUS))[0])
    files = {}
    for name in os.listdir(machine):
        if name.lower().endswith(".dat"):
            with open(os.path.join(machine, name), "rb") as f:
                files[name] = f.read()
    with Machine(sysfs_names(files)) as d:
        rc, out, err = preflight(d)
    eq(rc, 0, f"exit status ({err.strip()})")
    check(out.startswith(f"source: {d} (directory)\n"), out[:200])
    check("\nxcall would run " in out and "\nAPIC mode: " in out, out)
    eq(err, "", "nothing on stderr")


def preflight_cannot_tell_one_line(tables, why):
    with Machine(tables) as d:
        rc, out, err = preflight(d)
    check(rc != 0, f"a non-zero exit status, got {rc}")
    lines = (out + err).splitlines()
    eq(len(lines), 1, f"one line, got {lines!r}")
    check(lines[0].startswith("preflight: cannot tell what xcall would do here: "), lines[0])
    check(why in lines[0], f"{why!r} in {lines[0]!r}")


def preflight_cannot_tell_without_tables():
    preflight_cannot_tell_one_line({}, "has no APIC table")


def preflight_cannot_tell_with_a_broken_apic():
    short = table(b"APIC", 5, b"\0" * (MADT_FIXED.size - 1))
    for apic, why in ((STD_MADT[:-3], "length beyond the readable bytes"),
                      (short, "shorter than its fixed part")):
        preflight_cannot_tell_one_line({"APIC": apic, "FACP": fadt()},
                                       "no usable MADT")
        preflight_cannot_tell_one_line({"APIC": apic, "FACP": fadt()}, why)


LIVE = "/sys/firmware/acpi/tables"


def live_tables_say_the_firmware_mode_is_assumed():
    if not os.access(os.path.join(LIVE, "APIC"), os.R_OK):
        skip(f"{LIVE}/APIC is not readable here (no ACPI, a container, or not root)")
    rc, out, err = run(LIVE)
    eq(rc, 0, f"exit status ({err.strip()})")
    check("; firmware's APIC mode assumed xAPIC\n" in out, out[:400])
    check("\nnote: a running Linux does not say which APIC mode firmware handed over; "
          "if it was x2APIC, xcall keeps it (--firmware-x2apic shows that plan)\n" in out,
          out[:600])
    rc, out, err = run("--firmware-x2apic", LIVE)
    eq(rc, 0, f"exit status ({err.strip()})")
    check("firmware's APIC mode x2APIC, as --firmware-x2apic says\n" in out, out[:400])
    check("\nnote:" not in out, "no note when the user said it")
    check("APIC mode: x2APIC, because firmware handed over x2APIC mode" in out, out)


def corpus_named_but_missing_fails():
    # make LINUXHW=DIR passes XCALL_LINUXHW only when the corpus was
    # named: then a missing one is a failure, not a skip.
    if not shutil.which("iasl"):
        skip("no iasl: the corpus test skips as a whole without it")
    with Machine({}) as d:
        env = dict(os.environ, XCALL_LINUXHW=os.path.join(d, "missing"))
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tests/host/test_acpi_corpus.py")],
                           capture_output=True, text=True, env=env, timeout=600)
    eq(p.returncode, 1, f"exit status ({p.stdout[-500:]})")
    check("\n    not ok 1 corpus\n" in p.stdout, p.stdout[-1500:])
    check("named by LINUXHW, so it must be there" in p.stdout, p.stdout[-1500:])
    # The synthetic machines still ran.
    check("ok 11 synthetic_over_the_cpu_limit" in p.stdout, p.stdout[-1500:])


CASES = [
    usage_errors_exit_1,
    unreadable_sources_exit_2_with_one_clear_line,
    folder_plan_has_every_reason_and_value,
    facts_from_options_change_the_plan,
    high_apic_ids_choose_x2apic_or_are_left_out,
    dmar_opt_out_counts_only_with_intr_remap,
    lone_low_x2apic_entry_is_not_a_shadow,
    online_capable_is_dated_by_the_fadt,
    bad_checksum_is_a_warning_and_the_table_is_used,
    table_longer_than_its_file_is_refused_with_a_warning,
    acpidump_text_gives_the_folder_plan,
    real_acpidump_output_is_understood,
    text_output_says_it_in_plain_words,
    require_madt_says_why_in_one_line,
    preflight_prints_the_plan_of_good_tables,
    preflight_cannot_tell_without_tables,
    preflight_cannot_tell_with_a_broken_apic,
    live_tables_say_the_firmware_mode_is_assumed,
    corpus_named_but_missing_fails,
]


def run_suite(name, cases):
    """Run @cases (name, function) and print one KTAP suite; return failures."""
    print(f"    KTAP version 1\n    # Subtest: {name}")
    print(f"    1..{len(cases)}")
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for i, (case, fn) in enumerate(cases, 1):
        try:
            fn()
            counts["pass"] += 1
            print(f"    ok {i} {case}")
        except Skip as e:
            counts["skip"] += 1
            print(f"    ok {i} {case} # SKIP {e}")
        except Failure as e:
            counts["fail"] += 1
            print(f"    # {case}: EXPECTATION FAILED: {e}")
            print(f"    not ok {i} {case}")
        except Exception:
            counts["fail"] += 1
            for line in traceback.format_exc().rstrip().split("\n"):
                print(f"    # {line}")
            print(f"    not ok {i} {case}")
        sys.stdout.flush()
    total = len(cases)
    print(f"# {name}: pass:{counts['pass']} fail:{counts['fail']} "
          f"skip:{counts['skip']} total:{total}")
    return counts, total


def main():
    print("KTAP version 1\n1..1")
    if not os.access(TOOL, os.X_OK):
        print(f"# {TOOL} is missing: run make xcall-acpi")
    counts, total = run_suite("host_xcall_acpi",
                              [(fn.__name__, fn) for fn in CASES])
    print(f"{'not ok' if counts['fail'] else 'ok'} 1 host_xcall_acpi")
    print(f"# Totals: pass:{counts['pass']} fail:{counts['fail']} "
          f"skip:{counts['skip']} total:{total}")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
