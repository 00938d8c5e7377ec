# aarch64: QEMU's virt board, entered at 0x40000000 in EL1 with the MMU off
# (every access Device memory: no unaligned ones, hence -mstrict-align); the
# DTB is at physical 0, which must be readable as it is.
ARCH_CFLAGS := -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-fno-delete-null-pointer-checks
ARCH_LDFLAGS := --no-warn-rwx-segments
ARCH_COMMON_OBJS := fdt pci_serial semihosting counter_clock
ARCH_OBJS := entry main actions pl011 semihosting timer psci cpu exceptions \
	crash emulated selfstep
ARCH_TARGETS :=

# guest_loop_counter's add as one LSE instruction (stadd) rather than an
# ldxr/stxr loop: a store-exclusive that fails (another CPU wrote between the
# two) still reaches QEMU's watchpoint check, so a watch would count a write
# that never happened, and the loop tries again.
$(OUT)/obj/common/hooks.o: ARCH_CFLAGS += -march=armv8.1-a
