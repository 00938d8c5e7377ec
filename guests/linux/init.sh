#!/bin/busybox sh
# PID 1 of the Linux test guest: mount what a shell needs, say so on the console, then run a shell on it.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "vitest-guest: userspace up"
# cttyhack gives the shell the console as its controlling terminal: job control and Ctrl-C work.
exec setsid cttyhack sh
