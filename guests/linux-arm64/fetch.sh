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

known() { local found; found=$(candidate "$1"); [ -n "$found" ] && [ "$found" != "(none)" ]; }
debian_kernel guests/linux-arm64
pkg=${kernel_package%-amd64}-arm64
if ! known "$pkg:arm64" && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
fi
if ! known "$pkg:arm64"; then
  echo "guests/linux-arm64: apt-cache does not know $pkg:arm64; run 'apt-get update' as root first." >&2
  exit 1
fi
kernel_version=${pkg#linux-image-}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/linux/$kernel_version"

# Debian names it vmlinuz, but it is a plain arm64 Image (not compressed) that -kernel boots as is.
fetch_kernel "$pkg" :arm64 guests/linux-arm64 "$cache" Image

# fetch_package sets $dir (and $version: the busybox package's).
fetch_package busybox-static:arm64 guests/linux-arm64
busybox="$dir/bin/busybox"

mkdir -p build
node ../linux/make-initramfs.mjs "$busybox" ../linux/init.sh build/initramfs.cpio
ln -sfn "$cache/Image" build/Image
ln -sfn "$cache/System.map" build/System.map
echo "$kernel_version" > build/version
