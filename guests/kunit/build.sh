#!/usr/bin/env bash
# Builds a KUnit kernel from Debian's linux-source-6.1 with kunit.py and the committed kunitconfig, in a
# cache outside the repo keyed on the source version and the kunitconfig's content; links the results as
# guests/kunit/build/{bzImage,vmlinux,System.map,source}. Nothing here is committed. The first build takes
# about 10 minutes on 2 cores; once cached, this script only checks and relinks.
set -euo pipefail
cd "$(dirname "$0")"
. ../kernel-build.sh

# kunit.py configures and builds the kernel; these are what that needs besides gcc and make.
packages=(linux-source-6.1 flex bison bc libelf-dev libssl-dev python3 xz-utils gcc make)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "guests/kunit: missing system packages. Run this, then run the command again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "guests/kunit: installing ${missing[*]} (apt-get, --no-install-recommends)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tarball=/usr/src/linux-source-6.1.tar.xz
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
kunitconfig="$PWD/kunitconfig"
cache="$kernel_cache/kunit/$version"
source_dir=$(linux_source_dir "$version")
build_dir="$cache/build-$(config_key "$kunitconfig")"
lock_cache "$cache"

if [ ! -f "$source_dir/Makefile" ]; then
  echo "guests/kunit: unpacking $tarball into $cache"
  rm -rf "$source_dir" "$source_dir.part"
  mkdir -p "$source_dir.part"
  tar -xJf "$tarball" -C "$source_dir.part" --strip-components=1
  mv "$source_dir.part" "$source_dir"
fi

# The stamp is written only after a complete build, so an interrupted one is resumed (make keeps its work).
if [ ! -f "$build_dir/.built" ]; then
  echo "guests/kunit: building the KUnit kernel in $build_dir (about 10 minutes on 2 cores the first time)"
  (cd "$source_dir" && python3 tools/testing/kunit/kunit.py build --arch=x86_64 --jobs="$(nproc)" \
    --build_dir="$build_dir" --kunitconfig="$kunitconfig")
  touch "$build_dir/.built"
fi

link_kernel "$build_dir" "$version"
ln -sfn "$source_dir" build/source
