#include "io.h"
#include "pci.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static void pci_select(unsigned dev, unsigned fn, unsigned off)
{
	outl(PCI_ADDR, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc));
}

uint32_t pci_read(unsigned dev, unsigned fn, unsigned off)
{
	pci_select(dev, fn, off);
	return inl(PCI_DATA);
}

void pci_write(unsigned dev, unsigned fn, unsigned off, uint32_t value)
{
	pci_select(dev, fn, off);
	outl(PCI_DATA, value);
}
