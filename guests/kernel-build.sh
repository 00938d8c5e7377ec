# Sourced by guests/kunit/build.sh and guests/kgdb/build.sh, which build Debian's linux-source-6.1 into a
# cache outside the repo (the KUnit kernel unpacks the source, the KGDB kernel builds out of tree from it).

kernel_cache="${XDG_CACHE_HOME:-$HOME/.cache}/vitest-guest"

# linux_source_dir VERSION: where guests/kunit/build.sh unpacks linux-source-6.1 VERSION.
linux_source_dir() { echo "$kernel_cache/kunit/$1/linux-source-6.1"; }

# config_key FILE: a build's cache key, from FILE's options alone: a comment edited in it does not cost a rebuild.
config_key() { grep -v -e '^#' -e '^[[:space:]]*$' "$1" | sha256sum | cut -c1-16; }

# lock_cache DIR makes DIR and holds its lock until the script ends: two setup runs at once would unpack and
# build into the same folders.
lock_cache() {
  mkdir -p "$1"
  exec 9>"$1/.lock"
  flock 9
}

# link_kernel BUILD_DIR VERSION links ./build/{bzImage,vmlinux,System.map} to the kernel built in BUILD_DIR
# and writes VERSION to ./build/version.
link_kernel() {
  mkdir -p build
  ln -sfn "$1/arch/x86/boot/bzImage" build/bzImage
  ln -sfn "$1/vmlinux" build/vmlinux
  ln -sfn "$1/System.map" build/System.map
  echo "$2" > build/version
}
