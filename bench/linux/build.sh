#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Build the Linux side of make bench from scratch into OUT (build/linux):
#   OUT/module/          xcall_bench.ko, built against Debian's headers
#   OUT/initramfs.cpio   busybox-static, bench/linux/init as /init, the module
#   OUT/vmlinuz          a link to the kernel to boot
#   OUT/version          that kernel's release (6.1.0-57-amd64)
#
# The kernel is the one Debian's linux-image-amd64 depends on, and the
# module is built against the headers of that same release, found where
# linux-headers-* installs them (/usr/lib/modules/REL/build, else
# /usr/src/linux-headers-REL). LINUX_VERSION=REL picks another installed
# release. Every missing piece is named with the command that installs it
# (scripts/install-deps.sh linux), and nothing is half built: OUT is
# removed first.
#
# Usage: bench/linux/build.sh OUT
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUT}
fix="install them with 'scripts/install-deps.sh linux' (make bench and make test do)"

die() {
	echo "linux-bench: $*" >&2
	exit 1
}

# Busybox applets /init uses: linked to the one static binary.
applets="sh mount echo cat printf dd poweroff dmesg awk grep uname nproc insmod"

version=${LINUX_VERSION:-}
if [ -z "$version" ]; then
	dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) ||
		die "Debian's linux-image-amd64 is not installed: $fix"
	version=$(printf '%s\n' "$dep" | sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
	[ -n "$version" ] || die "cannot tell the kernel release from linux-image-amd64's Depends: '$dep'"
fi
kernel=/boot/vmlinuz-$version
[ -r "$kernel" ] || die "no readable $kernel (Linux $version): $fix"
headers=
for d in "/usr/lib/modules/$version/build" "/usr/src/linux-headers-$version"; do
	if [ -f "$d/Makefile" ]; then
		headers=$d
		break
	fi
done
[ -n "$headers" ] || die "no headers for Linux $version (linux-headers-$version): $fix"
# The image and the headers must come from the same build: the module's
# symbol versions are checked against the kernel's when it loads.
iv=$(dpkg-query -W -f='${Version}' "linux-image-$version" 2>/dev/null || true)
hv=$(dpkg-query -W -f='${Version}' "linux-headers-$version" 2>/dev/null || true)
if [ -n "$iv" ] && [ -n "$hv" ] && [ "$iv" != "$hv" ]; then
	die "linux-image-$version is $iv but linux-headers-$version is $hv: $fix"
fi
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "no $busybox (busybox-static): $fix"
# A dynamic busybox would find no C library in the initramfs.
if readelf -l "$busybox" | grep -q INTERP; then
	die "$busybox is dynamically linked: the initramfs needs busybox-static: $fix"
fi
command -v cpio >/dev/null || die "no cpio: $fix"

rm -rf "$out"
mkdir -p "$out/module/include/xcall" "$out/initramfs/bin" "$out/initramfs/proc" \
	 "$out/initramfs/sys" "$out/initramfs/dev"
cp "$here/Kbuild" "$here/linux_bench.c" "$root/lib/stats.c" "$out/module/"
cp "$here/include/xcall/types.h" "$root/include/xcall/stats.h" "$out/module/include/xcall/"
echo "  KMOD    $out/module/xcall_bench.ko (Linux $version, $headers)"
if ! make -C "$headers" M="$(cd "$out/module" && pwd)" modules >"$out/module/build.log" 2>&1; then
	cat "$out/module/build.log" >&2
	die "the module did not build against $headers"
fi

cp "$busybox" "$out/initramfs/bin/busybox"
for a in $applets; do
	ln -s busybox "$out/initramfs/bin/$a"
done
install -m 0755 "$here/init" "$out/initramfs/init"
cp "$out/module/xcall_bench.ko" "$out/initramfs/"
# newc is the format the kernel unpacks; owned by root, in a stable order.
(cd "$out/initramfs" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) >"$out/initramfs.cpio"
ln -s "$kernel" "$out/vmlinuz"
echo "$version" >"$out/version"
echo "  CPIO    $out/initramfs.cpio"
