/* The debug channel (debugcon:), the exit with a status and stage codes: no
 * port I/O here, so semihosting (`hlt #0xf000`, common/semihosting.c) carries
 * the first two and a pci-serial UART the codes. */
#include "arch.h"
#include "board.h"
#include "pci_serial.h"
#include "semihosting.h"

const struct pci_host_window pci_host_window = { VIRT_PCIE_ECAM, VIRT_PCIE_PIO, 0x1000 };

long semihosting_call(long op, const void *arg)
{
	register long x0 asm("x0") = op;
	register const void *x1 asm("x1") = arg;

	asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void debug_write(const char *buf, size_t len)
{
	semihosting_write(buf, len);
}

void request_exit(uint8_t value)
{
	semihosting_exit(value);
}

/* QEMU's 16550 passes each byte to its chardev as it is written. Without a
 * pci-serial the codes go nowhere, as port 0x80 writes do on x86 with
 * nothing listening. */
void codes_write(const uint8_t *codes, size_t len)
{
	volatile uint8_t *data = pci_serial_data();

	if (!data)
		return;
	while (len--)
		*data = *codes++;
}
