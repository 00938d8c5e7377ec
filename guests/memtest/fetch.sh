#!/usr/bin/env bash
# Fetches Debian's memtest86+ (a bare-metal memory tester that draws a full-screen UI on the serial
# console), unpacked with dpkg-deb into a cache outside the repo (never installed system-wide), and links
# its 64-bit image as guests/memtest/build/memtest86+x64.bin. Nothing here is committed. Quick when
# cached: only apt-cache is asked for the current version.
set -euo pipefail
cd "$(dirname "$0")"

pkg=memtest86+
candidate() { apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'; }
version=$(candidate)
if { [ -z "$version" ] || [ "$version" = "(none)" ]; } && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  version=$(candidate)
fi
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  echo "guests/memtest: apt-cache does not know $pkg; run 'apt-get update' as root first." >&2
  exit 1
fi

dir="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/$pkg/${version//:/%3a}"
if [ ! -f "$dir/.complete" ]; then
  echo "guests/memtest: fetching $pkg $version (cached in $dir)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # apt-get download needs a folder the _apt user can write to, or it warns.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q "$pkg=$version" >/dev/null)
  rm -rf "$dir"
  mkdir -p "$dir"
  dpkg-deb -x "$work"/*.deb "$dir"
  rm -rf "$work"
  trap - EXIT
  touch "$dir/.complete"
fi

image="$dir/boot/memtest86+x64.bin"
if [ ! -s "$image" ]; then
  echo "guests/memtest: $image is missing from its package (a changed layout?)" >&2
  exit 1
fi
mkdir -p build
ln -sfn "$image" build/memtest86+x64.bin
echo "$version" > build/version
