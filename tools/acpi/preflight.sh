#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make preflight: what xcall would do on the machine this runs on, from its
# ACPI tables in /sys/firmware/acpi/tables, before anyone writes a USB
# stick. Prints xcall-acpi's plan and exits 0, or prints one line saying
# why it cannot tell and exits 1. Tables without a usable MADT are such a
# case: a plan without a CPU list would only guess (xcall-acpi
# --require-madt says why in one line).
#
#   tools/acpi/preflight.sh XCALL_ACPI [TABLES]
#
# Linux makes the tables readable by root only: as another user this asks
# sudo, where there is one.
set -u

tool=$1
tables=${2:-/sys/firmware/acpi/tables}

cannot_tell() {
	echo "preflight: cannot tell what xcall would do here: $*"
	exit 1
}

[ -x "$tool" ] || cannot_tell "$tool is not built (make xcall-acpi)"
[ -d "$tables" ] ||
	cannot_tell "no $tables (not Linux on ACPI firmware, or a container without /sys/firmware)"
[ -e "$tables/APIC" ] ||
	cannot_tell "$tables has no APIC table (MADT), so no CPU list (a container, or firmware without ACPI SMP tables)"

if [ -r "$tables/APIC" ]; then
	run=("$tool" --require-madt "$tables")
elif [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
	echo "preflight: the ACPI tables are readable by root only; running xcall-acpi with sudo" >&2
	run=(sudo "$tool" --require-madt "$tables")
else
	cannot_tell "$tables/APIC is readable by root only and there is no sudo: run make preflight as root"
fi

# The plan goes to stdout as it is; a failure (no usable MADT, tables the
# tool cannot read) becomes the one "cannot tell" line, with the tool's
# first line as the reason. sudo asks for a password on the terminal, not
# on these streams.
out=$("${run[@]}" 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
	printf '%s\n' "$out"
	exit 0
fi
reason=$(printf '%s\n' "$out" | head -n 1)
cannot_tell "${reason#xcall-acpi: }"
