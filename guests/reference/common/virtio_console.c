/*
 * Output on a virtio console, the channel Toro and other guests print their results on. Only the
 * legacy interfaces QEMU 7.2 offers by default are driven (virtio.h: virtio-mmio version 1, and
 * whatever the architecture adds, such as x86's transitional PCI device). Lines go out through the
 * console's emergency-write register (VIRTIO_CONSOLE_F_EMERG_WRITE): one config-space write per byte
 * and no virtqueue. A flood (vflood=N) goes through port 0's transmit queue instead, 64 KiB a buffer,
 * fast enough to print gigabytes; the host side sees the same port-0 byte stream either way.
 */
#include "actions.h"
#include "arch.h"
#include "fmt.h"
#include "lib.h"
#include "script.h"
#include "virtio.h"

#define VIRTIO_CONSOLE_F_EMERG_WRITE (1u << 2)
#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
/* Offset of emerg_wr in struct virtio_console_config {u16 cols, rows; u32 max_nr_ports, emerg_wr}. */
#define CONFIG_EMERG_WR 8

static const struct virtio_transport *console;
static int probed;

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

/* Physical == virtual in every architecture's guest, so ring and buffer addresses go to the device as
 * they are. */
static void setup_tx_queue(void)
{
	if (!console->queue_takes(TX_QUEUE, QUEUE_SIZE))
		return; /* another layout than this driver's: lines still work through emergency writes */
	console->queue_setup(TX_QUEUE, QUEUE_SIZE, (uint32_t)((uintptr_t)&tx >> 12));
	tx_ready = 1;
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
	console->notify(TX_QUEUE);
	while ((uint16_t)(tx.avail.idx - tx.used.idx) >= TX_BUFFERS)
		cpu_relax();
}

static int start_console(void)
{
	console->set_status(0);
	console->set_status(STATUS_ACK | STATUS_DRIVER);
	if (!(console->host_features() & VIRTIO_CONSOLE_F_EMERG_WRITE))
		return 0;
	console->set_guest_features(VIRTIO_CONSOLE_F_EMERG_WRITE);
	setup_tx_queue();
	console->set_status(STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	return 1;
}

static int virtio_console_ready(void)
{
	static int found;

	if (!probed) {
		probed = 1;
		console = virtio_mmio_find_console();
		if (!console)
			console = virtio_arch_find_console();
		found = console && start_console();
	}
	return found;
}

static void virtio_console_putc(char c)
{
	console->config_write32(CONFIG_EMERG_WR, (uint8_t)c);
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
	struct stopwatch w;

	if (!forever && !script_number("vflood", v, UINT64_MAX, &left))
		return;
	if (!virtio_console_ready() || !tx_ready) {
		kprintf("reference: no virtio console transmit queue\n");
		return;
	}
	for (unsigned b = 0; b < TX_BUFFERS; b++)
		for (uint32_t i = 0; i < TX_BUFFER_SIZE; i++)
			tx_buffers[b][i] = i % 65 == 64 ? '\n' : (char)('!' + (i / 65 + i % 65) % 94);
	stopwatch_start(&w);
	for (unsigned b = 0; forever || left; b = (b + 1) % TX_BUFFERS) {
		uint32_t n = !forever && left < TX_BUFFER_SIZE ? (uint32_t)left : TX_BUFFER_SIZE;

		tx_send(b, n);
		left -= forever ? 0 : n;
		sent += n;
		/* A 64 KiB buffer takes at least 15 us at the highest rate: the stopwatch is polled far more
		 * often than its 55 ms wrap. */
		while (vflood_mib_per_s && stopwatch_ms(&w) * vflood_mib_per_s * 1024 * 1024 < sent * 1000)
			cpu_relax();
	}
	/* Wait for the device to take the last buffers before the guest moves on (and maybe exits). */
	while (tx.used.idx != tx.avail.idx)
		cpu_relax();
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
