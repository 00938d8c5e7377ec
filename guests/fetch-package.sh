# Sourced by the guests' fetch scripts: fetch_package PACKAGE LABEL unpacks Debian's current PACKAGE
# with dpkg-deb into a cache outside the repo (never installed system-wide) and sets $dir to that folder
# and $version to its version. Quick when cached: only apt-cache is asked for the current version.

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
