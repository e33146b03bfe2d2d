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

The real machines never exercise some rules: an x2APIC entry below ID
255 beside Local APIC entries (a shadow of one, or alone), the Online
Capable flag read or ignored by the tables' ACPI version, an enabled
duplicate, an APIC ID above 254 (x2APIC chosen, or unreachable when the
DMAR opts out), more CPUs than the limit. For those the test writes
synthetic machines as ACPICA data-table source (the .dsl that `iasl -d`
prints, and `iasl -T` templates for the FADT and DMAR), compiles them with
iasl into the build folder (beside XCALL_ACPI, in acpi_synth/), and puts
them through the same oracle; each must also show the rule it was written
for, so that none passes by exercising nothing.

Prints KTAP, one suite host_acpi_corpus with one case per machine (named
after its folder; a mismatch says what differs) and one per synthetic
machine (synthetic_...), and a closing line: machines checked, CPUs found,
warnings by kind. Without iasl the suite is one skipped case that says
why. Without the corpus at its default place its cases are one skipped
case that says why; a corpus named explicitly (XCALL_LINUXHW set, as
make LINUXHW=DIR does) that is missing is a failure, not a skip.

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
# Named by the caller (make LINUXHW=DIR exports it only then): must exist.
CORPUS_EXPLICIT = "XCALL_LINUXHW" in os.environ
SYNTH = os.path.join(os.path.dirname(TOOL), "acpi_synth")
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


def check_machine(iasl, folder):
    """Compare the machine in @folder; return (problems, the tool's plan)."""
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


# ---------------------------------------------------------------------------
# Synthetic machines: ACPICA data-table source, compiled by iasl.

def lapic(uid, apic_id, flags):
    return [("Subtable Type", "00"), ("Length", "08"),
            ("Processor ID", f"{uid:02X}"), ("Local Apic ID", f"{apic_id:02X}"),
            ("Flags (decoded below)", f"{flags:08X}"),
            ("Processor Enabled", str(flags & ENABLED)),
            ("Runtime Online Capable", str((flags & ONLINE_CAPABLE) >> 1))]


def x2apic(uid, apic_id, flags):
    return [("Subtable Type", "09"), ("Length", "10"), ("Reserved", "0000"),
            ("Processor x2Apic ID", f"{apic_id:08X}"),
            ("Flags (decoded below)", f"{flags:08X}"),
            ("Processor Enabled", str(flags & ENABLED)),
            ("Processor UID", f"{uid:08X}")]


def lapic_nmi(uid, lint):
    return [("Subtable Type", "04"), ("Length", "06"), ("Processor ID", f"{uid:02X}"),
            ("Flags (decoded below)", "0005"), ("Polarity", "1"), ("Trigger Mode", "1"),
            ("Interrupt Input LINT", f"{lint:02X}")]


def ioapic(ioapic_id, address):
    return [("Subtable Type", "01"), ("Length", "0C"), ("I/O Apic ID", f"{ioapic_id:02X}"),
            ("Reserved", "00"), ("Address", f"{address:08X}"), ("Interrupt", "00000000")]


def madt_dsl(revision, entries):
    """An MADT in the data-table compiler's language; iasl fills in the
    length and the checksum."""
    lines = ['Signature : "APIC"', "Table Length : 00000000",
             f"Revision : {revision:02X}", "Checksum : 00", 'Oem ID : "XCALL "',
             'Oem Table ID : "SYNTHETC"', "Oem Revision : 00000001",
             'Asl Compiler ID : "INTL"', "Asl Compiler Revision : 00000000",
             "Local Apic Address : FEE00000", "Flags (decoded below) : 00000001",
             "PC-AT Compatibility : 1"]
    for entry in entries:
        lines.append("")
        lines += [f"{name} : {value}" for name, value in entry]
    return "\n".join(lines) + "\n"


def from_template(iasl, work, sig, edits):
    """iasl's template for @sig (iasl -T) with @edits, each (field name,
    new value) applied to the field's first line."""
    p = subprocess.run([iasl, "-T", sig], capture_output=True, text=True, cwd=work,
                       timeout=60)
    path = os.path.join(work, sig.lower() + ".asl")
    if p.returncode or not os.path.exists(path):
        raise Failure(f"iasl -T {sig} failed: {p.stdout[-300:]} {p.stderr[-300:]}")
    with open(path) as f:
        text = f.read()
    os.unlink(path)
    for name, value in edits:
        text, n = re.subn(rf"^(\[[0-9A-Fa-f]+\]\s+{re.escape(name)} : )\S+", rf"\g<1>{value}",
                          text, count=1, flags=re.MULTILINE)
        if n != 1:
            raise Failure(f"iasl's {sig} template has no field '{name}'")
    return text


def fadt_dsl(iasl, work, version):
    major, minor = version
    return from_template(iasl, work, "FACP", [("Revision", f"{major:02X}"),
                                              ("FADT Minor Revision", f"{minor:02X}")])


def dmar_dsl(iasl, work, flags):
    return from_template(iasl, work, "DMAR", [("Flags", f"{flags:02X}")])


