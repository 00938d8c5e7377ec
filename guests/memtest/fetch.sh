#!/usr/bin/env bash
# Fetches Debian's memtest86+ (a bare-metal memory tester that draws a full-screen UI on the serial
# console), unpacked into a cache outside the repo by ../fetch-package.sh, and links its 64-bit image as
# guests/memtest/build/memtest86+x64.bin. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

. ../fetch-package.sh
fetch_package memtest86+ guests/memtest

image="$dir/boot/memtest86+x64.bin"
if [ ! -s "$image" ]; then
  echo "guests/memtest: $image is missing from its package (a changed layout?)" >&2
  exit 1
fi
mkdir -p build
ln -sfn "$image" build/memtest86+x64.bin
echo "$version" > build/version
