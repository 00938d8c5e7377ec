/* virtio-mmio version 1 (legacy), what QEMU 7.2 offers by default on every
 * machine with virtio-mmio transports. Physical == virtual in every
 * architecture's guest, so the window is used as it is. */
#include "virtio.h"

#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_HOST_FEATURES 0x010
#define MMIO_GUEST_FEATURES 0x020
#define MMIO_GUEST_PAGE_SIZE 0x028
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_ALIGN 0x03c
#define MMIO_QUEUE_PFN 0x040
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_STATUS 0x070
#define MMIO_CONFIG 0x100

#define MMIO_MAGIC_VALUE 0x74726976	/* "virt" */

static volatile uint32_t *regs;

static uint32_t mmio_read(unsigned off)
{
	return regs[off / 4];
}

static void mmio_write(unsigned off, uint32_t v)
{
	regs[off / 4] = v;
}

static uint32_t host_features(void)
{
	return mmio_read(MMIO_HOST_FEATURES);
}

static void set_guest_features(uint32_t features)
{
	mmio_write(MMIO_GUEST_FEATURES, features);
}

static void set_status(uint8_t status)
{
	mmio_write(MMIO_STATUS, status);
}

static int queue_takes(unsigned queue, uint32_t size)
{
	mmio_write(MMIO_QUEUE_SEL, queue);
	return size <= mmio_read(MMIO_QUEUE_NUM_MAX);
}

static void queue_setup(unsigned queue, uint32_t size, uint32_t pfn)
{
	mmio_write(MMIO_GUEST_PAGE_SIZE, 4096);
	mmio_write(MMIO_QUEUE_SEL, queue);
	mmio_write(MMIO_QUEUE_NUM, size);
	mmio_write(MMIO_QUEUE_ALIGN, 4096);
	mmio_write(MMIO_QUEUE_PFN, pfn);
}

static void notify(unsigned queue)
{
	mmio_write(MMIO_QUEUE_NOTIFY, queue);
}

static void config_write32(unsigned offset, uint32_t value)
{
	mmio_write(MMIO_CONFIG + offset, value);
}

static const struct virtio_transport mmio = {
	host_features, set_guest_features, set_status, queue_takes,
	queue_setup, notify, config_write32,
};

const struct virtio_transport *virtio_mmio_find_console(void)
{
	for (unsigned i = 0; i < virtio_mmio_window.slots; i++) {
		volatile uint32_t *r = (volatile uint32_t *)
			(virtio_mmio_window.base + i * virtio_mmio_window.stride);

		if (r[MMIO_MAGIC / 4] != MMIO_MAGIC_VALUE ||
		    r[MMIO_VERSION / 4] != 1 ||
		    r[MMIO_DEVICE_ID / 4] != VIRTIO_ID_CONSOLE)
			continue;
		regs = r;
		return &mmio;
	}
	return 0;
}
