/* x86's virtio consoles: microvm's virtio-mmio window, and on pc/q35 the I/O
 * BAR of a transitional virtio PCI console (legacy registers). */
#include "io.h"
#include "pci.h"
#include "virtio.h"

/* microvm's transports, identity-mapped by entry.S. */
const struct virtio_mmio_window virtio_mmio_window = { 0xfeb00000ul, 24, 0x200 };

#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_DEVICE_CONSOLE 0x1003
#define PIO_HOST_FEATURES 0x00
#define PIO_GUEST_FEATURES 0x04
#define PIO_QUEUE_PFN 0x08
#define PIO_QUEUE_NUM 0x0c
#define PIO_QUEUE_SEL 0x0e
#define PIO_QUEUE_NOTIFY 0x10
#define PIO_STATUS 0x12
#define PIO_CONFIG 0x14

static uint16_t io;

static uint32_t host_features(void)
{
	return inl(io + PIO_HOST_FEATURES);
}

static void set_guest_features(uint32_t features)
{
	outl(io + PIO_GUEST_FEATURES, features);
}

static void set_status(uint8_t status)
{
	outb(io + PIO_STATUS, status);
}

static int queue_takes(unsigned queue, uint32_t size)
{
	outw(io + PIO_QUEUE_SEL, (uint16_t)queue);
	return inw(io + PIO_QUEUE_NUM) == size;
}

/* The legacy PCI interface has no size or alignment registers: the device's
 * own size and 4 KiB alignment are implied. */
static void queue_setup(unsigned queue, uint32_t size, uint32_t pfn)
{
	(void)size;
	outw(io + PIO_QUEUE_SEL, (uint16_t)queue);
	outl(io + PIO_QUEUE_PFN, pfn);
}

static void notify(unsigned queue)
{
	outw(io + PIO_QUEUE_NOTIFY, (uint16_t)queue);
}

static void config_write32(unsigned offset, uint32_t value)
{
	outl(io + PIO_CONFIG + offset, value);
}

static const struct virtio_transport pio = {
	host_features, set_guest_features, set_status, queue_takes,
	queue_setup, notify, config_write32,
};

const struct virtio_transport *virtio_arch_find_console(void)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = pci_read(dev, 0, 0x00);
		uint32_t bar0;

		if ((id & 0xffff) != PCI_VENDOR_VIRTIO || id >> 16 != PCI_DEVICE_CONSOLE)
			continue;
		bar0 = pci_read(dev, 0, 0x10);
		if (!(bar0 & 1))
			return 0; /* not an I/O BAR: a modern-only device */
		/* SeaBIOS assigned the BAR; make sure I/O decoding is on. */
		pci_write(dev, 0, 0x04, pci_read(dev, 0, 0x04) | 0x1);
		io = (uint16_t)(bar0 & ~3u);
		return &pio;
	}
	return 0;
}
