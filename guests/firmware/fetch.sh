#!/usr/bin/env bash
# Fetches Debian's firmware builds that scenarios/real/ boots: OVMF (UEFI, edk2) from `ovmf` and
# U-Boot for x86_64 from `u-boot-qemu`, unpacked into a cache outside the repo by ../fetch-package.sh,
# and links the images the scenarios use as guests/firmware/build/. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

. ../fetch-package.sh

fetch_package ovmf guests/firmware
ovmf=$dir ovmf_version=$version
fetch_package u-boot-qemu guests/firmware
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
