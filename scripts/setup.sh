#!/usr/bin/env bash
# Makes a fresh Debian/Ubuntu clone ready: system packages, npm dependencies, reference guests, CLI build.
# Installs only what is missing; as a non-root user it prints the one apt-get line to run and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)')
if [ "$node_ok" != 1 ]; then
  echo "vitest-guest: Node.js 20.19 or newer is needed (found $(node --version))." >&2
  exit 1
fi

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
# The boot timeline report's end-to-end test draws its pages in headless Chromium.
command -v chromium >/dev/null || missing+=(chromium)
# The coverage end-to-end test renders the guest's lcov tracefile with genhtml.
command -v genhtml >/dev/null || missing+=(lcov)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
command -v gcc >/dev/null || missing+=(gcc)
command -v make >/dev/null || missing+=(make)
{ command -v ld >/dev/null && command -v as >/dev/null && command -v objcopy >/dev/null; } || missing+=(binutils)
# aarch64 and riscv64: their QEMUs and the cross toolchains the reference guest is built with (make -C
# guests/reference builds every architecture whose compiler is installed), and Debian's OpenSBI builds (riscv64
# virt's default -bios is QEMU's own copy, from qemu-system-data).
command -v qemu-system-aarch64 >/dev/null || missing+=(qemu-system-arm)
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
command -v aarch64-linux-gnu-ld >/dev/null || missing+=(binutils-aarch64-linux-gnu)
command -v qemu-system-riscv64 >/dev/null || missing+=(qemu-system-misc)
command -v riscv64-linux-gnu-gcc >/dev/null || missing+=(gcc-riscv64-linux-gnu)
command -v riscv64-linux-gnu-ld >/dev/null || missing+=(binutils-riscv64-linux-gnu)
[ -d /usr/lib/riscv64-linux-gnu/opensbi ] || missing+=(opensbi)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "vitest-guest: missing system packages. Run this, then run the command again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "vitest-guest: installing ${missing[*]} (apt-get, --no-install-recommends)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

make -s -C guests/reference
# The TCG plugin that counts breakpoints and translated blocks without stopping the guest (docs/breakpoints.md).
make -s -C plugin
# Debian's kernel and its System.map, cached outside the repo (about 930 MB downloaded once per machine).
bash guests/linux/fetch.sh
# Debian's arm64 kernel of the same version, its System.map and an arm64 busybox initramfs (about 865 MB
# downloaded once; adds arm64 to dpkg's architectures so that apt-get can fetch arm64 packages).
bash guests/linux-arm64/fetch.sh
# memtest86+ (a 123 kB package), whose full-screen serial UI scenarios/real/memtest86plus.yaml reads as a screen.
bash guests/memtest/fetch.sh
# UEFI (OVMF, and edk2 for aarch64), U-Boot (x86_64, arm64, riscv64) and OpenSBI from Debian's packages, the
# firmware guests of scenarios/real/ (ovmf, uefi-arm64, u-boot*, opensbi).
bash guests/firmware/fetch.sh
# A KUnit kernel built from Debian's linux-source-6.1, cached outside the repo (~10 min the first time).
bash guests/kunit/build.sh
# A KGDB kernel from the same source tree (allnoconfig plus guests/kgdb/kgdbconfig; ~7 min the first time),
# whose own GDB stub scenarios/real/kgdb.yaml drives on the second serial port.
bash guests/kgdb/build.sh
# The self-test modules of Debian's kernel (test_bpf, test_user_copy, test_static_keys), and an initramfs that loads them.
bash guests/linux/fetch-selftests.sh
# The build, from a clean dist/: a layout that moved leaves no stale module to be packed.
npm run -s build
