#!/usr/bin/env bash
# Fetches Debian's firmware builds that scenarios/real/ boots: OVMF (UEFI, edk2) from `ovmf` and its
# aarch64 build from `qemu-efi-aarch64`, U-Boot for x86_64, arm64 and riscv64 (S-mode) from
# `u-boot-qemu`, and OpenSBI for riscv64's generic platform from `opensbi`, unpacked into a cache
# outside the repo by ../fetch-package.sh, and links the images the scenarios use as
# guests/firmware/build/. Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

. ../fetch-package.sh

fetch_package ovmf guests/firmware
ovmf=$dir ovmf_version=$version
fetch_package u-boot-qemu guests/firmware
uboot=$dir uboot_version=$version
fetch_package qemu-efi-aarch64 guests/firmware
aavmf=$dir aavmf_version=$version
fetch_package opensbi guests/firmware
opensbi=$dir opensbi_version=$version

for file in "$ovmf/usr/share/ovmf/OVMF.fd" "$ovmf/usr/share/OVMF/OVMF_CODE_4M.fd" "$ovmf/usr/share/OVMF/OVMF_VARS_4M.fd" \
  "$uboot/usr/lib/u-boot/qemu-x86_64/u-boot.rom" "$uboot/usr/lib/u-boot/qemu_arm64/u-boot.bin" "$uboot/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf" \
  "$aavmf/usr/share/AAVMF/AAVMF_CODE.fd" "$aavmf/usr/share/AAVMF/AAVMF_VARS.fd" \
  "$opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin" "$opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"; do
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
# arm64: the raw image QEMU's -bios takes. riscv64: the S-mode build, which runs after OpenSBI, as its
# ELF (loaded by -kernel at 0x80200000, where OpenSBI jumps; the raw .bin is no kernel image to vitest-guest).
ln -sfn "$uboot/usr/lib/u-boot/qemu_arm64/u-boot.bin" build/u-boot-arm64.bin
ln -sfn "$uboot/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf" build/u-boot-riscv64-smode.elf
# edk2 for aarch64 as virt's two 64 MiB flash images: code, and a template of the variable store.
ln -sfn "$aavmf/usr/share/AAVMF/AAVMF_CODE.fd" build/AAVMF_CODE.fd
ln -sfn "$aavmf/usr/share/AAVMF/AAVMF_VARS.fd" build/AAVMF_VARS.fd
ln -sfn "$opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin" build/opensbi-fw_jump.bin
ln -sfn "$opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin" build/opensbi-fw_dynamic.bin
printf 'ovmf %s\nu-boot-qemu %s\nqemu-efi-aarch64 %s\nopensbi %s\n' "$ovmf_version" "$uboot_version" "$aavmf_version" "$opensbi_version" > build/versions
