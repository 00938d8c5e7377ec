#!/usr/bin/env bash
# Fetches Debian's firmware builds that scenarios/real/ boots: OVMF (UEFI, edk2) from `ovmf` and
# U-Boot for x86_64 from `u-boot-qemu`, unpacked with dpkg-deb into a cache outside the repo
# (never installed system-wide), and links the images the scenarios use as guests/firmware/build/.
# Nothing here is committed. Quick when cached: only apt-cache is asked for the current versions.
set -euo pipefail
cd "$(dirname "$0")"

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'; }
if [ -z "$(candidate ovmf)" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
fi

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest"

# fetch PACKAGE: sets $dir to the folder holding the package's unpacked files and $version to its
# version, fetching them if not cached.
fetch() {
  local pkg=$1
  version=$(candidate "$pkg")
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    echo "guests/firmware: apt-cache does not know $pkg; run 'apt-get update' as root first." >&2
    return 1
  fi
  dir="$cache_root/$pkg/${version//:/%3a}"
  if [ ! -f "$dir/.complete" ]; then
    echo "guests/firmware: fetching $pkg $version (cached in $dir)" >&2
    local work
    work=$(mktemp -d)
    # apt-get download needs a folder the _apt user can write to, or it warns.
    chmod 0777 "$work"
    (cd "$work" && apt-get download -q "$pkg=$version" >/dev/null) || { rm -rf "$work"; return 1; }
    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$work"/*.deb "$dir"
    rm -rf "$work"
    touch "$dir/.complete"
  fi
}

fetch ovmf
ovmf=$dir ovmf_version=$version
fetch u-boot-qemu
uboot=$dir uboot_version=$version

for file in "$ovmf/usr/share/ovmf/OVMF.fd" "$ovmf/usr/share/OVMF/OVMF_CODE_4M.fd" "$ovmf/usr/share/OVMF/OVMF_VARS_4M.fd" "$uboot/usr/lib/u-boot/qemu-x86_64/u-boot.rom"; do
  if [ ! -s "$file" ]; then
    echo "guests/firmware: $file is missing from its package (a changed layout?)" >&2
    exit 1
  fi
done

mkdir -p build
ln -sfn "$ovmf/usr/share/ovmf/OVMF.fd" build/OVMF.fd
# The same firmware as two flash images: code, and a template of the variable store.
ln -sfn "$ovmf/usr/share/OVMF/OVMF_CODE_4M.fd" build/OVMF_CODE_4M.fd
ln -sfn "$ovmf/usr/share/OVMF/OVMF_VARS_4M.fd" build/OVMF_VARS_4M.fd
ln -sfn "$uboot/usr/lib/u-boot/qemu-x86_64/u-boot.rom" build/u-boot-x86_64.rom
printf 'ovmf %s\nu-boot-qemu %s\n' "$ovmf_version" "$uboot_version" > build/versions
