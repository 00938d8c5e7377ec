/* PCI configuration space through the legacy 0xcf8/0xcfc ports (bus 0 only: QEMU's pc and q35). */
#ifndef REF_PCI_H
#define REF_PCI_H

#include <stdint.h>

uint32_t pci_read(unsigned dev, unsigned fn, unsigned off);
void pci_write(unsigned dev, unsigned fn, unsigned off, uint32_t value);

#endif
