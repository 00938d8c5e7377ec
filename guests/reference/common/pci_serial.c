#include "pci_serial.h"

#define PCI_ID_SERIAL 0x00021b36	/* device 0x0002, vendor Red Hat 0x1b36 */
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_BAR0 0x10

/* Bus 0, function 0: each device's 4 KiB of config space at device << 15. */
static volatile uint32_t *config(unsigned dev, unsigned reg)
{
	return (volatile uint32_t *)(pci_host_window.ecam + (dev << 15) + reg);
}

volatile uint8_t *pci_serial_data(void)
{
	static volatile uint8_t *data;
	static int probed;

	if (probed)
		return data;
	probed = 1;
	for (unsigned dev = 0; dev < 32; dev++) {
		if (*config(dev, 0) != PCI_ID_SERIAL)
			continue;
		*config(dev, PCI_BAR0) = pci_host_window.bar0;
		*config(dev, PCI_COMMAND) |= PCI_COMMAND_IO;
		data = (volatile uint8_t *)(pci_host_window.io_base +
					    pci_host_window.bar0);
		break;
	}
	return data;
}
