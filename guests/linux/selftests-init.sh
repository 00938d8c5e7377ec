#!/bin/busybox sh
# PID 1 of the self-test guest: loads each module that a selftest= word of the kernel command line
# names, in order, with the parameters after its colons (selftest=test_bpf:test_range=0,523), unloads
# it, reports it the way kselftest's module.sh does (ok, or FAIL when the load fails), and powers off.
# A module that passes may print nothing itself (test_static_keys): the load's status is its verdict.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# The reports go through printk: they carry its timestamp, and a kernel message cannot land inside
# one of them on the console. Writes from user space are rate-limited unless this says otherwise.
echo on > /proc/sys/kernel/printk_devkmsg
say() { echo "selftests: $*" > /dev/kmsg; }

set -f
count=0
for word in $(cat /proc/cmdline); do
  case "$word" in selftest=*) ;; *) continue ;; esac
  spec=${word#selftest=}
  module=${spec%%:*}
  params=
  [ "$module" = "$spec" ] || params=$(echo "${spec#*:}" | tr ':' ' ')
  name=$(echo "$module $params" | sed 's/ *$//')
  count=$((count + 1))
  if ! grep -q "/$module\.ko:" "/lib/modules/$(uname -r)/modules.dep"; then
    say "$name: SKIP (no such module in the initramfs)"
    continue
  fi
  say "$name: loading"
  # shellcheck disable=SC2086 # one word per parameter
  modprobe "$module" $params
  status=$?
  if [ "$status" = 0 ]; then
    modprobe -r "$module"
    say "$name: ok"
  else
    say "$name: FAIL (modprobe exit $status)"
  fi
done
[ "$count" -gt 0 ] || say "no selftest=MODULE[:PARAM=VALUE...] on the kernel command line"
say "done"
poweroff -f