def compile_table(iasl, src_dir, folder, sig, source):
    """Compile @source with iasl's data-table compiler into @folder/SIG.dat."""
    src = os.path.join(src_dir, sig + ".dsl")
    with open(src, "w") as f:
        f.write(source)
    p = subprocess.run([iasl, "-p", os.path.join(src_dir, sig), src], capture_output=True,
                       text=True, cwd=src_dir, timeout=60)
    aml = os.path.join(src_dir, sig + ".aml")
    if p.returncode or not os.path.exists(aml):
        raise Failure(f"iasl {sig}.dsl failed: {p.stdout[-600:]} {p.stderr[-300:]}")
    os.replace(aml, os.path.join(folder, sig + ".dat"))


ACPI_6_2, ACPI_6_3, ACPI_6_4 = (6, 2), (6, 3), (6, 4)
INTR_REMAP_OPT_OUT = DMAR_INTR_REMAP | DMAR_X2APIC_OPT_OUT


def synthetic_machines(cpu_limit):
    """(name, MADT revision, entries, FADT version or None, DMAR flags or
    None, what the plan must show: left-out counts by reason, and
    optionally the APIC mode and enabled_left_out)."""
    two = [lapic(1, 0, ENABLED), ioapic(8, 0xFEC00000), lapic_nmi(0xFF, 1)]
    oc = two + [lapic(2, 1, ONLINE_CAPABLE), lapic(3, 2, 0)]
    # More enabled CPUs than the limit: every Local APIC ID, then x2APIC
    # entries from 256 on.
    many = [lapic(i, i, ENABLED) for i in range(XAPIC_MAX_ID + 1)]
    many += [x2apic(0x1000 + i, 0x100 + i, ENABLED)
             for i in range(cpu_limit + 3 - len(many))]
    return [
        ("x2apic_shadow_and_lone", 5,
         two + [lapic(2, 1, ENABLED), x2apic(9, 1, ENABLED), x2apic(10, 5, ENABLED),
                x2apic(11, 6, 0), x2apic(12, 0x100, ENABLED)],
         ACPI_6_3, None,
         {"skipped": {"x2apic_shadow": 1, "x2apic_low_id": 2}, "mode": "x2APIC",
          "enabled_left_out": 1}),
        ("online_capable_madt5_fadt63", 5, oc, ACPI_6_3, None,
         {"skipped": {"online_capable": 1, "disabled": 1}}),
        ("online_capable_ignored_madt4_fadt62", 4, oc, ACPI_6_2, None,
         {"skipped": {"disabled": 2}}),
        ("online_capable_ignored_madt5_fadt62", 5, oc, ACPI_6_2, None,
         {"skipped": {"disabled": 2}}),
        ("online_capable_madt45_fadt64", 45, oc, ACPI_6_4, None,
         {"skipped": {"online_capable": 1, "disabled": 1}}),
        ("online_capable_ignored_without_fadt", 5, oc, None, None,
         {"skipped": {"disabled": 2}}),
        ("enabled_duplicates", 3,
         two + [lapic(2, 1, ENABLED), lapic(3, 1, ENABLED), x2apic(4, 0x100, ENABLED),
                x2apic(5, 0x100, ENABLED)],
         ACPI_6_2, None, {"skipped": {"duplicate": 2}, "mode": "x2APIC"}),
        ("id_above_254_chooses_x2apic", 4, two + [x2apic(2, 0x1FF, ENABLED)],
         ACPI_6_2, None, {"skipped": {}, "mode": "x2APIC"}),
        ("id_above_254_unreachable_in_xapic", 4, two + [x2apic(2, 0x1FF, ENABLED)],
         ACPI_6_2, INTR_REMAP_OPT_OUT,
         {"skipped": {"unreachable": 1}, "mode": "xAPIC", "enabled_left_out": 1}),
        ("over_the_cpu_limit", 5, many, ACPI_6_3, None,
         {"skipped": {"over_limit": 3}, "mode": "x2APIC", "enabled_left_out": 3}),
    ]


