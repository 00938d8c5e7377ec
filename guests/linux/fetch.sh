#!/usr/bin/env bash
# Fetches Debian's current amd64 kernel, the System.map from its -dbg package and busybox-static into
# a cache outside the repo; extracts the PVH vmlinux from the bzImage; builds an initramfs (busybox and
# init.sh); links them as guests/linux/build/{vmlinuz,vmlinux,System.map,initramfs.cpio}. Nothing here
# is committed.
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
  rm -rf "$work"
  trap - EXIT
fi

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
