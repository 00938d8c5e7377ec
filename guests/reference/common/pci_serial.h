/* Stage codes on a machine without port 0x80 (aarch64, riscv64 virt): QEMU's
 * pci-serial UART (1b36:0002), found through the PCI host's ECAM window. */
#ifndef REF_PCI_SERIAL_H
#define REF_PCI_SERIAL_H

#include <stdint.h>

/* The architecture's PCI host: its ECAM (bus 0 config space), the CPU address
 * of its PCI I/O space, and the I/O address BAR0 is given (no firmware
 * assigns BARs before these guests run). */
struct pci_host_window {
	uintptr_t ecam;
	uintptr_t io_base;
	uint32_t bar0;
};
extern const struct pci_host_window pci_host_window;

/* The UART's data register (BAR0 placed and I/O decoding on), or NULL if
 * there is no pci-serial on bus 0. Looked up once. */
volatile uint8_t *pci_serial_data(void);

#endif
