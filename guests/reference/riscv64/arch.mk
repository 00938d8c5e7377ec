# riscv64: an S-mode kernel at 0x80200000, entered by OpenSBI on -M virt.
# Integer-only (no F/D/V state to save), compressed instructions allowed;
# -mno-relax: no gp-relative relaxation, so gp is never set up.
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax
ARCH_LDFLAGS :=
ARCH_COMMON_OBJS := fdt pci_serial semihosting counter_clock uart16550
ARCH_OBJS := entry semihosting main actions console timer cpu sbi power \
	smp_start crash emulated virtio
ARCH_TARGETS :=
