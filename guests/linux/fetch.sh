#!/usr/bin/env bash
# Fetches Debian's current amd64 kernel and the System.map from its -dbg package into a cache outside
# the repo, and links them as guests/linux/build/{vmlinuz,System.map}. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
pkg=$(package)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  pkg=$(package)
fi
if [ -z "$pkg" ]; then
  echo "guests/linux: apt-cache does not know linux-image-amd64; run 'apt-get update' as root first." >&2
  exit 1
fi
version=${pkg#linux-image-}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/linux/$version"

if [ ! -s "$cache/vmlinuz" ] || [ ! -s "$cache/System.map" ]; then
  echo "guests/linux: fetching $pkg and the System.map from $pkg-dbg (cached in $cache)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # apt-get download needs a folder the _apt user can write to, or it warns.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q "$pkg" "$pkg-dbg" >/dev/null)
  dpkg-deb --fsys-tarfile "$work/${pkg}_"*.deb | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
  # The map is among the first members of the 850 MB archive: stop reading once it is out
  # (dpkg-deb then complains of a broken pipe, which is expected).
  dpkg-deb --fsys-tarfile "$work/${pkg}-dbg_"*.deb 2>/dev/null | tar -x -C "$work" --wildcards --occurrence=1 './usr/lib/debug/boot/System.map-*' || true
  mkdir -p "$cache"
  mv "$work"/boot/vmlinuz-* "$cache/vmlinuz"
  mv "$work"/usr/lib/debug/boot/System.map-* "$cache/System.map"
fi

mkdir -p build
ln -sfn "$cache/vmlinuz" build/vmlinuz
ln -sfn "$cache/System.map" build/System.map
echo "$version" > build/version
