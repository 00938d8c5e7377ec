/*
 * Output on a virtio console, the channel Toro and other guests print their results on. Only the
 * legacy interfaces QEMU 7.2 offers by default are driven: virtio-mmio version 1 (microvm) and the
 * I/O BAR of a transitional virtio PCI device (pc, q35). Bytes go out through the console's
 * emergency-write register (VIRTIO_CONSOLE_F_EMERG_WRITE): one config-space write per byte and no
 * virtqueue, which keeps this driver to a page; the host side sees the same port-0 byte stream.
 */
#include "actions.h"
#include "fmt.h"
#include "io.h"
#include "pci.h"

#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_CONSOLE_F_EMERG_WRITE (1u << 2)
#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
/* Offset of emerg_wr in struct virtio_console_config {u16 cols, rows; u32 max_nr_ports, emerg_wr}. */
#define CONFIG_EMERG_WR 8

/* microvm's virtio-mmio transports: 512 bytes apart from 0xfeb00000 (identity-mapped by entry.S). */
#define MMIO_BASE 0xfeb00000ul
#define MMIO_SLOTS 24
#define MMIO_SIZE 0x200
#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_HOST_FEATURES 0x010
#define MMIO_GUEST_FEATURES 0x020
#define MMIO_GUEST_PAGE_SIZE 0x028
#define MMIO_STATUS 0x070
#define MMIO_CONFIG 0x100

/* Legacy virtio PCI I/O registers, and the transitional console's IDs. */
#define PCI_VENDOR_VIRTIO 0x1af4
#define PCI_DEVICE_CONSOLE 0x1003
#define PIO_HOST_FEATURES 0x00
#define PIO_GUEST_FEATURES 0x04
#define PIO_STATUS 0x12
#define PIO_CONFIG 0x14

static volatile uint32_t *mmio_console;
static uint16_t pio_console;
static int probed;

static uint32_t mmio_read(unsigned off)
{
	return mmio_console[off / 4];
}

static void mmio_write(unsigned off, uint32_t v)
{
	mmio_console[off / 4] = v;
}

static int probe_mmio(void)
{
	for (unsigned i = 0; i < MMIO_SLOTS; i++) {
		volatile uint32_t *regs = (volatile uint32_t *)(MMIO_BASE + i * MMIO_SIZE);

		if (regs[MMIO_MAGIC / 4] != 0x74726976 || regs[MMIO_VERSION / 4] != 1 ||
		    regs[MMIO_DEVICE_ID / 4] != VIRTIO_ID_CONSOLE)
			continue;
		mmio_console = regs;
		mmio_write(MMIO_STATUS, 0);
		mmio_write(MMIO_STATUS, STATUS_ACK | STATUS_DRIVER);
		if (!(mmio_read(MMIO_HOST_FEATURES) & VIRTIO_CONSOLE_F_EMERG_WRITE))
			return 0;
		mmio_write(MMIO_GUEST_FEATURES, VIRTIO_CONSOLE_F_EMERG_WRITE);
		mmio_write(MMIO_GUEST_PAGE_SIZE, 4096);
		mmio_write(MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
		return 1;
	}
	return 0;
}

static int probe_pci(void)
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
		pio_console = (uint16_t)(bar0 & ~3u);
		outb(pio_console + PIO_STATUS, 0);
		outb(pio_console + PIO_STATUS, STATUS_ACK | STATUS_DRIVER);
		if (!(inl(pio_console + PIO_HOST_FEATURES) & VIRTIO_CONSOLE_F_EMERG_WRITE))
			return 0;
		outl(pio_console + PIO_GUEST_FEATURES, VIRTIO_CONSOLE_F_EMERG_WRITE);
		outb(pio_console + PIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
		return 1;
	}
	return 0;
}

static int virtio_console_ready(void)
{
	static int found;

	if (!probed) {
		probed = 1;
		found = probe_mmio() || probe_pci();
	}
	return found;
}

static void virtio_console_putc(char c)
{
	if (mmio_console)
		mmio_write(MMIO_CONFIG + CONFIG_EMERG_WR, (uint8_t)c);
	else
		outl(pio_console + PIO_CONFIG + CONFIG_EMERG_WR, (uint8_t)c);
}

void act_vprint(const char *v)
{
	if (!virtio_console_ready()) {
		kprintf("reference: no virtio console\n");
		return;
	}
	while (*v)
		virtio_console_putc(*v++);
	virtio_console_putc('\n');
}
