# x86_64: PVH (reference.elf) and multiboot (reference-multiboot.elf) entries,
# every device on I/O ports.
ARCH_CFLAGS := -mno-red-zone -mgeneral-regs-only
ARCH_LDFLAGS :=
ARCH_COMMON_OBJS := uart16550
ARCH_OBJS := entry main actions console pit fwcfg cpu power crash smp_start \
	smp_entry pci virtio_pci emulated cpu_features
ARCH_TARGETS := $(OUT)/reference-multiboot.elf

# QEMU's multiboot loader accepts only ELF32; the code inside stays 64-bit
# apart from the 32-bit entry, which is all the loader runs.
$(OUT)/reference-multiboot.elf: $(OUT)/obj/x86_64/multiboot.o $(OBJS) x86_64/linker.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $@.64 $(OUT)/obj/x86_64/multiboot.o $(OBJS)
	@$(OBJCOPY) -O elf32-i386 $@.64 $@
	@rm -f $@.64
