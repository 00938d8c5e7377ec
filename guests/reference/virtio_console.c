/*
 * Output on a virtio console, the channel Toro and other guests print their results on. Only the
 * legacy interfaces QEMU 7.2 offers by default are driven: virtio-mmio version 1 (microvm) and the
 * I/O BAR of a transitional virtio PCI device (pc, q35). Lines go out through the console's
 * emergency-write register (VIRTIO_CONSOLE_F_EMERG_WRITE): one config-space write per byte and no
 * virtqueue. A flood (vflood=N) goes through port 0's transmit queue instead, 64 KiB a buffer, fast
 * enough to print gigabytes; the host side sees the same port-0 byte stream either way.
 */
#include "actions.h"
#include "fmt.h"
#include "io.h"
#include "lib.h"
#include "pci.h"
#include "pit.h"
#include "script.h"

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
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_ALIGN 0x03c
#define MMIO_QUEUE_PFN 0x040
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_STATUS 0x070
#define MMIO_CONFIG 0x100

/* Legacy virtio PCI I/O registers, and the transitional console's IDs. */
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

/*
 * Port 0's transmit queue (queue 1 without multiport), in the legacy layout: descriptors, then the
 * available ring, then on the next page the used ring. QEMU's console queues are 128 entries; two
 * buffers are enough to keep it busy while the next one fills.
 */
#define TX_QUEUE 1
#define QUEUE_SIZE 128
#define TX_BUFFERS 2
#define TX_BUFFER_SIZE 65536

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring {
	struct vring_desc desc[QUEUE_SIZE];
	struct {
		uint16_t flags, idx, ring[QUEUE_SIZE], used_event;
	} avail;
	uint8_t pad[4096 - (sizeof(struct vring_desc) * QUEUE_SIZE + 2 * (3 + QUEUE_SIZE)) % 4096];
	struct {
		uint16_t flags;
		volatile uint16_t idx;
		struct { uint32_t id, len; } ring[QUEUE_SIZE];
	} used;
} __attribute__((aligned(4096)));

static struct vring tx;
static char tx_buffers[TX_BUFFERS][TX_BUFFER_SIZE];
static int tx_ready;

static uint32_t queue_size(void)
{
	if (mmio_console) {
		mmio_write(MMIO_QUEUE_SEL, TX_QUEUE);
		return mmio_read(MMIO_QUEUE_NUM_MAX);
	}
	outw(pio_console + PIO_QUEUE_SEL, TX_QUEUE);
	return inw(pio_console + PIO_QUEUE_NUM);
}

/* Physical == virtual here (linker.ld), so ring and buffer addresses go to the device as they are. */
static void setup_tx_queue(void)
{
	if (queue_size() != QUEUE_SIZE)
		return; /* another layout than this driver's: lines still work through emergency writes */
	if (mmio_console) {
		mmio_write(MMIO_QUEUE_NUM, QUEUE_SIZE);
		mmio_write(MMIO_QUEUE_ALIGN, 4096);
		mmio_write(MMIO_QUEUE_PFN, (uint32_t)((uintptr_t)&tx >> 12));
	} else {
		outl(pio_console + PIO_QUEUE_PFN, (uint32_t)((uintptr_t)&tx >> 12));
	}
	tx_ready = 1;
}

static void tx_notify(void)
{
	if (mmio_console)
		mmio_write(MMIO_QUEUE_NOTIFY, TX_QUEUE);
	else
		outw(pio_console + PIO_QUEUE_NOTIFY, TX_QUEUE);
}

/* Queues `len` bytes of buffer `b` and waits until the device has taken the buffer queued before it. */
static void tx_send(unsigned b, uint32_t len)
{
	uint16_t idx = tx.avail.idx;

	tx.desc[b].addr = (uintptr_t)tx_buffers[b];
	tx.desc[b].len = len;
	tx.desc[b].flags = 0;
	tx.avail.ring[idx % QUEUE_SIZE] = (uint16_t)b;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tx.avail.idx = (uint16_t)(idx + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tx_notify();
	while ((uint16_t)(tx.avail.idx - tx.used.idx) >= TX_BUFFERS)
		asm volatile("pause");
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
		setup_tx_queue();
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
		setup_tx_queue();
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

/* vflood's pace in MiB/s; 0 (the default) is as fast as QEMU takes the buffers. */
static uint64_t vflood_mib_per_s;

#define MAX_VRATE 4096

/*
 * Paces the vfloods that follow. Unpaced, QEMU takes the buffers at over 1 GB/s and its virtconsole drops
 * whatever the host reader cannot take at once (no flow control on a console port): a flood the host
 * must read whole goes at a pace the reader keeps up with.
 */
void act_vrate(const char *v)
{
	uint64_t mib;

	if (script_number("vrate", v, MAX_VRATE, &mib))
		vflood_mib_per_s = mib;
}

/* Exactly N bytes (or forever) of 64-character lines on the virtio console, through the transmit queue. */
void act_vflood(const char *v)
{
	int forever = streq(v, "forever");
	uint64_t left = 0;
	uint64_t sent = 0;
	struct pit_stopwatch w;

	if (!forever && !script_number("vflood", v, UINT64_MAX, &left))
		return;
	if (!virtio_console_ready() || !tx_ready) {
		kprintf("reference: no virtio console transmit queue\n");
		return;
	}
	for (unsigned b = 0; b < TX_BUFFERS; b++)
		for (uint32_t i = 0; i < TX_BUFFER_SIZE; i++)
			tx_buffers[b][i] = i % 65 == 64 ? '\n' : (char)('!' + (i / 65 + i % 65) % 94);
	pit_stopwatch_start(&w);
	for (unsigned b = 0; forever || left; b = (b + 1) % TX_BUFFERS) {
		uint32_t n = !forever && left < TX_BUFFER_SIZE ? (uint32_t)left : TX_BUFFER_SIZE;

		tx_send(b, n);
		left -= forever ? 0 : n;
		sent += n;
		/* A 64 KiB buffer takes at least 15 us at the highest rate: the stopwatch is polled far more
		 * often than its 55 ms wrap. */
		while (vflood_mib_per_s && pit_stopwatch_ms(&w) * vflood_mib_per_s * 1024 * 1024 < sent * 1000)
			asm volatile("pause");
	}
	/* Wait for the device to take the last buffers before the guest moves on (and maybe exits). */
	while (tx.used.idx != tx.avail.idx)
		asm volatile("pause");
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
