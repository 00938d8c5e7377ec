#!/usr/bin/env bash
# Fetches Debian's current amd64 kernel, the System.map from its -dbg package and busybox-static into
# a cache outside the repo; extracts the PVH vmlinux from the bzImage; builds an initramfs (busybox and
# init.sh); links them as guests/linux/build/{vmlinuz,vmlinux,System.map,initramfs.cpio}. Nothing here
# is committed.
set -euo pipefail
cd "$(dirname "$0")"

. ../fetch-package.sh

debian_kernel guests/linux
version=${kernel_package#linux-image-}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/linux/$version"
fetch_kernel "$kernel_package" "" guests/linux "$cache" vmlinuz

# The bzImage's payload is xz: from its magic on, xz reads the vmlinux ELF (with its PVH note) and
# ignores the bytes after the stream.
if [ ! -s "$cache/vmlinux" ]; then
  offset=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$cache/vmlinuz" | head -1 | cut -d: -f1)
  tail -c +$((offset + 1)) "$cache/vmlinuz" | xz -dcq > "$cache/vmlinux.part" 2>/dev/null || true
  if [ "$(head -c 4 "$cache/vmlinux.part" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
    echo "guests/linux: no xz-compressed ELF found in $cache/vmlinuz" >&2
    exit 1
  fi
  mv "$cache/vmlinux.part" "$cache/vmlinux"
fi

bb_cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/busybox"
if [ ! -x "$bb_cache/busybox" ]; then
  echo "guests/linux: fetching busybox-static (cached in $bb_cache)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q busybox-static >/dev/null)
  dpkg-deb -x "$work"/busybox-static_*.deb "$work/root"
  mkdir -p "$bb_cache"
  mv "$work/root/bin/busybox" "$bb_cache/busybox"
  rm -rf "$work"
  trap - EXIT
fi

mkdir -p build
node make-initramfs.mjs "$bb_cache/busybox" init.sh build/initramfs.cpio
ln -sfn "$cache/vmlinuz" build/vmlinuz
ln -sfn "$cache/vmlinux" build/vmlinux
ln -sfn "$cache/System.map" build/System.map
echo "$version" > build/version
