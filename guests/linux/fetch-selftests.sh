#!/usr/bin/env bash
# Keeps the self-test modules of Debian's kernel (the linux-image package that guests/linux/fetch.sh
# fetched) and the modules they depend on in the same cache outside the repo, and builds a second
# initramfs: busybox, the modules with their modules.dep, and selftests-init.sh, which loads the
# modules the kernel command line names and powers off. Links it as guests/linux/build/selftests.cpio.
# Nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")"

# What Debian's 6.1 kernel ships that tests itself when loaded (test_firmware waits to be driven
# through sysfs, so it is left out). Their dependencies are read from each module's .modinfo.
wanted=(test_bpf test_user_copy test_static_keys)

if [ ! -s build/version ]; then
  echo "guests/linux: no kernel fetched yet; run guests/linux/fetch.sh first." >&2
  exit 1
fi
version=$(cat build/version)
pkg="linux-image-$version"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/linux/$version"
bb="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/busybox/busybox"
modules="$cache/selftest-modules"
tree="lib/modules/$version"

depends_of() { tr '\0' '\n' < "$1" | sed -n 's/^depends=//p' | tr ',' ' '; }

missing() {
  local name
  for name in "${wanted[@]}"; do
    [ -n "$(find "$modules/$tree" -name "$name.ko" 2>/dev/null)" ] || return 0
  done
  return 1
}

if missing; then
  echo "guests/linux: fetching $pkg for its self-test modules (cached in $modules)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # apt-get download needs a folder the _apt user can write to, or it warns.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q "$pkg" >/dev/null)
  deb=$(echo "$work/${pkg}_"*.deb)
  listing=$(dpkg-deb --fsys-tarfile "$deb" | tar -t)
  todo=("${wanted[@]}")
  while [ ${#todo[@]} -gt 0 ]; do
    paths=()
    for name in "${todo[@]}"; do
      # A module's name has _ where its file name may have -.
      path=$(grep -m1 "/${name//_/[_-]}\.ko\$" <<<"$listing" || true)
      if [ -z "$path" ]; then
        echo "guests/linux: $pkg has no module $name" >&2
        exit 1
      fi
      paths+=("$path")
    done
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" "${paths[@]}"
    todo=()
    for path in "${paths[@]}"; do
      for dep in $(depends_of "$work/$path"); do
        [ -n "$(find "$work/lib" -name "${dep//_/[_-]}.ko")" ] || todo+=("$dep")
      done
    done
  done
  rm -rf "$modules"
  mkdir -p "$modules"
  mv "$work/lib" "$modules/lib"
  rm -rf "$work"
  trap - EXIT
fi

# busybox's depmod writes the modules.dep that busybox's modprobe reads in the guest.
"$bb" depmod -b "$modules" "$version"

mkdir -p build
files=()
while IFS= read -r -d '' path; do
  files+=("${path#"$modules/"}=$path")
done < <(find "$modules/$tree" -type f -print0 | sort -z)
node make-initramfs.mjs "$bb" selftests-init.sh build/selftests.cpio "${files[@]}"
