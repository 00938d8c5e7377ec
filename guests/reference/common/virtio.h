/* A legacy virtio console's registers, whichever transport reaches them:
 * virtio-mmio (virtio_mmio.c, at the architecture's window) or the
 * architecture's own (x86: a transitional PCI device's I/O BAR). */
#ifndef REF_VIRTIO_H
#define REF_VIRTIO_H

#include <stdint.h>

#define VIRTIO_ID_CONSOLE 3

struct virtio_transport {
	uint32_t (*host_features)(void);
	void (*set_guest_features)(uint32_t features);
	void (*set_status)(uint8_t status);
	/* Whether the queue can have `size` entries: legacy PCI's size is the
	 * device's own, virtio-mmio's driver picks one up to QueueNumMax (1024
	 * on QEMU 7.2, where a size test of == 128 found no queue). */
	int (*queue_takes)(unsigned queue, uint32_t size);
	/* Legacy layout, 4 KiB-aligned at page frame `pfn`. */
	void (*queue_setup)(unsigned queue, uint32_t size, uint32_t pfn);
	void (*notify)(unsigned queue);
	void (*config_write32)(unsigned offset, uint32_t value);
};

/* Where the architecture's virtio-mmio transports are: `slots` of them from
 * `base`, `stride` bytes apart (512 on x86's microvm and aarch64's virt, 4 KiB
 * on riscv64's virt; no slots: none). */
struct virtio_mmio_window {
	uintptr_t base;
	unsigned slots;
	uintptr_t stride;
};
extern const struct virtio_mmio_window virtio_mmio_window;

/* virtio_mmio.c: the first legacy virtio-mmio console in the window. */
const struct virtio_transport *virtio_mmio_find_console(void);

/* The architecture's other transports; NULL if it has no console there. */
const struct virtio_transport *virtio_arch_find_console(void);

#endif
