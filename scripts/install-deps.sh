#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install what xcall needs, from the distribution's own archive, for the
# given purposes (default: build run):
#   build   compiler, binutils, GRUB for BIOS and UEFI, xorriso, mtools, font
#   run     QEMU, OVMF (UEFI firmware), gdb
#   bench   matplotlib for the plots
#   check   cppcheck, and GCC for its -fanalyzer (make check)
#   test    acpica-tools: iasl, the oracle of the ACPI corpus test, and
#           acpidump, whose text the tool's test reads
#   fuzz    clang and its libFuzzer runtime (libclang-rt-dev: clang only
#           recommends it) for make fuzz
#   linux   the Linux side of make bench and its make test boot
#           (bench/linux/): Debian's kernel (linux-image-amd64) to boot, its
#           headers (linux-headers-amd64, same version) to build the
#           module against, busybox-static and cpio for the initramfs
# With --check, install nothing: exit 0 when everything is there, else
# print the missing package names on one line (for the caller's message:
# the Makefile's check before a build) and exit 1. With --dry-run, say
# what would be installed and why, and install nothing.
# Safe to run again: only what is missing is installed, without the
# packages Debian merely recommends (matplotlib alone would bring some
# 360 MB of them), and each purpose says what it installs and why first.
#
# On Debian 12 (bookworm) the stock QEMU 7.2 has no x2APIC under TCG, so
# this adds the bookworm-backports suite, from the same mirror and keyring
# as the configured Debian sources, and takes qemu-system-x86 from there
# (QEMU 10). Elsewhere (newer Debian, Ubuntu) the stock QEMU is used.
set -euo pipefail

check=0
dry_run=0
purposes=()
for a in "$@"; do
	case $a in
	--check) check=1 ;;
	--dry-run) dry_run=1 ;;
	build|run|bench|check|test|fuzz|linux) purposes+=("$a") ;;
	*) echo "install-deps: unknown argument '$a'" >&2; exit 2 ;;
	esac
done
[ ${#purposes[@]} -gt 0 ] || purposes=(build run)

codename=
if [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fi

# Each purpose's packages (run also wants a new enough QEMU, below).
packages_for() {
	case $1 in
	build) echo make gcc libc6-dev binutils python3 grub-common grub-pc-bin \
		    grub-efi-amd64-bin xorriso mtools console-setup-linux gzip ;;
	run) echo ovmf gdb python3 ;;
	bench) echo python3-matplotlib ;;
	check) echo cppcheck gcc python3 ;;
	test) echo acpica-tools ;;
	fuzz) echo clang libclang-rt-dev ;;
	linux) echo linux-image-amd64 linux-headers-amd64 busybox-static cpio make gcc ;;
	esac
}

pkgs=()
want_qemu=0
for p in "${purposes[@]}"; do
	# shellcheck disable=SC2207
	pkgs+=($(packages_for "$p"))
	[ "$p" != run ] || want_qemu=1
done

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done

# What each purpose's packages are for, said before installing them.
why() {
	case $1 in
	build) echo "to build the kernel and its ISO (compiler, GRUB, xorriso, font)" ;;
	run) echo "to boot it in QEMU, with UEFI firmware, and debug it with gdb" ;;
	bench) echo "for make bench's plots (matplotlib; NO_PLOTS=1 skips the plots and this)" ;;
	check) echo "for make check (cppcheck; GCC's analyzer)" ;;
	test) echo "for make test's ACPI oracle (iasl from acpica-tools)" ;;
	fuzz) echo "for make fuzz (clang with libFuzzer)" ;;
	linux) echo "to measure Linux beside xcall (make bench) and check its lines (make test): Debian's kernel, its headers, busybox" ;;
	esac
}

# QEMU counts as present when it is new enough for x2APIC under TCG, or
# when this is not bookworm (where no newer one is to be had from the
# archive, the runner skips the x2APIC boots and says why).
need_qemu=0
if [ $want_qemu -eq 1 ]; then
	need_qemu=1
	if command -v qemu-system-x86_64 >/dev/null 2>&1; then
		v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
		if [ "${v:-0}" -ge 9 ] || [ "$codename" != bookworm ]; then
			need_qemu=0
		fi
	fi
fi

if [ ${#missing[@]} -eq 0 ] && [ $need_qemu -eq 0 ]; then
	exit 0
fi
# Everything this run would install, for the messages that name it: QEMU
# only when these purposes need it (run) and it is missing or too old.
names=("${missing[@]}")
[ $need_qemu -eq 0 ] || names+=(qemu-system-x86)
if [ $check -eq 0 ]; then
	for p in "${purposes[@]}"; do
		mine=()
		for q in $(packages_for "$p"); do
			case " ${missing[*]} " in *" $q "*) mine+=("$q") ;; esac
		done
		[ "$p" != run ] || [ $need_qemu -eq 0 ] || mine+=(qemu-system-x86)
		[ ${#mine[@]} -eq 0 ] || echo "install-deps: $p needs ${mine[*]}: $(why "$p")"
	done
	if [ $dry_run -eq 1 ]; then
		echo "install-deps: --dry-run: nothing installed"
		exit 0
	fi
fi
if [ $check -eq 1 ]; then
	echo "${names[*]}"
	exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-deps: need root to install: ${names[*]}" >&2
		echo "  run as root: apt-get install ${names[*]}" >&2
		exit 1
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	by_hand="${names[*]}"
	[ $need_qemu -eq 0 ] || by_hand="$by_hand (QEMU >= 9.0 for x2APIC under TCG)"
	echo "install-deps: no apt-get; install by hand: $by_hand" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install=(apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends)

# bookworm-backports, with the URI and keyring of the configured Debian
# source, whichever format (deb822 or one-line) the machine uses.
add_backports() {
	local uri= key=
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
		key=$(awk '/^Signed-By:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
	fi
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	[ -n "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"$uri" "$key" | $SUDO tee /etc/apt/sources.list.d/xcall-backports.sources >/dev/null
	echo "install-deps: added bookworm-backports from $uri"
}

if [ $need_qemu -eq 1 ] && [ "$codename" = bookworm ]; then
	add_backports
fi
$SUDO apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
	# What they bring with them, counted before it is fetched.
	n=$(apt-get install -s --no-install-recommends "${missing[@]}" 2>/dev/null |
		grep -c '^Inst ' || true)
	echo "install-deps: installing ${missing[*]}: $n packages with what they need," \
	     "without recommended extras"
	$SUDO "${apt_install[@]}" "${missing[@]}"
fi
if [ $need_qemu -eq 1 ]; then
	if [ "$codename" = bookworm ]; then
		$SUDO "${apt_install[@]}" -t bookworm-backports qemu-system-x86
	else
		$SUDO "${apt_install[@]}" qemu-system-x86
	fi
fi
