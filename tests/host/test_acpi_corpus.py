#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The corpus oracle: xcall-acpi against iasl on the ACPI tables of real PCs.

For every machine folder in the linuxhw corpus (../shared/firmware/linuxhw
beside the repository, see its README.md), runs xcall-acpi --json (the
AddressSanitizer and UBSan build: an out-of-bounds read kills it) and
decodes the same APIC, FACP, HPET and DMAR with `iasl -d` (ACPICA's
disassembler, Debian's acpica-tools). This file then applies xcall's rules
(include/xcall/acpi.h, arch/x86_64/include/asm/cpu_plan.h) to iasl's
field-by-field decoding on its own, in Python, and compares: the CPUs
enabled, in order, by APIC ID; the entries left out, counted by reason;
the APIC mode; whether the Online Capable flags are read (the FADT's
version dates them); the PM timer, HPET, FADT and DMAR values; the I/O APIC and
NMI entry counts; the unknown-type and duplicate warnings. Nothing is
shared with the C parser but the rules.

Prints KTAP, one suite host_acpi_corpus with one case per machine (named
after its folder; a mismatch says what differs), and a closing line:
machines checked, CPUs found, warnings by kind. Without the corpus or
without iasl the suite is one skipped case that says why.

Environment: XCALL_ACPI (default build/host/xcall-acpi), XCALL_LINUXHW
(default ../shared/firmware/linuxhw), both relative to the repository.
"""

import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, os.environ.get("XCALL_ACPI", "build/host/xcall-acpi"))
CORPUS = os.path.normpath(os.path.join(
    ROOT, os.environ.get("XCALL_LINUXHW", "../shared/firmware/linuxhw")))
SUITE = "host_acpi_corpus"
# The two cores are shared: iasl and the tool of two machines at a time.
JOBS = 2

# The rules, restated from the ACPI spec and xcall's headers.
LAPIC, IOAPIC, LAPIC_NMI, X2APIC, X2APIC_NMI = 0, 1, 4, 9, 10
MADT_LAST_KNOWN = 0x10          # ACPI 6.4's last type; later ones warn
ENABLED, ONLINE_CAPABLE = 1, 2
# Online Capable is defined from ACPI 6.3 on, dated by the FADT's version
# (major = its revision, minor at offset 131), not the MADT's revision.
ONLINE_CAPABLE_FADT = (6, 3)
FADT_MINOR_END = 132
FADT_REV_MINOR = 5              # the minor version's byte is reserved before
XAPIC_PLACEHOLDER, X2APIC_PLACEHOLDER = 0xFF, 0xFFFFFFFF
X2APIC_FIRST_ID = 0xFF          # ACPI 6.5, 5.2.12.12
XAPIC_MAX_ID = 0xFE
LINT_MAX = 1                    # the local APIC has LINT0 and LINT1
FADT_X_PM_TMR_BLK, GAS_LEN = 208, 12
FADT_PM_TMR_LEN_END = 92
FADT_FLAGS_END = 116
FADT_BOOT_ARCH_END = 111
TMR_VAL_EXT, HW_REDUCED = 1 << 8, 1 << 20
LEGACY_DEVICES, I8042 = 1, 2
GAS_MEMORY, GAS_IO = 0, 1
HPET_GAS = 40
DMAR_INTR_REMAP, DMAR_X2APIC_OPT_OUT = 1, 2
DMAR_DRHD, DMAR_LAST_KNOWN = 0, 6
PORT_MAX = 0xFFFF

# "[02Ch 0044   1]                Subtable Type : 00 [Processor Local APIC]"
FIELD = re.compile(r"^\[([0-9A-Fa-f]+)h +([0-9]+) +([0-9]+)\]\s+(.*?)\s*: (.*)$")


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def hexval(value):
    """The leading hex number of an iasl value ("00 [Processor...]")."""
    return int(value.split()[0], 16)


def iasl_fields(iasl, workdir, name, raw):
    """Decode one table with iasl; return [(offset, field, value)]."""
    path = os.path.join(workdir, name + ".dat")
    with open(path, "wb") as f:
        f.write(raw)
    p = subprocess.run([iasl, "-d", path], capture_output=True, text=True,
                       cwd=workdir, timeout=60)
    dsl = os.path.join(workdir, name + ".dsl")
    if p.returncode or not os.path.exists(dsl):
        raise Failure(f"iasl -d {name}.dat failed: {p.stdout[-300:]} {p.stderr[-300:]}")
    out = []
    with open(dsl, errors="replace") as f:
        for line in f:
            m = FIELD.match(line.rstrip("\n"))
            if m:
                out.append((int(m.group(1), 16), m.group(4), m.group(5).strip()))
    return out


def field(fields, name, at=None):
    for off, n, v in fields:
        if n == name and (at is None or off == at):
            return v
    raise Failure(f"iasl printed no '{name}'" + (f" at 0x{at:x}" if at is not None else ""))


def subtables(fields, type_name="Subtable Type"):
    """Split the fields after the fixed part into subtables."""
    subs = []
    for off, n, v in fields:
        if n == type_name:
            subs.append({"type": hexval(v), "offset": off})
        elif subs:
            subs[-1].setdefault(n, v)
    return subs


def fadt_version(fields):
    """(major, minor) of a decoded FADT; minor 0 before revision 5 (the
    byte was reserved) or where the table ends before it."""
    length = hexval(field(fields, "Table Length"))
    major = hexval(field(fields, "Revision"))
    minor = hexval(field(fields, "FADT Minor Revision")) \
        if major >= FADT_REV_MINOR and length >= FADT_MINOR_END else 0
    return major, minor


def oracle_madt(fields, fadt_ver):
    """What xcall must make of this MADT with the tool's default facts;
    @fadt_ver is the FADT's (major, minor), None without a FADT."""
    rev = hexval(field(fields, "Revision"))
    oc_defined = fadt_ver is not None and fadt_ver >= ONLINE_CAPABLE_FADT
    subs = subtables(fields)
    procs = []
    for s in subs:
        if s["type"] == LAPIC:
            procs.append((False, hexval(s["Local Apic ID"]), hexval(s["Processor ID"]),
                          hexval(s["Flags (decoded below)"])))
        elif s["type"] == X2APIC:
            procs.append((True, hexval(s["Processor x2Apic ID"]),
                          hexval(s["Processor UID"]), hexval(s["Flags (decoded below)"])))

    def usable(flags):
        return bool(flags & ENABLED) or not oc_defined or bool(flags & ONLINE_CAPABLE)

    has_lapic = any(not x2 and i != XAPIC_PLACEHOLDER and usable(fl)
                    for x2, i, _, fl in procs)
    lapic_enabled = {i for x2, i, _, fl in procs
                     if not x2 and i != XAPIC_PLACEHOLDER and fl & ENABLED}
    skipped = collections.Counter()
    kept = []
    lone_enabled = 0
    for x2, apic_id, uid, flags in procs:
        if apic_id == (X2APIC_PLACEHOLDER if x2 else XAPIC_PLACEHOLDER):
            skipped["placeholder"] += 1
        elif x2 and apic_id < X2APIC_FIRST_ID and has_lapic:
            # The same CPU as an enabled Local APIC entry, or a lone one.
            if apic_id in lapic_enabled:
                skipped["x2apic_shadow"] += 1
            else:
                skipped["x2apic_low_id"] += 1
                lone_enabled += bool(flags & ENABLED)
        elif flags & ENABLED and any(k[3] & ENABLED and k[1] == apic_id for k in kept):
            skipped["duplicate"] += 1
        else:
            kept.append((x2, apic_id, uid, flags))
    enabled = [k for k in kept if k[3] & ENABLED]
    nmis = [s for s in subs if s["type"] in (LAPIC_NMI, X2APIC_NMI)]
    good_nmis = sum(hexval(s["Interrupt Input LINT"]) <= LINT_MAX for s in nmis)
    lint0_nmis = sum(hexval(s["Interrupt Input LINT"]) == 0 for s in nmis)
    return {
        "rev": rev, "kept": kept, "enabled": enabled, "skipped": skipped,
        "lone_enabled": lone_enabled,
        "oc_defined": oc_defined,
        "ioapics": sum(s["type"] == IOAPIC for s in subs),
        "nmis": good_nmis,
        "lint0_nmis": lint0_nmis,
        "bad_nmis": len(nmis) - good_nmis,
        "unknown_types": len({s["type"] for s in subs if s["type"] > MADT_LAST_KNOWN}),
    }


def oracle_plan(madt, dmar, cpu_limit):
    """Numbering and APIC mode: the tool's defaults (boot CPU = first
    enabled entry, firmware's xAPIC, no hypervisor, CPU with x2APIC), and
    its CPU limit (NR_CPUS of the build, which the plan reports)."""
    skipped = collections.Counter(madt["skipped"])
    # VT-d 4.1, 8.1: the opt-out is valid only with INTR_REMAP.
    opt_out = bool(dmar and dmar["x2apic_opt_out"] and dmar["intr_remap"])
    if opt_out:
        mode = "xAPIC"
    elif any(k[1] > XAPIC_MAX_ID for k in madt["enabled"]):
        mode = "x2APIC"
    else:
        mode = "xAPIC"
    cpus = []
    boot = madt["enabled"][0] if madt["enabled"] else None
    if boot:
        cpus.append(boot[1])
    for k in madt["kept"]:
        if k is boot:
            continue
        x2, apic_id, uid, flags = k
        if not flags & ENABLED:
            oc = madt["oc_defined"] and flags & ONLINE_CAPABLE
            skipped["online_capable" if oc else "disabled"] += 1
        elif mode == "xAPIC" and apic_id > XAPIC_MAX_ID:
            skipped["unreachable"] += 1
        elif len(cpus) >= cpu_limit:
            skipped["over_limit"] += 1
        else:
            cpus.append(apic_id)
    return cpus, skipped, mode


def oracle_fadt(fields):
    rev = hexval(field(fields, "Revision"))
    length = hexval(field(fields, "Table Length"))
    flags = hexval(field(fields, "Flags (decoded below)")) if length >= FADT_FLAGS_END else 0
    port = 0
    if length >= FADT_X_PM_TMR_BLK + GAS_LEN:
        space = hexval(field(fields, "Space ID", FADT_X_PM_TMR_BLK))
        addr = hexval(field(fields, "Address", FADT_X_PM_TMR_BLK + 4))
        if space == GAS_IO and 0 < addr <= PORT_MAX:
            port = addr
    if not port and length >= FADT_PM_TMR_LEN_END:
        addr = hexval(field(fields, "PM Timer Block Address"))
        if hexval(field(fields, "PM Timer Block Length")) == 4 and 0 < addr <= PORT_MAX:
            port = addr
    boot = hexval(field(fields, "Boot Flags (decoded below)")) \
        if length >= FADT_BOOT_ARCH_END else None

    def boot_flag(bit, since):
        return None if boot is None or rev < since else bool(boot & bit)

    return {
        "pm_timer": {"port": port, "bits": 32 if flags & TMR_VAL_EXT else 24} if port else None,
        "fadt": {"revision": rev, "minor_revision": fadt_version(fields)[1],
                 "hw_reduced": rev >= 5 and bool(flags & HW_REDUCED),
                 "legacy_devices": boot_flag(LEGACY_DEVICES, 2),
                 "i8042": boot_flag(I8042, 3)},
    }


def oracle_hpet(fields):
    space = hexval(field(fields, "Space ID", HPET_GAS))
    addr = hexval(field(fields, "Address", HPET_GAS + 4))
    return {"address": addr} if space == GAS_MEMORY and addr else None


def oracle_dmar(fields):
    flags = hexval(field(fields, "Flags", 0x25))
    subs = subtables(fields)
    return {"intr_remap": bool(flags & DMAR_INTR_REMAP),
            "x2apic_opt_out": bool(flags & DMAR_X2APIC_OPT_OUT),
            "units": sum(s["type"] == DMAR_DRHD for s in subs)}, \
        int(any(s["type"] > DMAR_LAST_KNOWN for s in subs))


def compare(what, got, want, problems):
    if got != want:
        problems.append(f"{what}: xcall-acpi {got!r}, iasl {want!r}")


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def check_machine(iasl, name):
    """Compare one machine; return (problems, the tool's plan)."""
    folder = os.path.join(CORPUS, name)
    p = subprocess.run([TOOL, "--json", folder], capture_output=True, text=True,
                       timeout=120)
    if p.returncode:
        return [f"xcall-acpi exit status {p.returncode}: {p.stderr.strip()[-2000:]}"], None
    plan = json.loads(p.stdout)
    tables = {}
    for entry in os.listdir(folder):
        base, ext = os.path.splitext(entry)
        if ext.lower() == ".dat" and base.upper() in ("APIC", "FACP", "HPET", "DMAR"):
            with open(os.path.join(folder, entry), "rb") as f:
                tables[base.upper()] = f.read()
    problems = []
    with tempfile.TemporaryDirectory(prefix="xcall-corpus-") as work:
        facp = iasl_fields(iasl, work, "FACP", tables["FACP"]) if "FACP" in tables else None
        madt = oracle_madt(iasl_fields(iasl, work, "APIC", tables["APIC"]),
                           fadt_version(facp) if facp else None)
        dmar, dmar_unknown = (oracle_dmar(iasl_fields(iasl, work, "DMAR", tables["DMAR"]))
                              if "DMAR" in tables else (None, 0))
        cpus, skipped, mode = oracle_plan(madt, dmar, plan["facts"]["cpu_limit"])
        got = [c["apic_id"] for c in plan["cpus"]]
        if got != cpus:
            i = first_difference(got, cpus)
            problems.append(f"CPUs (APIC IDs in order) differ at index {i}: "
                            f"xcall-acpi {got}, iasl {cpus}")
        compare("entries left out, by reason",
                {k: v for k, v in plan["skipped_by_reason"].items() if v},
                dict(skipped), problems)
        compare("APIC mode", plan["apic_mode"], mode, problems)
        compare("enabled CPUs left out (the all-but-self shorthand's count)",
                plan["enabled_left_out"],
                madt["lone_enabled"] + skipped["unreachable"] + skipped["over_limit"],
                problems)
        compare("I/O APICs", len(plan["ioapics"]), madt["ioapics"], problems)
        compare("NMI entries", plan["nmi"]["entries"], madt["nmis"], problems)
        compare("NMI entries naming LINT0", plan["nmi"]["lint0"], madt["lint0_nmis"], problems)
        compare("MADT revision", plan["madt"]["revision"], madt["rev"], problems)
        compare("unknown-type warnings", plan["warnings_by_kind"]["unknown_type"],
                madt["unknown_types"] + dmar_unknown, problems)
        compare("bad-entry warnings (duplicates, NMI on a LINT pin above 1)",
                plan["warnings_by_kind"]["bad_entry"],
                skipped["duplicate"] + madt["bad_nmis"], problems)
        compare("DMAR", plan["dmar"], dmar, problems)
        compare("Online Capable flags read", plan["madt"]["online_capable_defined"],
                madt["oc_defined"], problems)
        if facp:
            fadt = oracle_fadt(facp)
            compare("PM timer", plan["pm_timer"], fadt["pm_timer"], problems)
            compare("FADT", plan["fadt"], fadt["fadt"], problems)
        if "HPET" in tables:
            compare("HPET", plan["hpet"], oracle_hpet(
                iasl_fields(iasl, work, "HPET", tables["HPET"])), problems)
        else:
            compare("HPET", plan["hpet"], None, problems)
    return problems, plan


def skip_suite(reason):
    print(f"    KTAP version 1\n    # Subtest: {SUITE}\n    1..1")
    print(f"    ok 1 corpus # SKIP {reason}")
    print(f"# {SUITE}: pass:0 fail:0 skip:1 total:1")
    print(f"ok 1 {SUITE}")
    print("# Totals: pass:0 fail:0 skip:1 total:1")
    return 0


def main():
    print("KTAP version 1\n1..1")
    iasl = shutil.which("iasl")
    if not os.path.isdir(CORPUS):
        return skip_suite(f"no corpus at {CORPUS} (make LINUXHW=DIR names another)")
    if not iasl:
        return skip_suite("no iasl (Debian acpica-tools: scripts/install-deps.sh test)")
    machines = sorted(m for m in os.listdir(CORPUS)
                      if os.path.isdir(os.path.join(CORPUS, m)))
    if not machines:
        return skip_suite(f"{CORPUS} holds no machine folder")

    print(f"    KTAP version 1\n    # Subtest: {SUITE}\n    1..{len(machines)}")
    failed, cpus = 0, 0
    warnings, left_out = collections.Counter(), collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        jobs = [pool.submit(check_machine, iasl, m) for m in machines]
        for i, (name, job) in enumerate(zip(machines, jobs), 1):
            try:
                problems, plan = job.result()
            except Exception:
                problems, plan = traceback.format_exc().rstrip().split("\n"), None
            if plan:
                cpus += len(plan["cpus"])
                warnings.update(plan["warnings_by_kind"])
                left_out.update(plan["skipped_by_reason"])
            if problems:
                failed += 1
                for line in problems:
                    print(f"    # {name}: {line}")
                print(f"    not ok {i} {name}")
            else:
                print(f"    ok {i} {name}")
            sys.stdout.flush()
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(warnings.items()) if v) or "none"
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(left_out.items()) if v) or "none"
    print(f"    # corpus: {len(machines)} machines checked, {cpus} CPUs found, "
          f"entries left out: {reasons}; warnings by kind: {kinds}")
    n = len(machines)
    print(f"# {SUITE}: pass:{n - failed} fail:{failed} skip:0 total:{n}")
    print(f"{'not ok' if failed else 'ok'} 1 {SUITE}")
    print(f"# Totals: pass:{n - failed} fail:{failed} skip:0 total:{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
