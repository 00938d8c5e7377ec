#!/usr/bin/env bash
# Builds the KGDB kernel (allnoconfig plus guests/kgdb/kgdbconfig) from Debian's linux-source-6.1 in a cache
# outside the repo keyed on the source version and the config's options, reusing the source tree the KUnit
# kernel unpacked (guests/kunit/build.sh; the build is out of tree, so both share it). Links
# guests/kgdb/build/{bzImage,vmlinux,System.map} and the busybox initramfs of guests/linux. Nothing here is
# committed. The first build takes about 7 minutes on 2 cores (6 min 53 s measured, under load); once cached, this script only checks and relinks.
set -euo pipefail
cd "$(dirname "$0")"
. ../kernel-build.sh

version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
source_dir=$(linux_source_dir "$version")
if [ -z "$version" ] || [ ! -f "$source_dir/Makefile" ]; then
  echo "guests/kgdb: no unpacked linux-source-6.1 in $source_dir; run guests/kunit/build.sh first." >&2
  exit 1
fi

config="$PWD/kgdbconfig"
cache="$kernel_cache/kgdb/$version"
build_dir="$cache/build-$(config_key "$config")"
lock_cache "$cache"

# The stamp is written only after a complete build, so an interrupted one is resumed (make keeps its work).
if [ ! -f "$build_dir/.built" ]; then
  echo "guests/kgdb: building the KGDB kernel in $build_dir (about 7 minutes on 2 cores the first time)"
  mkdir -p "$build_dir"
  make -s -C "$source_dir" O="$build_dir" ARCH=x86_64 KCONFIG_ALLCONFIG="$config" allnoconfig
  # allnoconfig drops an option whose dependencies are missing without a word: every forced one must be there.
  while IFS= read -r line; do
    case "$line" in
      '#'*|'') continue ;;
      *=n) ! grep -q "^${line%=n}=" "$build_dir/.config" || { echo "guests/kgdb: .config sets ${line%=n}" >&2; exit 1; } ;;
      *) grep -qx "$line" "$build_dir/.config" || { echo "guests/kgdb: .config lacks $line" >&2; exit 1; } ;;
    esac
  done < "$config"
  make -s -C "$source_dir" O="$build_dir" ARCH=x86_64 -j"$(nproc)" bzImage
  touch "$build_dir/.built"
fi

link_kernel "$build_dir" "$version"