def make_synthetic(iasl, name, revision, entries, fadt, dmar):
    """Write and compile one synthetic machine; return its folder."""
    folder = os.path.join(SYNTH, name)
    src_dir = os.path.join(SYNTH, name + ".src")
    for d in (folder, src_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    compile_table(iasl, src_dir, folder, "APIC", madt_dsl(revision, entries))
    if fadt:
        compile_table(iasl, src_dir, folder, "FACP", fadt_dsl(iasl, src_dir, fadt))
    if dmar is not None:
        compile_table(iasl, src_dir, folder, "DMAR", dmar_dsl(iasl, src_dir, dmar))
    return folder


def check_synthetic(iasl, machine):
    """Build, compare with the oracle, and check that the machine shows
    the rule it was written for."""
    name, revision, entries, fadt, dmar, want = machine
    problems, plan = check_machine(iasl, make_synthetic(iasl, name, revision, entries,
                                                        fadt, dmar))
    if plan:
        got = {k: v for k, v in plan["skipped_by_reason"].items() if v}
        compare("the rule it exercises: entries left out", got, want["skipped"], problems)
        if "mode" in want:
            compare("the rule it exercises: APIC mode", plan["apic_mode"], want["mode"],
                    problems)
        if "enabled_left_out" in want:
            compare("the rule it exercises: enabled CPUs left out",
                    plan["enabled_left_out"], want["enabled_left_out"], problems)
    return problems, plan


def tool_cpu_limit():
    """The tool's CPU limit (NR_CPUS of the build), from its plan of an
    empty folder's lack of tables... or of any small machine."""
    with tempfile.TemporaryDirectory(prefix="xcall-limit-") as d:
        with open(os.path.join(d, "APIC.dat"), "wb") as f:
            f.write(b"APIC" + (44).to_bytes(4, "little") + bytes(36))
        p = subprocess.run([TOOL, "--json", d], capture_output=True, text=True, timeout=60)
    if p.returncode:
        raise Failure(f"xcall-acpi exit status {p.returncode}: {p.stderr.strip()[-500:]}")
    return json.loads(p.stdout)["facts"]["cpu_limit"]


# ---------------------------------------------------------------------------

def skip_suite(reason):
    print(f"    KTAP version 1\n    # Subtest: {SUITE}\n    1..1")
    print(f"    ok 1 corpus # SKIP {reason}")
    print(f"# {SUITE}: pass:0 fail:0 skip:1 total:1")
    print(f"ok 1 {SUITE}")
    print("# Totals: pass:0 fail:0 skip:1 total:1")
    return 0


def corpus_state():
    """(machine folder names, None) or ([], (skip or fail, reason))."""
    if not os.path.isdir(CORPUS):
        why = f"no corpus at {CORPUS}"
        if CORPUS_EXPLICIT:
            return [], ("fail", why + " (named by LINUXHW, so it must be there)")
        return [], ("skip", why + " (make LINUXHW=DIR names another)")
    machines = sorted(m for m in os.listdir(CORPUS)
                      if os.path.isdir(os.path.join(CORPUS, m)))
    if not machines:
        return [], ("fail" if CORPUS_EXPLICIT else "skip", f"{CORPUS} holds no machine folder")
    return machines, None


def main():
    print("KTAP version 1\n1..1")
    iasl = shutil.which("iasl")
    if not iasl:
        return skip_suite("no iasl (Debian acpica-tools: scripts/install-deps.sh test)")
    machines, corpus_missing = corpus_state()
    try:
        synth = synthetic_machines(tool_cpu_limit())
    except Exception:
        synth = None
        synth_error = traceback.format_exc().rstrip().split("\n")
    # One case per corpus machine (or one saying why there are none), one
    # per synthetic machine (or one saying why they could not be made).
    cases = [(m, lambda m=m: check_machine(iasl, os.path.join(CORPUS, m)))
             for m in machines]
    if synth is not None:
        cases += [(f"synthetic_{m[0]}", lambda m=m: check_synthetic(iasl, m)) for m in synth]
    total = len(cases) + (corpus_missing is not None) + (synth is None)

    print(f"    KTAP version 1\n    # Subtest: {SUITE}\n    1..{total}")
    failed = skipped = cpus = n = 0
    warnings, left_out = collections.Counter(), collections.Counter()
    if corpus_missing:
        n += 1
        verdict, why = corpus_missing
        if verdict == "skip":
            skipped += 1
            print(f"    ok {n} corpus # SKIP {why}")
        else:
            failed += 1
            print(f"    # corpus: {why}\n    not ok {n} corpus")
    if synth is None:
        n += 1
        failed += 1
        for line in synth_error:
            print(f"    # synthetic: {line}")
        print(f"    not ok {n} synthetic")
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        jobs = [pool.submit(fn) for _, fn in cases]
        for (name, _), job in zip(cases, jobs):
            n += 1
            try:
                problems, plan = job.result()
            except Exception:
                problems, plan = traceback.format_exc().rstrip().split("\n"), None
            if plan and not name.startswith("synthetic_"):
                cpus += len(plan["cpus"])
                warnings.update(plan["warnings_by_kind"])
                left_out.update(plan["skipped_by_reason"])
            if problems:
                failed += 1
                for line in problems:
                    print(f"    # {name}: {line}")
                print(f"    not ok {n} {name}")
            else:
                print(f"    ok {n} {name}")
            sys.stdout.flush()
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(warnings.items()) if v) or "none"
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(left_out.items()) if v) or "none"
    print(f"    # corpus: {len(machines)} machines checked, {cpus} CPUs found, "
          f"entries left out: {reasons}; warnings by kind: {kinds}; "
          f"{len(synth or [])} synthetic machines (iasl-compiled into {SYNTH})")
    passed = total - failed - skipped
    print(f"# {SUITE}: pass:{passed} fail:{failed} skip:{skipped} total:{total}")
    print(f"{'not ok' if failed else 'ok'} 1 {SUITE}")
    print(f"# Totals: pass:{passed} fail:{failed} skip:{skipped} total:{total}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
