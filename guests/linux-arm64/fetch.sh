#!/usr/bin/env bash
# Fetches Debian's arm64 kernel of the same version as the amd64 one guests/linux/ boots, the
# System.map from its -dbg package and busybox-static:arm64 into a cache outside the repo; builds an
# initramfs from that busybox and guests/linux/init.sh (the same init: only the kernel's console,
# ttyAMA0, differs, and that is the command line's); links them as
# guests/linux-arm64/build/{Image,System.map,initramfs.cpio}. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

. ../fetch-package.sh

# apt-get knows arm64 packages only once dpkg accepts the architecture (root, once per machine).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  if [ "$(id -u)" != 0 ]; then
    echo "guests/linux-arm64: apt does not know arm64 packages; run as root first:" >&2
    echo "  dpkg --add-architecture arm64 && apt-get update" >&2
    exit 1
  fi
  dpkg --add-architecture arm64
  apt-get update -qq
fi

amd64_package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
known() { local found; found=$(candidate "$1"); [ -n "$found" ] && [ "$found" != "(none)" ]; }
amd64=$(amd64_package)
if [ -z "$amd64" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  amd64=$(amd64_package)
fi
if [ -z "$amd64" ]; then
  echo "guests/linux-arm64: apt-cache does not know linux-image-amd64; run 'apt-get update' as root first." >&2
  exit 1
fi
pkg=${amd64%-amd64}-arm64
if ! known "$pkg:arm64" && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
fi
if ! known "$pkg:arm64"; then
  echo "guests/linux-arm64: apt-cache does not know $pkg:arm64; run 'apt-get update' as root first." >&2
  exit 1
fi
kernel_version=${pkg#linux-image-}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/linux/$kernel_version"

if [ ! -s "$cache/Image" ] || [ ! -s "$cache/System.map" ]; then
  echo "guests/linux-arm64: fetching $pkg:arm64 and the System.map from $pkg-dbg:arm64 (cached in $cache)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # apt-get download needs a folder the _apt user can write to, or it warns.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q "$pkg:arm64" "$pkg-dbg:arm64" >/dev/null)
  # Both members sit at the front of their archives: tar stops once each is out (dpkg-deb then
  # complains of a broken pipe, which is expected), and the 800 MB -dbg archive goes at once.
  dpkg-deb --fsys-tarfile "$work/${pkg}_"*.deb 2>/dev/null | tar -x -C "$work" --wildcards --occurrence=1 './boot/vmlinuz-*' || true
  dpkg-deb --fsys-tarfile "$work/${pkg}-dbg_"*.deb 2>/dev/null | tar -x -C "$work" --wildcards --occurrence=1 './usr/lib/debug/boot/System.map-*' || true
  for file in "$work"/boot/vmlinuz-* "$work"/usr/lib/debug/boot/System.map-*; do
    if [ ! -s "$file" ]; then
      echo "guests/linux-arm64: the kernel image or its System.map is missing from the packages (a changed layout?)" >&2
      exit 1
    fi
  done
  mkdir -p "$cache"
  # Debian names it vmlinuz, but it is a plain arm64 Image (not compressed) that -kernel boots as is.
  mv "$work"/boot/vmlinuz-* "$cache/Image"
  mv "$work"/usr/lib/debug/boot/System.map-* "$cache/System.map"
  rm -rf "$work"
  trap - EXIT
fi

# fetch_package sets $dir (and $version: the busybox package's).
fetch_package busybox-static:arm64 guests/linux-arm64
busybox="$dir/bin/busybox"

mkdir -p build
node ../linux/make-initramfs.mjs "$busybox" ../linux/init.sh build/initramfs.cpio
ln -sfn "$cache/Image" build/Image
ln -sfn "$cache/System.map" build/System.map
echo "$kernel_version" > build/version
