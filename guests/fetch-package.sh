# Sourced by the guests' fetch scripts: fetch_package PACKAGE LABEL unpacks Debian's current PACKAGE
# with dpkg-deb into a cache outside the repo (never installed system-wide) and sets $dir to that folder
# and $version to its version. Quick when cached: only apt-cache is asked for the current version.
# debian_kernel and fetch_kernel (below) do the same for Debian's kernel packages.

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'; }

fetch_package() {
  local pkg=$1 label=$2
  version=$(candidate "$pkg")
  if { [ -z "$version" ] || [ "$version" = "(none)" ]; } && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    version=$(candidate "$pkg")
  fi
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    echo "$label: apt-cache does not know $pkg; run 'apt-get update' as root first." >&2
    return 1
  fi
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest/$pkg/${version//:/%3a}"
  if [ ! -f "$dir/.complete" ]; then
    echo "$label: fetching $pkg $version (cached in $dir)" >&2
    local work
    work=$(mktemp -d)
    # apt-get download needs a folder the _apt user can write to, or it warns.
    chmod 0777 "$work"
    (cd "$work" && apt-get download -q "$pkg=$version" >/dev/null) || { rm -rf "$work"; return 1; }
    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$work"/*.deb "$dir"
    rm -rf "$work"
    touch "$dir/.complete"
  fi
}

# debian_kernel LABEL sets $kernel_package to the linux-image-<version>-amd64 package Debian's
# linux-image-amd64 currently depends on: the kernel version every Linux guest boots.
debian_kernel() {
  local label=$1
  kernel_package=$(latest_amd64_kernel)
  if [ -z "$kernel_package" ] && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    kernel_package=$(latest_amd64_kernel)
  fi
  if [ -z "$kernel_package" ]; then
    echo "$label: apt-cache does not know linux-image-amd64; run 'apt-get update' as root first." >&2
    return 1
  fi
}

latest_amd64_kernel() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }

# fetch_kernel PACKAGE ARCH LABEL CACHE IMAGE puts PACKAGE's /boot/vmlinuz-* at CACHE/IMAGE and the
# System.map from PACKAGE-dbg at CACHE/System.map, unless both are there. ARCH qualifies the package
# names for apt (":arm64"), or is empty for the host's own.
fetch_kernel() {
  local pkg=$1 arch=$2 label=$3 cache=$4 image=$5 work file
  if [ -s "$cache/$image" ] && [ -s "$cache/System.map" ]; then return 0; fi
  echo "$label: fetching $pkg$arch and the System.map from $pkg-dbg$arch (cached in $cache)" >&2
  work=$(mktemp -d)
  # apt-get download needs a folder the _apt user can write to, or it warns.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -q "$pkg$arch" "$pkg-dbg$arch" >/dev/null) || { rm -rf "$work"; return 1; }
  # Both members sit near the front of their archives: tar stops once each is out (dpkg-deb then
  # complains of a broken pipe, which is expected), and the 800 MB -dbg archive is not read through.
  dpkg-deb --fsys-tarfile "$work/${pkg}_"*.deb 2>/dev/null | tar -x -C "$work" --wildcards --occurrence=1 './boot/vmlinuz-*' || true
  dpkg-deb --fsys-tarfile "$work/${pkg}-dbg_"*.deb 2>/dev/null | tar -x -C "$work" --wildcards --occurrence=1 './usr/lib/debug/boot/System.map-*' || true
  for file in "$work"/boot/vmlinuz-* "$work"/usr/lib/debug/boot/System.map-*; do
    if [ ! -s "$file" ]; then
      echo "$label: the kernel image or its System.map is missing from the packages (a changed layout?)" >&2
      rm -rf "$work"
      return 1
    fi
  done
  mkdir -p "$cache"
  mv "$work"/boot/vmlinuz-* "$cache/$image"
  mv "$work"/usr/lib/debug/boot/System.map-* "$cache/System.map"
  rm -rf "$work"
}
